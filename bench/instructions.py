"""Instructions to the first paint: `python bench/instructions.py [--content DIR] [TOPIC]`.

Wall-clock start-up times move with whatever else the machine does; the number of instructions
a start runs does not. This counts them with Valgrind's callgrind (`apt install valgrind`) for
a usual start (the caches of a previous run, bytecode written) of the source tree given by
`--tree` (default: this checkout), up to its first paint: the process ends there, so neither
the work after the paint nor the exit is counted. `--tree` at another commit's checkout (a git
worktree) measures a change against it on the same library. About a minute a run.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Runs in the measured process: main.py, ended right after the first-paint report.
RUNNER = """
import os, runpy, sys
sys.path.insert(0, os.getcwd())
import viewer.startup as startup
_report = startup.report_when_painted
def _and_exit(window, start):
    _report(window, start)
    window.first_painted.connect(lambda: (sys.stdout.flush(), os._exit(0)))
startup.report_when_painted = _and_exit
sys.argv = ["main.py", *sys.argv[1:]]
runpy.run_path("main.py", run_name="__main__")
"""


def count(tree: Path, content: Path, topic: str | None) -> int:
    """Instructions `tree`'s main.py runs to its first paint, caches warm."""
    with tempfile.TemporaryDirectory(prefix="cloudref-instructions-") as home:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        for name in ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME"):
            env[name] = str(Path(home) / name.lower())
        args = ["--startup-report", "--content", str(content)]
        args += [topic] if topic else []
        python = sys.executable
        subprocess.run([python, "-m", "compileall", "-q", "viewer"], cwd=tree, env=env, check=True)
        warm = [python, str(ROOT / "bench" / "run.py"), "--worker", "warm"]
        warm += ["--content", str(content)]
        subprocess.run(warm, cwd=ROOT, env=env, capture_output=True)  # the whole scan, pages
        for _run in range(2):  # then the usual start's own caches
            subprocess.run([python, "main.py", *args], cwd=tree, env=env, capture_output=True)
        runner = Path(home) / "to_first_paint.py"
        runner.write_text(RUNNER, encoding="utf-8")
        out = Path(home) / "callgrind.out"
        done = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"]
            + [python, str(runner), *args],
            cwd=tree,
            env=env,
            capture_output=True,
            text=True,
        )
        found = re.search(r"Collected : (\d+)", done.stderr)
        if done.returncode != 0 or not found:
            raise SystemExit(f"callgrind run failed:\n{done.stderr[-2000:]}")
        return int(found.group(1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("topic", nargs="?", help="the topic to start on (default: the first)")
    parser.add_argument(
        "--content",
        type=Path,
        default=ROOT / "content",
        help="library folder (default: this checkout's notes, whichever tree is measured)",
    )
    parser.add_argument("--tree", type=Path, default=ROOT, help="source tree to measure")
    args = parser.parse_args()
    instructions = count(args.tree.resolve(), args.content.resolve(), args.topic)
    print(f"{instructions / 1e6:.1f} M instructions to the first paint ({args.tree})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
