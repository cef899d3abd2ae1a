"""The environment programs started by the frozen app get: the user's, not PyInstaller's.

PyInstaller's bootloader puts the bundle first on LD_LIBRARY_PATH (keeping the user's value
as LD_LIBRARY_PATH_ORIG) and adds its own `_PYI_*` variables; its Qt runtime hook points
QT_PLUGIN_PATH and QML2_IMPORT_PATH into the bundle. Every program the app starts inherits
them, the browser through `xdg-open` included, and a program that loads our Qt or our
libraries instead of its own can crash. `restore` undoes all of it in the process's own
environment, early in `main`, so every child (subprocess, QProcess, QDesktopServices) gets
the environment the user started us with. The app itself is unaffected: the dynamic loader
read LD_LIBRARY_PATH when the program started, and Qt finds its plugins through the qt.conf
PySide6 embeds.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping

# Set by the bootloader, with the user's value saved as NAME_ORIG when there was one.
LIBRARY_PATHS = ("LD_LIBRARY_PATH", "LIBPATH", "DYLD_LIBRARY_PATH")
# Set by PyInstaller's PySide6 runtime hook, which keeps no copy of the user's value.
RUNTIME_HOOK_VARIABLES = ("QT_PLUGIN_PATH", "QML2_IMPORT_PATH")
SUFFIX = "_ORIG"


def restore(environ: MutableMapping[str, str], launched: Mapping[str, str]) -> None:
    """Put back in `environ` what the user had before PyInstaller changed it.

    `launched` is the environment the process was started with (on Linux, /proc/self/environ:
    after the bootloader, before the runtime hooks), where the user's own QT_PLUGIN_PATH is.
    """
    for name in [key for key in environ if key.endswith(SUFFIX)]:
        environ[name[: -len(SUFFIX)]] = environ.pop(name)
    for name in LIBRARY_PATHS:
        if name + SUFFIX not in launched and name in environ and name in launched:
            del environ[name]  # the bootloader set it and the user had none
    for name in RUNTIME_HOOK_VARIABLES:
        if name in launched:
            environ[name] = launched[name]
        else:
            environ.pop(name, None)
    for name in [key for key in environ if key.startswith("_PYI_") or key == "_MEIPASS2"]:
        del environ[name]


def launch_environment(path: str = "/proc/self/environ") -> dict[str, str]:
    """The environment this process was started with, or {} where the system does not say."""
    try:
        with open(path, "rb") as file:
            raw = file.read()
    except OSError:
        return {}
    pairs = (item.split(b"=", 1) for item in raw.split(b"\0") if b"=" in item)
    return {
        key.decode(errors="surrogateescape"): value.decode(errors="surrogateescape")
        for key, value in pairs
    }


def restore_if_frozen() -> None:
    """`restore` for os.environ when running as the PyInstaller build; nothing from source."""
    import os
    import sys

    if getattr(sys, "frozen", False):
        restore(os.environ, launch_environment())
