"""Comparison data without a window: loading, problems with their lines, renderings, --compare."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CONTENT, ROOT, write_library

from viewer.cli import UsageError
from viewer.compare.tables import (
    comparison_html,
    differing_rows,
    load_comparisons,
    markdown_table,
    rows_for_topic,
    run_compare,
    subjects_by_id,
    table_cells,
    to_markdown,
    topic_appendix_html,
    tsv_table,
)
from viewer.library.folder import Library

PETS = """\
id = "pets"
title = "Cats vs dogs vs fish"
description = "Three pets."
order = 1

[[subject]]
id = "cat"
label = "Cat"
topic = "cat"

[[subject]]
id = "dog"
label = "Dog"
topic = "dog"

[[subject]]
id = "fish"
label = "Fish"

[[attribute]]
id = "legs"
label = "Legs"

[[attribute]]
id = "sound"
label = "Sound"

[[attribute]]
id = "fur"
label = "Fur | hair"

[values.legs]
cat = "4"
dog = "4"
fish = { value = "0", note = "Fins instead.", source = "https://example.com/fish", \
checked = 2026-01-02 }

[values.sound]
cat = "Meow"
dog = "**Woof**"
fish = "None"

[values.fur]
cat = "Yes"
dog = "Yes"
fish = "No | never"
"""

LATER = """\
id = "later"
title = "Later table"
order = 5

[[subject]]
id = "tea"
label = "Tea"

[[subject]]
id = "coffee"
label = "Coffee"

[[attribute]]
id = "hot"
label = "Served hot"

[values.hot]
tea = "Yes"
coffee = "Yes"
"""

# Line numbers matter below: they are what the problems must point at.
BAD = """\
id = "bad"
title = "Bad"

[[subject]]
id = "a"
label = "A"

[[subject]]
id = "b"
label = "B"

[[attribute]]
id = "x"
label = "X"

[[attribute]]
id = "y"
label = "Y"

[values.x]
a = "1"
b = "2"
c = "3"

[values.y]
a = "1"

