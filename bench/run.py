"""The benchmark of issues 8 and 21, in one command: `python bench/run.py` (about two minutes
on 2 cores).

Prints one table: cold start (usual and first-ever) beside a bare-PySide6 baseline, topic
switch (jumps, and Ctrl+PgDown through never-visited topics with a reader's pauses), the
longest freeze of a first start, when the search index is ready, search as you type, peak
memory and PDF export, for our library and for
the generated 5,000-topic one (`bench/generate_library.py`, written to `bench/out/`), each with
its budget and PASS/FAIL. Everything runs offscreen (`QT_QPA_PLATFORM=offscreen`) with
throw-away settings and cache folders, and no extra packages.

Measurements that need the window run in a child process of this script (`--worker ...`), so
peak RSS is the figure of one window and nothing else.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
OURS = ROOT / "content"
BIG = OUT / "lib5000"
GUIDE = OUT / "guide400"  # bench/generate_guide.py: a 400-page guide with a nested index.md
HUGE_TOPIC = "huge-1mb"
PAINTED = "startup: first paint"
QUERIES = ("fargate task", "lambda timeout", "bucket policy", "autoscaling group", "cold start")

BUDGETS = {
    ("cold start ratio", "ours"): 1.3,
    ("cold start ratio", "5000"): 1.6,
    ("topic switch median", "ours"): 16.0,
    ("topic switch median", "5000"): 16.0,
    ("next topic p95, first visits", "ours"): 16.0,
    ("next topic p95, first visits", "5000"): 16.0,
    ("topic switch 1 MB", "5000"): 150.0,
    ("longest freeze, 1 MB load", "5000"): 100.0,
    ("first-ever start ratio", "ours"): 1.4,
    ("first-ever start ratio", "5000"): 2.0,
    ("longest freeze, first-ever start", "ours"): 50.0,
    ("longest freeze, first-ever start", "5000"): 50.0,
    ("search index ready", "5000"): 3000.0,
    ("search p95 per keystroke", "ours"): 30.0,
    ("search p95 per keystroke", "5000"): 15.0,
    ("peak RSS", "ours"): 200.0,
    ("peak RSS", "5000"): 400.0,
    ("export whole library to PDF", "ours"): 3000.0,
    ("open Study, 5,000 due cards", "cards5000"): 100.0,
    ("grade a card", "cards5000"): 5.0,
    ("--list", "guide400"): 300.0,
    ("cold start ratio", "guide400"): 1.6,
    ("--check", "guide400"): 3000.0,
    ("export --all to PDF", "guide400"): 15000.0,
    ("export peak RSS", "guide400"): 400.0,
    ("longest freeze while the deck is made", "cards5000"): 50.0,
    ("hand-off: page after connect", "ours"): 50.0,
    ("hostile topic: longest freeze", "hostile"): 100.0,
    ("hostile topic: --check", "hostile"): 3000.0,
}
STUDY = OUT / "cards5000"


def write_card_library(root: Path, topics: int = 500, per_topic: int = 10) -> Path:
    """A library whose topics hold `topics` × `per_topic` flashcards, all new (so all due)."""
    if (root / "done").is_file():
        return root
    for t in range(topics):
        folder = root / f"part{t // 100}"
        folder.mkdir(parents=True, exist_ok=True)
        lines = [f"# Topic {t}", "", "Some text before the cards.", "", "## Check yourself", ""]
        lines += [
            f"What is fact {i} of topic {t}?::Answer {i} of topic {t}." for i in range(per_topic)
        ]
        (folder / f"topic{t}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "done").write_text("", encoding="utf-8")
    return root


def _timed_command(cmd: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall ms, CPU ms and peak RSS MB of one command, run by a fresh Python that measures
    its only child (so no earlier child's peak counts)."""
    probe = (
        "import resource, subprocess, sys, time\n"
        "t0 = time.perf_counter()\n"
        "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
        "wall = 1000 * (time.perf_counter() - t0)\n"
        "use = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(code, wall, 1000 * (use.ru_utime + use.ru_stime), use.ru_maxrss / 1024)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, *cmd], cwd=ROOT, env=env, capture_output=True, text=True
    )
    code, wall, cpu, rss = done.stdout.split()
    if int(code) != 0 and "--check" not in cmd:
        raise RuntimeError(f"exit {code}: {' '.join(cmd)}")
    return float(wall), float(cpu), float(rss)


