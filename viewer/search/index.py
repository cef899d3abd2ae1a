"""Search: quick open by name (title, id, aliases) and full-text search over SQLite FTS5.

Two halves, one ranked list. Quick open matches topic *names* fuzzily from memory, so it works
the moment a library is open; full-text hits come from an FTS5 index (porter stemming, bm25
with the title, aliases and section heading weighted over the body) kept in the user's cache
folder and brought up to date incrementally: only files whose size or modification time changed
are read again. The index holds one row per *section* of a topic (its text up to the next
heading), so a hit names its section and opens at it; a hit with every word in the topic's
title, aliases or the section's heading ranks above one that has them only in its text.

Query text is never handed to FTS5 as syntax: it is split into plain words and each word is
quoted, so quotes, `*`, `NEAR`, `AND`, a lone `-` or a stray parenthesis are just text.

No Qt here. The window runs `SearchIndex.update` on a worker thread; every thread gets its
own SQLite connection.
"""

from __future__ import annotations

import bisect
import html
import json
import os
import queue
import re
import sqlite3
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from viewer.library import frontmatter
from viewer.library.cache import cache_dir, library_slug
from viewer.library.folder import MAX_TOPIC_BYTES, Library, Topic, decode

SCHEMA_VERSION = 3  # bump when the stored text changes shape: old caches are rebuilt
MARK_START, MARK_END = "\x01", "\x02"  # around the matched words in a snippet
RANKING = "bm25(10.0, 5.0, 5.0, 1.0)"  # column weights: title, aliases, heading, body
NAMED_COLUMNS = "{title aliases heading}"  # where every word of a strong hit is
SECTION_ROWS = 4  # section rows read per hit wanted: a topic's best section is its hit
MIN_PREFIX = 3  # a shorter last word is matched whole: "s"* would touch every document
NAME_LIMIT = 10  # quick-open matches shown before the full-text hits
TEXT_LIMIT = 40
# The indexer commits this often: each FTS5 commit writes a new segment that later merges
# cost, and nobody reads the full text before the first build is done; `stop` keeps what the
# last commit saved.
COMMIT_SECONDS = 1.0
# The indexer's two threads hand over batches of files: the writer then makes one call into
# SQLite per batch and table, each a long stretch without the GIL. (A call per row gave the GIL
# back and waited for it again per row: behind a thread that holds it, up to the switch
# interval each time.)
BATCH_CHARS = 3_000_000  # text per batch
PREPARED_AHEAD = 4  # batches read and stripped ahead of the writer
CHUNK_CHARS = 8_000  # the indexer strips Markdown in pieces this long (see section_text)

_WORD = re.compile(r"[^\W_]+")
_SEPARATORS = re.compile(r"[\W_]+")


# -- the user's text --------------------------------------------------------------------
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


# -- Markdown to searchable text --------------------------------------------------------
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
_RULE = re.compile(r"[-=:]{3,}")  # table rules, horizontal rules, setext underlines
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


def _prepare_files(topics: list[Topic], out: queue.Queue, halt: threading.Event) -> None:
    """Put the topics' (`section_rows`, notes) on `out` in batches (lists, in order) of about
    BATCH_CHARS of text, until `halt` is set; an error is put in a file's place, for the writer
    to raise."""
    batch: list[tuple | Exception] = []
    size = 0
    for number, topic in enumerate(topics):
        notes: list[str] = []
        try:
            rows: tuple | Exception = (section_rows(topic, notes), notes)
            size += sum(len(text) for _anchor, _heading, text in rows[0])
        except Exception as error:  # noqa: BLE001 - raised again by the writer, in its thread
            rows = error
        batch.append(rows)
        if size < BATCH_CHARS and number + 1 < len(topics):
            continue
        while not halt.is_set():
            try:
                out.put(batch, timeout=0.1)
                break
            except queue.Full:
                continue
        if halt.is_set():
            return
        batch, size = [], 0


# -- where the index lives ---------------------------------------------------------------
def index_path(library: Library) -> Path:
    """One index file per library folder."""
    return cache_dir() / f"search-{library_slug(library.root)}.sqlite3"


