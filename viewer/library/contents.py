"""A book's own table of contents: which pages, in which order, nested how.

Documentation folders carry their order somewhere other than file names. The first found of
these is the book's contents (a folder with our `library.toml` is ordered by it instead, and
a folder with none of them keeps the folder order):

1. `mkdocs.yml`'s `nav` (in the folder, or in the one above whose `docs_dir` is this folder);
2. `SUMMARY.md` (mdBook, GitBook), in the folder or its `src/`;
3. an `index.md` or `README.md` whose body is a (nested) list of links.

Links name pages as their source (`page.md`) or as the built site does (`page.html`,
`page/`); both find the Markdown file. No Qt; PyYAML only for an mkdocs site.
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from viewer.library.titles import plain_text

INDEX_NAMES = ("index.md", "README.md", "readme.md")
SUMMARY_PLACES = ("SUMMARY.md", "src/SUMMARY.md")

_ITEM = re.compile(r"^([ \t]*)(?:[-*+]|\d+[.)])[ \t]+(.*)$")
_LINK = re.compile(r"\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_PREFIX_CHAPTER = re.compile(r"^\s*\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*([^)\s]*)\s*\)\s*$")
_PART = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
MIN_INDEX_LINKS = 3  # fewer links than this is a page that links, not a table of contents


@dataclass
class Entry:
    """One line of the contents: a page (`path`, relative to the library), a section with no
    page of its own (`path` None), or a page with sub-pages."""

    title: str
    path: str | None = None
    children: list[Entry] = field(default_factory=list)


@dataclass
class Contents:
    source: Path  # the file it came from, for messages
    entries: list[Entry]
    index: str | None = None  # the page it lives in, shown first (index.md / README.md)
    hidden: tuple[str, ...] = ()  # files that are the contents, not pages (SUMMARY.md)
    title: str = ""  # the book's own name (mkdocs `site_name`, mdBook `book.toml` title)

    def lists(self, path: str) -> bool:
        """Whether the contents name the page at `path` (library-relative)."""
        if self.index == path:
            return True
        stack = list(self.entries)
        while stack:
            entry = stack.pop()
            if entry.path == path:
                return True
            stack.extend(entry.children)
        return False


def find_contents(root: Path) -> Contents | None:
    """The book's contents in `root`, or None (see the module docstring for the order)."""
    for find in (_mkdocs, _summary, _index):
        found = find(root)
        if found is not None and found.entries:
            return found
    return None


# -- the page a link names ---------------------------------------------------------------
def source_page(root: Path, base: str, href: str) -> str | None:
    """The library-relative path of the Markdown page `href` (written in folder `base`, itself
    relative to `root`) names, as source or as the built site's page; None if there is none."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path)
    if path.startswith("/"):
        path = path.lstrip("/")
        base = ""
    joined = posixpath.normpath(posixpath.join(base, path))
    if joined.startswith("../") or joined == "..":
        return None
    for candidate in built_page_candidates(joined, path.endswith("/")):
        if os.path.isfile(root / candidate):
            return candidate
    return None


def built_page_candidates(path: str, folder: bool = False) -> list[str]:
    """Where the Markdown source of `path` may be: itself, or what mdBook and mkdocs build
    `page.html`, `page/` and `page/index.html` from."""
    path = path.rstrip("/") if path not in ("", ".", "/") else ""
    stem, ext = posixpath.splitext(path)
    lower = ext.lower()
    if folder or (not ext and path):
        base = f"{path}/" if path else ""
        return [f"{path}.md", f"{base}index.md", f"{base}README.md", f"{base}readme.md"]
    if lower == ".md":
        return [path]
    if lower in (".html", ".htm"):
        candidates = [f"{stem}.md"]
        if posixpath.basename(stem) == "index":
            folder_of = posixpath.dirname(stem)
            candidates.append(posixpath.join(folder_of, "README.md"))
            candidates.append(posixpath.join(folder_of, "readme.md"))
        return candidates
    return []


# -- mkdocs ------------------------------------------------------------------------------
def _mkdocs_loader():
    import yaml

    class Loader(yaml.SafeLoader):
        """The safe loader, reading tags it does not know (`!!python/name:…`, `!ENV`) as
        plain values: mkdocs.yml files use them for theme code we never run."""

    def unknown(loader, suffix, node):  # noqa: ARG001 - PyYAML's signature
        if isinstance(node, yaml.ScalarNode):
            return loader.construct_scalar(node)
        if isinstance(node, yaml.SequenceNode):
            return loader.construct_sequence(node)
        return loader.construct_mapping(node)

    Loader.add_multi_constructor("", unknown)
    Loader.add_multi_constructor("!", unknown)
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", unknown)
    return Loader


def _mkdocs(root: Path) -> Contents | None:
    for config in (root / "mkdocs.yml", root.parent / "mkdocs.yml"):
        if not config.is_file():
            continue
        try:
            import yaml

            data = yaml.load(config.read_text(encoding="utf-8"), Loader=_mkdocs_loader())  # noqa: S506 - a SafeLoader subclass
        except (OSError, UnicodeDecodeError, ImportError, Exception):  # noqa: BLE001 - any bad file
            continue
        if not isinstance(data, dict):
            continue
        docs = (config.parent / str(data.get("docs_dir") or "docs")).resolve()
        if docs == root:
            prefix = ""
        elif config.parent == root and docs.is_relative_to(root):
            prefix = docs.relative_to(root).as_posix()
        else:
            continue
        nav = data.get("nav")
        if not isinstance(nav, list):
            continue
        entries = _nav_entries(root, prefix, nav)
        name = data.get("site_name")
        return Contents(config, entries, title=plain_text(name) if isinstance(name, str) else "")
    return None


def _nav_entries(root: Path, prefix: str, nav: list) -> list[Entry]:
    entries: list[Entry] = []
    for item in nav:
        if isinstance(item, str):
            path = source_page(root, prefix, item)
            if path:
                entries.append(Entry("", path))
        elif isinstance(item, dict):
            for title, value in item.items():
                title = plain_text(str(title))
                if isinstance(value, list):
                    children = _nav_entries(root, prefix, value)
                    if children:
                        entries.append(Entry(title, None, children))
                elif isinstance(value, str):
                    path = source_page(root, prefix, value)
                    if path:
                        entries.append(Entry(title, path))
    return entries


# -- SUMMARY.md --------------------------------------------------------------------------
def _summary(root: Path) -> Contents | None:
    for place in SUMMARY_PLACES:
        path = root / place
        if path.is_file():
            text = _read(path)
            if text is None:
                continue
            base = posixpath.dirname(place)
            entries = _list_entries(root, base, text, parts=True)
            return Contents(path, entries, hidden=(place,), title=_book_title(root))
    return None


# -- index.md / README.md ----------------------------------------------------------------
def _index(root: Path) -> Contents | None:
    for name in INDEX_NAMES:
        path = root / name
        if not path.is_file():
            continue
        text = _read(path)
        if text is None or not _is_contents(text):
            continue
        entries = _list_entries(root, "", text, parts=False)
        if _count(entries) >= MIN_INDEX_LINKS:
            return Contents(path, entries, index=name)
    return None


def _is_contents(text: str) -> bool:
    """Whether a page's body is mostly a list of links (its contents), not prose."""
    items = links = prose = 0
    in_fence = False
    for line in text.split("\n"):
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence or not line.strip() or line.lstrip().startswith(("#", "---", "<!--")):
            continue
        item = _ITEM.match(line)
        if item:
            items += 1
            links += bool(_LINK.search(item.group(2)))
        elif not line.startswith((" ", "\t")):
            prose += 1
    return links >= MIN_INDEX_LINKS and links >= 0.6 * items and items >= prose