def bench_guide(table: Table, home: Path, runs: int) -> None:
    """Issue 19's rows: a documentation folder opened as a book (`bench/generate_guide.py`)."""
    from generate_guide import ensure as ensure_guide  # noqa: E402 - bench/ is on sys.path

    made = ensure_guide(GUIDE)
    print(f"400-page guide: {GUIDE.relative_to(ROOT)} ({'generated' if made else 'reused'})")
    python, main_py = sys.executable, str(ROOT / "main.py")
    env = child_env(home / "guide")
    app = [python, main_py, "--startup-report", "--content", str(GUIDE)]
    baseline = [python, str(ROOT / "bench" / "baseline.py")]
    listing = [python, main_py, "--content", str(GUIDE), "--list"]
    timed_start(app, env)  # fills the heads, snapshot and page caches of the usual start
    walls: dict[str, list[float]] = {"baseline": [], "app": [], "list": []}
    cpu_list: list[float] = []
    for _ in range(runs):
        walls["baseline"].append(timed_start(baseline, env)[0])
        walls["app"].append(timed_start(app, env)[0])
        wall, cpu, _rss = _timed_command(listing, env)
        walls["list"].append(wall)
        cpu_list.append(cpu)
    base = statistics.median(walls["baseline"])
    table.add(
        "--list",
        "guide400",
        walls["list"],
        "ms",
        "whole process, usual start (caches filled);"
        f" CPU median {statistics.median(cpu_list):.0f} ms",
    )
    table.add("cold start (wall)", "guide400", walls["app"], "ms", "usual start, index.md order")
    table.add(
        "cold start ratio",
        "guide400",
        [w / base for w in walls["app"]],
        "×",
        f"app / baseline ({base:.0f} ms), wall medians",
        figure=statistics.median(walls["app"]) / base,
    )
    checks, check_cpu = [], []
    for _ in range(3):
        wall, cpu, _rss = _timed_command([python, main_py, "--check", str(GUIDE)], env)
        checks.append(wall)
        check_cpu.append(cpu)
    table.add(
        "--check",
        "guide400",
        checks,
        "ms",
        f"whole process; CPU median {statistics.median(check_cpu):.0f} ms",
    )
    out = home / "guide.pdf"
    exports, export_cpu, peaks = [], [], []
    for _ in range(2):
        wall, cpu, rss = _timed_command(
            [python, main_py, "--content", str(GUIDE), "--export-pdf", str(out), "--all"], env
        )
        exports.append(wall)
        export_cpu.append(cpu)
        peaks.append(rss)
    pages = ""
    try:
        from pypdf import PdfReader

        pages = f", {len(PdfReader(out).pages)} pages"
    except Exception:  # noqa: BLE001 - the page count is a note only
        pass
    table.add(
        "export --all to PDF",
        "guide400",
        exports,
        "ms",
        f"whole process, {out.stat().st_size // 1024} KB{pages}; CPU median"
        f" {statistics.median(export_cpu):.0f} ms",
    )
    table.add("export peak RSS", "guide400", peaks, "MB", "max RSS of the export process")


def bench_handoff(table: Table, home: Path, runs: int) -> None:
    """Issue 21's warm hand-off: a window runs on our library; `main.py TOPIC` is launched again
    and gives the topic to it. Twice: topics never opened before (empty page cache), then, in a
    new window, the same topics as an earlier run left them in the page cache (the usual case,
    as for the usual start). Clocks: `time.monotonic`, one clock for every process here."""
    env = child_env(home / "handoff")
    for label, budget_key in (("never opened", None), ("page cache", "")):
        figures = _handoffs(env, max(runs, 5))
        key = "hand-off: page after connect"
        table.add(
            f"{key} ({label})",
            "ours",
            figures["connect_to_page"],
            "ms",
            "connection accepted → the topic's page painted in the running window, a new topic"
            f" each run; of it, the hand-off itself (to open_topic) median"
            f" {statistics.median(figures['overhead']):.1f} ms",
            budget_key=key if budget_key is not None else "-",
        )
    table.add(
        "hand-off: start to page",
        "ours",
        figures["start_to_page"],
        "ms",
        "second `main.py TOPIC` spawned → the page painted in the running window (page cache)",
    )
    table.add(
        "hand-off: second process",
        "ours",
        figures["walls"],
        "ms",
        "the second launch's whole wall time, spawn to exit 0 (no Qt loaded)",
    )


