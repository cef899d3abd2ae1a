"""Loading libraries: tree order, metadata, plain folders, bad input. No Qt."""

from __future__ import annotations

import pytest
from conftest import write_library

from viewer.library import frontmatter
from viewer.library.folder import Library, LibraryError


def test_sample_library_tree_order(sample_library):
    library = Library(sample_library)
    assert library.title == "Sample Library"
    assert [c.title for c in library.tree.children] == ["The Basics", "More"]
    assert [t.id for t in library.topics] == ["intro", "other", "third"]
    intro = library.topic("intro")
    assert intro.title == "Introduction"
    assert intro.aliases == ("start", "welcome")
    assert intro.breadcrumb == ["The Basics"]


def test_plain_folder_without_metadata_opens(tmp_path):
    root = write_library(
        tmp_path / "notes",
        {
            "02-networking/vpc_basics.md": "Intro line\n\n# Virtual Private Cloud\n\ntext",
            "01-compute/ec2.md": "no heading at all",
            "top.md": "# Top level\n",
            "README.md": "# Not a topic\n",
        },
    )
    library = Library(root)
    assert [(t.id, t.title) for t in library.topics] == [
        ("top", "Top level"),
        ("ec2", "Ec2"),
        ("vpc_basics", "Virtual Private Cloud"),
    ]
    assert [c.title for c in library.tree.children if hasattr(c, "children")] == [
        "Compute",
        "Networking",
    ]


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(LibraryError, match="not found"):
        Library(tmp_path / "nope")


def test_duplicate_ids_are_reported_and_both_topics_kept(tmp_path):
    root = write_library(tmp_path / "lib", {"a/x.md": "# One\n", "b/x.md": "# Two\n"})
    library = Library(root)
    assert len(library.topics) == 2
    assert len({t.id for t in library.topics}) == 2
    assert any("duplicate topic id 'x'" in p.message for p in library.problems)


def test_invalid_utf8_is_decoded_and_reported_with_its_line(tmp_path):
    root = write_library(tmp_path / "lib", {"t.md": b"# Title\n\nline two\nbad \xff byte\n"})
    library = Library(root)
    source = library.read(library.topics[0])
    assert "bad \ufffd byte" in source.body
    assert [(p.line, p.level) for p in source.problems] == [(4, "warning")]


def test_bad_config_is_reported_and_library_still_opens(tmp_path):
    root = write_library(tmp_path / "lib", {"library.toml": "title = \n", "t.md": "# T\n"})
    library = Library(root)
    assert library.topics[0].title == "T"
    assert library.problems and library.problems[0].path.name == "library.toml"


def test_front_matter_parsing():
    parsed = frontmatter.parse("---\nid: x\nTitle: 'Quoted'\nnot a pair\n---\n# Body\n")
    assert parsed.meta == {"id": "x", "title": "Quoted"}
    assert parsed.errors == [(4, "front matter line is not 'key: value': 'not a pair'")]
    assert parsed.body == "# Body\n"
    assert parsed.body_line == 6
    unclosed = frontmatter.parse("---\nid: x\n# Body\n")
    assert unclosed.errors and unclosed.errors[0][0] == 1
    assert "# Body" in unclosed.body
    assert frontmatter.split_list("[a, 'b', c ]") == ("a", "b", "c")
