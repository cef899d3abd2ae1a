"""Rebuild Qt's ICU data library with only the data Qt reaches: collation and text codecs.

    python packaging/icu_data.py ORIGINAL_libicudata.so.NN OUT_DIR

PySide6's wheels bring ICU with all its data (31 MB, the largest file of the build). Qt uses
ICU for QCollator (locale-aware sorting, as in the file dialog), for text codecs beyond the
UTF ones it has built in (QStringDecoder, HTML charsets) and for locale-aware case mapping,
whose tables are compiled into libicuuc itself. Everything else in the data (break
iterators, units, time zones — Qt reads the system's tz files on Linux —, currency, language
and region names, transliteration, number spell-out, locale formats Qt has its own copy of)
is never asked for. This writes the same ICU "common data" package (format CmnD, the one
ICU links in as the symbol icudtNN_dat) holding only the kept items, and links it into a
library of the same name and soname with binutils (objcopy, ld), so no compiler is needed.
"""

from __future__ import annotations

import re
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

# Top-level items kept besides the folders below: converter tables and their alias list, the
# normalisation data and the resource indexes ICU reads before any lookup.
KEEP_FOLDERS = {"coll"}
KEEP_TOP = re.compile(r"(\.cnv|\.nrm|\.icu|\.spp|\.cfu|^root\.res|^res_index\.res|^pool\.res)$")


def read_package(library: Path) -> tuple[str, bytes, list[tuple[str, bytes]]]:
    """The data symbol's name, the package header and its (name, data) items, in TOC order."""
    symbols = subprocess.run(
        ["objdump", "-T", "-h", str(library)], capture_output=True, text=True, check=True
    ).stdout
    symbol = re.search(r"\s(icudt\d+_dat)$", symbols, re.MULTILINE).group(1)
    size, vma, file_offset = re.search(
        r"\.rodata\s+([0-9a-f]+)\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)", symbols
    ).groups()
    blob = library.read_bytes()[int(file_offset, 16) :][: int(size, 16)]
    header_size, magic1, magic2 = struct.unpack_from("<HBB", blob)
    if (magic1, magic2) != (0xDA, 0x27) or blob[12:16] != b"CmnD":
        raise SystemExit(f"icu_data: {library} holds no ICU common data package")
    count = struct.unpack_from("<I", blob, header_size)[0]
    toc = [struct.unpack_from("<II", blob, header_size + 4 + 8 * i) for i in range(count)]
    items = []
    for i, (name_at, data_at) in enumerate(toc):
        start = header_size + name_at
        name = blob[start : blob.index(b"\0", start)].decode("ascii")
        end = header_size + toc[i + 1][1] if i + 1 < count else len(blob)
        items.append((name, blob[header_size + data_at : end]))
    return symbol, blob[:header_size], items


def kept(name: str) -> bool:
    parts = name.split("/")[1:]  # the first part is the package name, icudtNNl
    if len(parts) > 1:
        return parts[0] in KEEP_FOLDERS
    return bool(KEEP_TOP.search(parts[0]))


def write_package(header: bytes, items: list[tuple[str, bytes]]) -> bytes:
    """A CmnD package: header, item count, (name offset, data offset) pairs, names, data.

    Offsets count from the start of the table; every item starts on a 16-byte boundary, as
    ICU's own packages do (the header is a multiple of 16 long).
    """
    names = b"".join(name.encode("ascii") + b"\0" for name, _ in items)
    table = 4 + 8 * len(items)
    data_at = table + len(names)
    data_at += -data_at % 16
    entries, body, name_at = [], b"", table
    for name, data in items:
        entries.append(struct.pack("<II", name_at, data_at + len(body)))
        name_at += len(name) + 1
        body += data + b"\0" * (-len(data) % 16)
    padding = b"\0" * (data_at - table - len(names))
    return header + struct.pack("<I", len(items)) + b"".join(entries) + names + padding + body


def link(package: bytes, symbol: str, soname: str, out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        raw, obj = Path(tmp) / "icudata.bin", Path(tmp) / "icudata.o"
        raw.write_bytes(package)
        # objcopy names the blob's symbols after the input path; run where it is a bare name.
        stem = "_binary_icudata_bin"
        subprocess.run(
            [
                "objcopy",
                "-I",
                "binary",
                "-O",
                "elf64-x86-64",
                "-B",
                "i386:x86-64",
                "--rename-section",
                ".data=.rodata,alloc,load,readonly,data,contents",
                "--set-section-alignment",
                ".rodata=16",
                "--redefine-sym",
                f"{stem}_start={symbol}",
                "--strip-symbol",
                f"{stem}_end",
                "--strip-symbol",
                f"{stem}_size",
                raw.name,
                obj.name,
            ],
            cwd=tmp,
            check=True,
        )
        subprocess.run(
            ["ld", "-shared", "-soname", soname, "-z", "noexecstack", "-o", str(out), str(obj)],
            check=True,
        )


def main(argv: list[str]) -> int:
    library, out_dir = Path(argv[0]), Path(argv[1])
    symbol, header, items = read_package(library)
    keep = [item for item in items if kept(item[0])]
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / library.name
    link(write_package(header, keep), symbol, library.name, out)
    print(
        f"icu_data: kept {len(keep)} of {len(items)} ICU data items, "
        f"{library.stat().st_size // 1024} KiB -> {out.stat().st_size // 1024} KiB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
