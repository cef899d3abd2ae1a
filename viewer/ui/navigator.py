"""Moving between topics: the page on show, the tree's selection, links, back and forward.

The window lays out the tree and the page; this controller decides what they show when the
reader picks a topic, follows a link or steps through history. It renders nothing itself:
pages come from the session's renderer and the comparison rows from the session.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QObject

from viewer import APP_NAME
from viewer.library.folder import Topic
from viewer.pages import links
from viewer.pages.theme import page_stylesheet
from viewer.session.history import Place
from viewer.ui import themes
from viewer.ui.lazy_qt import Qt

if TYPE_CHECKING:
    from PySide6.QtCore import QUrl

    from viewer.ui.main_window import MainWindow


class Navigator(QObject):
    """What the page and the tree show, and how the reader moves between topics."""

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self.session = window.session
        self.current: Topic | None = None
        self.page_problems: list = []  # problems of the page on screen, for the status bar
        self._syncing_tree = False

    def _status(self, text: str, milliseconds: int = 0) -> None:
        self.window.statusBar().showMessage(text, milliseconds)

    # -- showing topics ---------------------------------------------------------------------
    def open_topic(
        self, topic_id: str, anchor: str = "", *, record: bool = True, scroll: int | None = None
    ) -> bool:
        window, history = self.window, self.session.history
        window._start_pending = False  # opened before the window was shown: this, not the start
        topic = self.session.library.topic(topic_id)
        if topic is None:
            self._status(f"No topic with id {topic_id!r}", 5000)
            return False
        if record:
            history.remember_scroll(window.page.scroll_position())
        if topic is not self.current:
            self._render(topic)
        if anchor or scroll is not None:
            window.loader.finish_now()  # the place to scroll to may be in a piece not shown yet
        window.page.scroll_to(anchor, scroll)
        if record:
            history.visit(Place(topic.id, anchor, window.page.scroll_position()))
        self.select_in_tree(topic)
        self.update_history_actions()
        window.actions_by_name["toggle_bookmark"].setChecked(topic.id in self.session.bookmarks)
        window.topic_shown.emit(topic.id)
        return True

    def _render(self, topic: Topic) -> None:
        window, session = self.window, self.session
        window.loader.cancel()
        page, rest = session.renderer.render_first_piece(session.library, topic)
        appendix = session.topic_appendix(topic)
        html = page.html if rest else page.html + appendix
        # A page that arrives in pieces gets every code colour: its later pieces may need them.
        window.page.show_html(
            html, self.stylesheet(None if rest else html), session.library, topic, self.theme_name()
        )
        if rest:  # a long topic: the rest follows in idle time, the window stays responsive
            window.loader.start(session.library, topic, rest, appendix)
        self.current = topic
        window.setWindowTitle(f"{topic.title} — {APP_NAME}")
        crumbs = " › ".join([*topic.breadcrumb, topic.title])
        problems = self.page_problems = list(page.problems)
        if problems:
            self._status(f"{crumbs} — {problems[0].format(session.library.root)}", 15000)
        else:
            self._status(crumbs, 4000)

    def theme_name(self) -> str:
        return themes.effective(self.window.settings.get("view/theme"))

    def stylesheet(self, html: str | None) -> str:
        """The page stylesheet for the theme and zoom on show (see `page_stylesheet`)."""
        return page_stylesheet(self.theme_name(), html, self.window.page.zoom_scale())

    def rerender(self) -> None:
        """Show the current topic again (theme, library or appendix changed), keeping the scroll."""
        if self.current is None:
            return
        scroll = self.window.page.scroll_position()
        topic = self.session.library.topic(self.current.id)
        if topic is None:
            return
        self._render(topic)
        self.window.page.scroll_to(scroll=scroll)

    def show_library(self, keep_place: bool, scroll: int = 0) -> None:
        """The session's library is new (or read again): open its start topic, or, when
        `keep_place`, the topic the reader was on, at the same scroll."""
        library = self.session.library
        shown, self.current = self.current, None
        if keep_place:
            # By id, else by file: a first start's quick scan named topics by their files.
            topic = (
                shown and (library.topic(shown.id) or library.topic_for_file(shown.path))
            ) or library.first_topic
            if topic is not None:
                self.open_topic(topic.id, record=False, scroll=scroll)
                return
        else:
            topic = self.session.start_topic()
            if topic is not None:
                self.open_topic(topic.id)
                return
        self.show_empty_library()

    def show_empty_library(self) -> None:
        import html as html_lib  # its entity table is not needed for a usual start

        library = self.session.library
        self.window.setWindowTitle(APP_NAME)
        body = (
            f"<h1>{html_lib.escape(library.title)}</h1><p>This library has no topics yet: "
            f"add Markdown (<code>.md</code>) files to "
            f"<code>{html_lib.escape(str(library.root))}</code>.</p>"
        )
        self.window.page.show_html(body, self.stylesheet(body), library, None, self.theme_name())

    def zoom(self, steps: int) -> None:
        """Zoom the page `steps` from its default size, keeping the place read, remembered."""
        bar = self.window.page.verticalScrollBar()
        scroll_ratio = bar.value() / bar.maximum() if bar.maximum() else 0.0
        before = self.window.page.zoom_steps
        self.window.page.set_zoom(steps)
        self.window.settings.set("page/zoom", self.window.page.zoom_steps)
        if self.window.page.zoom_steps != before:
            self.rerender()  # headings, code and small print are sized by the stylesheet
        bar.setValue(int(scroll_ratio * bar.maximum()))
        percent = round(100 * self.window.page.zoom_scale())
        self.window.statusBar().showMessage(f"Zoom {percent} %", 2000)

    # -- the tree ---------------------------------------------------------------------------
    def select_in_tree(self, topic: Topic) -> None:
        tree = self.window.tree
        index = self.window.tree_model.index_of(topic)
        if not index.isValid():
            return
        if tree.currentIndex() != index:
            self._syncing_tree = True
            try:
                flags = QItemSelectionModel.SelectionFlag
                tree.selectionModel().setCurrentIndex(index, flags.ClearAndSelect | flags.Rows)
            finally:
                self._syncing_tree = False
        tree.scrollTo(index)

    def tree_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._syncing_tree:
            return
        topic = self.window.tree_model.topic_at(current)
        if topic is not None and topic is not self.current:
            self.open_topic(topic.id)

    def tree_activated(self, index: QModelIndex) -> None:
        window = self.window
        topic = window.tree_model.topic_at(index)
        if topic is not None:
            if topic is not self.current:
                self.open_topic(topic.id)
            window.page.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            window.tree.setExpanded(index, not window.tree.isExpanded(index))

    def step_topic(self, step: int) -> None:
        if self.current is None:
            return
        topic = self.session.library.neighbour(self.current, step)
        if topic is not None:
            self.open_topic(topic.id)

    # -- links ------------------------------------------------------------------------------
    def follow_link(self, url: QUrl) -> None:
        from viewer.compare.tables import COMPARE_SCHEME

        if url.scheme() == COMPARE_SCHEME:
            self.window.compare_tab.compare_subjects([url.path()])
            return
        target = links.classify(self.session.library, self.current, url.toString())
        if target.kind == "external":
            from viewer.ui.external import open_in_browser

            open_in_browser(self.window, target.url, lambda text: self._status(text, 8000))
        elif target.kind == "topic":
            self.open_topic(target.topic_id, target.anchor)
        elif target.kind == "anchor" and self.current is not None:
            self.open_topic(self.current.id, target.anchor)
        else:
            self._status(f"Link not followed — {target.reason}", 8000)

    def link_hovered(self, url: QUrl) -> None:
        if url.isEmpty():
            self.window.statusBar().clearMessage()
            return
        from viewer.compare.tables import COMPARE_SCHEME

        if url.scheme() == COMPARE_SCHEME:
            self._status("Opens this table in the Comparison tab")
            return
        library = self.session.library
        target = links.classify(library, self.current, url.toString())
        if target.kind == "topic":
            topic = library.topic(target.topic_id)
            anchor = f" › #{target.anchor}" if target.anchor else ""
            self._status(f"Topic: {topic.title if topic else target.topic_id}{anchor}")
        elif target.kind == "external":
            self._status(f"Opens in your browser: {target.url}")
        elif target.kind == "blocked":
            self._status(f"Not followed: {target.reason}")

    # -- history ----------------------------------------------------------------------------
    def go_back(self) -> None:
        self._go(self.session.history.back)

    def go_forward(self) -> None:
        self._go(self.session.history.forward)

    def _go(self, step) -> None:
        self.session.history.remember_scroll(self.window.page.scroll_position())
        place = step()
        if place is not None:
            self.open_topic(place.topic_id, place.anchor, record=False, scroll=place.scroll)
        self.update_history_actions()

    def update_history_actions(self) -> None:
        history, actions = self.session.history, self.window.actions_by_name
        actions["back"].setEnabled(history.can_go_back())
        actions["forward"].setEnabled(history.can_go_forward())
