"""The Study tab: one card at a time, keyboard first.

Space shows the answer (with a link to the topic and section it comes from), 1–4 grade it
Again, Hard, Good or Easy, and the next due card comes. A deck chooser (all cards, a topic, a
comparison table), "Practise now" (the chosen deck, the schedule notwithstanding) and the deck's
progress (`study_chart`). Layout and wiring only: which card comes next and when it returns are
`viewer.study.deck`'s; the window decides what opening a topic means (`topic_requested`).
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QObject, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from viewer.study.cards import StudyCard
from viewer.study.deck import StudyDeck
from viewer.study.schedule import GRADES
from viewer.ui.actions import GRADE_ACTIONS, STUDY_PANE, attach_pane
from viewer.ui.study_chart import ForecastChart

TOPIC_LINK = "cloudref-study-topic"


_converter = None


def _markdown(text: str) -> str:
    """A card's Markdown as HTML, by one converter made on first use (making one per card
    would cost more than the rest of a grade)."""
    global _converter
    if _converter is None:
        import markdown

        _converter = markdown.Markdown(extensions=["tables"])
    return _converter.reset().convert(html.escape(text, quote=False))


class KeepOwnKeys(QObject):
    """Leaves the pane's plain keys to a focused control in it: Space opens the deck chooser
    or presses a button, and typing picks a deck, rather than showing or grading a card."""

    def __init__(self, actions: list[QAction], parent: QObject):
        super().__init__(parent)
        self.keys = {seq[0].key() for action in actions for seq in action.shortcuts()}

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            and event.key() in self.keys
        ):
            event.accept()  # a key press for the control, not a shortcut
        return False


class StudyView(QWidget):
    """The review pane (`studyView`, in the F6 cycle). Its keys are the window's Study pane
    actions (`actions.PANE_SPECS`), so the shortcuts sheet lists them."""

    topic_requested = Signal(str, str)  # topic id, anchor
    due_changed = Signal(int)  # cards due now, all decks

    def __init__(
        self,
        deck: StudyDeck,
        parent: QWidget | None = None,
        actions: dict[str, QAction] | None = None,
    ):
        """`actions`: the window's (`create_actions`); on its own, the pane makes its own."""
        super().__init__(parent)
        self.setObjectName("studyView")
        self.setAccessibleName("Study")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.deck = deck
        self.queue: list[StudyCard] = []
        self.card: StudyCard | None = None
        self.revealed = False
        self.practising = False

        self.chooser = QComboBox()
        self.chooser.setObjectName("studyDeck")
        self.chooser.setAccessibleName("Deck")
        self.chooser.activated.connect(lambda _i: self.start(practise=False))
        self.practise_button = QPushButton("Practise now")
        self.practise_button.setToolTip("Every card of this deck, whether due or not")
        self.practise_button.clicked.connect(lambda: self.start(practise=True))
        top = QHBoxLayout()
        top.addWidget(QLabel("Deck:"))
        top.addWidget(self.chooser, 1)
        top.addWidget(self.practise_button)

        self.counter = QLabel()
        self.counter.setObjectName("studyCounter")
        self.text = QTextBrowser()
        self.text.setObjectName("studyCard")
        self.text.setOpenLinks(False)
        self.text.setFocusProxy(self)  # keys stay with the pane; links work by mouse, `O` by key
        self.text.anchorClicked.connect(self._link)
        self.hint = QLabel()
        self.hint.setObjectName("studyHint")
        self.buttons: list[QPushButton] = []
        grades = QHBoxLayout()
        for grade, name in GRADES.items():
            button = QPushButton(f"{grade}  {name}")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys 1–4 do the same
            button.clicked.connect(lambda _=False, g=grade: self.grade(g))
            self.buttons.append(button)
            grades.addWidget(button)

        self.progress = QLabel()
        self.progress.setObjectName("studyProgress")
        self.chart = ForecastChart()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addLayout(top)
        layout.addWidget(self.counter)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.hint)
        layout.addLayout(grades)
        layout.addWidget(self.progress)
        layout.addWidget(self.chart)
        self.key_actions = attach_pane(self, STUDY_PANE, actions)
        self.key_actions["study_reveal"].triggered.connect(self.reveal)
        self.key_actions["study_open_source"].triggered.connect(self.open_source)
        for grade, name in enumerate(GRADE_ACTIONS[STUDY_PANE], start=1):
            self.key_actions[name].triggered.connect(lambda _=False, g=grade: self.grade(g))
        keep = KeepOwnKeys(list(self.key_actions.values()), self)
        self.chooser.installEventFilter(keep)
        self.practise_button.installEventFilter(keep)
        self.set_deck(deck)

    # -- decks -----------------------------------------------------------------------------
    def set_deck(self, deck: StudyDeck, chosen: str | None = None) -> None:
        """New cards (the library changed): keep the chosen deck where it still exists."""
        chosen = self.chosen_deck() if chosen is None and self.chooser.count() else chosen or ""
        self.deck = deck
        self.chooser.clear()
        self.chooser.addItem(f"All cards ({len(deck.cards.cards)})", "")
        for key, title in deck.cards.deck_titles.items():
            self.chooser.addItem(f"{title} ({len(deck.cards.deck(key))})", key)
        index = self.chooser.findData(chosen)
        self.chooser.setCurrentIndex(max(index, 0))
        self.start(practise=False)

    def chosen_deck(self) -> str:
        return self.chooser.currentData() or ""

    def choose(self, deck_key: str, *, practise: bool = False) -> bool:
        """Study one deck ("" for all); False if it has no cards."""
        index = self.chooser.findData(deck_key)
        if index < 0:
            return False
        self.chooser.setCurrentIndex(index)
        self.start(practise=practise)
        return True

    def start(self, *, practise: bool) -> None:
        self.practising = practise
        self.queue = self.deck.queue(self.chosen_deck(), practise=practise)
        self._next()

    # -- one card --------------------------------------------------------------------------
    def _next(self) -> None:
        self.card = self.queue.pop(0) if self.queue else None
        self.revealed = False
        self._show()
        self._update_progress()

    def reveal(self) -> None:
        if self.card is not None and not self.revealed:
            self.revealed = True
            self._show()

    def grade(self, grade: int) -> None:
        """Grade the card on show (only once its answer is shown) and bring the next."""
        if self.card is None or not self.revealed:
            return
        self.deck.grade(self.card, grade)
        self._next()

    def open_source(self) -> None:
        if self.card is not None and self.revealed and self.card.topic_id:
            self.topic_requested.emit(self.card.topic_id, self.card.anchor)

    def _show(self) -> None:
        card = self.card
        for button in self.buttons:
            button.setEnabled(card is not None and self.revealed)
        mode = "practice" if self.practising else "due"
        self.counter.setText(
            f"{len(self.queue) + (card is not None)} {mode} card(s) left in this deck"
        )
        if card is None:
            done = "Nothing left to practise." if self.practising else "No cards due in this deck."
            self.text.setHtml(
                f"<h2>{done}</h2><p>Choose another deck, or <b>Practise now</b> to go over"
                " this one regardless of the schedule.</p>"
            )
            self.hint.setText("")
            return
        parts = [f'<p style="color: gray">{html.escape(self._where(card))}</p>']
        parts.append(f"<h2>{_markdown(card.question)}</h2>")
        if self.revealed:
            parts.append("<hr>")
            parts.append(_markdown(card.answer))
            if card.note:
                parts.append(f"<p><i>{html.escape(card.note)}</i></p>")
            parts.append(self._source_html(card))
            self.hint.setText("1 Again · 2 Hard · 3 Good · 4 Easy · O opens the topic")
        else:
            self.hint.setText("Space shows the answer")
        self.text.setHtml("".join(parts))

    def _where(self, card: StudyCard) -> str:
        """The deck's title, then the card's section unless it only repeats a table's title."""
        title = self.deck.cards.deck_titles.get(card.deck, card.deck)
        if card.section and card.section != title.removeprefix("Table: "):
            return f"{title} › {card.section}"
        return title

    def _source_html(self, card: StudyCard) -> str:
        links = []
        if card.topic_id:
            # A topic's card names its topic and section; a cell's, the subject's topic.
            label = self._where(card) if card.cell is None else card.section or card.topic_id
            href = f"{TOPIC_LINK}:{card.topic_id}" + (f"#{card.anchor}" if card.anchor else "")
            links.append(f'<a href="{html.escape(href, quote=True)}">{html.escape(label)}</a>')
        if card.source:
            url = html.escape(card.source, quote=True)
            links.append(f'<a href="{url}">{url}</a>')
        return f"<p>From: {' · '.join(links)}</p>" if links else ""

    def _link(self, url: QUrl) -> None:
        if url.scheme() == TOPIC_LINK:
            self.topic_requested.emit(url.path(), url.fragment())
        elif url.scheme() == "https":
            QDesktopServices.openUrl(url)

    def _update_progress(self) -> None:
        progress = self.deck.progress(self.chosen_deck())
        retention = (
            f"{100 * progress.retention:.0f} % remembered"
            if progress.retention is not None
            else "no repeat reviews yet"
        )
        self.progress.setText(
            f"{progress.due_today} due today ({progress.new} new) · "
            f"{sum(progress.forecast)} in the next 14 days · {retention}"
        )
        self.chart.set_counts(progress.due_today, progress.forecast)
        self.due_changed.emit(self.deck.due_count())
