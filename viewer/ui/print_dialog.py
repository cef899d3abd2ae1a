"""Print and PDF commands of the window: the preview, the topic picker, the save dialog.

The window connects its four actions here and passes what they need (library, topic,
settings, the tree's selection); the pages themselves come from `printing`, the file from
`viewer.paper.export`. Errors are shown in a dialog, never raised into the event loop.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, QStandardPaths, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QTreeWidget,
    QTreeWidgetItem,
    QTreeWidgetItemIterator,
    QVBoxLayout,
    QWidget,
)

from viewer.library.folder import Category, Library, Topic
from viewer.paper import printing
from viewer.ui import themes

TOPIC_ROLE = Qt.ItemDataRole.UserRole + 1


# -- the commands ----------------------------------------------------------------------------
def print_current(
    parent: QWidget, library: Library, topic: Topic | None, settings, comparison=None
) -> bool:
    """Ctrl+P: the current topic in the print preview, or the comparison on screen.

    `comparison` is (ticked subject ids, differences only) while the comparison view shows.
    """
    if comparison is not None:
        return print_comparison(parent, library, settings, *comparison)
    if topic is None:
        return False
    job = _job(parent, lambda: printing.build_print_job(library, [topic]))
    return job is not None and preview_job(parent, job, settings)


def print_section(
    parent: QWidget, library: Library, topic: Topic | None, anchor: str, settings
) -> bool:
    """Print This Section: one section of a topic on its own sheet, in the print preview."""
    if topic is None or not anchor:
        return False
    job = _job(parent, lambda: printing.build_print_job(library, [topic], section=anchor))
    return job is not None and preview_job(parent, job, settings)


def print_topics(
    parent: QWidget, library: Library, settings, selected: list[QModelIndex] | None = None
) -> bool:
    """File → Print Topics…: pick topics, then the preview of them as one job."""
    topics = choose_topics(parent, library, _topics_of(selected or []), "Print Topics", "Preview…")
    if not topics:
        return False
    job = _job(parent, lambda: printing.build_print_job(library, topics))
    return job is not None and preview_job(parent, job, settings)


def export_current_pdf(
    parent: QWidget, library: Library, topic: Topic | None, settings, comparison=None
) -> bool:
    """File → Export PDF…: the current topic (or the comparison on screen) as a PDF."""
    if comparison is not None:
        return export_comparison_pdf(parent, library, settings, *comparison)
    if topic is None:
        return False
    job = _job(parent, lambda: printing.build_print_job(library, [topic]))
    return job is not None and export_job(parent, job, settings, topic.id)


def export_topics_pdf(
    parent: QWidget, library: Library, settings, selected: list[QModelIndex] | None = None
) -> bool:
    topics = choose_topics(
        parent, library, _topics_of(selected or []), "Export Topics as PDF", "Export…"
    )
    if not topics:
        return False
    job = _job(parent, lambda: printing.build_print_job(library, topics))
    name = topics[0].id if len(topics) == 1 else _file_stem(library.title)
    return job is not None and export_job(parent, job, settings, name)


def print_comparison(
    parent: QWidget,
    library: Library,
    settings,
    subject_ids: list[str],
    differences_only: bool = False,
) -> bool:
    """The comparison view's table in the print preview (landscape when it is wide)."""
    job = _comparison_job(parent, library, subject_ids, differences_only, "print")
    return job is not None and preview_job(parent, job, settings)


def export_comparison_pdf(
    parent: QWidget,
    library: Library,
    settings,
    subject_ids: list[str],
    differences_only: bool = False,
) -> bool:
    job = _comparison_job(parent, library, subject_ids, differences_only, "export")
    return job is not None and export_job(parent, job, settings, "comparison")


def _comparison_job(
    parent: QWidget, library: Library, subject_ids: list[str], differences_only: bool, verb: str
) -> printing.PrintJob | None:
    """The print job of the ticked subjects, or None after telling the reader why not."""
    if not subject_ids:
        QMessageBox.information(
            parent, f"Nothing to {verb}", "Tick at least one subject of the comparison."
        )
        return None
    return _job(
        parent,
        lambda: printing.build_comparison_job(
            library, subject_ids, differences_only=differences_only
        ),
    )


# -- preview and save --------------------------------------------------------------------
def preview_job(parent: QWidget, job: printing.PrintJob, settings) -> bool:
    """The print preview for `job`; the page setup chosen there is remembered."""
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    printer = printing.build_printer(settings, title=job.title, landscape=job.landscape)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setObjectName("printPreview")
    dialog.setWindowTitle(f"Print Preview — {job.title}")
    failures: list[str] = []

    def paint(device) -> None:
        try:
            printing.paint_job(device, job)
        except printing.PrintError as exc:
            failures.append(str(exc))

    dialog.paintRequested.connect(paint)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    if job.landscape is None:  # a forced landscape (wide comparison) is not the user's choice
        printing.remember_page_layout(settings, printer.pageLayout())
    if failures:
        QMessageBox.warning(parent, "Cannot print", failures[-1])
        return False
    return accepted


