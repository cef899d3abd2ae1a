"""Turn-taking between the GUI thread and a worker thread that converts Markdown.

Both threads run Python, and only one holds the GIL at a time: every call the GUI thread makes
into Python (a timer, a paint, a slot) waits until the worker's slice ends. A worker that
converts without pause therefore makes the window stutter although the GUI thread has little
to do. So the worker steps aside at its checkpoints (`viewer.pages.budget.Deadline.check`)
while the GUI thread works on something of its own (`working`) and whenever the GUI thread has
not had an event-loop turn for a while (its heartbeat, `beat`, is stale). No Qt here: the GUI
side calls `beat` from a timer of its own.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

STALE_SECONDS = 0.012  # no turn for this long: the GUI thread is waiting for the GIL
LONGEST_PAUSE = 0.25  # a worker never waits longer at one checkpoint (a stopped heartbeat)
NAP_SECONDS = 0.001  # the worker sleeps in naps this long while it waits (the GIL is free)


class TurnGate:
    """Where a worker's conversion waits for the GUI thread (see the module docstring)."""

    def __init__(
        self,
        clock: Callable[[], float] = time.perf_counter,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._free = threading.Event()
        self._free.set()
        self._last_turn: float | None = None  # None: no heartbeat, never stale

    # -- the GUI thread ----------------------------------------------------------------------
    def beat(self) -> None:
        """The GUI thread had a turn of its event loop."""
        self._last_turn = self._clock()

    def stop_beating(self) -> None:
        """No more heartbeats (nothing is being converted): the worker never waits for one."""
        self._last_turn = None

    @contextmanager
    def working(self) -> Iterator[None]:
        """The GUI thread does something of its own (appends a piece): the worker waits."""
        self._free.clear()
        try:
            yield
        finally:
            self._free.set()

    # -- the worker thread -------------------------------------------------------------------
    def pause(self) -> float:
        """Wait while the GUI thread works or misses its turns; the seconds waited."""
        last = self._last_turn
        if self._free.is_set() and (last is None or self._clock() - last <= STALE_SECONDS):
            return 0.0
        start = self._clock()
        self._free.wait(LONGEST_PAUSE)
        while True:
            last = self._last_turn
            now = self._clock()
            if last is None or now - last <= STALE_SECONDS or now - start >= LONGEST_PAUSE:
                return now - start
            self._sleep(NAP_SECONDS)
