"""The Python-Markdown extension that shapes HTML for Qt's rich text engine.

Kept apart from `viewer.pages.render` so that importing the renderer does not import
Python-Markdown: a start that shows a cached page never needs it. `Renderer.md` builds the
converter here on first use.
"""

from __future__ import annotations

import importlib
import re
import xml.etree.ElementTree as etree
from typing import TYPE_CHECKING

import markdown
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor

from viewer.library.cache import file_stamp
from viewer.library.folder import Library, Topic
from viewer.pages import card_syntax, links, pictures
from viewer.pages.book_syntax import book_extensions
from viewer.pages.code_spans import LinearCodeSpans
from viewer.pages.svg_size import svg_file_size

if TYPE_CHECKING:
    from viewer.pages.context import RenderContext


def build_markdown(
    context: RenderContext, extensions: list[str], configs: dict
) -> markdown.Markdown:
    """A converter with `extensions` and ours, which reads and records through `context`."""
    return markdown.Markdown(
        extensions=[
            *(extension(name, configs.get(name, {})) for name in extensions),
            *book_extensions(context),
            QtRichTextExtension(context),
            DeadlineExtension(context),
            LinearCodeSpans(),
        ],
        output_format="html",
    )


def extension(name: str, config: dict) -> Extension:
    """The extension `name` ("toc" for Python-Markdown's own, else a module's dotted path),
    made from its module. Named as a string, Python-Markdown would first look it up among the
    entry points of every installed package: that scan costs more than building the converter."""
    module = importlib.import_module(name if "." in name else f"markdown.extensions.{name}")
    return module.makeExtension(**config)


class _LinkAndImageProcessor(Treeprocessor):
    def __init__(self, md: markdown.Markdown, context: RenderContext):
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
            elif element.tag == "mark":  # Qt's rich text has no <mark>
                element.tag = "span"
                element.set("class", "mark")
            elif element.tag == "ul" and "task-list" in element.get("class", ""):
                element.set("style", "list-style-type: none")

    def _link(self, element: etree.Element, library: Library, topic: Topic | None) -> None:
        href = element.get("href", "")
        if href.startswith("#fn") or href.startswith("#fnref"):
            return
        target = links.classify(library, topic, href)
        if target.kind == "topic":
            element.set(
                "href",
                f"{links.TOPIC_SCHEME}:{target.topic_id}"
                + (f"#{target.anchor}" if target.anchor else ""),
            )
        elif target.kind == "external":
            element.set("title", target.url)
            if self.context.external_links:
                text = "".join(element.itertext())
                if text.strip() != target.url:
                    note = etree.SubElement(element, "span", {"class": "url"})
                    note.text = f" ({target.url})"
        elif target.kind == "blocked":
            element.set("title", f"Not followed: {target.reason}")
            element.set("class", "broken")  # shown apart from links that lead somewhere

    def _image(self, element, parents, library: Library, topic: Topic | None) -> None:
        alt = element.get("alt", "")
        src = element.get("src", "")
        if alt and not element.get("title"):
            element.set("title", alt)
        found = links.resolve_image(library, topic, src)
        svg = found.kind == "file" and found.path.suffix.lower() == ".svg"
        # The picture gate reads the file (and an SVG's size goes on its <img>, below), so the
        # page depends on the file's contents: its stamp says when they change.
        self.context.images.append(
            (
                src,
                found.kind,
                str(found.path) if found.path is not None else "",
                file_stamp(found.path) if found.kind == "file" else "",
            )
        )
        picture = pictures.inspect_file(found.path) if found.kind == "file" else None
        if picture is not None and not picture.ok:
            self.context.refused.append((src, picture.reason))
        elif found.kind == "file":
            size = svg_file_size(found.path) if svg else None
            if size is not None and element.get("width") is None and element.get("height") is None:
                # Qt lays the page out without loading the picture (viewer.pages.svg_size).
                element.set("width", f"{size[0]:g}")
                element.set("height", f"{size[1]:g}")
            # The paragraph's `line-height: 135%` would add a third of the picture's height
            # below it: the block that holds a picture keeps single line height (page.css).
            block = parents.get(element)
            while block is not None and block.tag not in ("p", "li"):
                block = parents.get(block)
            if block is not None:
                block.set("class", " ".join(filter(None, [block.get("class"), "figure"])))
            return
        reason = {
            "remote": "Remote image not loaded",
            "outside": "Image outside the library not loaded",
            "missing": "Image not found",
            "file": f"Picture not shown ({picture.reason if picture else ''})",
        }[found.kind]
        parent = parents.get(element)
        label = f"{reason}: {src}"
        if (
            parent is not None
            and parent.tag == "p"
            and len(parent) == 1
            and not (parent.text or "").strip()
        ):
            parent.tag = "table"
            parent.attrib = {
                "class": "placeholder",
                "border": "1",
                "cellspacing": "0",
                "cellpadding": "12",
                "width": "100%",
            }
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
        element.attrib = {
            "class": f"admonition {kind}",
            "width": "100%",
            "cellspacing": "0",
            "cellpadding": "10",
            "border": "0",
        }
        row = etree.SubElement(element, "tr")
        cell = etree.SubElement(row, "td", {"class": f"admonition-{kind}"})
        for child in children:
            cell.append(child)


