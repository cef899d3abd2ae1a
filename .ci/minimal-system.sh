#!/usr/bin/env bash
# Start the unpacked build in a chroot holding only the bundle, glibc and the system libraries
# packaging/system_libs.py names (with what they link), fonts and nothing else: no Python, no
# Qt, no other library of the build machine. Proves the bundle asks the system for nothing
# beyond its declared libraries (the .deb's Depends). It runs on the build machine's glibc, so
# the floor itself is proven by packaging/bundle_elf.py's symbol check, not here.
#   .ci/minimal-system.sh UNPACKED_APP_DIR WORK_DIR
set -euo pipefail
app=$1 root=$2/root
fail() { echo "minimal-system: FAIL: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "minimal-system: skipped (chroot needs root)"; exit 0; }
mkdir -p "$root/opt" "$root/lib64" "$root/tmp" "$root/home" "$root/etc" "$root/usr/share"
cp -a "$app" "$root/opt/cloudref"
libdir=/lib/x86_64-linux-gnu
mkdir -p "$root$libdir"
cp -L /lib64/ld-linux-x86-64.so.2 "$root/lib64/"
# The system libraries the bundle links, resolved on this machine, and their own closure.
sonames="$(python3 "$(dirname "$0")/../packaging/bundle_elf.py" depends-sonames "$app")"
for soname in $sonames; do
    # awk reads to the end (no early exit): ldconfig must not die of SIGPIPE under pipefail.
    path="$(ldconfig -p | awk -v n="$soname" '$1 == n && /x86-64/ && !found {print $NF; found = 1}')"
    [ -n "$path" ] || { echo "minimal-system: $soname not on this machine (optional), left out"; continue; }
    for lib in "$path" $(ldd "$path" | awk '/=>/ {print $3}'); do
        cp -Ln "$lib" "$root$libdir/" 2>/dev/null || true
    done
done
cp -a /etc/fonts "$root/etc/"
cp -a /usr/share/fonts "$root/usr/share/" 2>/dev/null || true
echo "minimal-system: $(ls "$root$libdir" | wc -l) system libraries in the chroot: $(ls "$root$libdir" | tr '\n' ' ')"
run() { chroot "$root" /usr/bin/env -i HOME=/home LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen /opt/cloudref/cloudref "$@"; }
cp /usr/bin/env "$root/usr/bin/env" 2>/dev/null || { mkdir -p "$root/usr/bin"; cp /usr/bin/env "$root/usr/bin/env"; }
for lib in $(ldd /usr/bin/env | awk '/=>/ {print $3}'); do cp -Ln "$lib" "$root$libdir/" 2>/dev/null || true; done
[ "$(run --version)" = "Cloudref $(sed -n 's/^version = "\(.*\)"/\1/p' "$(dirname "$0")/../pyproject.toml" | head -n1)" ] ||
    fail "--version did not run"
run --export-pdf /tmp/ecs.pdf ecs 2> "$2/err" || { cat "$2/err" >&2; fail "--export-pdf failed"; }
[ "$(head -c 5 "$root/tmp/ecs.pdf")" = "%PDF-" ] || fail "no PDF written"
run --startup-report ecs > "$2/out" 2> "$2/err" || { cat "$2/err" >&2; fail "the window did not start"; }
grep -q "first paint" "$2/out" || fail "the window did not paint"
echo "minimal-system: OK (--version, --export-pdf, the window offscreen) with only the bundle and its declared system libraries"
