"""The one gate every picture passes through: screen, print, PDF and `cloudref --check`.

A library may come from anyone, so a picture is trusted only after it has passed here:

- it is a file inside the library (`viewer.pages.links.resolve_image` decides that);
- its type is the one its suffix names, confirmed by its first bytes: an SVG named `.png` is
  refused, never parsed as SVG;
- it is small enough: file bytes, and pixels as its header states them (read here, before
  anything decodes it);
- an SVG is parsed with `defusedxml` (no DTD, no entities) and rewritten without any reference
  that leaves the file: `href`/`xlink:href` keep only `#id`; `data:` pictures inside it are
  decoded and checked the same way (nested SVG documents sanitised in turn, PNG and JPEG only,
  within the same limits) or dropped; `url()` in attributes and style keeps only `#id`;
  `@import`, XInclude, scripts and foreign objects go. Qt is handed the rewritten bytes only.

A refused picture is a `Picture` with a `reason`; the caller shows a placeholder and a
problem naming the file and the reason. No Qt here.
"""

from __future__ import annotations

import base64
import binascii
import re
import struct
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote_to_bytes
from xml.etree import ElementTree as ET

MAX_RASTER_BYTES = 20 * 1024 * 1024
MAX_SVG_BYTES = 4 * 1024 * 1024
MAX_PIXELS = 40_000_000  # about 160 MB decoded at 4 bytes a pixel
MAX_SVG_ELEMENTS = 100_000
MAX_SVG_DEPTH = 256  # element nesting; serialising deeper trees recurses without bound
MAX_NESTED_DOCUMENTS = 2  # an SVG inside an SVG inside an SVG: deeper ones are dropped

SUFFIX_TYPES = {
    ".png": "png",
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".gif": "gif",
    ".bmp": "bmp",
    ".webp": "webp",
    ".svg": "svg",
}
DATA_RASTER_TYPES = {"image/png": "png", "image/jpeg": "jpeg", "image/jpg": "jpeg"}

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XINCLUDE_NS = "http://www.w3.org/2001/XInclude"
_DROPPED_TAGS = {"script", "foreignObject", "include", "fallback", "handler", "listener"}
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)


class Picture(NamedTuple):
    """A picture that passed the gate (`reason` empty) or was refused (`reason` says why)."""

    kind: str  # "svg", "raster" or "refused"
    data: bytes = b""  # the sanitised SVG, or the raster file's bytes
    format: str = ""  # "svg", "png", "jpeg", "gif", "bmp", "webp"
    size: tuple[int, int] | None = None  # pixels, for a raster
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.kind != "refused"


class PictureError(Exception):
    """A picture refused; the message is the reason, in a few words."""


def refused(reason: str) -> Picture:
    return Picture("refused", reason=reason)


# -- content types -----------------------------------------------------------------------
_XML_PROLOGUE = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]{0,512}\?>\s*)?(?:<!--.{0,4096}?-->\s*)*"
    rb"(?:<!DOCTYPE[^>\[]{0,1024}(?:\[.{0,6144}?\])?\s*>\s*)?(?:<!--.{0,4096}?-->\s*)*<(?:[\w.-]+:)?svg\b",
    re.DOTALL,
)


def sniff(data: bytes) -> str | None:
    """The picture type the first bytes of `data` show, or None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data.startswith(b"BM") and len(data) >= 26:
        return "bmp"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if _XML_PROLOGUE.match(data[:8192]):
        return "svg"
    return None


def raster_size(data: bytes, kind: str) -> tuple[int, int] | None:
    """(width, height) as the raster's header states it, without decoding it; None if unreadable."""
    try:
        if kind == "png" and data[12:16] == b"IHDR":
            return struct.unpack(">II", data[16:24])
        if kind == "gif":
            return struct.unpack("<HH", data[6:10])
        if kind == "bmp":
            width, height = struct.unpack("<ii", data[18:26])
            return abs(width), abs(height)
        if kind == "webp":
            return _webp_size(data)
        if kind == "jpeg":
            return _jpeg_size(data)
    except struct.error:
        return None
    return None


def _webp_size(data: bytes) -> tuple[int, int] | None:
    chunk = data[12:16]
    if chunk == b"VP8X":
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        return width, height
    if chunk == b"VP8L":
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8 ":
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    return None


_SOF_MARKERS = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """Walk the JPEG's segments to its frame header (one step a segment: linear)."""
    position = 2
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            return None
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            position += 2
            continue
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        if marker in _SOF_MARKERS:
            height, width = struct.unpack(">HH", data[position + 5 : position + 9])
            return width, height
        if length < 2:
            return None
        position += 2 + length
    return None