# -- results -----------------------------------------------------------------------------
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


# -- quick open --------------------------------------------------------------------------
FUZZY_TIER = 5  # the first tier of typo and letter matching (see NameMatcher)
LETTERS_TIER = 6
FUZZY_BELOW = 3  # typo and letter tiers only add to fewer word matches than this
LETTERS_SPREAD = 3  # letters in order may span at most this many characters each


def _typo_pattern(words: list[str]) -> str | None:
    """A whole word one edit (a letter wrong, missing, extra or two swapped) from the query's
    only word; none for several words or a word under 4 letters (too many near misses)."""
    if len(words) != 1 or not 4 <= len(words[0]) <= 20:
        return None
    word = words[0]
    variants = set()
    for i in range(len(word) + 1):
        if i < len(word):
            variants.add(re.escape(word[:i]) + r"[^ \n]" + re.escape(word[i + 1 :]))
            variants.add(re.escape(word[:i]) + re.escape(word[i + 1 :]))
        if i < len(word) - 1:
            swapped = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
            variants.add(re.escape(swapped))
        variants.add(re.escape(word[:i]) + r"[^ \n]" + re.escape(word[i:]))
    return " (?:" + "|".join(sorted(variants)) + r")(?= |$)"


class NameMatcher:
    """Fuzzy matching of a query against every topic's title, id and aliases.

    All names, normalised to lower-case words separated by single spaces, sit in one string,
    one name a line; each tier is one regular-expression scan of that string, so a keystroke
    costs a few C-speed passes whatever the library's size. Tiers, best first:

    0. the whole name  ("fargate" → id fargate)
    1. whole words, in order  ("spot" → "Use Spot Instances", before "Spotlight")
    2. the start of the name  ("serverless cont" → alias "serverless containers")
    3. the start of words, in order  ("lam" → "AWS Lambda")
    4. word initials  ("ecr" → "Elastic Container Registry")
    5. a word one typo away, in a title or id only  ("fargte" → "Fargate")
    6. letters in order, the first starting a word, close together, in a title or id only
       ("fg" → "Fargate")

    Tiers 5 and 6 are for abbreviations and typos: they only fill up a list the word tiers
    left short (fewer than FUZZY_BELOW matches), so a word query is never lost in a flood of
    names that merely hold its letters. Within a tier a title beats the id, the id beats
    aliases (earlier aliases beat later ones), a shorter name beats a longer one, then tree
    order decides.
    """

    def __init__(self, topics: list[Topic]):
        self.topics = topics
        lines: list[str] = []
        self._owners: list[tuple[int, int, str]] = []  # (topic index, field rank, original name)
        for index, topic in enumerate(topics):
            seen: set[str] = set()
            names = [
                (0, topic.title),
                (1, topic.id),
                *((2 + n, alias) for n, alias in enumerate(topic.aliases)),
            ]
            for rank, name in names:
                norm = " ".join(query_words(name))
                if norm and norm not in seen:
                    seen.add(norm)
                    lines.append(" " + norm)  # a leading space: every word starts after one
                    self._owners.append((index, rank, name))
        # The blob starts with a newline, so every line follows one: a name's start is then
        # a literal ("\n fargate") the regular-expression engine finds by fast search, where
        # `^` under MULTILINE would be tried at every position of the blob.
        self._starts: list[int] = []  # where each line's text begins in the blob
        offset = 1
        for line in lines:
            self._starts.append(offset)
            offset += len(line) + 1
        self._blob = "\n" + "\n".join(lines) + "\n"

    def _patterns(self, words: list[str]) -> Iterator[re.Pattern | None]:
        """Each tier's pattern, best tier first, built only when its turn comes; None for a
        tier that cannot match this query (a never-matching pattern would still scan the
        blob)."""
        phrase = re.escape(" ".join(words))
        yield re.compile(rf"\n {phrase}(?=\n)")
        yield re.compile(
            " " + r"(?: [^\n]*)? ".join(re.escape(w) for w in words) + r"(?= |$)", re.MULTILINE
        )
        yield re.compile(rf"\n {phrase}")
        yield re.compile(" " + r"[^\n]*? ".join(re.escape(w) for w in words))
        letters = "".join(words)
        if len(words) == 1 and 2 <= len(letters) <= 12:
            yield re.compile(" " + r"[^ \n]* ".join(re.escape(c) for c in letters))
        else:
            yield None
        typo = _typo_pattern(words)
        yield None if typo is None else re.compile(typo, re.MULTILINE)
        if len(letters) >= 2:
            # The first letter starts a word; [^x\n]*x stops at the first x: linear time.
            parts = [" " + re.escape(letters[0])]
            for char in letters[1:]:
                parts.append(rf"[^{re.escape(char)}\n]*{re.escape(char)}")
            yield re.compile("".join(parts))
        else:
            yield None

    def match(self, query: str, limit: int = NAME_LIMIT) -> list[tuple[Topic, str]]:
        """The best `limit` topics for `query`, each with the name (title, id or alias) that
        matched."""
        words = query_words(query)
        if not words or limit <= 0:
            return []
        letters = len("".join(words))
        best: dict[int, tuple] = {}
        for tier, pattern in enumerate(self._patterns(words)):
            if tier >= FUZZY_TIER and len(best) >= FUZZY_BELOW:
                break  # the words found enough: letters scattered over names would be noise
            if pattern is None:
                continue
            found_in_tier = 0
            for match in pattern.finditer(self._blob):
                # The match's last character is in its line (a match may start at the newline
                # before it).
                line = bisect.bisect_right(self._starts, match.end() - 1) - 1
                topic_index, rank, name = self._owners[line]
                if tier >= FUZZY_TIER and rank > 1:
                    continue  # letters scattered over an alias: too loose to be a name match
                span = match.end() - match.start() if tier == LETTERS_TIER else 0
                if span > LETTERS_SPREAD * letters + 1:
                    continue  # letters spread over a long name: chance, not an abbreviation
                key = (tier, rank, span, len(name), topic_index)
                if topic_index not in best:
                    found_in_tier += 1
                if key < best.get(topic_index, (99,)):
                    best[topic_index] = key
                if found_in_tier >= 50 * limit:
                    break  # a one-letter query in a huge library: enough to rank
            if len(best) >= limit:
                break  # later tiers cannot outrank what we have
        ranked = sorted(best.items(), key=lambda item: item[1])[:limit]
        return [(self.topics[index], self._name_of(index, key[1])) for index, key in ranked]

    def _name_of(self, topic_index: int, rank: int) -> str:
        topic = self.topics[topic_index]
        if rank == 0:
            return topic.title
        if rank == 1:
            return topic.id
        return topic.aliases[rank - 2]


