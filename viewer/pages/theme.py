"""Light and dark palettes for pages, and the page stylesheet built from them.

Plain data and string work, no widgets: the printer asks for the light page stylesheet
whatever the screen shows. The code colours come from Pygments, whose styles take a while to
import: they are kept in the user's cache folder, per theme and installed Pygments.
"""

from __future__ import annotations

import re
from functools import lru_cache
from string import Template

from viewer.library.cache import (
    cache_dir,
    package_file,
    read_blob,
    source_signature,
    write_blob,
)
from viewer.resources import read_text

LIGHT = {
    "text": "#1f2328",
    "heading": "#0b1f33",
    "muted": "#59636e",
    "link": "#0550ae",
    "broken_link": "#b42318",  # a link that leads nowhere (a missing topic, a blocked address)
    "background": "#ffffff",
    "border": "#7c8b9a",  # table rules and field borders: 3:1, as WCAG asks of parts one must see
    "header_bg": "#eef1f4",
    "code_bg": "#f3f5f7",
    "code_text": "#1f2328",
    "note_bg": "#e6f1fc",
    "tip_bg": "#e3f5e6",
    "warn_bg": "#fdf4d3",
    "danger_bg": "#fbe5e3",
    "highlight": "#ffe08a",
    "pygments": "friendly",
}
DARK = {
    "text": "#e3e7ec",
    "heading": "#f2f5f8",
    "muted": "#9aa4ae",
    "link": "#6cb2ff",
    "broken_link": "#ff9b8f",
    "background": "#16191d",
    "border": "#6b7683",
    "header_bg": "#252a30",
    "code_bg": "#20252b",
    "code_text": "#e3e7ec",
    "note_bg": "#17304a",
    "tip_bg": "#18351f",
    "warn_bg": "#3b3117",
    "danger_bg": "#46201d",
    "highlight": "#7a5d00",
    "pygments": "github-dark",
}
THEMES = {"light": LIGHT, "dark": DARK}

# Which colour sits on which in page.css, and the WCAG AA ratio each pair must reach (4.5:1
# for text, 3:1 for lines one must see). tests/test_contrast.py checks every pair of both
# themes, and that every colour page.css uses is in at least one pair.
TEXT_ON = ("background", "header_bg", "code_bg", "note_bg", "tip_bg", "warn_bg", "danger_bg")
TEXT = ("text", "heading", "muted", "link", "broken_link")
PAGE_PAIRS: tuple[tuple[str, str, float], ...] = (
    *((fg, bg, 4.5) for fg in TEXT for bg in TEXT_ON),
    ("code_text", "code_bg", 4.5),
    ("code_text", "background", 4.5),  # inline code inherits the page's background at its edges
    ("text", "highlight", 4.5),  # find matches: the find bar writes them in the text colour
    ("border", "background", 3.0),
    ("border", "header_bg", 3.0),
)


def palette(name: str) -> dict[str, str]:
    return THEMES.get(name, LIGHT)


def page_stylesheet(name: str, html: str | None = None, scale: float = 1.0) -> str:
    """The page stylesheet of theme `name`; given the page's `html`, with only the code colours
    that page uses; every size in it (headings, code blocks, small print, spacing) times
    `scale`, the page's zoom, so that zoom enlarges the whole page and not only its body text.

    Qt matches every rule against every element of a page, so the ~70 rules of Pygments'
    `.codehilite .x` would slow the layout of a page without code (or with a little) for
    nothing. Without `html` (print, a page that arrives in pieces) all rules are in."""
    base, code_rules = _stylesheet_parts(name, round(scale, 3))
    if html is None:
        used = None
    elif "codehilite" in html:
        used = set(_CODE_TOKEN_CLASS.findall(html))
    else:
        used = set()
    return (
        base
        + "\n"
        + "\n".join(
            rule for token, rule in code_rules if used is None or token is None or token in used
        )
    )


_CODE_TOKEN_CLASS = re.compile(r'<span class="([\w-]+)"')
_CODE_RULE = re.compile(r"\.codehilite \.([\w-]+) \{")


_SIZE = re.compile(r"(?<![\w#.-])(\d+(?:\.\d+)?)(pt|px)\b")


def scaled_sizes(css: str, scale: float) -> str:
    """`css` with every pt and px size times `scale` (pt kept to a tenth, px whole)."""
    if scale == 1.0:
        return css

    def size(match: re.Match) -> str:
        value = float(match.group(1)) * scale
        if match.group(2) == "px":
            return f"{round(value)}px"
        return f"{value:.1f}".rstrip("0").rstrip(".") + "pt"

    return _SIZE.sub(size, css)


@lru_cache(maxsize=8)
def _stylesheet_parts(
    name: str, scale: float = 1.0
) -> tuple[str, tuple[tuple[str | None, str], ...]]:
    """Theme `name`'s page.css at `scale`, and each Pygments rule with the token class it
    colours (None for a rule that is not one token's)."""
    colours = palette(name)
    base = scaled_sizes(Template(read_text("page.css")).safe_substitute(colours), scale)
    rules = []
    for rule in _code_css(name, colours["pygments"]).splitlines():
        match = _CODE_RULE.match(rule)
        rules.append((match.group(1) if match else None, rule))
    return base, tuple(rules)


def clear_caches() -> None:
    """Forget the stylesheets built in this process: the next is built again from page.css and
    the code colours in the cache folder (or Pygments, if those are gone or damaged)."""
    _stylesheet_parts.cache_clear()


def _code_css(name: str, style: str) -> str:
    """Pygments' rules for highlighted code in `style`, from the cache when it has them."""
    key = ("code-css", 3, name, style, source_signature(package_file("pygments")))
    path = cache_dir() / f"code-{name}.bin"
    cached = read_blob(path)
    if (
        isinstance(cached, tuple)
        and len(cached) == 2
        and cached[0] == key
        and isinstance(cached[1], str)
    ):
        return cached[1]
    from pygments.formatters import HtmlFormatter

    try:
        code = HtmlFormatter(style=style).get_style_defs(".codehilite")
    except Exception:  # an older Pygments without the dark style
        code = HtmlFormatter(style="monokai" if name == "dark" else "default").get_style_defs(
            ".codehilite"
        )
    # Pygments paints its own block background; ours is on the surrounding cell.
    code = "\n".join(
        line
        for line in code.splitlines()
        if not line.startswith((".codehilite {", "pre {", "td.linenos", "span.linenos"))
    )
    code = readable_code_colours(code, palette(name)["code_bg"])
    write_blob(path, (key, code))
    return code


_BACKGROUND = re.compile(r"background-color:\s*(#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3})\b")
_COLOUR = re.compile(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3})\b")


def readable_code_colours(css: str, background: str) -> str:
    """Pygments' styles were made for their own backgrounds, and some token colours (comments,
    most often) fall under 4.5:1 on ours: each such colour is moved, same hue, until it reads
    on the rule's own background, or the code block's."""
    from viewer.pages.contrast import readable

    lines = []
    for rule in css.splitlines():
        own = _BACKGROUND.search(rule)
        behind = own.group(1) if own else background
        lines.append(_COLOUR.sub(lambda m, b=behind: "color: " + readable(m.group(1), b), rule))
    return "\n".join(lines)


def code_colour_pairs(css: str, background: str) -> list[tuple[str, str, str]]:
    """(rule, text colour, background) for every coloured Pygments rule (the contrast test)."""
    pairs = []
    for rule in css.splitlines():
        own = _BACKGROUND.search(rule)
        for match in _COLOUR.finditer(rule):
            pairs.append((rule, match.group(1), own.group(1) if own else background))
    return pairs
