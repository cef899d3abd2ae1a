"""What one topic may cost to render, check or index, and the pre-scan that keeps it linear.

Python-Markdown's inline patterns look ahead from every `[`, `![`, `(` and `<` for the mark
that closes it; on text where none does (`[a](b ` thirty thousand times, a run of `[`), every
opener scans the rest of the block and the work grows with the square of the input. Deeply
nested lists cost more than that. So before Markdown sees a topic, `prepare`:

- refuses a topic whose lines are too long or too deeply nested (`OverBudget`, with the line
  and the reason: the page becomes an error page, `--check` reports it);
- cuts a paragraph longer than MAX_PARAGRAPH_CHARS at line ends into paragraphs of about that
  size (Python-Markdown rebuilds a block's text for each inline match);
- escapes, in one pass over each paragraph (each piece of a cut one), every opener that has no
  closer in the same paragraph, and brackets nested deeper than any real link needs. Escaped
  openers read the same on the page; they only cannot start a link any more.

`Deadline` is the backstop for what is left: the converter checks it between blocks and
between inline patterns, and gives up with `OverBudget` when the topic's time is spent. The
same checks are where a conversion on a worker thread pauses while the GUI thread is busy.
No Qt here.
"""

from __future__ import annotations

import bisect
import operator
import re
import time
from collections import Counter
from itertools import accumulate

MAX_LINE_CHARS = 20_000
MAX_INDENT_COLUMNS = 160  # about forty levels of list nesting
MAX_QUOTE_DEPTH = 32
MAX_PARAGRAPH_CHARS = 8_000  # longer plain paragraphs are cut at line ends (see _flush)
MAX_SAME_HEADINGS = 1000  # headings with one text: each new one counts up past the others' ids
MAX_FENCED_BLOCKS = 1000  # fenced_code rebuilds the whole text for each block it finds
MAX_ABBREVIATIONS = 200  # each one is looked for in every text of the page
MAX_BRACKET_DEPTH = 8  # `[` inside `[` inside … deeper than this cannot start a link
RENDER_SECONDS = 5.0  # one topic, on screen, on paper or in the check …
SECONDS_PER_CHAR = 10 / 1_000_000  # … and ten seconds more per million characters

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# fenced_code's own opening and closing lines (FENCED_BLOCK_RE): at the line start, exactly.
_FENCE_OPEN = re.compile(
    r"^(`{3,}|~{3,})[ ]*(?:\{[^\n]*\}|\.?[\w#.+-]*[ ]*)?(?:hl_lines=(\"|')[^\n]*?\2[ ]*)?$"
)
_FENCE_CLOSE = re.compile(r"^(`{3,}|~{3,})[ ]*$")
_QUOTES = re.compile(r"^(?:[ \t]{0,3}>)+")
_ABBREVIATION = re.compile(r"^ {0,3}\*\[[^\]\n]+\]:")


class OverBudget(Exception):
    """A topic that would cost more than its budget. `line` is 1-based within the text."""

    def __init__(self, reason: str, line: int = 1):
        super().__init__(reason)
        self.reason = reason
        self.line = line


def prepare(text: str) -> str:
    """`text` ready for Markdown: openers without closers escaped. Raises OverBudget."""
    lines = text.split("\n")
    _check_abbreviations(text, lines)
    _check_headings(text, lines)
    out: list[str] = []
    paragraph: list[str] = []
    fence = ""
    # Python-Markdown's fenced_code looks from each opening fence to the end of the text for
    # its closing one: an opener that nothing closes is escaped, and only a fence it would see
    # (same marks, an info string it accepts, a closer below) is left unneutralised.
    closers: dict[str, list[int]] = {}
    blocks = 0
    for index, line in enumerate(lines):
        if line[:3] in ("```", "~~~") and (closing := _FENCE_CLOSE.match(line)):
            closers.setdefault(closing.group(1), []).append(index)
    for number, line in enumerate(lines, 1):
        if len(line) > MAX_LINE_CHARS:
            raise OverBudget(
                f"line {number} is {len(line):,} characters long (the limit is {MAX_LINE_CHARS:,})",
                number,
            )
        if fence:
            closing = _FENCE_CLOSE.match(line) if line[:3] in ("```", "~~~") else None
            if closing and closing.group(1) == fence:
                fence = ""
            out.append(line)
            continue
        _check_nesting(line, number)
        opening = _FENCE_OPEN.match(line) if line[:3] in ("```", "~~~") else None
        if opening:
            later = closers.get(opening.group(1), [])
            if bisect.bisect_right(later, number - 1) < len(later):
                blocks += 1
                if blocks > MAX_FENCED_BLOCKS:
                    raise OverBudget(
                        f"more than {MAX_FENCED_BLOCKS:,} fenced code blocks (line {number})",
                        number,
                    )
                out.extend(_flush(paragraph))
                paragraph = []
                fence = opening.group(1)
                out.append(line)
                continue
            line = "\\" + line  # never closed: text, not a fence
        if not line.strip():
            out.extend(_flush(paragraph))
            paragraph = []
            out.append(line)
        else:
            paragraph.append(line)
    out.extend(_flush(paragraph))
    return "\n".join(out)


