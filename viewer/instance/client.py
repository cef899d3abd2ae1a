"""The second launch's side: hand the arguments to the window already showing this library.

It runs before anything of the window is built, so a launch that finds no window pays next to
nothing: on Linux and macOS no socket file means no window (nothing imported, nothing tried),
and the exchange itself uses Python's `socket` (QLocalServer listens on a plain Unix socket);
on Windows, where the server is a named pipe, QtNetwork's `QLocalSocket`.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from viewer.instance.protocol import (
    MAX_MESSAGE,
    OPENED,
    USAGE,
    ProtocolError,
    Reply,
    Request,
    decode_reply,
    encode_request,
    server_name,
)

# Outcomes of our own, beside the statuses a window replies with.
NO_SERVER = "no server"  # no window has the library open (or it crashed: a stale socket)
NO_ANSWER = "no answer"  # a window is there but did not answer in time, or answered garbage

# A window that is idle answers at once; one busy with a long job (a PDF of a whole library)
# may not, and the launch then opens a window of its own rather than keep the user waiting.
ANSWER_TIMEOUT = 1.0  # seconds


class _NoServer(Exception):
    """Nothing listens under the name."""


def hand_off(
    name: str, request: Request, timeout: float = ANSWER_TIMEOUT, *, via_qt: bool | None = None
) -> Reply:
    """Send `request` to the window listening as `name` and return its reply, or a Reply with
    status NO_SERVER or NO_ANSWER. Never raises for a missing, dead or mute window.

    `via_qt`: QLocalSocket rather than Python's socket (default: on Windows only; the tests
    run it on Linux too, where both reach the same server)."""
    via_qt = _is_windows() if via_qt is None else via_qt
    if not via_qt and not os.path.exists(name):
        return Reply(NO_SERVER)
    exchange = _exchange_qt if via_qt else _exchange_unix
    try:
        line = exchange(name, encode_request(request), timeout)
    except _NoServer:
        return Reply(NO_SERVER)
    except OSError:  # includes timeouts
        return Reply(NO_ANSWER)
    if line is None:
        return Reply(NO_ANSWER)
    try:
        return decode_reply(line)
    except ProtocolError:
        return Reply(NO_ANSWER)


def hand_off_to_first(roots: list[Path], request: Request) -> Reply:
    """Offer `request` to the windows of the libraries at `roots`, in order, until one takes
    it (`opened`) or refuses it for good (`usage`); else the last outcome (NO_SERVER if no
    window was there)."""
    reply = Reply(NO_SERVER)
    for root in roots:
        outcome = hand_off(server_name(root), request)
        if outcome.status in (OPENED, USAGE):
            return outcome
        if outcome.status != NO_SERVER:
            reply = outcome
    return reply


def server_alive(name: str, timeout: float = 0.2) -> bool:
    """Whether something accepts connections under `name` (a socket file may outlive its app)."""
    if _is_windows():
        from PySide6.QtNetwork import QLocalSocket

        socket = QLocalSocket()
        socket.connectToServer(name)
        alive = socket.waitForConnected(int(timeout * 1000))
        socket.abort()
        return alive
    import socket

    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    probe.settimeout(timeout)
    try:
        probe.connect(name)
    except OSError:
        return False
    finally:
        probe.close()
    return True


def _is_windows() -> bool:
    return sys.platform.startswith("win")


def _exchange_unix(name: str, payload: bytes, timeout: float) -> bytes | None:
    """One request, one reply line over the Unix socket `name`; None if the window closed the
    connection without a whole line."""
    import socket

    deadline = time.monotonic() + timeout
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        try:
            sock.connect(name)
        except (FileNotFoundError, ConnectionRefusedError):
            raise _NoServer from None
        sock.sendall(payload)
        data = b""
        while b"\n" not in data and len(data) <= MAX_MESSAGE:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            sock.settimeout(remaining)
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
    finally:
        sock.close()
    return data.split(b"\n", 1)[0] if b"\n" in data else None


def _exchange_qt(name: str, payload: bytes, timeout: float) -> bytes | None:
    """The same through QLocalSocket (Windows' named pipes); its blocking calls need no event
    loop, so it runs before any QApplication exists."""
    from PySide6.QtNetwork import QLocalSocket

    Error = QLocalSocket.LocalSocketError  # noqa: N806 (a Qt enum)
    deadline = time.monotonic() + timeout

    def left_ms() -> int:
        return max(0, int(1000 * (deadline - time.monotonic())))

    sock = QLocalSocket()
    try:
        sock.connectToServer(name)
        if not sock.waitForConnected(left_ms()):
            if sock.error() in (Error.ServerNotFoundError, Error.ConnectionRefusedError):
                raise _NoServer
            raise TimeoutError
        sock.write(payload)
        if not sock.waitForBytesWritten(left_ms()):
            raise TimeoutError
        data = b""
        while b"\n" not in data and len(data) <= MAX_MESSAGE:
            if sock.bytesAvailable() == 0 and not sock.waitForReadyRead(left_ms()):
                if sock.state() != QLocalSocket.LocalSocketState.ConnectedState:
                    break  # closed: whatever came is all there is
                raise TimeoutError
            data += bytes(sock.readAll().data())
    finally:
        sock.abort()
    return data.split(b"\n", 1)[0] if b"\n" in data else None
