"""Each topic's cards kept between runs, so opening Study does not read and parse every topic.

One file per library in the user's cache folder (`cards-SLUG.bin`, the conventions of
`viewer.library.cache`): for each topic file, by path, its size and modification time, the
topic's id and its cards as plain tuples. An entry is used while the file keeps its size and
time and the topic its id; a cache written by other card code (`cards.py`, `card_syntax.py`)
reads as empty. A damaged or unwritable cache only means every topic is read. Topics that are
gone are dropped when it is saved. No Qt: used on a worker thread.
"""

from __future__ import annotations

import os
from pathlib import Path

from viewer.library.cache import cache_dir, library_slug, read_blob, source_signature, write_blob
from viewer.library.folder import Topic
from viewer.study.cards import TOPIC_DECK, StudyCard

FORMAT = 1  # bump when what an entry holds changes shape


def _code() -> tuple:
    here = Path(__file__).parent
    return (
        "cards",
        FORMAT,
        *source_signature(str(here / "cards.py"), str(here.parent / "pages" / "card_syntax.py")),
    )


class CardCache:
    """The cached cards of one library's topics."""

    def __init__(self, root: Path, folder: Path | None = None):
        self.path = (folder or cache_dir()) / f"cards-{library_slug(root)}.bin"
        self._code = _code()
        blob = read_blob(self.path)
        valid = (
            isinstance(blob, tuple)
            and len(blob) == 2
            and blob[0] == self._code
            and isinstance(blob[1], dict)
        )
        self._old: dict = blob[1] if valid else {}  # type: ignore[index]
        self._new: dict = {}
        self._changed = not valid
        self.hits = 0  # topics answered from the cache, for tests and the benchmark

    @staticmethod
    def stamp(topic: Topic) -> tuple[int, int] | None:
        """The topic file's size and modification time; None if it cannot be read."""
        try:
            status = os.stat(topic.path)
        except OSError:
            return None
        return (status.st_size, status.st_mtime_ns)

    def get(self, topic: Topic) -> list[StudyCard] | None:
        """The topic's cards if its file is as it was when they were cached, else None."""
        key = str(topic.path)
        entry = self._old.get(key)
        if entry is None:
            return None
        try:
            size, mtime_ns, topic_id, rows = entry
            if topic_id != topic.id or (size, mtime_ns) != self.stamp(topic):
                return None
            deck, path = TOPIC_DECK + topic.id, topic.path
            cards = [
                StudyCard(ident, deck, question, answer, key_, path, line, topic_id, anchor, title)
                for ident, question, answer, key_, line, anchor, title in rows
            ]
        except (TypeError, ValueError):  # a foreign or damaged entry: read the topic
            return None
        self._new[key] = entry
        self.hits += 1
        return cards

    def put(self, topic: Topic, stamp: tuple[int, int] | None, cards: list[StudyCard]) -> None:
        """Keep the cards read from `topic` when its file had `stamp` (taken before the read,
        so a file changed meanwhile is read again next time)."""
        if stamp is None:
            return
        rows = tuple(
            (c.id, c.question, c.answer, c.answer_key, c.line, c.anchor, c.section) for c in cards
        )
        self._new[str(topic.path)] = (*stamp, topic.id, rows)
        self._changed = True

    def save(self) -> None:
        """Write the entries of this read, if any differ from the file (changed, new, gone)."""
        if self._changed or len(self._new) != len(self._old):
            write_blob(self.path, (self._code, self._new))
