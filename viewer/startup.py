"""Start-up timings: `cloudref --startup-report` prints them once the first page is painted.

The phases are marked where they end (`mark`), as seconds on `time.perf_counter`, and printed
as milliseconds since the process started. Nothing here imports Qt at module level: `mark` is
called on the normal start-up path and must cost nothing.

Output, one line per phase, then the line `bench/run.py` waits for:

    startup: imports <milliseconds> ms
    ...
    startup: first paint <milliseconds> ms
"""

from __future__ import annotations

import sys
import time

# Phase name -> perf_counter when it ended; the first mark of a name wins.
MARKS: dict[str, float] = {}
ORDER = (
    "imports",
    "application",
    "library open",
    "window built",
    "first page rendered",
    "shown",
    "first paint",
)
PAINTED = "first paint"


def mark(name: str) -> None:
    MARKS.setdefault(name, time.perf_counter())


def report_lines(start: float) -> list[str]:
    names = [n for n in ORDER if n in MARKS] + sorted(n for n in MARKS if n not in ORDER)
    names.sort(key=lambda n: MARKS[n])
    return [f"startup: {name} {1000 * (MARKS[name] - start):.1f} ms" for name in names]


def report_json(start: float) -> str:
    import json

    return json.dumps(
        {
            name: round(1000 * (t - start), 2)
            for name, t in sorted(MARKS.items(), key=lambda kv: kv[1])
        }
    )


def report_when_painted(window, start: float) -> None:
    """Once the window's first screen is painted, print the phases and quit (status 0).

    Call it before anything else connects to `window.first_painted` (which the window emits
    in the event loop's turn after its page's first paint, as `bench/baseline.py` reports its
    own): the report times that moment, not the work that waits for it.
    """
    from PySide6.QtWidgets import QApplication

    def _report() -> None:
        mark(PAINTED)
        out = sys.stdout
        for line in report_lines(start):
            out.write(line + "\n")
        out.flush()  # now: whoever waits for the "first paint" line need not wait for JSON too
        out.write("startup-json: " + report_json(start) + "\n")
        out.flush()
        QApplication.instance().quit()

    window.first_painted.connect(_report)
