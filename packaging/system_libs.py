"""The system libraries the Linux build takes from the user's system, not from the build machine.

One list, read by the spec (what to leave out of the bundle), build.sh (the .deb's Depends)
and CI (.ci/bundle_checks.py: the only libraries outside the bundle the app may load).

Left out are libraries every Linux desktop has and whose build-machine copies would raise the
glibc floor (libstdc++, libgcc_s and libexpat need glibc 2.35-2.36 on the build machine) or
would clash with the system's copies that GL drivers, input methods and the printing service
load (X11, D-Bus, GLib, fontconfig, FreeType, Kerberos' GSS-API). What a desktop may lack (the
xcb utility libraries, xkbcommon, SQLite with FTS5, libpython's compression modules, Brotli)
stays in the bundle, as long as it needs no newer glibc than the floor.
"""

from __future__ import annotations

import re

# The lowest glibc the build supports: libpython's `hypot@GLIBC_2.35` (Python 3.11 built on
# Debian 12, by pyenv and by Debian alike) sets it; PySide6 6.11's wheels need 2.34.
GLIBC_FLOOR = (2, 35)

# soname prefix -> the Debian/Ubuntu package that provides it ("a | b": either name, as
# Debian 13 and Ubuntu 24.04 renamed some for 64-bit time).
SYSTEM = {
    # The C library itself and its parts.
    "libc.so": "libc6",
    "libm.so": "libc6",
    "libdl.so": "libc6",
    "libpthread.so": "libc6",
    "librt.so": "libc6",
    "libresolv.so": "libc6",  # QtNetwork's (the single-instance socket) Kerberos needs it
    "libutil.so": "libc6",
    "ld-linux": "libc6",
    # Left out of the bundle: every desktop has them.
    "libstdc++.so": "libstdc++6 (>= 12)",  # Qt 6.11 needs GLIBCXX_3.4.30, GCC 12's
    "libgcc_s.so": "libgcc-s1",
    "libexpat.so": "libexpat1",
    "libz.so": "zlib1g",
    "libzstd.so": "libzstd1",
    "libfontconfig.so": "libfontconfig1",
    "libfreetype.so": "libfreetype6",
    "libX11.so": "libx11-6",
    "libX11-xcb.so": "libx11-xcb1",
    "libxcb.so": "libxcb1",
    "libdbus-1.so": "libdbus-1-3",
    "libglib-2.0.so": "libglib2.0-0 | libglib2.0-0t64",
    "libgthread-2.0.so": "libglib2.0-0 | libglib2.0-0t64",
    # Never bundled: the graphics drivers' and the compositor's libraries, which must match the
    # system's (Qt's xcb-glx and wayland-egl plugins link them).
    "libEGL.so": "libegl1",
    "libGL.so": "libgl1",
    "libOpenGL.so": "libopengl0",
    "libGLX.so": "libglx0",
    "libwayland-client.so": "libwayland-client0",
    "libwayland-cursor.so": "libwayland-cursor0",
    "libwayland-egl.so": "libwayland-egl1",
    "libvulkan.so": "libvulkan1",
    # QtNetwork (the window's single-instance socket) links GSS-API: Kerberos reads the
    # system's own configuration and plugins, so it must be the system's copy, which every
    # desktop has (CUPS and curl need it too).
    "libgssapi_krb5.so": "libgssapi-krb5-2",
    # The printing service's client must match the local CUPS; without it Qt still writes PDF.
    "libcups.so": "libcups2 | libcups2t64",
}
# Packages the app runs without (the .deb recommends them rather than depending on them).
OPTIONAL = {"libcups2 | libcups2t64", "libvulkan1", "libwayland-egl1"}


def system_package(soname: str) -> str | None:
    """The package that provides this library on the user's system, or None if we bundle it."""
    for prefix, package in SYSTEM.items():
        if soname.startswith(prefix) and re.match(re.escape(prefix) + r"(\.|-|$|\d)", soname):
            return package
    return None


def is_system(soname: str) -> bool:
    return system_package(soname) is not None
