"""The flashcard syntax of Markdown notes, as the Obsidian Spaced Repetition plugin writes it.

- one line `Question::Answer` (or `Question:::Answer`, that plugin's two-way card: read here as
  one card, question first);
- a question on one or more lines, a line holding only `?`, then the answer's lines, ended by a
  blank line.

Only plain paragraphs hold cards: not code (fenced or indented), tables, lists, quotes or
headings, and a `::` inside backticks is code, not a separator. The page renderer, the study
deck and the library check all read cards through `split_block`, so they always agree.
No Qt, no Markdown: shared by `viewer.markdown_ext`, `viewer.study.cards` and `viewer.check`.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_NOT_PARAGRAPH = re.compile(r"^(\s{4,}|\t|\s{0,3}([|>#]|[-*+]\s|\d+[.)]\s|!!!|\[\^|\*\[))")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
_SEPARATOR = re.compile(r":{2,3}")


class CardText(NamedTuple):
    """One card as written: its question and answer (Markdown, stripped) and where it starts."""

    question: str
    answer: str
    line: int  # 0-based line of the question's first line, within the text given


class Segment(NamedTuple):
    """A run of a paragraph block: plain lines, or one card."""

    card: CardText | None
    text: str  # the lines, when `card` is None


def _single_line(line: str) -> tuple[str, str] | None:
    """Question and answer of a `Q::A` line, or None (no separator outside code spans)."""
    if "::" not in line:  # most lines: no regex at all
        return None
    masked = _CODE_SPAN.sub(lambda m: "\0" * len(m.group(0)), line) if "`" in line else line
    match = _SEPARATOR.search(masked)
    if match is None:
        return None
    return line[: match.start()].strip(), line[match.end() :].strip()


def is_card_block(lines: list[str]) -> bool:
    """Whether a paragraph block (no blank lines) holds a card."""
    return _card_lines(lines) is not None


def _card_lines(lines: list[str]) -> list[tuple[str, str] | None] | None:
    """Each line's `Q::A` pair (None for other lines), `[]` for a `?` block, None for no card.

    One look at each line: the block's first line rules out what is not a plain paragraph,
    and `::` or a lone `?` must appear before any regex runs."""
    if not lines or _NOT_PARAGRAPH.match(lines[0]):
        return None
    if any(line.strip() == "?" for line in lines):
        return []
    pairs = [_single_line(line) for line in lines]
    return pairs if any(pair is not None for pair in pairs) else None


def split_block(lines: list[str], first_line: int = 0) -> list[Segment]:
    """A paragraph block cut into its cards and the plain lines between them.

    A `?` line makes the whole block one card (question above, answer below); otherwise each
    `Q::A` line is a card of its own and other lines stay text.
    """
    pairs = _card_lines(lines)
    if pairs is None:
        return [Segment(None, "\n".join(lines))]
    if not pairs:
        mark = next(i for i, line in enumerate(lines) if line.strip() == "?")
        question = "\n".join(line.strip() for line in lines[:mark]).strip()
        answer = "\n".join(line.rstrip() for line in lines[mark + 1 :]).strip()
        return [Segment(CardText(question, answer, first_line), "")]
    segments: list[Segment] = []
    plain: list[str] = []
    for index, (line, pair) in enumerate(zip(lines, pairs)):
        if pair is None:
            plain.append(line)
            continue
        if plain:
            segments.append(Segment(None, "\n".join(plain)))
            plain = []
        segments.append(Segment(CardText(pair[0], pair[1], first_line + index), ""))
    if plain:
        segments.append(Segment(None, "\n".join(plain)))
    return segments


class Heading(NamedTuple):
    level: int
    text: str
    line: int


_ATX = re.compile(r"^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$")


def scan(text: str) -> tuple[list[CardText], list[Heading]]:
    """Every card of a topic's Markdown body and the headings, with 0-based lines.

    Blocks are split at blank lines outside fenced code, as Python-Markdown splits them.
    """
    cards: list[CardText] = []
    headings: list[Heading] = []
    block: list[str] = []
    start = 0
    fence = ""

    def flush() -> None:
        if block:
            cards.extend(seg.card for seg in split_block(block, start) if seg.card is not None)
            block.clear()

    for number, line in enumerate(text.splitlines()):
        stripped = line.lstrip()
        if fence:
            if stripped.startswith(fence):
                fence = ""
            continue
        first = stripped[:1]
        if not first:
            flush()
            continue
        # Only a line starting with a fence or heading mark is worth a regex.
        opened = _FENCE.match(line) if first in "`~" else None
        if opened:
            flush()
            fence = opened.group(1)[:3]
            continue
        heading = _ATX.match(line) if first == "#" else None
        if heading:
            flush()
            headings.append(Heading(len(heading.group(1)), heading.group(2), number))
            continue
        if not block:
            start = number
        block.append(line)
    flush()
    return cards, headings
