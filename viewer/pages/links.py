"""What a link or image reference in a topic points at, decided in one place.

The renderer, the page view's click handler and the library check all ask this module, so a
link that the check calls broken is exactly one the viewer will not follow.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

from viewer.library.folder import Library, Topic

TOPIC_SCHEME = "cloudref"  # internal links are rewritten to cloudref:TOPIC-ID#anchor
WIKI_SCHEME = "wiki"  # `[[page#section]]` is written as wiki:page#section until it is resolved


class LinkTarget(NamedTuple):
    kind: str  # "topic", "anchor", "external", "blocked"
    topic_id: str = ""
    anchor: str = ""
    url: str = ""
    reason: str = ""


def classify(library: Library, source: Topic | None, href: str) -> LinkTarget:
    href = href.strip()
    if not href:
        return LinkTarget("blocked", reason="empty link")
    if href.startswith("#"):
        return LinkTarget("anchor", topic_id=source.id if source else "", anchor=unquote(href[1:]))
    try:
        parts = urlsplit(href)
    except ValueError as exc:  # "[" in a host, a bad port: no address anyone can follow
        return LinkTarget("blocked", reason=f"malformed address ({exc})")
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        return LinkTarget("external", url=href)
    if scheme == WIKI_SCHEME:
        name = unquote(parts.path)
        topic = library.topic_named(name) if name else source
        if topic is None:
            return LinkTarget("blocked", reason=f"no topic named {name!r}")
        return LinkTarget("topic", topic_id=topic.id, anchor=unquote(parts.fragment))
    if scheme == TOPIC_SCHEME:
        topic = library.topic(unquote(parts.path))
        if topic is None:
            return LinkTarget("blocked", reason=f"no topic with id {parts.path!r}")
        return LinkTarget("topic", topic_id=topic.id, anchor=unquote(parts.fragment))
    if scheme and len(scheme) > 1:  # one letter is a Windows drive, treated as a path below
        return LinkTarget("blocked", reason=f"{scheme}: links are not followed")
    path = unquote(parts.path)
    anchor = unquote(parts.fragment)
    if not path:
        return LinkTarget("anchor", topic_id=source.id if source else "", anchor=anchor)
    if "/" not in path and not path.lower().endswith(".md") and library.topic(path):
        return LinkTarget("topic", topic_id=path, anchor=anchor)
    target = resolve_path(library, source, path)
    if target is None:
        return LinkTarget("blocked", reason=f"link leaves the library: {path}")
    topic = library.topic_for_file(target)
    if topic is None:
        topic = _built_page_source(library, source, path)
    if topic is None:
        return LinkTarget("blocked", reason=f"no topic at {path}")
    return LinkTarget("topic", topic_id=topic.id, anchor=anchor)


def _built_page_source(library: Library, source: Topic | None, path: str) -> Topic | None:
    """The topic a link to the built site's page (`page.html`, `page/`) was built from."""
    # Here: the contents reader is needed only for links written to a built site's pages.
    from viewer.library.contents import built_page_candidates

    for candidate in built_page_candidates(path, path.endswith("/")):
        if candidate == path:
            continue
        found = resolve_path(library, source, candidate)
        topic = library.topic_for_file(found) if found is not None else None
        if topic is not None:
            return topic
    return None


def resolve_path(library: Library, source: Topic | None, ref: str) -> Path | None:
    """`ref` relative to the source topic's folder, or None if it leaves the library."""
    if ref.startswith("/") or (len(ref) > 1 and ref[1] == ":") or ref.startswith("\\"):
        return None
    base = source.path.parent if source else library.root
    joined = Path(posixpath.normpath(str(base / ref)))
    try:
        resolved = joined.resolve()
    except (OSError, RuntimeError):
        return None
    return resolved if library.contains(resolved) else None


class ImageRef(NamedTuple):
    kind: str  # "file", "remote", "missing", "outside"
    path: Path | None = None
    ref: str = ""


def resolve_image(library: Library, source: Topic | None, src: str) -> ImageRef:
    """Find an image the way the format promises: topic folder, library, images folder."""
    src = src.strip()
    try:
        parts = urlsplit(src)
    except ValueError:
        return ImageRef("missing", ref=src)
    if parts.scheme.lower() in ("http", "https", "ftp", "data") or src.startswith("//"):
        return ImageRef("remote", ref=src)
    if parts.scheme and len(parts.scheme) > 1:
        return ImageRef("outside", ref=src)
    ref = unquote(parts.path)
    if not ref or ref.startswith(("/", "\\")) or (len(ref) > 1 and ref[1] == ":"):
        return ImageRef("outside", ref=src)
    bases = [source.path.parent if source else library.root, library.root, library.images_dir]
    candidates = [base / ref for base in bases]
    if ref.startswith("images/"):
        candidates.append(library.images_dir / ref[len("images/") :])
    # "Outside" when the path as written (from the topic's folder) leaves the library, or
    # another reading of it finds a file out there; a picture that is nowhere is missing, even
    # if the library-root reading of `../..` leaves (mkdocs pages deep in folders write those).
    outside = False
    for number, candidate in enumerate(candidates):
        resolved = Path(posixpath.normpath(str(candidate)))
        if not library.contains(resolved):
            outside = outside or number == 0 or resolved.is_file()
            continue
        try:
            real = resolved.resolve()
        except (OSError, RuntimeError):
            continue
        if not library.contains(real):
            outside = True  # a symlink that leaves the library
            continue
        if real.is_file():
            return ImageRef("file", path=real, ref=src)
    return ImageRef("outside" if outside and ".." in ref else "missing", ref=src)
