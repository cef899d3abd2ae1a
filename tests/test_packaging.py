"""Fast checks of packaging/: the files a desktop reads, the icon script, the spec's plugin rules
and the install script. The real PyInstaller build runs in CI (.ci/package-smoke.sh)."""

from __future__ import annotations

import ast
import os
import re
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from configparser import ConfigParser
from pathlib import Path, PurePosixPath

import pytest

import viewer

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
DESKTOP = PACKAGING / f"{viewer.APP_ID}.desktop"
METAINFO = PACKAGING / f"{viewer.APP_ID}.metainfo.xml"
SPEC = PACKAGING / "cloudref.spec"

sys.path.insert(0, str(PACKAGING))
import bundle_elf  # noqa: E402
import make_icons  # noqa: E402


def _desktop_entry() -> dict[str, str]:
    parser = ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read(DESKTOP, encoding="utf-8")
    return dict(parser["Desktop Entry"])


def test_desktop_entry_names_the_app_id_icon_and_window_class():
    entry = _desktop_entry()
    assert entry["Icon"] == viewer.APP_ID
    assert entry["Exec"].split() == ["cloudref", "%f"]  # a file or folder from "Open with"
    assert {"text/markdown", "inode/directory"} <= set(entry["MimeType"].split(";"))
    assert entry["Terminal"] == "false"
    # Qt sets the X11 window class to the application name; docks group windows by it.
    assert entry["StartupWMClass"] == viewer.APP_NAME


@pytest.mark.skipif(
    not shutil.which("desktop-file-validate"), reason="desktop-file-utils not installed"
)
def test_desktop_entry_validates():
    result = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in result.stdout.lower()


def test_metainfo_matches_the_app():
    root = ET.parse(METAINFO).getroot()
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == viewer.APP_ID
    assert root.findtext("name") == viewer.APP_NAME
    assert root.findtext("project_license") == "MIT"
    assert root.findtext("launchable") == DESKTOP.name
    assert root.find("releases/release").get("version") == viewer.__version__


@pytest.mark.skipif(not shutil.which("appstreamcli"), reason="appstream not installed")
def test_metainfo_validates():
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(METAINFO)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_version_agrees_between_pyproject_and_package():
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["version"] == viewer.__version__  # the spec refuses to build otherwise


def test_window_icon_is_the_packaging_icon():
    assert (ROOT / "viewer" / "cloudref.svg").read_bytes() == (
        PACKAGING / "icons" / "cloudref.svg"
    ).read_bytes()
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")


