#!/usr/bin/env bash
# The built app, under a virtual X screen, follows a web link the way a user does (keys only)
# and Qt hands the URL to `xdg-open`: a fake one, first on PATH, records the environment it was
# started with. That environment must be the one the user started Cloudref with: the user's
# LD_LIBRARY_PATH and QT_PLUGIN_PATH (or none), no _PYI_* variable, nothing naming the bundle.
# Run twice: a user with LD_LIBRARY_PATH and QT_PLUGIN_PATH set, and one with neither.
#   .ci/frozen-child-env.sh UNPACKED_APP_DIR WORK_DIR
set -euo pipefail
app=$1/cloudref work=$2
fail() { echo "frozen-child-env: FAIL: $*" >&2; exit 1; }
for tool in Xvfb xdotool; do
    command -v "$tool" > /dev/null || { echo "frozen-child-env: skipped ($tool not installed)"; exit 0; }
done
mkdir -p "$work/bin" "$work/home" "$work/library"
url=https://docs.aws.amazon.com/AmazonECS/latest/developerguide/Welcome.html
# A library of one topic whose only link is a web address: the first link Tab reaches.
printf '# Links\n\nThe [ECS developer guide](%s) is on the web.\n' "$url" > "$work/library/links.md"
# Writes its arguments and environment, then renames, so a half-written record is never read.
cat > "$work/bin/xdg-open" <<EOF
#!/bin/sh
{ echo "URL=\$1"; env; } > "$work/record.tmp"
mv "$work/record.tmp" "$work/record"
EOF
chmod +x "$work/bin/xdg-open"

Xvfb -displayfd 3 -nolisten tcp -screen 0 1024x768x24 3> "$work/display" 2> /dev/null &
xvfb=$!
app_pid=
trap 'kill $app_pid $xvfb 2> /dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$work/display" ] && break; sleep 0.1; done
[ -s "$work/display" ] || fail "Xvfb did not start"
display=":$(cat "$work/display")"

follow_link() {  # VAR=VALUE... : the user's environment beyond PATH, HOME, DISPLAY, LANG
    local user=(PATH="$work/bin:/usr/bin:/bin" HOME="$work/home" DISPLAY="$display" LANG=C.UTF-8 "$@")
    rm -f "$work/record"
    env -i "${user[@]}" "$app" --content "$work/library" links > "$work/out" 2> "$work/err" &
    app_pid=$!
    local window
    window="$(DISPLAY=$display timeout 60 xdotool search --sync --onlyvisible --pid "$app_pid" |
        awk 'NR == 1')" ||  # not head: xdotool must not meet a closed pipe (pipefail)
        { cat "$work/err" >&2; fail "no window appeared"; }
    # Keys from the README's Keyboard section, from wherever the focus is at start: Ctrl+K
    # goes to the search field and Esc from there to the page; Home puts the page's cursor at
    # its top, Tab on its first link, Enter follows it.
    DISPLAY=$display xdotool windowfocus --sync "$window" \
        key --delay 150 ctrl+k Escape Home Tab Return
    for _ in $(seq 150); do [ -f "$work/record" ] && break; sleep 0.2; done
    kill "$app_pid" 2> /dev/null || true
    wait "$app_pid" 2> /dev/null || true
    app_pid=
    [ -f "$work/record" ] || { cat "$work/err" >&2; fail "following the link started no xdg-open"; }
    [ "$(head -n1 "$work/record")" = "URL=$url" ] || fail "xdg-open got $(head -n1 "$work/record")"
    # Not compared: what the shell running the fake xdg-open adds itself, and the variable
    # PySide6 sets on import (run from source too; it names nothing of the bundle).
    got="$(tail -n +2 "$work/record" | grep -Ev '^(PWD|SHLVL|_|PYSIDE6_OPTION_PYTHON_ENUM)=' | sort)"
    want="$(printf '%s\n' "${user[@]}" | sort)"
    [ "$got" = "$want" ] || fail "xdg-open was not started with the user's environment:
$(diff <(echo "$want") <(echo "$got") | sed -n 's/^[<>]/  &/p')
(< the user's, > what xdg-open got)"
}

follow_link LD_LIBRARY_PATH=/opt/user/lib QT_PLUGIN_PATH=/opt/user/qt/plugins
echo "frozen-child-env: a user's LD_LIBRARY_PATH and QT_PLUGIN_PATH reach xdg-open unchanged"
follow_link
echo "frozen-child-env: a user with no LD_LIBRARY_PATH: xdg-open gets none, nor any _PYI_ variable"
