""" "Did you mean …?" for a link to a page that is not there: the closest topic by name, and
among names alike, the one in the folder the link points into.

A broken link is mostly a renamed file (`getting-started.md` now `getting_started.md`), a
typo, or the right name in the wrong folder (`../api/setup.md` written from `cli/`). Ranking
by the file name first and the folder second finds the page the author meant; matching the
bare name against every topic id (as `difflib` over ids did) often named a page in another
part of the book. No Qt.
"""

from __future__ import annotations

import os
import posixpath
import re
from difflib import SequenceMatcher

from viewer.library.folder import Library, Topic

MIN_NAME_SIMILARITY = 0.6  # below this a name is a different page, not a misspelling
FOLDER_WEIGHT = 0.3  # how much the right folder counts beside a name's likeness
_SEPARATORS = re.compile(r"[\s_.\-]+")


def _norm(name: str) -> str:
    return _SEPARATORS.sub("-", name.casefold()).strip("-")


def _stem(path: str) -> str:
    name = posixpath.basename(path.rstrip("/"))
    base, ext = posixpath.splitext(name)
    return base if ext.lower() in (".md", ".html", ".htm", "") else name


def closest_topic(library: Library, source: Topic | None, written: str) -> Topic | None:
    """The topic a broken link `written` in `source` most likely meant, or None."""
    written = written.strip().replace("\\", "/")
    want = _norm(_stem(written))
    if not want:
        return None
    base = os.path.relpath(source.path.parent, library.root).replace(os.sep, "/") if source else "."
    folder = posixpath.normpath(posixpath.join(base, posixpath.dirname(written)))
    wanted_parts = [] if folder in (".", "") else folder.split("/")
    best: tuple[float, int, Topic] | None = None
    matcher = SequenceMatcher(autojunk=False)
    matcher.set_seq2(want)
    for order, topic in enumerate(library.topics):
        names = {_norm(topic.path.stem), _norm(topic.id), _norm(topic.title)}
        name_score = 0.0
        for name in names:
            matcher.set_seq1(name)
            if matcher.real_quick_ratio() <= name_score or matcher.quick_ratio() <= name_score:
                continue
            name_score = max(name_score, matcher.ratio())
        if name_score < MIN_NAME_SIMILARITY:
            continue
        rel = os.path.relpath(topic.path.parent, library.root).replace(os.sep, "/")
        parts = [] if rel == "." else rel.split("/")
        score = name_score + FOLDER_WEIGHT * _folder_likeness(wanted_parts, parts)
        if best is None or score > best[0]:
            best = (score, order, topic)
    return best[2] if best else None


def _folder_likeness(wanted: list[str], found: list[str]) -> float:
    """1 for the same folder, less for folders sharing a start or a last name, 0 for none."""
    if wanted == found:
        return 1.0
    common = 0
    for a, b in zip(wanted, found):
        if a.casefold() != b.casefold():
            break
        common += 1
    shared = common / max(len(wanted), len(found))
    same_name = 0.5 if wanted and found and wanted[-1].casefold() == found[-1].casefold() else 0.0
    return max(shared, same_name)


def link_to(library: Library, source: Topic | None, topic: Topic) -> str:
    """How `source` would write a link to `topic`: its path relative to the source's folder."""
    start = source.path.parent if source else library.root
    return os.path.relpath(topic.path, start).replace(os.sep, "/")
