"""A rendered page, as the renderer makes it and the page cache keeps it. No Qt here.

Its own small module so that a start which shows a cached page loads no rendering code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .problems import Problem

PROGRESSIVE_BYTES = 96_000  # topics larger than this are shown piece by piece


@dataclass
class RenderedPage:
    topic_id: str
    title: str
    html: str
    headings: list[tuple[int, str, str]] = field(default_factory=list)  # (level, anchor, text)
    problems: list[Problem] = field(default_factory=list)