def check_raster(data: bytes, expected: str) -> Picture:
    """Raster bytes that must be of type `expected`, within the size limits."""
    found = sniff(data)
    if found != expected:
        shown = "SVG" if found == "svg" else (found.upper() if found else "not a picture")
        return refused(f"content is {shown}, not {expected.upper()}")
    if len(data) > MAX_RASTER_BYTES:
        return refused(f"file is larger than {MAX_RASTER_BYTES // (1024 * 1024)} MB")
    size = raster_size(data, expected)
    if size is None or size[0] <= 0 or size[1] <= 0:
        return refused(f"damaged {expected.upper()} header")
    if size[0] * size[1] > MAX_PIXELS:
        return refused(f"{size[0]}×{size[1]} pixels is more than {MAX_PIXELS // 1_000_000} million")
    return Picture("raster", data, expected, size)


# -- files -------------------------------------------------------------------------------
def picture_type(path: Path | str) -> str | None:
    """The type a file name promises by its suffix, or None for a suffix that is no picture."""
    return SUFFIX_TYPES.get(Path(path).suffix.lower())


def load_file(path: Path | str) -> Picture:
    """The library file at `path` (already resolved inside the library) through the gate."""
    path = Path(path)
    expected = picture_type(path)
    if expected is None:
        return refused(f"{path.suffix or 'no suffix'} is not a picture type Cloudref shows")
    limit = MAX_SVG_BYTES if expected == "svg" else MAX_RASTER_BYTES
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        return refused(f"cannot be read: {exc.strerror or exc}")
    if len(data) > limit:
        return refused(f"file is larger than {limit // (1024 * 1024)} MB")
    if expected != "svg":
        return check_raster(data, expected)
    found = sniff(data)
    if found != "svg":
        return refused(f"content is {found.upper() if found else 'not a picture'}, not SVG")
    try:
        return Picture("svg", sanitise_svg(data), "svg")
    except PictureError as exc:
        return refused(str(exc))


_CACHE: dict[str, tuple[tuple[int, int], Picture]] = {}


def inspect_file(path: Path | str) -> Picture:
    """`load_file`'s verdict, remembered while the file's size and modification time stay the
    same: a sanitised SVG keeps its bytes, a raster only its verdict (Qt decodes it once)."""
    key = str(path)
    try:
        status = Path(path).stat()
        stamp = (status.st_size, status.st_mtime_ns)
    except OSError as exc:
        return refused(f"cannot be read: {exc.strerror or exc}")
    cached = _CACHE.get(key)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    picture = load_file(path)
    if picture.kind == "raster":
        picture = picture._replace(data=b"")
    if len(_CACHE) > 512:
        _CACHE.clear()
    _CACHE[key] = (stamp, picture)
    return picture


def problem_text(src: str, picture: Picture) -> str:
    """The problem a refused picture reports, naming the file and the reason."""
    return f"picture {src!r} is not shown: {picture.reason}"


# -- SVG ---------------------------------------------------------------------------------
_CSS_IMPORT = re.compile(r"@import", re.IGNORECASE)
_CSS_ESCAPE = re.compile(r"\\[0-9a-fA-F]{1,6}\s?|\\.", re.DOTALL)
_LOCAL_REF = re.compile(r"#[A-Za-z_][\w.:-]*\Z")
_DATA_URI = re.compile(r"data:([^,;]*)((?:;[^,;]*)*),(.*)\Z", re.DOTALL | re.IGNORECASE)


