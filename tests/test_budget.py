"""Budgets (viewer.pages.budget) and the SVG gate under random input (hypothesis). No Qt.

- Render, check and index any Markdown within a time budget per example, never raising.
- No parsing step is quadratic: ten times the input costs at most about ten times the work.
  Measured as CPU time (process time, not wall time), the least of a few runs, on inputs big
  enough that a quadratic step would cost fifty times more: a loaded machine cannot make a
  linear step look quadratic, nor the reverse.
- Any SVG the gate lets through has no reference that leaves it.
"""

from __future__ import annotations

import base64
import re
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from viewer.commands.check import check_library
from viewer.library.folder import Library
from viewer.pages import budget, pictures
from viewer.pages.render import Renderer
from viewer.search.text import markdown_text

TOKENS = [
    "[", "]", "(", ")", "![", "<", ">", "`", "``", "*", "_", "a", " ", "\\", "|", "- ", "> ",
    "# ", ":", "&", "1. ", "[a](b ", "<a ", "<http://a ", "[^1]", "*[A]: b", "{#x}", "    ",
    "```", "!!! note", "---", "<div>", "</div>", "](", "[x]: y", "<b@c.d>",
]  # fmt: skip
fragments = st.lists(st.sampled_from(TOKENS), min_size=1, max_size=10).map("".join)
RENDERER = Renderer()


def work(run, text: str) -> int:
    """How many lines of Python `run(text)` executes: a measure of work that, unlike a clock,
    is the same on a busy machine as on an idle one. Python-Markdown's inline patterns and our
    pre-scan loop in Python, so a quadratic step shows here as a quadratic count."""
    count = 0

    def local(_frame, event, _arg):
        nonlocal count
        if event == "line":
            count += 1
        return local

    previous = sys.gettrace()
    sys.settrace(lambda frame, event, arg: local)
    try:
        run(text)
    finally:
        sys.settrace(previous)
    return count


def render(text: str) -> None:
    try:
        RENDERER.render_text(text)
    except budget.OverBudget:
        pass


@pytest.mark.parametrize("joiner", ["\n", "\n\n"])
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fragment=fragments)
# Definition lines: Markdown takes a run of them in one pass, so the pre-scan is most of the
# work, and ten times the run is a paragraph cut where the run itself is not.
@example(fragment="[x]: y")
@example(fragment="[^1]: x")
@example(fragment="*[A]: b")
def test_ten_times_the_markdown_costs_about_ten_times_the_work(joiner, fragment):
    unit = fragment + joiner
    # Both sizes longer than a paragraph may be (budget._flush cuts it and neutralises each
    # piece again): the same path at both sizes, so the ratio shows how the work grows.
    small = unit * max(1, (budget.MAX_PARAGRAPH_CHARS + 1000) // len(unit))
    large = small * 10
    for run in (render, markdown_text):
        run(small)  # converters and caches built once, outside the count
        ratio = work(run, large) / max(work(run, small), 1)
        assert ratio <= 12, f"{run.__name__}: ×{ratio:.1f} for ten times {unit!r}"


def test_the_known_pathologies_cost_linear_work():
    cases = [
        "[a](b ",
        "[",
        "![",
        "<a ",
        "[[[[[[[[[[a",
        "`[a](b ",
        "*[A]: b\nA ",
        "\\``",
        "------\\``[[^1]\n",
    ]
    render("warm up")
    for unit in cases:
        small = (unit * 8 + "\n") * 60
        assert work(render, small * 10) / work(render, small) <= 12, unit


@settings(max_examples=40, deadline=3000, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(fragments, min_size=1, max_size=60).map("\n".join))
def test_any_markdown_renders_checks_and_indexes_within_its_budget(text):
    render(text)
    markdown_text(text)
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "t.md").write_text(text, encoding="utf-8")
        problems = check_library(Library(Path(folder), use_cache=False))
    assert all(p.level in ("error", "warning") for p in problems)


