"""Study mode in the window: the Study tab, its actions and the due count in the status bar.

The window only makes one `StudyTab` and tells it when the library changes; everything else
about study is wired here. The deck is made on a worker thread after the first paint
(`prepare`): the cards (from the card cache where topics are unchanged), the review log
opened and joined to them, and the pane's code loaded, so neither the first screen nor Ctrl+3
waits for every topic to be read and parsed. The GUI thread only takes the finished deck (the
log's SQLite connection is handed over, never shared). Ctrl+3 before then shows the tab saying
so, and the first card as soon as the deck is in.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel

from viewer.ui.lazy_qt import Qt  # the first paint builds no Qt namespace (see lazy_qt)

TAB_TITLE = "Study"
GRADES_TEXT = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
READING_TEXT = "Reading the flashcards…"


def _make_deck(library, comparisons):
    """The library's cards (through the card cache) joined with its review log. No Qt."""
    from viewer.study.card_cache import CardCache
    from viewer.study.cards import library_cards
    from viewer.study.deck import StudyDeck
    from viewer.study.store import ReviewStore

    cards = library_cards(library, comparisons, CardCache(library.root))
    return StudyDeck(cards, ReviewStore.for_library(library.root))


class StudyTab(QObject):
    """Owns the Study tab of `window` (a MainWindow): built in a placeholder's place on use."""

    _deck_made = Signal(object, object)  # the library, its StudyDeck or the exception

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self._deck = None
        self._deck_library = None  # the library `_deck` was read from
        self._reading = None  # the library a worker thread is reading cards from
        self._pending = None  # what Ctrl+3 (or Practise This Topic) asked for before the cards
        self._view = None
        self.placeholder = QLabel(READING_TEXT)  # its looks are set when first shown (no Qt
        self.placeholder.setObjectName("studyPlaceholder")  # namespace before the first paint)
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
        self._deck_made.connect(self._take_deck)
        self._recall_wired = False

    # -- data ------------------------------------------------------------------------------
    @property
    def ready(self) -> bool:
        """Whether the cards of the library on show are in (no wait for `deck`)."""
        return self._deck is not None and self._deck_library is self.window.library

    @property
    def deck(self):
        """The library's cards joined with its review log; made now if they are not in yet
        (whoever cannot wait, such as a grade given in the comparison table)."""
        if not self.ready:
            self._reading = None  # a worker's deck, when it comes, is not needed
            library = self.window.library
            self._install(library, _make_deck(library, self.window.session.comparisons))
        return self._deck

    def prepare(self) -> None:
        """Make the deck on a worker thread (no Qt there); `_take_deck` gets it."""
        if self.ready or self._reading is self.window.library:
            return
        import threading  # here: nothing on the way to the first paint needs it

        library = self._reading = self.window.library
        comparisons = self.window.session.comparisons  # loaded here, on the GUI thread

        def work() -> None:
            try:
                result = _make_deck(library, comparisons)
                import viewer.ui.study_view  # noqa: F401 - the pane's code, ready for Ctrl+3
            except Exception as exc:  # noqa: BLE001 - said in the status bar, never raised
                result = exc
            try:
                self._deck_made.emit(library, result)
            except RuntimeError:  # the window was closed meanwhile
                if not isinstance(result, Exception):
                    result.store.close()

        threading.Thread(target=work, name="cloudref-study-deck", daemon=True).start()

    def _take_deck(self, library, result) -> None:
        if library is not self._reading:  # made for a library since replaced, or made at once
            if not isinstance(result, Exception):
                result.store.close()
            return
        self._reading = None
        if isinstance(result, Exception):
            self._pending = None
            self.placeholder.setText(f"The flashcards could not be read: {result}")
            self.window.statusBar().showMessage(f"Cannot read the flashcards: {result}", 10000)
            return
        self._install(library, result)
        pending, self._pending = self._pending, None
        if pending is not None:
            pending()

    def _install(self, library, deck) -> None:
        """`deck` (of `library`) replaces the one on show, if any."""
        old = self._deck
        if deck.store.problem():
            self.window.statusBar().showMessage(deck.store.problem(), 15000)
        self._deck, self._deck_library = deck, library
        if old is not None:
            old.store.close()
        if self._view is not None:
            self._view.set_deck(deck)  # says the due count
        else:
            self.show_due(deck.due_count(), len(deck.cards.cards))

    def library_changed(self) -> None:
        """The library was read again (a file changed, a reload, another library): read its
        cards again in the background once they were asked for; until then the pane keeps
        the deck it has."""
        if self._deck is not None or self._reading is not None or self._pending is not None:
            self._reading = None
            self.prepare()

    def show_due(self, count: int, cards: int) -> None:
        """The due count in the status bar; nothing at all for a library without flashcards."""
        self.due_label.setVisible(cards > 0)
        self.due_label.setText(f"{count} card{'s' if count != 1 else ''} due")
        self.due_label.setToolTip("Flashcards due for review now: Ctrl+3 to study them")

    def close(self) -> None:
        self._reading = self._pending = None
        if self._deck is not None:
            self._deck.store.close()

    # -- the tab ---------------------------------------------------------------------------
    @property
    def view(self):
        if self._view is None:
            from viewer.ui.study_view import StudyView

            tabs = self.window.tabs
            view = self._view = StudyView(self.deck, actions=self.window.actions_by_name)
            view.due_changed.connect(lambda count: self.show_due(count, len(self.deck.cards.cards)))
            view.topic_requested.connect(self._open_topic)
            index = tabs.indexOf(self.placeholder)
            shown = tabs.currentIndex() == index
            tabs.insertTab(index, view, TAB_TITLE)
            tabs.removeTab(index + 1)
            self.placeholder.deleteLater()
            if shown:
                tabs.setCurrentIndex(index)
        return self._view

    def _waiting(self) -> bool:
        """Whether the Study tab on show is still the placeholder (the cards are not in)."""
        return self._view is None and self.window.tabs.currentWidget() is self.placeholder

    def _wait_for_cards(self, then) -> None:
        """Show the placeholder with the focus; `then` runs when the cards are in, if the
        placeholder is still on show (the reader may have gone elsewhere meanwhile)."""
        placeholder = self.placeholder
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        placeholder.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # keys stay in the window
        self.window.tabs.setCurrentWidget(placeholder)
        placeholder.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._pending = lambda: then() if self._waiting() else None
        self.prepare()

    def _tab_changed(self, index: int) -> None:
        if self._view is None and self.window.tabs.widget(index) is self.placeholder:
            if self.ready:
                self.view.setFocus(Qt.FocusReason.OtherFocusReason)
            elif self._pending is None:
                self._wait_for_cards(self.show)

    def show(self) -> None:
        """The Study tab with the focus (Ctrl+3), as soon as the cards are in."""
        if self._view is None and not self.ready:
            self._wait_for_cards(self.show)
            return
        self.window.tabs.setCurrentWidget(self.view)
        self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def practise_current(self) -> None:
        """Every card of the topic on show, whether due or not."""
        topic = self.window.current
        if self._view is None and not self.ready:
            self._wait_for_cards(lambda: self._practise(topic))
            return
        self._practise(topic)

    def _practise(self, topic) -> None:
        from viewer.study.cards import TOPIC_DECK

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
            self.show_due(self.deck.due_count(), len(self.deck.cards.cards))
        self.window.statusBar().showMessage(f"Graded {card.question} — {GRADES_TEXT[grade]}", 3000)

    def _open_topic(self, topic_id: str, anchor: str) -> None:
        window = self.window
        if window.open_topic(topic_id, anchor):
            window.tabs.setCurrentWidget(window.page_container)
            window.page.setFocus(Qt.FocusReason.OtherFocusReason)
