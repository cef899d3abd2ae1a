"""A keystroke that leaves the query's words as they were answers as the index would, and an
update of the index is seen by the next search, even one for the same words. No Qt."""

from __future__ import annotations

import os

from conftest import write_library

from viewer.library.folder import Library
from viewer.search.index import SearchIndex


def _topic(topic_id: str, title: str, body: str) -> str:
    return f"---\nid: {topic_id}\ntitle: {title}\n---\n\n# {title}\n\n{body}\n"


def _ids(results) -> list[str]:
    return [result.topic_id for result in results]


def test_a_space_or_case_change_gives_the_same_results(tmp_path):
    root = write_library(
        tmp_path / "lib",
        {
            "a.md": _topic("lambda", "AWS Lambda", "Functions run on demand; cold starts."),
            "b.md": _topic("fargate", "AWS Fargate", "Containers without servers to manage."),
        },
    )
    index = SearchIndex(Library(root), tmp_path / "index.sqlite3")
    index.update()
    first = index.search("cold")
    assert _ids(first) == ["lambda"]
    assert index.search("cold ") == first
    assert index.search("COLD,") == first
    assert _ids(index.search("containers")) == ["fargate"]
    index.close()


def test_the_same_words_after_an_update_find_the_new_text(tmp_path):
    root = write_library(
        tmp_path / "lib",
        {"a.md": _topic("lambda", "AWS Lambda", "Functions run on demand.")},
    )
    index = SearchIndex(Library(root), tmp_path / "index.sqlite3")
    assert _ids(index.search("quokkas")) == []  # before the index is built: names only
    index.update()
    assert _ids(index.search("quokkas")) == []
    page = root / "a.md"
    page.write_text(_topic("lambda", "AWS Lambda", "Now about quokkas."), encoding="utf-8")
    status = page.stat()
    os.utime(page, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000_000))
    index.update()
    assert _ids(index.search("quokkas")) == ["lambda"]
    index.close()
