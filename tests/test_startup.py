"""`--startup-report`: the phases are printed after the first paint and the app exits 0.

Correctness only: the budgets live in bench/run.py, never in the test suite.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import ROOT

PHASES = ("imports", "library open", "first page rendered", "window built", "first paint")


def run(args: list[str], home) -> subprocess.CompletedProcess:
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CACHE_HOME=str(home / ".cache"),
    )
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_startup_report_prints_every_phase_and_exits_0(sample_library, isolated_settings):
    done = run(["main.py", "--startup-report", "--content", str(sample_library)], isolated_settings)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    names = [
        line.split("startup: ", 1)[1].rsplit(" ", 2)[0]
        for line in lines
        if line.startswith("startup: ")
    ]
    for phase in PHASES:
        assert phase in names
    assert names[-1] == "first paint"
    timings = json.loads(
        next(line for line in lines if line.startswith("startup-json: ")).split(": ", 1)[1]
    )
    assert list(timings) == names  # the same phases, in the order they ended
    values = list(timings.values())
    assert values == sorted(values) and values[0] > 0


def test_startup_report_at_a_topic(sample_library, isolated_settings):
    done = run(
        ["main.py", "--startup-report", "--content", str(sample_library), "third"],
        isolated_settings,
    )
    assert done.returncode == 0, done.stderr
    assert "startup: first paint" in done.stdout


# Run as a script (`enum_probe`): counts how often PySide6 builds the Python enum named `enum`
# before a real start's first paint and after it; after main() returns, the code `after` uses
# it once, to show that the probe would see it.
ENUM_PROBE = """
import enum, sys
sys.path.insert(0, {root!r})
from viewer import startup
from viewer.app import main
made = {{"before": 0, "after": 0}}
meta = getattr(enum, "EnumType", enum.EnumMeta)  # EnumMeta before Python 3.11
create = meta._create_
def counting(cls, name, *args, **kwargs):
    made["after" if startup.PAINTED in startup.MARKS else "before"] += name == {enum!r}
    return create(cls, name, *args, **kwargs)
meta._create_ = counting
sys.argv = ["main.py", "--startup-report", "--content", {library!r}]
status = main()
{after}
print("made:", made["before"], made["after"])
sys.exit(status)
"""


def enum_probe(enum: str, after: str, library) -> str:
    return ENUM_PROBE.format(root=str(ROOT), library=str(library), enum=enum, after=after)


@pytest.mark.parametrize("theme", ["system", "dark"])
def test_the_first_paint_builds_none_of_the_qt_namespace(sample_library, isolated_settings, theme):
    if theme != "system":
        ini = isolated_settings / ".config" / "Cloudref" / "cloudref.ini"
        ini.parent.mkdir(parents=True, exist_ok=True)
        ini.write_text(f"[view]\ntheme={theme}\n")
    for _ in range(2):  # a first start, then one from the caches
        # AlignmentFlag stands for the `Qt` namespace, built whole on first use
        # (viewer/ui/lazy_qt.py).
        probe = enum_probe(
            "AlignmentFlag", "from PySide6.QtCore import Qt; Qt.AlignmentFlag", sample_library
        )
        done = run(["-c", probe], isolated_settings)
        assert done.returncode == 0, done.stderr
        assert "startup: first paint" in done.stdout
        assert done.stdout.splitlines()[-1] == "made: 0 1"


def test_the_first_paint_wraps_no_viewport(sample_library, isolated_settings):
    """PySide6 builds every QWidget subclass (QWizard's WizardButton among their enums) the
    first time Python wraps a widget Qt made itself as a plain QWidget*, such as a scroll
    area's viewport: work the first paint must not wait for."""
    probe = enum_probe(
        "WizardButton",
        "from PySide6.QtWidgets import QTextBrowser; QTextBrowser().viewport()",
        sample_library,
    )
    done = run(["-c", probe], isolated_settings)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "made: 0 1"


def test_baseline_reports_its_first_paint(isolated_settings):
    done = run([str(ROOT / "bench" / "baseline.py")], isolated_settings)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1].startswith("startup: first paint")


def test_generated_library_is_deterministic_and_opens(tmp_path):
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from generate_library import ensure
    finally:
        sys.path.remove(str(ROOT / "bench"))
    from viewer.library.folder import Library

    for name in ("a", "b"):
        assert ensure(tmp_path / name, topics=40, folders=4, seed=3)
    assert not ensure(tmp_path / "a", topics=40, folders=4, seed=3)  # up to date: kept
    files = sorted(
        p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file()
    )
    assert files == sorted(
        p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file()
    )
    for rel in files:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes()
    library = Library(tmp_path / "a")
    assert len(library.topics) == 40 and not library.problems
    assert library.topics[0].id != "huge-1mb"  # the huge topic is never the first page
