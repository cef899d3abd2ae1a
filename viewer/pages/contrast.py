"""WCAG 2 contrast: relative luminance, contrast ratio, and a colour nudged until it reads.

Plain Python, no Qt: the page palette, the widget palette, the code colours and the diagram
recolouring are all checked (and, for colours we do not choose ourselves, adjusted) with it.
"""

from __future__ import annotations

import colorsys

AA_TEXT = 4.5  # WCAG 2.x AA, body text
AA_LARGE = 3.0  # AA for large text (18 pt, or 14 pt bold) and for UI parts such as focus marks


def parse_hex(colour: str) -> tuple[float, float, float]:
    """`#rgb` or `#rrggbb` as three floats from 0 to 1."""
    text = colour.strip().lstrip("#")
    if len(text) == 3:
        text = "".join(c * 2 for c in text)
    if len(text) != 6:
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    return tuple(int(text[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def to_hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, c)) * 255):02x}" for c in rgb)


def luminance(colour: str) -> float:
    """Relative luminance as WCAG 2 defines it (sRGB, linearised)."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in parse_hex(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(foreground: str, background: str) -> float:
    """The contrast ratio of two colours, from 1 (none) to 21 (black on white)."""
    a, b = luminance(foreground), luminance(background)
    light, dark = max(a, b), min(a, b)
    return (light + 0.05) / (dark + 0.05)


def readable(colour: str, background: str, minimum: float = AA_TEXT) -> str:
    """`colour` itself if it reaches `minimum` against `background`; otherwise the same hue
    made lighter (on a dark background) or darker (on a light one), step by step, until it
    does. Used for colours we take from elsewhere (Pygments styles, other people's SVGs)."""
    if ratio(colour, background) >= minimum:
        return colour
    hue, light, saturation = colorsys.rgb_to_hls(*parse_hex(colour))
    towards = 1.0 if luminance(background) < 0.18 else 0.0
    for step in range(1, 41):
        candidate = to_hex(
            colorsys.hls_to_rgb(hue, light + (towards - light) * step / 40, saturation)
        )
        if ratio(candidate, background) >= minimum:
            return candidate
    return "#ffffff" if towards else "#000000"
