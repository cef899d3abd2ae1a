"""The review log: one SQLite file per library in the user's data folder.

Two tables: `cards` (each reviewed card's FSRS state, its due time and the answer it was learnt
with) and `reviews` (every grade, kept for progress). Each grade is one transaction that reads
the card's state and writes the new one (`BEGIN IMMEDIATE`), and the file is in WAL mode with a
busy timeout, so two windows grading at once wait for each other instead of losing a review or
corrupting the file; synchronous=NORMAL, WAL's usual setting, so a grade does not wait for
the disk. A file that is not a database, or fails SQLite's quick check, is renamed
aside (`….damaged-TIME`) with a message for the status bar, and a fresh one started. A folder
that cannot be written keeps the log in memory for this run, and says so. No Qt.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from viewer.library.cache import library_slug
from viewer.study.cards import StudyCard
from viewer.study.schedule import Schedule

SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS cards (
    id TEXT PRIMARY KEY,
    answer_key TEXT NOT NULL,
    state TEXT NOT NULL,
    due REAL NOT NULL,
    reps INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS reviews (
    id INTEGER PRIMARY KEY,
    card_id TEXT NOT NULL,
    grade INTEGER NOT NULL,
    reviewed REAL NOT NULL,
    first INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS reviews_card ON reviews(card_id);
"""


def data_dir() -> Path:
    """The per-user data folder, as QStandardPaths.AppDataLocation gives it (no Qt here)."""
    if sys.platform.startswith("win"):
        base = os.environ.get("APPDATA") or str(Path.home() / "AppData" / "Roaming")
        return Path(base) / "Cloudref"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "Cloudref"
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "cloudref"


def store_path(library_root: Path) -> Path:
    return data_dir() / "study" / f"{library_slug(library_root)}.sqlite3"


class Review(NamedTuple):
    card_id: str
    grade: int
    reviewed: float
    first: bool


class ReviewStore:
    """A library's review log. `problem()` says what went wrong opening it, if anything."""

    def __init__(self, path: Path | None, schedule: Schedule | None = None):
        self.path = path
        self.schedule = schedule or Schedule()
        self._problem = ""
        self._db = self._open()

    @classmethod
    def for_library(cls, library_root: Path, schedule: Schedule | None = None) -> ReviewStore:
        return cls(store_path(library_root), schedule)

    def problem(self) -> str:
        return self._problem

    # -- opening -------------------------------------------------------------------------
    def _open(self) -> sqlite3.Connection:
        if self.path is None:
            return self._memory()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self._problem = (
                f"Study progress cannot be saved ({exc.strerror or exc}): kept until you quit"
            )
            return self._memory()
        try:
            return self._connect()
        except sqlite3.OperationalError as exc:  # locked, read-only, …: not damage
            self._problem = f"Study progress cannot be saved ({exc}): kept until you quit"
            return self._memory()
        except sqlite3.DatabaseError as exc:  # not a database, malformed, failed quick check
            aside = self._set_aside()
            self._problem = (
                f"The study log was damaged ({exc}); it was set aside as {aside.name}"
                " and a new one started"
            )
        try:
            return self._connect()
        except sqlite3.Error as exc:
            self._problem = f"Study progress cannot be saved ({exc}): kept until you quit"
            return self._memory()

    def _connect(self) -> sqlite3.Connection:
        # Opened on a worker thread and then used by the GUI thread alone: handed over, not
        # shared, which is what `check_same_thread` would forbid.
        db = sqlite3.connect(self.path, timeout=10.0, isolation_level=None, check_same_thread=False)
        try:
            if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("quick check failed")
            db.execute("PRAGMA journal_mode=WAL")
            # In WAL mode NORMAL still keeps the file whole; a power cut (not a crash) may lose
            # the last grades, and no grade waits for the disk to sync.
            db.execute("PRAGMA synchronous=NORMAL")
            self._create(db)
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def _memory(self) -> sqlite3.Connection:
        db = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        self._create(db)
        return db

    @staticmethod
    def _create(db: sqlite3.Connection) -> None:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise sqlite3.DatabaseError(f"written by a newer Cloudref (schema {version})")
        # One transaction: a second window creating the same file waits, then finds it made.
        db.executescript(f"BEGIN IMMEDIATE;{_SCHEMA}PRAGMA user_version={SCHEMA_VERSION};COMMIT;")

    def _set_aside(self) -> Path:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
        for suffix in ("", "-wal", "-shm"):
            source = Path(f"{self.path}{suffix}")
            if source.exists():
                try:
                    os.replace(source, Path(f"{aside}{suffix}"))
                except OSError:
                    source.unlink(missing_ok=True)
        return aside

    def close(self) -> None:
        self._db.close()

    # -- reading -------------------------------------------------------------------------
    def due_times(self) -> dict[str, tuple[float, str]]:
        """Every reviewed card: id -> (due time, the answer key it was learnt with)."""
        return {
            row[0]: (row[1], row[2])
            for row in self._db.execute("SELECT id, due, answer_key FROM cards")
        }

    def state(self, card_id: str) -> str | None:
        row = self._db.execute("SELECT state FROM cards WHERE id = ?", (card_id,)).fetchone()
        return row[0] if row else None

    def reviews(self) -> list[Review]:
        rows = self._db.execute("SELECT card_id, grade, reviewed, first FROM reviews ORDER BY id")
        return [Review(r[0], r[1], r[2], bool(r[3])) for r in rows]

    # -- writing -------------------------------------------------------------------------
    def sync(self, cards: Iterable[StudyCard]) -> list[str]:
        """Reset the cards whose answer changed since they were learnt; their ids."""
        known = self.due_times()
        changed = [c.id for c in cards if c.id in known and known[c.id][1] != c.answer_key]
        if changed:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.executemany("DELETE FROM cards WHERE id = ?", [(i,) for i in changed])
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return changed

    def grade(self, card: StudyCard, grade: int, when: float | None = None) -> float:
        """Record a grade (1–4) and return the card's next due time (POSIX seconds).

        The state is read inside the write transaction, so a grade given in another window
        meanwhile is built on, not overwritten. A card whose answer changed starts afresh.
        """
        import datetime as dt

        moment = dt.datetime.fromtimestamp(
            when if when is not None else time.time(), dt.timezone.utc
        )
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            row = db.execute(
                "SELECT state, answer_key, reps FROM cards WHERE id = ?", (card.id,)
            ).fetchone()
            state, reps = (row[0], row[2]) if row and row[1] == card.answer_key else (None, 0)
            outcome = self.schedule.grade(state, grade, moment)
            db.execute(
                "INSERT OR REPLACE INTO cards (id, answer_key, state, due, reps)"
                " VALUES (?, ?, ?, ?, ?)",
                (card.id, card.answer_key, outcome.state, outcome.due, reps + 1),
            )
            db.execute(
                "INSERT INTO reviews (card_id, grade, reviewed, first) VALUES (?, ?, ?, ?)",
                (card.id, grade, moment.timestamp(), int(state is None)),
            )
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        return outcome.due
