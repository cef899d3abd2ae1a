"""Back/forward history over visited topics and anchors, with scroll positions. No Qt."""

from __future__ import annotations


class Place:
    """A topic, an anchor in it, and how far it was scrolled (updated as the reader scrolls)."""

    __slots__ = ("anchor", "scroll", "topic_id")

    def __init__(self, topic_id: str, anchor: str = "", scroll: int = 0):
        self.topic_id, self.anchor, self.scroll = topic_id, anchor, scroll

    def __repr__(self) -> str:
        return f"Place({self.topic_id!r}, {self.anchor!r}, {self.scroll!r})"


class History:
    def __init__(self, limit: int = 200):
        self.limit = limit
        self._back: list[Place] = []
        self._forward: list[Place] = []
        self.current: Place | None = None

    def visit(self, place: Place) -> None:
        """A new place, reached by a link, the tree or search: forward history is dropped."""
        if self.current is not None:
            if (self.current.topic_id, self.current.anchor) == (place.topic_id, place.anchor):
                return
            self._back.append(self.current)
            del self._back[: -self.limit]
        self._forward.clear()
        self.current = place

    def remember_scroll(self, scroll: int) -> None:
        if self.current is not None:
            self.current.scroll = scroll

    def can_go_back(self) -> bool:
        return bool(self._back)

    def can_go_forward(self) -> bool:
        return bool(self._forward)

    def back(self) -> Place | None:
        if not self._back or self.current is None:
            return None
        self._forward.append(self.current)
        self.current = self._back.pop()
        return self.current

    def forward(self) -> Place | None:
        if not self._forward or self.current is None:
            return None
        self._back.append(self.current)
        self.current = self._forward.pop()
        return self.current

    def forget(self, topic_ids: set[str]) -> None:
        """Drop places whose topics no longer exist (a file was deleted)."""
        self._back = [p for p in self._back if p.topic_id not in topic_ids]
        self._forward = [p for p in self._forward if p.topic_id not in topic_ids]
