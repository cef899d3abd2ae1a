"""Writing the search index: the schema, and the files new or changed since the last build
read and stripped (in a process of their own for a big build) while they are written. No Qt."""

from __future__ import annotations

import json
import os
import queue
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field

from viewer.library.folder import Topic
from viewer.search.text import section_rows

SCHEMA_VERSION = 3  # bump when the stored text changes shape: old caches are rebuilt
# The indexer commits this often: each FTS5 commit writes a new segment that later merges
# cost, and nobody reads the full text before the first build is done; `stop` keeps what the
# last commit saved.
COMMIT_SECONDS = 1.0
# Files are read and stripped ahead of the writer and handed over in batches. When a thread of
# the writer's process prepares them, the writer makes one call into SQLite per batch and
# table, each a long stretch without the GIL. (A call per row gave the GIL back and waited for
# it again per row: behind a thread that holds it, up to the switch interval each time.)
BATCH_CHARS = 3_000_000  # text per batch
PREPARED_AHEAD = 4  # batches read and stripped ahead of the writer
# A preparing process of its own hands over smaller batches (of file), so the writer starts
# sooner and has less left to write once the last file is prepared.
PROCESS_BATCH_BYTES = 500_000
PROCESS_AHEAD = 16


@dataclass
class PreparedFile:
    """A file's sections as the writer stores them."""

    places: list[tuple[str, str]]  # (anchor, heading) of each section
    texts: list[str]  # their text (empty when `text_rows` holds it)
    # Or their text rows as JSON arrays [title, aliases, heading, text], comma-joined.
    text_rows: str
    notes: list[str]  # what the budget left out


def prepare_file(topic: Topic, *, as_json: bool = True) -> PreparedFile:
    """Read and strip one topic file. With `as_json` its text rows are made JSON here, a file at
    a time, for a writer that shares this process: it then only joins them, and no single call
    holds the GIL for a whole batch (json.dumps of a batch's megabytes did, and the window
    waited behind it)."""
    notes: list[str] = []
    rows = section_rows(topic, notes)
    places = [(anchor, heading) for anchor, heading, _text in rows]
    if not as_json:
        return PreparedFile(places, [text for _anchor, _heading, text in rows], "", notes)
    title, aliases = topic.title, ", ".join(topic.aliases)
    text_rows = json.dumps(
        [[title, aliases, heading, text] for _anchor, heading, text in rows], ensure_ascii=False
    )[1:-1]
    return PreparedFile(places, [], text_rows, notes)


def _prepare_files(topics: list[Topic], out: queue.Queue, halt: threading.Event) -> None:
    """Put the topics' `PreparedFile`s on `out` in batches (lists, in order) of about
    BATCH_CHARS of text, until `halt` is set; an error is put in a file's place, for the writer
    to raise."""
    batch: list[PreparedFile | Exception] = []
    size = 0
    for number, topic in enumerate(topics):
        try:
            prepared: PreparedFile | Exception = prepare_file(topic)
            size += len(prepared.text_rows)
        except Exception as error:  # noqa: BLE001 - raised again by the writer, in its thread
            prepared = error
        batch.append(prepared)
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


def _prepare_batch(files: list[tuple[str, str, str, tuple[str, ...]]]) -> list:
    """In the preparing process: `prepare_file` for each (id, title, path, aliases), an error in
    a file's place. The text goes back as it is: the writer, alone in its process with the
    window's thread, hands it to SQLite row by row, cheaper than making and reading JSON."""
    batch: list[PreparedFile | Exception] = []
    for topic_id, title, path, aliases in files:
        try:
            topic = Topic(topic_id, title, path, aliases=aliases)
            batch.append(prepare_file(topic, as_json=False))
        except Exception as error:  # noqa: BLE001 - raised again by the writer
            batch.append(error)
    return batch


def _prepared_by_thread(topics: list[Topic], halt: threading.Event) -> Iterator[list]:
    """The topics' batches of `PreparedFile`s, made by a thread of this process."""
    prepared: queue.Queue = queue.Queue(maxsize=PREPARED_AHEAD)
    threading.Thread(
        target=_prepare_files,
        args=(topics, prepared, halt),
        name="cloudref-search-prepare",
        daemon=True,
    ).start()
    done = 0
    while done < len(topics):
        batch = prepared.get()
        done += len(batch)
        yield batch


def _prepared_by_process(
    todo: list[tuple[Topic, str, os.stat_result]], halt: threading.Event
) -> Iterator[list]:
    """The batches of `PreparedFile`s of `todo`'s topics, made by a process of their own (about
    PROCESS_BATCH_BYTES of file a batch); if that process cannot start or dies, the rest by a
    thread.

    Stripping Markdown is Python: in a thread it holds the GIL the window's thread and the
    writer need (the window froze behind it, and the writer waited for it after each call into
    SQLite). A process of its own runs it beside both, on a core of its own."""
    import multiprocessing  # only a big build needs them
    from concurrent.futures import ProcessPoolExecutor

    groups: list[list[int]] = [[]]
    size = 0
    for number, (_topic, _rel, status) in enumerate(todo):
        if size >= PROCESS_BATCH_BYTES:
            groups.append([])
            size = 0
        groups[-1].append(number)
        size += status.st_size

    def files(group: list[int]) -> list[tuple[str, str, str, tuple[str, ...]]]:
        return [
            (todo[n][0].id, todo[n][0].title, str(todo[n][0].path), tuple(todo[n][0].aliases))
            for n in group
        ]

    done = 0  # files handed to the writer
    pool = None
    try:
        # "spawn": a fresh interpreter, as forking a process with Qt's threads is not safe.
        pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
        pending = deque(pool.submit(_prepare_batch, files(g)) for g in groups[:PROCESS_AHEAD])
        for next_group in range(PROCESS_AHEAD, len(groups) + PROCESS_AHEAD):
            if not pending or halt.is_set():
                break
            batch = pending.popleft().result()
            if next_group < len(groups):
                pending.append(pool.submit(_prepare_batch, files(groups[next_group])))
            done += len(batch)
            yield batch
    except Exception:  # noqa: BLE001 - no process, or it died (BrokenProcessPool): a thread goes on
        pass
    finally:
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
    if done < len(todo) and not halt.is_set():
        yield from _prepared_by_thread([topic for topic, _rel, _status in todo[done:]], halt)


