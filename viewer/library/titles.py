"""Topic titles as plain text, and the first heading of a Markdown text.

A title is shown in the tree, search results, PDF bookmarks and `--list`, none of which draws
Markdown or HTML: `Account settings<a name="x"></a>`, `` `cdk` commands`` and `\\.NET` must
read as "Account settings", "cdk commands" and ".NET". No Markdown library here: a tree of
5,000 topics takes its titles from the head of each file, so this stays a few regexes.
"""

from __future__ import annotations

import html
import re

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_TAG = re.compile(r"</?[A-Za-z][^>]*>|<!--.*?-->", re.DOTALL)
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\[[^\]]*\]")
_WIKI = re.compile(r"!?\[\[([^\]|#]*)(?:#([^\]|]*))?(?:\|([^\]]*))?\]\]")
_ATTRS = re.compile(r"\s*\{\s*[#.:][^}]*\}\s*$")
_CODE = re.compile(r"(`+)(.+?)\1")
_STRONG = re.compile(r"(\*\*|__|~~|==)(?=\S)(.+?)(?<=\S)\1")
_EM_STAR = re.compile(r"\*(?=\S)(.+?)(?<=\S)\*")
_EM_UNDER = re.compile(r"(?<![\w\\])_(?=\S)(.+?)(?<=\S)_(?!\w)")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_SPACE = re.compile(r"\s+")


def plain_text(text: str) -> str:
    """Inline Markdown and HTML as the words a reader sees: markup gone, entities decoded."""
    if not any(c in text for c in "<>[]`*_~=\\&{"):
        return _SPACE.sub(" ", text).strip()
    text = _ATTRS.sub("", text)  # `{#anchor}` after a heading (attr_list)
    codes: list[str] = []

    def keep_code(match: re.Match) -> str:
        codes.append(match.group(2).strip())
        return f"\x00{len(codes) - 1}\x00"

    text = _CODE.sub(keep_code, text)  # code is shown as written: no markup inside it
    text = _WIKI.sub(lambda m: m.group(3) or m.group(1) or m.group(2) or "", text)
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), text)
    text = _TAG.sub("", text)
    for _ in range(2):  # `**_both_**`
        text = _STRONG.sub(r"\2", text)
        text = _EM_STAR.sub(r"\1", text)
        text = _EM_UNDER.sub(r"\1", text)
    text = _ESCAPE.sub(r"\1", text)
    text = re.sub("\x00(\\d+)\x00", lambda m: codes[int(m.group(1))], text)
    return _SPACE.sub(" ", html.unescape(text)).strip()


def first_heading(text: str) -> str | None:
    """The text of the first heading of any level (ATX `#` or setext underline), as written;
    headings inside fenced code blocks are code, not headings."""
    fence = ""
    previous = ""
    for line in text.split("\n"):
        line = line.rstrip("\r")
        opened = _FENCE.match(line)
        if fence:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = ""
            previous = ""
            continue
        if opened:
            fence = opened.group(1)
            previous = ""
            continue
        if line.startswith(("    ", "\t")) and not previous:
            continue  # indented code
        match = _ATX.match(line)
        if match and (match.group(2) or "").strip():
            return match.group(2)
        if previous and _SETEXT.match(line) and not previous.lstrip().startswith(("-", "*", "+")):
            return previous
        previous = line.strip() if line.strip() and not line.lstrip().startswith(">") else ""
    return None


def heading_title(text: str) -> str | None:
    """The first heading of `text` as a plain title, or None if it has none (or it is empty)."""
    heading = first_heading(text)
    if heading is None:
        return None
    return plain_text(heading) or None
