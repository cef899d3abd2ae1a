"""What the ELF files of a Linux build need from the system: glibc versions and libraries.

    python packaging/bundle_elf.py floor DIR     fail if a file needs a newer glibc than the floor,
                                                 links an unknown library or searches for
                                                 libraries outside DIR
    python packaging/bundle_elf.py depends DIR   print the .deb's Depends and Recommends lines

Read with binutils' objdump: the versioned glibc symbols each file imports (objdump -T), the
libraries it links (DT_NEEDED) and the folders it searches for them (DT_RUNPATH, DT_RPATH). A
library linked but not in the bundle must be one packaging/system_libs.py names; anything else
would be missing on a user's system. A search path must stay inside the bundle ($ORIGIN-
relative): one naming a folder of the build machine (pyenv's prefix, say) would load whatever a
user's machine happens to hold there.
"""

from __future__ import annotations

import posixpath
import re
import subprocess
import sys
from pathlib import Path, PurePosixPath

sys.path.insert(0, str(Path(__file__).resolve().parent))
import system_libs  # noqa: E402


def elf_files(root: Path) -> list[Path]:
    files = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as file:
                if file.read(4) == b"\x7fELF":
                    files.append(path)
    return files


def glibc_needed(path: Path) -> tuple[tuple[int, ...], list[str]]:
    """The newest glibc version `path` imports a symbol from, and those symbols."""
    out = subprocess.run(["objdump", "-T", str(path)], capture_output=True, text=True).stdout
    versions = [
        (tuple(int(n) for n in v.split(".")), symbol)
        for v, symbol in re.findall(r"\(GLIBC_([0-9.]+)\)\s+(\S+)", out)
    ]
    if not versions:
        return (), []
    newest = max(v for v, _ in versions)
    return newest, sorted({symbol for v, symbol in versions if v == newest})


def needed(path: Path) -> list[str]:
    out = subprocess.run(["objdump", "-p", str(path)], capture_output=True, text=True).stdout
    return re.findall(r"^\s*NEEDED\s+(\S+)", out, re.MULTILINE)


def search_paths(path: Path) -> list[str]:
    """The folders `path` asks the dynamic loader to search (RUNPATH, or the older RPATH)."""
    out = subprocess.run(["objdump", "-p", str(path)], capture_output=True, text=True).stdout
    found = re.findall(r"^\s*(?:RUNPATH|RPATH)\s+(\S+)", out, re.MULTILINE)
    return [entry for value in found for entry in value.split(":") if entry]


def outside(entry: str, folder: PurePosixPath, root: PurePosixPath) -> bool:
    """Whether a search path entry of a file in `folder` names a place outside `root`.

    Only $ORIGIN (the file's own folder) keeps a path inside a bundle that can be unpacked
    anywhere; an absolute or plain relative entry (relative to the working directory) cannot.
    """
    match = re.match(r"^(\$ORIGIN|\$\{ORIGIN\})(/.*)?$", entry)
    if not match:
        return True
    resolved = posixpath.normpath(str(folder) + (match.group(2) or ""))
    return resolved != str(root) and not resolved.startswith(str(root).rstrip("/") + "/")


def check_floor(root: Path, floor: tuple[int, ...] = system_libs.GLIBC_FLOOR) -> list[str]:
    """One line per file needing a newer glibc than `floor`, linking an unknown library or
    searching for libraries outside `root`."""
    problems, bundled = [], {path.name for path in elf_files(root)}
    for path in elf_files(root):
        version, symbols = glibc_needed(path)
        if version > floor:
            problems.append(
                f"{path.relative_to(root)} needs glibc {'.'.join(map(str, version))}"
                f" ({', '.join(symbols)})"
            )
        for name in needed(path):
            if name not in bundled and not system_libs.is_system(name):
                problems.append(
                    f"{path.relative_to(root)} links {name}: neither bundled nor "
                    "a system library in packaging/system_libs.py"
                )
        folder = PurePosixPath(path.resolve().parent.as_posix())
        for entry in search_paths(path):
            if outside(entry, folder, PurePosixPath(root.resolve().as_posix())):
                problems.append(
                    f"{path.relative_to(root)} searches for libraries outside the bundle: {entry}"
                )
    return problems


def depends(root: Path) -> tuple[list[str], list[str]]:
    """(Depends, Recommends) for the .deb: libc6 at the floor and every system library linked."""
    bundled = {path.name for path in elf_files(root)}
    packages = {
        system_libs.system_package(name)
        for path in elf_files(root)
        for name in needed(path)
        if name not in bundled
    }
    packages.discard(None)
    packages.discard("libc6")
    floor = ".".join(map(str, system_libs.GLIBC_FLOOR))
    required = [f"libc6 (>= {floor})"] + sorted(packages - system_libs.OPTIONAL)
    return required, sorted(packages & system_libs.OPTIONAL)


def main(argv: list[str]) -> int:
    command, root = argv[0], Path(argv[1])
    if command == "floor":
        problems = check_floor(root)
        floor = ".".join(map(str, system_libs.GLIBC_FLOOR))
        newest = max((glibc_needed(path)[0] for path in elf_files(root)), default=())
        print(
            f"bundle_elf: {len(elf_files(root))} ELF files; the newest glibc any needs is "
            f"{'.'.join(map(str, newest))} (floor {floor})"
        )
        for problem in problems:
            print(f"bundle_elf: FAIL: {problem}", file=sys.stderr)
        return 1 if problems else 0
    if command == "depends-sonames":  # the system libraries linked, for .ci/minimal-system.sh
        bundled = {path.name for path in elf_files(root)}
        print(
            "\n".join(
                sorted(
                    {
                        name
                        for path in elf_files(root)
                        for name in needed(path)
                        if name not in bundled
                    }
                )
            )
        )
        return 0
    if command == "depends":
        required, recommended = depends(root)
        print("Depends: " + ", ".join(required))
        print("Recommends: " + ", ".join(recommended))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
