"""The comparison table as a Qt model: columns are the shown subjects, rows the attributes.

A thin adapter over `viewer.compare.tables`: which rows differ and what a cell says are decided
there. Rows shown under "differences only" are computed once per change, so `data()` is a list
lookup.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from viewer.compare.tables import MISSING, Attribute, Cell, ComparisonSet, Subject, value_html

# Custom roles, declared once.
DIFFERS_ROLE = Qt.ItemDataRole.UserRole + 1  # bool: this row's shown values are not all the same
HAS_NOTE_ROLE = Qt.ItemDataRole.UserRole + 2  # bool: the cell has a note or a source
CELL_ROLE = Qt.ItemDataRole.UserRole + 3  # the Cell, or None when the value is missing
SUBJECT_ROLE = Qt.ItemDataRole.UserRole + 4  # the column's Subject (cells and horizontal header)
ATTRIBUTE_ROLE = Qt.ItemDataRole.UserRole + 5  # the row's Attribute (cells and vertical header)
SAME_ROLE = Qt.ItemDataRole.UserRole + 6  # bool: two or more subjects shown, all with this value
HTML_ROLE = Qt.ItemDataRole.UserRole + 7  # the value as HTML, its **bold** kept

DIFFERS_MARK = "≠"


def cell_tooltip(cell: Cell | None) -> str:
    if cell is None:
        return "Missing value: the comparison file gives none for this subject."
    lines = [cell.note] if cell.note else []
    if cell.source:
        lines.append(f"Source: {cell.source}")
    if cell.checked:
        lines.append(f"Checked {cell.checked}")
    return "\n".join(lines)


class CompareModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._set: ComparisonSet | None = None
        self._subjects: list[Subject] = []
        self._differences_only = False
        self._rows: list[Attribute] = []
        self._differs: list[bool] = []
        self._recall = False  # cells blanked until revealed, for practising recall
        self._revealed: set[tuple[str, str]] = set()  # (attribute id, subject id)

    # -- what is shown -------------------------------------------------------------------
    @property
    def comparison_set(self) -> ComparisonSet | None:
        return self._set

    @property
    def subjects(self) -> list[Subject]:
        return list(self._subjects)

    def attributes(self) -> list[Attribute]:
        return list(self._rows)

    def show(
        self,
        cset: ComparisonSet | None,
        subject_ids: list[str],
        differences_only: bool | None = None,
    ) -> None:
        """Show these subjects of `cset` (in the table's column order)."""
        self.beginResetModel()
        self._set = cset
        wanted = set(subject_ids)
        self._subjects = [s for s in cset.subjects if s.id in wanted] if cset else []
        if differences_only is not None:
            self._differences_only = differences_only
        self._recompute()
        self.endResetModel()

    def _recompute(self) -> None:
        if self._set is None:
            self._rows, self._differs = [], []
            return
        marked = len(self._subjects) > 1
        pairs = [(a, marked and self._set.differs(a, self._subjects)) for a in self._set.attributes]
        if self._differences_only:
            pairs = [p for p in pairs if p[1]]
        self._rows = [a for a, _ in pairs]
        self._differs = [d for _, d in pairs]

    # -- recall --------------------------------------------------------------------------
    @property
    def recall(self) -> bool:
        return self._recall

    def set_recall(self, on: bool) -> None:
        """Blank every cell (on) or show them all again (off)."""
        self.beginResetModel()
        self._recall, self._revealed = on, set()
        self.endResetModel()

    def _key(self, index: QModelIndex) -> tuple[str, str]:
        return (self._rows[index.row()].id, self._subjects[index.column()].id)

    def is_hidden(self, index: QModelIndex) -> bool:
        return self._recall and index.isValid() and self._key(index) not in self._revealed

    def reveal(self, index: QModelIndex) -> bool:
        """Show one blanked cell; False if it was not blank."""
        if not self.is_hidden(index):
            return False
        self._revealed.add(self._key(index))
        self.dataChanged.emit(index, index)
        return True

    def _marks(self, row: int, cell: Cell | None) -> list[str]:
        marks = ["differs"] if self._differs[row] else []
        if cell is not None and (cell.note or cell.source):
            marks.append("has a note")
        return marks

    # -- QAbstractTableModel ---------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._subjects)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ):
        if not index.isValid() or self._set is None:
            return None
        row, column = index.row(), index.column()
        if not (0 <= row < len(self._rows) and 0 <= column < len(self._subjects)):
            return None
        cell = self._set.cell(self._rows[row].id, self._subjects[column].id)
        if self._recall and (self._rows[row].id, self._subjects[column].id) not in self._revealed:
            return self._blank(role, row, column)
        if role == Qt.ItemDataRole.DisplayRole:
            return cell.plain if cell else f"{MISSING} missing"
        if role == Qt.ItemDataRole.ToolTipRole:
            return cell_tooltip(cell) or None
        if role == HTML_ROLE:
            return value_html(cell.value) if cell else f"<i>{MISSING} missing</i>"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            # What the cell says, then what the table shows only by marks (≠, corner triangle).
            value = cell.plain if cell else "missing"
            return ", ".join([value, *self._marks(row, cell)])
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            parts = [self._rows[row].label, self._subjects[column].label]
            return ", ".join([*parts, *self._marks(row, cell)])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        if role == DIFFERS_ROLE:
            return self._differs[row]
        if role == SAME_ROLE:
            return len(self._subjects) > 1 and not self._differs[row]
        if role == HAS_NOTE_ROLE:
            return bool(cell and (cell.note or cell.source))
        if role == CELL_ROLE:
            return cell
        if role == SUBJECT_ROLE:
            return self._subjects[column]
        if role == ATTRIBUTE_ROLE:
            return self._rows[row]
        return None

    def _blank(self, role: int, row: int, column: int):
        """A blanked cell: nothing of its value, note or source."""
        if role == Qt.ItemDataRole.DisplayRole:
            return "?"
        if role == HTML_ROLE:
            return "<i>?</i>"
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return f"{self._rows[row].label}, {self._subjects[column].label}, hidden"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == SUBJECT_ROLE:
            return self._subjects[column]
        if role == ATTRIBUTE_ROLE:
            return self._rows[row]
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < len(self._subjects):
                return None
            subject = self._subjects[section]
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return subject.label
            if role == Qt.ItemDataRole.AccessibleDescriptionRole:
                return f"Subject column {section + 1} of {len(self._subjects)}"
            if role == Qt.ItemDataRole.ToolTipRole:
                return (
                    f"{subject.label}: Enter on a cell or double-click here opens its topic"
                    if subject.topic
                    else subject.label
                )
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            if role == SUBJECT_ROLE:
                return subject
            return None
        if not 0 <= section < len(self._rows):
            return None
        # In recall, which rows differ would be a hint: no mark, as on the printed self-test.
        attribute, differs = self._rows[section], self._differs[section] and not self._recall
        if role == Qt.ItemDataRole.DisplayRole:
            # The mark is a glyph, not a colour, so it survives greyscale print and any theme.
            return f"{DIFFERS_MARK} {attribute.label}" if differs else f"    {attribute.label}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{attribute.label}, values differ" if differs else attribute.label
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return f"Attribute row {section + 1} of {len(self._rows)}" + (
                ": the subjects' values differ" if differs else ": the same for every subject"
            )
        if role == Qt.ItemDataRole.FontRole and differs:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return (
                f"{attribute.label}: the values differ"
                if differs
                else f"{attribute.label}: the same for every subject shown"
            )
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
            )
        if role == DIFFERS_ROLE:
            return differs
        if role == ATTRIBUTE_ROLE:
            return attribute
        return None
