"""Titles as plain text and front matter as YAML, as the tree and `--list` get them. No Qt."""

from __future__ import annotations

from conftest import write_library

from viewer.library import frontmatter
from viewer.library.folder import Library
from viewer.library.titles import heading_title, plain_text


def test_titles_lose_markup_and_keep_their_words():
    assert plain_text('Account settings<a name="ecs-account-settings"></a>') == "Account settings"
    assert plain_text(r"\.NET Core CLI") == ".NET Core CLI"
    assert plain_text("The `cdk` command &amp; *friends*") == "The cdk command & friends"
    assert plain_text("[Lambda](lambda.md) and **Fargate**") == "Lambda and Fargate"
    assert (
        plain_text("Keep snake_case_names and 2 * 3 * 4") == "Keep snake_case_names and 2 * 3 * 4"
    )
    assert plain_text("Setting up {#setup}") == "Setting up"
    assert plain_text("See [[ecs|the ECS page]]") == "See the ECS page"


def test_first_heading_of_any_level_outside_code():
    assert heading_title("```bash\n# not a heading\n```\n\n## Real *title*\n") == "Real title"
    assert heading_title("Intro line\n\nSetext Title\n============\n") == "Setext Title"
    assert heading_title("no heading at all\n") is None


def test_tree_titles_are_plain(tmp_path):
    root = write_library(
        tmp_path / "guide",
        {
            "account.md": '## Account settings<a name="ecs-account-settings"></a>\n\nText.\n',
            "dotnet.md": "# \\.NET Core CLI\n",
            "appendix-01-keywords.md": "Intro paragraph.\n\n## Appendix A: Keywords\n",
            "plain.md": "No heading here.\n",
        },
    )
    titles = sorted(t.title for t in Library(root, use_cache=False).topics)
    assert titles == [".NET Core CLI", "Account settings", "Appendix A: Keywords", "Plain"]


def test_front_matter_is_yaml():
    parsed = frontmatter.parse(
        '---\ntitle: "Lambda: in depth"\naliases:\n  - fn\n  - functions\n'
        "created: 2024-01-02\ntags: [aws, compute]\ncssclass: wide\n---\n# Body\n"
    )
    assert parsed.errors == []
    assert parsed.meta["title"] == "Lambda: in depth"
    assert frontmatter.split_list(parsed.meta["aliases"]) == ("fn", "functions")
    assert parsed.meta["created"] == "2024-01-02"
    assert parsed.lines["tags"] == 7
    assert parsed.body_line == 10


def test_old_key_value_lines_still_read_and_bad_yaml_is_located():
    parsed = frontmatter.parse("---\nsummary: Queues: SQS and friends\naliases: a, b\n---\n")
    assert parsed.meta["summary"] == "Queues: SQS and friends"
    assert frontmatter.split_list(parsed.meta["aliases"]) == ("a", "b")
    bad = frontmatter.parse("---\ntitle: T\ntags:\n  - a\n   - b: [\nid: x\n---\n")
    assert bad.meta["title"] == "T" and bad.meta["id"] == "x"
    assert [line for line, _ in bad.errors] == [5]


def test_yaml_lists_in_a_vault_give_aliases_and_no_banner(tmp_path):
    root = write_library(
        tmp_path / "vault",
        {"note.md": "---\naliases: [First, Second]\ntags:\n  - x\n---\n# Note\n"},
    )
    library = Library(root, use_cache=False)
    topic = library.topics[0]
    assert topic.aliases == ("First", "Second")
    assert library.read(topic).problems == []
