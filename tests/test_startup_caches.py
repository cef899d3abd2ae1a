"""The caches that make a second start fast: topic heads, rendered pages, page stylesheets.

Each is only ever a shortcut: a changed file is read again, a damaged cache file is ignored
and written anew, and what the window shows is what it would show with no cache at all.
"""

from __future__ import annotations

import builtins
import os
from pathlib import Path

from conftest import write_library

from viewer.library.cache import cache_dir, read_blob, write_blob
from viewer.library.folder import HeadCache, Library


def heads_file(root) -> os.PathLike:
    return HeadCache(Library(root, use_cache=False).root).path


def titles(library: Library) -> dict[str, str]:
    return {t.id: t.title for t in library.topics}


class DiskSpy:
    """Records every folder listed and every file opened inside `root` while it is installed:
    what opening a library really costs, whichever shortcut (remembered tree, head cache) it
    takes. Files outside `root` (the cache folder) are not recorded."""

    def __init__(self, monkeypatch, root: Path):
        self.root = str(Path(root).resolve())
        self.listed: list[str] = []
        self.opened: list[str] = []
        real_scandir, real_open, real_path_open = os.scandir, builtins.open, Path.open

        def scandir(path="."):
            self._note(self.listed, path)
            return real_scandir(path)

        def open_(file, *args, **kwargs):
            if isinstance(file, (str, os.PathLike)):
                self._note(self.opened, file)
            return real_open(file, *args, **kwargs)

        def path_open(path, *args, **kwargs):
            self._note(self.opened, path)
            return real_path_open(path, *args, **kwargs)

        monkeypatch.setattr(os, "scandir", scandir)
        monkeypatch.setattr(builtins, "open", open_)
        monkeypatch.setattr(Path, "open", path_open)

    def _note(self, found: list[str], path) -> None:
        path = os.path.abspath(os.fspath(path))
        if path == self.root or path.startswith(self.root + os.sep):
            found.append(os.path.relpath(path, self.root))

    def topics_read(self) -> list[str]:
        return [name for name in self.opened if name.endswith(".md")]


def bump_mtime(path) -> None:
    """A new modification time, as an editor's save gives, even within the clock's resolution."""
    status = path.stat()
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns + 2_000_000_000))


# -- cache files ---------------------------------------------------------------------------
def test_blob_round_trip_and_damage_reads_as_none(tmp_path):
    path = tmp_path / "sub" / "x.bin"
    assert write_blob(path, {"a": (1, "two", None)})
    assert read_blob(path) == {"a": (1, "two", None)}
    path.write_bytes(b"\x00garbage")
    assert read_blob(path) is None
    assert read_blob(tmp_path / "missing.bin") is None


def test_unwritable_cache_folder_is_no_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert write_blob(blocker / "x.bin", 1) is False


# -- topic heads ---------------------------------------------------------------------------
def test_second_open_reads_no_heads_and_gives_the_same_library(tmp_path, monkeypatch):
    root = write_library(
        tmp_path / "lib",
        {
            "a.md": "---\nid: alpha\naliases: first, one\norder: 2\n---\n# Alpha\n",
            "b/b.md": "# Beta\n",
        },
    )
    first = Library(root)
    assert heads_file(root).is_file()
    disk = DiskSpy(monkeypatch, root)
    second = Library(root)
    assert disk.topics_read() == []
    assert [
        (t.id, t.title, t.aliases, t.order, t.meta, t.meta_lines, t.path, t.breadcrumb)
        for t in second.topics
    ] == [
        (t.id, t.title, t.aliases, t.order, t.meta, t.meta_lines, t.path, t.breadcrumb)
        for t in first.topics
    ]


def test_changed_added_and_removed_files_are_seen(tmp_path):
    root = write_library(tmp_path / "lib", {"a.md": "# Alpha\n", "b.md": "# Beta\n"})
    Library(root)
    (root / "a.md").write_text("# Alpha, renamed\n")
    bump_mtime(root / "a.md")
    (root / "b.md").unlink()
    (root / "c.md").write_text("# Gamma\n")
    assert titles(Library(root)) == {"a": "Alpha, renamed", "c": "Gamma"}
    assert titles(Library(root)) == {"a": "Alpha, renamed", "c": "Gamma"}


def test_same_size_edit_is_seen_by_its_modification_time(tmp_path):
    root = write_library(tmp_path / "lib", {"a.md": "# Alpha\n"})
    Library(root)
    (root / "a.md").write_text("# Omega\n")  # same size
    bump_mtime(root / "a.md")
    assert titles(Library(root)) == {"a": "Omega"}


