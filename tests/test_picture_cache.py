"""The picture gate's rewritten SVGs kept between runs (`viewer.pages.picture_cache`). No Qt."""

import os

from viewer.pages import picture_cache, pictures

SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    b'width="10" height="10"><image xlink:href="file:///etc/passwd"/>'
    b'<rect width="10" height="10" fill="#123456"/></svg>'
)


def test_a_diagram_is_read_from_the_cache_in_a_later_run(tmp_path, monkeypatch, isolated_settings):
    path = tmp_path / "d.svg"
    path.write_bytes(SVG)
    first = picture_cache.safe_svg(str(path))
    assert b"#123456" in first and b"/etc/passwd" not in first
    assert list((isolated_settings / ".cache").rglob("pictures/*.bin")), "written to the cache"

    def gate_run_again(_path):
        raise AssertionError("the gate ran again for an unchanged file")

    monkeypatch.setattr(pictures, "inspect_file", gate_run_again)
    assert picture_cache.safe_svg(str(path)) == first


def test_a_changed_diagram_passes_the_gate_again(tmp_path):
    path = tmp_path / "d.svg"
    path.write_bytes(SVG)
    picture_cache.safe_svg(str(path))
    path.write_bytes(SVG.replace(b"#123456", b"#abcdef"))
    os.utime(path, ns=(1, 1))  # a different time, whatever the clock's resolution
    again = picture_cache.safe_svg(str(path))
    assert b"#abcdef" in again and b"#123456" not in again


def test_a_refused_picture_stays_refused(tmp_path):
    path = tmp_path / "evil.svg"
    path.write_bytes(b'<!DOCTYPE svg [<!ENTITY x "y">]><svg xmlns="http://www.w3.org/2000/svg"/>')
    assert picture_cache.safe_svg(str(path)) == b""
    assert picture_cache.safe_svg(str(path)) == b""
    assert picture_cache.safe_svg(str(tmp_path / "missing.svg")) == b""


def test_a_damaged_cache_file_reads_as_missing(tmp_path, isolated_settings):
    path = tmp_path / "d.svg"
    path.write_bytes(SVG)
    picture_cache.safe_svg(str(path))
    for entry in (isolated_settings / ".cache").rglob("pictures/*.bin"):
        entry.write_bytes(b"\x00garbage")
    assert b"#123456" in picture_cache.safe_svg(str(path))
