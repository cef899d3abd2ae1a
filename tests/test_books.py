"""Documentation folders opened as books: order and nesting from their own contents (mkdocs
nav, SUMMARY.md, an index page), the start page, plain titles, the Markdown they are written
in, and `--check` agreeing with the page. The fixtures are in tests/books/. No Qt."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from viewer.commands.check import run_check
from viewer.library.folder import Category, Library, Topic
from viewer.pages.render import Renderer

BOOKS = Path(__file__).parent / "books"


@pytest.fixture
def book(tmp_path):
    """A copy of a fixture book (the check and the caches must not touch the repository)."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(BOOKS / name, target)
        return target

    return copy


def outline(node: Category) -> list:
    """The tree as nested lists: a topic's title, or (section title, [children])."""
    return [
        child.title if isinstance(child, Topic) else (child.title, outline(child))
        for child in node.children
    ]


def check(root: Path) -> list[str]:
    out = io.StringIO()
    run_check(root, out=out, err=out)
    return out.getvalue().splitlines()[:-1]


def page(root: Path, topic_id: str) -> str:
    library = Library(root)
    return Renderer().render_topic(library, library.topic(topic_id)).html


def test_mkdocs_nav_orders_and_nests_the_tree(book):
    root = book("mkdocs-site")
    library = Library(root)
    assert library.title == "Widget Docs"
    assert outline(library.tree) == [
        "Home",
        ("User guide", ["Installing", "Configuring"]),
        "About",
        ("Docs", ["Changelog"]),  # not in the nav: after it, in its folder
    ]
    assert library.first_topic.id == "index"
    # `about/` and `configure.html` are the built site's addresses of about.md, configure.md
    assert 'href="cloudref:about"' in page(root, "index")
    assert 'href="cloudref:configure"' in page(root, "install")
    assert check(root) == []


def test_mdbook_summary_html_links_and_includes(book):
    root = book("mdbook")
    library = Library(root)
    assert library.title == "The Sample Book"
    assert outline(library.tree) == [
        "Foreword",
        (
            "Basics",
            [
                ("Getting Started", ["Getting Started", "Installation"]),
                ("Understanding Ownership", ["Understanding Ownership", "What is Ownership?"]),
            ],
        ),
        ("Appendix", ["Appendix A: Keywords"]),
    ]
    assert library.first_topic.id == "foreword"
    assert "SUMMARY" not in {t.path.stem for t in library.topics}
    html = page(root, "ch01-01-installation")
    assert "{{" not in html
    assert "sh.example" in html  # the whole file
    assert "Hello, book!" in html and "fn main" not in html  # the anchored part only
    assert "ANCHOR" not in html
    assert "[not included: ../../outside.md — outside the library]" in html
    assert 'href="cloudref:ch01-01-installation#installing-on-linux"' in page(
        root, "ch01-00-getting-started"
    )
    assert check(root) == [
        "src/ch01-01-installation.md:13: error: {{#include ../../outside.md}}: outside the library",
        "src/ch04-01-what-is-ownership.md:3: error: broken link 'appendix-01-keyword.html':"
        " no topic file src/appendix-01-keyword.html (did you mean appendix-01-keywords.md?)",
    ]


def test_an_index_page_that_lists_links_is_the_contents(book):
    root = book("index-guide")
    library = Library(root)
    assert outline(library.tree) == [
        "Widget Service Developer Guide",
        "What is Widget Service?",
        ("Setting up", ["Setting up", "Sign up for an account", "Create keys"]),
        "Concepts",
        "Quotas",
        "Document history",
    ]
    assert library.first_topic.id == "index"
    assert check(root) == [
        "setup/sign-up.md:3: error: broken link 'create_keys.md': no topic file"
        " setup/create_keys.md (did you mean create-keys.md?)"
    ]


def test_the_remembered_tree_keeps_the_books_order(book):
    root = book("index-guide")
    scanned = outline(Library(root).tree)
    remembered = Library(root, remembered=True)
    assert remembered.remembered
    assert outline(remembered.tree) == scanned
    # The index edited in place (its folder's time unchanged) makes the saved tree stale.
    index = root / "index.md"
    index.write_text(index.read_text().replace("+ [Quotas](quotas.md)\n", ""))
    again = Library(root, remembered=True)
    assert not again.remembered
    assert outline(again.tree)[-2:] == ["Document history", "Service quotas"]