def _count(entries: list[Entry]) -> int:
    return sum((e.path is not None) + _count(e.children) for e in entries)


def _list_entries(root: Path, base: str, text: str, *, parts: bool) -> list[Entry]:
    """Nested entries from list items with links; with `parts` (SUMMARY.md), `# Part` headings
    open a section and links outside a list (prefix and suffix chapters) are pages too."""
    top: list[Entry] = []
    stack: list[tuple[int, list[Entry]]] = [(-1, top)]
    in_fence = False
    seen: set[str] = set()
    for line in text.split("\n"):
        line = line.rstrip("\r")
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        item = _ITEM.match(line)
        if item is None:
            heading = _PART.match(line) if parts else None
            chapter = _PREFIX_CHAPTER.match(line) if parts else None
            if heading and stack[0][1] is top and heading.group(1).strip().lower() != "summary":
                section = Entry(plain_text(heading.group(1)))
                top.append(section)
                stack = [(-1, top), (-1, section.children)]
            elif chapter:
                entry = _entry(root, base, chapter.group(1), chapter.group(2), seen)
                if entry is not None:
                    stack = [(-1, top)]
                    top.append(entry)
            continue
        indent = len(item.group(1).expandtabs(4))
        while len(stack) > 1 and stack[-1][0] >= indent:
            stack.pop()
        body = item.group(2)
        link = _LINK.search(body)
        if link:
            entry = _entry(root, base, link.group(1), link.group(2), seen)
            if entry is None:
                if link.group(2):  # a page elsewhere (a URL, a missing file): not a page here
                    continue
                entry = Entry(plain_text(link.group(1)))  # mdBook's draft chapter `[Later]()`
        else:
            entry = Entry(plain_text(body))
        stack[-1][1].append(entry)
        stack.append((indent, entry.children))
    return _drop_empty(top)


def _entry(root: Path, base: str, label: str, href: str, seen: set[str]) -> Entry | None:
    path = source_page(root, base, href) if href else None
    if path is None or path in seen:
        return None
    seen.add(path)
    return Entry(plain_text(label), path)


def _drop_empty(entries: list[Entry]) -> list[Entry]:
    kept = []
    for entry in entries:
        entry.children = _drop_empty(entry.children)
        if entry.path is not None or entry.children:
            kept.append(entry)
    return kept


def _book_title(root: Path) -> str:
    """The `[book] title` of an mdBook's `book.toml`, or ""."""
    text = _read(root / "book.toml")
    if not text:
        return ""
    try:
        import tomllib
    except ImportError:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        title = tomllib.loads(text).get("book", {}).get("title")
    except (tomllib.TOMLDecodeError, AttributeError):
        return ""
    return plain_text(title) if isinstance(title, str) else ""


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