def _flush(paragraph: list[str]) -> list[str]:
    """A paragraph, neutralised. Python-Markdown rebuilds a block's whole text for each inline
    match, so a long block is cut into several before lines that start a paragraph of their
    own (no table rows, no indented or HTML lines): the words read the same, and each piece
    costs its own length. The cut comes first and each piece is neutralised once, on its own:
    pairs the cut parts are openers there, and every character is scanned once, cut or not."""
    if sum(map(len, paragraph)) <= MAX_PARAGRAPH_CHARS:
        return neutralise(paragraph)
    out: list[str] = []
    start = 0
    for cut in _cuts(paragraph):
        out.extend(neutralise(paragraph[start:cut]))
        out.append("")
        start = cut
    out.extend(neutralise(paragraph[start:]))
    return out


def _cuts(paragraph: list[str]) -> list[int]:
    """Where a long paragraph is cut: before the first line that starts a paragraph once the
    piece above it holds MAX_PARAGRAPH_CHARS (newlines counted). Found by bisection on the
    lines' end offsets, so a paragraph of many short lines is not walked line by line."""
    text = "\n".join(paragraph)
    if not _starts_paragraph(paragraph[0], text, 0):
        return []
    # ends[i]: the offset just past line i's newline, where line i + 1 starts
    ends = list(map(operator.add, accumulate(map(len, paragraph)), range(1, len(paragraph) + 1)))
    cuts: list[int] = []
    first = 0  # the current piece's first line
    while True:
        line = bisect.bisect_left(ends, (ends[first - 1] if first else 0) + MAX_PARAGRAPH_CHARS)
        line += 1  # the first line below a full piece
        while line < len(paragraph) and not _starts_paragraph(
            paragraph[line], text, ends[line - 1]
        ):
            line += 1
        if line >= len(paragraph):
            return cuts
        cuts.append(line)
        first = line


def _starts_paragraph(line: str, text: str, offset: int) -> bool:
    """Whether `line`, at `offset` in the paragraph's `text`, may begin a paragraph of its own
    once neutralised: a line opening with a tag-like `<` does when `neutralise` writes it
    `&lt;` (no `>` before the next `<`), which it does in any piece that line begins."""
    if line[:1] == "<":
        return _unclosed_tag(text, offset)
    return (
        bool(line) and not line[0].isspace() and line[0] not in "|=-" and "|" not in line
    ) or line.startswith("&lt;")


def _unclosed_tag(text: str, index: int) -> bool:
    """The `<` at `index` looks like a tag and no `>` follows it before the next `<`."""
    after = text[index + 1 : index + 2]
    if not after or not (after.isalpha() or after in "/!?"):
        return False
    following = text.find("<", index + 1)
    return text.find(">", index + 1, following if following >= 0 else len(text)) < 0


def _check_headings(text: str, lines: list[str]) -> None:
    if text.count("#") <= MAX_SAME_HEADINGS:
        return
    seen: Counter = Counter()
    for number, line in enumerate(lines, 1):
        if line[:1] == "#" or line[:4].lstrip()[:1] == "#":
            name = line.strip().strip("#").strip()
            seen[name] += 1
            if seen[name] > MAX_SAME_HEADINGS:
                raise OverBudget(
                    f"more than {MAX_SAME_HEADINGS} headings read {name!r} (line {number})",
                    number,
                )


def _check_abbreviations(text: str, lines: list[str]) -> None:
    if text.count("*[") > MAX_ABBREVIATIONS:
        numbers = [n for n, line in enumerate(lines, 1) if _ABBREVIATION.match(line)]
        if len(numbers) > MAX_ABBREVIATIONS:
            raise OverBudget(
                f"{len(numbers):,} abbreviations are defined (the limit is {MAX_ABBREVIATIONS})",
                numbers[MAX_ABBREVIATIONS],
            )


def check(text: str) -> None:
    """Raise OverBudget if `text` breaks a limit, without preparing it: a quick look at each
    line, for a long topic that is prepared piece by piece on a worker thread."""
    fence = ""
    lines = text.split("\n")
    _check_abbreviations(text, lines)
    _check_headings(text, lines)
    for number, line in enumerate(lines, 1):
        if len(line) > MAX_LINE_CHARS:
            raise OverBudget(
                f"line {number} is {len(line):,} characters long (the limit is {MAX_LINE_CHARS:,})",
                number,
            )
        if line[:4].strip()[:1] in ("`", "~"):
            match = _FENCE.match(line)
            if match and not fence:
                fence = match.group(1)
                continue
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = ""
                continue
        if not fence and line[:1] in (" ", "\t", ">"):
            _check_nesting(line, number)