def _handoffs(env: dict[str, str], runs: int) -> dict[str, list[float]]:
    """`runs` second launches, each for another topic, into a window started as `main` starts
    it (`worker_handoff`)."""
    python, main_py = sys.executable, str(ROOT / "main.py")
    worker = subprocess.Popen(
        [python, str(Path(__file__).resolve()), "--worker", "handoff", "--content", str(OURS)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        bufsize=1,
    )
    figures: dict[str, list[float]] = {
        "connect_to_page": [],
        "overhead": [],
        "start_to_page": [],
        "walls": [],
    }
    try:
        ready = json.loads(_next_line(worker, "ready: "))
        if not ready["listening"]:
            raise RuntimeError("the window does not listen for second launches")
        time.sleep(3)  # what the window does after its first paint (index, scan) is over
        topics = [t for t in ready["topics"] if t != ready["topic"]]
        for run in range(runs):
            topic = topics[run % len(topics)]
            t0 = time.monotonic()
            done = subprocess.run([python, main_py, topic], cwd=ROOT, env=env, capture_output=True)
            figures["walls"].append(1000 * (time.monotonic() - t0))
            if done.returncode != 0:
                raise RuntimeError(f"second launch exit {done.returncode}: {done.stderr[-300:]}")
            event = json.loads(_next_line(worker, "event: "))
            if event["topic"] != topic:
                raise RuntimeError(f"the window showed {event['topic']}, not {topic}")
            figures["connect_to_page"].append(1000 * (event["painted"] - event["accepted"]))
            figures["overhead"].append(1000 * (event["opening"] - event["accepted"]))
            figures["start_to_page"].append(1000 * (event["painted"] - t0))
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    return figures


def _next_line(proc: subprocess.Popen, prefix: str) -> str:
    """The rest of the child's next output line starting with `prefix`."""
    for line in proc.stdout:
        if line.startswith(prefix):
            return line[len(prefix) :]
    raise RuntimeError(f"the hand-off window exited ({proc.wait()}) before '{prefix}'")


HOSTILE_BYTES = 200_000


def hostile_library(folder: Path) -> Path:
    """A library with one 200 KB adversarial topic: every pathological pattern of issue 15 that
    stays within the budgets (so it is rendered, not refused), mixed, plus a fine topic."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "fine.md").write_text("# Fine\n\nA topic that works.\n", encoding="utf-8")
    parts = [
        "[a](b " * 1500,  # links that never close, one long line
        "\n".join(["[a](b "] * 1500),  # the same over many lines: one long paragraph
        "[" * 6000,
        "![" * 6000,
        "<a " * 4000,
        "[" * 400 + "x" + "]" * 400 + "(y)",
        "`" + "[a](b " * 1000,
        "".join("  " * level + "- item\n" for level in range(70)),
        "| a | b | c |\n|---|---|---|\n"
        + "".join(f"| {n} | *{n}* | [x](y) |\n" for n in range(1500)),
        "\n".join(f"*[A{n}]: abbreviation" for n in range(60)),
    ]
    text, index = "# Hostile\n\n", 0
    while len(text.encode()) < HOSTILE_BYTES:
        text += parts[index % len(parts)] + "\n\n"
        index += 1
    (folder / "hostile.md").write_text(text[:HOSTILE_BYTES], encoding="utf-8")
    return folder


# -- the child processes ---------------------------------------------------------------------
def child_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    # Sockets of hand-off windows in a folder of the run's own: never a user's open window.
    runtime = home / "run"
    runtime.mkdir(mode=0o700, parents=True, exist_ok=True)
    env["XDG_RUNTIME_DIR"] = str(runtime)
    env["QT_QPA_PLATFORM"] = env.get("BENCH_QPA", "offscreen")
    env["XDG_CONFIG_HOME"] = str(home / "config")
    env["XDG_CACHE_HOME"] = str(home / "cache")
    env["XDG_DATA_HOME"] = str(home / "data")
    env["HOME"] = str(home)
    # Bytecode as an installed app has it (pip and PyInstaller compile it): the uncounted first
    # run writes what is missing. Any value at all, even "0", would stop Python writing it.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def timed_start(cmd: list[str], env: dict[str, str]) -> tuple[float, dict[str, float]]:
    """Wall ms from spawn to the `first paint` line, and the phases the process printed."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        bufsize=1,
    )
    wall = None
    phases: dict[str, float] = {}
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith(PAINTED) and wall is None:
            wall = 1000 * (time.perf_counter() - t0)
        if line.startswith("startup: "):
            name, value = line[len("startup: ") :].rsplit(" ", 2)[:2]
            phases[name] = float(value)
    proc.wait(timeout=60)
    if wall is None:
        raise RuntimeError(f"no '{PAINTED}' line from: {' '.join(cmd)} (exit {proc.returncode})")
    return wall, phases


def run_worker(
    kind: str, library: Path, env: dict[str, str], *extra: str, timeout: float = 240
) -> dict:
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        kind,
        "--content",
        str(library),
        *extra,
    ]
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    for line in reversed(done.stdout.splitlines()):
        if line.startswith("result: "):
            return json.loads(line[len("result: ") :])
    raise RuntimeError(f"worker {kind} failed (exit {done.returncode}):\n{done.stderr[-3000:]}")


# -- workers (run inside the child) ----------------------------------------------------------
def _rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _window(library: Path, *, defer: bool = False):
    """The window on `library`, shown; `defer`: as `main` starts it (the rest after the first
    paint)."""
    sys.path.insert(0, str(ROOT))
    from PySide6.QtWidgets import QApplication

    from viewer.app import build_window

    window = build_window(["--content", str(library)], defer=defer)
    window.show()
    if not defer:
        QApplication.processEvents()
    return window, QApplication.instance()


