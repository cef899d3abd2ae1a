"""Turn-taking between the GUI thread and a converting worker (viewer.pages.turns), no Qt."""

from __future__ import annotations

import threading
import time

import pytest

from viewer.pages import turns
from viewer.pages.budget import Deadline, OverBudget
from viewer.pages.turns import TurnGate


class FakeTime:
    """A clock that moves only when the worker naps; `on_nap` plays the GUI thread."""

    def __init__(self):
        self.now = 100.0
        self.naps = 0
        self.on_nap = None

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.naps += 1
        self.now += seconds
        if self.on_nap is not None:
            self.on_nap(self)


def test_no_heartbeat_or_a_fresh_one_never_waits():
    fake = FakeTime()
    gate = TurnGate(fake.clock, fake.sleep)
    assert gate.pause() == 0.0  # nothing converted yet: no heartbeat
    gate.beat()
    fake.now += turns.STALE_SECONDS / 2
    assert gate.pause() == 0.0
    assert fake.naps == 0


def test_a_stale_heartbeat_makes_the_worker_nap_until_the_gui_has_its_turn():
    fake = FakeTime()
    gate = TurnGate(fake.clock, fake.sleep)
    gate.beat()
    fake.now += 0.05  # the GUI thread has not had a turn for 50 ms

    def gui_turn_after_three_naps(f):
        if f.naps == 3:
            gate.beat()

    fake.on_nap = gui_turn_after_three_naps
    waited = gate.pause()
    assert fake.naps == 3
    assert waited == pytest.approx(3 * turns.NAP_SECONDS)


def test_a_heartbeat_that_stopped_mid_wait_releases_the_worker():
    fake = FakeTime()
    gate = TurnGate(fake.clock, fake.sleep)
    gate.beat()
    fake.now += 0.05
    fake.on_nap = lambda f: gate.stop_beating() if f.naps == 2 else None
    gate.pause()
    assert fake.naps == 2


def test_the_worker_never_waits_longer_than_the_longest_pause():
    fake = FakeTime()
    gate = TurnGate(fake.clock, fake.sleep)
    gate.beat()
    fake.now += 1.0  # a heartbeat that never comes back
    waited = gate.pause()
    assert turns.LONGEST_PAUSE <= waited < turns.LONGEST_PAUSE + 2 * turns.NAP_SECONDS


def test_while_the_gui_thread_works_the_worker_waits_for_it():
    gate = TurnGate()
    order: list[str] = []
    inside = threading.Event()

    def gui():
        with gate.working():
            inside.set()
            time.sleep(0.05)
            order.append("gui done")

    thread = threading.Thread(target=gui)
    thread.start()
    inside.wait()
    gate.pause()
    order.append("worker on")
    thread.join()
    assert order == ["gui done", "worker on"]


def test_time_spent_waiting_is_not_charged_to_the_conversion():
    class GateThatWaited:
        def pause(self):
            return 5.0  # the worker waited five seconds for the GUI thread

    deadline = Deadline(1.0, gate=GateThatWaited())
    deadline.end = time.perf_counter() - 0.5  # the budget ran out half a second ago…
    deadline.check()  # …but five seconds of it were spent waiting: still within budget
    spent = Deadline(1.0, gate=None)
    spent.end = time.perf_counter() - 0.5
    with pytest.raises(OverBudget):
        spent.check()
