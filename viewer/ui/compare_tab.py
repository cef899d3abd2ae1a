"""The Comparison tab's place in the window: built on first use, fed from the session.

Until the reader (or the step after the first paint) asks for it, the tab holds an empty
stand-in, so start-up neither reads the comparison files nor builds the table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from viewer.ui.lazy_qt import Qt

if TYPE_CHECKING:
    from viewer.ui.main_window import MainWindow


class CompareTab(QObject):
    """Owns the Comparison tab: the stand-in, the view, and "compare with…"."""

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self._view = None
        self.placeholder = QWidget()
        window.tabs.addTab(self.placeholder, "Comparison")
        window.tabs.currentChanged.connect(self._tab_changed)

    def _tab_changed(self, index: int) -> None:
        if self._view is None and self.window.tabs.widget(index) is self.placeholder:
            self.view  # noqa: B018 - builds the tab the reader is turning to

    @property
    def built(self) -> bool:
        return self._view is not None

    @property
    def view(self):
        """The Comparison tab, built on first use in the stand-in's place."""
        if self._view is None:
            from viewer.ui.compare_view import CompareView

            window, session = self.window, self.window.session
            view = self._view = CompareView(
                window.settings,
                f"{session.key}/compare",
                differences_action=window.actions_by_name["compare_differences"],
                actions=window.actions_by_name,
            )
            view.topic_requested.connect(self._open_topic)
            view.status_message.connect(lambda text: window.statusBar().showMessage(text, 5000))
            self.reload()
            tabs = window.tabs
            index = tabs.indexOf(self.placeholder)
            shown = tabs.currentIndex() == index
            tabs.insertTab(index, view, "Comparison")
            tabs.removeTab(index + 1)
            self.placeholder.deleteLater()
            if shown:
                tabs.setCurrentIndex(index)
        return self._view

    def reload(self) -> None:
        """The session's comparison data changed: show it (only if the tab is built)."""
        if self._view is not None:
            session = self.window.session
            self._view.set_data(session.comparisons, session.library.root, f"{session.key}/compare")

    def show(self) -> None:
        view = self.view
        self.window.tabs.setCurrentWidget(view)
        view.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if view.problems_text():
            self.window.statusBar().showMessage(view.problems_text(), 15000)

    def shown(self) -> tuple[list[str], bool] | None:
        """The comparison on screen (ticked subjects, differences only), for printing; None
        when the page is on show."""
        if self._view is None or self.window.tabs.currentWidget() is not self._view:
            return None
        if self._view.current_set() is None:
            return None
        return self._view.ticked(), self._view.differences_action.isChecked()

    def compare_current(self) -> None:
        """Compare with…: the comparison, with the current topic's subject(s) ticked."""
        window = self.window
        current = window.current
        if current is None:
            return
        pairs = window.session.comparisons.subjects_for_topic(current.id)
        if not pairs:
            window.statusBar().showMessage(f"{current.title} is not in any comparison table", 5000)
            return
        self.compare_subjects([subject.id for _set, subject in pairs])

    def compare_subjects(self, subject_ids: list[str]) -> None:
        if self.view.compare_with(subject_ids):
            self.show()
        else:
            self.window.statusBar().showMessage(
                f"No comparison subject {', '.join(subject_ids)!r}", 5000
            )

    def _open_topic(self, topic_id: str) -> None:
        window = self.window
        if window.open_topic(topic_id):
            window.tabs.setCurrentWidget(window.page_container)
            window.page.setFocus(Qt.FocusReason.OtherFocusReason)
