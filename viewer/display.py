"""Whether a window can be opened here, decided before Qt is loaded. No Qt.

Qt aborts the whole process (SIGABRT, exit 134) when its platform plugin cannot start, with a
message about libraries that is misleading when the real cause is that there is no display.
So on Linux and the BSDs the window's start checks first: a display named in the environment
(X11 or Wayland) whose socket answers, or a platform chosen by QT_QPA_PLATFORM, and for X11 the
one library Qt's xcb plugin needs that desktops may lack. If not, one line says so.
"""

from __future__ import annotations

import os
import sys

# Commands that need no display: the message names them.
WITHOUT_DISPLAY = "--list, --search, --compare, --check and --export-pdf work without one"


def display_problem(env: dict[str, str] | None = None, platform: str | None = None) -> str:
    """Why no window can open here ("" if one can)."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    if platform in ("win32", "darwin", "cygwin"):
        return ""
    if env.get("QT_QPA_PLATFORM"):
        return ""  # chosen on purpose (offscreen, vnc, eglfs, xcb, wayland …): Qt's to check
    wayland = env.get("WAYLAND_DISPLAY", "")
    if wayland and _wayland_answers(env, wayland):
        return ""
    x_display = env.get("DISPLAY", "")
    if x_display:
        if not _x_answers(x_display):
            return (
                f"no display found: the X display {x_display!r} does not answer; {WITHOUT_DISPLAY}"
            )
        if not getattr(sys, "frozen", False) and not _loads("libxcb-cursor.so.0"):
            return (
                "cannot open a window: Qt needs libxcb-cursor0 for X11 "
                f"(sudo apt install libxcb-cursor0); {WITHOUT_DISPLAY}"
            )
        return ""
    if wayland:
        return (
            f"no display found: the Wayland display {wayland!r} does not answer; {WITHOUT_DISPLAY}"
        )
    return f"no display found (neither DISPLAY nor WAYLAND_DISPLAY is set); {WITHOUT_DISPLAY}"


def _wayland_answers(env, name: str) -> bool:
    path = name if name.startswith("/") else os.path.join(env.get("XDG_RUNTIME_DIR", ""), name)
    return _unix_socket_accepts(path)


def _x_answers(display: str) -> bool:
    """A local X display (`:N` or `unix:N`) whose socket accepts; any other form is believed."""
    host, _, rest = display.rpartition(":")
    number = rest.split(".")[0]
    if host not in ("", "unix") or not number.isdigit():
        return True  # a remote or unusual display: Qt will say what is wrong
    paths = (f"/tmp/.X11-unix/X{number}", f"\0/tmp/.X11-unix/X{number}")
    return any(_unix_socket_accepts(path) for path in paths)


def _unix_socket_accepts(address: str) -> bool:
    import socket  # here: only a display named by an environment variable is probed

    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            probe.settimeout(1.0)
            probe.connect(address)
        return True
    except OSError:
        return False


def _loads(library: str) -> bool:
    import ctypes

    try:
        ctypes.CDLL(library)
        return True
    except OSError:
        return False