# -- the index ---------------------------------------------------------------------------
_SCHEMA = """
CREATE TABLE IF NOT EXISTS files(
    id INTEGER PRIMARY KEY, path TEXT UNIQUE NOT NULL, size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS sections(
    id INTEGER PRIMARY KEY, file INTEGER NOT NULL, anchor TEXT NOT NULL, heading TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS sections_by_file ON sections(file);
CREATE VIRTUAL TABLE IF NOT EXISTS text USING fts5(
    title, aliases, heading, body, tokenize='porter unicode61 remove_diacritics 2',
    prefix='3');
"""
TOKENIZER = "porter unicode61 remove_diacritics 2"  # the text table's, for a query's words


# prefix='3': a prefix query's last word has MIN_PREFIX letters or more, so only 3-letter
# prefixes are looked up; longer ones scan the terms after it, a shorter one is never asked.
AUTOMERGE = 4  # FTS5's default: merge 4 segments of a level into one as they appear
MERGE_AFTER = 500  # files indexed at once above which FTS5 merges no segments while writing
_AUTOMERGE = "INSERT INTO text(text, rank) VALUES ('automerge', ?)"


# A batch of rows in one statement a table (see BATCH_CHARS).
def _from_json(table: str, columns: str) -> str:
    """An INSERT of a batch of rows given as one JSON array of arrays (json_extract, not
    `->>`: SQLite before 3.38 reads it too)."""
    count = len(columns.split(","))
    values = ", ".join(f"json_extract(value, '$[{n}]')" for n in range(count))
    return f"INSERT INTO {table}({columns}) SELECT {values} FROM json_each(?)"