def test_damaged_heads_file_is_ignored_and_rebuilt(tmp_path):
    root = write_library(tmp_path / "lib", {"a.md": "# Alpha\n"})
    Library(root)
    path = heads_file(root)
    path.write_bytes(b"not a cache at all")
    assert titles(Library(root)) == {"a": "Alpha"}
    assert read_blob(path) is not None  # written anew
    # Well-formed but nonsense entries are ignored one by one.
    blob = read_blob(path)
    blob["heads"] = {key: ("size?", None) for key in blob["heads"]}
    write_blob(path, blob)
    assert titles(Library(root)) == {"a": "Alpha"}


def test_check_reads_every_head(tmp_path, monkeypatch):
    root = write_library(tmp_path / "lib", {"a.md": "# Alpha\n"})
    Library(root)
    disk = DiskSpy(monkeypatch, root)
    Library(root, use_cache=False)
    assert disk.topics_read() == ["a.md"]
    assert str(heads_file(root)).startswith(str(cache_dir()))


# -- the remembered tree (start-up) -------------------------------------------------------------
def shape(library: Library) -> list:
    return [
        (t.id, t.title, t.path, t.breadcrumb, t.aliases, t.order, t.summary) for t in library.topics
    ]


def test_remembered_library_is_the_scanned_one_without_listing_or_reading(tmp_path, monkeypatch):
    root = write_library(
        tmp_path / "lib",
        {
            "library.toml": 'title = "Pets"\n[[category]]\nfolder = "b"\ntitle = "Bees"\n',
            "a.md": "---\nid: alpha\naliases: first, one\norder: 2\nsummary: The first.\n---\n"
            "# Alpha\n",
            "b/b.md": "# Beta\n",
            "b/c.md": "---\nid: alpha\n---\n# Duplicate id\n",
        },
    )
    scanned = Library(root)
    disk = DiskSpy(monkeypatch, root)
    remembered = Library(root, remembered=True)
    assert disk.listed == [] and disk.opened == []  # not even library.toml
    assert remembered.remembered and not scanned.remembered
    assert shape(remembered) == shape(scanned) and remembered.title == "Pets"
    assert (
        [p.format(root) for p in remembered.problems]
        == [p.format(root) for p in scanned.problems]
        != []
    )
    assert remembered.digest() == scanned.digest() and remembered.images_dir == scanned.images_dir
    assert remembered.topic("b-c").title == "Duplicate id"  # renamed as the scan renamed it


def test_added_removed_renamed_files_and_a_changed_config_are_not_remembered(tmp_path):
    root = write_library(
        tmp_path / "lib",
        {"a.md": "# Alpha\n", "sub/b.md": "# Beta\n", "sub/deeper/c.md": "# Gamma\n"},
    )
    changes = [
        lambda: (root / "sub" / "deeper" / "d.md").write_text("# Delta\n"),
        lambda: (root / "sub" / "b.md").unlink(),
        lambda: (root / "a.md").rename(root / "z.md"),
        lambda: (root / "library.toml").write_text('title = "Renamed"\n'),
        lambda: (root / "sub" / "deeper" / "e").mkdir(),
    ]
    for change in changes:
        Library(root)
        change()
        remembered = Library(root, remembered=True)
        assert not remembered.remembered
        assert shape(remembered) == shape(Library(root, use_cache=False))
    assert Library(root, remembered=True).remembered and Library(root).title == "Renamed"


def test_a_file_edited_in_place_is_seen_by_the_next_scan(tmp_path):
    root = write_library(tmp_path / "lib", {"a.md": "# Alpha\n"})
    Library(root)
    (root / "a.md").write_text("# Alpha, edited\n")
    bump_mtime(root / "a.md")
    remembered = Library(root, remembered=True)
    assert remembered.remembered and titles(remembered) == {
        "a": "Alpha"
    }  # its folder did not change
    scanned = Library(root)
    assert titles(scanned) == {"a": "Alpha, edited"} and scanned.snapshot != remembered.snapshot
    assert titles(Library(root, remembered=True)) == {"a": "Alpha, edited"}


def test_damaged_or_foreign_snapshot_means_a_scan(tmp_path):
    from viewer.library.folder import LibrarySnapshot

    root = write_library(tmp_path / "lib", {"a.md": "# Alpha\n"})
    Library(root)
    path = LibrarySnapshot(Library(root).root).path
    for damage in (b"junk", None):
        if damage is None:
            payload = list(read_blob(path))
            payload[7] = (
                "Lib",
                "",
                [("a", 5, None, "", (), None)],
                [],
            )  # a title that is not a string
            write_blob(path, tuple(payload))
        else:
            path.write_bytes(damage)
        library = Library(root, remembered=True)
        assert not library.remembered and titles(library) == {"a": "Alpha"}
        assert Library(root, remembered=True).remembered  # written anew by that scan