SCHEMA = """
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
SET_AUTOMERGE = "INSERT INTO text(text, rank) VALUES ('automerge', ?)"


# A batch of rows in one statement a table (see BATCH_CHARS).
def _from_json(table: str, columns: str) -> str:
    """An INSERT of a batch of rows given as one JSON array of arrays (json_extract, not
    `->>`: SQLite before 3.38 reads it too)."""
    count = len(columns.split(","))
    values = ", ".join(f"json_extract(value, '$[{n}]')" for n in range(count))
    return f"INSERT INTO {table}({columns}) SELECT {values} FROM json_each(?)"


_INSERT_FILES = _from_json("files", "id, path, size, mtime_ns")
_INSERT_SECTIONS = _from_json("sections", "id, file, anchor, heading")
_INSERT_TEXT_ROW = "INSERT INTO text(rowid, title, aliases, heading, body) VALUES (?, ?, ?, ?, ?)"
# The text rows' ids follow from their place in the batch: the first one's id, plus its index.
_INSERT_TEXT = (
    "INSERT INTO text(rowid, title, aliases, heading, body) SELECT ? + key, "
    + ", ".join(f"json_extract(value, '$[{n}]')" for n in range(4))
    + " FROM json_each(?)"
)
# A file's rows go before it is indexed again or forgotten: its text rows, then its sections.
FORGET_FILE = (
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


def write_files(
    connection: sqlite3.Connection,
    todo: list[tuple[Topic, str, os.stat_result]],
    known: dict[str, tuple[int, int, int]],
    stop: threading.Event | None,
    stats: UpdateStats,
) -> bool:
    """Index `todo`'s files, (topic, path in the index, its status), new or changed since
    `known` (path: (id, size, mtime_ns)). False if `stop` ended it (what was committed stays
    valid)."""
    next_section = connection.execute("SELECT max(id) FROM sections").fetchone()[0] or 0
    # Reading and stripping is Python (it holds the GIL); FTS5 tokenising and writing is
    # SQLite (it lets the GIL go): the next files are prepared while this thread writes, for a
    # big build by a process of its own (starting one costs more than a few files).
    halt = threading.Event()  # the preparing side's stop: set when writing ends
    big = len(todo) > MERGE_AFTER
    prepared = (
        _prepared_by_process(todo, halt)
        if big
        else _prepared_by_thread([topic for topic, _rel, _status in todo], halt)
    )
    next_file = connection.execute("SELECT max(id) FROM files").fetchone()[0] or 0
    # A big build does not merge the segments it writes over and over as it goes (queries
    # read its few segments as fast); FTS5 merges as usual again once it is written.
    connection.execute(SET_AUTOMERGE, (0 if big else AUTOMERGE,))
    try:
        last_commit = time.monotonic()
        done = 0
        while done < len(todo):
            if stop is not None and stop.is_set():
                connection.commit()
                return False
            batch = next(prepared)
            files, sections, texts, rows = [], [], [], []
            first_section = next_section + 1
            for got, (topic, rel, status) in zip(batch, todo[done:]):
                if isinstance(got, Exception):
                    raise got
                stats.truncated += [f"{rel}: {note}" for note in got.notes]
                old = known.get(rel)
                if old is not None:
                    rowid = old[0]
                    for sql in FORGET_FILE:
                        connection.execute(sql, (rowid,))
                    connection.execute("DELETE FROM files WHERE id = ?", (rowid,))
                else:
                    next_file += 1
                    rowid = next_file
                files.append((rowid, rel, status.st_size, status.st_mtime_ns))
                for anchor, heading in got.places:
                    next_section += 1
                    sections.append((next_section, rowid, anchor, heading))
                if got.text_rows:
                    texts.append(got.text_rows)
                else:
                    title, aliases = topic.title, ", ".join(topic.aliases)
                    section = next_section - len(got.places)
                    rows += [
                        (section + n, title, aliases, heading, text)
                        for n, ((_anchor, heading), text) in enumerate(
                            zip(got.places, got.texts), start=1
                        )
                    ]
                stats.indexed += 1
            done += len(batch)
            for sql, values in ((_INSERT_FILES, files), (_INSERT_SECTIONS, sections)):
                if values:
                    connection.execute(sql, (json.dumps(values, ensure_ascii=False),))
            if texts:
                connection.execute(_INSERT_TEXT, (first_section, "[" + ",".join(texts) + "]"))
            if rows:
                connection.executemany(_INSERT_TEXT_ROW, rows)
            if time.monotonic() - last_commit > COMMIT_SECONDS:
                connection.commit()
                last_commit = time.monotonic()
    finally:
        halt.set()
        prepared.close()
    return True
