"""Bookmarked topics of one library, in the order they were added. No Qt."""

from __future__ import annotations


class Bookmarks:
    def __init__(self, topic_ids: list[str] | None = None):
        self._ids: list[str] = []
        for topic_id in topic_ids or []:
            if isinstance(topic_id, str) and topic_id not in self._ids:
                self._ids.append(topic_id)

    def __contains__(self, topic_id: str) -> bool:
        return topic_id in self._ids

    def __iter__(self):
        return iter(list(self._ids))

    def __len__(self) -> int:
        return len(self._ids)

    def toggle(self, topic_id: str) -> bool:
        """Add or remove; returns whether the topic is bookmarked afterwards."""
        if topic_id in self._ids:
            self._ids.remove(topic_id)
            return False
        self._ids.append(topic_id)
        return True

    def remove(self, topic_id: str) -> None:
        if topic_id in self._ids:
            self._ids.remove(topic_id)

    def to_list(self) -> list[str]:
        return list(self._ids)
