"""Study mode without a window: card syntax, stable ids, the review log, Anki export, --check."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import pytest
from conftest import CONTENT, write_library

from viewer.cli import build_parser, run_command
from viewer.commands.check import check_library
from viewer.errors import UsageError
from viewer.library.folder import Library
from viewer.pages.card_syntax import scan
from viewer.pages.render import Renderer
from viewer.study.anki import export_anki
from viewer.study.cards import library_cards
from viewer.study.deck import StudyDeck
from viewer.study.store import ReviewStore, store_path

TOPIC = """---
id: lambda
title: AWS Lambda
---
# AWS Lambda

Some text about Lambda.

## Limits

How long can one invocation run?::15 minutes (900 seconds)
What is the largest memory setting?::10,240 MB

Which two things
is a function billed by?
?
Requests, and duration
multiplied by memory (GB-seconds).

```text
not::a card in code
```
"""

TABLE = """id = "pets"
title = "Pets"
[[subject]]
id = "cat"
label = "Cat"
topic = "lambda"
[[subject]]
id = "dog"
label = "Dog"
[[attribute]]
id = "legs"
label = "Legs"
[values.legs]
cat = "4"
dog = { value = "4", note = "Usually." }
"""


@pytest.fixture
def lib(tmp_path) -> Path:
    return write_library(
        tmp_path / "lib", {"serverless/lambda.md": TOPIC, "comparisons/pets.toml": TABLE}
    )


def cards_of(root: Path):
    return library_cards(Library(root, use_cache=False))


def test_both_card_forms_are_read_and_code_is_not():
    found, _headings = scan(TOPIC.split("---\n", 2)[2])
    assert [(c.question, c.answer) for c in found] == [
        ("How long can one invocation run?", "15 minutes (900 seconds)"),
        ("What is the largest memory setting?", "10,240 MB"),
        (
            "Which two things\nis a function billed by?",
            "Requests, and duration\nmultiplied by memory (GB-seconds).",
        ),
    ]


def test_separators_in_code_spans_lists_and_tables_are_not_cards():
    text = "Use `std::vector` here.\n\n- item::x\n\n| a::b |\n|---|\n| c |\n\n    indented::code\n"
    assert scan(text)[0] == []


def test_cards_come_from_topics_and_every_comparison_cell(lib):
    cards = cards_of(lib)
    assert len(cards.cards) == 3 + 2
    cell = cards.cell_card("pets", "legs", "dog")
    assert (cell.question, cell.answer, cell.note, cell.topic_id) == (
        "Dog — Legs?",
        "4",
        "Usually.",
        "",
    )
    first = cards.deck("topic:lambda")[0]
    assert (first.topic_id, first.anchor, first.section, first.line) == (
        "lambda",
        "limits",
        "Limits",
        11,
    )
    assert list(cards.deck_titles) == ["topic:lambda", "table:pets"]


def test_ids_survive_unrelated_edits_and_an_answer_edit(lib):
    before = {c.question: c for c in cards_of(lib).cards}
    path = lib / "serverless/lambda.md"
    edited = (
        path.read_text()
        .replace("Some text about Lambda.", "New intro.\n\n## A new section\n\nMore words.")
        .replace("## Limits", "## Quotas and limits")
        .replace("15 minutes (900 seconds)", "15 minutes")
    )
    path.write_text(edited)
    (lib / "comparisons/pets.toml").write_text(
        TABLE.replace('label = "Legs"', 'label = "Number of legs"')
    )
    after = cards_of(lib).cards
    assert {c.id for c in after} == {c.id for c in before.values()}
    changed = next(c for c in after if c.question.startswith("How long"))
    assert changed.answer_key != before[changed.question].answer_key
    same = [c for c in after if not c.question.startswith("How long") and c.question in before]
    assert all(c.answer_key == before[c.question].answer_key for c in same)


def test_a_new_question_is_a_new_card(lib):
    before = {c.id for c in cards_of(lib).cards}
    path = lib / "serverless/lambda.md"
    path.write_text(path.read_text().replace("largest memory setting", "largest memory size"))
    assert len({c.id for c in cards_of(lib).cards} - before) == 1


def test_grading_schedules_and_the_log_survives_reopening(lib):
    cards = cards_of(lib)
    deck = StudyDeck(cards, ReviewStore.for_library(lib))
    assert deck.due_count() == 5
    card = deck.queue()[0]
    due = deck.grade(card, 3)
    assert deck.due_count() == 4
    assert deck.queue()[0] is not card
    deck.store.close()
    again = StudyDeck(cards_of(lib), ReviewStore.for_library(lib))
    assert again.due_count() == 4
    assert again.due_time(card) == due
    assert again.queue(practise=True)[-1].id == card.id  # practise: not due, still offered


def test_editing_an_answer_resets_only_that_card(lib):
    deck = StudyDeck(cards_of(lib), ReviewStore.for_library(lib))
    for card in list(deck.queue()):
        deck.grade(card, 4)
    assert deck.due_count() == 0
    deck.store.close()
    path = lib / "serverless/lambda.md"
    path.write_text(path.read_text().replace("10,240 MB", "10,240 MB (10 GB)"))
    deck = StudyDeck(cards_of(lib), ReviewStore.for_library(lib))
    assert [c.question for c in deck.queue()] == ["What is the largest memory setting?"]
    assert deck.progress().new == 1


def test_a_damaged_log_is_set_aside_and_a_new_one_started(lib):
    path = store_path(lib)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is not a database\x00" * 200)
    store = ReviewStore.for_library(lib)
    assert "damaged" in store.problem() and "set aside" in store.problem()
    aside = list(path.parent.glob("*.damaged-*"))
    assert len(aside) == 1 and aside[0].read_bytes().startswith(b"this is not")
    deck = StudyDeck(cards_of(lib), store)
    deck.grade(deck.queue()[0], 3)
    store.close()
    reopened = ReviewStore.for_library(lib)
    assert reopened.problem() == "" and len(reopened.reviews()) == 1


def test_two_windows_grading_the_same_file_lose_nothing(lib):
    cards = cards_of(lib)
    one = StudyDeck(cards, ReviewStore.for_library(lib))
    two = StudyDeck(cards, ReviewStore.for_library(lib))
    card = one.queue()[0]
    one.grade(card, 3)
    two.grade(card, 3)  # built on the first window's review, not over it
    with sqlite3.connect(store_path(lib)) as db:
        assert db.execute("SELECT reps FROM cards WHERE id = ?", (card.id,)).fetchone()[0] == 2
        assert db.execute("SELECT count(*), sum(first) FROM reviews").fetchone() == (2, 1)
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_progress_counts_due_forecast_and_retention(lib):
    deck = StudyDeck(cards_of(lib), ReviewStore.for_library(lib))
    start = 1_900_000_000.0
    cards = deck.queue(now=start)
    for card in cards:
        deck.grade(card, 3, now=start)
    later = start + 3 * 86400
    for card in cards[:2]:
        deck.grade(card, 1, now=later)
    for card in cards[2:]:
        deck.grade(card, 3, now=later)
    progress = deck.progress(now=later)
    assert progress.total == 5 and progress.new == 0 and progress.reviews == 10
    assert progress.retention == pytest.approx(3 / 5)
    assert progress.due_today + sum(progress.forecast) == 5 - sum(
        1 for c in cards if deck.due_time(c) >= later + 15 * 86400
    )


def test_check_reports_bad_cards_with_their_lines(tmp_path):
    root = write_library(
        tmp_path / "lib",
        {"a.md": "# A\n\nQ1?::A1\n::no question\nQ2?::\nq1?::  again\n\nOnly\n?\n"},
    )
    found = [(p.line, p.message) for p in check_library(Library(root, use_cache=False))]
    assert found == [
        (4, "flashcard has an empty question"),
        (5, "flashcard has an empty answer"),
        (6, "flashcard question asked twice in this topic (first on line 3)"),
        (8, "flashcard has an empty answer"),
    ]


def test_the_bundled_library_checks_clean_with_its_cards():
    assert check_library(Library(CONTENT, use_cache=False)) == []


def test_cards_render_as_a_question_and_answer_block_without_separators(lib):
    library = Library(lib, use_cache=False)
    page = Renderer().render_topic(library, library.topic("lambda"))
    assert 'class="flashcard"' in page.html
    assert "::" not in page.html.replace("not::a card", "")
    assert ">15 minutes (900 seconds)<" in page.html
    assert "\n?\n" not in page.html


def _notes(apkg: Path) -> list[tuple[str, str, str]]:
    with zipfile.ZipFile(apkg) as archive:
        assert "collection.anki2" in archive.namelist()
        data = archive.read("collection.anki2")
    copy = apkg.with_suffix(".anki2")
    copy.write_bytes(data)
    with sqlite3.connect(copy) as db:
        return sorted(db.execute("SELECT guid, flds, tags FROM notes").fetchall())


def test_anki_export_holds_every_card_and_keeps_note_ids(lib, tmp_path):
    library = Library(lib, use_cache=False)
    assert export_anki(library, tmp_path / "one.apkg", []) == 5
    first = _notes(tmp_path / "one.apkg")
    cards = cards_of(lib)
    assert {guid for guid, _, _ in first} == {c.id for c in cards.cards}
    assert any("topic::lambda" in tags and "15 minutes" in fields for _, fields, tags in first)
    assert any("table::pets" in tags and "Usually." in fields for _, fields, tags in first)
    path = lib / "serverless/lambda.md"
    path.write_text(path.read_text().replace("10,240 MB", "10,240 MB (10 GB)"))
    export_anki(Library(lib, use_cache=False), tmp_path / "two.apkg", [])
    second = _notes(tmp_path / "two.apkg")
    assert [g for g, _, _ in second] == [g for g, _, _ in first]
    assert sum(a != b for a, b in zip(first, second)) == 1  # the edited note, updated in place


def test_anki_export_of_chosen_decks_and_usage_errors(lib, tmp_path):
    out = tmp_path / "pets.apkg"
    args = build_parser().parse_args(["--content", str(lib), "--export-anki", str(out), "pets"])
    assert run_command(args) == 0
    assert [tags.strip() for _, _, tags in _notes(out)] == ["table::pets", "table::pets"]
    for name in ("nope",):
        args = build_parser().parse_args(["--content", str(lib), "--export-anki", str(out), name])
        with pytest.raises(UsageError, match="unknown topic or table"):
            run_command(args)
