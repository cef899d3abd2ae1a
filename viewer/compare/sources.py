"""The sourcing rule for comparison cells, which `cloudref --check` enforces.

Every cell says where its value comes from (`source` and the date it was `checked`) or says
that it needs no source (`definition = true`), and a `checked` date goes stale after the
library's `source_max_age_months` (in `library.toml`, default 12). The rule is an author's
concern, so only the library check applies it: the viewer never shows these warnings, and its
cached pages never depend on today's date. No Qt.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import sys
from pathlib import Path

from viewer.compare.tables import Cell, ComparisonData
from viewer.library.folder import CONFIG_NAME
from viewer.library.problems import Problem

DEFAULT_MAX_AGE_MONTHS = 12
MAX_AGE_KEY = "source_max_age_months"
NO_SOURCE = "cell has no source (add source and checked, or definition = true)"


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months earlier (the month's last day where it is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def max_age_months(root: Path) -> tuple[int, list[Problem]]:
    """`source_max_age_months` from the library's `library.toml`, with any problem in it.

    The library reports a broken `library.toml` itself, so a file that cannot be read or
    parsed here only means the default applies.
    """
    path = root / CONFIG_NAME
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    try:
        text = path.read_text(encoding="utf-8")
        config = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return DEFAULT_MAX_AGE_MONTHS, []
    if MAX_AGE_KEY not in config:
        return DEFAULT_MAX_AGE_MONTHS, []
    value = config[MAX_AGE_KEY]
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value, []
    match = re.search(rf"^\s*{MAX_AGE_KEY}\s*=", text, re.MULTILINE)
    line = text.count("\n", 0, match.start()) + 1 if match else 1
    message = (
        f"{MAX_AGE_KEY} should be a whole number of months, at least 1; "
        f"using {DEFAULT_MAX_AGE_MONTHS}"
    )
    return DEFAULT_MAX_AGE_MONTHS, [Problem(path, line, "warning", message)]


def _checked_date(cell: Cell) -> dt.date | None:
    try:
        return dt.date.fromisoformat(cell.checked)
    except ValueError:
        return None  # the loader has already said the date is malformed


def cell_problem(cell: Cell, max_age: int, today: dt.date) -> str | None:
    """What is wrong with one cell's sourcing, or None."""
    if not cell.source:
        return None if cell.definition else NO_SOURCE
    if not cell.checked:
        return "cell's source has no checked date"
    checked = _checked_date(cell)
    if checked is None:
        return None
    if checked > today:
        return f"checked {cell.checked} is in the future"
    if checked < months_before(today, max_age):
        return f"checked {cell.checked}, more than {max_age} months ago"
    return None


def source_problems(
    data: ComparisonData, max_age: int = DEFAULT_MAX_AGE_MONTHS, today: dt.date | None = None
) -> list[Problem]:
    """A warning for every cell that breaks the sourcing rule, at the line it is written on."""
    today = today or dt.date.today()
    problems = []
    for cset in data.sets:
        for (attribute_id, subject_id), cell in cset.cells.items():
            message = cell_problem(cell, max_age, today)
            if message is not None:
                text = f"{attribute_id}/{subject_id}: {message}"
                problems.append(Problem(cset.path, cell.line or 1, "warning", text))
    return problems
