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
if [ ! -x "$VENV/bin/python" ]; then
    echo "Setting up $VENV (first run only)…" >&2
    "$PYTHON" -m venv "$VENV" || {
        echo "Could not create a virtual environment. On Debian/Ubuntu: sudo apt install python3-venv" >&2
        exit 1
    }
fi
if [ "$(cat "$STAMP" 2>/dev/null)" != "$want" ]; then
    echo "Installing Cloudref and its dependencies into $VENV…" >&2
    # The log is shown only if something fails: a working install has nothing to say.
    if ! { "$VENV/bin/python" -m pip install --upgrade pip &&
           "$VENV/bin/python" -m pip install -e ".[test]"; } > "$VENV/install.log" 2>&1; then
        cat "$VENV/install.log" >&2
        echo "Installing the dependencies failed (log above, also in $VENV/install.log)." >&2
        exit 1
    fi
    echo "$want" > "$STAMP"
fi
if [ "${1:-}" = "--setup-only" ]; then
    exit 0
fi
exec "$VENV/bin/python" main.py "$@"