def test_the_window_shows_an_edit_made_while_it_was_closed_right_after_starting(qtbot, tmp_path):
    from PySide6.QtWidgets import QApplication

    from viewer.app import build_window

    root = write_library(tmp_path / "lib", {"a.md": "# Alpha\n\nBody.\n", "b.md": "# Beta\n"})
    Library(root)
    (root / "b.md").write_text("# Beta, edited\n")
    bump_mtime(root / "b.md")
    win = build_window(
        ["--content", str(root)], defer=True
    )  # as `main` starts: the remembered tree
    qtbot.addWidget(win)
    assert win.library.remembered and win.tree_model.index(1, 0).data() == "Beta"
    win.show()
    qtbot.waitUntil(lambda: win.tree_model.index(1, 0).data() == "Beta, edited")
    assert (
        not win.library.remembered and win.current.id == "a" and "Body." in win.page.toPlainText()
    )
    assert QApplication.focusWidget() is not None


# -- rendered pages --------------------------------------------------------------------------
def page_files(root) -> list:
    from viewer.pages.page_cache import PageCache

    folder = PageCache().folder
    return sorted(folder.rglob("*.bin")) if folder.exists() else []


def fresh_html(root, topic_id: str, appendix: str = "") -> str:
    """The page as rendering it now, with no cache at all, gives it."""
    from viewer.pages.render import Renderer

    library = Library(root, use_cache=False)
    return Renderer().render_topic(library, library.topic(topic_id), appendix_html=appendix).html


def test_cached_page_is_the_rendered_page_and_needs_no_markdown(tmp_path, sample_library):
    from viewer.pages.page_cache import CachedRenderer

    library = Library(sample_library)
    topic = library.topic("intro")
    first = CachedRenderer()
    page = first.render_topic(library, topic)
    assert first.renderer_built  # rendered
    second = CachedRenderer()
    again = second.render_topic(Library(sample_library), Library(sample_library).topic("intro"))
    assert not second.renderer_built  # from the cache: no converter built
    assert (
        (again.html, again.headings, again.title)
        == (page.html, page.headings, page.title)
        == (fresh_html(sample_library, "intro"), page.headings, "Introduction")
    )
    piece, rest = CachedRenderer().render_first_piece(
        Library(sample_library), Library(sample_library).topic("intro")
    )
    assert rest == [] and piece.html == page.html


def test_changed_topic_file_is_rendered_again(sample_library):
    from viewer.pages.page_cache import CachedRenderer

    CachedRenderer().render_topic(Library(sample_library), Library(sample_library).topic("other"))
    path = sample_library / "basics" / "other.md"
    path.write_text(path.read_text().replace("First part.", "First part, edited."))
    bump_mtime(path)
    library = Library(sample_library)
    assert (
        "First part, edited." in CachedRenderer().render_topic(library, library.topic("other")).html
    )


def test_new_topic_and_new_image_make_a_cached_page_stale(sample_library):
    from viewer.pages.page_cache import CachedRenderer

    text = "# Links\n\n[Later](later.md)\n\n![Picture](images/later.svg)\n"
    write_library(sample_library, {"more/links.md": text})
    library = Library(sample_library)
    before = CachedRenderer().render_topic(library, library.topic("links")).html
    assert "cloudref:later" not in before and "Image not found" in before
    # The link's target appears: the library's topics differ, so the page is rendered again.
    write_library(sample_library, {"more/later.md": "# Later\n"})
    library = Library(sample_library)
    assert "cloudref:later" in CachedRenderer().render_topic(library, library.topic("links")).html
    # The image appears: same topics, same file, but the image now resolves.
    (sample_library / "more" / "images").mkdir()
    write_library(
        sample_library, {"more/images/later.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>"}
    )
    library = Library(sample_library)
    html = CachedRenderer().render_topic(library, library.topic("links")).html
    assert "Image not found" not in html and html == fresh_html(sample_library, "links")


def test_damaged_page_file_is_ignored_and_rewritten(sample_library):
    from viewer.pages.page_cache import CachedRenderer

    library = Library(sample_library)
    CachedRenderer().render_topic(library, library.topic("intro"))
    [path] = page_files(sample_library)
    path.write_bytes(b"\x00damaged")
    renderer = CachedRenderer()
    assert renderer.render_topic(library, library.topic("intro")).html == fresh_html(
        sample_library, "intro"
    )
    assert renderer.renderer_built and read_blob(path) is not None


