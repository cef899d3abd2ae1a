"""What to study now: the cards of a deck that are due, in order, and each deck's progress.

Joins the library's cards (`cards.CardSet`) with the review log (`store.ReviewStore`): a card
the log has never seen, or learnt with another answer, is new and due at once. Due cards come
oldest first, then new cards in library order. Kept in memory after one read of the log, so
counting and choosing the next card never touch the disk; grading writes through. No Qt.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import NamedTuple

from viewer.study.cards import CardSet, StudyCard
from viewer.study.store import Review, ReviewStore

FORECAST_DAYS = 14


class Progress(NamedTuple):
    """One deck's figures."""

    total: int
    new: int  # never reviewed (or reset)
    due_today: int  # due before the end of today, new cards included
    forecast: list[int]  # reviews falling due on each of the next FORECAST_DAYS days
    retention: float | None  # share of repeat reviews not graded Again; None before any
    reviews: int


def _end_of_day(now: float, days: int = 0) -> float:
    day = dt.datetime.fromtimestamp(now).date() + dt.timedelta(days=days + 1)
    return dt.datetime.combine(day, dt.time()).timestamp()


class StudyDeck:
    """A library's cards with their due times."""

    def __init__(self, cards: CardSet, store: ReviewStore):
        self.cards = cards
        self.store = store
        store.sync(cards.cards)  # an edited answer starts that card afresh
        self._due: dict[str, float] = {}
        for card_id, (due, key) in store.due_times().items():
            card = cards.by_id.get(card_id)
            if card is not None and card.answer_key == key:
                self._due[card_id] = due
        self._reviews: list[Review] = store.reviews()  # kept in step by `grade`

    def due_time(self, card: StudyCard) -> float | None:
        """When the card is due; None if it is new."""
        return self._due.get(card.id)

    def queue(
        self, deck: str = "", now: float | None = None, *, practise: bool = False
    ) -> list[StudyCard]:
        """The cards to review now: due ones, oldest first, then new ones.

        `practise`: every card of the deck, the schedule notwithstanding (due ones still first).
        """
        now = time.time() if now is None else now
        due = self._due
        old: list[tuple[float, int, StudyCard]] = []
        new: list[StudyCard] = []
        later: list[tuple[float, int, StudyCard]] = []
        for index, card in enumerate(self.cards.deck(deck)):
            when = due.get(card.id)
            if when is None:
                new.append(card)
            elif when <= now:
                old.append((when, index, card))
            elif practise:
                later.append((when, index, card))
        old.sort(key=lambda item: item[:2])
        later.sort(key=lambda item: item[:2])
        return [c for *_, c in old] + new + [c for *_, c in later]

    def due_count(self, deck: str = "", now: float | None = None) -> int:
        now = time.time() if now is None else now
        due = self._due
        if not deck:  # every card: new ones counted, not visited (`_due` holds present ones)
            return len(self.cards.cards) - len(due) + sum(1 for when in due.values() if when <= now)
        return sum(1 for card in self.cards.deck(deck) if due.get(card.id, now) <= now)

    def grade(self, card: StudyCard, grade: int, now: float | None = None) -> float:
        """Record a grade 1–4 (Again, Hard, Good, Easy); the card's next due time."""
        first = card.id not in self._due
        due = self.store.grade(card, grade, now)
        self._reviews.append(Review(card.id, grade, time.time() if now is None else now, first))
        self._due[card.id] = due
        return due

    def progress(self, deck: str = "", now: float | None = None) -> Progress:
        now = time.time() if now is None else now
        cards = self.cards.deck(deck)
        today = _end_of_day(now)
        ends = [_end_of_day(now, day) for day in range(1, FORECAST_DAYS + 1)]
        forecast = [0] * FORECAST_DAYS
        if deck:
            times = [when for card in cards if (when := self._due.get(card.id)) is not None]
        else:  # every card: only the reviewed ones need looking at
            times = list(self._due.values())
        new = len(cards) - len(times)
        due_today = new
        for when in times:
            if when < today:
                due_today += 1
            elif when < ends[-1]:
                forecast[next(i for i, end in enumerate(ends) if when < end)] += 1
        ids = {card.id for card in cards} if deck else self.cards.by_id  # not removed cards'
        mine = [r for r in self._reviews if r.card_id in ids]
        repeats = [r for r in mine if not r.first]
        retention = sum(r.grade > 1 for r in repeats) / len(repeats) if repeats else None
        return Progress(len(cards), new, due_today, forecast, retention, len(mine))