def sanitise_svg(data: bytes, depth: int = 0) -> bytes:
    """`data` (an SVG document) rewritten with nothing that reaches outside it. Raises
    PictureError if it is not an SVG that can be shown safely."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    if len(data) > MAX_SVG_BYTES:
        raise PictureError(f"SVG is larger than {MAX_SVG_BYTES // (1024 * 1024)} MB")
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise PictureError(f"SVG declares {_defused_what(exc)}, which pictures may not") from None
    except (ET.ParseError, ValueError) as exc:
        raise PictureError(f"SVG is not well-formed XML ({exc})") from None
    if _local(root.tag) != "svg":
        raise PictureError(f"root element is <{_local(root.tag)}>, not <svg>")
    _clean_tree(root, depth)
    try:
        return ET.tostring(root, encoding="utf-8")
    except RecursionError:
        raise PictureError(f"SVG is nested more than {MAX_SVG_DEPTH} elements deep") from None


def _defused_what(exc: Exception) -> str:
    name = type(exc).__name__
    return {
        "DTDForbidden": "a DTD",
        "EntitiesForbidden": "entities",
        "ExternalReferenceForbidden": "an external reference",
    }.get(name, name)


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _namespace(tag) -> str:
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""


def _clean_tree(root: ET.Element, depth: int) -> None:
    count = 0
    stack: list[tuple[ET.Element, int]] = [(root, 1)]
    while stack:
        element, level = stack.pop()
        count += 1
        if count > MAX_SVG_ELEMENTS:
            raise PictureError(f"SVG has more than {MAX_SVG_ELEMENTS:,} elements")
        if level > MAX_SVG_DEPTH:
            raise PictureError(f"SVG is nested more than {MAX_SVG_DEPTH} elements deep")
        for child in list(element):
            if not isinstance(child.tag, str):  # a comment or processing instruction
                element.remove(child)
            elif _namespace(child.tag) == XINCLUDE_NS or _local(child.tag) in _DROPPED_TAGS:
                element.remove(child)
            elif not _clean_element(child, depth):
                element.remove(child)
            else:
                stack.append((child, level + 1))
    _clean_element(root, depth)


def _clean_element(element: ET.Element, depth: int) -> bool:
    """Rewrite one element's references in place; False if the element must go."""
    for name, value in list(element.attrib.items()):
        local = _local(name).lower()
        if _namespace(name) == XINCLUDE_NS or local.startswith("on"):
            del element.attrib[name]
        elif local == "href":
            kept = _safe_href(value, depth)
            if kept is None:
                del element.attrib[name]
                if _local(element.tag) in ("image", "use", "feImage", "tref"):
                    return False  # with nothing to show, it would fall back to other hrefs
            else:
                element.attrib[name] = kept
        elif "url(" in value.lower() or "@import" in value.lower() or "\\" in value:
            element.attrib[name] = clean_css(value)
    if _local(element.tag) in ("set", "animate") and _local(
        element.get("attributeName", "")
    ).lower().endswith("href"):
        return False  # an animation would put back the reference taken away above
    if _local(element.tag) == "style" and element.text:
        element.text = clean_css(element.text)
    return True


def _safe_href(value: str, depth: int) -> str | None:
    value = value.strip()
    if _LOCAL_REF.match(value):
        return value
    if value[:5].lower() == "data:":
        return _safe_data_uri(value, depth)
    return None


def _safe_data_uri(uri: str, depth: int) -> str | None:
    """A `data:` picture inside an SVG, checked as a file would be and re-encoded; None drops it."""
    match = _DATA_URI.match(uri)
    if match is None:
        return None
    media = match.group(1).strip().lower()
    base64_coded = any(p.strip().lower() == "base64" for p in match.group(2).split(";"))
    payload = match.group(3)
    limit = MAX_SVG_BYTES if media == "image/svg+xml" else MAX_RASTER_BYTES
    if len(payload) > limit * 2:
        return None
    try:
        raw = (
            base64.b64decode(re.sub(r"\s+", "", payload), validate=True)
            if base64_coded
            else unquote_to_bytes(payload)
        )
    except (binascii.Error, ValueError):
        return None
    if media == "image/svg+xml":
        if depth + 1 > MAX_NESTED_DOCUMENTS or sniff(raw) != "svg":
            return None
        try:
            clean = sanitise_svg(raw, depth + 1)
        except PictureError:
            return None
        return "data:image/svg+xml;base64," + base64.b64encode(clean).decode("ascii")
    kind = DATA_RASTER_TYPES.get(media)
    if kind is None or not check_raster(raw, kind).ok:
        return None
    return f"data:image/{kind};base64," + base64.b64encode(raw).decode("ascii")


def clean_css(text: str) -> str:
    """Style text with no `@import` and no `url()` but to `#id`. CSS escapes are decoded first,
    so an escaped `u\\72l(` cannot slip through; one pass over the text, whatever it holds."""
    text = _CSS_ESCAPE.sub(_unescape_css, text)
    text = _CSS_IMPORT.sub("@x-import", text)  # no longer a rule Qt (or anyone) follows
    lower = text.lower()
    out: list[str] = []
    position = 0
    while True:
        start = lower.find("url(", position)
        if start < 0:
            out.append(text[position:])
            break
        end = text.find(")", start)
        out.append(text[position:start])
        if end < 0:  # an unclosed url( takes the rest of the text with it
            out.append("none")
            break
        target = text[start + 4 : end].strip().strip("'\"").strip()
        out.append(f"url({target})" if _LOCAL_REF.match(target) else "none")
        position = end + 1
    return "".join(out)


def _unescape_css(match: re.Match) -> str:
    escape = match.group(0)[1:].strip()
    if re.fullmatch(r"[0-9a-fA-F]{1,6}", escape):
        code = int(escape, 16)
        return chr(code) if 0 < code < 0x110000 else ""
    return escape