[values.z]
a = "1"
"""

BROKEN = """\
id = "broken"
title = "Broken"
[[subject]]
id = "p"
label = "P"
[[subject]]
id = "q"
label = "Q"
[[attribute]]
id = "m"
label = "M"
[values.m]
p = "unterminated
q = "fine"
"""


def pets_library(tmp_path: Path, extra: dict[str, str] | None = None) -> Path:
    files = {
        "cat.md": "# Cat\n\nA cat.\n",
        "dog.md": "# Dog\n\nA dog.\n",
        "comparisons/pets.toml": PETS,
        "comparisons/later.toml": LATER,
    }
    files.update(extra or {})
    return write_library(tmp_path / "pets", files)


@pytest.fixture
def pets(tmp_path) -> Library:
    return Library(pets_library(tmp_path))


def test_loads_sets_in_order_with_subjects_attributes_and_cells(pets):
    data = load_comparisons(pets)
    assert data.problems == []
    assert [s.id for s in data.sets] == [
        "pets",
        "later",
    ]  # order 1 before order 5, whatever the file names
    pets_set = data.sets[0]
    assert [s.id for s in pets_set.subjects] == ["cat", "dog", "fish"]
    assert [a.label for a in pets_set.attributes] == ["Legs", "Sound", "Fur | hair"]
    fish_legs = pets_set.cell("legs", "fish")
    assert (fish_legs.value, fish_legs.note, fish_legs.source, fish_legs.checked) == (
        "0",
        "Fins instead.",
        "https://example.com/fish",
        "2026-01-02",
    )
    assert pets_set.cell("sound", "dog").plain == "Woof"
    assert subjects_by_id(data)["tea"][0].id == "later"


def test_differing_rows_depend_on_the_subjects_shown(pets):
    pets_set = load_comparisons(pets).sets[0]
    assert [a.id for a in differing_rows(pets_set, ["cat", "dog"])] == ["sound"]
    assert [a.id for a in differing_rows(pets_set, ["cat", "dog", "fish"])] == [
        "legs",
        "sound",
        "fur",
    ]
    assert differing_rows(pets_set, ["cat"]) == []


def test_markdown_escapes_pipes_and_keeps_emphasis(pets):
    pets_set = load_comparisons(pets).sets[0]
    assert to_markdown(pets_set, ["cat", "dog"]) == (
        "|  | Cat | Dog |\n"
        "| --- | --- | --- |\n"
        "| Legs | 4 | 4 |\n"
        "| Sound | Meow | **Woof** |\n"
        "| Fur \\| hair | Yes | Yes |\n"
    )
    assert to_markdown(pets_set, ["cat", "dog"], differences_only=True).splitlines()[2:] == [
        "| Sound | Meow | **Woof** |"
    ]
    assert markdown_table(["a"], [["x\ny|z"]]).splitlines()[2] == "| x y\\|z |"


def test_tsv_is_plain_text(pets):
    pets_set = load_comparisons(pets).sets[0]
    cells = table_cells(pets_set, ["dog", "fish"], differences_only=True)
    assert tsv_table(*cells) == (
        "\tDog\tFish\nLegs\t4\t0\nSound\tWoof\tNone\nFur | hair\tYes\tNo | never\n"
    )


def test_html_marks_differing_rows_and_lists_notes(pets):
    pets_set = load_comparisons(pets).sets[0]
    page = comparison_html(pets_set, ["cat", "dog", "fish"], for_print=True)
    assert "<thead>" in page and "<th" in page
    assert page.count('<th align="left" class="differs">≠ ') == 3
    assert "<b>Woof</b>" in page
    assert "Fins instead. Source: https://example.com/fish (checked 2026-01-02)" in page
    same = comparison_html(pets_set, ["cat", "dog"])
    assert same.count('class="differs"') == 1 and "≠ Sound" in same


def test_topic_rows_and_appendix_link(pets):
    data = load_comparisons(pets)
    found = rows_for_topic(data, "dog")
    assert [(f.cset.id, [s.id for s in f.subjects]) for f in found] == [("pets", ["dog"])]
    assert rows_for_topic(data, "nothing") == []
    appendix = topic_appendix_html(data, "dog")
    assert 'href="cloudref-compare:dog"' in appendix and "Open in comparison" in appendix
    assert "<b>Woof</b>" in appendix and "Meow" not in appendix
    assert topic_appendix_html(data, "nothing") == ""


def test_bad_values_are_problems_at_their_lines(tmp_path):
    library = Library(pets_library(tmp_path, {"comparisons/bad.toml": BAD}))
    data = load_comparisons(library)
    found = sorted((p.path.name, p.line, p.message) for p in data.problems)
    assert found == [
        ("bad.toml", 23, "unknown subject 'c' in [values.x]"),
        ("bad.toml", 25, "missing value for subject 'b' in [values.y]"),
        ("bad.toml", 28, "unknown attribute 'z' in [values.z]"),
    ]
    bad = data.set_by_id("bad")
    assert bad.cell("x", "a").value == "1" and bad.cell("y", "a").value == "1"
    assert bad.cell("y", "b") is None
    assert [s.id for s in data.sets] == ["pets", "later", "bad"]  # unordered tables come last


def test_syntax_error_is_reported_with_its_line_and_the_rest_is_read(tmp_path):
    library = Library(pets_library(tmp_path, {"comparisons/broken.toml": BROKEN}))
    data = load_comparisons(library)
    [problem] = data.problems
    assert (problem.path.name, problem.line, problem.level) == ("broken.toml", 13, "error")
    assert problem.message.startswith("TOML syntax error")
    broken = data.set_by_id("broken")
    assert [s.id for s in broken.subjects] == ["p", "q"]
    assert broken.cell("m", "q").value == "fine" and broken.cell("m", "p") is None


def test_unreadable_and_missing_folders_never_raise(tmp_path):
    assert (
        load_comparisons(Library(write_library(tmp_path / "plain", {"a.md": "# A\n"}))).sets == []
    )
    lib = write_library(
        tmp_path / "odd", {"a.md": "# A\n", "comparisons/x.toml": b'id = "x"\n\x00\xff'}
    )
    data = load_comparisons(Library(lib))
    assert data.problems and data.problems[0].line == 1


def test_bundled_library_compares_ecs_fargate_and_lambda():
    data = load_comparisons(Library(CONTENT))
    assert data.problems == []
    compute = data.set_of("fargate")
    assert [s.id for s in compute.subjects] == ["ecs-ec2", "fargate", "lambda"]
    assert len(compute.attributes) >= 10
    assert all(compute.cell(a.id, s.id) for a in compute.attributes for s in compute.subjects)
    assert "Open in comparison" in topic_appendix_html(data, "fargate")


def test_run_compare_lists_and_prints(pets, capsys):
    assert run_compare(pets, []) == 0
    assert (
        capsys.readouterr().out == "pets\tcat\tCat\npets\tdog\tDog\npets\tfish\tFish\n"
        "later\ttea\tTea\nlater\tcoffee\tCoffee\n"
    )
    assert run_compare(pets, ["dog", "cat"], differences_only=True) == 0
    assert (
        capsys.readouterr().out
        == "|  | Dog | Cat |\n| --- | --- | --- |\n| Sound | **Woof** | Meow |\n"
    )
    with pytest.raises(UsageError, match="unknown comparison subject: 'cow'"):
        run_compare(pets, ["cat", "cow"])
    with pytest.raises(UsageError, match="different comparison tables"):
        run_compare(pets, ["cat", "tea"])


def _cloudref(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "main.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


def test_compare_command_line(tmp_path):
    lib = str(pets_library(tmp_path))
    listed = _cloudref("--content", lib, "--compare")
    assert listed.returncode == 0 and listed.stdout.splitlines()[0] == "pets\tcat\tCat"
    table = _cloudref("--content", lib, "--compare", "cat", "dog", "fish", "--differences")
    assert table.returncode == 0
    assert table.stdout.splitlines()[:3] == [
        "|  | Cat | Dog | Fish |",
        "| --- | --- | --- | --- |",
        "| Legs | 4 | 4 | 0 |",
    ]
    unknown = _cloudref("--content", lib, "--compare", "cat", "cow")
    assert unknown.returncode == 2 and unknown.stdout == ""
    assert (
        unknown.stderr.strip().count("\n") == 0
        and "unknown comparison subject: 'cow'" in unknown.stderr
    )


def test_compare_command_on_the_bundled_library():
    result = _cloudref("--compare", "ecs-ec2", "fargate", "lambda")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "|  | ECS on EC2 | AWS Fargate | AWS Lambda |"
    assert len(lines) >= 12 and all(line.startswith("| ") and line.endswith(" |") for line in lines)