def test_print_renders_fresh_and_keeps_nothing(sample_library):
    from viewer.pages.page_cache import CachedRenderer

    library = Library(sample_library)
    page = CachedRenderer().render_topic(library, library.topic("intro"), for_print=True)
    assert "(https://example.com/docs)" in page.html  # print writes external URLs out
    assert page_files(sample_library) == []


def test_topic_with_an_error_is_not_kept(tmp_path):
    from viewer.pages.page_cache import CachedRenderer

    root = write_library(tmp_path / "lib", {"a.md": b"# A\x00 binary\n"})
    library = Library(root)
    page = CachedRenderer().render_topic(library, library.topic("a"))
    assert "cannot be shown" in page.html and page_files(root) == []


# -- the window on a warm cache ---------------------------------------------------------------
def test_second_start_shows_the_same_page_without_rendering(qtbot, sample_library, monkeypatch):
    from conftest import show_window

    first = show_window(qtbot, sample_library)
    text, title = first.page.toPlainText(), first.windowTitle()
    first.close()
    import viewer.pages.render

    monkeypatch.setattr(
        viewer.pages.render.Renderer,
        "render_text",
        lambda *a, **k: (_ for _ in ()).throw(AssertionError("rendered")),
    )
    second = show_window(qtbot, sample_library)
    assert second.windowTitle() == title == "Introduction — Cloudref"
    assert second.page.toPlainText() == text and "Some emphasis and code." in text
    assert second.tree.currentIndex().data() == "Introduction"


def test_second_start_after_an_edit_shows_the_edit(qtbot, sample_library):
    from conftest import show_window

    show_window(qtbot, sample_library).close()
    path = sample_library / "basics" / "intro.md"
    path.write_text(path.read_text().replace("Some *emphasis*", "Freshly *edited*"))
    bump_mtime(path)
    second = show_window(qtbot, sample_library)
    assert "Freshly edited" in second.page.toPlainText()


def test_changed_comparison_file_changes_the_cached_topic_rows(qtbot, tmp_path):
    from conftest import show_window
    from test_comparison import pets_library

    root = pets_library(tmp_path)
    first = show_window(qtbot, root, "dog")
    assert "Woof" in first.page.toPlainText()
    first.compare_view  # noqa: B018 - loads the comparisons, which caches each topic's rows
    first.close()
    second = show_window(qtbot, root, "dog")
    assert (
        not second.session.comparisons_read and "Woof" in second.page.toPlainText()
    )  # rows from the cache
    second.close()
    path = root / "comparisons" / "pets.toml"
    path.write_text(path.read_text().replace("Woof", "Bark"))
    bump_mtime(path)
    third = show_window(qtbot, root, "dog")
    assert "Bark" in third.page.toPlainText() and "Woof" not in third.page.toPlainText()


def test_comparison_tab_and_search_work_right_after_a_warm_start(qtbot, tmp_path):
    from conftest import show_window
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication
    from test_comparison import pets_library

    root = pets_library(tmp_path)
    show_window(qtbot, root).close()
    win = show_window(qtbot, root, active=True)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    # Page, Comparison (the placeholder replaced, not added to) and Study.
    assert win.tabs.currentWidget() is win.compare_view and win.tabs.count() == 3
    assert (
        win.compare_view.set_combo.count() == 2
        and QApplication.focusWidget() is win.compare_view.table
    )
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is win.search_panel.box
    qtbot.keyClicks(win.search_panel.box, "dog")
    win.search_panel.run_query()
    assert win.search_panel.model.results[0].topic_id == "dog"


# -- page stylesheets ---------------------------------------------------------------------------
def test_a_page_gets_only_the_code_colours_it_uses():
    from viewer.pages import theme

    everything = theme.page_stylesheet("light")
    assert ".codehilite .k " in everything and ".codehilite .s2 " in everything
    code_page = (
        '<pre class="codehilite"><span class="k">def</span> <span class="nf">f</span>()</pre>'
    )
    for_code = theme.page_stylesheet("light", code_page)
    assert ".codehilite .k " in for_code and ".codehilite .nf " in for_code
    assert ".codehilite .s2 " not in for_code
    prose = "<h1>Title</h1><p>No code here, only <span class='x'>text</span>.</p>"
    for_prose = theme.page_stylesheet("light", prose)
    assert ".codehilite" not in for_prose
    # The page's own rules are always there, whatever the page holds.
    assert for_prose.startswith(everything.split(".codehilite")[0].rstrip()[:200])
    assert "td.admonition-note" in for_prose and "td.admonition-note" in for_code


