#!/usr/bin/env bash
# CI: build the Linux desktop app from this clone (fresh virtual environment, no pip or
# PyInstaller cache), then smoke-test the *built executable*, unpacked from the archive into
# another directory and run with an empty environment (no venv, no PYTHONPATH, empty HOME):
#   --version, --list, --search, --compare, --check, the window offscreen up to its first paint,
#   a topic exported to PDF, the install script into a scratch prefix and back out, a web link
#   followed with keys in the window under Xvfb reaching a fake xdg-open with the user's
#   environment (not the bundle's LD_LIBRARY_PATH, _PYI_* or Qt plugin path),
#   the size budget (100 MiB on disk, 40 MiB as the .tar.gz), the glibc floor of every ELF file,
#   a licence text for every bundled distribution, the .deb's contents and metadata (lintian
#   when installed), a run in a chroot holding only the bundle and its declared system
#   libraries, and a second build whose .tar.gz and .deb must be byte for byte the same.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
MAX_DISK_MIB=100
MAX_ARCHIVE_MIB=40

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
fail() { echo "package-smoke: FAIL: $*" >&2; exit 1; }

echo "== package: build (packaging/build.sh --clean, fresh venv, no caches)"
started=$(date +%s)
PIP_NO_CACHE_DIR=1 CLOUDREF_BUILD_VENV="$scratch/venv" packaging/build.sh --clean
echo "package-smoke: build took $(( $(date +%s) - started )) s"

step() { echo "package-smoke: $*"; }
step "a second build of the same commit gives the same archives (SHA256SUMS)"
cp dist/SHA256SUMS "$scratch/SHA256SUMS.first"
CLOUDREF_BUILD_VENV="$scratch/venv" packaging/build.sh --clean
diff "$scratch/SHA256SUMS.first" dist/SHA256SUMS || fail "two builds of one commit differ"
(cd dist && sha256sum -c --quiet SHA256SUMS) || fail "SHA256SUMS does not match the files"

step "glibc floor and system libraries of every ELF file"
"$scratch/venv/bin/python" packaging/bundle_elf.py floor dist/cloudref || fail "the bundle is above its glibc floor"

