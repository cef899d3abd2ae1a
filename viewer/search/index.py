"""Search: quick open by name (title, id, aliases) and full-text search over SQLite FTS5.

Two halves, one ranked list. Quick open matches topic *names* fuzzily from memory
(`names.py`), so it works the moment a library is open; full-text hits come from an FTS5
index (porter stemming, bm25 with the title, aliases and section heading weighted over the
body) kept in the user's cache folder and brought up to date incrementally (`build.py`): only
files whose size or modification time changed are read again. The index holds one row per
*section* of a topic (its text up to the next heading, `text.py`), so a hit names its section
and opens at it. Hits are ranked in buckets (`ranked.py`): every word in the topic's title,
aliases or the section's heading; some word there; anywhere.

Query text is never handed to FTS5 as syntax (`query.py`): it is split into plain words and
each word is quoted, so quotes, `*`, `NEAR`, `AND`, a lone `-` or a stray parenthesis are
just text.

No Qt here. The window runs `SearchIndex.update` on a worker thread; every thread gets its
own SQLite connection.
"""

from __future__ import annotations

import os
import re
import sqlite3
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from viewer.library.cache import cache_dir, library_slug
from viewer.library.folder import Library, Topic
from viewer.search.build import (
    AUTOMERGE,
    FORGET_FILE,
    SCHEMA,
    SCHEMA_VERSION,
    SET_AUTOMERGE,
    TOKENIZER,
    UpdateStats,
    write_files,
)
from viewer.search.names import NAME_LIMIT, NameMatcher
from viewer.search.query import (
    MARK_END,
    MARK_START,
    MIN_PREFIX,
    SearchResult,
    lead_to_match,
    mark_words,
    plain_snippet,
    query_words,
)
from viewer.search.ranked import RANKING, SECTION_ROWS, RankedRows, Stale, bucket_queries

TEXT_LIMIT = 40


# -- where the index lives ---------------------------------------------------------------
def index_path(library: Library) -> Path:
    """One index file per library folder."""
    return cache_dir() / f"search-{library_slug(library.root)}.sqlite3"


class SearchIndex:
    """Quick open and full-text search over one library.

    `update()` (any thread, blocking) brings the FTS5 index up to date; until it has finished
    once, `search` returns the quick-open matches only. `path=None` keeps the index in the
    user's cache folder; `in_memory=True` (or an unwritable cache folder) keeps it in memory.
    """

    def __init__(self, library: Library, path: Path | None = None, *, in_memory: bool = False):
        self.library = library
        self._root_prefix = str(library.root).rstrip(os.sep) + os.sep  # see _rel
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
        self._rows: tuple[tuple, tuple[RankedRows, ...]] | None = None
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
        """A topic file's path in the index: from the library's folder, with "/" (what
        `relative_to(root).as_posix()` gives, by string: the indexer asks it of every file
        before it starts, holding the GIL)."""
        text = str(path)
        if text.startswith(self._root_prefix):
            text = text[len(self._root_prefix) :]
        return text.replace(os.sep, "/") if os.sep != "/" else text

    # -- connections -------------------------------------------------------------------
    def _use_memory(self) -> None:
        self.path = None
        if self._keeper is None:
            self._keeper = sqlite3.connect(self._memory_uri, uri=True, check_same_thread=False)
            self._keeper.executescript(SCHEMA)

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
                connection.executescript(SCHEMA)
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
            seen = self._write_files(connection, known, stop, stats)
            if seen is None:  # stopped: what was committed stays valid
                return stats
            for rel in known.keys() - seen:
                rowid = known[rel][0]
                for sql in FORGET_FILE:
                    connection.execute(sql, (rowid,))
                connection.execute("DELETE FROM files WHERE id = ?", (rowid,))
                stats.removed += 1
            connection.execute(SET_AUTOMERGE, (AUTOMERGE,))
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
        if todo and not write_files(connection, todo, known, stop, stats):
            return None
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
        except Stale:
            self._rows = None
            return self._full_text(words, limit, exclude, self._ranked_rows(words))

    def _full_text(
        self,
        words: list[str],
        limit: int,
        exclude: set[str] | frozenset,
        tiers: tuple[RankedRows, ...],
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

    def _ranked_rows(self, words: list[str]) -> tuple[RankedRows, ...]:
        """The ranked rows of the FTS5 queries for `words`, a bucket each (`bucket_queries`):
        those the last search read, when its queries mean the same to FTS5.

        As a word is typed on, its prefix often matches the same indexed terms as before
        ("polic" and "policy" both only `polici`): FTS5 would then rank the same rows the same
        way and mark the same words in the same snippets, so they are read again from here.
        The hits are still made from them with the words as typed now."""
        key = (self._query_key(words), self._updates)
        if self._rows is not None and self._rows[0] == key:
            return self._rows[1]
        tiers = tuple(RankedRows(self._ranked, query) for query in bucket_queries(words))
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
        snippet = lead_to_match(mark_words(plain_snippet(snippet), [*words, *found]))
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
