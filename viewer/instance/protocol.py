"""The hand-off protocol: the local socket's name, and the messages, in plain Python.

One request and one reply per connection, each a single line of UTF-8 JSON:

    request  {"v": 1, "library": "/resolved/root", "topic": "lambda" | null,
              "file": "/resolved/page.md" | null}
    reply    {"v": 1, "status": "opened" | "usage" | "elsewhere" | "unsupported",
              "message": "..."}

`opened`: the window took the request (the second launch exits 0); `usage`: the request names
what the library does not have (the launch prints `message` and exits 2, as a first launch
would); `elsewhere` (the window shows another library by now) and `unsupported` (a version
this window does not speak): the launch opens a window of its own.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import NamedTuple

from viewer.library.cache import new_sha1

VERSION = 1
MAX_MESSAGE = 64 * 1024  # bytes of one line: paths and an id, never more

OPENED, USAGE, ELSEWHERE, UNSUPPORTED = "opened", "usage", "elsewhere", "unsupported"
STATUSES = (OPENED, USAGE, ELSEWHERE, UNSUPPORTED)


class ProtocolError(ValueError):
    """A message that is not one of ours: too long, not JSON, wrong version or shape."""


class Request(NamedTuple):
    """What a second launch asks of the window showing `library`."""

    library: str
    topic: str | None = None
    file: str | None = None


class Reply(NamedTuple):
    """What the window did with a request (`status`), and what to print if anything."""

    status: str
    message: str = ""


def _user() -> str:
    """Who runs us: two users on one machine never share a window."""
    if hasattr(os, "getuid"):
        return str(os.getuid())
    return os.environ.get("USERNAME", "") + "@" + os.environ.get("USERDOMAIN", "")


def server_name(root: Path) -> str:
    """The local socket of the window showing the library at `root` (a resolved path).

    On Windows a pipe name; elsewhere a socket file's path, in the user's runtime folder
    (private to the user) when there is one, else where Qt puts its own (`$TMPDIR`, `/tmp`).
    """
    digest = new_sha1(f"{_user()}\0{root}").hexdigest()[:20]
    name = f"cloudref-{digest}"
    if sys.platform.startswith("win"):
        return name
    folder = os.environ.get("XDG_RUNTIME_DIR", "")
    if not folder or not os.path.isdir(folder):
        folder = os.environ.get("TMPDIR", "") or "/tmp"
    return os.path.join(folder, name + ".sock")


def _line(payload: dict) -> bytes:
    import json  # here: a start with no window to hand off to never needs it

    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return data + b"\n"


def _load(line: bytes) -> dict:
    if len(line) > MAX_MESSAGE:
        raise ProtocolError("message too long")
    import json

    try:
        value = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ProtocolError(f"not a JSON line: {exc}") from None
    if not isinstance(value, dict):
        raise ProtocolError("not a JSON object")
    return value


def _optional_text(value: dict, key: str) -> str | None:
    text = value.get(key)
    if text is not None and not isinstance(text, str):
        raise ProtocolError(f"{key!r} is not text")
    return text or None


def encode_request(request: Request) -> bytes:
    return _line(
        {"v": VERSION, "library": request.library, "topic": request.topic, "file": request.file}
    )


def decode_request(line: bytes) -> Request:
    """The request in `line`; ProtocolError if it is not a version-1 request."""
    value = _load(line)
    if value.get("v") != VERSION:
        raise ProtocolError(f"version {value.get('v')!r} (this window speaks {VERSION})")
    library = value.get("library")
    if not isinstance(library, str) or not library:
        raise ProtocolError("no library")
    return Request(library, _optional_text(value, "topic"), _optional_text(value, "file"))


def encode_reply(reply: Reply) -> bytes:
    return _line({"v": VERSION, "status": reply.status, "message": reply.message})


def decode_reply(line: bytes) -> Reply:
    """The reply in `line`, read by its status alone, so a later version's reply still reads;
    ProtocolError for anything else."""
    value = _load(line)
    status, message = value.get("status"), value.get("message", "")
    if status not in STATUSES or not isinstance(message, str):
        raise ProtocolError(f"unknown reply {value!r}")
    return Reply(status, message)