def worker_switch(library: Path, sample: int) -> dict:
    """Every topic (or an even sample), opened through the window; then peak RSS."""
    window, app = _window(library)
    topics = [t.id for t in window.library.topics]
    chosen = (
        topics
        if sample <= 0 or sample >= len(topics)
        else [topics[i * len(topics) // sample] for i in range(sample)]
    )
    chosen = [t for t in chosen if t != HUGE_TOPIC]
    if (
        window.current is not None and window.current.id in chosen
    ):  # opening the shown topic is no switch
        chosen.remove(window.current.id)
        chosen.append(window.current.id)
    times = []
    for topic_id in chosen:
        t0 = time.perf_counter()
        window.open_topic(topic_id)
        window.page.document().size()  # forces the whole layout
        times.append(1000 * (time.perf_counter() - t0))
        app.processEvents()
    result = {"switch": times, "opened": len(chosen), "total": len(topics)}
    if HUGE_TOPIC in topics:
        from PySide6.QtCore import QTimer

        huge, whole, gaps = [], [], []
        for _ in range(3):
            window.open_topic(chosen[0])
            app.processEvents()
            t0 = time.perf_counter()
            window.open_topic(HUGE_TOPIC)
            window.page.document().size()
            huge.append(1000 * (time.perf_counter() - t0))
            # The rest arrives piece by piece in idle time: how long until all of it is there,
            # and the longest the event loop went without running a 10 ms timer meanwhile.
            ticks = [time.perf_counter()]
            timer = QTimer()
            timer.setInterval(10)
            timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
            timer.start()
            while window.loader.busy:
                app.processEvents()
            timer.stop()
            whole.append(1000 * (time.perf_counter() - t0))
            ticks.append(time.perf_counter())
            gaps.append(1000 * max(b - a for a, b in zip(ticks, ticks[1:])))
        result["huge"] = huge
        result["huge_whole"] = whole
        result["huge_gap"] = gaps
    result["rss"] = _rss_mb()
    return result


def worker_warm(library: Path) -> dict:
    """A session as a reader's first: started as `main` starts it, left open until the work
    after the first paint is done (the whole scan, the pages near the start), then closed."""
    window, app = _window(library, defer=True)
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < 120:
        prefetcher = getattr(window, "prefetcher", None)  # (a build without one: 3 s)
        done = prefetcher.idle if prefetcher is not None else time.perf_counter() - t0 > 3
        if done and not window.library.remembered:
            break
        app.processEvents()
        time.sleep(0.002)
    window.close()
    return {"seconds": time.perf_counter() - t0}


STEP_IDLE_SECONDS = 0.5  # the most a reader is given between two Ctrl+PgDown steps


def worker_step(library: Path, steps: int) -> dict:
    """Ctrl+PgDown through topics never opened before, as a reader skimming would.

    The window starts as `main` starts it, on an empty cache folder (no page was ever rendered),
    and, once the library is read whole (a first start of a large one reads it after the first
    paint), steps from its start topic to the next topic in the tree, `steps` times. Between two
    steps the event loop runs (the reader reads) until the window's prefetcher has nothing left
    to do, or STEP_IDLE_SECONDS at most. A step is timed from the action to its page laid out
    and painted; the 1 MB topic, shown piece by piece, is stepped over untimed.
    """
    from PySide6.QtWidgets import QApplication

    window, app = _window(library, defer=True)
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < 60 and (
        window.library.remembered  # a first start's whole scan of a large library: wait for it
        or (getattr(window, "prefetcher", None) is None and time.perf_counter() - t0 < 3)
    ):
        app.processEvents()  # the start's steps, up to the prefetcher (a build without one: 3 s)
        time.sleep(0.001)
    prefetcher = getattr(window, "prefetcher", None)
    viewport = window.page.viewport()  # its first wrapping costs ~8 ms: not in a step
    step = window.actions_by_name["next_topic"]
    times: list[float] = []
    waits: list[float] = []
    while len(times) < steps:
        t1 = time.perf_counter()
        while time.perf_counter() - t1 < STEP_IDLE_SECONDS and not (
            prefetcher is not None and prefetcher.idle
        ):
            app.processEvents()
            time.sleep(0.001)
        app.processEvents()
        waits.append(1000 * (time.perf_counter() - t1))
        following = window.library.neighbour(window.current, 1)
        if following is None:
            break
        if following.id == HUGE_TOPIC:
            step.trigger()
            window.loader.finish_now()
            QApplication.processEvents()
            continue
        t2 = time.perf_counter()
        step.trigger()
        window.page.document().size()  # the whole layout
        viewport.repaint()  # the first screen of it painted, pictures drawn
        times.append(1000 * (time.perf_counter() - t2))
    return {"step": times, "waits": waits}


def worker_search(library: Path) -> dict:
    """The window's own search: longest UI freeze while its index builds, then time per keystroke.

    The window starts as `main` starts it: what waits for the first paint (search panel, library
    rescan, watcher, Comparison tab, name matcher, Markdown converter) runs while the index builds
    from scratch (the worker gets an empty cache folder). A 10 ms timer ticks on the GUI thread
    from the show on; the longest gap between ticks is the longest the window could not respond.
    """
    try:
        import viewer.search.index  # noqa: F401
    except ImportError:
        return {"available": False, "why": "search not available (viewer/search.py missing)"}
    from PySide6.QtCore import QElapsedTimer, QTimer

    window, app = _window(library, defer=True)

    clock = QElapsedTimer()
    clock.start()
    gaps: list[float] = []
    last = [clock.nsecsElapsed()]

    def tick() -> None:
        now = clock.nsecsElapsed()
        gaps.append((now - last[0]) / 1e6)
        last[0] = now

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    timer.start()
    t0 = time.perf_counter()
    while (
        window._search_panel is None and time.perf_counter() - t0 < 30
    ):  # built after the first paint
        app.processEvents()
        time.sleep(0.002)
    panel = window.search_panel
    while not panel.is_ready() and time.perf_counter() - t0 < 200:
        app.processEvents()
        time.sleep(0.002)
    index_ms = 1000 * (time.perf_counter() - t0)
    ready = panel.is_ready()
    for _ in range(5):  # a few ticks after the end
        app.processEvents()
        time.sleep(0.01)
    timer.stop()
    per_key = []
    for query in QUERIES:
        for n in range(1, len(query) + 1):
            t1 = time.perf_counter()
            panel.box.setText(query[:n])
            panel.run_query()  # what the debounce timer calls; its deliberate wait is not counted
            per_key.append(1000 * (time.perf_counter() - t1))
            app.processEvents()
    return {
        "available": True,
        "ready": ready,
        "freeze": max(gaps) if gaps else 0.0,
        "index_ms": index_ms,
        "per_key": per_key,
    }


def _first_card_shown(window) -> bool:
    view = window.study._view
    return view is not None and window.tabs.currentWidget() is view and view.card is not None


def _ticking():
    """A 10 ms timer on the GUI thread, and the (end, gap) of each tick: a long gap is a time
    the window could not respond."""
    from PySide6.QtCore import QTimer

    ticks: list[tuple[float, float]] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        ticks.append((now, 1000 * (now - last[0])))
        last[0] = now

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    timer.start()
    return timer, ticks


def _wait(app, done, limit: float = 60) -> None:
    from PySide6.QtCore import QEventLoop

    t0 = time.perf_counter()
    while not done() and time.perf_counter() - t0 < limit:
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)


def worker_study(library: Path) -> dict:
    """The window as `main` starts it: the deck is made on a worker thread after the first
    paint (`StudyTab.prepare`) — how long, the time its two steps take on the GUI thread, and
    the longest gap between 10 ms ticks of the GUI thread from then until the deck is in (the
    start's other work, the watcher and the search index, runs meanwhile too). Once the start
    has settled, the deck made again as a changed library has it made, the longest gap alone.
    Then Ctrl+3 to the first card shown, and grades, each through the pane as a key would
    (reveal, grade, next card)."""
    from viewer.ui import study_tab

    marks: dict[str, float] = {}
    gui: list[float] = []

    def timed(method):
        def run(self, *args) -> None:
            t0 = time.perf_counter()
            marks.setdefault(method.__name__, t0)
            method(self, *args)
            gui.append(1000 * (time.perf_counter() - t0))

        return run

    study_tab.StudyTab.prepare = timed(study_tab.StudyTab.prepare)
    study_tab.StudyTab._take_deck = timed(study_tab.StudyTab._take_deck)
    window, app = _window(library, defer=True)
    timer, ticks = _ticking()
    _wait(app, lambda: window.study.ready)
    ready = time.perf_counter()
    for _ in range(3):  # the tick after the deck came in
        app.processEvents()
        time.sleep(0.011)
    timer.stop()
    start = marks["prepare"]
    freeze = max((gap for end, gap in ticks if end > start and end - gap / 1000 < ready), default=0)
    gui_ms = sum(gui)
    settle = time.perf_counter()
    while time.perf_counter() - settle < 3:  # the watcher, search index and rescan finish
        app.processEvents()
        time.sleep(0.005)
    old = window.study.deck
    timer, ticks = _ticking()
    window.study.library_changed()  # what a saved file does: the deck made again, in the back
    _wait(app, lambda: window.study.ready and window.study.deck is not old)
    for _ in range(3):
        app.processEvents()
        time.sleep(0.011)
    timer.stop()
    again = max((gap for _end, gap in ticks), default=0)
    window.page.setFocus()
    app.processEvents()
    t0 = time.perf_counter()
    window.actions_by_name["show_study"].trigger()
    _wait(app, lambda: _first_card_shown(window))
    open_ms = 1000 * (time.perf_counter() - t0)
    view = window.study.view
    due = window.study.deck.due_count()
    grades = []
    for i in range(60):
        view.reveal()
        t0 = time.perf_counter()
        view.grade(1 + i % 4)
        grades.append(1000 * (time.perf_counter() - t0))
    return {
        "read": 1000 * (ready - start),
        "freeze": freeze,
        "gui": gui_ms,
        "again": again,
        "open": open_ms,
        "due": due,
        "grades": grades,
    }


def worker_study_key(library: Path) -> dict:
    """Ctrl+3 pressed as soon as the window shows, before anything is read: from the key to
    the first card on show (the cards read on a worker thread, the review log opened, the pane
    built), while the start's other steps run too; the longest gap between 10 ms ticks."""
    window, app = _window(library)
    window.page.setFocus()
    app.processEvents()
    timer, ticks = _ticking()
    t0 = time.perf_counter()
    window.actions_by_name["show_study"].trigger()
    _wait(app, lambda: _first_card_shown(window))
    open_ms = 1000 * (time.perf_counter() - t0)
    timer.stop()
    return {
        "open": open_ms,
        "due": window.study.deck.due_count(),
        "freeze": max((gap for _end, gap in ticks), default=0),
    }


def worker_handoff(library: Path) -> None:
    """The running window of the hand-off row, started as `main` starts it and listening after
    its first paint; prints `ready: {...}` once listening, then `event: {...}` per topic a
    second launch brought (monotonic seconds), until terminated."""
    window, app = _window(library, defer=True)
    from viewer.ui.handoff import HandoffReceiver

    state: dict = {}

    def listen() -> None:
        receiver = state["receiver"] = HandoffReceiver(window)
        receiver.server.accepted.connect(lambda: state.update(accepted=time.monotonic()))
        window.topic_shown.connect(lambda topic_id: state.update(shown=topic_id))
        topics = [t.id for t in window.library.topics]
        ready = {"listening": receiver.listening, "topic": window.current.id, "topics": topics}
        print("ready: " + json.dumps(ready), flush=True)

    def painted() -> None:
        if "shown" in state and "accepted" in state:
            event = {"topic": state.pop("shown"), "accepted": state.pop("accepted")}
            event["painted"], event["opening"] = time.monotonic(), state.pop("opening")
            print("event: " + json.dumps(event), flush=True)

    open_topic = window.open_topic

    def opening(*args, **kwargs) -> bool:  # when the hand-off is done and the page switch starts
        state["opening"] = time.monotonic()
        return open_topic(*args, **kwargs)

    window.open_topic = opening
    window.first_painted.connect(listen)
    window.page.painted.connect(painted)
    app.exec()


def worker_hostile(library: Path) -> dict:
    """The longest the event loop goes without running a 10 ms timer while the hostile topic
    opens (from the click to its last piece), three times, from the fine topic each time.
    The first click comes once the work after the start is done, as a reader's would."""
    from PySide6.QtCore import QTimer

    window, app = _window(library)
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < 3 and not (
        getattr(window, "prefetcher", None) is not None
        and window.prefetcher.idle
        and window.loader.warm
    ):
        app.processEvents()
        time.sleep(0.001)
    gaps, whole = [], []
    for _ in range(3):
        window.open_topic("fine")
        app.processEvents()
        ticks = [time.perf_counter()]
        timer = QTimer()
        timer.setInterval(10)
        timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
        timer.start()
        QTimer.singleShot(0, lambda: window.open_topic("hostile"))
        t0 = time.perf_counter()
        app.processEvents()
        while window.current is None or window.current.id != "hostile" or window.loader.busy:
            app.processEvents()
        whole.append(1000 * (time.perf_counter() - t0))
        settle = time.perf_counter() + 0.3  # the paints and layout that follow the last piece
        while time.perf_counter() < settle:
            app.processEvents()
        timer.stop()
        ticks.append(time.perf_counter())
        gaps.append(1000 * max(b - a for a, b in zip(ticks, ticks[1:])))
    shown = window.page.toPlainText()
    return {"gap": gaps, "whole": whole, "error_page": "cannot be shown" in shown}


def worker_main(args: argparse.Namespace) -> int:
    sys.path.insert(0, str(ROOT))
    library = Path(args.content)
    if args.worker == "hostile":
        result = worker_hostile(library)
    elif args.worker == "switch":
        result = worker_switch(library, args.sample)
    elif args.worker == "search":
        result = worker_search(library)
    elif args.worker == "study":
        result = worker_study(library)
    elif args.worker == "warm":
        result = worker_warm(library)
    elif args.worker == "step":
        result = worker_step(library, args.sample)
    elif args.worker == "study-key":
        result = worker_study_key(library)
    elif args.worker == "handoff":
        worker_handoff(library)
        return 0
    else:
        raise SystemExit(f"unknown worker {args.worker}")
    print("result: " + json.dumps(result), flush=True)
    return 0


# -- the table -------------------------------------------------------------------------------
class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, ...]] = []
        self.fails: list[str] = []

    def add(
        self,
        measure: str,
        lib: str,
        values: list[float] | float | None,
        unit: str,
        note: str = "",
        *,
        budget_key: str | None = None,
        figure: float | None = None,
    ) -> None:
        if values is None:
            self.rows.append((measure, lib, "n/a", "", "", "", note))
            return
        if isinstance(values, (int, float)):
            values = [float(values)]
        median = statistics.median(values) if figure is None else figure
        spread = f"{min(values):.1f}–{max(values):.1f}" if len(values) > 1 else ""
        budget = BUDGETS.get((budget_key or measure, lib))
        verdict = ""
        if budget is not None:
            verdict = "PASS" if median <= budget else "FAIL"
            if verdict == "FAIL":
                self.fails.append(f"{measure} ({lib})")
        fmt = "{:.2f}" if unit == "×" else "{:.1f}"
        self.rows.append(
            (
                measure,
                lib,
                fmt.format(median) + f" {unit}",
                spread,
                f"≤ {budget:g} {unit}" if budget is not None else "",
                verdict,
                note,
            )
        )

    def print(self) -> None:
        head = ("measure", "library", "median", "min–max", "budget", "", "notes")
        widths = [max(len(r[i]) for r in [head, *self.rows]) for i in range(len(head))]
        line = "  ".join(h.ljust(w) for h, w in zip(head, widths))
        print(line)
        print("-" * len(line))
        for row in self.rows:
            print("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def bench_hostile(table: Table, home: Path, env: dict[str, str]) -> None:
    """The hostile-topic rows: the window's longest freeze while it opens, `--check` on it."""
    python = sys.executable
    print("hostile topic …", flush=True)
    hostile = hostile_library(home / "hostile")
    result = run_worker("hostile", hostile, env)
    table.add(
        "hostile topic: longest freeze",
        "hostile",
        result["gap"],
        "ms",
        "max gap between 10 ms timer ticks while a 200 KB adversarial topic opens"
        + (" (shown as an error page!)" if result["error_page"] else "")
        + f"; whole topic in {statistics.median(result['whole']):.0f} ms",
    )
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        done = subprocess.run(
            [python, str(ROOT / "main.py"), "--check", str(hostile)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        times.append(1000 * (time.perf_counter() - t0))
    table.add(
        "hostile topic: --check",
        "hostile",
        times,
        "ms",
        f"main.py --check on it, whole process, exit {done.returncode}",
    )


def bench_search(table: Table, home: Path) -> None:
    """The search rows: longest freeze of a first start while the index builds, index ready,
    time per keystroke (issue 21), on both libraries."""
    libs = {"ours": OURS, "5000": BIG}
    print("search …", flush=True)
    for lib in ("ours", "5000"):
        # A cache folder of its own: the index is built from scratch, not loaded.
        result = run_worker("search", libs[lib], child_env(home / f"search-{lib}"))
        if not result.get("available"):
            why = result.get("why", "search not available")
            if lib == "5000":
                table.add("longest freeze, first-ever start", lib, None, "ms", f"TODO: {why}")
            table.add("search p95 per keystroke", lib, None, "ms", f"TODO: {why}")
            continue
        table.add(
            "longest freeze, first-ever start",
            lib,
            result["freeze"],
            "ms",
            "max gap between 10 ms timer ticks from the show until the index is ready,"
            " started as main starts it with empty caches (scan, search index, prefetch)",
        )
        table.add(
            "search index ready",
            lib,
            result["index_ms"] if result["ready"] else None,
            "ms",
            "after the window showed, built from scratch"
            if result["ready"]
            else "index NOT ready after 200 s",
        )
        table.add(
            "search p95 per keystroke",
            lib,
            percentile(result["per_key"], 95),
            "ms",
            f"{len(result['per_key'])} prefixes of {len(QUERIES)} queries; median "
            f"{statistics.median(result['per_key']):.1f} ms",
        )


def _only(rows) -> int:
    """One group of rows on its own (an `--…-only` option), in a temporary home."""
    table = Table()
    with tempfile.TemporaryDirectory(prefix="cloudref-bench-") as tmp:
        rows(table, Path(tmp))
    print()
    table.print()
    print(f"budgets failing: {', '.join(table.fails) if table.fails else 'none'}")
    return 0


def bench(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    if args.handoff_only:
        return _only(lambda table, home: bench_handoff(table, home, args.runs))
    if args.search_only:
        from generate_library import ensure  # noqa: E402 - bench/ is on sys.path

        ensure(BIG)
        return _only(bench_search)
    if args.guide_only:
        return _only(lambda table, home: bench_guide(table, home, args.runs))
    from generate_library import ensure  # noqa: E402 - bench/ is on sys.path as the script's folder

    t0 = time.perf_counter()
    made = ensure(BIG)
    print(
        f"5,000-topic library: {BIG.relative_to(ROOT)} ({'generated in' if made else 'reused,'} "
        f"{time.perf_counter() - t0:.1f} s)",
        flush=True,
    )
    libs = {"ours": OURS, "5000": BIG}
    table = Table()
    with tempfile.TemporaryDirectory(prefix="cloudref-bench-") as tmp:
        home = Path(tmp)
        env = child_env(home)
        python = sys.executable

        if args.hostile_only:
            bench_hostile(table, home, env)
            print()
            table.print()
            return 0

        # 1. Cold start: whole fresh processes, interleaved so drift hits everyone alike. The usual
        # start finds the caches a previous run left (heads, pages, page CSS: one uncounted start
        # of each library fills them), as when the app is opened many times a day; the budget is
        # judged on it. A first-ever start gets empty cache and settings folders every time.
        print(
            f"cold start: {args.runs} runs each of the baseline and the app on both libraries, "
            "usual and first-ever …",
            flush=True,
        )
        app_ours = [python, str(ROOT / "main.py"), "--startup-report"]
        app_big = [*app_ours, "--content", str(BIG)]
        commands = {
            "baseline": [python, str(ROOT / "bench" / "baseline.py")],
            "ours": app_ours,
            "5000": app_big,
            "ours, first": app_ours,
            "5000, first": app_big,
        }
        walls: dict[str, list[float]] = {name: [] for name in commands}
        phases: dict[str, list[dict[str, float]]] = {name: [] for name in commands}
        for lib in ("ours", "5000"):
            run_worker("warm", libs[lib], env)  # fills the caches of the usual start; not counted
        for run in range(args.runs):
            for name, cmd in commands.items():
                first = name.endswith(", first")
                wall, ph = timed_start(
                    cmd, child_env(home / f"first-{run}-{name[:4]}") if first else env
                )
                walls[name].append(wall)
                phases[name].append(ph)
        base = statistics.median(walls["baseline"])
        table.add(
            "cold start (wall)",
            "baseline",
            walls["baseline"],
            "ms",
            "bare PySide6: tree + browser + 1 page",
        )
        for lib in ("ours", "5000"):
            table.add(
                "cold start (wall)",
                lib,
                walls[lib],
                "ms",
                "usual start: the caches of a previous run",
            )
            ratios = [w / base for w in walls[lib]]
            table.add(
                "cold start ratio",
                lib,
                ratios,
                "×",
                "app / baseline, wall medians; the budget's figure",
                figure=statistics.median(walls[lib]) / base,
            )
        for lib in ("ours", "5000"):
            first = walls[f"{lib}, first"]
            table.add(
                "first-ever start (wall)", lib, first, "ms", "empty cache and settings folders"
            )
            table.add(
                "first-ever start ratio",
                lib,
                [w / base for w in first],
                "×",
                "app / baseline, wall medians; the budget's figure",
                figure=statistics.median(first) / base,
            )
        for name in commands:
            order = list(phases[name][0])
            cells = []
            for phase in order:
                values = [p[phase] for p in phases[name] if phase in p]
                cells.append(f"{phase} {statistics.median(values):.0f}")
            table.rows.append(
                ("  in-process phases", name, "", "", "", "", "ms since start: " + ", ".join(cells))
            )

        if args.cold_only:
            print()
            table.print()
            return 0

        # 2 + 4. Topic switch and peak RSS.
        print("topic switch and memory …", flush=True)
        for lib in ("ours", "5000"):
            sample = 0 if lib == "ours" else args.sample
            result = run_worker("switch", libs[lib], env, "--sample", str(sample))
            note = (
                f"all {result['opened']} topics"
                if result["opened"] >= result["total"] - 1
                else f"sample of {result['opened']} of {result['total']} topics, evenly spread"
            )
            table.add("topic switch median", lib, result["switch"], "ms", note)
            table.add("topic switch p95", lib, percentile(result["switch"], 95), "ms")
            if "huge" in result:
                table.add(
                    "topic switch 1 MB",
                    lib,
                    result["huge"],
                    "ms",
                    "open_topic + layout of what is shown: the first piece, 3 runs",
                )
                table.add(
                    "1 MB topic complete",
                    lib,
                    result["huge_whole"],
                    "ms",
                    "until every piece is appended, in idle time",
                )
                table.add(
                    "longest freeze, 1 MB load",
                    lib,
                    result["huge_gap"],
                    "ms",
                    "max gap between 10 ms timer ticks while the rest loads",
                )
            table.add("peak RSS", lib, result["rss"], "MB", f"after opening {note}")

        # Paging through topics never opened before, with a reader's pauses between steps.
        print("next topic, first visits …", flush=True)
        for lib in ("ours", "5000"):
            steps = 100 if lib == "5000" else 40
            result = run_worker(
                "step", libs[lib], child_env(home / f"step-{lib}"), "--sample", str(steps)
            )
            times = result["step"]
            table.add(
                "next topic p95, first visits",
                lib,
                percentile(times, 95),
                "ms",
                f"{len(times)} Ctrl+PgDown steps from the start topic, empty caches, as main"
                f" starts, once the library is read whole; median"
                f" {statistics.median(times):.1f} ms, max {max(times):.1f} ms;"
                " between steps the event loop runs until the prefetcher is idle, at most"
                f" {STEP_IDLE_SECONDS * 1000:.0f} ms"
                f" (median {statistics.median(result['waits']):.0f})",
            )

        # 2 + 3. Freeze while indexing, search as you type.
        bench_search(table, home)

        # 5. Study. The deck is made on a worker thread after the first paint; the first run
        # of a home reads every topic (and fills the card cache), later ones read the cache.
        # Each run gets a new review log, so all 5,000 cards are due.
        print("study …", flush=True)
        cards_lib = write_card_library(STUDY)
        study_home = Path(tempfile.mkdtemp(prefix="bench-study-", dir=home))

        def study_env(run: str) -> dict[str, str]:
            env_run = child_env(study_home)
            env_run["XDG_DATA_HOME"] = str(study_home / f"data-{run}")
            return env_run

        first = run_worker("study", cards_lib, study_env("first"))
        usual = run_worker("study", cards_lib, study_env("usual"))
        early = run_worker("study-key", cards_lib, study_env("early"))
        table.add(
            "open Study, 5,000 due cards",
            "cards5000",
            usual["open"],
            "ms",
            f"Ctrl+3 to the first card shown, {usual['due']} due, the deck made after the first "
            "paint (as main starts the window)",
        )
        table.add(
            "grade a card",
            "cards5000",
            usual["grades"],
            "ms",
            "through the pane: write the log (one transaction), next card, progress, due count",
        )
        for name, result, how in (
            ("first", first, "every topic read and parsed"),
            ("usual", usual, "topics from the card cache"),
        ):
            table.add(
                f"Study deck made, {name} run",
                "cards5000",
                result["read"],
                "ms",
                f"worker thread, after the first paint: {how}, review log opened; its steps "
                f"on the GUI thread {result['gui']:.1f} ms; longest gap between 10 ms ticks "
                f"meanwhile {result['freeze']:.0f} ms, the start's other work included",
            )
        table.add(
            "longest freeze, deck made again",
            "cards5000",
            [first["again"], usual["again"]],
            "ms",
            "max gap between 10 ms ticks while the deck is made again (as a changed library "
            "has it), the start settled: the worker thread's cost to the window",
            budget_key="longest freeze while the deck is made",
        )
        table.add(
            "Ctrl+3 as the window shows",
            "cards5000",
            early["open"],
            "ms",
            f"to the first card, nothing made yet, the start's other steps running too (longest "
            f"freeze {early['freeze']:.0f} ms); no budget: the first card comes when the deck does",
        )

        # 6. Export.
        print("export …", flush=True)
        times = []
        for _ in range(3):
            out = home / "all.pdf"
            t0 = time.perf_counter()
            done = subprocess.run(
                [python, str(ROOT / "main.py"), "--export-pdf", str(out), "--all"],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
            )
            times.append(1000 * (time.perf_counter() - t0))
            if done.returncode != 0 or not out.is_file():
                times = []
                table.add(
                    "export whole library to PDF",
                    "ours",
                    None,
                    "ms",
                    f"failed: exit {done.returncode}: {done.stderr.strip()[-120:]}",
                )
                break
        if times:
            table.add(
                "export whole library to PDF",
                "ours",
                times,
                "ms",
                f"main.py --export-pdf --all, whole process, {out.stat().st_size // 1024} KB",
            )

        print("warm hand-off …", flush=True)
        bench_handoff(table, home, args.runs)

        print("400-page guide …", flush=True)
        bench_guide(table, home, args.runs)

        # 6. A hostile topic (issue 15).
        bench_hostile(table, home, env)

    print()
    table.print()
    print()
    print(f"budgets failing: {', '.join(table.fails) if table.fails else 'none'}")
    print(
        f"benchmark took {time.perf_counter() - started:.0f} s ({os.cpu_count()} CPUs, Python "
        f"{sys.version.split()[0]}, {os.environ.get('BENCH_QPA', 'offscreen')})"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Cloudref benchmark (issue 8)")
    parser.add_argument(
        "--runs", type=int, default=7, help="cold-start runs of each process (default 7)"
    )
    parser.add_argument(
        "--sample", type=int, default=300, help="topics opened in the 5,000-topic library (0: all)"
    )
    parser.add_argument(
        "--cold-only", action="store_true", help="measure cold start only (about 10 s)"
    )
    parser.add_argument(
        "--guide-only", action="store_true", help="only the 400-page guide's rows (issue 19)"
    )
    parser.add_argument(
        "--handoff-only", action="store_true", help="only the warm hand-off rows (issue 21)"
    )
    parser.add_argument(
        "--hostile-only", action="store_true", help="measure the hostile topic only (about 15 s)"
    )
    parser.add_argument(
        "--search-only", action="store_true", help="only the search rows (issue 21)"
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--content", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return worker_main(args)
    return bench(args)


if __name__ == "__main__":
    sys.exit(main())
