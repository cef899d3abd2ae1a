"""When a card comes back: the FSRS algorithm, from the maintained `fsrs` package.

We do not schedule anything ourselves. This module only turns our grades into `fsrs.Rating`s
and the package's `Card` into the plain JSON text the review store keeps, so the store does
not import `fsrs` and an `fsrs` upgrade that adds fields keeps reading old rows.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import NamedTuple

from fsrs import Card, Rating, Scheduler, State

GRADES = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}


class Outcome(NamedTuple):
    """A card's state after a grade."""

    state: str  # fsrs Card as JSON
    due: float  # POSIX seconds
    stability: float


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class Schedule:
    """FSRS with its default parameters and a desired retention of 90 %."""

    def __init__(self, *, fuzz: bool = True) -> None:
        # Fuzz spreads reviews made on one day over nearby days, as Anki does.
        self._scheduler = Scheduler(enable_fuzzing=fuzz)

    def grade(self, state: str | None, grade: int, when: dt.datetime | None = None) -> Outcome:
        """The state after grading a card (`state` None: its first review) 1–4."""
        if grade not in GRADES:
            raise ValueError(f"grade must be 1–4, not {grade!r}")
        when = when or now()
        # card_id=0: fsrs otherwise makes one from the clock and sleeps 1 ms to keep them apart.
        card = Card.from_dict(json.loads(state)) if state else Card(card_id=0, due=when)
        card, _log = self._scheduler.review_card(card, Rating(grade), when)
        return Outcome(json.dumps(card.to_dict()), card.due.timestamp(), card.stability or 0.0)

    def retrievability(self, state: str, when: dt.datetime | None = None) -> float:
        """The chance of recalling the card now, by FSRS's forgetting curve."""
        card = Card.from_dict(json.loads(state))
        return self._scheduler.get_card_retrievability(card, when or now())


def is_learning(state: str) -> bool:
    return Card.from_dict(json.loads(state)).state != State.Review
