"""The Markdown people write that Python-Markdown and pymdown-extensions do not read: mdBook
includes, GitHub/Obsidian callouts, wikilinks, and lists right after a paragraph.

Used by the renderer and by `--check` alike (`book_extensions`), so a wikilink or include the
check calls broken is exactly one the page shows as such. Imported with Python-Markdown, on
the first conversion only.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import TYPE_CHECKING

import markdown
from markdown.extensions import Extension
from markdown.extensions.toc import slugify
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor

from viewer.library.cache import file_stamp
from viewer.pages import links

if TYPE_CHECKING:
    from viewer.pages.context import RenderContext

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp")


class _Fences:
    """Whether a line is inside a fenced code block, fed one line at a time."""

    def __init__(self) -> None:
        self.fence = ""

    def inside(self, line: str) -> bool:
        """True for the fence lines themselves and every line between them."""
        match = _FENCE.match(line)
        if self.fence:
            fence = match.group(1) if match else ""
            if fence[:1] == self.fence[0] and len(fence) >= len(self.fence):
                self.fence = ""
            return True
        if match:
            self.fence = match.group(1)
            return True
        return False


# -- mdBook includes -----------------------------------------------------------------------
_INCLUDE = re.compile(r"\{\{#(include|rustdoc_include|playground|playpen)\s+([^}]*?)\s*\}\}")
_OTHER_DIRECTIVE = re.compile(r"\{\{#(\w+)[^}]*\}\}")
_ANCHOR_LINE = re.compile(r"^.*\bANCHOR(?:_END)?:\s*\w+.*$\n?", re.MULTILINE)
MAX_INCLUDE_DEPTH = 4


class IncludePreprocessor(Preprocessor):
    """`{{#include file}}`, `{{#include file:anchor}}` and `{{#include file:10:20}}` pull the
    file in when it lies inside the library; anything else becomes a labelled placeholder."""

    def __init__(self, md: markdown.Markdown, context: RenderContext):
        super().__init__(md)
        self.context = context

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if "{{#" not in text:
            return lines
        topic = self.context.topic
        base = topic.path.parent if topic is not None else None
        return self._expand(text, base, 0).split("\n")

    def _expand(self, text: str, base, depth: int) -> str:
        def include(match: re.Match) -> str:
            spec = match.group(2)
            if depth == 0:
                self._remember(spec.partition(":")[0].strip())
            body, error = self._read(spec, base)
            if error:
                self.context.include_problems.append((match.group(0), error))
                return f"[not included: {spec} — {error}]"
            path, content = body
            if depth + 1 < MAX_INCLUDE_DEPTH and "{{#" in content:
                content = self._expand(content, path.parent, depth + 1)
            return content.rstrip("\n")

        text = _INCLUDE.sub(include, text)

        def other(match: re.Match) -> str:
            if match.group(1) == "title":
                return ""  # mdBook's page title for the browser tab: nothing to show here
            return f"[{match.group(1)}: not shown here]"

        return _OTHER_DIRECTIVE.sub(other, text)

    def _remember(self, name: str) -> None:
        """Note the included file as the page cache notes images: a cached page is stale
        when the file changes, comes or goes."""
        library = self.context.library
        if library is None:
            return
        found = links.resolve_image(library, self.context.topic, name)
        stamp = file_stamp(found.path) if found.path is not None else ""
        self.context.images.append(
            (name, found.kind, str(found.path) if found.path is not None else "", stamp)
        )

    def _read(self, spec: str, base):
        library = self.context.library
        name, _, selector = spec.partition(":")
        name = name.strip()
        if library is None or base is None:
            return None, "no library"
        target = (base / name).resolve()
        if not library.contains(target):
            return None, "outside the library"
        try:
            content = target.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None, "file not found"
        selected = _select(content, selector.strip())
        if selected is None:
            return None, f"no anchor {selector.strip()!r} in the file"
        return (target, selected), ""


def _select(content: str, selector: str) -> str | None:
    """The part of an included file mdBook's selector names: lines `a:b`, or an anchor."""
    if not selector:
        return _ANCHOR_LINE.sub("", content)
    if re.fullmatch(r"\d*(:\d*)?", selector):
        start, _, end = selector.partition(":")
        lines = content.split("\n")
        first = max(int(start) - 1, 0) if start else 0
        if ":" not in selector:  # `file:5` is line 5 alone
            last = first + 1
        else:
            last = int(end) if end else len(lines)
        return _ANCHOR_LINE.sub("", "\n".join(lines[first:last]))
    pattern = re.compile(
        rf"^[^\n]*\bANCHOR:\s*{re.escape(selector)}\b[^\n]*\n(.*?)"
        rf"^[^\n]*\bANCHOR_END:\s*{re.escape(selector)}\b",
        re.MULTILINE | re.DOTALL,
    )
    match = pattern.search(content)
    return _ANCHOR_LINE.sub("", match.group(1)) if match else None


