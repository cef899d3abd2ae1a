"""Every colour pair of both themes reaches WCAG AA: page CSS, code colours, widget palette,
and the text of every bundled diagram as the dark theme draws it."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from tests.conftest import ROOT
from viewer.pages import theme
from viewer.pages.contrast import AA_TEXT, ratio, readable
from viewer.pages.svg_theme import dark_colour, recolour

THEMES = ("light", "dark")


def test_ratio_matches_wcag_reference_values():
    assert ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert ratio("#0000ff", "#16191d") < 2.5  # the old source link on the dark page
    assert ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # the known AA grey


def test_readable_moves_a_colour_only_as_far_as_needed():
    assert readable("#1f2328", "#ffffff") == "#1f2328"
    fixed = readable("#0000ff", "#16191d")
    assert ratio(fixed, "#16191d") >= AA_TEXT
    assert fixed != "#ffffff"  # still a blue, not white


@pytest.mark.parametrize("name", THEMES)
def test_every_page_css_pair_meets_aa(name):
    colours = theme.palette(name)
    failures = [
        f"{fg} {colours[fg]} on {bg} {colours[bg]}: {ratio(colours[fg], colours[bg]):.2f}"
        for fg, bg, minimum in theme.PAGE_PAIRS
        if ratio(colours[fg], colours[bg]) < minimum
    ]
    assert not failures, failures


def test_every_colour_page_css_uses_is_checked():
    used = set(re.findall(r"\$(\w+)", (ROOT / "viewer" / "page.css").read_text()))
    used &= set(theme.LIGHT)  # the palette's names, not the word "$names" in its comment
    assert {"text", "link", "border", "code_bg"} <= used
    checked = {name for pair in theme.PAGE_PAIRS for name in pair[:2]}
    assert used - checked == set()


@pytest.mark.parametrize("name", THEMES)
def test_code_colours_meet_aa_on_their_background(name):
    css = theme.page_stylesheet(name)  # every code rule, as a page with code gets it
    pairs = theme.code_colour_pairs(css, theme.palette(name)["code_bg"])
    assert len(pairs) > 20  # Pygments' rules are really in
    failures = [(rule, ratio(fg, bg)) for rule, fg, bg in pairs if ratio(fg, bg) < AA_TEXT]
    assert not failures, failures


@pytest.mark.parametrize("name", THEMES)
def test_every_widget_palette_pair_meets_aa(name):
    from viewer.ui.themes import WIDGET_PAIRS, widget_colours

    colours = widget_colours(name)
    failures = [
        f"{fg} on {bg}: {ratio(colours[fg], colours[bg]):.2f}"
        for fg, bg, minimum in WIDGET_PAIRS
        if ratio(colours[fg], colours[bg]) < minimum
    ]
    assert not failures, failures


@pytest.mark.parametrize("name", THEMES)
def test_the_applied_palette_is_the_checked_one(qapp, name):
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QApplication

    from viewer.ui import themes

    themes.apply(name, hint=False)
    try:
        palette = QApplication.palette()
        for role, colour in themes.widget_colours(name).items():
            if hasattr(QPalette.ColorRole, role):
                actual = palette.color(getattr(QPalette.ColorRole, role)).name()
                assert actual == colour, role
    finally:
        themes.apply("light", hint=False)


def _text_on_cards(svg: bytes) -> list[tuple[str, str, str]]:
    """(text colour, colour of the box under it, the text) for each label of a diagram: the
    box is the last rectangle drawn that holds the label's anchor point."""
    rects, pairs = [], []
    for element in ET.fromstring(svg).iter():
        tag = element.tag.rsplit("}", 1)[-1]
        fill = element.get("fill", "")
        if not fill.startswith("#"):
            continue
        if tag == "rect":
            x, y, w, h = (float(element.get(k, 0)) for k in ("x", "y", "width", "height"))
            rects.append((x, y, w, h, fill.lower()))
        elif tag == "text":
            tx, ty = float(element.get("x", 0)), float(element.get("y", 0)) - 4
            under = [r for r in rects if r[0] <= tx <= r[0] + r[2] and r[1] <= ty <= r[1] + r[3]]
            if under:
                pairs.append((fill.lower(), under[-1][4], element.text or ""))
    return pairs


@pytest.mark.parametrize("svg", sorted((ROOT / "images").glob("*.svg")), ids=lambda p: p.name)
def test_diagram_labels_read_as_well_in_the_dark_theme(svg):
    light, dark = svg.read_bytes(), recolour(svg.read_bytes(), "dark")
    light_pairs, dark_pairs = _text_on_cards(light), _text_on_cards(dark)
    assert light_pairs and len(light_pairs) == len(dark_pairs)
    for (fg, bg, text), (dfg, dbg, _) in zip(light_pairs, dark_pairs):
        assert ratio(dfg, dbg) >= min(AA_TEXT, ratio(fg, bg)) - 0.01, (text, dfg, dbg)
    # No glaring card: the dark diagram's largest box is a dark one.
    assert b'fill="#ffffff"' not in dark


def test_unknown_colours_invert_their_lightness_and_keep_their_hue():
    assert ratio(dark_colour("#fafafa"), "#16191d") < 1.5  # a near-white card turns dark
    assert ratio(dark_colour("#202020"), "#16191d") > 7  # near-black ink turns light
    assert dark_colour("white") == dark_colour("#fff") == dark_colour("#FFFFFF")


def test_recolour_gives_ink_to_paint_without_a_fill():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><text x="1" y="9">hi</text></svg>'
    assert recolour(svg, "light") == svg
    assert b'<svg xmlns="http://www.w3.org/2000/svg" fill="#e8edf2">' in recolour(svg, "dark")
