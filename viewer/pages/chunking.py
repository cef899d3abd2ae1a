"""Cut a long Markdown text into pieces that render on their own, for progressive display.

A piece ends only before a line that starts a new top-level block (after a blank line, not
indented, outside fenced code), so no list, code block or admonition is split; a long table is
cut between rows, each piece a table with the same header row.
Reference-style link and abbreviation definitions apply to the whole text in Markdown, so
every piece gets a copy of them. No Qt.
"""

from __future__ import annotations

import re

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
TABLE_CELLS = 160  # a long table is cut after this many cells in a piece: Qt lays out a
# table whole, at a cost that grows with its cells, in one event-loop turn
_TABLE_RULE = re.compile(r"^ {0,3}\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_DEFINITION = re.compile(r"^ {0,3}(\[(?!\^)[^\]\n]+\]:\s*\S.*|\*\[[^\]\n]+\]:.*)$")


def split_markdown(text: str, piece_chars: int) -> list[str]:
    """`text` in pieces of about `piece_chars` characters (never split inside a block)."""
    if len(text) <= piece_chars:
        return [text]
    lines = text.split("\n")
    definitions = [line for line in lines if _DEFINITION.match(line)]
    pieces: list[str] = []
    start = 0
    size = 0
    fence = ""
    previous_blank = False
    header: list[str] = []  # the open table's head (header row and rule), repeated per piece
    cells = 0  # cells of the open table in the current piece
    head = ""  # what the current piece starts with: a table head, when it continues one
    for index, line in enumerate(lines):
        match = _FENCE.match(line)
        if fence:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = ""
        elif match:
            fence = match.group(1)
        elif (
            size >= piece_chars and previous_blank and line and not line[0].isspace() and not fence
        ):
            pieces.append(head + "\n".join(lines[start:index]))
            start, size, head = index, 0, ""
        elif header and cells >= TABLE_CELLS and "|" in line:
            # A long table is cut between rows; each piece is a table with the same head, so
            # a table of ten thousand rows is laid out a piece at a time, not all at once.
            pieces.append(head + "\n".join(lines[start:index]))
            start, size, head, cells = index, 0, "\n".join(header) + "\n", 0
        if not line.strip():
            header = []
        elif not fence and index and _TABLE_RULE.match(line) and "|" in lines[index - 1]:
            header, cells = [lines[index - 1], line], 0
        elif header:
            cells += max(1, line.strip().strip("|").count("|") + 1)
        size += len(line) + 1
        previous_blank = not line.strip()
    pieces.append(head + "\n".join(lines[start:]))
    if definitions:
        tail = "\n\n" + "\n".join(definitions) + "\n"
        pieces = [piece + tail for piece in pieces]
    return pieces
