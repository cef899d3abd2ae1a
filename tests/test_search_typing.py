"""Search as you type: a keystroke whose words FTS5 reads as the last one's did (a prefix
matching the same indexed terms) takes the ranked rows from the last search. What the user
sees must be exactly what a search of its own, ranked by FTS5 from scratch, shows. No Qt."""

from __future__ import annotations

import sys

import pytest
from conftest import ROOT

from viewer.library.folder import Library
from viewer.search.index import SearchIndex
from viewer.search.query import query_words

QUERIES = ("fargate task", "lambda timeout", "bucket policy", "autoscaling group", "cold sta")


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Library:
    """The benchmark's generated library, small: its words repeat across topics as a big
    library's do, so prefixes match many terms and many sections."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from generate_library import ensure
    finally:
        sys.path.remove(str(ROOT / "bench"))
    root = tmp_path_factory.mktemp("generated") / "lib"
    ensure(root, topics=240, folders=6, seed=5)
    return Library(root)


def seen(results) -> list[tuple]:
    """A result row as the list shows it and as opening it uses it."""
    return [(r.topic_id, r.kind, r.section, r.anchor, r.snippet, r.terms) for r in results]


def test_each_keystroke_shows_what_a_search_from_scratch_shows(generated, tmp_path):
    typing = SearchIndex(generated, tmp_path / "typing.sqlite3")
    typing.update()
    fresh = SearchIndex(generated, tmp_path / "typing.sqlite3")  # the same index file
    fresh.update()
    reused = 0
    for query in QUERIES:
        for end in range(1, len(query) + 1):
            typed = query[:end]
            before = typing._rows
            shown = seen(typing.search(typed))
            if before is not None and typing._rows is before and query_words(typed):
                reused += 1
            fresh._rows = None  # ranked by FTS5 from scratch, no earlier keystroke
            assert shown == seen(fresh.search(typed)), typed
    # Most words typed on past three letters keep matching the same terms: the reuse ran.
    assert reused >= 5
    typing.close()
    fresh.close()


def test_a_longer_result_list_than_the_last_search_read_is_ranked_again(generated, tmp_path):
    index = SearchIndex(generated, tmp_path / "longer.sqlite3")
    index.update()
    short = index.full_text("bucket policy", limit=3)  # FTS5 asked for a few rows only
    longer = index.full_text("bucket policy", limit=40)
    assert len(longer) == 40
    index._rows = None
    assert seen(longer) == seen(index.full_text("bucket policy", limit=40))
    assert seen(short) == seen(longer[:3])
    index.close()
