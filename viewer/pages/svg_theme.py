"""Diagrams in the dark theme: an SVG's colours swapped for dark-theme ones, as text.

Our diagrams (and most people's) are light cards with dark ink. On a dark page such a card
glares, and QSvgRenderer follows neither CSS nor `currentColor` from outside the file, so
the dark theme rewrites the colours in the SVG's own text before Qt parses it: light fills
become dark ones, dark ink becomes light, and accent hues keep their hue at a lightness that
reads on the new fills. The bundled diagrams' palette (Tailwind's slate, blue, green, amber,
red, orange and violet) has a designed counterpart; any other colour has its lightness
inverted with its hue kept. Paper and the light theme use the files as they are.

This runs on SVG bytes that have already been made safe (viewer.paper.document), and only
changes colour values, so the two steps compose in either order.
"""

from __future__ import annotations

import colorsys
import re

from viewer.pages.contrast import parse_hex, to_hex

# Light original → dark counterpart, chosen by looking at every bundled diagram on the dark
# page: cards a step above the page background, ink as light as the page's text, accents
# light enough to read on their own dark fills.
DARK_MAP: dict[str, str] = {
    # cards, panels and rules (slate)
    "#ffffff": "#1c2127",
    "#f8fafc": "#232a32",
    "#f1f5f9": "#262e37",
    "#e2e8f0": "#2c343e",
    "#cbd5e1": "#3a434e",
    "#94a3b8": "#4b5663",
    # ink (slate)
    "#64748b": "#a3afbd",
    "#475569": "#b6c1cd",
    "#334155": "#c5ced8",
    "#1e293b": "#dbe2ea",
    "#0f172a": "#e8edf2",
    "#000000": "#e8edf2",
    # blue
    "#e0f2fe": "#15344a",
    "#dbeafe": "#1a3152",
    "#1e3a8a": "#b9d0ff",
    "#075985": "#9fd6f6",
    # green
    "#dcfce7": "#173a26",
    "#bbf7d0": "#1f4a31",
    "#166534": "#9be3b2",
    # amber
    "#fef3c7": "#3d3216",
    "#fde68a": "#4e3f12",
    "#92400e": "#f5c679",
    "#b45309": "#f2b05a",
    # red
    "#fee2e2": "#48211f",
    "#b91c1c": "#ffa29b",
    # orange
    "#fff7ed": "#3a2617",
    "#ffedd5": "#43291a",
    "#9a3412": "#ffb38d",
    # violet
    "#ede9fe": "#2e2748",
    "#4c1d95": "#d2bfff",
    "#5b21b6": "#c8adff",
}
NAMED = {"white": "#ffffff", "black": "#000000"}
DEFAULT_INK = DARK_MAP["#0f172a"]  # for shapes and text that give no fill (SVG's black)

_PAINT = re.compile(
    rb"""((?:fill|stroke|stop-color|color|flood-color|solid-color)\s*(?:=\s*["']|:)\s*)"""
    rb"""(#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b|white\b|black\b)""",
    re.IGNORECASE,
)
_ROOT = re.compile(rb"<svg\b[^>]*>", re.IGNORECASE | re.DOTALL)


def dark_colour(colour: str) -> str:
    """The dark theme's counterpart of `colour` (`#rgb`, `#rrggbb`, white or black)."""
    key = NAMED.get(colour.lower(), colour.lower())
    if len(key) == 4:
        key = "#" + "".join(c * 2 for c in key[1:])
    if key in DARK_MAP:
        return DARK_MAP[key]
    hue, light, saturation = colorsys.rgb_to_hls(*parse_hex(key))
    # Inverted lightness, kept off pure black and white; fills that turn dark lose some
    # saturation so that they do not glow.
    new_light = 0.1 + (1.0 - light) * 0.82
    if new_light < 0.5:
        saturation *= 0.6
    return to_hex(colorsys.hls_to_rgb(hue, new_light, saturation))


def recolour(svg: bytes, theme: str) -> bytes:
    """`svg` with its colours for `theme`: unchanged for "light", swapped for "dark"."""
    if theme != "dark":
        return svg
    swapped = _PAINT.sub(
        lambda m: m.group(1) + dark_colour(m.group(2).decode("ascii")).encode("ascii"), svg
    )
    root = _ROOT.search(swapped)
    if root is not None and not re.search(rb"\sfill\s*=", root.group(0)):
        # Paint without a fill is black in SVG: on a dark card it must be light ink instead.
        end = root.end() - (2 if root.group(0).endswith(b"/>") else 1)
        swapped = swapped[:end] + b' fill="' + DEFAULT_INK.encode() + b'"' + swapped[end:]
    return swapped
