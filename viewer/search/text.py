"""Markdown to searchable text: a topic cut into its sections (at its headings, as the
renderer anchors them), each section's markup stripped cheaply. No Qt."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from viewer.library import frontmatter
from viewer.library.folder import MAX_TOPIC_BYTES, Topic, decode

CHUNK_CHARS = 8_000  # the indexer strips Markdown in pieces this long (see section_text)

# Patterns for a line's start begin with its "\n" (markdown_text puts one before the first
# line): the engine finds a literal by fast search, where `^` under MULTILINE is tried at
# every character of the text. Each match gives its "\n" back.
_FENCE_LINE = re.compile(r"\n[ \t]*(?:```|~~~)[^\n]*")
# Each class also stops at the next opener ("[", "(", "<", "{"): a run of openers with no
# closer (`![` forty thousand times) is then scanned once, not once per opener.
_IMAGE = re.compile(r"!\[([^\[\]\n]*)\]\([^()\n]*\)")
_LINK = re.compile(r"\[([^\[\]\n]*)\]\([^()\n]*\)")
_REF_LINK = re.compile(r"\[([^\[\]\n]*)\]\[[^\[\]\n]*\]")
_REF_DEFINITION = re.compile(r"\n[ \t]*\[[^\]\n]+\]:[ \t]*\S[^\n]*")
_FOOTNOTE_REF = re.compile(r"\[\^[^\[\]\n]*\]:?")
_ADMONITION = re.compile(r'\n!!![ \t]*[\w-]+(?:[ \t]+"([^"\n]*)")?')
_ATTR_LIST = re.compile(r"\{:?[ \t]*[#.][^{}\n]*\}")
_TAG = re.compile(r"</?[A-Za-z][^<>\n]*>")
_LIST_MARK = re.compile(r"\n[ \t]*(?:[-+]|\d+\.)[ \t]+")
# Table rules, horizontal rules, setext underlines: runs of three or more. Spelt out, not as
# `[-=:]{3,}`, which matches the same runs: the engine scans for this form faster.
_RULE = re.compile(r"[-=:][-=:][-=:]+")
# Emphasis and code marks vanish ("**engine**," reads "engine,"); table bars, quote marks
# and heading hashes become spaces. FTS5 splits words on all of them anyway.
_MARKUP_CHARS = str.maketrans({"*": None, "`": None, "|": " ", ">": " ", "#": " ", "~": " "})


def markdown_text(body: str, *, one_line: bool = True) -> str:
    """The words of a Markdown body, markup stripped cheaply (no rendering: 50 MB must index fast).

    Link and image text stays, addresses go; code stays (people search for commands);
    admonition titles stay. The result is one line (a heading reads as it is shown), or with
    `one_line=False` keeps the text's line breaks and spaces (see section_text).
    """
    # Each pass scans the whole text: a pass whose first character is absent is skipped.
    text = "\n" + body  # every line after a "\n" (see _FENCE_LINE); no pass removes it
    if "```" in text or "~~~" in text:
        text = _FENCE_LINE.sub("\n ", text)
    if "[" in text:
        text = _REF_DEFINITION.sub("\n ", text)
        text = _IMAGE.sub(r"\1", text)
        text = _LINK.sub(r"\1", text)
        text = _REF_LINK.sub(r"\1", text)
        text = _FOOTNOTE_REF.sub(" ", text)
    if "!!!" in text:
        text = _ADMONITION.sub("\n\\1", text)
    if "{" in text:
        text = _ATTR_LIST.sub(" ", text)
    if "<" in text:
        text = _TAG.sub(" ", text)
    text = _LIST_MARK.sub("\n ", text)
    text = _RULE.sub(" ", text)
    text = text.translate(_MARKUP_CHARS)
    if "&" in text:
        text = html.unescape(text)
    return " ".join(text.split()) if one_line else text[1:]


MAX_INDEX_LINE = 20_000  # longer lines are indexed up to here (viewer.pages.budget's limit)


_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_SETEXT_RULE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FENCE_OPEN = re.compile(r"^[ \t]{0,3}(```+|~~~+)")


@dataclass(frozen=True)
class MarkdownSection:
    """A stretch of a topic's Markdown under one heading (the text before the first has none)."""

    level: int  # 0 for the text before the first heading
    heading: str  # plain text
    anchor: str  # the id the renderer gives the heading ("" for level 0)
    body: str  # Markdown, the heading line left out