def test_icon_script_makes_png_ico_and_icns(qapp, tmp_path):
    from PySide6.QtGui import QImage

    written = make_icons.make_icons(tmp_path)

    for size in make_icons.PNG_SIZES:
        image = QImage(str(written[f"png{size}"]))
        assert (image.width(), image.height()) == (size, size)
        assert image.hasAlphaChannel()
        assert image.pixelColor(0, 0).alpha() == 0  # the rounded corner is transparent
        assert image.pixelColor(size // 2, size // 2).alpha() == 255

    ico = written["ico"].read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", ico)
    assert (reserved, kind, count) == (0, 1, len(make_icons.ICO_SIZES))
    sides = [struct.unpack_from("<B", ico, 6 + 16 * i)[0] or 256 for i in range(count)]
    assert sides == sorted(make_icons.ICO_SIZES)
    offset = struct.unpack_from("<I", ico, 6 + 12)[0]
    assert ico[offset : offset + 8] == b"\x89PNG\r\n\x1a\n"

    icns = written["icns"].read_bytes()
    assert icns[:4] == b"icns" and struct.unpack_from(">I", icns, 4)[0] == len(icns)
    types, at = [], 8
    while at < len(icns):
        ostype, length = icns[at : at + 4], struct.unpack_from(">I", icns, at + 4)[0]
        assert icns[at + 8 : at + 16] == b"\x89PNG\r\n\x1a\n"
        types.append(ostype)
        at += length
    assert at == len(icns)
    assert types == [ostype for ostype, _ in make_icons.ICNS_TYPES]


def _spec_functions() -> dict:
    """plugin_kept and the tables it reads, taken from the spec without running PyInstaller."""
    tree = ast.parse(SPEC.read_text(encoding="utf-8"), filename=str(SPEC))
    wanted = {"KEEP_PLUGINS", "plugin_kept"}
    nodes = [
        node
        for node in tree.body
        if (isinstance(node, ast.FunctionDef) and node.name in wanted)
        or (
            isinstance(node, ast.Assign)
            and any(getattr(t, "id", None) in wanted for t in node.targets)
        )
    ]
    namespace = {"Path": Path}
    exec(compile(ast.Module(body=nodes, type_ignores=[]), str(SPEC), "exec"), namespace)  # noqa: S102
    return namespace


@pytest.mark.parametrize(
    ("dest", "kept"),
    [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
        ("PySide6/Qt/plugins/platforms/libqwayland.so", True),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
        ("PySide6/plugins/platforms/qwindows.dll", True),
        ("PySide6/Qt/plugins/platforms/libqcocoa.dylib", True),
        ("PySide6/Qt/plugins/platforms/libqeglfs.so", False),
        ("PySide6/Qt/plugins/imageformats/libqsvg.so", True),
        ("PySide6/plugins/imageformats/qjpeg.dll", True),
        ("PySide6/Qt/plugins/imageformats/libqpdf.so", False),
        ("PySide6/Qt/plugins/iconengines/libqsvgicon.so", True),
        ("PySide6/Qt/plugins/printsupport/libcupsprintersupport.so", True),
        ("PySide6/plugins/styles/qmodernwindowsstyle.dll", True),
        ("PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so", True),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
        ("PySide6/Qt/plugins/tls/libqopensslbackend.so", False),
        ("PySide6/Qt/plugins/qmltooling/libqmldbg_tcp.so", False),
        ("PySide6/Qt/lib/libQt6Core.so.6", True),  # not a plugin: other rules decide
    ],
)
def test_spec_keeps_only_the_plugins_the_app_uses(dest, kept):
    assert _spec_functions()["plugin_kept"](dest) is kept


@pytest.mark.parametrize(
    ("entry", "inside"),
    [
        ("$ORIGIN", True),
        ("$ORIGIN/", True),
        ("${ORIGIN}/../..", True),  # lib-dynload/x.so -> _internal
        ("$ORIGIN/../../lib", True),
        ("$ORIGIN/../../..", False),  # above _internal
        ("$ORIGIN/../../../../etc", False),
        ("/root/.pyenv/versions/3.11.7/lib", False),  # the build machine's Python
        ("/opt/cloudref/_internal", False),  # right only where the .deb put it
        ("lib", False),  # relative to the working directory, wherever that is
        ("$ORIGINAL", False),
    ],
)
def test_a_search_path_may_only_name_folders_inside_the_bundle(entry, inside):
    root = PurePosixPath("/opt/cloudref/_internal")
    assert bundle_elf.outside(entry, root / "python3.11/lib-dynload", root) is not inside


@pytest.mark.skipif(not shutil.which("objdump"), reason="binutils' objdump reads the ELF files")
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF files")
def test_the_floor_check_reads_search_paths_from_real_files(tmp_path):
    """PySide6's QtCore module searches $ORIGIN/../shiboken6: inside a bundle where it sits in
    PySide6/, outside one it sits at the top of."""
    import PySide6

    module = next(Path(PySide6.__file__).parent.glob("QtCore.*so"))
    assert "$ORIGIN/../shiboken6/" in bundle_elf.search_paths(module)
    nested, flat = tmp_path / "nested", tmp_path / "flat"
    (nested / "PySide6").mkdir(parents=True)
    flat.mkdir()
    shutil.copy(module, nested / "PySide6")
    shutil.copy(module, flat)

    def search_problems(bundle: Path) -> list[str]:
        return [line for line in bundle_elf.check_floor(bundle) if "outside the bundle" in line]

    assert search_problems(nested) == []
    assert search_problems(flat) == [
        f"{module.name} searches for libraries outside the bundle: $ORIGIN/../shiboken6/"
    ]


def test_scripts_parse():
    for script in (
        PACKAGING / "build.sh",
        PACKAGING / "install-linux.sh",
        PACKAGING / "package-linux.sh",
        ROOT / ".ci" / "package-smoke.sh",
        ROOT / ".ci" / "minimal-system.sh",
        ROOT / ".ci" / "frozen-child-env.sh",
        ROOT / ".ci" / "run",
    ):
        assert os.access(script, os.X_OK), f"{script} is not executable"
        result = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


def _fake_build(root: Path) -> Path:
    """What build.sh leaves in dist/cloudref, with a shell script standing in for the program."""
    build = root / "cloudref"
    (build / "_internal").mkdir(parents=True)
    program = build / "cloudref"
    program.write_text("#!/bin/sh\necho Cloudref fake\n")
    program.chmod(0o755)
    share = build / "share"
    (share / "applications").mkdir(parents=True)
    shutil.copy(DESKTOP, share / "applications")
    (share / "metainfo").mkdir()
    shutil.copy(METAINFO, share / "metainfo")
    for size in (16, 256):
        icons = share / "icons" / "hicolor" / f"{size}x{size}" / "apps"
        icons.mkdir(parents=True)
        (icons / f"{viewer.APP_ID}.png").write_bytes(b"png")
    shutil.copy(PACKAGING / "install-linux.sh", build)
    return build


def exec_program(value: str) -> str:
    """The program an Exec value starts, read as the Desktop Entry spec says a launcher does:
    string-value escapes first, then the quoting rule, then %% for a literal %."""
    unescaped = re.sub(
        r"\\(.)",
        lambda m: {"s": " ", "n": "\n", "t": "\t", "r": "\r"}.get(m.group(1), m.group(1)),
        value,
    )
    assert unescaped.startswith('"'), "a path with reserved characters must be quoted"
    arg, i = "", 1
    while unescaped[i] != '"':
        if unescaped[i] == "\\":
            assert unescaped[i + 1] in '"`$\\', 'only " ` $ \\ may be escaped in quotes'
            i += 1
        arg += unescaped[i]
        i += 1
    assert "%" not in arg.replace("%%", ""), "a lone % is a field code"
    return arg.replace("%%", "%")


PREFIXES = [
    "prefix with space",
    "a&b %f 100% done",
    "quote\"s and 'single'",
    "dollar $HOME `x` back\\slash",
]


@pytest.mark.skipif(sys.platform != "linux", reason="the install script is for Linux")
@pytest.mark.parametrize("name", PREFIXES)
def test_install_script_installs_and_uninstalls(tmp_path, name):
    build = _fake_build(tmp_path / "unpacked")
    prefix = tmp_path / name
    prefix.mkdir()
    env = {**os.environ, "PREFIX": str(prefix)}

    subprocess.run([str(build / "install-linux.sh")], env=env, check=True, capture_output=True)

    lib = prefix / "lib" / "cloudref"
    assert (prefix / "bin" / "cloudref").resolve() == (lib / "cloudref").resolve()
    run = subprocess.run([str(prefix / "bin" / "cloudref")], capture_output=True, text=True)
    assert run.stdout.strip() == "Cloudref fake"
    entry = prefix / "share" / "applications" / DESKTOP.name
    exec_line = next(
        line for line in entry.read_text(encoding="utf-8").splitlines() if line.startswith("Exec=")
    )
    assert exec_program(exec_line[len("Exec=") :].split('" ')[0] + '"') == str(lib / "cloudref")
    assert exec_line.endswith('" %f')  # the opened file or folder still reaches the program
    if shutil.which("desktop-file-validate"):
        result = subprocess.run(
            ["desktop-file-validate", str(entry)], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout
    assert (prefix / "share" / "metainfo" / METAINFO.name).is_file()
    assert (
        prefix / "share" / "icons" / "hicolor" / "256x256" / "apps" / f"{viewer.APP_ID}.png"
    ).is_file()

    subprocess.run(
        [str(lib / "install-linux.sh"), "--uninstall"], env=env, check=True, capture_output=True
    )
    assert list(prefix.rglob("*")) == []  # no file, no cache, no empty folder left


@pytest.mark.skipif(sys.platform != "linux", reason="the install script is for Linux")
def test_uninstall_keeps_what_others_put_in_the_same_folders(tmp_path):
    build = _fake_build(tmp_path / "unpacked")
    prefix = tmp_path / "prefix"
    other = prefix / "share" / "applications" / "other.desktop"
    other.parent.mkdir(parents=True)
    other.write_text("[Desktop Entry]\nType=Application\nName=Other\nExec=other\n")
    env = {**os.environ, "PREFIX": str(prefix)}
    subprocess.run([str(build / "install-linux.sh")], env=env, check=True, capture_output=True)
    subprocess.run(
        [str(prefix / "lib" / "cloudref" / "install-linux.sh"), "--uninstall"],
        env=env,
        check=True,
        capture_output=True,
    )
    assert other.is_file()
    assert not (prefix / "lib").exists() and not (prefix / "bin").exists()


def test_exec_program_reads_the_spec_examples():
    assert exec_program('"/a b/c"') == "/a b/c"
    assert exec_program(r'"/x/\\"q\\"/%%/\\\\y"') == r'/x/"q"/%/\y'


def test_window_has_the_app_icon(qapp):
    from PySide6.QtWidgets import QApplication

    from viewer.app import build_window

    window = build_window([])
    try:
        icon = QApplication.windowIcon()
        assert not icon.isNull()
        assert not icon.pixmap(32, 32).isNull()  # the SVG icon engine drew it
    finally:
        window.close()
        window.deleteLater()
