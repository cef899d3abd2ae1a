"""Quick open ranks word matches before fuzzy ones, and `--check`'s "did you mean" names the
page the author meant: both on names as they look in a real guide. No Qt."""

from __future__ import annotations

from conftest import write_library

from viewer.commands.hints import closest_topic
from viewer.library.folder import Library
from viewer.search.names import NameMatcher

EC2_TITLES = [
    "Setting up to use Amazon EC2",
    "Storage options for your instances",
    "Stop and start your instance",
    "Instance metadata and user data",
    "Security groups for your instances",
    "Supported platforms",
    "Spread placement groups",
    "Troubleshoot stopping your instance",
    "Instance lifecycle: stop, hibernate, terminate",
    "Best practices for EC2 Spot",
    "Spot Instance requests",
    "Work with Spot Instances",
    "Spotting unhealthy targets",
    "Set up automatic scaling",
]


def guide(tmp_path, titles):
    files = {f"topic-{n:02d}.md": f"# {title}\n" for n, title in enumerate(titles)}
    return Library(write_library(tmp_path / "guide", files))


def test_a_word_lists_the_titles_holding_it_first(tmp_path):
    library = guide(tmp_path, EC2_TITLES)
    found = [topic.title for topic, _ in NameMatcher(library.topics).match("spot")]
    assert set(found[:3]) == {
        "Spot Instance requests",
        "Best practices for EC2 Spot",
        "Work with Spot Instances",
    }
    assert found[3] == "Spotting unhealthy targets"  # the word's start comes next
    # "Stop and start", "Supported platforms", "Spread placement …" hold s…p…o…t, not "spot".
    assert len(found) == 4


def test_letters_and_typos_still_find_a_name_when_words_do_not(tmp_path):
    library = guide(tmp_path, [*EC2_TITLES, "AWS Fargate", "Amazon ECR"])
    matcher = NameMatcher(library.topics)
    assert matcher.match("fargte")[0][0].title == "AWS Fargate"  # a letter missing
    assert matcher.match("sotp")[0][0].title == "Stop and start your instance"  # swapped
    assert matcher.match("fg")[0][0].title == "AWS Fargate"  # an abbreviation


def hint(library: Library, source: str, written: str) -> str | None:
    topic = library.topic_for_file(library.root / source)
    found = closest_topic(library, topic, written)
    return found.path.relative_to(library.root).as_posix() if found else None


def test_did_you_mean_prefers_the_name_then_the_folder(tmp_path):
    root = write_library(
        tmp_path / "docs",
        {
            "api/set-up.md": "# Setting up the API\n",
            "cli/setup.md": "# Setting up the CLI\n",
            "cli/commands.md": "# Commands\n",
            "guide/getting_started.md": "# Getting started\n",
            "guide/get-started-with-sdk.md": "# SDK\n",
            "book/ch04-01-what-is-ownership.md": "# What is ownership?\n",
            "book/ch04-02-references-and-borrowing.md": "# References\n",
            "book/ch04-03-slices.md": "# Slices\n",
            "index.md": "# Home\n",
        },
    )
    library = Library(root)
    # The renamed file, not the look-alike.
    assert hint(library, "index.md", "guide/getting-started.md") == "guide/getting_started.md"
    # A typo in a numbered chapter finds its chapter, not its neighbour.
    assert hint(library, "book/ch04-03-slices.md", "ch04-01-what-is-owner.html") == (
        "book/ch04-01-what-is-ownership.md"
    )
    # The same name in two folders: the one the link points into wins.
    assert hint(library, "cli/commands.md", "../api/setup.md") == "api/set-up.md"
    assert hint(library, "index.md", "cli/set_up.md") == "cli/setup.md"
    # Nothing alike: no guess at all.
    assert hint(library, "index.md", "pricing.md") is None
