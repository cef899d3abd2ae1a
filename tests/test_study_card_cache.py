"""The card cache: what it gives is what reading the topics gives, and only while it is true."""

from __future__ import annotations

import os

from conftest import write_library
from test_study import TABLE, TOPIC

from viewer.library.folder import Library
from viewer.study.card_cache import CardCache
from viewer.study.cards import library_cards

OTHER = "# Other\n\n## Quiz\n\nWhat is two and two?::Four\n"


def _library(tmp_path):
    root = write_library(
        tmp_path / "lib",
        {
            "serverless/lambda.md": TOPIC,
            "serverless/other.md": OTHER,
            "comparisons/pets.toml": TABLE,
        },
    )
    return root, Library(root, use_cache=False)


def _read(library, folder):
    cache = CardCache(library.root, folder)
    return library_cards(library, cache=cache), cache


def test_cached_cards_are_the_cards_read_from_the_topics(tmp_path):
    _root, library = _library(tmp_path)
    fresh = library_cards(library)
    first, cache = _read(library, tmp_path / "cache")
    assert cache.hits == 0 and cache.path.is_file()
    again, cache = _read(library, tmp_path / "cache")
    assert cache.hits == 2
    assert again.cards == first.cards == fresh.cards
    assert again.deck_titles == fresh.deck_titles


def test_an_edited_topic_is_read_again_and_only_it(tmp_path):
    root, library = _library(tmp_path)
    _read(library, tmp_path / "cache")
    path = root / "serverless/other.md"
    path.write_text(OTHER.replace("Four", "4, in any base above 4"), encoding="utf-8")
    os.utime(path, ns=(1, 1))  # a different time even on a coarse clock
    cards, cache = _read(library, tmp_path / "cache")
    assert cache.hits == 1
    assert [c.answer for c in cards.deck("topic:other")] == ["4, in any base above 4"]


def test_a_damaged_cache_reads_as_empty_and_is_written_anew(tmp_path):
    _root, library = _library(tmp_path)
    _first, cache = _read(library, tmp_path / "cache")
    cache.path.write_bytes(b"\x00not a cache")
    cards, cache = _read(library, tmp_path / "cache")
    assert cache.hits == 0 and cards.cards == library_cards(library).cards
    _again, cache = _read(library, tmp_path / "cache")
    assert cache.hits == 2


def test_an_unwritable_cache_folder_only_means_reading_every_topic(tmp_path):
    _root, library = _library(tmp_path)
    blocked = tmp_path / "file"
    blocked.write_text("", encoding="utf-8")  # a file where the folder should be
    cards, cache = _read(library, blocked / "cache")
    assert cache.hits == 0 and cards.cards == library_cards(library).cards
