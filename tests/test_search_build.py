"""How the index is built (batches of files, no merging of segments while a big build
writes, its files prepared by a process of their own or, without one, by a thread) changes
nothing a search finds: the bundled library, built one way and another, answers the same.
No Qt."""

from __future__ import annotations

import sqlite3

import pytest
from conftest import CONTENT

from viewer.library.folder import Library
from viewer.search import build as search_build
from viewer.search.index import SearchIndex

QUERIES = [
    "lambda",
    "cold start",
    "bucket pol",
    "fargate task",
    "vpc peering",
    "cach",
    "queue",
    "iam role",
    "container orchestration",
    "eventual consistency",
]


def answers(index: SearchIndex) -> dict[str, list[tuple[str, str, str]]]:
    """Every query's hits as a user sees them: topic, section, snippet."""
    return {
        query: [(r.topic_id, r.section, r.snippet) for r in index.search(query)]
        for query in QUERIES
    }


@pytest.fixture(scope="module")
def one_file_at_a_time(tmp_path_factory) -> dict:
    """The answers of an index built with each file written on its own, segments merged as
    FTS5 goes (as before batches)."""
    patch = pytest.MonkeyPatch()
    patch.setattr(search_build, "BATCH_CHARS", 1)
    patch.setattr(search_build, "MERGE_AFTER", 10**9)
    try:
        index = SearchIndex(Library(CONTENT), tmp_path_factory.mktemp("single") / "i.sqlite3")
        index.update()
        result = answers(index)
        index.close()
    finally:
        patch.undo()
    assert any(result.values())
    return result


def test_a_big_build_in_batches_answers_as_one_file_at_a_time(
    tmp_path, monkeypatch, one_file_at_a_time
):
    monkeypatch.setattr(search_build, "MERGE_AFTER", 5)  # the bundled library is "big"
    path = tmp_path / "i.sqlite3"
    index = SearchIndex(Library(CONTENT), path)
    stats = index.update()
    assert stats.indexed == len(index.library.topics) > 5 and index.ready
    assert answers(index) == one_file_at_a_time
    index.close()
    with sqlite3.connect(path) as check:  # FTS5 merges as usual for the next updates
        assert check.execute("SELECT v FROM text_config WHERE k = 'automerge'").fetchone() == (
            search_build.AUTOMERGE,
        )


def test_a_big_build_without_a_preparing_process_prepares_by_thread(
    tmp_path, monkeypatch, one_file_at_a_time
):
    import concurrent.futures

    def no_process(*_args, **_kwargs):
        raise OSError("no processes here")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", no_process)
    monkeypatch.setattr(search_build, "MERGE_AFTER", 5)
    index = SearchIndex(Library(CONTENT), tmp_path / "i.sqlite3")
    assert index.update().indexed == len(index.library.topics)
    assert answers(index) == one_file_at_a_time
    index.close()


def test_an_edited_file_in_a_batch_build_replaces_its_rows(tmp_path, monkeypatch):
    monkeypatch.setattr(search_build, "BATCH_CHARS", 1)
    library = tmp_path / "lib"
    (library / "a").mkdir(parents=True)
    for name in ("one", "two", "three"):
        animal = "marmots" if name == "two" else "lemurs"
        (library / "a" / f"{name}.md").write_text(f"# {name.title()}\n\nAbout {animal}.\n")
    path = tmp_path / "i.sqlite3"
    first = SearchIndex(Library(library), path)
    assert first.update().indexed == 3
    first.close()
    edited = library / "a" / "two.md"
    edited.write_text("# Two\n\n## Quokkas\n\nNow about quokkas only.\n")
    second = SearchIndex(Library(library), path)
    assert second.update().indexed == 1
    assert [(r.topic_id, r.section) for r in second.full_text("quokkas")] == [("two", "Quokkas")]
    assert [r.topic_id for r in second.full_text("marmots")] == []
    assert sorted(r.topic_id for r in second.full_text("lemurs")) == ["one", "three"]
    second.close()
    with sqlite3.connect(path) as check:  # no rows of the old text left behind
        assert check.execute("SELECT count(*) FROM sections").fetchone() == (4,)
        assert check.execute("SELECT count(*) FROM text").fetchone() == (4,)