_INSERT_FILES = _from_json("files", "id, path, size, mtime_ns")
_INSERT_SECTIONS = _from_json("sections", "id, file, anchor, heading")
_INSERT_TEXT = _from_json("text", "rowid, title, aliases, heading, body")
# A file's rows go before it is indexed again or forgotten: its text rows, then its sections.
_FORGET_FILE = (
    "DELETE FROM text WHERE rowid IN (SELECT id FROM sections WHERE file = ?)",
    "DELETE FROM sections WHERE file = ?",
)


@dataclass
class UpdateStats:
    indexed: int = 0  # files read and (re)indexed
    removed: int = 0
    unchanged: int = 0
    in_memory: bool = False
    truncated: list[str] = field(default_factory=list)  # "file: what was left out"


class _Stale(Exception):
    """Ranked rows kept from the last search end before the rows this one asks for."""


class _RankedRows:
    """The rows of one ranked FTS5 query, (section place, body snippet, aliases snippet),
    read as asked for and kept: a later search of the same query reads them again."""

    def __init__(self, ranked, match: str):
        self._ranked, self._match = ranked, match
        self._cursor: sqlite3.Cursor | None = None
        self._limit = 0  # the cursor's LIMIT
        self._rows: list[tuple] = []
        self._ended = False  # the cursor has no more rows

    def read(self, limit: int) -> Iterator[tuple]:
        """The best `limit` rows, best first."""
        for number in range(limit):
            if number < len(self._rows):
                yield self._rows[number]
                continue
            if self._cursor is None:
                self._cursor, self._limit = self._ranked(self._match, limit), limit
            if not self._ended:
                row = next(self._cursor, None)
                if row is not None:
                    self._rows.append(row)
                    yield row
                    continue
                self._ended = True
            if len(self._rows) >= self._limit:
                raise _Stale  # the query's LIMIT ended it, lower than this search's
            return