step "a licence text for every bundled distribution"
for info in dist/cloudref/_internal/*.dist-info; do
    name_version="$(basename "$info" .dist-info)"
    meta_name="$(sed -n 's/^Name: //p' "$info/METADATA" | head -n1)"
    folder="$(ls -d dist/cloudref/_internal/licenses/"$meta_name"-* 2>/dev/null | head -n1)"
    [ -n "$folder" ] && [ -n "$(ls -A "$folder")" ] || fail "$name_version is bundled without a licence text"
done
for name in Python PySide6_Essentials shiboken6 Markdown Pygments pypdf; do
    ls -d dist/cloudref/_internal/licenses/"$name"-* > /dev/null 2>&1 || fail "no licences/ for $name"
    grep -q "^  $name " dist/cloudref/_internal/THIRD-PARTY-NOTICES || fail "THIRD-PARTY-NOTICES does not name $name"
done
grep -q "GNU LESSER GENERAL PUBLIC LICENSE" dist/cloudref/_internal/THIRD-PARTY-NOTICES || fail "no LGPL text"
grep -q "PySide6/Qt/lib" dist/cloudref/_internal/licenses/Qt-NOTICE.txt || fail "no Qt relinking notice"

step ".deb contents and metadata"
deb="$(ls dist/cloudref_*_*.deb)"
dpkg-deb -x "$deb" "$scratch/deb"
for path in opt/cloudref/cloudref opt/cloudref/_internal/THIRD-PARTY-NOTICES usr/share/doc/cloudref/copyright \
        usr/share/applications/io.github.cloudref.Cloudref.desktop \
        usr/share/metainfo/io.github.cloudref.Cloudref.metainfo.xml \
        usr/share/icons/hicolor/scalable/apps/io.github.cloudref.Cloudref.svg \
        usr/share/icons/hicolor/256x256/apps/io.github.cloudref.Cloudref.png; do
    [ -e "$scratch/deb/$path" ] || fail "the .deb has no /$path"
done
[ "$(readlink "$scratch/deb/usr/bin/cloudref")" = /opt/cloudref/cloudref ] || fail "/usr/bin/cloudref is not the app"
dpkg-deb -f "$deb" Depends | grep -q "libc6 (>= 2.35)" || fail "the .deb does not depend on libc6 >= 2.35"
[ "$(dpkg-deb -f "$deb" Version)" = "$(sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml | head -n1)" ] || fail "the .deb's version is not the app's"
[ -z "$(dpkg-deb -c "$deb" | awk '$2 != "root/root"')" ] || fail "the .deb holds files not owned by root"
if command -v desktop-file-validate > /dev/null; then
    desktop-file-validate "$scratch/deb/usr/share/applications/io.github.cloudref.Cloudref.desktop" || fail "the .deb's desktop entry does not validate"
fi
if command -v lintian > /dev/null; then
    lintian --fail-on error,warning --suppress-tags-from-file packaging/lintian-overrides "$deb" || fail "lintian"
else
    step "(lintian not installed: apt-get install lintian to check the .deb)"
fi

version="$(sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml | head -n1)"
archive="dist/cloudref-linux-$(uname -m).tar.gz"
[ -f "$archive" ] || fail "no $archive"

disk_kib=$(du -sk dist/cloudref | cut -f1)
archive_kib=$(( $(stat -c %s "$archive") / 1024 ))
echo "package-smoke: dist/cloudref $(( disk_kib / 1024 )) MiB on disk (budget $MAX_DISK_MIB)," \
     "$archive $(( archive_kib / 1024 )) MiB (budget $MAX_ARCHIVE_MIB)"
[ "$disk_kib" -lt $(( MAX_DISK_MIB * 1024 )) ] || fail "the build is over $MAX_DISK_MIB MiB on disk"
[ "$archive_kib" -lt $(( MAX_ARCHIVE_MIB * 1024 )) ] || fail "the archive is over $MAX_ARCHIVE_MIB MiB"

mkdir -p "$scratch/unpacked" "$scratch/work" "$scratch/home"
tar -C "$scratch/unpacked" -xzf "$archive"
APP="$scratch/unpacked/cloudref/cloudref"

# Every library a bundled binary links must be in the bundle or be one the README leaves to the
# system (GL/EGL drivers, CUPS, Wayland's client libraries): a plugin that cannot load fails
# silently at run time (no xcb window, no SVG, no printer).
internal="$scratch/unpacked/cloudref/_internal"
unresolved="$(find "$internal" -name '*.so*' -type f | while read -r binary; do
        LD_LIBRARY_PATH="$internal:$internal/PySide6/Qt/lib" ldd "$binary" 2>/dev/null |
            sed -n "s|^\s*\(\S*\) => not found|${binary#"$internal"/}: \1|p"
    done | grep -Ev ': (libcups|libwayland-|libEGL|libGL|libOpenGL|libvulkan)' || true)"
[ -z "$unresolved" ] || fail "bundled binaries link libraries that are neither bundled nor the system's:
$unresolved"
cd "$scratch/work"  # not the checkout: nothing may come from the source tree

# The app with nothing of the build around it: no venv, no PYTHON*, a HOME of its own.
run() {
    env -i HOME="$scratch/home" PATH=/usr/bin:/bin LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen \
        "$APP" "$@" > "$scratch/out" 2> "$scratch/err"
}
# Qt noise the offscreen platform always prints is allowed; tracebacks and missing libraries are not.
check_stderr() {
    if grep -Eq "Traceback|Error|Cannot load library|Could not (load|find)|No module named" "$scratch/err"; then
        cat "$scratch/err" >&2
        fail "$1 printed errors (above)"
    fi
}
step "--version"
run --version || fail "--version exited $?"
[ "$(cat "$scratch/out")" = "Cloudref $version" ] || fail "--version printed '$(cat "$scratch/out")', expected 'Cloudref $version'"

step "--list"
run --list || fail "--list exited $?"
[ "$(grep -c $'\t' "$scratch/out")" -ge 8 ] || fail "--list printed fewer than 8 topics: $(cat "$scratch/out")"
grep -q $'^ecs\t' "$scratch/out" || fail "--list has no ecs topic"
check_stderr --list

step "--search lambda"
run --search lambda || fail "--search exited $?"
grep -q $'^lambda\t' "$scratch/out" || fail "--search lambda did not find the lambda topic"
check_stderr --search

step "--compare"
run --compare || fail "--compare exited $?"
[ -s "$scratch/out" ] || fail "--compare listed no subjects"
check_stderr --compare

step "--check (the bundled library is complete)"
run --check || { cat "$scratch/out" "$scratch/err" >&2; fail "--check found problems in the bundled library"; }

step "window offscreen, first paint, quit (--startup-report)"
run --startup-report ecs || { cat "$scratch/err" >&2; fail "--startup-report exited $?"; }
grep -q "first paint" "$scratch/out" || fail "--startup-report printed no first paint: $(cat "$scratch/out")"
check_stderr "the window"

step "--export-pdf out.pdf ecs"
run --export-pdf out.pdf ecs || { cat "$scratch/err" >&2; fail "--export-pdf exited $?"; }
[ "$(head -c 5 out.pdf)" = "%PDF-" ] || fail "out.pdf is not a PDF"
[ "$(stat -c %s out.pdf)" -gt 20000 ] || fail "out.pdf is suspiciously small ($(stat -c %s out.pdf) bytes)"
check_stderr --export-pdf
# Pages and text, read with the build's pypdf (a check of the output, not of the app).
"$scratch/venv/bin/python" - out.pdf <<'EOF' || fail "out.pdf has no pages or no ECS text"
import sys
from pypdf import PdfReader
reader = PdfReader(sys.argv[1])
text = "".join(page.extract_text() for page in reader.pages).replace("\t", " ")
sys.exit(0 if len(reader.pages) >= 1 and "Amazon ECS" in text else 1)
EOF

step "install-linux.sh into a scratch prefix, run the installed command, uninstall"
prefix="$scratch/prefix"
PREFIX="$prefix" "$scratch/unpacked/cloudref/install-linux.sh" > /dev/null
desktop="$prefix/share/applications/io.github.cloudref.Cloudref.desktop"
[ -f "$desktop" ] || fail "no desktop entry installed"
[ -f "$prefix/share/icons/hicolor/256x256/apps/io.github.cloudref.Cloudref.png" ] || fail "no icon installed"
grep -q "^Exec=\"$prefix/lib/cloudref/cloudref\"" "$desktop" || fail "desktop entry Exec is not the installed path"
if command -v desktop-file-validate > /dev/null; then desktop-file-validate "$desktop" || fail "installed desktop entry does not validate"; fi
[ "$(env -i HOME="$scratch/home" PATH=/usr/bin:/bin "$prefix/bin/cloudref" --version)" = "Cloudref $version" ] ||
    fail "the installed cloudref command does not run"
PREFIX="$prefix" "$prefix/lib/cloudref/install-linux.sh" --uninstall > /dev/null
# The desktop database and icon caches the script refreshed are the system tools' files.
leftover="$(find "$prefix" \( -type f -o -type l \) ! -name mimeinfo.cache ! -name icon-theme.cache)"
[ -z "$leftover" ] || fail "uninstall left files behind: $leftover"

step "a web link followed in the window reaches xdg-open with the user's environment (.ci/frozen-child-env.sh)"
"$ROOT/.ci/frozen-child-env.sh" "$scratch/unpacked/cloudref" "$scratch/child-env"

step "a chroot with only the bundle and its declared system libraries (.ci/minimal-system.sh)"
"$ROOT/.ci/minimal-system.sh" "$scratch/unpacked/cloudref" "$scratch/minimal"

echo "package-smoke: OK (build twice, floor, licences, .deb, budget, CLI, window, PDF, install, child environment, chroot) in $(( $(date +%s) - started )) s"
