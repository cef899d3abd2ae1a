"""Front matter: the YAML block between `---` lines at the top of a topic.

Read with PyYAML's safe loader, so what note-taking apps and static-site generators write
works: lists (`aliases: [a, b]` or a block list), quoting, dates, numbers. Our keys are read
from it and every other key is ignored.

Libraries written before this took `key: value` lines whose value may hold a colon
(`summary: Lambda: functions as a service`), which YAML rejects. A block YAML cannot read is
therefore read entry by entry: an entry that is one `key: value` line keeps its text as
written, and only an entry that is neither YAML nor such a line is reported, with its line.

PyYAML is imported on the first topic that has front matter: a start that restores the
library snapshot parses none.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

_KEY_LINE = re.compile(r"^([A-Za-z_][\w.-]*)\s*:(?:\s+(.*))?$")
# An entry of its own starts at a line that is not indented, a list item, a comment or the end
# of a flow collection: anything else continues the entry above it.
_ENTRY_START = re.compile(r"^[^\s#\-\]}]")

Meta = dict[str, "str | list[str]"]


@dataclass
class FrontMatter:
    # Our keys, lower-cased: each value a string, or a list of strings for a YAML list.
    meta: Meta = field(default_factory=dict)
    body: str = ""
    body_line: int = 1  # line number (1-based) in the file where `body` starts
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, message)
    lines: dict[str, int] = field(default_factory=dict)  # key -> its line, for messages


def _split(text: str) -> tuple[list[str] | None, int, str]:
    """(the front matter's lines or None, the index of its closing line, the text without a
    byte-order mark): the block's bounds, found without reading it."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.startswith("---"):
        return None, 0, text
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return None, 0, text
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return lines, index, text
    return lines, -1, text


def body_of(text: str) -> str:
    """The body `parse(text)` gives, without reading the front matter's YAML: the search
    indexer needs the text only, and PyYAML is pure Python that would hold the GIL."""
    lines, end, text = _split(text)
    return text if lines is None or end < 0 else "\n".join(lines[end + 1 :])


def parse(text: str) -> FrontMatter:
    """Split `text` into metadata and body. Never raises."""
    lines, end, text = _split(text)
    if lines is None:
        return FrontMatter(body=text)
    if end < 0:
        return FrontMatter(
            body=text,
            errors=[
                (
                    1,
                    "front matter opened with '---' is never closed:"
                    " add a '---' line after its last key",
                )
            ],
        )
    result = FrontMatter(body="\n".join(lines[end + 1 :]), body_line=end + 2)
    block = [line.rstrip("\r") for line in lines[1:end]]
    if any(line.strip() and not line.lstrip().startswith("#") for line in block):
        _read_block(block, result)
    return result


def _read_block(block: list[str], result: FrontMatter) -> None:
    """Fill `result` from the front matter lines (the file's line 2 is `block[0]`)."""
    import yaml  # here: only a topic with front matter needs it

    try:
        data, lines = _load("\n".join(block), first_line=2)
    except yaml.YAMLError:
        _read_entries(block, result)
        return
    if data is None:
        return
    if not isinstance(data, dict):
        result.errors.append((2, "front matter is not 'key: value' pairs; it is ignored"))
        return
    _keep(data, lines, result)


def _read_entries(block: list[str], result: FrontMatter) -> None:
    """A block YAML rejects, one top-level entry at a time (see the module's docstring)."""
    import yaml

    starts = [i for i, line in enumerate(block) if _ENTRY_START.match(line)]
    # Lines before the first key (or a block with no key at all) form an entry of their own.
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    for n, start in enumerate(starts):
        stop = starts[n + 1] if n + 1 < len(starts) else len(block)
        entry = block[start:stop]
        while entry and not entry[-1].strip():
            entry.pop()
        if not entry or all(not x.strip() or x.lstrip().startswith("#") for x in entry):
            continue
        try:
            data, lines = _load("\n".join(entry), first_line=start + 2)
        except yaml.YAMLError as exc:
            match = _KEY_LINE.match(entry[0]) if len(entry) == 1 else None
            if match:  # the old `key: value` format: the value is the text as written
                key = match.group(1).lower()
                result.meta[key] = _unquote((match.group(2) or "").strip())
                result.lines[key] = start + 2
                continue
            mark = getattr(exc, "problem_mark", None)
            line = start + 2 + (mark.line if mark is not None else 0)
            problem = getattr(exc, "problem", None) or "not YAML"
            if len(entry) == 1 and not _KEY_LINE.match(entry[0]):
                message = f"front matter line is not 'key: value': {entry[0].strip()[:60]!r}"
            else:
                message = f"front matter is not valid YAML ({problem}); this entry is ignored"
            result.errors.append((line, message))
            continue
        if isinstance(data, dict):
            _keep(data, lines, result)
        else:
            line = entry[0].strip()[:60]
            result.errors.append((start + 2, f"front matter line is not 'key: value': {line!r}"))


def _load(text: str, first_line: int) -> tuple[object, dict[str, int]]:
    """The YAML document in `text` and the file line of each top-level key."""
    import yaml

    # libyaml's parser when PyYAML has it (the same safe constructor, the same marks): the
    # pure-Python one holds the GIL for most of a large library's scan.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        data = loader.construct_document(node)
    finally:
        loader.dispose()
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, _value in node.value:
            lines[str(key_node.value).lower()] = first_line + key_node.start_mark.line
    return data, lines


def _keep(data: dict, lines: dict[str, int], result: FrontMatter) -> None:
    for key, value in data.items():
        name = str(key).lower()
        text = _text(value)
        if text is None:
            continue  # a nested mapping: none of our keys is one, and others are ignored
        result.meta[name] = text
        result.lines[name] = lines.get(name, 2)


def _text(value: object) -> str | list[str] | None:
    """A YAML value as we keep it: strings as they are, lists as lists of strings."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [t for t in (_text(item) for item in value) if isinstance(t, str) and t]
    if isinstance(value, dict):
        return None
    return str(value)


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1]
    return value


def text_value(value: str | list[str] | None) -> str:
    """A front matter value as one string (a list joined by commas)."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(value)
    return value


def split_list(value: str | list[str] | None) -> tuple[str, ...]:
    """A YAML list, or the text `a, b, c` or `[a, b, c]`, as a tuple of non-empty items."""
    if not value:
        return ()
    if isinstance(value, list):
        return tuple(item.strip() for item in value if item.strip())
    value = value.strip()
    if value.startswith("[") and value.endswith("]"):
        value = value[1:-1]
    return tuple(item for item in (_unquote(part.strip()) for part in value.split(",")) if item)
