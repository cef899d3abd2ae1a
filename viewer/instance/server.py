"""The running window's side: listen under the library's name and answer second launches.

`InstanceServer` knows the protocol, not the window: each request goes to a handler that
returns the reply (the window's `viewer.ui.handoff`). A socket file left by a crashed app is
removed and taken over; a live window under the same name keeps it (a `--new-window` window,
or the later of two launches at once, then simply does not listen).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from viewer.instance.client import server_alive
from viewer.instance.protocol import (
    MAX_MESSAGE,
    UNSUPPORTED,
    ProtocolError,
    Reply,
    Request,
    decode_request,
    encode_reply,
)

# A connection that sends no whole request in this time is dropped: a launch sends its one
# line at once, and a stuck peer must not hold a socket for ever.
READ_TIMEOUT_MS = 3000


class InstanceServer(QObject):
    """Answers hand-off requests with `handler(request) -> Reply`.

    Signals: `accepted()` when a connection comes in (the benchmark times the hand-off from
    here); `answered(request, reply)` after the reply is written.
    """

    accepted = Signal()
    answered = Signal(object, object)

    def __init__(self, handler: Callable[[Request], Reply], parent: QObject | None = None):
        super().__init__(parent)
        self._handler = handler
        self._server: QLocalServer | None = None

    @property
    def name(self) -> str:
        """The name listened under ("" when not listening)."""
        return self._server.fullServerName() if self._server is not None else ""

    def listen(self, name: str) -> bool:
        """Listen under `name` instead of any earlier name. A stale socket (its app is gone) is
        removed first; a live one is left to its window and False returned."""
        self.close()
        # Asked first: with an access option Qt binds in a private folder and renames the socket
        # over any file of that name, live or not, so `listen` itself never says "in use".
        if server_alive(name):
            return False
        QLocalServer.removeServer(name)  # a crashed app's socket file, if any
        server = QLocalServer(self)
        # Only this user may connect (the socket file's mode on Unix, the pipe's ACL on Windows).
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(name):
            server.deleteLater()
            return False
        server.newConnection.connect(self._accept)
        self._server = server
        return True

    def close(self) -> None:
        """Stop listening; the socket file goes with it."""
        if self._server is not None:
            self._server.close()
            self._server.deleteLater()
            self._server = None

    def _accept(self) -> None:
        server = self._server
        while server is not None and (socket := server.nextPendingConnection()) is not None:
            self.accepted.emit()
            _Connection(socket, self)

    def respond(self, line: bytes) -> tuple[Request | None, Reply]:
        """The reply to one request line (a line we cannot read: `unsupported`)."""
        try:
            request = decode_request(line)
        except ProtocolError as exc:
            return None, Reply(UNSUPPORTED, str(exc))
        return request, self._handler(request)


class _Connection(QObject):
    """One launch's connection: read its line, write the reply, close."""

    def __init__(self, socket: QLocalSocket, server: InstanceServer):
        super().__init__(server)
        self._socket, self._server = socket, server
        self._buffer = b""
        self._done = False
        socket.setParent(self)
        socket.readyRead.connect(self._read)
        socket.disconnected.connect(self.deleteLater)
        QTimer.singleShot(READ_TIMEOUT_MS, self, self._give_up)
        self._read()  # the line may be here already

    def _read(self) -> None:
        if self._done:
            return
        self._buffer += bytes(self._socket.readAll().data())
        if b"\n" not in self._buffer and len(self._buffer) <= MAX_MESSAGE:
            return
        self._done = True
        request, reply = self._server.respond(self._buffer.split(b"\n", 1)[0])
        self._socket.write(encode_reply(reply))
        self._socket.flush()
        self._socket.disconnectFromServer()  # after the reply is written
        if request is not None:
            self._server.answered.emit(request, reply)

    def _give_up(self) -> None:
        if not self._done:
            self._done = True
            self._socket.abort()
            self.deleteLater()
