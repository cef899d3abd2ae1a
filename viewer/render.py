"""Markdown to the HTML subset Qt's rich text engine draws well.

Rendering lives outside any widget: the page view, the printer and the tests all call
`render_topic`. Qt-specific reshaping (admonitions and code blocks as one-cell tables, which
Qt pads and shades; anchors as `<a name>`; table borders as attributes) is done by
Python-Markdown processors registered in `QtRichTextExtension`.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field

import markdown
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor

from . import links
from .chunking import split_markdown
from .library import Library, Topic
from .problems import Problem

EXTENSIONS = [
    "toc",
    "tables",
    "fenced_code",
    "codehilite",
    "admonition",
    "def_list",
    "footnotes",
    "abbr",
    "attr_list",
    "sane_lists",
]
PROGRESSIVE_BYTES = 96_000  # topics larger than this are shown piece by piece
PIECE_CHARS = 24_000  # about 15 ms of Markdown work a piece on a 2-core laptop


EXTENSION_CONFIGS = {
    "codehilite": {"guess_lang": False, "css_class": "codehilite"},
    "toc": {"permalink": False},
}


@dataclass
class RenderedPage:
    topic_id: str
    title: str
    html: str
    headings: list[tuple[int, str, str]] = field(default_factory=list)  # (level, anchor, text)
    problems: list[Problem] = field(default_factory=list)


class _Context:
    """What the processors need to know about the page being rendered."""

    library: Library | None = None
    topic: Topic | None = None
    external_links: bool = False  # print: show the URL after an external link


class _LinkAndImageProcessor(Treeprocessor):
    def __init__(self, md: markdown.Markdown, context: _Context):
        super().__init__(md)
        self.context = context

    def run(self, root: etree.Element) -> None:
        library, topic = self.context.library, self.context.topic
        parents = {child: parent for parent in root.iter() for child in parent}
        for element in list(root.iter()):
            if element.tag == "a" and element.get("href") is not None and library is not None:
                self._link(element, library, topic)
            elif element.tag == "img" and library is not None:
                self._image(element, parents, library, topic)
            elif element.tag in ("h1", "h2", "h3", "h4", "h5", "h6") and element.get("id"):
                self._anchor(element)
            elif element.tag == "table":
                element.set("border", "1")
                element.set("cellspacing", "0")
                element.set("cellpadding", "6")
            elif element.tag == "div" and "admonition" in element.get("class", ""):
                self._admonition(element)

    def _link(self, element: etree.Element, library: Library, topic: Topic | None) -> None:
        href = element.get("href", "")
        if href.startswith("#fn") or href.startswith("#fnref"):
            return
        target = links.classify(library, topic, href)
        if target.kind == "topic":
            element.set("href", f"{links.TOPIC_SCHEME}:{target.topic_id}" + (f"#{target.anchor}" if target.anchor else ""))
        elif target.kind == "external":
            element.set("title", target.url)
            if self.context.external_links:
                text = "".join(element.itertext())
                if text.strip() != target.url:
                    note = etree.SubElement(element, "span", {"class": "url"})
                    note.text = f" ({target.url})"
        elif target.kind == "blocked":
            element.set("title", f"Not followed: {target.reason}")

    def _image(self, element, parents, library: Library, topic: Topic | None) -> None:
        alt = element.get("alt", "")
        src = element.get("src", "")
        if alt and not element.get("title"):
            element.set("title", alt)
        found = links.resolve_image(library, topic, src)
        if found.kind == "file":
            return
        reason = {
            "remote": "Remote image not loaded",
            "outside": "Image outside the library not loaded",
            "missing": "Image not found",
        }[found.kind]
        parent = parents.get(element)
        label = f"{reason}: {src}"
        if parent is not None and parent.tag == "p" and len(parent) == 1 and not (parent.text or "").strip():
            parent.tag = "table"
            parent.attrib = {"class": "placeholder", "border": "1", "cellspacing": "0", "cellpadding": "12", "width": "100%"}
            parent.remove(element)
            row = etree.SubElement(parent, "tr")
            cell = etree.SubElement(row, "td", {"align": "center"})
            strong = etree.SubElement(cell, "b")
            strong.text = alt or "Image"
            br = etree.SubElement(cell, "br")
            br.tail = label
        else:
            element.tag = "span"
            element.attrib = {"class": "placeholder", "title": label}
            element.text = f"[{alt or 'image'} — {label}]"

    @staticmethod
    def _anchor(element: etree.Element) -> None:
        anchor = etree.Element("a", {"name": element.get("id", "")})
        anchor.text, element.text = element.text, None
        for child in list(element):
            element.remove(child)
            anchor.append(child)
        element.insert(0, anchor)

    @staticmethod
    def _admonition(element: etree.Element) -> None:
        kinds = element.get("class", "").split()
        kind = next((k for k in kinds if k != "admonition"), "note")
        children = list(element)
        for child in children:
            element.remove(child)
        element.tag = "table"
        element.attrib = {"class": f"admonition {kind}", "width": "100%", "cellspacing": "0", "cellpadding": "10", "border": "0"}
        row = etree.SubElement(element, "tr")
        cell = etree.SubElement(row, "td", {"class": f"admonition-{kind}"})
        for child in children:
            cell.append(child)


_CODE_BLOCK = re.compile(r'<div class="codehilite"><pre>(?:<span></span>)?(.*?)</pre></div>', re.DOTALL)


class _CodeBlockPostprocessor(Postprocessor):
    """Code blocks as shaded one-cell tables: Qt pads table cells, not divs."""

    def run(self, text: str) -> str:
        def box(match: re.Match) -> str:
            body = match.group(1).replace("<code>", "").replace("</code>", "").rstrip("\n")
            return (
                '<table class="code" width="100%" cellspacing="0" cellpadding="10" border="0">'
                f'<tr><td class="code"><pre class="codehilite">{body}</pre></td></tr></table>'
            )

        return _CODE_BLOCK.sub(box, text)


class QtRichTextExtension(Extension):
    def __init__(self, context: _Context, **kwargs):
        super().__init__(**kwargs)
        self.context = context

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API
        # After "toc" (priority 5) has given headings their ids.
        md.treeprocessors.register(_LinkAndImageProcessor(md, self.context), "cloudref_links", 1)
        md.postprocessors.register(_CodeBlockPostprocessor(md), "cloudref_code", 5)


class Renderer:
    """One Markdown converter, reused: building one costs more than converting a page."""

    def __init__(self) -> None:
        self.context = _Context()
        self.md = markdown.Markdown(
            extensions=[*EXTENSIONS, QtRichTextExtension(self.context)],
            extension_configs=EXTENSION_CONFIGS,
            output_format="html",
        )

    def render_text(self, text: str, library: Library | None = None, topic: Topic | None = None, *, for_print: bool = False) -> tuple[str, list]:
        self.context.library, self.context.topic, self.context.external_links = library, topic, for_print
        self.md.reset()
        body = self.md.convert(text)
        return body, list(getattr(self.md, "toc_tokens", []))

    def render_topic(self, library: Library, topic: Topic, *, appendix_html: str = "", for_print: bool = False) -> RenderedPage:
        source = library.read(topic)
        problems = list(source.problems)
        try:
            body, toc = self.render_text(source.body, library, topic, for_print=for_print)
        except Exception as exc:  # a renderer bug must not take the app down: show it instead
            problems.append(Problem(topic.path, source.body_line, "error", f"cannot render: {type(exc).__name__}: {exc}"))
            return error_page(topic, problems)
        if any(p.level == "error" for p in source.problems) and not source.body:
            return error_page(topic, problems)
        banner = _problem_banner(problems, library)
        if not body.strip():
            body = (
                f"<h1>{html.escape(topic.title)}</h1><p class=\"footnote\">This topic has no text yet. "
                f"Write it in <code>{html.escape(str(topic.path))}</code>; the page updates when you save.</p>"
            )
        headings: list[tuple[int, str, str]] = []
        _walk_toc(toc, headings)
        return RenderedPage(topic.id, topic.title, banner + body + appendix_html, headings, problems)


    def render_first_piece(
        self, library: Library, topic: Topic, *, piece_chars: int = PIECE_CHARS
    ) -> tuple[RenderedPage, list[str]]:
        """A long topic's first piece as a page, and the Markdown of the pieces still to render.

        Shown progressively, a 1 MB topic is on screen after one piece's work instead of all of
        it. Short topics come back whole with no pieces left (and no appendix: the caller adds it).
        """
        if _file_size(topic) <= PROGRESSIVE_BYTES:
            return self.render_topic(library, topic), []
        source = library.read(topic)
        pieces = split_markdown(source.body, piece_chars)
        first = self.render_topic_text(library, topic, pieces[0], source.body_line, list(source.problems))
        return first, pieces[1:]

    def render_topic_text(self, library: Library, topic: Topic, text: str, body_line: int, problems: list[Problem]) -> RenderedPage:
        try:
            body, toc = self.render_text(text, library, topic)
        except Exception as exc:  # a renderer bug must not take the app down: show it instead
            problems.append(Problem(topic.path, body_line, "error", f"cannot render: {type(exc).__name__}: {exc}"))
            return error_page(topic, problems)
        headings: list[tuple[int, str, str]] = []
        _walk_toc(toc, headings)
        return RenderedPage(topic.id, topic.title, _problem_banner(problems, library) + body, headings, problems)


def _file_size(topic: Topic) -> int:
    try:
        return topic.path.stat().st_size
    except OSError:
        return 0


def _walk_toc(tokens: list, out: list[tuple[int, str, str]]) -> None:
    for token in tokens:
        out.append((token.get("level", 1), token.get("id", ""), html.unescape(token.get("name", ""))))
        _walk_toc(token.get("children", []), out)


def _problem_banner(problems: list[Problem], library: Library) -> str:
    if not problems:
        return ""
    rows = "".join(f"<br/>{html.escape(p.format(library.root))}" for p in problems)
    return (
        '<table class="admonition warning" width="100%" cellspacing="0" cellpadding="10" border="0">'
        f'<tr><td class="admonition-warning"><b>Problems in this topic</b>{rows}</td></tr></table>'
    )


def error_page(topic: Topic, problems: list[Problem]) -> RenderedPage:
    """A page that says what is wrong and where, in place of a topic that cannot be shown."""
    items = "".join(
        f"<li>{'line ' if p.path == topic.path else html.escape(f'{p.path}:')}{p.line}: {p.level}: {html.escape(p.message)}</li>"
        for p in problems
    )
    body = (
        f"<h1>{html.escape(topic.title)}</h1>"
        '<table class="admonition danger" width="100%" cellspacing="0" cellpadding="10" border="0">'
        '<tr><td class="admonition-danger"><p><b>This topic cannot be shown.</b></p>'
        f"<p>File: <code>{html.escape(str(topic.path))}</code></p><ul>{items}</ul>"
        "<p>Fix the file and it reloads; the rest of the library works as usual.</p></td></tr></table>"
    )
    return RenderedPage(topic.id, topic.title, body, [], problems)