def test_a_prose_readme_is_not_contents(tmp_path):
    root = tmp_path / "notes"
    root.mkdir()
    (root / "README.md").write_text("# Notes\n\nSee [a](a.md), [b](b.md) and [c](c.md).\n")
    for name in "cba":
        (root / f"{name}.md").write_text(f"# {name.upper()}\n")
    assert outline(Library(root).tree) == ["A", "B", "C"]


def test_obsidian_vault(book):
    root = book("vault")
    library = Library(root)
    home = library.topic("Home")
    assert home.aliases == ("Start here", "Dashboard")
    assert library.read(home).problems == []
    html = page(root, "Home")
    assert '<a class="wikilink" href="cloudref:Project Ideas">Project Ideas</a>' in html
    assert 'href="cloudref:2024-03-01">today\'s note</a>' in html
    assert 'href="cloudref:Reading List#books"' in html
    assert '<td class="admonition-tip"><p class="admonition-title">Remember</p>' in html
    assert '<span class="mark">inbox</span>' in html
    assert "\u2610</span> water the plants" in html and "\u2611</span> write" in html
    assert "[[" not in html and "[!tip]" not in html
    ideas = page(root, "Project Ideas")
    assert '<td class="admonition-warning"><p class="admonition-title">Warning</p>' in ideas
    assert "<dt>Widget</dt>" in ideas and 'class="footnote-ref"' in ideas
    # Wikilinks resolve by title and alias too.
    assert library.topic_named("ideas") is library.topic("Project Ideas")
    assert check(root) == [
        "Home.md:11: error: broken wikilink [[Missing Note]]: no topic named 'Missing Note'"
    ]


def test_html_anchored_headings_and_lists_after_a_paragraph(book):
    root = book("anchored")
    library = Library(root)
    assert [t.title for t in library.topics] == ["Account settings", "Task definitions"]
    html = page(root, "account-settings")
    assert "<ul>\n<li>Resource IDs</li>\n<li>Container insights</li>\n</ul>" in html
    assert ".NET Core CLI" in html and "\\.NET" not in html
    assert "<ol>\n<li>the image</li>" in page(root, "task-definitions")
    assert check(root) == []


def test_a_list_marker_inside_code_or_a_sentence_stays_text(tmp_path):
    root = tmp_path / "lib"
    root.mkdir()
    (root / "t.md").write_text(
        "# T\n\nThe sum is\n2. Not a list, an ordered list starts at 1.\n\n"
        "```\npara\n+ not a list\n```\n"
    )
    html = page(root, "t")
    assert "<ol" not in html and "+ not a list" in html


def test_a_folder_or_a_markdown_file_opens_as_the_library(book, qtbot):
    from viewer.app import build_window

    root = book("index-guide")
    window = build_window([str(root / "setup" / "sign-up.md")])
    qtbot.addWidget(window)
    assert window.library.root == (root / "setup").resolve()
    assert window.current.id == "sign-up"
    window = build_window([str(root)])
    qtbot.addWidget(window)
    assert window.library.root == root.resolve()
    assert window.current.id == "index"  # the book's start page


def test_a_broken_link_looks_unlike_a_link_in_both_themes(book, qtbot):
    from conftest import show_window

    from viewer.pages.theme import THEMES

    root = book("vault")
    html = page(root, "Home")
    assert '<a class="broken" href="wiki:Missing Note" title="Not followed: no topic named' in html
    window = show_window(qtbot, root, "Home")
    for number, name in ((1, "light"), (2, "dark")):
        window.menus["View/Theme"].actions()[number].trigger()
        document = window.page.document()

        def colour(words: str) -> str:
            cursor = document.find(words)
            return cursor.charFormat().foreground().color().name()

        assert colour("Missing Note") == THEMES[name]["broken_link"]
        assert colour("Project Ideas") == THEMES[name]["link"]
