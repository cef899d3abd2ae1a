"""Programs the frozen app starts get the user's environment, not PyInstaller's."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from viewer import child_env

BUNDLE = "/opt/cloudref/_internal"
ROOT = Path(__file__).resolve().parent.parent


def frozen_environment(user: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """(os.environ as the frozen app sees it, /proc/self/environ) for a user's environment,
    as PyInstaller's bootloader and Qt runtime hook leave them."""
    launched = dict(user)
    if "LD_LIBRARY_PATH" in user:
        launched["LD_LIBRARY_PATH_ORIG"] = user["LD_LIBRARY_PATH"]
        launched["LD_LIBRARY_PATH"] = f"{BUNDLE}:{user['LD_LIBRARY_PATH']}"
    else:
        launched["LD_LIBRARY_PATH"] = BUNDLE
    launched.update(_PYI_ARCHIVE_FILE="/opt/cloudref/cloudref", _PYI_PARENT_PROCESS_LEVEL="-1")
    environ = dict(launched)
    environ.update(
        QT_PLUGIN_PATH=f"{BUNDLE}/PySide6/Qt/plugins", QML2_IMPORT_PATH=f"{BUNDLE}/PySide6/Qt/qml"
    )
    return environ, launched


@pytest.mark.parametrize(
    "user",
    [
        {"PATH": "/usr/bin", "HOME": "/home/a"},
        {"PATH": "/usr/bin", "LD_LIBRARY_PATH": "/home/a/lib"},
        {"PATH": "/usr/bin", "LD_LIBRARY_PATH": "", "QT_PLUGIN_PATH": "/usr/lib/qt6/plugins"},
        {"PATH": "/usr/bin", "QML2_IMPORT_PATH": "/home/a/qml", "LANG": "de_DE.UTF-8"},
    ],
)
def test_restore_gives_back_exactly_the_users_environment(user):
    environ, launched = frozen_environment(user)
    child_env.restore(environ, launched)
    assert environ == user


def test_launch_environment_reads_a_nul_separated_block(tmp_path):
    block = tmp_path / "environ"
    block.write_bytes(b"A=1\0B=x=y\0EMPTY=\0junk\0")
    assert child_env.launch_environment(str(block)) == {"A": "1", "B": "x=y", "EMPTY": ""}
    assert child_env.launch_environment(str(tmp_path / "missing")) == {}


def test_restore_if_frozen_leaves_a_source_run_alone(monkeypatch):
    monkeypatch.delattr(sys, "frozen", raising=False)
    monkeypatch.setenv("LD_LIBRARY_PATH", "/mine")
    child_env.restore_if_frozen()
    assert os.environ["LD_LIBRARY_PATH"] == "/mine"


def fake_xdg_open(folder: Path, record: Path) -> None:
    """An `xdg-open` that writes the URL it got and its environment to `record`."""
    script = folder / "xdg-open"
    script.write_text(
        f'#!/bin/sh\n{{ echo "URL=$1"; env; }} > "{record}.tmp"\nmv "{record}.tmp" "{record}"\n',
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)


OPEN_A_LINK = """
import os, sys
import PySide6
# What PyInstaller's Qt runtime hook does before our code runs.
os.environ["QT_PLUGIN_PATH"] = os.path.join(os.path.dirname(PySide6.__file__), "Qt", "plugins")
os.environ["QML2_IMPORT_PATH"] = "/opt/cloudref/_internal/PySide6/Qt/qml"
sys.frozen = True
from viewer import child_env
child_env.restore_if_frozen()  # as viewer.app.main does first
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
app = QGuiApplication([])
sys.exit(0 if QDesktopServices.openUrl(QUrl(sys.argv[1])) else 3)
"""


@pytest.fixture
def x_display(tmp_path):
    """A virtual X screen: Qt opens URLs through xdg-open on xcb, not on offscreen."""
    if not shutil.which("Xvfb"):
        pytest.skip("Xvfb not installed (apt-get install xvfb)")
    ready = tmp_path / "display"
    with ready.open("w") as out:
        server = subprocess.Popen(
            [
                "Xvfb",
                "-displayfd",
                str(out.fileno()),
                "-nolisten",
                "tcp",
                "-screen",
                "0",
                "640x480x24",
            ],
            pass_fds=[out.fileno()],
            stderr=subprocess.DEVNULL,
        )
    try:
        for _ in range(200):
            if ready.read_text().strip():
                break
            time.sleep(0.05)
        yield ":" + ready.read_text().strip()
    finally:
        server.terminate()
        server.wait()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="xdg-open is the Linux opener")
def test_a_link_opened_through_qt_reaches_xdg_open_with_the_users_environment(tmp_path, x_display):
    """The environment a process of the frozen app is started with (bootloader's variables
    included), Qt's runtime hook, then main()'s restore: QDesktopServices starts xdg-open with
    exactly the user's environment."""
    bin_dir, record = tmp_path / "bin", tmp_path / "record"
    bin_dir.mkdir()
    fake_xdg_open(bin_dir, record)
    user = {
        "PATH": f"{bin_dir}:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "DISPLAY": x_display,
        "LD_LIBRARY_PATH": "/home/a/lib",
        "PYTHONPATH": str(ROOT),
        "LANG": "C.UTF-8",
    }
    _, launched = frozen_environment(user)
    # The bootloader's LD_LIBRARY_PATH would name the bundle; here nothing is there to load.
    result = subprocess.run(
        [sys.executable, "-c", OPEN_A_LINK, "https://aws.amazon.com/ecs/"],
        env=launched,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    for _ in range(200):  # xdg-open runs detached; it writes its record when it is done
        if record.exists():
            break
        time.sleep(0.05)
    lines = record.read_text().splitlines()
    assert lines[0] == "URL=https://aws.amazon.com/ecs/"
    seen = dict(line.split("=", 1) for line in lines[1:] if "=" in line)
    for own in ("PWD", "SHLVL", "_", "PYSIDE6_OPTION_PYTHON_ENUM"):  # the shell's, PySide's
        seen.pop(own, None)
    assert seen == user
