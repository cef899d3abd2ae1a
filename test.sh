#!/usr/bin/env bash
# Set up (as run.sh does) and run the whole test suite, offscreen. Extra options go to pytest.
set -euo pipefail
cd "$(dirname "$0")"
./run.sh --setup-only
export QT_QPA_PLATFORM=offscreen
echo "Running the test suite offscreen (about a minute on 2 cores)…" >&2
exec .venv/bin/python -m pytest "$@"
