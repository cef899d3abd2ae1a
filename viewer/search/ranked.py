"""Ranked full-text rows: the FTS5 queries of a search, best bucket first, each read by bm25
as far as the caller goes and kept for the next keystroke. No Qt."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from viewer.search.query import fts_query

RANKING = "bm25(10.0, 5.0, 5.0, 1.0)"  # column weights: title, aliases, heading, body
NAMED_COLUMNS = "{title aliases heading}"  # the columns that name a topic or its section
SECTION_ROWS = 4  # section rows read per hit wanted: a topic's best section is its hit


def bucket_queries(words: list[str]) -> list[str]:
    """The FTS5 queries for `words`, one per bucket of hits, best bucket first: every word in
    the named columns (the topic's title or aliases, the section's heading); some word there
    (for two words or more); anywhere. Each is ranked by bm25 within.

    FTS5 ranks every row a query matches before it returns the first, so the buckets are
    asked in turn and a later one only when the ones before leave the list short: a common
    word matches half a big library's sections anywhere, but a few hundred in their names.
    (Ranking by buckets first, by a text score within, is what search-as-you-type engines
    such as Meilisearch and Algolia do with their "attribute" rule.)"""
    everywhere = fts_query(words)
    parts = everywhere.split(" ")
    queries = [" AND ".join(f"{NAMED_COLUMNS} : {part}" for part in parts)]
    if len(parts) > 1:  # for one word, "some word named" is "every word named"
        queries.append(f"{NAMED_COLUMNS} : ({' OR '.join(parts)}) AND {everywhere}")
    queries.append(everywhere)
    return queries


class Stale(Exception):
    """Ranked rows kept from the last search end before the rows this one asks for."""


class RankedRows:
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
                raise Stale  # the query's LIMIT ended it, lower than this search's
            return
