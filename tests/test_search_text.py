"""The index's Markdown stripping gives the text the line-start patterns (`^` under MULTILINE)
gave, on any mix of the markup it strips. No Qt."""

from __future__ import annotations

import html
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from viewer.search.text import _IMAGE, _LINK, _MARKUP_CHARS, _REF_LINK, _RULE, markdown_text

# The line-start patterns as they were, for the reference.
FENCE_LINE = re.compile(r"^[ \t]*(?:```|~~~).*$", re.MULTILINE)
REF_DEFINITION = re.compile(r"^[ \t]*\[[^\]\n]+\]:[ \t]*\S.*$", re.MULTILINE)
FOOTNOTE_REF = re.compile(r"\[\^[^\[\]\n]*\]:?")
ADMONITION = re.compile(r'^!!![ \t]*[\w-]+(?:[ \t]+"([^"\n]*)")?', re.MULTILINE)
ATTR_LIST = re.compile(r"\{:?[ \t]*[#.][^{}\n]*\}")
TAG = re.compile(r"</?[A-Za-z][^<>\n]*>")
LIST_MARK = re.compile(r"^[ \t]*(?:[-+]|\d+\.)[ \t]+", re.MULTILINE)


def reference(body: str) -> str:
    text = FENCE_LINE.sub(" ", body)
    text = REF_DEFINITION.sub(" ", text)
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _REF_LINK.sub(r"\1", text)
    text = FOOTNOTE_REF.sub(" ", text)
    text = ADMONITION.sub(r"\1", text)
    text = ATTR_LIST.sub(" ", text)
    text = TAG.sub(" ", text)
    text = LIST_MARK.sub(" ", text)
    text = _RULE.sub(" ", text)
    text = text.translate(_MARKUP_CHARS)
    return html.unescape(text)


PIECES = [
    "\n", "\n\n", " ", "\t", "word", "Ünïcode", "```", "~~~", "```py", "[", "]", "(", ")",
    "[a](b)", "![alt](x.svg)", "[ref]: http://x", "[^1]", "[^1]: note", "!!!", '!!! note "T"',
    "!!! tip", "{: #id}", "{.cls}", "<b>", "</b>", "- ", "+ ", "* ", "1. ", "12.", "---", "===",
    ":::", "-=:", "|", ">", "#", "**", "`", "&amp;", "&#10;", "\r", ":", "-", "=", "1",
]  # fmt: skip


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_stripping_matches_the_line_start_patterns(body):
    assert markdown_text(body, one_line=False) == reference(body)
    assert markdown_text(body) == " ".join(reference(body).split())
