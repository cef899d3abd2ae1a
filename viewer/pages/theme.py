"""Light and dark palettes for pages, and the page stylesheet built from them.

Plain data and string work, no widgets: the printer asks for the light page stylesheet
whatever the screen shows. The code colours come from Pygments, whose styles take a while to
import: they are kept in the user's cache folder, per theme and Pygments version.
"""

from __future__ import annotations

import re
from functools import lru_cache
from string import Template

from viewer.library.cache import cache_dir, read_blob, write_blob
from viewer.resources import read_text

LIGHT = {
    "text": "#1f2328",
    "heading": "#0b1f33",
    "muted": "#59636e",
    "link": "#0550ae",
    "background": "#ffffff",
    "border": "#b8c0c8",
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
    "background": "#16191d",
    "border": "#4a525b",
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


def palette(name: str) -> dict[str, str]:
    return THEMES.get(name, LIGHT)


def page_stylesheet(name: str, html: str | None = None) -> str:
    """The page stylesheet of theme `name`; given the page's `html`, with only the code colours
    that page uses. Qt matches every rule against every element of a page, so the ~70 rules of
    Pygments' `.codehilite .x` would slow the layout of a page without code (or with a little)
    for nothing. Without `html` (print, a page that arrives in pieces) all rules are in."""
    base, code_rules = _stylesheet_parts(name)
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


@lru_cache(maxsize=4)
def _stylesheet_parts(name: str) -> tuple[str, tuple[tuple[str | None, str], ...]]:
    """Theme `name`'s page.css, and each Pygments rule with the token class it colours (None
    for a rule that is not one token's)."""
    colours = palette(name)
    base = Template(read_text("page.css")).safe_substitute(colours)
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
    import pygments  # the package alone is small; its formatters and styles are not

    key = ("code-css", 1, name, style, pygments.__version__)
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
    write_blob(path, (key, code))
    return code
