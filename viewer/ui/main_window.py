"""The main window: layout and wiring. Logic lives in the modules it calls.

- the open library, its history, bookmarks and comparison data: `viewer.session.session`;
- what the page and tree show, links, back and forward: `navigator.Navigator`;
- the Comparison tab (`compare_tab`), the Bookmarks menu (`bookmarks_menu`), printing
  (`print_dialog`), themes (`themes.ThemeSwitcher`), focus order (`focus`).

Start-up does what the first screen needs and no more: the tree, the page (from the page
cache when it can), menus and actions. The rest waits for the first paint (`_finish_start`)
or for its first use: the search panel and the find bar (when `main` asks to `defer` them),
a scan of a remembered library, the file watcher, the Comparison tab and its data, printing,
dialogs, the name matcher and the Markdown converter (these two on worker threads).
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QSplitter, QTabWidget, QVBoxLayout, QWidget

from viewer.library.folder import Library, Topic
from viewer.session.session import LibrarySession
from viewer.settings import Settings
from viewer.ui import themes, window_state
from viewer.ui.actions import create_actions
from viewer.ui.compare_tab import CompareTab
from viewer.ui.lazy_qt import Qt
from viewer.ui.menus import build_menus
from viewer.ui.navigator import Navigator
from viewer.ui.page_view import PageView
from viewer.ui.progressive import ProgressiveLoader
from viewer.ui.topic_pane import TopicPane


class MainWindow(QMainWindow):
    topic_shown = Signal(str)  # topic id, after its page is laid out
    first_painted = Signal()  # the first screen is on show; what can wait starts now

    def __init__(
        self,
        library: Library,
        settings: Settings,
        start_topic: str | None = None,
        *,
        defer: bool = False,
    ):
        """`defer`: build the search panel and the find bar after the first paint (`main` does),
        not now; whoever needs one first (a key, a test) gets it built at once."""
        super().__init__()
        self.setObjectName("mainWindow")
        self.settings = settings
        self.session = LibrarySession(library, settings, self)
        self.actions_by_name: dict[str, QAction] = create_actions(self)
        self.navigator = Navigator(self)
        self.theme = themes.ThemeSwitcher(settings, self.navigator.rerender, deferred=defer)
        self._search_panel = self._find_bar = self._sections = None  # built by _build_rest
        self._build_widgets()
        self._build_menus()
        self._connect()
        window_state.restore(self, hint=not defer)  # deferred: the hint after the first paint
        self.watcher = None  # made by _watch
        self.prefetcher = None  # made by _prefetch
        # Deferred, the first page is laid out when the window is shown (showEvent): once, at
        # the window's real width, rather than first at a hidden widget's.
        self._start_topic, self._start_pending = self.session.start_topic(start_topic), True
        if not defer:
            self._fill_menus()
            self._open_start()
            self._watch()
            self._build_rest()
        self.page.painted.connect(self._page_first_painted)

    # -- what the rest of the app asks of the window ----------------------------------------
    @property
    def library(self) -> Library:
        return self.session.library

    @property
    def current(self) -> Topic | None:
        return self.navigator.current

    @property
    def compare_view(self):
        return self.compare_tab.view

    def open_topic(self, topic_id: str, anchor: str = "", **place) -> bool:
        return self.navigator.open_topic(topic_id, anchor, **place)

    # -- start-up ---------------------------------------------------------------------------
    def _open_start(self) -> None:
        """Show the topic the window starts on, and the first problem worth reading."""
        if not self._start_pending:
            return
        start, self._start_pending = self._start_topic, False
        if start is not None:
            self.open_topic(start.id)
            if any(place := self.session.reading_place(start)):  # where the reader left off
                self.sections.restore_place(*place)
        else:
            self.navigator.show_empty_library()
        if self.settings.problem():
            self.statusBar().showMessage(self.settings.problem(), 10000)
        elif self.navigator.page_problems:
            pass  # the open topic's own problem (already in the status bar) is the one to read
        elif comparison_problems := self.session.comparison_problems():
            self.statusBar().showMessage(comparison_problems, 15000)
        elif problems := self.library.problems:
            self.statusBar().showMessage(
                f"{len(problems)} problem(s) in this library; run cloudref --check for the list",
                10000,
            )

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        self._open_start()

    def _page_first_painted(self) -> None:
        self.page.painted.disconnect(self._page_first_painted)
        QTimer.singleShot(0, self, self._finish_start)  # once that paint is on screen

    def _finish_start(self) -> None:
        """The first screen is painted: now the rest, one step per turn of the event loop so
        that keys and paints get in between."""
        self.first_painted.emit()
        # Search panel and find bar after what they load (`Qt`, their modules), a turn each;
        # then Markdown (on a worker), due count, prefetcher. Comparison tab: when turned to.
        steps = [self._fill_menus, lambda: Qt.Key, lambda: __import__("viewer.ui.search_panel")]
        steps += [lambda: __import__("viewer.ui.find_bar"), self._build_rest, self.theme.confirm]
        steps += [lambda: self.session.rescan_remembered(self.current)]
        steps += [self._watch] if self.watcher is None else []
        steps += [self.session.renderer.release_first_page]
        steps += [self.session.renderer.prepare, self._prefetch]
        # The deck is made on a worker thread (a quick first scan's library is replaced soon:
        # its deck would be made twice).
        steps += [lambda: self.library.provisional or self.study.prepare()]

        def run_next() -> None:
            if steps:
                steps.pop(0)()
                QTimer.singleShot(0, self, run_next)  # not after the window is gone

        QTimer.singleShot(0, self, run_next)

    def _prefetch(self) -> None:
        from viewer.ui.prefetch import follow  # prepares the topics near the one on show

        self.prefetcher = follow(self)
        self.loader.warm_up()  # long topics' converter, ready before the first one is opened

    def _watch(self) -> None:
        """Follow the library's files from now on: a change reloads it."""
        if self.watcher is None:
            from viewer.ui.watcher import LibraryWatcher

            delay = self.settings.get("reload/delayMs")
            self.watcher = LibraryWatcher(self, debounce_ms=delay)
            self.watcher.changed.connect(self.library_commands.files_changed)
        self.watcher.watch(self.library.root, self.library.images_dir)

    # -- building ---------------------------------------------------------------------------
    def _build_widgets(self) -> None:
        pane = self.left_panel = TopicPane(self.library)
        self.left_layout = pane.pane_layout
        self.tree, self.tree_model = pane.tree, pane.tree_model
        self.left_panel.open_folders({})

        self.page = PageView()
        self.loader = ProgressiveLoader(self.page, self.session.renderer, self)
        self.loader.progress.connect(
            lambda done, total: self.statusBar().showMessage(
                f"Showing the rest of this topic… {100 * done // total} %"
            )
        )
        self.page_container = QWidget()
        self.page_layout = QVBoxLayout(self.page_container)
        self.page_layout.setContentsMargins(0, 0, 0, 0)
        self.page_layout.setSpacing(0)
        self.page_layout.addWidget(self.page)  # the find bar goes below it (`_build_rest`)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("mainTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.page_container, "Page")
        self.compare_tab = CompareTab(self)  # a stand-in until first asked for
        from viewer.ui.study_tab import StudyTab

        self.study = StudyTab(self)  # the Study tab, its actions and the due count

        self.splitter = QSplitter()  # horizontal
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.left_panel)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([260, 900])
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)
        themes.style(self.splitter)
        status_bar = self.statusBar()
        status_bar.setObjectName("statusBar")
        font = status_bar.font()
        font.setPointSizeF(9)
        status_bar.setFont(font)

    def _build_menus(self) -> None:
        self.menus = build_menus(self, self.actions_by_name)
        self.bookmarks_menu = self.menus["Bookmarks"]
        self.bookmarks = self.recent = None  # `_fill_menus`

    def _fill_menus(self) -> None:
        """The menus whose entries come from the settings (bookmarks, recent libraries); a
        deferred start fills them after the first paint, which shows neither."""
        if self.bookmarks is not None:
            return
        from viewer.ui.bookmarks_menu import BookmarksMenu
        from viewer.ui.recent_menu import RecentMenu

        self.bookmarks = BookmarksMenu(self, self.bookmarks_menu)
        self.recent = RecentMenu(self, self.menus["File/Recent"])
        self.recent.remember_open()
        a = self.actions_by_name
        self.session.bookmarks_changed.connect(self.bookmarks.rebuild)
        a["toggle_bookmark"].triggered.connect(self.bookmarks.toggle_current)
        a["show_bookmarks"].triggered.connect(self.bookmarks.show_list)

    @cached_property
    def library_commands(self):
        """Opening another library, and reloading after the files changed: on first use."""
        from viewer.ui.library_commands import LibraryCommands

        return LibraryCommands(self)

    def _connect(self) -> None:
        a, nav, session = self.actions_by_name, self.navigator, self.session
        self.tree.selectionModel().currentChanged.connect(nav.tree_current_changed)
        self.tree.activated.connect(nav.tree_activated)
        self.page.link_activated.connect(nav.follow_link)
        self.page.back_requested.connect(nav.go_back)
        self.page.forward_requested.connect(nav.go_forward)
        self.page.highlighted.connect(nav.link_hovered)
        session.replaced.connect(self._library_replaced)
        session.message.connect(self.statusBar().showMessage)
        a["quit"].triggered.connect(self.close)
        a["back"].triggered.connect(nav.go_back)
        a["forward"].triggered.connect(nav.go_forward)
        a["previous_topic"].triggered.connect(lambda: nav.step_topic(-1))
        a["next_topic"].triggered.connect(lambda: nav.step_topic(1))
        a["toggle_tree"].toggled.connect(self.set_tree_visible)
        a["zoom_in"].triggered.connect(lambda: self.set_zoom(self.page.zoom_steps + 1))
        a["zoom_out"].triggered.connect(lambda: self.set_zoom(self.page.zoom_steps - 1))
        a["zoom_reset"].triggered.connect(lambda: self.set_zoom(0))
        a["reload"].triggered.connect(self.reload_library)
        a["open_library"].triggered.connect(lambda: self.library_commands.choose())
        a["show_page"].triggered.connect(lambda: self.tabs.setCurrentWidget(self.page_container))
        a["show_compare"].triggered.connect(self.compare_tab.show)
        a["compare_with"].triggered.connect(self.compare_tab.compare_current)
        a["compare_differences"].triggered.connect(
            lambda: self.tabs.currentWidget() is not self.compare_view and self.compare_tab.show()
        )
        a["about"].triggered.connect(lambda: dialogs().show_about(self))
        a["shortcuts"].triggered.connect(lambda: dialogs().ShortcutsDialog(a, self).exec())
        a["find"].triggered.connect(lambda: (self.loader.finish_now(), self.find_bar.open_bar()))
        self.loader.finished.connect(lambda: self.statusBar().clearMessage())
        a["find_next"].triggered.connect(lambda: self.find_bar.step(1))
        a["find_previous"].triggered.connect(lambda: self.find_bar.step(-1))
        a["focus_next"].triggered.connect(lambda: self.cycle_focus(1))
        a["focus_previous"].triggered.connect(lambda: self.cycle_focus(-1))
        a["bookmark_section"].triggered.connect(lambda: self.sections.toggle_bookmark())
        a["go_to_section"].triggered.connect(lambda: self.sections.go_to_section())
        a["print_section"].triggered.connect(lambda: self.sections.print_section())
        a["search"].triggered.connect(self.focus_search)
        for name in ("print", "export_pdf", "print_topics", "export_topics_pdf"):
            a[name].triggered.connect(lambda _=False, n=name: print_dialog().run(n, self))
        for name in ("theme_system", "theme_light", "theme_dark"):
            a[name].triggered.connect(lambda _=False, n=name: self.theme.choose(n.split("_")[1]))
        nav.update_history_actions()

    def _build_rest(self) -> None:
        """The search panel (field, results, index), the find bar, and what needs `Qt` (see
        lazy_qt): not on the first screen, so done right after the first paint (`defer`), or
        when first needed. Idempotent."""
        if self._search_panel is not None:
            return
        from viewer.ui.find_bar import FindBar

        # Ctrl+1 / Ctrl+2 switch tabs; a focusable tab bar would only be one more Tab stop.
        self.tabs.tabBar().setFocusPolicy(Qt.FocusPolicy.NoFocus)
        panel = self._search_panel = self.left_panel.install_search(self.library)
        panel.dismissed.connect(lambda: self.page.setFocus(Qt.FocusReason.ShortcutFocusReason))
        from viewer.ui import context_keys

        context_keys.install(
            self.tree, lambda at: self.left_panel.show_topic_menu(at, self.actions_by_name)
        )
        find_bar = self._find_bar = FindBar(self.page)
        self.page_layout.addWidget(find_bar)
        self.loader.finished.connect(find_bar.refresh)
        self.topic_shown.connect(lambda _id: find_bar.refresh())
        from viewer.ui.section_commands import SectionCommands

        self._sections = SectionCommands(self)  # the outline under the tree, section commands
        panel.open_requested.connect(self._sections.open_search_result)

    @property
    def search_panel(self):
        self._build_rest()
        return self._search_panel

    @property
    def find_bar(self):
        self._build_rest()
        return self._find_bar

    @property
    def built_sections(self):
        """The section commands if the deferred part is built, else None (nothing is built)."""
        return self._sections

    @property
    def sections(self):
        self._build_rest()
        return self._sections

    def save_state(self) -> None:
        message = window_state.save(self)
        if message:
            self.statusBar().showMessage(message, 10000)

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self.save_state()
        self.study.close()
        if self._search_panel is not None:
            self._search_panel.shutdown()
        if self.prefetcher is not None:
            self.prefetcher.stop()
        super().closeEvent(event)

    # -- the library ------------------------------------------------------------------------
    def load_library(self, root: Path) -> bool:
        return self.library_commands.load(root)

    def reload_library(self) -> bool:
        return self.session.reload()

    def _library_replaced(self, library: Library, same_root: bool) -> None:
        """Show the session's new library; a reload keeps the reader's topic, scroll and folders."""
        scroll = self.page.scroll_position()
        opened = {}
        if same_root:
            opened = self.left_panel.opened_folders()
        self.tree_model.set_library(library)
        self.left_panel.open_folders(opened)
        self.search_panel.set_library(library)
        self.compare_tab.reload()
        self.bookmarks.rebuild()
        if not same_root:
            self._watch()
        self.navigator.show_library(same_root, scroll)

    # -- view -------------------------------------------------------------------------------
    def cycle_focus(self, step: int) -> None:
        from viewer.ui import focus

        focus.cycle(self, step)

    def set_tree_visible(self, visible: bool) -> None:
        self.left_panel.setVisible(visible)
        if not visible and self.left_panel.isAncestorOf(self.focusWidget()):
            self.page.setFocus()

    def set_zoom(self, steps: int) -> None:
        self.navigator.zoom(steps)

    def focus_search(self) -> None:
        """Ctrl+K, Ctrl+L, /: the search field lives in the left pane, so show that pane."""
        if not self.left_panel.isVisible():
            self.actions_by_name["toggle_tree"].setChecked(True)
        self.search_panel.activate()


def print_dialog():
    """The print commands: QtPrintSupport and the print layout load on first use."""
    from viewer.ui import print_dialog

    return print_dialog


def dialogs():
    """The dialogs module, loaded when a dialog is first asked for."""
    from viewer.ui import dialogs

    return dialogs
