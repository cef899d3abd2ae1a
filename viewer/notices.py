"""Third-party licence notices, generated from the distributions' own metadata.

The desktop build writes them beside the program at build time (`packaging/cloudref.spec`:
`THIRD-PARTY-NOTICES` and a `licenses/` folder, for the distributions PyInstaller collected);
from source, Help → About builds the same text from what is installed. Nothing here is
hand-kept: names, versions, licence expressions and texts come from each distribution's
metadata and its own licence files. Distributions that ship no licence file (PySide6 and
shiboken6 wheels) get the texts their licence expression names from the system's shared
licence texts (`/usr/share/common-licenses`, in every Debian and Ubuntu), and Qt gets the
notice the LGPL asks for: what Qt is, where its source is, and how to replace its libraries.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

NOTICES_NAME = "THIRD-PARTY-NOTICES"
LICENSES_DIR = "licenses"
COMMON_LICENSES = Path("/usr/share/common-licenses")
# SPDX id -> the shared texts it needs (the LGPLv3 is a set of additions to the GPLv3).
SHARED_TEXTS = {
    "LGPL-3.0-only": ("LGPL-3", "GPL-3"),
    "LGPL-3.0-or-later": ("LGPL-3", "GPL-3"),
    "GPL-3.0-only": ("GPL-3",),
    "GPL-2.0-only": ("GPL-2",),
    "Apache-2.0": ("Apache-2.0",),
}
# Of a choice of licences ("A OR B"), the one we distribute under, when offered.
PREFERRED = ("LGPL-3.0-only", "LGPL-3.0-or-later")
LICENCE_FILE = re.compile(r"^(LICEN[CS]E|COPYING|NOTICE|COPYRIGHT)", re.IGNORECASE)
QT_DISTRIBUTIONS = {"pyside6", "pyside6-essentials", "pyside6-addons", "shiboken6"}


@dataclass
class Notice:
    """One distribution: its name, version, licence and the licence texts that come with it."""

    name: str
    version: str
    licence: str
    texts: list[tuple[str, str]] = field(default_factory=list)  # (file name, text)


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_distributions(root: str = "cloudref") -> list[str]:
    """The installed distributions `root` needs at run time (its requirements, recursively).

    Requirements behind an extra are left out; one behind another marker (a Python version)
    counts when it is installed.
    """
    seen: dict[str, str] = {}
    todo = [root]
    while todo:
        name = todo.pop()
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        key = _normal(dist.metadata["Name"])
        if key in seen:
            continue
        seen[key] = dist.metadata["Name"]
        for requirement in dist.requires or []:
            if _applies(requirement):
                todo.append(re.match(r"[A-Za-z0-9._-]+", requirement).group(0))
    seen.pop(_normal(root), None)
    return sorted(seen.values(), key=str.lower)


def _applies(requirement: str) -> bool:
    """Whether a requirement holds here: never behind an extra; its marker evaluated when the
    `packaging` library is there to do it, else taken as true (an uninstalled one is skipped)."""
    if ";" not in requirement:
        return True
    marker = requirement.split(";", 1)[1]
    if "extra" in marker:
        return False
    try:
        from packaging.markers import Marker
    except ImportError:
        return True
    return Marker(marker).evaluate()


def licence_of(meta) -> str:
    """The licence a distribution declares: its SPDX expression, else its License field or
    licence classifiers."""
    expression = meta.get("License-Expression")
    if expression:
        return expression.strip()
    declared = (meta.get("License") or "").strip().splitlines()
    if declared and len(declared[0]) < 120:
        return declared[0]
    classifiers = [
        c.split(" :: ")[-1] for c in meta.get_all("Classifier") or [] if c.startswith("License ::")
    ]
    return " OR ".join(classifiers) or "UNKNOWN"


def _shared_texts(licence: str) -> list[tuple[str, str]]:
    choices = [part.strip("() ") for part in re.split(r"\s+OR\s+", licence)]
    chosen = next((c for c in PREFERRED if c in choices), choices[0] if choices else "")
    texts = []
    for name in SHARED_TEXTS.get(chosen, ()):
        path = COMMON_LICENSES / name
        if path.is_file():
            texts.append((name, path.read_text(encoding="utf-8")))
    return texts


def notice_for(name: str) -> Notice:
    """The notice of one installed distribution, with its own licence files, or the shared
    texts its licence names when it ships none."""
    dist = metadata.distribution(name)
    meta = dist.metadata
    licence = licence_of(meta)
    texts = []
    for file in sorted(dist.files or [], key=str):
        parts = Path(str(file)).parts
        if not parts[0].endswith(".dist-info") or not LICENCE_FILE.match(parts[-1]):
            continue
        text = Path(dist.locate_file(file)).read_text(encoding="utf-8", errors="replace")
        texts.append(("-".join(parts[2:] if parts[1:2] == ("licenses",) else parts[1:]), text))
    if not texts:
        texts = _shared_texts(licence)
    return Notice(meta["Name"], meta["Version"], licence, texts)


def python_notice() -> Notice:
    """Python itself (the interpreter and standard library in the build): the PSF licence."""
    version = ".".join(map(str, sys.version_info[:3]))
    short = f"python{sys.version_info[0]}.{sys.version_info[1]}"
    candidates = [
        Path(sys.base_prefix) / "lib" / short / "LICENSE.txt",
        Path(sys.base_prefix) / "LICENSE.txt",
        Path("/usr/share/doc") / short / "copyright",
    ]
    texts = [
        (p.name, p.read_text(encoding="utf-8", errors="replace")) for p in candidates if p.is_file()
    ][:1]
    return Notice("Python", version, "PSF-2.0", texts)


def qt_notice(qt_version: str, pyside_version: str) -> str:
    """What the LGPLv3 asks of a program that ships Qt: the notice, the source, relinking.

    The replacement steps were tried on a build: Qt libraries of another patch release alone
    do not load (PySide6's modules use private Qt symbols tagged with the exact version);
    with that release's PySide6 and shiboken6 binaries too, the app runs.
    """
    minor = qt_version.split(".")[1] if qt_version.count(".") >= 1 else "x"
    return f"""\
Qt {qt_version} and Qt for Python (PySide6 and shiboken6 {pyside_version})
Copyright (C) The Qt Company Ltd. and other contributors.

This program uses the Qt libraries and Qt for Python under the GNU Lesser General Public
License version 3 (LGPLv3; its text and the GPLv3 it builds on are in licenses/). Qt's
libraries are not modified and are linked dynamically: they are the files libQt6*.so.6 in the
folder PySide6/Qt/lib of this program's _internal folder, with Qt's plugins in
PySide6/Qt/plugins (installed from the .deb: /opt/cloudref/_internal/PySide6/Qt). Beside them,
libicu*.so.* are ICU's libraries, which Qt links; ICU's data library holds only the parts Qt
reads.

To use your own build of Qt {qt_version} (modified as you like), copy your libQt6*.so.6 files
over the ones in PySide6/Qt/lib and your plugins over those in PySide6/Qt/plugins (and your
libicu*.so.* files if your Qt links another ICU). The program loads them from there, so
nothing has to be relinked. It must be Qt {qt_version} exactly: Qt for Python's modules use
Qt's private interfaces, which carry the Qt version, so other Qt libraries alone fail to load
("could not import module 'PySide6.QtCore'").

To use another Qt release, replace Qt for Python's binaries at the same time with its build
for that release: PySide6/*.abi3.so, PySide6/libpyside6.abi3.so.*, shiboken6/*.abi3.so and
shiboken6/libshiboken6.abi3.so.* (remove the old libpyside6 and libshiboken6 files if the new
ones have other names). The wheels of a published release hold these files at the same paths:
`pip download --no-deps PySide6-Essentials==6.{minor}.N shiboken6==6.{minor}.N` (wheels are zip
files). This program was tested with Qt for Python {pyside_version}; the same minor version
(6.{minor}.x) is the safe choice.

The source code of Qt is at https://download.qt.io/official_releases/qt/ and
https://code.qt.io/cgit/qt/ ; that of Qt for Python at
https://code.qt.io/cgit/pyside/pyside-setup.git/ (tag v{pyside_version}). On request the
Cloudref developers provide the source of the versions in this build.

Qt includes third-party components under their own licences (among them ICU, HarfBuzz,
FreeType's and libpng's code, PCRE2, md4c, zlib); their list and texts are at
https://doc.qt.io/qt-6/licenses-used-in-qt.html .
"""


def build_notices(distributions: list[str], extra: list[Notice] = ()) -> list[Notice]:
    """Python's notice, one per distribution (sorted by name), then `extra`."""
    notices = [python_notice()]
    notices += [notice_for(name) for name in sorted(distributions, key=str.lower)]
    return notices + list(extra)


def render(notices: list[Notice], qt_text: str, app: str = "Cloudref") -> str:
    """THIRD-PARTY-NOTICES: a summary line per component, Qt's notice, then every text."""
    rule = "=" * 78
    lines = [
        f"{app} ships with the following third-party software. Each one's licence",
        "texts follow; the same texts are in the licenses/ folder, one folder per",
        "component.",
        "",
        *[f"  {n.name} {n.version}: {n.licence}" for n in notices],
        "",
        rule,
        qt_text.rstrip(),
    ]
    for notice in notices:
        lines += ["", rule, f"{notice.name} {notice.version} — {notice.licence}", rule]
        for file_name, text in notice.texts:
            lines += ["", f"--- {file_name}", "", text.rstrip()]
    return "\n".join(lines) + "\n"


def write(out_dir: Path, notices: list[Notice], qt_text: str) -> list[str]:
    """Write THIRD-PARTY-NOTICES and licenses/<name>-<version>/ into `out_dir`; return the
    names of the components that have no licence text (a build must fail on any)."""
    (out_dir / NOTICES_NAME).write_text(render(notices, qt_text), encoding="utf-8")
    missing = []
    for notice in notices:
        folder = out_dir / LICENSES_DIR / f"{notice.name}-{notice.version}"
        folder.mkdir(parents=True, exist_ok=True)
        for file_name, text in notice.texts:
            (folder / file_name).write_text(text, encoding="utf-8")
        if not notice.texts:
            missing.append(notice.name)
    (out_dir / LICENSES_DIR / "Qt-NOTICE.txt").write_text(qt_text, encoding="utf-8")
    return missing


def installed_notices_text() -> str:
    """The notices built from what is installed: what About shows when run from source."""
    import PySide6
    from PySide6.QtCore import qVersion

    notices = build_notices(runtime_distributions())
    return render(notices, qt_notice(qVersion(), PySide6.__version__))
