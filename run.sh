#!/usr/bin/env bash
# Set up (first run: a virtual environment in .venv with every dependency) and start Cloudref
# with the bundled notes. Options after the script name go to the app: ./run.sh --help
# `./run.sh --setup-only` sets up and exits (test.sh uses it).
set -euo pipefail
cd "$(dirname "$0")"

PYTHON=${PYTHON:-python3}
VENV=.venv
STAMP="$VENV/.cloudref-installed"
want="$(cat pyproject.toml | sha1sum | cut -c1-40)"

if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
    echo "Cloudref needs Python 3.10 or newer as '$PYTHON' (set PYTHON=... to choose one)." >&2
    exit 1
fi
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$STAMP" 2>/dev/null)" != "$want" ]; then
    echo "Setting up Cloudref in $VENV: three steps, about a minute on a first run (most of it" >&2
    echo "downloading PySide6, about 100 MB); later runs start at once." >&2
fi
if [ ! -x "$VENV/bin/python" ]; then
    echo "[1/3] Creating the virtual environment $VENV…" >&2
    "$PYTHON" -m venv "$VENV" || {
        echo "Could not create a virtual environment. On Debian/Ubuntu: sudo apt install python3-venv" >&2
        exit 1
    }
fi
if [ "$(cat "$STAMP" 2>/dev/null)" != "$want" ]; then
    # pip's own progress stays on screen (a quiet install looks hung); the log keeps it too.
    echo "[2/3] Updating pip…" >&2
    "$VENV/bin/python" -m pip install --quiet --upgrade pip --log "$VENV/install.log" >&2 || {
        echo "Updating pip failed (log: $VENV/install.log)." >&2
        exit 1
    }
    echo "[3/3] Installing Cloudref and its dependencies (PySide6, Markdown, Pygments, pypdf; pytest for the tests)…" >&2
    "$VENV/bin/python" -m pip install --progress-bar on -e ".[test]" --log "$VENV/install.log" >&2 || {
        echo "Installing the dependencies failed (log: $VENV/install.log)." >&2
        exit 1
    }
    echo "Set up; Cloudref is ready." >&2
    echo "$want" > "$STAMP"
fi
if [ "${1:-}" = "--setup-only" ]; then
    exit 0
fi
exec "$VENV/bin/python" main.py "$@"
