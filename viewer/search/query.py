"""The user's words and what a hit shows: a query cut into plain words, the FTS5 query made
of them (never FTS5 syntax), the match marks in snippets, the result row. No Qt."""

from __future__ import annotations

import re
from dataclasses import dataclass

MARK_START, MARK_END = "\x01", "\x02"  # around the matched words in a snippet
MIN_PREFIX = 3  # a shorter last word is matched whole: "s"* would touch every document

_WORD = re.compile(r"[^\W_]+")


def query_words(query: str) -> list[str]:
    """The plain words of what the user typed, lower-cased: punctuation and operators are gone."""
    return _WORD.findall(query.casefold())


def fts_query(words: list[str], *, prefix_last: bool = True) -> str:
    """An FTS5 query that means "all these words", the last one also as a prefix (as you type)
    once it has MIN_PREFIX letters.

    Words are only letters and digits, so quoting each one is enough to make FTS5 read
    `NEAR`, `AND` or `OR` as words and never as operators.
    """
    if not words:
        return ""
    parts = [f'"{word}"' for word in words]
    if prefix_last and len(words[-1]) >= MIN_PREFIX:
        parts[-1] += "*"
    return " ".join(parts)


def plain_snippet(snippet: str) -> str:
    """A snippet without match marks, on one line, for the command line."""
    text = snippet.replace(MARK_START, "").replace(MARK_END, "")
    return " ".join(text.split())


def mark_words(text: str, words: list[str]) -> str:
    """`text` with every word that starts with one of `words` between the match marks."""
    if not words or not text:
        return text
    pattern = re.compile(
        r"(?<![^\W_])(?:"
        + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        + r")[^\W_]*",
        re.IGNORECASE,
    )
    return pattern.sub(lambda m: f"{MARK_START}{m.group(0)}{MARK_END}", text)


@dataclass(frozen=True)
class SearchResult:
    topic_id: str
    title: str
    kind: str  # "name": title, id or alias matched; "text": a full-text hit
    snippet: str  # plain text with MARK_START … MARK_END around the matched words
    terms: tuple[str, ...] = ()  # the words to find in the page when a text hit is opened
    section: str = ""  # the heading of the section a text hit is in ("" for the topic's top)
    anchor: str = ""  # that heading's anchor on the rendered page

    @property
    def label(self) -> str:
        """What the hit is called: `AWS Lambda › Cold starts`, or the topic's title."""
        return f"{self.title} › {self.section}" if self.section else self.title


def lead_to_match(snippet: str, words_before: int = 4, room: int = 60) -> str:
    """A snippet whose first match sits far in starts a few words before it: the list shows
    two lines of it, and the matched words are what the reader looks for."""
    first = snippet.find(MARK_START)
    if first <= room:
        return snippet
    head = snippet[:first].split(" ")
    return "…" + " ".join(head[-words_before - 1 :]) + snippet[first:]
