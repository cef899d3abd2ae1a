"""The floor for cold start: a bare PySide6 window doing the least a reference viewer does.

Imports QtWidgets, shows a QMainWindow with a QTreeView (a few rows) and a QTextBrowser
holding one page of HTML, and prints the same `startup:` lines as `cloudref --startup-report`
once the page has been painted, then quits. `bench/run.py` starts it beside the app.

It learns of the paint as the app does, from the browser's own `paintEvent`. An event filter
on `browser.viewport()` would cost it ~8 ms (PySide6's first wrapping of the viewport looks
for its type among every QWidget subclass) and flatter every ratio against it.
"""

from __future__ import annotations

import time

PROCESS_START = time.perf_counter()

import sys  # noqa: E402

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtGui import QStandardItem, QStandardItemModel  # noqa: E402
from PySide6.QtWidgets import QApplication, QMainWindow, QSplitter, QTextBrowser, QTreeView  # noqa: E402

IMPORTED = time.perf_counter()

PARAGRAPH = (
    "<p>Amazon ECS runs containers as <b>tasks</b>, grouped into <i>services</i> that keep a "
    "desired count running behind a load balancer. A task definition names the image, CPU, "
    "memory, ports and IAM role; the launch type decides who manages the servers.</p>"
)
PAGE = (
    "<h1>Amazon ECS</h1>"
    + PARAGRAPH * 3
    + "<h2>Concepts</h2><ul><li>Cluster</li><li>Service</li><li>Task "
    "definition</li><li>Task</li></ul>"
    + PARAGRAPH
    * 3
    + "<table border='1' cellspacing='0' cellpadding='6'><tr><th>Launch "
    "type</th><th>Servers</th></tr>"
    "<tr><td>EC2</td><td>You</td></tr><tr><td>Fargate</td><td>AWS</td></tr></table>"
    + "<pre>aws ecs create-service --cluster demo --service-name web --desired-count 2</pre>"
    + PARAGRAPH * 4
)


def ms(t: float) -> str:
    return f"{1000 * (t - PROCESS_START):.1f} ms"


class PaintReportingBrowser(QTextBrowser):
    """Calls `on_first_paint` once its page has been painted (its viewport's paints come here)."""

    on_first_paint = None

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().paintEvent(event)
        if self.on_first_paint is not None:
            then, self.on_first_paint = self.on_first_paint, None
            QTimer.singleShot(0, then)


def main() -> int:
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    model = QStandardItemModel(window)
    for name in ("Containers", "Serverless"):
        folder = QStandardItem(name)
        for child in ("Docker vs VMs", "ECS", "Fargate", "ECR"):
            folder.appendRow(QStandardItem(child))
        model.appendRow(folder)
    tree = QTreeView()
    tree.setHeaderHidden(True)
    tree.setModel(model)
    tree.expandAll()
    browser = PaintReportingBrowser()
    browser.setHtml(PAGE)
    rendered = time.perf_counter()
    splitter = QSplitter()
    splitter.addWidget(tree)
    splitter.addWidget(browser)
    splitter.setSizes([260, 900])
    window.setCentralWidget(splitter)
    window.resize(1200, 800)
    window.show()
    shown = time.perf_counter()

    def report() -> None:
        painted = time.perf_counter()
        for name, t in (
            ("imports", IMPORTED),
            ("first page rendered", rendered),
            ("shown", shown),
            ("first paint", painted),
        ):
            sys.stdout.write(f"startup: {name} {ms(t)}\n")
        sys.stdout.flush()
        app.quit()

    browser.on_first_paint = report
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
