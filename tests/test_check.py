"""`cloudref --check`: one `path:line: level: message` line per problem, then a summary. No Qt."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import CONTENT, ROOT, SVG, write_library

from viewer.commands.check import run_check
from viewer.compare.sources import months_before
from viewer.library.folder import MAX_TOPIC_BYTES, Library


def check(root: Path) -> tuple[int, list[str]]:
    out, err = io.StringIO(), io.StringIO()
    status = run_check(root, out=out, err=err)
    return status, (out.getvalue() + err.getvalue()).splitlines()


def problem_lines(lines: list[str], prefix: str) -> list[str]:
    return [line for line in lines if line.startswith(prefix)]


LINKS = """\
---
id: links
title: Links
order: soon
---
# Links

See [ok](other.md#second-part), [typo](fargat.md) and [no id](cloudref:nothere).

A [bad anchor](other.md#no-such-part) and [local](#nowhere) and [local ok](#images).

[escape](../../etc/passwd) [js](javascript:alert(1)) [mail](mailto:a@example.com)

## Images

![Secret beside the library](../secret.png)

![Remote cat](https://example.com/cat.png)

![Missing diagram](images/missing.svg)

![Good diagram](images/diagram.svg)

<script>alert("hi")</script>
<img src="/etc/hostname" alt="hostname">
"""


@pytest.fixture
def broken(tmp_path) -> Path:
    (tmp_path / "secret.png").write_bytes(b"not for pages")
    return write_library(
        tmp_path / "lib",
        {
            "notes/links.md": LINKS,
            "notes/other.md": "# Other\n\n## Second part\n\ntext\n",
            "notes/half.md": "---\nid: half\ntitle: Half written\n",
            "notes/badline.md": "---\nid: badline\nthis is not a key\n---\n# Bad line\n",
            "notes/latin1.md": b"# Latin-1\n\nline two\nCaf\xe9 cr\xe8me\n",
            "notes/binary.md": b"\x00\x01\x02PK\x03\x04" * 50,
            "notes/dup1.md": "---\nid: same\n---\n# First\n",
            "notes/dup2.md": "---\ntitle: Second\nid: same\n---\n# Second\n",
            "images/diagram.svg": SVG,
        },
    )


def test_bundled_library_is_clean():
    status, lines = check(CONTENT)
    assert lines[-1].endswith("no problems in 8 topics") or "no problems" in lines[-1], lines
    assert status == 0, "\n".join(lines)


def test_every_problem_is_reported_with_its_line(broken):
    status, lines = check(broken)
    assert status == 1
    expected = [
        "notes/links.md:4: warning: order 'soon' is not a number",
        "notes/links.md:8: error: broken link 'fargat.md': no topic file notes/fargat.md",
        "notes/links.md:8: error: broken link 'cloudref:nothere': no topic with id 'nothere'",
        "notes/links.md:10: error: broken anchor 'other.md#no-such-part': no heading "
        "#no-such-part in notes/other.md",
        "notes/links.md:10: error: broken anchor '#nowhere': no heading #nowhere on this page",
        "notes/links.md:12: error: link '../../etc/passwd' leaves the library; the viewer does "
        "not follow it",
        "notes/links.md:12: warning: link 'javascript:alert(1)' is never followed",
        "notes/links.md:12: warning: link 'mailto:a@example.com' is never followed",
        "notes/links.md:16: error: image '../secret.png' is outside the library and is not loaded",
        "notes/links.md:18: warning: remote image 'https://example.com/cat.png' is never fetched",
        "notes/links.md:20: error: image not found: 'images/missing.svg'",
        "notes/links.md:24: warning: raw HTML <script> is ignored",
        "notes/links.md:25: error: image '/etc/hostname' is outside the library and is not loaded",
        "notes/half.md:1: warning: front matter opened with '---' is never closed",
        "notes/badline.md:3: warning: front matter line is not 'key: value': 'this is not a key'",
        "notes/latin1.md:4: warning: invalid UTF-8 (byte 0xe9)",
        "notes/binary.md:1: error: binary file, not UTF-8 Markdown text",
        "notes/dup2.md:3: error: duplicate topic id 'same', already used by notes/dup1.md",
    ]
    for wanted in expected:
        assert any(line.startswith(wanted) for line in lines), f"missing: {wanted}\n" + "\n".join(
            lines
        )
    # The good link, the good anchor and the good image are not reported.
    assert not any(
        good in line
        for line in lines
        for good in ("'other.md#second-part'", "'#images'", "'images/diagram.svg'")
    )
    assert len(lines) == len(expected) + 1
    assert lines[-1].endswith("10 error(s), 8 warning(s) in 8 topics")


def test_suggests_the_nearest_topic_and_anchor(tmp_path):
    root = write_library(
        tmp_path / "lib",
        {
            "fargate.md": "# Fargate\n\n## Pricing and limits\n",
            "a.md": "# A\n\n[x](fargat) [y](fargate.md#pricing-and-limit)\n",
        },
    )
    _, lines = check(root)
    assert (
        "a.md:3: error: broken link 'fargat': no topic with id 'fargat' and no topic file fargat "
        "(did you mean the topic 'fargate'?)" in lines
    )
    assert any(
        "no heading #pricing-and-limit in fargate.md (did you mean #pricing-and-limits?)" in line
        for line in lines
    )


def test_topic_over_the_size_limit(tmp_path):
    big = "# Big\n\n" + "A paragraph of filler text for a large topic.\n\n" * (
        MAX_TOPIC_BYTES // 40
    )
    root = write_library(tmp_path / "lib", {"big.md": big})
    status, lines = check(root)
    assert status == 1
    assert lines[0].startswith(
        f"big.md:1: warning: topic is {len(big) / 1e6:.1f} MB, over the 1 MB limit for one page"
    )


def test_unreadable_topic(tmp_path, monkeypatch):
    root = write_library(tmp_path / "lib", {"locked.md": "# Locked\n", "ok.md": "# Ok\n"})
    real = Path.read_bytes

    def read_bytes(self):
        if self.name == "locked.md":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    status, lines = check(root)
    assert status == 1
    assert lines[0] == "locked.md:1: error: cannot read: Permission denied"


def test_comparison_problems_are_included(tmp_path):
    pytest.importorskip("viewer.compare.tables")
    root = write_library(
        tmp_path / "lib",
        {"a.md": "# A\n", "comparisons/bad.toml": 'id = "bad"\ntitle = "unclosed\n[[subject]]\n'},
    )
    status, lines = check(root)
    assert status == 1
    assert any(
        line.startswith("comparisons/bad.toml:2: error: TOML syntax error") for line in lines
    ), lines


def test_clean_library_and_unreadable_folder(tmp_path):
    root = write_library(
        tmp_path / "lib", {"a.md": "# A\n\n[b](b.md#part)\n", "b.md": "# B\n\n## Part\n"}
    )
    assert check(root) == (0, [f"{root.resolve()}: no problems in 2 topics"])
    status, lines = check(tmp_path / "nowhere")
    assert status == 2 and "library folder not found" in lines[0]
    status, lines = check(root / "a.md")
    assert status == 2 and "not a folder" in lines[0]


def test_command_line(broken):
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--check", str(broken)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert (
        "notes/binary.md:1: error: binary file, not UTF-8 Markdown text"
        in result.stdout.splitlines()
    )
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--check", str(broken / "missing")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "cloudref: error: library folder not found" in result.stderr


def test_duplicate_id_keeps_both_topics(broken):
    library = Library(broken)
    assert library.topic("same").path.name == "dup1.md"
    assert library.topic("notes-dup2").path.name == "dup2.md"


def test_symlink_loops_and_dangling_links(tmp_path):
    root = write_library(tmp_path / "lib", {"sub/a.md": "# A\n"})
    (root / "sub" / "loop").symlink_to("..")
    (root / "dangling.md").symlink_to(tmp_path / "nowhere.md")
    library = Library(root)
    assert [t.id for t in library.topics] == ["a"]
    _, lines = check(root)
    assert lines[:2] == [
        "dangling.md:1: warning: link to a file that does not exist; skipped",
        "sub/loop:1: warning: folder is a link to the library folder, already shown; skipped",
    ]


@pytest.mark.parametrize("images", ["/", "../..", "..", "../../elsewhere"])
def test_images_folder_may_not_reach_above_the_library(tmp_path, images):
    root = write_library(
        tmp_path / "a" / "lib",
        {"library.toml": f'title = "T"\nimages = "{images}"\n', "t.md": "# T\n"},
    )
    library = Library(root)
    assert library.images_dir == root.resolve() / "images"
    _, lines = check(root)
    assert (
        lines[0]
        == f"library.toml:2: error: images folder {images!r} is outside the library and its parent "
        "folder; using images/"
    )


def test_images_folder_beside_the_library_is_allowed(tmp_path):
    root = write_library(
        tmp_path / "lib",
        {"library.toml": 'images = "../pictures"\n', "t.md": "# T\n\n![A](images/p.svg)\n"},
    )
    write_library(tmp_path / "pictures", {"p.svg": SVG})
    assert check(root)[0] == 0


# -- the sourcing rule for comparison cells ------------------------------------------------
SOURCED = """\
id = "pets"
title = "Pets"

[[subject]]
id = "cat"
label = "Cat"

[[subject]]
id = "dog"
label = "Dog"

[[attribute]]
id = "legs"
label = "Legs"

[[attribute]]
id = "kind"
label = "Kind"

[values.legs]
cat = { value = "4", source = "https://example.com/cat", checked = 2026-06-01 }
dog = { value = "4", source = "https://example.com/dog", checked = 2025-12-04 }

[values.kind]
cat = { value = "Feline", definition = true }
dog = "Canine"
"""


def sourcing_library(tmp_path: Path, config: str = "") -> Path:
    files = {"a.md": "# A\n", "comparisons/pets.toml": SOURCED}
    if config:
        files["library.toml"] = config
    return write_library(tmp_path / "lib", files)


def check_on(root: Path, today: date) -> tuple[int, list[str]]:
    out, err = io.StringIO(), io.StringIO()
    status = run_check(root, out=out, err=err, today=today)
    return status, (out.getvalue() + err.getvalue()).splitlines()


def test_a_cell_without_source_or_definition_is_a_warning(tmp_path):
    status, lines = check_on(sourcing_library(tmp_path), date(2026, 12, 5))
    assert status == 1
    unsourced = problem_lines(lines, "comparisons/pets.toml:")
    assert unsourced[0] == (
        "comparisons/pets.toml:22: warning: legs/dog: checked 2025-12-04, more than 12 months ago"
    )
    assert unsourced[1].startswith(
        "comparisons/pets.toml:26: warning: kind/dog: cell has no source"
    )
    assert len(unsourced) == 2, lines  # the sourced cells and the definition pass


def test_checked_dates_age_against_the_library_setting(tmp_path):
    # Exactly twelve months is not yet too old; a day later is.
    root = sourcing_library(tmp_path)
    _, lines = check_on(root, date(2026, 12, 4))
    assert not any("more than" in line for line in lines), lines
    _, lines = check_on(root, date(2027, 6, 2))
    assert sum("more than 12 months ago" in line for line in lines) == 2, lines
    root = sourcing_library(tmp_path / "six", "source_max_age_months = 6\n")
    _, lines = check_on(root, date(2026, 11, 30))
    assert any("legs/dog: checked 2025-12-04, more than 6 months ago" in line for line in lines)
    # legs/cat was checked 2026-06-01; six months before 2026-11-30 is 2026-05-30.
    assert not any("legs/cat" in line for line in lines), lines


def test_a_bad_max_age_setting_is_reported_and_the_default_used(tmp_path):
    root = sourcing_library(tmp_path, 'title = "Pets"\nsource_max_age_months = "soon"\n')
    _, lines = check_on(root, date(2026, 12, 5))
    assert "library.toml:2: warning: source_max_age_months should be a whole number" in "\n".join(
        lines
    )
    assert any("more than 12 months ago" in line for line in lines), lines


def test_source_without_date_and_dates_in_the_future(tmp_path):
    text = SOURCED.replace(", checked = 2026-06-01", "").replace(
        'dog = "Canine"', 'dog = { value = "Canine", definition = "yes" }'
    )
    root = write_library(tmp_path / "lib", {"a.md": "# A\n", "comparisons/pets.toml": text})
    _, lines = check_on(root, date(2025, 12, 1))
    joined = "\n".join(lines)
    assert "legs/cat: cell's source has no checked date" in joined
    assert "legs/dog: checked 2025-12-04 is in the future" in joined
    assert "kind/dog: definition should be true or false" in joined
    assert "kind/dog: cell has no source" in joined


def test_months_before_keeps_the_day_or_the_month_end():
    assert months_before(date(2026, 12, 5), 12) == date(2025, 12, 5)
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2026, 1, 15), 13) == date(2024, 12, 15)


def test_fence_options_check_as_they_render(tmp_path):
    """mkdocs pages write fence options (`linenums="1"`); the page shows them as code, and the
    check reads them the same way instead of failing on them."""
    root = write_library(
        tmp_path / "lib",
        {
            "fences.md": '# Fences\n\n```{.python .extra #id linenums="1"}\nprint(1)\n```\n\n'
            "See [the fences](#fences).\n"
        },
    )
    assert check(root) == (0, [f"{root}: no problems in 1 topic"])


def test_a_missing_picture_inside_the_library_is_missing_not_outside(tmp_path):
    """`../../images/x.png` from a topic two folders down names the library's own images
    folder (mkdocs sites write them so): a missing file there is "not found"."""
    root = write_library(
        tmp_path / "lib",
        {
            "a/b/pic.md": "# Pic\n\n![gone](../../images/none.png)\n\n![far](../../../up.png)\n",
            "images/other.png": b"",
        },
    )
    status, lines = check(root)
    assert status == 1
    assert lines[:2] == [
        "a/b/pic.md:3: error: image not found: '../../images/none.png' (no file images/none.png)",
        "a/b/pic.md:5: error: image '../../../up.png' is outside the library and is not loaded",
    ]
