"""Splitting long topics into independently renderable pieces. No Qt."""

from __future__ import annotations

from viewer.pages.chunking import TABLE_CELLS, split_markdown
from viewer.pages.render import Renderer


def test_short_text_is_one_piece():
    assert split_markdown("# A\n\ntext\n", 1000) == ["# A\n\ntext\n"]


def test_pieces_cover_the_text_and_never_split_blocks():
    block = (
        "Para one line.\n\n- item\n  continued\n- item two\n\n```\ncode\n\nmore code\n```\n\n| a | "
        "b |\n|---|---|\n| 1 | 2 |\n\n"
    )
    text = "# Big\n\n" + block * 200
    pieces = split_markdown(text, 2000)
    assert len(pieces) > 5
    assert "".join(p if p.endswith("\n") else p + "\n" for p in pieces).replace(
        "\n", ""
    ) == text.replace("\n", "")
    for piece in pieces:
        assert piece.count("```") % 2 == 0  # fences stay whole
        html = Renderer().render_text(piece)[0]
        assert "<table" not in html or "</table>" in html
    first_lines = [p.split("\n", 1)[0] for p in pieces[1:]]
    assert all(line and not line[0].isspace() for line in first_lines)  # a new top-level block


def test_reference_definitions_reach_every_piece():
    text = (
        "See [the docs][d].\n\n"
        + "Filler paragraph.\n\n" * 400
        + "Again [the docs][d].\n\n[d]: https://example.com/docs\n"
    )
    pieces = split_markdown(text, 1500)
    assert len(pieces) > 2
    for piece in (pieces[0], pieces[-1]):
        assert 'href="https://example.com/docs"' in Renderer().render_text(piece)[0]


def test_a_long_table_is_cut_between_rows_and_each_piece_keeps_its_head():
    head = "| n | double |\n|---|---|\n"
    text = "# Table\n\n" + head + "".join(f"| {n} | {2 * n} |\n" for n in range(5000))
    pieces = split_markdown(text, 24_000)
    assert len(pieces) > 5
    assert all(piece.startswith(head) for piece in pieces[1:])
    rows = [
        line
        for piece in pieces
        for line in piece.splitlines()
        if line.startswith("| ") and line != "| n | double |"
    ]
    assert rows == [f"| {n} | {2 * n} |" for n in range(5000)]  # every row once, in order
    html = Renderer().render_text(pieces[3])[0]
    assert html.count("<table") == 1 and "<th>double</th>" in html


def test_a_wide_table_is_cut_by_its_cells_not_its_characters():
    """Qt lays a table out whole in one event-loop turn, at a cost that grows with its cells:
    a table of short rows with many columns is cut as often as its cells say."""
    columns = 8
    head = "|" + "|".join(f" c{c} " for c in range(columns)) + "|\n|" + "---|" * columns + "\n"
    rows = ["|" + "|".join(f"{r}" for _ in range(columns)) + "|" for r in range(1000)]
    pieces = split_markdown("# Wide\n\n" + head + "\n".join(rows) + "\n", 8_000)
    for piece in pieces:
        body_rows = [
            line for line in piece.splitlines() if line.startswith("|") and "c0" not in line
        ]
        body_rows = [line for line in body_rows if not line.startswith("|---")]
        assert len(body_rows) * columns <= TABLE_CELLS + columns
    assert len(pieces) >= 1000 * columns // (TABLE_CELLS + columns)
