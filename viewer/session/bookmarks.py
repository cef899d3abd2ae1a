"""Bookmarks of one library, in the order they were added: topics, and sections of topics. No Qt.

Stored as a JSON list: a topic bookmark is its id (as every earlier version wrote it, so old
lists load and a list saved now still reads in an older version, minus its sections); a
section bookmark is `{"topic": id, "anchor": name, "title": heading}`.
"""

from __future__ import annotations

from typing import NamedTuple


class Bookmark(NamedTuple):
    topic_id: str
    anchor: str = ""  # the section's anchor on the rendered page; "" for the whole topic
    title: str = ""  # the section's heading, as it was when bookmarked

    @property
    def key(self) -> str:
        """One string per bookmark: the topic id, or `id#anchor` for a section."""
        return f"{self.topic_id}#{self.anchor}" if self.anchor else self.topic_id

    def to_json(self) -> str | dict:
        if not self.anchor:
            return self.topic_id
        return {"topic": self.topic_id, "anchor": self.anchor, "title": self.title}

    @staticmethod
    def from_json(value) -> Bookmark | None:
        """A stored entry, or None for anything that is not one (a damaged list loads the rest)."""
        if isinstance(value, str) and value:
            return Bookmark(value)
        if isinstance(value, dict):
            topic, anchor, title = value.get("topic"), value.get("anchor", ""), value.get("title")
            if isinstance(topic, str) and topic and isinstance(anchor, str):
                return Bookmark(topic, anchor, title if isinstance(title, str) else "")
        return None


class Bookmarks:
    def __init__(self, stored: list | None = None):
        self._items: list[Bookmark] = []
        for value in stored or []:
            bookmark = Bookmark.from_json(value)
            if bookmark is not None and self.get(bookmark.key) is None:
                self._items.append(bookmark)

    def __contains__(self, topic_id: str) -> bool:
        """Whether the topic itself (not only a section of it) is bookmarked."""
        return self.get(topic_id) is not None

    def __iter__(self):
        return iter(list(self._items))

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: str) -> Bookmark | None:
        return next((b for b in self._items if b.key == key), None)

    def toggle(self, topic_id: str, anchor: str = "", title: str = "") -> bool:
        """Add or remove a topic (or, with `anchor`, a section); returns whether it is
        bookmarked afterwards."""
        bookmark = Bookmark(topic_id, anchor, title if anchor else "")
        if self.get(bookmark.key) is not None:
            self.remove(bookmark.key)
            return False
        self._items.append(bookmark)
        return True

    def remove(self, key: str) -> None:
        self._items = [b for b in self._items if b.key != key]

    def to_list(self) -> list:
        return [b.to_json() for b in self._items]


def merged(stored, bookmark: Bookmark, added: bool) -> list:
    """The bookmarks as another window may have saved them (`stored`, read just now), with this
    window's one change applied: two windows on one library keep each other's changes."""
    marks = Bookmarks(stored if isinstance(stored, list) else [])
    present = marks.get(bookmark.key) is not None
    if added and not present:
        marks.toggle(bookmark.topic_id, bookmark.anchor, bookmark.title)
    elif not added and present:
        marks.remove(bookmark.key)
    return marks.to_list()
