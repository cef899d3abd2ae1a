"""`--export-pdf OUT --compare … --recall`: a printed self-test, the answers on the last page."""

from __future__ import annotations

import pytest
from conftest import write_library
from test_export import read, run_cli, text_of

TABLE = """id = "pets"
title = "Pets"
description = "Two animals, side by side."
[[subject]]
id = "cat"
label = "Cat"
[[subject]]
id = "dog"
label = "Dog"
[[attribute]]
id = "sound"
label = "Sound it makes"
[[attribute]]
id = "food"
label = "Favourite food"
[values.sound]
cat = "meows"
dog = { value = "barks", note = "Loudly at the postman." }
[values.food]
cat = "tuna"
dog = "sausages"
"""
VALUES = ("meows", "barks", "tuna", "sausages", "postman")


@pytest.fixture
def root(tmp_path):
    return write_library(tmp_path / "lib", {"comparisons/pets.toml": TABLE})


def test_the_sheet_keeps_the_labels_and_blanks_the_values_then_gives_the_answers(root, tmp_path):
    out = tmp_path / "recall.pdf"
    proc = run_cli(
        "--content", str(root), "--export-pdf", str(out), "--compare", "cat", "dog", "--recall"
    )
    assert proc.returncode == 0, proc.stderr
    pages = [text_of(page) for page in read(out).pages]
    assert len(pages) >= 2
    test, answers = pages[0], pages[-1]
    for label in ("Pets", "Cat", "Dog", "Sound it makes", "Favourite food"):
        assert label in test
    assert not [value for value in VALUES if value in " ".join(pages[:-1])]
    assert "≠" not in test  # which rows differ would be a hint
    assert "Answers" in answers
    for value in VALUES:
        assert value in answers
    outline = [item.title for item in read(out).outline]
    assert outline == ["Self-test: Pets", "Answers: Pets"]


def test_without_recall_the_table_is_printed_with_its_values(root, tmp_path):
    out = tmp_path / "table.pdf"
    proc = run_cli("--content", str(root), "--export-pdf", str(out), "--compare", "cat", "dog")
    assert proc.returncode == 0, proc.stderr
    pages = read(out).pages
    assert len(pages) == 1 and "meows" in text_of(pages[0])


@pytest.mark.parametrize(
    "args",
    [
        ["--recall"],
        ["--compare", "cat", "dog", "--recall"],
        ["--export-pdf", "OUT", "--all", "--recall"],
    ],
)
def test_recall_without_export_and_compare_is_a_usage_error(root, tmp_path, args):
    args = [str(tmp_path / "x.pdf") if a == "OUT" else a for a in args]
    proc = run_cli("--content", str(root), *args)
    assert proc.returncode == 2
    assert "--recall works with --export-pdf OUT.pdf --compare" in proc.stderr
    assert not (tmp_path / "x.pdf").exists()