def export_job(parent: QWidget, job: printing.PrintJob, settings, name: str) -> bool:
    """Ask where to save, then write the PDF; a failure is explained in a dialog."""
    from viewer.paper.export import ExportError, export_pdf

    folder = settings.get("print/lastFolder", "") or QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation
    )
    suggested = str(Path(folder) / f"{name}.pdf")
    path, _filter = QFileDialog.getSaveFileName(
        parent, "Export PDF", suggested, "PDF files (*.pdf)"
    )
    if not path:
        return False
    if not path.lower().endswith(".pdf"):
        path += ".pdf"
    try:
        result = export_pdf(job, path, settings)
    except ExportError as exc:
        QMessageBox.warning(parent, "Cannot export PDF", str(exc))
        return False
    settings.set("print/lastFolder", str(Path(path).parent))
    status = getattr(parent, "statusBar", None)
    if callable(status):
        status().showMessage(f"Saved {result.path} ({result.pages} pages)", 8000)
    return True


def _job(parent: QWidget, build) -> printing.PrintJob | None:
    try:
        return build()
    except printing.PrintError as exc:
        QMessageBox.warning(parent, "Cannot print", str(exc))
        return None


def _file_stem(title: str) -> str:
    stem = "".join(c if c.isalnum() or c in "-_" else "-" for c in title).strip("-")
    while "--" in stem:
        stem = stem.replace("--", "-")
    return stem or "topics"


def _topics_of(indexes: list[QModelIndex]) -> list[Topic]:
    """The topics a tree selection stands for: a selected category means all of its topics."""
    topics: list[Topic] = []
    for index in indexes:
        node = index.internalPointer() if index.isValid() else None
        if isinstance(node, Topic):
            topics.append(node)
        elif isinstance(node, Category):
            topics += _category_topics(node)
    return list(dict.fromkeys(topics))


def _category_topics(category: Category) -> list[Topic]:
    found: list[Topic] = []
    for child in category.children:
        found += _category_topics(child) if isinstance(child, Category) else [child]
    return found


# -- the topic picker ----------------------------------------------------------------------
class TopicPicker(QDialog):
    """Tick topics, whole categories or the whole library; Space ticks the current row."""

    def __init__(
        self,
        library: Library,
        ticked: list[Topic],
        title: str,
        accept_text: str,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        themes.style(self)
        self.setObjectName("topicPicker")
        self.setWindowTitle(title)
        self.library = library
        layout = QVBoxLayout(self)
        label = QLabel(
            "Tick the topics to include. Each starts on a new page, in tree order; "
            "several get a cover page with the contents."
        )
        label.setWordWrap(True)
        layout.addWidget(label)
        self.tree = QTreeWidget()
        self.tree.setObjectName("topicPickerTree")
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName("Topics to include")
        label.setBuddy(self.tree)
        layout.addWidget(self.tree)
        self.root = QTreeWidgetItem(self.tree, [f"Whole library: {library.title}"])
        self.root.setFlags(
            self.root.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsAutoTristate
        )
        self.root.setCheckState(0, Qt.CheckState.Unchecked)
        self._add(self.root, library.tree, {t.id for t in ticked})
        self.tree.expandAll()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(accept_text)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.tree.itemChanged.connect(lambda *_: self._update_ok())
        self._update_ok()
        first = next((t for t in ticked), None)
        self.tree.setCurrentItem(self._item_for(first) if first else self.root)
        self.tree.setFocus()
        self.resize(460, 520)

    def _add(self, parent_item: QTreeWidgetItem, category: Category, ticked: set[str]) -> None:
        for child in category.children:
            item = QTreeWidgetItem(parent_item, [child.title])
            flags = item.flags() | Qt.ItemFlag.ItemIsUserCheckable
            if isinstance(child, Category):
                item.setFlags(flags | Qt.ItemFlag.ItemIsAutoTristate)
                font = item.font(0)
                font.setBold(True)
                item.setFont(0, font)
                item.setCheckState(0, Qt.CheckState.Unchecked)
                self._add(item, child, ticked)
            else:
                item.setFlags(flags)
                item.setData(0, TOPIC_ROLE, child.id)
                item.setToolTip(0, child.summary or child.title)
                item.setCheckState(
                    0, Qt.CheckState.Checked if child.id in ticked else Qt.CheckState.Unchecked
                )

    def _item_for(self, topic: Topic) -> QTreeWidgetItem | None:
        iterator = QTreeWidgetItemIterator(self.tree)
        while iterator.value():
            item = iterator.value()
            if item.data(0, TOPIC_ROLE) == topic.id:
                return item
            iterator += 1
        return None

    def topics(self) -> list[Topic]:
        """The ticked topics, in tree order."""
        chosen = []
        iterator = QTreeWidgetItemIterator(self.tree)
        while iterator.value():
            item = iterator.value()
            topic_id = item.data(0, TOPIC_ROLE)
            if topic_id and item.checkState(0) == Qt.CheckState.Checked:
                topic = self.library.topic(topic_id)
                if topic is not None:
                    chosen.append(topic)
            iterator += 1
        return chosen

    def _update_ok(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.topics()))


def choose_topics(
    parent: QWidget, library: Library, ticked: list[Topic], title: str, accept_text: str
) -> list[Topic]:
    dialog = TopicPicker(library, ticked, title, accept_text, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return []
    return dialog.topics()


def run(command: str, window) -> bool:
    """One of the window's print commands ("print", "export_pdf", "print_topics",
    "export_topics_pdf") on what the window shows or has selected."""
    library, settings = window.library, window.settings
    if command in ("print", "export_pdf"):
        job = print_current if command == "print" else export_current_pdf
        return job(window, library, window.current, settings, window.compare_tab.shown())
    job = print_topics if command == "print_topics" else export_topics_pdf
    return job(window, library, settings, window.tree.selectionModel().selectedRows())