def markdown_sections(body: str) -> list[MarkdownSection]:
    """A topic's Markdown cut at its headings (ATX `#` and setext underlines, never inside a
    fenced code block), each with the anchor the renderer's `toc` extension makes for it."""
    from markdown.extensions.toc import slugify, unique  # the renderer's own rule for ids

    sections: list[MarkdownSection] = []
    used: set[str] = set()
    level, heading, lines = 0, "", []
    fence = ""

    def close() -> None:
        text = "\n".join(lines)
        if level or text.strip():
            anchor = unique(slugify(heading, "-"), used) if level else ""
            sections.append(MarkdownSection(level, heading, anchor, text))

    source = body.split("\n")
    for number, line in enumerate(source):
        if fence:
            lines.append(line)
            if line.strip().startswith(fence):
                fence = ""
            continue
        # A fence, a heading's hashes and an underline all start within a line's first four
        # characters: most lines are text, and a look there spares them the patterns.
        head = line[:4]
        if ("`" in head or "~" in head) and (opened := _FENCE_OPEN.match(line)):
            fence = opened.group(1)[:3]
            lines.append(line)
            continue
        atx = _ATX_HEADING.match(line) if "#" in head else None
        following = source[number + 1] if number + 1 < len(source) else ""
        underline = following[:4]
        setext = (
            not atx
            and ("=" in underline or "-" in underline)
            and line.strip()
            and not line.startswith((" " * 4, "\t", "|", ">", "-", "*", "+"))
            and _SETEXT_RULE.match(following)
            and (not lines or not lines[-1].strip())  # a heading starts a block
        )
        if atx or setext:
            close()
            if atx:
                level, text = len(atx.group(1)), atx.group(2)
            else:
                level, text = (1 if following.strip()[0] == "=" else 2), line
                source[number + 1] = ""  # the underline is not text
            heading, lines = markdown_text(text), []
            continue
        lines.append(line)
    close()
    return sections


def topic_sections(topic: Topic, notes: list[str] | None = None) -> list[MarkdownSection]:
    """The sections of a topic file, front matter left out; [] if it cannot be read. What the
    budget leaves out (the ends of over-long lines) is said in `notes`."""
    try:
        with open(topic.path, "rb") as handle:
            data = handle.read(MAX_TOPIC_BYTES)  # the page shows no more than this either
    except OSError:
        return []
    text, _problems = decode(data, topic.path)
    body = frontmatter.body_of(text)
    lines = body.split("\n") if len(body) > MAX_INDEX_LINE else []
    if any(len(line) > MAX_INDEX_LINE for line in lines):
        body = "\n".join(line[:MAX_INDEX_LINE] for line in lines)
        if notes is not None:
            notes.append(f"lines longer than {MAX_INDEX_LINE:,} characters indexed in part")
    return markdown_sections(body)


def section_text(body: str) -> str:
    """The searchable text of a section's Markdown, its line breaks and runs of spaces kept:
    FTS5 splits words on them all the same, and a snippet is made one line when it is shown
    (`plain_snippet`), so the index does not do it for every line of every section."""
    if len(body) <= CHUNK_CHARS:
        return markdown_text(body, one_line=False)
    # A regular expression holds the GIL for its whole run: cut a long page at paragraph breaks
    # so the indexer thread lets the window in between pieces.
    pieces, start = [], 0
    while start < len(body):
        end = body.find("\n\n", start + CHUNK_CHARS)
        end = len(body) if end < 0 else end
        pieces.append(markdown_text(body[start:end], one_line=False))
        start = end
    return " ".join(pieces)


def section_rows(topic: Topic, notes: list[str] | None = None) -> list[tuple[str, str, str]]:
    """(anchor, heading, text) for each section of a topic file, as the index stores them: the
    page's title heading names no section (its text is the topic's top). What the budget
    leaves out is said in `notes` (see topic_sections)."""
    rows = []
    for section in topic_sections(topic, notes):
        named = section.level > 1 or (
            section.level == 1 and section.heading and section.heading != topic.title
        )
        heading = section.heading if named else ""
        rows.append((section.anchor if named else "", heading, section_text(section.body)))
    return rows
