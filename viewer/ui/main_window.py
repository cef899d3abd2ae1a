"""The main window: layout and wiring. Logic lives in the modules it calls.

Start-up does what the first screen needs and no more: the tree, the page (from the page
cache when it can), menus and actions. The rest waits for the first paint (`_finish_start`)
or for its first use: the search panel and the find bar (when `main` asks to `defer` them),
a scan of a remembered library, the file watcher, the Comparison tab and its data, printing,
dialogs, the name matcher and the Markdown converter (these two on worker threads).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QObject, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QLineEdit,
    QMainWindow,
    QMenu,
    QSplitter,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from viewer import APP_NAME
from viewer.library.cache import new_sha1
from viewer.library.folder import Library, LibraryError, Topic
from viewer.pages import links
from viewer.pages.page_cache import CachedRenderer, comparisons_signature
from viewer.pages.theme import page_stylesheet
from viewer.paper.document import SVG_CACHE
from viewer.session.bookmarks import Bookmarks
from viewer.session.history import History, Place
from viewer.settings import Settings
from viewer.ui import themes
from viewer.ui.actions import SEARCH_HINT, SPECS, create_actions
from viewer.ui.lazy_qt import Qt
from viewer.ui.page_view import PageView
from viewer.ui.progressive import ProgressiveLoader
from viewer.ui.topic_model import TopicTreeModel

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing at start-up
if TYPE_CHECKING:
    from PySide6.QtCore import QUrl


# A library this large opens with its folders closed but the shown topic's (`_open_folders`).
LARGE_LIBRARY_TOPICS = 1000


def library_key(library: Library) -> str:
    """Settings that belong to one library (last topic, bookmarks) live under this key."""
    return "library/" + new_sha1(str(library.root)).hexdigest()[:12]


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
        self._deferred = defer
        self.library = library
        self.settings = settings
        self.renderer = CachedRenderer()
        self._comparisons = None  # loaded on first use, or after the first paint
        self._comparison_digest: tuple | bool | None = None  # the page cache's, until they are
        self._compare_view = None  # built when first shown, or after the first paint
        self.history = History()
        self.current: Topic | None = None
        self.page_problems: list = []  # problems of the page on screen, for the status bar
        self.bookmarks = Bookmarks(settings.get_json(f"{library_key(library)}/bookmarks", []))
        self.actions_by_name: dict[str, QAction] = create_actions(self)
        self._search_panel = None  # built by _build_rest
        self._find_bar = None
        self._build_widgets()
        self._build_menus()
        self._connect()
        self._restore_state()
        self.watcher = None  # made by _watch
        start = library.topic(start_topic) if start_topic else None
        if start is None:
            start = (
                library.topic(self.settings.get(f"{library_key(library)}/lastTopic", ""))
                or library.first_topic
            )
        # Deferred, the first page is laid out when the window is shown (showEvent): once, at
        # the window's real width, rather than first at a hidden widget's.
        self._start_topic, self._start_pending = start, True
        if not defer:
            self._open_start()
            self._watch()
            self._build_rest()
        self.page.painted.connect(self._page_first_painted)

    def _open_start(self) -> None:
        """Show the topic the window starts on, and the first problem worth reading."""
        if not self._start_pending:
            return
        start, self._start_pending = self._start_topic, False
        if start is not None:
            self.open_topic(start.id)
        else:
            self._show_empty_library()
        library = self.library
        if self.settings.problem():
            self.statusBar().showMessage(self.settings.problem(), 10000)
        elif self.page_problems:
            pass  # the open topic's own problem (already in the status bar) is the one to read first
        elif self._comparison_problems():
            self.statusBar().showMessage(self._comparison_problems(), 15000)
        elif library.problems:
            self.statusBar().showMessage(
                f"{len(library.problems)} problem(s) in this library; run cloudref --check for the list",
                10000,
            )

    def showEvent(self, event) -> None:  # Qt override
        super().showEvent(event)
        self._open_start()

    def _watch(self) -> None:
        """Follow the library's files from now on: a change reloads it."""
        if self.watcher is None:
            from viewer.ui.watcher import LibraryWatcher

            self.watcher = LibraryWatcher(self)
            self.watcher.changed.connect(self._files_changed)
        self.watcher.watch(self.library.root, self.library.images_dir)

    def _open_folders(self, opened: dict[str, bool]) -> None:
        """Every folder of the tree open, except on a large library, where only the shown
        topic's is (opening it shows the topic): a list of thousands of rows helps nobody, and
        laying it out takes the window ~80 ms. `opened` overrides either, folder by folder."""
        open_by_default = not self._large_library()
        if open_by_default:
            self.tree.expandAll()
        for folder, index in self.tree_model.categories():
            state = opened.get(folder, open_by_default)
            if state != open_by_default:
                self.tree.setExpanded(index, state)

    def _large_library(self) -> bool:
        return len(self.library.topics) > LARGE_LIBRARY_TOPICS

    def _page_first_painted(self) -> None:
        self.page.painted.disconnect(self._page_first_painted)
        QTimer.singleShot(0, self, self._finish_start)  # once that paint is on screen

    def _finish_start(self) -> None:
        """The first screen is painted: now the rest, one step per turn of the event loop so
        that keys and paints get in between."""
        self.first_painted.emit()
        steps = [
            self._build_rest,
            self._confirm_system_scheme,
            self._rescan_remembered,
        ]  # first: Ctrl+K and Ctrl+F find what they need
        if self.watcher is None:
            steps.append(self._watch)
        # Then the Markdown converter (on a worker thread): the first topic switch need not build it.
        steps += [lambda: self.compare_view, self.renderer.prepare]

        def run_next() -> None:
            if steps:
                steps.pop(0)()
                QTimer.singleShot(0, self, run_next)  # not after the window is gone

        QTimer.singleShot(0, self, run_next)

    # -- building ------------------------------------------------------------------------
    def _build_widgets(self) -> None:
        self.tree = QTreeView()
        self.tree.setObjectName("topicTree")
        self.tree.setAccessibleName("Topics")
        self.tree.setAccessibleDescription(
            "The library's categories and topics. Enter opens a topic."
        )
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QTreeView.SelectionMode.ExtendedSelection)
        self.tree_model = TopicTreeModel(self.library, self)
        self.tree.setModel(self.tree_model)
        self._open_folders({})

        self.left_panel = QWidget()
        self.left_panel.setObjectName("leftPanel")
        self.left_layout = QVBoxLayout(self.left_panel)
        self.left_layout.setContentsMargins(6, 6, 0, 6)
        self.left_layout.setSpacing(6)
        # The search field goes on top (`_build_rest`); until then a stand-in of its size keeps
        # the tree where it will stay.
        self._search_stand_in = QLineEdit()
        self._search_stand_in.setPlaceholderText(SEARCH_HINT)
        self._search_stand_in.setReadOnly(True)
        self._search_stand_in.setMinimumWidth(
            self._search_stand_in.fontMetrics().horizontalAdvance(SEARCH_HINT) + 48
        )  # as SearchPanel
        self.left_layout.addWidget(self._search_stand_in)
        self.left_layout.addWidget(self.tree, 1)

        self.page = PageView()
        self.loader = ProgressiveLoader(self.page, self.renderer, self)
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
        # A stand-in until `compare_view` is first asked for (the tab shown, Ctrl+2, the first paint).
        self._compare_placeholder = QWidget()
        self.tabs.addTab(self._compare_placeholder, "Comparison")
        self.tabs.currentChanged.connect(
            lambda index: (
                self._compare_view is None
                and self.tabs.widget(index) is self._compare_placeholder
                and self.compare_view
            )
        )

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
        menus: dict[str, QMenu] = {}
        for name in ("File", "Go", "View", "Bookmarks", "Help"):
            menus[name] = self.menuBar().addMenu(f"&{name}")
        menus["View/Theme"] = QMenu("T&heme", self)
        self.theme_group = QActionGroup(self)
        for spec in SPECS:
            action = self.actions_by_name[spec.name]
            menu = menus[spec.menu]
            if spec.name in (
                "quit",
                "find",
                "focus_next",
                "toggle_tree",
                "zoom_in",
                "reload",
                "about",
            ):
                menu.addSeparator()
            if spec.menu == "View/Theme":
                self.theme_group.addAction(action)
            menu.addAction(action)
        menus["View"].addSeparator()
        menus["View"].addMenu(menus["View/Theme"])
        self.bookmarks_menu = menus["Bookmarks"]
        self.bookmarks_menu.addSeparator()
        self._bookmark_entries: list[QAction] = []
        self.menus = menus
        self._rebuild_bookmarks_menu()

    def _connect(self) -> None:
        a = self.actions_by_name
        self.tree.selectionModel().currentChanged.connect(self._tree_current_changed)
        self.tree.activated.connect(self._tree_activated)
        self.page.link_activated.connect(self.follow_link)
        self.page.back_requested.connect(self.go_back)
        self.page.forward_requested.connect(self.go_forward)
        self.page.highlighted.connect(self._link_hovered)
        a["quit"].triggered.connect(self.close)
        a["back"].triggered.connect(self.go_back)
        a["forward"].triggered.connect(self.go_forward)
        a["previous_topic"].triggered.connect(lambda: self.step_topic(-1))
        a["next_topic"].triggered.connect(lambda: self.step_topic(1))
        a["toggle_tree"].toggled.connect(self.set_tree_visible)
        a["zoom_in"].triggered.connect(lambda: self.set_zoom(self.page.zoom_steps + 1))
        a["zoom_out"].triggered.connect(lambda: self.set_zoom(self.page.zoom_steps - 1))
        a["zoom_reset"].triggered.connect(lambda: self.set_zoom(0))
        a["reload"].triggered.connect(self.reload_library)
        a["open_library"].triggered.connect(self.choose_library)
        a["show_page"].triggered.connect(lambda: self.tabs.setCurrentWidget(self.page_container))
        a["show_compare"].triggered.connect(self.show_compare)
        a["compare_with"].triggered.connect(self.compare_current)
        a["compare_differences"].triggered.connect(
            lambda: self.tabs.currentWidget() is not self.compare_view and self.show_compare()
        )
        a["about"].triggered.connect(self.show_about)
        a["shortcuts"].triggered.connect(self.show_shortcuts)
        a["find"].triggered.connect(lambda: (self.loader.finish_now(), self.find_bar.open_bar()))
        self.loader.finished.connect(lambda: self.statusBar().clearMessage())
        a["find_next"].triggered.connect(lambda: self.find_bar.step(1))
        a["find_previous"].triggered.connect(lambda: self.find_bar.step(-1))
        a["focus_next"].triggered.connect(lambda: self.cycle_focus(1))
        a["focus_previous"].triggered.connect(lambda: self.cycle_focus(-1))
        a["toggle_bookmark"].triggered.connect(self.toggle_bookmark)
        a["show_bookmarks"].triggered.connect(self.show_bookmarks)
        a["search"].triggered.connect(self.focus_search)
        a["print"].triggered.connect(
            lambda: self._print_dialog().print_current(
                self, self.library, self.current, self.settings, self.shown_comparison()
            )
        )
        a["export_pdf"].triggered.connect(
            lambda: self._print_dialog().export_current_pdf(
                self, self.library, self.current, self.settings, self.shown_comparison()
            )
        )
        a["print_topics"].triggered.connect(
            lambda: self._print_dialog().print_topics(
                self, self.library, self.settings, self.tree.selectionModel().selectedRows()
            )
        )
        a["export_topics_pdf"].triggered.connect(
            lambda: self._print_dialog().export_topics_pdf(
                self, self.library, self.settings, self.tree.selectionModel().selectedRows()
            )
        )
        for name in ("theme_system", "theme_light", "theme_dark"):
            a[name].triggered.connect(lambda _=False, n=name: self.set_theme(n.split("_")[1]))
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._system_scheme_changed)
        self._update_history_actions()

    def _build_rest(self) -> None:
        """The search panel (field, results, index), the find bar, and what needs `Qt` (see
        lazy_qt): not on the first screen, so done right after the first paint (`defer`), or
        when first needed. Idempotent."""
        if self._search_panel is not None:
            return
        from viewer.ui.find_bar import FindBar
        from viewer.ui.search_panel import SearchPanel

        # Ctrl+1 / Ctrl+2 switch tabs; a focusable tab bar would only be one more Tab stop.
        self.tabs.tabBar().setFocusPolicy(Qt.FocusPolicy.NoFocus)
        tree_had_focus = self.tree.hasFocus() or self.focusWidget() in (None, self._search_stand_in)
        panel = self._search_panel = SearchPanel(
            self.library, self.tree
        )  # the tree moves into its stack
        self.left_layout.removeWidget(self._search_stand_in)
        self._search_stand_in.deleteLater()
        self.left_layout.addWidget(
            panel, 1
        )  # the layout's widget owns it (replaceWidget would leave Python owning it)
        panel.show()  # now, not in the next turn: no paint may find the tree gone
        panel.open_requested.connect(self.open_search_result)
        panel.dismissed.connect(lambda: self.page.setFocus(Qt.FocusReason.ShortcutFocusReason))
        if tree_had_focus:
            panel.box.setFocus(
                Qt.FocusReason.OtherFocusReason
            )  # as on a window built whole: first in the chain
        find_bar = self._find_bar = FindBar(self.page)
        self.page_layout.addWidget(find_bar)
        self.loader.finished.connect(find_bar.refresh)
        self.topic_shown.connect(lambda _id: find_bar.refresh())

    @property
    def search_panel(self):
        self._build_rest()
        return self._search_panel

    @property
    def find_bar(self):
        self._build_rest()
        return self._find_bar

    def _restore_state(self) -> None:
        geometry = self.settings.get("window/geometry")
        if not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1200, 800)
        splitter = self.settings.get("window/splitter")
        if not splitter.isEmpty():
            self.splitter.restoreState(splitter)
        self.page.set_zoom(self.settings.get("page/zoom"))
        theme = self.settings.get("view/theme")
        self.actions_by_name.get(f"theme_{theme}", self.actions_by_name["theme_system"]).setChecked(
            True
        )
        themes.apply(theme, hint=not self._deferred)  # deferred: the hint after the first paint
        visible = self.settings.get("view/treeVisible")
        self.actions_by_name["toggle_tree"].setChecked(visible)
        self.left_panel.setVisible(visible)

    def save_state(self) -> None:
        self.settings.set("window/geometry", self.saveGeometry())
        self.settings.set("window/splitter", self.splitter.saveState())
        self.settings.set("page/zoom", self.page.zoom_steps)
        self.settings.set("view/treeVisible", self.actions_by_name["toggle_tree"].isChecked())
        if self.current is not None:
            self.settings.set(f"{library_key(self.library)}/lastTopic", self.current.id)
        message = self.settings.sync()
        if message:
            self.statusBar().showMessage(message, 10000)

    def closeEvent(self, event) -> None:  # noqa: N802
        self.save_state()
        if self._search_panel is not None:
            self._search_panel.shutdown()
        super().closeEvent(event)

    # -- showing topics ------------------------------------------------------------------
    def theme_name(self) -> str:
        return themes.effective(self.settings.get("view/theme"))

    def topic_appendix(self, topic: Topic) -> str:
        """HTML added below a topic's own text (comparison rows for its subjects)."""
        if self._comparisons is None and (digest := self._cached_comparison_digest()) is not None:
            return digest[0].get(
                topic.id, ""
            )  # start-up: as cached, the comparison files unchanged
        from viewer.compare.tables import topic_appendix_html

        return topic_appendix_html(self.comparisons, topic.id)

    def open_topic(
        self, topic_id: str, anchor: str = "", *, record: bool = True, scroll: int | None = None
    ) -> bool:
        self._start_pending = False  # opened before the window was shown: this, not the start topic
        topic = self.library.topic(topic_id)
        if topic is None:
            self.statusBar().showMessage(f"No topic with id {topic_id!r}", 5000)
            return False
        if record:
            self.history.remember_scroll(self.page.scroll_position())
        if topic is not self.current:
            self._render(topic)
        if anchor or scroll is not None:
            self.loader.finish_now()  # the place to scroll to may be in a piece not shown yet
        self.page.scroll_to(anchor, scroll)
        if record:
            self.history.visit(Place(topic.id, anchor, self.page.scroll_position()))
        self._select_in_tree(topic)
        self._update_history_actions()
        self.actions_by_name["toggle_bookmark"].setChecked(topic.id in self.bookmarks)
        self.topic_shown.emit(topic.id)
        return True

    def _render(self, topic: Topic) -> None:
        self.loader.cancel()
        page, rest = self.renderer.render_first_piece(self.library, topic)
        appendix = self.topic_appendix(topic)
        html = page.html if rest else page.html + appendix
        # A page that arrives in pieces gets every code colour: its later pieces may need them.
        self.page.show_html(
            html, page_stylesheet(self.theme_name(), None if rest else html), self.library, topic
        )
        if rest:  # a long topic: the rest follows in idle time, the window stays responsive
            self.loader.start(self.library, topic, rest, appendix)
        self.current = topic
        self.setWindowTitle(f"{topic.title} — {APP_NAME}")
        crumbs = " › ".join([*topic.breadcrumb, topic.title])
        problems = self.page_problems = list(page.problems)
        if problems:
            self.statusBar().showMessage(
                f"{crumbs} — {problems[0].format(self.library.root)}", 15000
            )
        else:
            self.statusBar().showMessage(crumbs, 4000)

    def rerender(self) -> None:
        """Show the current topic again (theme, library or appendix changed), keeping the scroll."""
        if self.current is None:
            return
        scroll = self.page.scroll_position()
        topic = self.library.topic(self.current.id)
        if topic is None:
            return
        self._render(topic)
        self.page.scroll_to(scroll=scroll)

    def _show_empty_library(self) -> None:
        import html as html_lib

        self.setWindowTitle(APP_NAME)
        body = (
            f"<h1>{html_lib.escape(self.library.title)}</h1><p>This library has no topics yet: "
            f"add Markdown (<code>.md</code>) files to <code>{html_lib.escape(str(self.library.root))}</code>.</p>"
        )
        self.page.show_html(body, page_stylesheet(self.theme_name(), body), self.library, None)

    def _select_in_tree(self, topic: Topic) -> None:
        index = self.tree_model.index_of(topic)
        if not index.isValid():
            return
        if self.tree.currentIndex() != index:
            self._syncing_tree = True
            try:
                self.tree.selectionModel().setCurrentIndex(
                    index,
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
            finally:
                self._syncing_tree = False
        self.tree.scrollTo(index)

    _syncing_tree = False

    def _tree_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._syncing_tree:
            return
        topic = self.tree_model.topic_at(current)
        if topic is not None and topic is not self.current:
            self.open_topic(topic.id)

    def _tree_activated(self, index: QModelIndex) -> None:
        topic = self.tree_model.topic_at(index)
        if topic is not None:
            if topic is not self.current:
                self.open_topic(topic.id)
            self.page.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.tree.setExpanded(index, not self.tree.isExpanded(index))

    # -- links and history ---------------------------------------------------------------
    def follow_link(self, url: QUrl) -> None:
        from viewer.compare.tables import COMPARE_SCHEME

        if url.scheme() == COMPARE_SCHEME:
            self.compare_subjects([url.path()])
            return
        target = links.classify(self.library, self.current, url.toString())
        if target.kind == "external":
            from PySide6.QtCore import QUrl
            from PySide6.QtGui import QDesktopServices

            QDesktopServices.openUrl(QUrl(target.url))
            self.statusBar().showMessage(f"Opened in your browser: {target.url}", 5000)
        elif target.kind == "topic":
            self.open_topic(target.topic_id, target.anchor)
        elif target.kind == "anchor" and self.current is not None:
            self.open_topic(self.current.id, target.anchor)
        else:
            self.statusBar().showMessage(f"Link not followed — {target.reason}", 8000)

    def _link_hovered(self, url: QUrl) -> None:
        if url.isEmpty():
            self.statusBar().clearMessage()
            return
        from viewer.compare.tables import COMPARE_SCHEME

        if url.scheme() == COMPARE_SCHEME:
            self.statusBar().showMessage("Opens this table in the Comparison tab")
            return
        target = links.classify(self.library, self.current, url.toString())
        if target.kind == "topic":
            topic = self.library.topic(target.topic_id)
            self.statusBar().showMessage(
                f"Topic: {topic.title if topic else target.topic_id}"
                + (f" › #{target.anchor}" if target.anchor else "")
            )
        elif target.kind == "external":
            self.statusBar().showMessage(f"Opens in your browser: {target.url}")
        elif target.kind == "blocked":
            self.statusBar().showMessage(f"Not followed: {target.reason}")

    def _go(self, place: Place | None) -> None:
        if place is None:
            return
        self.open_topic(place.topic_id, place.anchor, record=False, scroll=place.scroll)

    def go_back(self) -> None:
        self.history.remember_scroll(self.page.scroll_position())
        self._go(self.history.back())
        self._update_history_actions()

    def go_forward(self) -> None:
        self.history.remember_scroll(self.page.scroll_position())
        self._go(self.history.forward())
        self._update_history_actions()

    def _update_history_actions(self) -> None:
        self.actions_by_name["back"].setEnabled(self.history.can_go_back())
        self.actions_by_name["forward"].setEnabled(self.history.can_go_forward())

    def step_topic(self, step: int) -> None:
        if self.current is None:
            return
        topic = self.library.neighbour(self.current, step)
        if topic is not None:
            self.open_topic(topic.id)

    # -- search --------------------------------------------------------------------------
    def focus_search(self) -> None:
        """Ctrl+K, Ctrl+L, /: the search field lives in the left pane, so show that pane."""
        if not self.left_panel.isVisible():
            self.actions_by_name["toggle_tree"].setChecked(True)
        self.search_panel.activate()

    def open_search_result(self, topic_id: str, terms: list) -> None:
        if self.open_topic(topic_id):
            self.tabs.setCurrentWidget(self.page_container)
            if terms:
                from viewer.ui.search_panel import reveal_match

                self.loader.finish_now()
                reveal_match(self.page, terms)
            self.page.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- view ----------------------------------------------------------------------------
    def cycle_focus(self, step: int) -> None:
        from viewer.ui import focus

        focus.cycle(self, step)

    def set_tree_visible(self, visible: bool) -> None:
        self.left_panel.setVisible(visible)
        if not visible and self.left_panel.isAncestorOf(self.focusWidget()):
            self.page.setFocus()

    def set_zoom(self, steps: int) -> None:
        scroll_ratio = self._scroll_ratio()
        self.page.set_zoom(steps)
        self.settings.set("page/zoom", self.page.zoom_steps)
        bar = self.page.verticalScrollBar()
        bar.setValue(int(scroll_ratio * bar.maximum()))
        self.statusBar().showMessage(
            f"Zoom {round(100 * (11 + self.page.zoom_steps) / 11)} %", 2000
        )

    def _scroll_ratio(self) -> float:
        bar = self.page.verticalScrollBar()
        return bar.value() / bar.maximum() if bar.maximum() else 0.0

    def set_theme(self, name: str) -> None:
        self.settings.set("view/theme", name)
        self._applying_theme = True
        try:
            themes.apply(name)
        finally:
            self._applying_theme = False
        self._theme_changed()

    def _theme_changed(self) -> None:
        self.rerender()

    _applying_theme = False

    def _confirm_system_scheme(self) -> None:
        """After the first paint: a forced theme tells the platform now; with "system", start-up
        judged light or dark by the palette, and Qt's hint decides."""
        theme = self.settings.get("view/theme")
        if theme != "system":
            if not self._deferred:
                return  # `themes.apply` told the platform when the window was built
            self._applying_theme = True  # our own hint is no change of the system's
            try:
                themes.set_scheme_hint(theme)
            finally:
                self._applying_theme = False
        elif themes.refresh_system_scheme():
            self._system_scheme_changed(None)

    def _system_scheme_changed(self, _scheme) -> None:
        """The desktop switched light/dark: follow it unless a theme is forced."""
        if self._applying_theme or self.settings.get("view/theme") != "system":
            return
        self._applying_theme = True
        try:
            themes.apply("system")
        finally:
            self._applying_theme = False
        self._theme_changed()

    # -- library -------------------------------------------------------------------------
    def choose_library(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        folder = QFileDialog.getExistingDirectory(self, "Open Library", str(self.library.root))
        if folder:
            self.load_library(Path(folder))

    def load_library(self, root: Path) -> bool:
        try:
            library = Library(root)
        except LibraryError as exc:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.warning(self, "Cannot open library", str(exc))
            return False
        self.save_state()
        self._install_library(library)
        self._watch()
        self.history = History()
        self.bookmarks = Bookmarks(self.settings.get_json(f"{library_key(library)}/bookmarks", []))
        self._rebuild_bookmarks_menu()
        start = (
            library.topic(self.settings.get(f"{library_key(library)}/lastTopic", ""))
            or library.first_topic
        )
        if start is not None:
            self.open_topic(start.id)
        else:
            self._show_empty_library()
        self.statusBar().showMessage(f"Opened {library.title} ({len(library.topics)} topics)", 5000)
        return True

    def _files_changed(self, paths: list[str]) -> None:
        """Files in the library were saved, added or removed: show the new state, same scroll."""
        SVG_CACHE.clear()
        self.reload_library()
        paths = [
            path for path in paths if not Path(path).is_dir()
        ] or paths  # a folder: files came or went
        names = ", ".join(Path(path).name for path in paths[:3]) + (" …" if len(paths) > 3 else "")
        self.statusBar().showMessage(f"Reloaded: {names} changed on disk", 4000)

    def _install_library(self, library: Library, opened: dict[str, bool] | None = None) -> None:
        """Show `library` in the tree, search and comparison; the caller opens a topic.
        `opened`: folders the reader opened (True) or closed (False), kept as they were."""
        self.library = library
        self.tree_model.set_library(library)
        self._open_folders(opened or {})
        self.search_panel.set_library(library)
        self.current = None
        self._load_comparisons()

    def _rescan_remembered(self) -> None:
        """Start-up showed the library as its last scan left it: scan it now, on a worker thread
        (no Qt there; ~0.1 s on 5,000 topics would freeze the window), and show any change."""
        if not self.library.remembered:
            return
        remembered = self.library
        import threading  # here, not at start-up: a first import costs the first paint (app._window_for)

        bridge = _ScanBridge(self)
        bridge.scanned.connect(
            self._remembered_scanned
        )  # queued: a slot of this (GUI-thread) window

        def scan() -> None:
            try:
                result: Library | Exception = Library(remembered.root)
            except Exception as exc:  # noqa: BLE001 - reported in the status bar, never raised
                result = exc
            try:
                bridge.scanned.emit(remembered, result)
            except RuntimeError:
                pass  # the window was closed meanwhile

        threading.Thread(target=scan, name="cloudref-library-scan", daemon=True).start()

    def _remembered_scanned(self, remembered: Library, result) -> None:
        if self.library is not remembered:
            return  # another library, or a reload, came first
        if isinstance(result, Exception):
            self.statusBar().showMessage(f"Cannot read the library again: {result}", 10000)
        elif result.snapshot != remembered.snapshot:
            self._show_reloaded(result)

    def reload_library(self) -> None:
        try:
            library = Library(self.library.root)
        except LibraryError as exc:
            self.statusBar().showMessage(str(exc), 10000)
            return
        self._show_reloaded(library)

    def _show_reloaded(self, library: Library) -> None:
        """The same library, read again: the reader keeps their topic, scroll and folded folders."""
        current = self.current.id if self.current else None
        scroll = self.page.scroll_position()
        opened = {
            folder: self.tree.isExpanded(index) for folder, index in self.tree_model.categories()
        }
        self._install_library(library, opened)  # a reload keeps the folders as the reader left them
        topic = library.topic(current) if current else None
        topic = topic or library.first_topic
        if topic is not None:
            self.open_topic(topic.id, record=False, scroll=scroll)

    # -- comparison ----------------------------------------------------------------------
    def _load_comparisons(self) -> None:
        """The library or its files changed: read the comparison data again (now if the tab is built)."""
        self._comparisons = None
        self._comparison_digest = None
        if self._compare_view is not None:
            self._compare_view.set_data(
                self.comparisons, self.library.root, f"{library_key(self.library)}/compare"
            )

    @property
    def comparisons(self):
        """The library's comparison data, read on first use; what pages need of it is cached."""
        if self._comparisons is None:
            from viewer.compare.tables import (
                load_comparisons,
                problems_summary,
                topic_appendix_html,
            )

            signature = comparisons_signature(
                self.library
            )  # before reading: a later change shows next time
            data = self._comparisons = load_comparisons(self.library)
            topic_ids = {s.topic for cset in data.sets for s in cset.subjects if s.topic}
            rows = {
                topic_id: html
                for topic_id in sorted(topic_ids)
                if (html := topic_appendix_html(data, topic_id))
            }
            self.renderer.cache.put_comparison_digest(
                self.library, signature, rows, problems_summary(data.problems, self.library.root)
            )
        return self._comparisons

    def _cached_comparison_digest(self) -> tuple | None:
        if self._comparison_digest is None:
            self._comparison_digest = self.renderer.cache.comparison_digest(self.library) or False
        return self._comparison_digest or None

    def _comparison_problems(self) -> str:
        """The comparison files' problems in one line ("" if none), from the cache at start-up."""
        if self._comparisons is None and (digest := self._cached_comparison_digest()) is not None:
            return digest[1]
        from viewer.compare.tables import problems_summary

        return problems_summary(self.comparisons.problems, self.library.root)

    @property
    def compare_view(self):
        """The Comparison tab, built on first use in the placeholder's place."""
        if self._compare_view is None:
            from viewer.ui.compare_view import CompareView

            view = self._compare_view = CompareView(
                self.settings,
                f"{library_key(self.library)}/compare",
                differences_action=self.actions_by_name["compare_differences"],
            )
            view.topic_requested.connect(self._open_from_compare)
            view.status_message.connect(lambda text: self.statusBar().showMessage(text, 5000))
            view.set_data(
                self.comparisons, self.library.root, f"{library_key(self.library)}/compare"
            )
            index = self.tabs.indexOf(self._compare_placeholder)
            shown = self.tabs.currentIndex() == index
            self.tabs.insertTab(index, view, "Comparison")
            self.tabs.removeTab(index + 1)
            self._compare_placeholder.deleteLater()
            if shown:
                self.tabs.setCurrentIndex(index)
        return self._compare_view

    def show_compare(self) -> None:
        self.tabs.setCurrentWidget(self.compare_view)
        self.compare_view.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if self.compare_view.problems_text():
            self.statusBar().showMessage(self.compare_view.problems_text(), 15000)

    def shown_comparison(self) -> tuple[list[str], bool] | None:
        """The comparison on screen (ticked subjects, differences only), for printing; None on a page."""
        if (
            self.tabs.currentWidget() is not self.compare_view
            or self.compare_view.current_set() is None
        ):
            return None
        return self.compare_view.ticked(), self.compare_view.differences_action.isChecked()

    def compare_current(self) -> None:
        """Compare with…: the comparison, with the current topic's subject(s) ticked."""
        if self.current is None:
            return
        subjects = [s.id for _set, s in self.comparisons.subjects_for_topic(self.current.id)]
        if not subjects:
            self.statusBar().showMessage(
                f"{self.current.title} is not in any comparison table", 5000
            )
            return
        self.compare_subjects(subjects)

    def compare_subjects(self, subject_ids: list[str]) -> None:
        if self.compare_view.compare_with(subject_ids):
            self.show_compare()
        else:
            self.statusBar().showMessage(f"No comparison subject {', '.join(subject_ids)!r}", 5000)

    def _open_from_compare(self, topic_id: str) -> None:
        if self.open_topic(topic_id):
            self.tabs.setCurrentWidget(self.page_container)
            self.page.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- bookmarks -----------------------------------------------------------------------
    def toggle_bookmark(self) -> None:
        if self.current is None:
            return
        added = self.bookmarks.toggle(self.current.id)
        self.actions_by_name["toggle_bookmark"].setChecked(added)
        self._bookmarks_changed()
        self.statusBar().showMessage(
            f"{'Bookmarked' if added else 'Bookmark removed'}: {self.current.title}", 3000
        )

    def _bookmarks_changed(self) -> None:
        self.settings.set_json(f"{library_key(self.library)}/bookmarks", self.bookmarks.to_list())
        self.settings.sync()
        self._rebuild_bookmarks_menu()

    def _rebuild_bookmarks_menu(self) -> None:
        for action in self._bookmark_entries:
            self.bookmarks_menu.removeAction(action)
            action.deleteLater()
        self._bookmark_entries = []
        for topic_id in self.bookmarks:
            topic = self.library.topic(topic_id)
            if topic is None:
                continue
            action = QAction(topic.title.replace("&", "&&"), self.bookmarks_menu)
            action.triggered.connect(lambda _=False, t=topic_id: self.open_topic(t))
            self.bookmarks_menu.addAction(action)
            self._bookmark_entries.append(action)

    def show_bookmarks(self) -> None:
        entries = [
            (t, self.library.topic(t).title) for t in self.bookmarks if self.library.topic(t)
        ]
        from viewer.ui.dialogs import BookmarksDialog

        dialog = BookmarksDialog(entries, self)
        dialog.open_requested.connect(self.open_topic)
        dialog.remove_requested.connect(
            lambda t: (self.bookmarks.remove(t), self._bookmarks_changed())
        )
        dialog.exec()
        if self.current is not None:
            self.actions_by_name["toggle_bookmark"].setChecked(self.current.id in self.bookmarks)

    # -- help ----------------------------------------------------------------------------
    def show_shortcuts(self) -> None:
        from viewer.ui.dialogs import ShortcutsDialog

        ShortcutsDialog(self.actions_by_name, self).exec()

    def show_about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        from viewer.ui.about import about_text

        QMessageBox.about(self, f"About {APP_NAME}", about_text())

    @staticmethod
    def _print_dialog():
        from viewer.ui import (
            print_dialog,
        )  # QtPrintSupport and the print layout: loaded on first use

        return print_dialog

    def shortcut_text(self, name: str) -> str:
        return (
            self.actions_by_name[name].shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        )


class _ScanBridge(QObject):
    """Carries a library scanned on a worker thread to the GUI thread (queued)."""

    scanned = Signal(
        object, object
    )  # the remembered Library; the scanned one, or the exception that stopped the scan