def test_page_stylesheet_is_the_same_from_the_cache_and_survives_damage(monkeypatch):
    from viewer.pages import theme

    theme.clear_caches()
    first = theme.page_stylesheet("dark")
    assert ".codehilite .k" in first
    theme.clear_caches()
    assert theme.page_stylesheet("dark") == first
    for path in cache_dir().glob("code-*.bin"):
        path.write_bytes(b"damaged")
    theme.clear_caches()
    assert theme.page_stylesheet("dark") == first
    theme.clear_caches()


# -- a first start on a large library ----------------------------------------------------------
def large_library(tmp_path, monkeypatch):
    """Five topics in two folders, "large" for these tests."""
    from viewer.library import folder

    monkeypatch.setattr(folder, "LARGE_LIBRARY_TOPICS", 4)
    return write_library(
        tmp_path / "lib",
        {
            "library.toml": '[[category]]\nfolder = "zoo"\ntitle = "First"\n',
            "zoo/lion.md": "---\nid: big-cat\norder: 2\n---\n# The Lion\n",
            "zoo/ant.md": "---\norder: 1\n---\n# The Ant\n",
            "yard/dog.md": "---\nid: good-dog\n---\n# The Dog\n",
            "yard/cat.md": "# The Cat\n",
            "yard/eel.md": "# The Eel\n",
        },
    )


def test_a_first_start_reads_only_the_first_folder_of_a_large_library(tmp_path, monkeypatch):
    root = large_library(tmp_path, monkeypatch)
    quick = Library(root, remembered=True)  # nothing remembered yet: a first start
    assert quick.provisional and quick.remembered  # the window scans it whole later
    whole = Library(root)
    assert not whole.provisional and not whole.remembered
    # The first folder (by library.toml) as the whole scan has it: ids, titles, order.
    assert (
        [(t.id, t.title) for t in quick.topics[:2]]
        == [(t.id, t.title) for t in whole.topics[:2]]
        == [("ant", "The Ant"), ("big-cat", "The Lion")]
    )
    assert quick.first_topic.id == whole.first_topic.id == "ant"
    # The rest named after their files, the same files in the same folders.
    assert [(t.id, t.title, t.breadcrumb) for t in quick.topics[2:]] == [
        ("cat", "cat", ["Yard"]),
        ("dog", "dog", ["Yard"]),
        ("eel", "eel", ["Yard"]),
    ]
    assert sorted(t.path for t in quick.topics) == sorted(t.path for t in whole.topics)
    assert Library(root, remembered=True).remembered  # the whole scan was remembered
    assert not Library(root, remembered=True).provisional


def test_a_small_library_is_read_whole_on_a_first_start(tmp_path):
    root = write_library(tmp_path / "lib", {"a.md": "---\nid: alpha\n---\n# Alpha\n"})
    library = Library(root, remembered=True)
    assert not library.provisional and not library.remembered
    assert titles(library) == {"alpha": "Alpha"}


def test_the_window_shows_the_whole_library_soon_after_a_quick_first_start(
    qtbot, tmp_path, monkeypatch
):
    from viewer.app import build_window

    root = large_library(tmp_path, monkeypatch)
    win = build_window(["--content", str(root)], defer=True)  # as `main` starts it
    qtbot.addWidget(win)
    assert win.library.provisional
    win.show()
    qtbot.waitUntil(lambda: not win.library.provisional, timeout=20000)
    assert win.current.id == "ant" and "The Ant" in win.page.toPlainText()
    assert titles(win.library) == titles(Library(root))
    yard = win.tree_model.index(1, 0)
    assert [win.tree_model.index(r, 0, yard).data() for r in range(3)] == [
        "The Cat",
        "The Dog",
        "The Eel",
    ]
    # Search waited for the real titles and ids.
    qtbot.waitUntil(win.search_panel.is_ready, timeout=20000)
    assert [r.topic_id for r in win.search_panel.index.search("dog")][:1] == ["good-dog"]


def test_a_first_start_at_a_topic_past_the_first_folder_reads_the_library_whole(
    qtbot, tmp_path, monkeypatch
):
    from viewer.app import build_window

    root = large_library(tmp_path, monkeypatch)
    win = build_window(["--content", str(root), "good-dog"], defer=True)
    qtbot.addWidget(win)
    assert not win.library.provisional
    win.show()
    qtbot.waitUntil(lambda: win.current is not None)
    assert win.current.id == "good-dog" and "The Dog" in win.page.toPlainText()
