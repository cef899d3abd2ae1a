#!/usr/bin/env bash
# Build the desktop app with PyInstaller: dist/cloudref/ (one folder, the `cloudref` executable
# inside) and, on Linux, dist/cloudref-linux-<arch>.tar.gz, which unpacks to a folder that
# installs itself with `cloudref/install-linux.sh`.
#
#   packaging/build.sh           build (reuses .venv-build and PyInstaller's work in build/)
#   packaging/build.sh --clean   build from scratch, as CI does
#
# Dependencies and PyInstaller live in a virtual environment of their own, .venv-build
# (CLOUDREF_BUILD_VENV=DIR picks another), so the build never changes .venv. PyInstaller's
# cache goes to build/ too, so nothing is kept in ~/.cache. On Linux, packaging/package-linux.sh
# then writes the .tar.gz, the .deb and SHA256SUMS, reproducibly (times from the last commit).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=${CLOUDREF_BUILD_VENV:-.venv-build}
STAMP="$VENV/.cloudref-build-installed"
CLEAN=()
[ "${1:-}" = "--clean" ] && CLEAN=(--clean)
started=$(date +%s)

if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
    echo "build: Cloudref needs Python 3.10 or newer as '$PYTHON' (set PYTHON=... to choose one)." >&2
    exit 1
fi
if [ ! -x "$VENV/bin/python" ]; then
    echo "build: setting up $VENV…" >&2
    "$PYTHON" -m venv "$VENV"
fi
want="$(sha1sum pyproject.toml | cut -c1-40)"
if [ "$(cat "$STAMP" 2>/dev/null)" != "$want" ]; then
    echo "build: installing the app's dependencies and PyInstaller into $VENV…" >&2
    if ! { "$VENV/bin/python" -m pip install --upgrade pip &&
           "$VENV/bin/python" -m pip install -e ".[package]"; } > "$VENV/install.log" 2>&1; then
        cat "$VENV/install.log" >&2
        echo "build: installing into $VENV failed (log above)" >&2
        exit 1
    fi
    echo "$want" > "$STAMP"
fi

mkdir -p build
# Times inside the build (base_library.zip's entries, the .deb and .tar.gz) from the last
# commit, so two builds of one commit are the same bytes.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}
# Byte code marshals sets in hash order: one seed, one order.
export PYTHONHASHSEED=0
export PYINSTALLER_CONFIG_DIR="$PWD/build/pyinstaller-config"
echo "build: running PyInstaller (log: build/pyinstaller.log)…" >&2
if ! "$VENV/bin/python" -m PyInstaller --noconfirm "${CLEAN[@]}" --log-level WARN \
        --distpath dist --workpath build packaging/cloudref.spec > build/pyinstaller.log 2>&1; then
    tail -n 40 build/pyinstaller.log >&2
    echo "build: PyInstaller failed (the end of build/pyinstaller.log is above)" >&2
    exit 1
fi

APP=dist/cloudref
if [ "$(uname -s)" = Linux ]; then
    # What a Linux desktop needs beside the program, laid out as under ~/.local/share, so
    # install-linux.sh can copy it from the unpacked archive as well as from a checkout.
    APP_ID=io.github.cloudref.Cloudref
    share="$APP/share"
    rm -rf "$share"
    install -Dm644 "packaging/$APP_ID.desktop" "$share/applications/$APP_ID.desktop"
    install -Dm644 "packaging/$APP_ID.metainfo.xml" "$share/metainfo/$APP_ID.metainfo.xml"
    install -Dm644 packaging/icons/cloudref.svg "$share/icons/hicolor/scalable/apps/$APP_ID.svg"
    for png in build/cloudref/icons/png/*.png; do
        size=$(basename "$png" .png)
        install -Dm644 "$png" "$share/icons/hicolor/${size}x${size}/apps/$APP_ID.png"
    done
    install -m755 packaging/install-linux.sh "$APP/install-linux.sh"
    install -m644 LICENSE "$APP/LICENSE"

    echo "build: glibc floor and system libraries (packaging/bundle_elf.py)…" >&2
    "$VENV/bin/python" packaging/bundle_elf.py floor "$APP" >&2
    packaging/package-linux.sh "$APP"
fi
echo "build: $APP  $(du -sh "$APP" | cut -f1) on disk, in $(( $(date +%s) - started )) s" >&2
