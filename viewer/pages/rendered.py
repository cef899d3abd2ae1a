"""A rendered page, as the renderer makes it and the page cache keeps it. No Qt here.

Its own small module so that a start which shows a cached page loads no rendering code.
"""

from __future__ import annotations

from typing import NamedTuple

from viewer.library.problems import Problem

PROGRESSIVE_BYTES = 96_000  # topics larger than this are shown piece by piece


class RenderedPage(NamedTuple):
    topic_id: str
    title: str
    html: str
    headings: list[tuple[int, str, str]] | tuple = ()  # (level, anchor, text)
    problems: list[Problem] | tuple = ()