def _check_nesting(line: str, number: int) -> None:
    stripped = line.lstrip(" \t")
    indent = len(line) - len(stripped)
    if indent > MAX_INDENT_COLUMNS // 4:  # tabs count four: measure only when it may matter
        columns = len(line[:indent].expandtabs(4))
        if columns > MAX_INDENT_COLUMNS and stripped:
            raise OverBudget(
                f"line {number} is indented {columns:,} columns, nested too deeply "
                f"(the limit is {MAX_INDENT_COLUMNS})",
                number,
            )
    if stripped.startswith(">"):
        quotes = _QUOTES.match(line)
        depth = quotes.group(0).count(">") if quotes else 0
        if depth > MAX_QUOTE_DEPTH:
            raise OverBudget(
                f"line {number} is quoted {depth:,} levels deep (the limit is {MAX_QUOTE_DEPTH})",
                number,
            )


_OPENERS = {"[": "]", "(": ")"}
_SPECIAL = re.compile(r"`+|\\|[\[\]()<]")


def neutralise(lines: list[str]) -> list[str]:
    """One paragraph's lines with every `[`, `(` and `<` that nothing closes escaped (`<` as
    `&lt;`), and `[`
    nested deeper than MAX_BRACKET_DEPTH escaped. Linear: one pass with a stack per kind."""
    if not lines:
        return []
    text = "\n".join(lines)
    if "[" not in text and "(" not in text and "<" not in text:
        return lines
    escape: set[int] = set()
    stacks: dict[str, list[int]] = {"[": [], "(": []}
    closers = {"]": "[", ")": "("}
    greater = [m.start() for m in re.finditer(">", text)]
    remaining = Counter(len(m.group(0)) for m in re.finditer("`+", text))
    code_run = 0  # inside a code span opened by this many backticks: nothing there is Markdown
    skip_to = -1
    for match in _SPECIAL.finditer(text):
        index = match.start()
        token = match.group(0)
        if index < skip_to and token != "<":  # a backslash does not stop the HTML parser
            continue
        if token[0] == "`":
            size = len(token)
            remaining[size] -= 1
            if code_run == 0 and remaining[size] > 0:
                code_run = size  # a span only if a run as long closes it later
            elif code_run == size:
                code_run = 0
            continue
        if token == "<":
            # Python-Markdown's HTML block parser reads the text before code spans count, and
            # looks ahead from each tag-like `<` to its `>`: one with no `>` before the next
            # `<` is written `&lt;` (inside a code span too, where it then shows as `&lt;`).
            if index + 1 < len(text) and (text[index + 1].isalpha() or text[index + 1] in "/!?"):
                after = bisect.bisect_left(greater, index)
                close = greater[after] if after < len(greater) else len(text)
                if close == len(text) or text.find("<", index + 1, close) >= 0:
                    escape.add(index)
            continue
        if code_run:
            continue
        if token == "\\":
            skip_to = index + 2
            continue
        if token in _OPENERS:
            stack = stacks[token]
            if token == "[" and len(stack) >= MAX_BRACKET_DEPTH:
                escape.add(index)
            else:
                stack.append(index)
        elif token in closers:
            stack = stacks[closers[token]]
            if stack:
                stack.pop()
    for stack in stacks.values():
        escape.update(stack)
    if not escape:
        return lines
    pieces, start = [], 0
    for position in sorted(escape):
        pieces.append(text[start:position])
        if text[position] == "<":  # the HTML block parser reads before backslashes count
            pieces.append("&lt;")
            start = position + 1
        else:
            pieces.append("\\")
            start = position
    pieces.append(text[start:])
    return "".join(pieces).split("\n")


class Deadline:
    """The time one conversion may take; `check()` raises OverBudget once it is spent."""

    def __init__(self, seconds: float | None = RENDER_SECONDS, gate=None):
        self.seconds = seconds
        self.end = None if seconds is None else time.perf_counter() + seconds
        self.gate = gate  # a viewer.pages.turns.TurnGate: a worker's conversion waits there

    def check(self) -> None:
        if self.gate is not None:
            waited = self.gate.pause()  # a worker steps aside for the GUI thread
            if waited and self.end is not None:
                self.end += waited  # time spent waiting is not the conversion's
        if self.end is not None and time.perf_counter() > self.end:
            raise OverBudget(
                f"rendering took longer than {self.seconds:g} s, the budget of a topic"
            )
