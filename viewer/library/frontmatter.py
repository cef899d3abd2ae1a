"""Front matter: `key: value` lines between `---` lines at the top of a topic.

Parsed by hand rather than through a YAML library: the format is deliberately small, and a
bad line must be reported with its line number while the rest of the file still opens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_KEY_LINE = re.compile(r"^([A-Za-z_][\w.-]*)\s*:\s*(.*)$")


@dataclass
class FrontMatter:
    meta: dict[str, str] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1  # line number (1-based) in the file where `body` starts
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, message)
    lines: dict[str, int] = field(default_factory=dict)  # key -> its line, for messages


def _clean(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1]
    return value


def parse(text: str) -> FrontMatter:
    """Split `text` into metadata and body. Never raises."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return FrontMatter(body=text)
    end = None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            end = index
            break
    if end is None:
        return FrontMatter(
            body=text,
            errors=[
                (
                    1,
                    "front matter opened with '---' is never closed: add a '---' line after its "
                    "last key",
                )
            ],
        )
    result = FrontMatter(body="\n".join(lines[end + 1 :]), body_line=end + 2)
    for index in range(1, end):
        raw = lines[index].rstrip("\r")
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        match = _KEY_LINE.match(raw)
        if not match:
            result.errors.append(
                (index + 1, f"front matter line is not 'key: value': {raw.strip()[:60]!r}")
            )
            continue
        result.meta[match.group(1).lower()] = _clean(match.group(2))
        result.lines[match.group(1).lower()] = index + 1
    return result


def split_list(value: str) -> tuple[str, ...]:
    """`a, b, c` or `[a, b, c]` as a tuple of stripped, non-empty items."""
    value = value.strip()
    if value.startswith("[") and value.endswith("]"):
        value = value[1:-1]
    return tuple(item for item in (_clean(part) for part in value.split(",")) if item)
