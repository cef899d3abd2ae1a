"""Study mode in the window: the Study tab, its actions and the due count in the status bar.

The window only makes one `StudyTab` and tells it when the library changes; everything else
about study is wired here. The cards and the review log are read after the first paint (the
due count) or when the tab is first shown, never on the way to the first screen.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel, QWidget

from viewer.ui.lazy_qt import Qt  # the first paint builds no Qt namespace (see lazy_qt)

TAB_TITLE = "Study"
GRADES_TEXT = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}


class StudyTab(QObject):
    """Owns the Study tab of `window` (a MainWindow): built in a placeholder's place on use."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self._deck = None
        self._view = None
        self.placeholder = QWidget()
        window.tabs.addTab(self.placeholder, TAB_TITLE)
        window.tabs.currentChanged.connect(self._tab_changed)
        self.due_label = QLabel()
        self.due_label.setObjectName("studyDue")
        window.statusBar().addPermanentWidget(self.due_label)
        actions = window.actions_by_name
        actions["show_study"].triggered.connect(self.show)
        actions["practise_topic"].triggered.connect(self.practise_current)
        window.session.replaced.connect(lambda _library, _same: self.library_changed())
        actions["compare_recall"].toggled.connect(self.set_table_recall)
        self._recall_wired = False

    # -- data ------------------------------------------------------------------------------
    @property
    def deck(self):
        """The library's cards joined with its review log, read on first use."""
        if self._deck is None:
            from viewer.study.cards import library_cards
            from viewer.study.deck import StudyDeck
            from viewer.study.store import ReviewStore

            window = self.window
            store = ReviewStore.for_library(window.library.root)
            if store.problem():
                window.statusBar().showMessage(store.problem(), 15000)
            self._deck = StudyDeck(library_cards(window.library, window.session.comparisons), store)
            self.show_due(self._deck.due_count())
        return self._deck

    def library_changed(self) -> None:
        """The library was read again (a file changed, a reload, another library)."""
        if self._deck is None:
            return
        self._deck.store.close()
        self._deck = None
        if self._view is not None:
            self._view.set_deck(self.deck)
        else:
            self.show_due(self.deck.due_count())

    def show_due(self, count: int) -> None:
        self.due_label.setText(f"{count} card{'s' if count != 1 else ''} due")
        self.due_label.setToolTip("Flashcards due for review now: Ctrl+3 to study them")

    def close(self) -> None:
        if self._deck is not None:
            self._deck.store.close()

    # -- the tab ---------------------------------------------------------------------------
    @property
    def view(self):
        if self._view is None:
            from viewer.ui.study_view import StudyView

            tabs = self.window.tabs
            view = self._view = StudyView(self.deck)
            view.due_changed.connect(self.show_due)
            view.topic_requested.connect(self._open_topic)
            index = tabs.indexOf(self.placeholder)
            shown = tabs.currentIndex() == index
            tabs.insertTab(index, view, TAB_TITLE)
            tabs.removeTab(index + 1)
            self.placeholder.deleteLater()
            if shown:
                tabs.setCurrentIndex(index)
        return self._view

    def _tab_changed(self, index: int) -> None:
        if self._view is None and self.window.tabs.widget(index) is self.placeholder:
            self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def show(self) -> None:
        self.window.tabs.setCurrentWidget(self.view)
        self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def practise_current(self) -> None:
        """Every card of the topic on show, whether due or not."""
        from viewer.study.cards import TOPIC_DECK

        topic = self.window.current
        if topic is None or not self.view.choose(TOPIC_DECK + topic.id, practise=True):
            name = topic.title if topic is not None else "This page"
            self.window.statusBar().showMessage(f"{name} has no flashcards", 5000)
            return
        self.show()

    # -- recall in the comparison table ------------------------------------------------------
    def set_table_recall(self, on: bool) -> None:
        """Blank the comparison's cells (or show them again); grades there feed the schedule."""
        window = self.window
        view = window.compare_view
        if not self._recall_wired:
            view.cell_graded.connect(self.grade_cell)
            self._recall_wired = True
        view.set_recall(on)
        if on:
            window.compare_tab.show()

    def grade_cell(self, table: str, attribute: str, subject: str, grade: int) -> None:
        card = self.deck.cards.cell_card(table, attribute, subject)
        if card is None:
            return
        self.deck.grade(card, grade)
        if self._view is not None:
            self._view.start(practise=self._view.practising)
        else:
            self.show_due(self.deck.due_count())
        self.window.statusBar().showMessage(f"Graded {card.question} — {GRADES_TEXT[grade]}", 3000)

    def _open_topic(self, topic_id: str, anchor: str) -> None:
        window = self.window
        if window.open_topic(topic_id, anchor):
            window.tabs.setCurrentWidget(window.page_container)
            window.page.setFocus(Qt.FocusReason.OtherFocusReason)