# -- callouts ------------------------------------------------------------------------------
_CALLOUT = re.compile(r"^ {0,3}>\s*\[!(\w+)\][+-]?[ \t]*(.*)$")
_QUOTED = re.compile(r"^ {0,3}>[ \t]?(.*)$")
# Obsidian's and GitHub's kinds, as the admonition styles the page sheet has.
CALLOUT_KINDS = {
    "note": "note",
    "info": "info",
    "todo": "info",
    "abstract": "note",
    "summary": "note",
    "tldr": "note",
    "question": "note",
    "help": "note",
    "faq": "note",
    "example": "note",
    "quote": "note",
    "cite": "note",
    "tip": "tip",
    "hint": "tip",
    "success": "tip",
    "check": "tip",
    "done": "tip",
    "important": "important",
    "warning": "warning",
    "attention": "warning",
    "caution": "caution",
    "failure": "danger",
    "fail": "danger",
    "missing": "danger",
    "danger": "danger",
    "error": "error",
    "bug": "danger",
}


class CalloutPreprocessor(Preprocessor):
    """`> [!note] Title` blockquotes (GitHub, Obsidian) as the admonitions Python-Markdown's
    `admonition` extension reads, so they share its styling on screen and on paper."""

    def run(self, lines: list[str]) -> list[str]:
        if not any("[!" in line for line in lines):
            return lines
        out: list[str] = []
        fences = _Fences()
        index = 0
        while index < len(lines):
            line = lines[index]
            match = None if fences.inside(line) else _CALLOUT.match(line)
            if match is None:
                out.append(line)
                index += 1
                continue
            written = match.group(1)
            kind = CALLOUT_KINDS.get(written.lower(), "note")
            title = match.group(2).strip() or written.capitalize()
            title = title.replace('"', "&quot;")
            if out and out[-1].strip():
                out.append("")
            out.append(f'!!! {kind} "{title}"')
            index += 1
            while index < len(lines):
                quoted = _QUOTED.match(lines[index])
                if quoted is None:
                    break
                body = quoted.group(1)
                out.append(f"    {body}" if body.strip() else "")
                index += 1
            out.append("")
        return out


# -- lists right after a paragraph ---------------------------------------------------------
_LIST_ITEM = re.compile(r"^ {0,3}(?:([-+*])|(\d{1,9})[.)])[ \t]+\S")
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_NOT_PARAGRAPH = re.compile(r"^ {0,3}(?:#|>|\||<|\[\^?[^\]]*\]:|!!!|:)")


class LazyListPreprocessor(Preprocessor):
    """A list may start right after a paragraph line (CommonMark): `Steps:` then `+ one` on
    the next line. Python-Markdown needs a blank line there, so one is put in."""

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        fences = _Fences()
        previous = "blank"  # what the line before was: blank, paragraph, list or other
        for line in lines:
            if fences.inside(line):
                out.append(line)
                previous = "other"
                continue
            if not line.strip():
                previous = "blank"
            elif _RULE.match(line):
                previous = "other"
            elif item := _LIST_ITEM.match(line):
                # An ordered list interrupts a paragraph only when it starts at 1.
                if previous == "paragraph" and (item.group(1) or item.group(2) == "1"):
                    out.append("")
                previous = "list"
            elif previous == "list":
                pass  # a lazy continuation of the item above
            elif _NOT_PARAGRAPH.match(line) or (previous == "blank" and line[:4] == "    "):
                previous = "other"
            else:
                previous = "paragraph"
            out.append(line)
        return out


# -- wikilinks -----------------------------------------------------------------------------
WIKILINK = r"(!?)\[\[([^\]\|#\n]*)(?:#([^\]\|\n]*))?(?:\|([^\]\n]*))?\]\]"


class WikilinkProcessor(InlineProcessor):
    """`[[page]]`, `[[page|label]]`, `[[page#section]]` and `[[#section]]` as links to the
    topic of that file name or title (resolved by `viewer.pages.links`); `![[picture.png]]`
    as an image, `![[page]]` as a link to it."""

    def handleMatch(self, m: re.Match, data: str):  # noqa: N802 - Markdown's API
        embed, page, section, label = m.group(1), m.group(2).strip(), m.group(3), m.group(4)
        if embed and page.lower().endswith(IMAGE_SUFFIXES):
            image = etree.Element("img", {"src": page, "alt": (label or page).strip()})
            return image, m.start(0), m.end(0)
        anchor = slugify(section.strip(), "-") if section else ""
        if page:
            href = f"{links.WIKI_SCHEME}:{page}" + (f"#{anchor}" if anchor else "")
        else:
            href = f"#{anchor}"
        element = etree.Element("a", {"href": href, "class": "wikilink"})
        shown = label or (f"{page} › {section.strip()}" if page and section else page or section)
        element.text = (shown or "").strip()
        return element, m.start(0), m.end(0)


class BookSyntaxExtension(Extension):
    def __init__(self, context: RenderContext, **kwargs):
        super().__init__(**kwargs)
        self.context = context

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API
        # Includes first, so what they bring in is read like the rest; callouts and lists
        # before fenced code (25) takes the code out, each keeping clear of fences itself.
        md.preprocessors.register(IncludePreprocessor(md, self.context), "cloudref_include", 35)
        md.preprocessors.register(CalloutPreprocessor(md), "cloudref_callouts", 28)
        md.preprocessors.register(LazyListPreprocessor(md), "cloudref_lazy_lists", 27)
        # Before links (160) read `[[x]]` as a bracket pair; after code spans (190).
        md.inlinePatterns.register(WikilinkProcessor(WIKILINK, md), "cloudref_wikilink", 175)


def book_extensions(context: RenderContext) -> list[Extension]:
    """The extensions the renderer and the check both add to `EXTENSIONS`."""
    return [BookSyntaxExtension(context)]
