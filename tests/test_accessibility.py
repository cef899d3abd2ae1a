"""What a screen reader is told: names and descriptions of every pane, field and button; the
comparison table's headers; no information in colour only."""

from __future__ import annotations

from conftest import show_window
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLineEdit,
    QTextEdit,
    QWidget,
)
from test_comparison import pets_library

from viewer.ui.compare_model import DIFFERS_MARK

CTRL = Qt.KeyboardModifier.ControlModifier
KINDS = (QAbstractButton, QAbstractItemView, QComboBox, QLineEdit, QTextEdit)


def _unnamed(root: QWidget) -> list[str]:
    """Widgets a reader can reach that a screen reader could not name or describe. Qt reads a
    widget's tooltip as its description when it has none of its own, and a button's text as
    its name."""
    missing = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not isinstance(widget, KINDS) or widget.objectName().startswith("qt_"):
            continue
        if not widget.isVisibleTo(root):
            continue
        name = widget.accessibleName() or (
            widget.text() if isinstance(widget, QAbstractButton) else ""
        )
        description = widget.accessibleDescription() or widget.toolTip()
        if not name.strip() or not description.strip():
            missing.append(f"{type(widget).__name__} {widget.objectName()!r} {name!r}")
    return missing


def test_every_pane_field_and_button_has_a_name_and_a_description(qtbot, tmp_path):
    win = show_window(qtbot, pets_library(tmp_path), active=True)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F, CTRL)  # the find bar, open
    assert _unnamed(win) == []
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_2, CTRL)  # the comparison
    assert _unnamed(win.compare_view) == []


def test_comparison_headers_and_marks_have_a_text_form(qtbot, tmp_path):
    win = show_window(qtbot, pets_library(tmp_path), active=True)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_2, CTRL)
    model = win.compare_view.table.model()
    header = model.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.AccessibleTextRole)
    assert header == "Cat"
    assert "column" in model.headerData(
        0, Qt.Orientation.Horizontal, Qt.ItemDataRole.AccessibleDescriptionRole
    )
    rows = [model.headerData(r, Qt.Orientation.Vertical) for r in range(model.rowCount())]
    differing = next(r for r, label in enumerate(rows) if label.startswith(DIFFERS_MARK))
    spoken = model.headerData(
        differing, Qt.Orientation.Vertical, Qt.ItemDataRole.AccessibleTextRole
    )
    assert DIFFERS_MARK not in spoken and "values differ" in spoken
    noted = [
        model.index(r, c)
        for r in range(model.rowCount())
        for c in range(model.columnCount())
        if "has a note" in model.index(r, c).data(Qt.ItemDataRole.AccessibleDescriptionRole)
    ]
    assert noted  # the corner triangle, said in words
    assert "has a note" in noted[0].data(Qt.ItemDataRole.AccessibleTextRole)
    # ...and explained on screen, beside the table.
    legend = win.compare_view.legend.text()
    assert DIFFERS_MARK in legend and "corner" in legend
