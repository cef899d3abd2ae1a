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

refresh_caches() {  # menus and icon themes notice new files sooner; neither is required
    command -v update-desktop-database >/dev/null &&
        update-desktop-database -q "$SHARE/applications" 2>/dev/null || true
    command -v gtk-update-icon-cache >/dev/null && [ -f "$SHARE/icons/hicolor/index.theme" ] &&
        gtk-update-icon-cache -q -f -t "$SHARE/icons/hicolor" 2>/dev/null || true
}

uninstall() {
    rm -rf "$LIB"
    if [ -L "$BIN" ] && [ "$(readlink "$BIN")" = "$LIB/cloudref" ]; then
        rm -f "$BIN"
    fi
    rm -f "$SHARE/applications/$APP_ID.desktop" "$SHARE/metainfo/$APP_ID.metainfo.xml"
    rm -f "$SHARE"/icons/hicolor/*/apps/"$APP_ID".png "$SHARE/icons/hicolor/scalable/apps/$APP_ID.svg"
    refresh_caches
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
case "$LIB" in *[\"\`\$\\]*)
    echo "install-linux: cannot write a menu entry for a path with quotes, \$ or \\: $LIB" >&2
    exit 1 ;;
esac

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
sed "s|^Exec=cloudref|Exec=\"$LIB/cloudref\"|" "$LIB/share/applications/$APP_ID.desktop" \
    > "$SHARE/applications/$APP_ID.desktop"
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