_CODE_BLOCK = re.compile(
    r'<div class="codehilite"><pre>(?:<span></span>)?(.*?)</pre></div>', re.DOTALL
)


_CHECKBOX = re.compile(r'<input type="checkbox" disabled( checked)?/>')


class _TaskBoxPostprocessor(Postprocessor):
    """Task-list boxes as ballot-box characters: Qt's rich text draws no form controls."""

    def run(self, text: str) -> str:
        if "checkbox" not in text:
            return text
        return _CHECKBOX.sub(
            lambda m: (
                '<span class="task done">\u2611</span>'
                if m.group(1)
                else '<span class="task">\u2610</span>'
            ),
            text,
        )


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


class _FlashcardProcessor(BlockProcessor):
    """`Question::Answer` lines and `?`-separated cards (viewer.card_syntax) as a Q/A table:
    the reader sees a question and its answer, never the separators."""

    def test(self, parent: etree.Element, block: str) -> bool:
        # Top-level paragraphs only, as card_syntax.scan reads them: not inside a list item,
        # quote or admonition, nor the answer of a card itself.
        return parent is self.parser.root and card_syntax.is_card_block(block.split("\n"))

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        table: etree.Element | None = None
        for segment in card_syntax.split_block(blocks.pop(0).split("\n")):
            if segment.card is None:
                table = None
                self.parser.parseChunk(parent, segment.text)
                continue
            if table is None:
                table = etree.SubElement(
                    parent,
                    "table",
                    {
                        "class": "flashcard",
                        "width": "100%",
                        "cellspacing": "0",
                        "cellpadding": "6",
                        "border": "1",
                    },
                )
            for label, text, kind in (
                ("Q", segment.card.question, "card-q"),
                ("A", segment.card.answer, "card-a"),
            ):
                row = etree.SubElement(table, "tr")
                etree.SubElement(row, "td", {"class": "card-label", "width": "28"}).text = label
                cell = etree.SubElement(row, "td", {"class": kind})
                self.parser.parseChunk(cell, text)
                # One line of text needs no paragraph: its margin would pad the cell.
                if len(cell) == 1 and cell[0].tag == "p":
                    only = cell[0]
                    cell.remove(only)
                    cell.text = only.text
                    for child in only:
                        cell.append(child)


class QtRichTextExtension(Extension):
    def __init__(self, context: RenderContext, **kwargs):
        super().__init__(**kwargs)
        self.context = context

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API
        # After "toc" (priority 5) has given headings their ids.
        md.treeprocessors.register(_LinkAndImageProcessor(md, self.context), "cloudref_links", 1)
        md.postprocessors.register(_CodeBlockPostprocessor(md), "cloudref_code", 5)
        # Above the paragraph (10), below lists, quotes, tables and headings, which hold no cards.
        md.parser.blockprocessors.register(_FlashcardProcessor(md.parser), "cloudref_flashcard", 15)
        md.postprocessors.register(_TaskBoxPostprocessor(md), "cloudref_tasks", 4)


class _DeadlineBlocks(BlockProcessor):
    """Asked first about every block: checks the time left, never claims the block."""

    def __init__(self, parser, holder):
        super().__init__(parser)
        self.holder = holder

    def test(self, parent, block) -> bool:
        if self.holder.deadline is not None:
            self.holder.deadline.check()
        return False

    def run(self, parent, blocks) -> bool:  # never called: test() is always False
        return False


class _DeadlineSearch:
    """Stands in for a compiled pattern: each search checks the time left and finds nothing."""

    def __init__(self, holder):
        self.holder = holder

    def search(self, _data, _start=0):
        if self.holder.deadline is not None:
            self.holder.deadline.check()
        return None

    def finditer(self, data, start=0):
        self.search(data, start)
        return iter(())


class _DeadlineInline(InlineProcessor):
    """Tried first on every piece of inline text, so a long inline pass is cut off in time."""

    def __init__(self, holder):
        super().__init__(r"(?!)")
        self._search = _DeadlineSearch(holder)

    def getCompiledRegExp(self):  # noqa: N802 - Markdown's API
        return self._search


class DeadlineExtension(Extension):
    """Gives the converter a time budget: `holder.deadline` (a `viewer.pages.budget.Deadline`,
    or None for none) is checked before each block and each inline pass; once spent it raises
    `OverBudget`, which the caller turns into an error page or a check error."""

    def __init__(self, holder, **kwargs):
        super().__init__(**kwargs)
        self.holder = holder

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API
        md.parser.blockprocessors.register(_DeadlineBlocks(md.parser, self.holder), "deadline", 999)
        md.inlinePatterns.register(_DeadlineInline(self.holder), "deadline", 999)