def test_over_budget_topics_name_the_line_and_the_limit():
    with pytest.raises(budget.OverBudget) as long_line:
        budget.prepare("fine\n\n" + "x" * 30_000)
    assert long_line.value.line == 3 and "30,000 characters" in str(long_line.value)
    with pytest.raises(budget.OverBudget) as deep:
        budget.prepare("".join("  " * n + "- a\n" for n in range(200)))
    assert "nested too deeply" in str(deep.value)
    with pytest.raises(budget.OverBudget):
        budget.prepare("> " * 100 + "quoted\n")


def test_a_cut_paragraph_costs_what_an_uncut_one_does():
    # The cut comes before the pre-scan, so a paragraph just over the cut is scanned once,
    # like one just under it (scanned whole, then each piece again, it cost twice as much).
    lines = budget.MAX_PARAGRAPH_CHARS // len("[x]: y")
    under, over = ("[x]: y\n" * (lines - 20), "[x]: y\n" * (lines + 20))
    assert "\n\n" not in budget.prepare(under) and "\n\n" in budget.prepare(over)
    assert work(budget.prepare, over) / work(budget.prepare, under) <= 1.1


def test_a_code_span_the_cut_parts_shows_as_written():
    text = "`a\n" + "word " * 1700 + "\n` [ `"
    assert budget.prepare(text).endswith("\n\n` [ `")


def test_neutralised_text_reads_the_same():
    html = RENDERER.render_text("[a](b and [c](d) and <e and `[x` and [[[y")[0]
    assert "[a](b and" in html and '<a href="d">c</a>' in html
    assert "&lt;e" in html and "<code>[x</code>" in html and "[[[y" in html


# -- SVG -----------------------------------------------------------------------------------
HREFS = [
    "#a", "/etc/passwd", "file:///x.png", "http://example.com/x.png", "../x.png", "x.png",
    "data:image/png;base64,AAAA", "data:text/html,<b>x</b>", " #a", "javascript:x",
]  # fmt: skip
STYLES = [
    "fill:url(#g)", "fill:url(/x)", "fill:u\\72l(/x)", "@import 'x.css';", "fill:red",
    "background:url( 'http://x' )", "fill:url(#g) url(x)",
]  # fmt: skip


@st.composite
def svg_documents(draw, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 5))):
        tag = draw(st.sampled_from(["image", "use", "a", "rect", "feImage", "set", "style"]))
        href = draw(st.sampled_from(HREFS))
        if depth < 3 and draw(st.booleans()):
            inner = draw(svg_documents(depth + 1))
            href = "data:image/svg+xml;base64," + base64.b64encode(inner.encode()).decode()
        attr = draw(st.sampled_from(["href", "xlink:href"]))
        style = draw(st.sampled_from(STYLES))
        if tag == "style":
            parts.append(f"<style>{style}</style>")
        elif tag == "set":
            parts.append(f'<set attributeName="{attr}" to="{href}"/>')
        else:
            parts.append(f'<{tag} {attr}="{href}" style="{style}" fill="{style}"/>')
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        + "".join(parts)
        + "</svg>"
    )


def references(svg: bytes, depth: int = 0) -> list[str]:
    """Every href and url() in `svg` and in the SVG documents nested in it."""
    found = []
    text = svg.decode()
    for value in re.findall(r'href="([^"]*)"', text) + re.findall(r"url\(([^)]*)\)", text):
        if value.startswith("data:image/svg+xml;base64,"):
            found += references(base64.b64decode(value.split(",", 1)[1]), depth + 1)
        else:
            found.append(value)
    found += re.findall(r"(@import|attributeName=\"[^\"]*href)", text)
    return found


@settings(max_examples=150, deadline=2000)
@given(svg_documents())
def test_no_sanitised_svg_refers_outside_itself(document):
    try:
        clean = pictures.sanitise_svg(document.encode())
    except pictures.PictureError:
        return
    for ref in references(clean):
        assert ref.startswith("#") or re.match(r"data:image/(png|jpeg);base64,", ref), ref


@settings(max_examples=100, deadline=2000)
@given(st.binary(max_size=2000))
def test_any_bytes_are_refused_or_sanitised_never_raised(data):
    try:
        pictures.sanitise_svg(data)
    except pictures.PictureError:
        pass
    pictures.check_raster(data, "png")
    pictures.sniff(data)
