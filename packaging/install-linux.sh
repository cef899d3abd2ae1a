#!/usr/bin/env bash
# Install the Cloudref build for this user, or remove it again.
#
#   install-linux.sh [BUILD_DIR]      install
#   install-linux.sh --uninstall      remove everything install put there
#
# The app goes to ~/.local/lib/cloudref, a `cloudref` command to ~/.local/bin, and the menu
# entry, icons and AppStream data under ~/.local/share. PREFIX=DIR installs under DIR instead
# of ~/.local. BUILD_DIR is the one-folder build: by default the folder this script is in (it
# ships inside the archive), or dist/cloudref when run from a source checkout.
set -euo pipefail

APP_ID=io.github.cloudref.Cloudref
PREFIX=${PREFIX:-$HOME/.local}
LIB="$PREFIX/lib/cloudref"
BIN="$PREFIX/bin/cloudref"
SHARE="$PREFIX/share"
here="$(cd "$(dirname "$0")" && pwd)"

refresh_caches() {  # menus, file types and icon themes notice the change sooner; optional
    if command -v update-desktop-database >/dev/null && [ -d "$SHARE/applications" ]; then
        update-desktop-database -q "$SHARE/applications" 2>/dev/null || true
    fi
    if command -v update-mime-database >/dev/null && [ -d "$SHARE/mime/packages" ]; then
        update-mime-database "$SHARE/mime" 2>/dev/null || true
    fi
    if command -v gtk-update-icon-cache >/dev/null && [ -f "$SHARE/icons/hicolor/index.theme" ]; then
        gtk-update-icon-cache -q -f -t "$SHARE/icons/hicolor" 2>/dev/null || true
    fi
}

# A desktop entry's Exec value for one program path (freedesktop Desktop Entry spec, "The Exec
# key"): inside double quotes, " ` $ and \ take a backslash; % is doubled wherever it is; then
# the string-value rule escapes every backslash once more.
exec_quote() {
    local quoted
    quoted="$(printf '%s' "$1" | sed -e 's/[\\"`$]/\\&/g' -e 's/%/%%/g' -e 's/\\/\\\\/g')"
    printf '"%s"' "$quoted"
}

# Remove DIR and its parents up to (not including) STOP while they are empty.
remove_empty_dirs() {
    local dir=$1 stop=$2
    while [ "$dir" != "$stop" ] && [ "${dir#"$stop"/}" != "$dir" ] && rmdir "$dir" 2>/dev/null; do
        dir="$(dirname "$dir")"
    done
}

uninstall() {
    rm -rf "$LIB"
    if [ -L "$BIN" ] && [ "$(readlink "$BIN")" = "$LIB/cloudref" ]; then
        rm -f "$BIN"
    fi
    rm -f "$SHARE/applications/$APP_ID.desktop" "$SHARE/metainfo/$APP_ID.metainfo.xml"
    local icons=("$SHARE"/icons/hicolor/*/apps/"$APP_ID".png "$SHARE/icons/hicolor/scalable/apps/$APP_ID.svg")
    rm -f "${icons[@]}"
    refresh_caches
    # A cache that now describes nothing but itself was made by install's refresh: remove it.
    if [ -z "$(ls -A "$SHARE/applications" 2>/dev/null | grep -v '^mimeinfo.cache$')" ]; then
        rm -f "$SHARE/applications/mimeinfo.cache"
    fi
    if [ -z "$(find "$SHARE/icons/hicolor" -type f ! -name icon-theme.cache 2>/dev/null)" ]; then
        rm -f "$SHARE/icons/hicolor/icon-theme.cache"
    fi
    local dir
    for dir in "$PREFIX/lib" "$PREFIX/bin" "$SHARE/applications" "$SHARE/metainfo" "${icons[@]%/*}"; do
        remove_empty_dirs "$dir" "$PREFIX"
    done
    echo "Cloudref removed from $PREFIX"
}

if [ "${1:-}" = "--uninstall" ]; then
    uninstall
    exit 0
fi
case "${1:-}" in -*) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;; esac

if [ -n "${1:-}" ]; then
    build="$(cd "$1" && pwd)"
elif [ -x "$here/cloudref" ] && [ -d "$here/_internal" ]; then
    build="$here"
else
    build="$(cd "$here/.." && pwd)/dist/cloudref"
fi
if [ ! -x "$build/cloudref" ] || [ ! -d "$build/share/applications" ]; then
    echo "install-linux: no Cloudref build in $build (make one with packaging/build.sh)" >&2
    exit 1
fi

# Copy beside the old install first and swap, so a failed copy leaves the old one working.
mkdir -p "$PREFIX/lib" "$PREFIX/bin"
if [ "$build" != "$LIB" ]; then
    rm -rf "$LIB.new"
    cp -a "$build" "$LIB.new"
    rm -rf "$LIB"
    mv "$LIB.new" "$LIB"
fi
ln -sfn "$LIB/cloudref" "$BIN"

# The menu entry starts the program by its full path: ~/.local/bin is not on every
# desktop session's PATH.
mkdir -p "$SHARE/applications" "$SHARE/metainfo"
exec_value="$(exec_quote "$LIB/cloudref")"
while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in
        Exec=cloudref*) printf 'Exec=%s%s\n' "$exec_value" "${line#Exec=cloudref}" ;;
        *) printf '%s\n' "$line" ;;
    esac
done < "$LIB/share/applications/$APP_ID.desktop" > "$SHARE/applications/$APP_ID.desktop"
cp "$LIB/share/metainfo/$APP_ID.metainfo.xml" "$SHARE/metainfo/"
(cd "$LIB/share" && find icons -type f) | while read -r icon; do
    mkdir -p "$SHARE/$(dirname "$icon")"
    cp "$LIB/share/$icon" "$SHARE/$icon"
done
refresh_caches

echo "Cloudref installed in $LIB"
echo "  menu entry: $SHARE/applications/$APP_ID.desktop"
echo "  command:    $BIN"
case ":$PATH:" in *":$PREFIX/bin:"*) ;; *) echo "  ($PREFIX/bin is not on your PATH; the menu entry works without it)" ;; esac
echo "Remove it with: $LIB/install-linux.sh --uninstall"
