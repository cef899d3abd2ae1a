"""Third-party notices: built from the installed distributions' metadata, shown from About."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QPushButton

from viewer import notices
from viewer.ui import about


def test_the_runtime_distributions_are_the_apps_requirements():
    names = {name.lower().replace("_", "-") for name in notices.runtime_distributions()}
    assert {"markdown", "pygments", "pypdf", "pyside6-essentials", "shiboken6"} <= names
    assert not {"pytest", "pyinstaller", "cloudref"} & names  # extras and the app itself


def test_every_runtime_distribution_and_python_has_licence_text():
    for notice in notices.build_notices(notices.runtime_distributions()):
        assert notice.texts, f"{notice.name} has no licence text"
        assert notice.licence != "UNKNOWN", notice.name
    python = notices.python_notice()
    assert "PYTHON SOFTWARE FOUNDATION" in python.texts[0][1].upper()


def test_qt_gets_the_lgpl_text_and_the_relinking_notice():
    qt = notices.notice_for("PySide6_Essentials")
    assert [name for name, _ in qt.texts] == ["LGPL-3", "GPL-3"]
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in qt.texts[0][1]
    text = notices.qt_notice("6.9.9", "6.9.9")
    assert "PySide6/Qt/lib" in text and "replace" in text and "v6.9.9" in text
    # Other Qt libraries load only with the PySide6 binaries built for them (tried on a build).
    assert "Qt 6.9.9 exactly" in text and "PySide6/*.abi3.so" in text


def test_write_makes_the_notices_file_and_one_folder_per_component(tmp_path):
    built = notices.build_notices(["Markdown"], [notices.Notice("Nothing", "1.0", "MIT")])
    missing = notices.write(tmp_path, built, "QT NOTICE")
    assert missing == ["Nothing"]  # the build fails on this
    text = (tmp_path / "THIRD-PARTY-NOTICES").read_text(encoding="utf-8")
    assert "Markdown" in text and "QT NOTICE" in text and "Python" in text
    assert (tmp_path / "licenses" / f"Markdown-{built[1].version}" / "LICENSE.md").is_file()


def test_about_shows_the_notices_from_installed_metadata(qtbot):
    """From source there is no bundled file: the About box's button shows the notices built
    from what is installed."""
    box = about.about_box()
    qtbot.addWidget(box)
    assert "LGPLv3" in box.text()
    button = box.findChild(QPushButton, "noticesButton")
    assert button is not None and "notices" in button.text().lower()
    dialog = about.NoticesDialog()
    qtbot.addWidget(dialog)
    text = dialog.text.toPlainText()
    for name in ("Markdown", "Pygments", "pypdf", "PySide6_Essentials", "shiboken6", "Python"):
        assert f"\n  {name} " in text
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in text


def test_help_about_then_notices_opens_the_notices(qtbot, monkeypatch):
    """Help → About, then its notices button: the notices dialog opens."""
    from viewer.app import build_window

    window = build_window([])
    qtbot.addWidget(window)
    opened = []
    monkeypatch.setattr(
        about.NoticesDialog, "exec", lambda self: opened.append(self.text.toPlainText()) or 0
    )

    def press_notices():
        box = QApplication.activeModalWidget()
        box.findChild(QPushButton, "noticesButton").click()

    QTimer.singleShot(0, press_notices)
    window.actions_by_name["about"].trigger()
    assert opened and "PySide6_Essentials" in opened[0]