class SearchIndex:
    """Quick open and full-text search over one library.

    `update()` (any thread, blocking) brings the FTS5 index up to date; until it has finished
    once, `search` returns the quick-open matches only. `path=None` keeps the index in the
    user's cache folder; `in_memory=True` (or an unwritable cache folder) keeps it in memory.
    """

    def __init__(self, library: Library, path: Path | None = None, *, in_memory: bool = False):
        self.library = library
        self._names: NameMatcher | None = None
        self._names_lock = threading.Lock()  # the index worker builds it; a key may ask first
        self.path: Path | None = None if in_memory else (path or index_path(library))
        self._memory_uri = (
            f"file:cloudref-search-{id(self):x}-{time.monotonic_ns()}?mode=memory&cache=shared"
        )
        self._keeper: sqlite3.Connection | None = None  # keeps an in-memory database alive
        self._reader: sqlite3.Connection | None = None
        self._by_rel_map: dict[str, Topic] | None = None
        self._lock = threading.Lock()  # one update at a time
        self.ready = False  # the full text is searchable
        # The last search: a key that leaves the words as they were (a space, a comma, a
        # letter's case) answers from here instead of asking the index again.
        self._last: tuple[tuple, list[SearchResult]] | None = None
        self._updates = 0  # finished updates: part of that key, as the text may have changed
        # The ranked rows the last full-text search read, by what its queries match.
        self._rows: tuple[tuple, tuple[_RankedRows, ...]] | None = None
        self._vocabulary = False  # the reader's tables for `_prefix_terms` made
        if self.path is None:
            self._use_memory()

    @property
    def names(self) -> NameMatcher:
        """The quick-open matcher, built on first use: by the index worker before it indexes
        (a large library takes a while, better spent off the GUI thread), or by whoever asks
        first."""
        with self._names_lock:
            if self._names is None:
                self._names = NameMatcher(self.library.topics)
            return self._names

    @property
    def _by_rel(self) -> dict[str, Topic]:
        if self._by_rel_map is None:
            self._by_rel_map = {self._rel(topic.path): topic for topic in self.library.topics}
        return self._by_rel_map

    @property
    def in_memory(self) -> bool:
        return self.path is None

    def _rel(self, path: Path) -> str:
        try:
            return path.relative_to(self.library.root).as_posix()
        except ValueError:
            return path.as_posix()

    # -- connections -------------------------------------------------------------------
    def _use_memory(self) -> None:
        self.path = None
        if self._keeper is None:
            self._keeper = sqlite3.connect(self._memory_uri, uri=True, check_same_thread=False)
            self._keeper.executescript(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        if self.path is None:
            connection = sqlite3.connect(
                self._memory_uri, uri=True, timeout=10, check_same_thread=False
            )
            connection.execute(
                "PRAGMA read_uncommitted = 1"
            )  # shared cache: read while the indexer writes
            return connection
        connection = sqlite3.connect(self.path, timeout=10, check_same_thread=False)
        connection.execute("PRAGMA journal_mode = WAL")  # readers never wait for the indexer
        connection.execute("PRAGMA synchronous = NORMAL")  # a cache: losing the last commit is fine
        return connection

    def _open_for_writing(self) -> sqlite3.Connection:
        """A connection to a valid index: a corrupt or outdated file is deleted and rebuilt,
        an unusable cache folder means an in-memory index."""
        if self.path is not None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError:
                self._use_memory()
        for attempt in range(2):
            connection = None
            try:
                connection = self._connect()
                version = connection.execute("PRAGMA user_version").fetchone()[0]
                if version not in (0, SCHEMA_VERSION):
                    raise sqlite3.DatabaseError(
                        f"index schema {version}, expected {SCHEMA_VERSION}"
                    )
                connection.executescript(_SCHEMA)
                connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                connection.execute("SELECT count(*) FROM files").fetchone()
                connection.execute("SELECT rowid FROM text LIMIT 1").fetchall()
                return connection
            except sqlite3.DatabaseError:
                if connection is not None:
                    connection.close()
                if self.path is None or attempt == 1:
                    break
                if not self._delete_files():
                    break
        self._use_memory()
        return self._connect()

    def _delete_files(self) -> bool:
        assert self.path is not None
        try:
            for suffix in ("", "-wal", "-shm"):
                Path(str(self.path) + suffix).unlink(missing_ok=True)
            return True
        except OSError:
            return False

    def close(self) -> None:
        for connection in (self._reader, self._keeper):
            if connection is not None:
                try:
                    connection.close()
                except sqlite3.Error:
                    pass
        self._reader = self._keeper = None

    # -- building ----------------------------------------------------------------------
    def update(self, stop: threading.Event | None = None) -> UpdateStats:
        """Index new and changed files, forget removed ones. Safe to call on a worker thread.

        Commits every COMMIT_SECONDS so the transaction never holds much; `stop` ends early
        (what was committed stays valid: a changed file's size and time are saved with its text).
        """
        with self._lock:
            stats = UpdateStats()
            try:
                stats = self._update(stop, stats)
            except sqlite3.DatabaseError:
                # The file went bad under us (disk full, another process): start over in memory.
                self._use_memory()
                stats = self._update(stop, UpdateStats())
            stats.in_memory = self.in_memory
            return stats

    def _update(self, stop: threading.Event | None, stats: UpdateStats) -> UpdateStats:
        connection = self._open_for_writing()
        try:
            known = {
                path: (rowid, size, mtime)
                for rowid, path, size, mtime in connection.execute(
                    "SELECT id, path, size, mtime_ns FROM files"
                )
            }
            next_section = connection.execute("SELECT max(id) FROM sections").fetchone()[0] or 0
            seen = self._write_files(connection, known, stop, stats, next_section)
            if seen is None:  # stopped: what was committed stays valid
                return stats
            for rel in known.keys() - seen:
                rowid = known[rel][0]
                for sql in _FORGET_FILE:
                    connection.execute(sql, (rowid,))
                connection.execute("DELETE FROM files WHERE id = ?", (rowid,))
                stats.removed += 1
            connection.execute(_AUTOMERGE, (AUTOMERGE,))
            connection.commit()
        finally:
            connection.close()
        self._updates += 1
        self.ready = True
        return stats

    def _write_files(
        self,
        connection: sqlite3.Connection,
        known: dict[str, tuple[int, int, int]],
        stop: threading.Event | None,
        stats: UpdateStats,
        next_section: int,
    ) -> set[str] | None:
        """Index the library's files that are new or changed since `known`. Returns the paths
        of its files (None if `stop` ended it)."""
        seen: set[str] = set()
        todo: list[tuple[Topic, str, os.stat_result]] = []
        by_rel: dict[str, Topic] = {}  # the hits' topics by their index path
        for topic in self.library.topics:
            rel = self._rel(topic.path)
            by_rel[rel] = topic
            try:
                status = topic.path.stat()
            except OSError:
                continue  # gone since the library was read: dropped by the caller
            seen.add(rel)
            old = known.get(rel)
            if old is not None and old[1] == status.st_size and old[2] == status.st_mtime_ns:
                stats.unchanged += 1
                continue
            todo.append((topic, rel, status))
        self._by_rel_map = by_rel  # made here, on the indexer's thread, not at the first hit
        if not todo:
            return seen
        # Reading and stripping is Python (it holds the GIL); FTS5 tokenising and writing is
        # SQLite (it lets the GIL go): a thread prepares the next files while this one writes.
        prepared: queue.Queue = queue.Queue(maxsize=PREPARED_AHEAD)
        halt = threading.Event()  # the preparing thread's stop: set when writing ends
        threading.Thread(
            target=_prepare_files,
            args=([topic for topic, _rel, _status in todo], prepared, halt),
            name="cloudref-search-prepare",
            daemon=True,
        ).start()
        next_file = connection.execute("SELECT max(id) FROM files").fetchone()[0] or 0
        # A big build does not merge the segments it writes over and over as it goes (queries
        # read its few segments as fast); FTS5 merges as usual again once it is written.
        connection.execute(_AUTOMERGE, (0 if len(todo) > MERGE_AFTER else AUTOMERGE,))
        try:
            last_commit = time.monotonic()
            done = 0
            while done < len(todo):
                if stop is not None and stop.is_set():
                    connection.commit()
                    return None
                batch = prepared.get()
                files, sections, texts = [], [], []
                for got, (topic, rel, status) in zip(batch, todo[done:]):
                    if isinstance(got, Exception):
                        raise got
                    rows, notes = got
                    stats.truncated += [f"{rel}: {note}" for note in notes]
                    old = known.get(rel)
                    if old is not None:
                        rowid = old[0]
                        for sql in _FORGET_FILE:
                            connection.execute(sql, (rowid,))
                        connection.execute("DELETE FROM files WHERE id = ?", (rowid,))
                    else:
                        next_file += 1
                        rowid = next_file
                    files.append((rowid, rel, status.st_size, status.st_mtime_ns))
                    title, aliases = topic.title, ", ".join(topic.aliases)
                    for anchor, heading, text in rows:
                        next_section += 1
                        sections.append((next_section, rowid, anchor, heading))
                        texts.append((next_section, title, aliases, heading, text))
                    stats.indexed += 1
                done += len(batch)
                for sql, values in (
                    (_INSERT_FILES, files),
                    (_INSERT_SECTIONS, sections),
                    (_INSERT_TEXT, texts),
                ):
                    if values:
                        connection.execute(sql, (json.dumps(values, ensure_ascii=False),))
                if time.monotonic() - last_commit > COMMIT_SECONDS:
                    connection.commit()
                    last_commit = time.monotonic()
        finally:
            halt.set()
        return seen

    # -- querying ----------------------------------------------------------------------
    def quick_open(self, query: str, limit: int = NAME_LIMIT) -> list[SearchResult]:
        words = query_words(query)
        results = []
        for topic, name in self.names.match(query, limit):
            if name == topic.title or name == topic.id:
                snippet = mark_words(topic.summary, words)
            else:
                snippet = f"{MARK_START}{name}{MARK_END}" + (
                    f" — {topic.summary}" if topic.summary else ""
                )
            results.append(SearchResult(topic.id, topic.title, "name", snippet))
        return results

    def full_text(
        self, query: str, limit: int = TEXT_LIMIT, exclude: set[str] | frozenset = frozenset()
    ) -> list[SearchResult]:
        """Ranked full-text hits, one per topic at its best section (none until the index is
        ready, or on a busy in-memory index). Hits with every word in the title, aliases or
        the section's heading come first, then the rest, each part by bm25."""
        words = query_words(query)
        if not words or not self.ready or limit <= 0:
            return []
        if self._reader is None:
            self._reader = self._connect()
        try:
            tiers = self._ranked_rows(words)
        except sqlite3.OperationalError:
            return []  # in-memory index locked by the indexer: names still work
        try:
            return self._full_text(words, limit, exclude, tiers)
        except _Stale:
            self._rows = None
            return self._full_text(words, limit, exclude, self._ranked_rows(words))

    def _full_text(
        self,
        words: list[str],
        limit: int,
        exclude: set[str] | frozenset,
        tiers: tuple[_RankedRows, ...],
    ) -> list[SearchResult]:
        results: list[SearchResult] = []
        seen = set(exclude)
        for tier in tiers:
            try:
                for place, body, aliases in tier.read(SECTION_ROWS * (limit + len(exclude))):
                    topic = self._by_rel.get(place[0]) if place else None
                    if topic is None or topic.id in seen:
                        continue
                    seen.add(topic.id)
                    _path, anchor, heading = place
                    results.append(self._hit(topic, words, anchor, heading, body, aliases))
                    if len(results) >= limit:
                        return results
            except sqlite3.OperationalError:
                self._rows = None
                return results  # in-memory index locked by the indexer: names still work
        return results

    def _ranked_rows(self, words: list[str]) -> tuple[_RankedRows, ...]:
        """The ranked rows of the two FTS5 queries for `words` (title, aliases or heading;
        anywhere): those the last search read, when its queries mean the same to FTS5.

        As a word is typed on, its prefix often matches the same indexed terms as before
        ("polic" and "policy" both only `polici`): FTS5 would then rank the same rows the same
        way and mark the same words in the same snippets, so they are read again from here.
        The hits are still made from them with the words as typed now."""
        key = (self._query_key(words), self._updates)
        if self._rows is not None and self._rows[0] == key:
            return self._rows[1]
        everywhere = fts_query(words)
        parts = everywhere.split(" ")
        named = " AND ".join(f"{NAMED_COLUMNS} : {part}" for part in parts)
        queries = [named]
        if len(parts) > 1:  # for one word, "some word named" is "every word named"
            queries.append(f"{NAMED_COLUMNS} : ({' OR '.join(parts)}) AND {everywhere}")
        queries.append(everywhere)
        tiers = tuple(_RankedRows(self._ranked, query) for query in queries)
        self._rows = (key, tiers)
        return tiers

    def _query_key(self, words: list[str]) -> tuple:
        """What the FTS5 queries for `words` match: the words, the last one (as a prefix) by
        the indexed terms it starts."""
        last = words[-1]
        if len(last) < MIN_PREFIX:
            return (tuple(words), None)
        terms = self._prefix_terms(last)
        return (tuple(words[:-1]), terms) if terms is not None else (tuple(words), "")

    def _prefix_terms(self, word: str) -> frozenset[str] | None:
        """The indexed terms a prefix query for `word` matches, found as FTS5 finds them (the
        word made a token by the index's own tokenizer); None if it is not one token."""
        db = self._reader
        if not self._vocabulary:
            db.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.query_word USING fts5(word,"
                f" tokenize='{TOKENIZER}')"
            )
            db.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.query_token"
                " USING fts5vocab(temp, query_word, instance)"
            )
            db.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.index_terms"
                " USING fts5vocab(main, text, row)"
            )
            self._vocabulary = True
        db.execute("DELETE FROM temp.query_word")
        db.execute("INSERT INTO temp.query_word(word) VALUES (?)", (word,))
        tokens = [row[0] for row in db.execute("SELECT term FROM temp.query_token")]
        db.commit()
        if len(tokens) != 1:
            return None
        token = tokens[0]
        return frozenset(
            row[0]
            for row in db.execute(
                "SELECT term FROM temp.index_terms WHERE term >= ? AND term < ?",
                (token, token + "\U0010ffff"),
            )
        )

    def _ranked(self, match: str, limit: int) -> Iterator[tuple]:
        """(section place, body snippet, aliases snippet) of the best `limit` sections, best
        first, read as the caller goes."""
        # ORDER BY rank lets FTS5 rank every match first and make a snippet only for a row
        # that is read: the caller stops at its last hit, mostly long before `limit` rows
        # (a topic's other sections and the rows after the last hit never get one).
        sql = (
            "SELECT rowid, snippet(text, 3, ?, ?, '…', 14), snippet(text, 1, ?, ?, '…', 12)"
            " FROM text WHERE text MATCH ? AND rank MATCH ? ORDER BY rank LIMIT ?"
        )
        marks = (MARK_START, MARK_END, MARK_START, MARK_END)
        cursor = self._reader.execute(sql, (*marks, match, RANKING, limit))
        return ((self._section(rowid), body, aliases) for rowid, body, aliases in cursor)

    def _section(self, rowid: int) -> tuple[str, str, str] | None:
        """(file path, anchor, heading) of a section row."""
        return self._reader.execute(
            "SELECT files.path, sections.anchor, sections.heading FROM sections"
            " JOIN files ON files.id = sections.file WHERE sections.id = ?",
            (rowid,),
        ).fetchone()

    @staticmethod
    def _hit(
        topic: Topic, words: list[str], anchor: str, heading: str, body: str, aliases: str
    ) -> SearchResult:
        """A text hit: its snippet from the section's text (never its heading, which the hit
        names), or from the aliases or summary, with every word of the query marked."""
        snippet = body if MARK_START in body or MARK_START not in aliases else aliases
        if MARK_START not in snippet and topic.summary and not heading:
            snippet = topic.summary
        found = tuple(
            dict.fromkeys(m.casefold() for m in re.findall(f"{MARK_START}(.*?){MARK_END}", snippet))
        )
        # FTS5 marks the stems it matched; words it did not (a stem in another form, a word
        # only in the heading) are marked here, so every word the reader typed stands out.
        snippet = _lead_to_match(mark_words(plain_snippet(snippet), [*words, *found]))
        return SearchResult(
            topic.id,
            topic.title,
            "text",
            snippet,
            found + tuple(w for w in words if w not in found),
            heading,
            anchor,
        )

    def search(
        self, query: str, name_limit: int = NAME_LIMIT, text_limit: int = TEXT_LIMIT
    ) -> list[SearchResult]:
        """Quick-open matches first, then the full-text hits not already listed."""
        key = (tuple(query_words(query)), name_limit, text_limit, self.ready, self._updates)
        if self._last is not None and self._last[0] == key:
            return list(self._last[1])
        names = self.quick_open(query, name_limit)
        results = names + self.full_text(query, text_limit, exclude={r.topic_id for r in names})
        self._last = (key, results)
        return list(results)


def _lead_to_match(snippet: str, words_before: int = 4, room: int = 60) -> str:
    """A snippet whose first match sits far in starts a few words before it: the list shows
    two lines of it, and the matched words are what the reader looks for."""
    first = snippet.find(MARK_START)
    if first <= room:
        return snippet
    head = snippet[:first].split(" ")
    return "…" + " ".join(head[-words_before - 1 :]) + snippet[first:]


# -- the command ----------------------------------------------------------------------------
def run_search(library: Library, query: str) -> int:
    """`cloudref --search QUERY`: id<TAB>title<TAB>snippet, best first; exit 1 if nothing
    matches."""
    index = SearchIndex(library)
    try:
        stats = index.update()
        for note in stats.truncated:
            print(f"cloudref: note: {note}", file=sys.stderr)
        results = index.search(query)
    finally:
        index.close()
    out = sys.stdout
    for result in results:
        snippet = plain_snippet(result.snippet).replace("\t", " ")
        title = " ".join(result.title.split())
        out.write(f"{result.topic_id}\t{title}\t{snippet}\n")
    if not results:
        print(f"cloudref: no topics match {query!r}", file=sys.stderr)
        return 1
    return 0
