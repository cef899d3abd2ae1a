"""Code spans found in one pass: Python-Markdown's backtick pattern with a linear search.

Python-Markdown's `BacktickInlineProcessor.find_code_spans` reads from each opening run of
backticks to the end of the block for a run as long (else for the longest shorter one). An
opener that nothing closes therefore reads the whole rest of the block, and a block of such
openers (a line like `` \\`` `` repeated) costs its length squared: seconds for a few dozen
kilobytes. This processor gives exactly the same answers from an index of the block's backtick
runs, built once per block text: the runs of each length, and the longest run from each run
on. The text only changes when a code span is made (it is then rebuilt anyway), so an opener
that nothing closes costs a lookup.
"""

from __future__ import annotations

import bisect
import re

from markdown.extensions import Extension
from markdown.inlinepatterns import BACKTICK_RE, BacktickInlineProcessor

_RUNS = re.compile("`+")


class RunIndex:
    """The backtick runs of one text, for `find_code_spans`'s questions. No Markdown here."""

    def __init__(self, text: str):
        self.starts: list[int] = []
        self.lengths: list[int] = []
        for match in _RUNS.finditer(text):
            self.starts.append(match.start())
            self.lengths.append(match.end() - match.start())
        self.by_length: dict[int, list[int]] = {}
        for start, length in zip(self.starts, self.lengths):
            self.by_length.setdefault(length, []).append(start)
        # From run i on: the longest run's length and the index of its first occurrence.
        self.longest_from: list[tuple[int, int]] = [(0, -1)] * (len(self.starts) + 1)
        for index in range(len(self.starts) - 1, -1, -1):
            best = self.longest_from[index + 1]
            length = self.lengths[index]
            self.longest_from[index] = (length, index) if length >= best[0] else best

    def find_code_spans(self, start: int, text: str) -> tuple[int, int | None]:
        """What `BacktickInlineProcessor.find_code_spans(start, text)` returns."""
        last = len(text)
        max_ticks = 0
        while start < last and text[start] == "`":
            max_ticks += 1
            start += 1
        same = self.by_length.get(max_ticks, [])
        found = bisect.bisect_left(same, start)
        if max_ticks and found < len(same):
            return start, same[found]
        longest, where = self.longest_from[bisect.bisect_left(self.starts, start)]
        if 0 < longest < max_ticks:
            return start - (max_ticks - longest), self.starts[where]
        return start + max_ticks, None


class LinearBacktickProcessor(BacktickInlineProcessor):
    """Python-Markdown's code spans, each opener answered from a `RunIndex`.

    When a code span is made, Markdown puts a placeholder in its place and searches on from
    there: what follows is the same text as before, moved. So the index is kept while the
    rest of the text (from the opener on) is the end of the text it was built for, and its
    answers are moved by the difference in length; it is built again only for another block.
    """

    def __init__(self, pattern: str = BACKTICK_RE):
        super().__init__(pattern)
        self._text = ""
        self._index: RunIndex | None = None

    def find_code_spans(self, start: int, text: str) -> tuple[int, int | None]:
        if self._index is None or not (text is self._text or self._text.endswith(text[start:])):
            self._text, self._index = text, RunIndex(text)
        shift = len(text) - len(self._text)
        found, end = self._index.find_code_spans(start - shift, self._text)
        return found + shift, None if end is None else end + shift


class LinearCodeSpans(Extension):
    """Puts `LinearBacktickProcessor` in the place of Python-Markdown's own."""

    def extendMarkdown(self, md) -> None:  # noqa: N802 - Markdown's API
        md.inlinePatterns.register(LinearBacktickProcessor(), "backtick", BACKTICK_PRIORITY)


BACKTICK_PRIORITY = 190  # Python-Markdown's own for its backtick pattern: first of its inlines
