"""The window's end of the hand-off: a second launch for this library opens its topic here.

The window listens under its library's name (`viewer.instance.protocol.server_name`) from
when `app.main` starts this, and under the new name whenever another library is opened. A
request for this library is answered at once (an unknown topic gets the words a first launch
would print), and so is a Markdown file that is one of its topics, whichever folder the
launch took for the library. The topic is opened, and the window raised, right after the
reply is written, so the second launch exits without waiting for the page.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject

from viewer.errors import unknown_topic
from viewer.instance.protocol import ELSEWHERE, OPENED, USAGE, Reply, Request, server_name
from viewer.instance.server import InstanceServer
from viewer.ui.lazy_qt import Qt

if TYPE_CHECKING:
    from viewer.library.folder import Library
    from viewer.ui.main_window import MainWindow


class HandoffReceiver(QObject):
    """Listens for second launches on behalf of `window` while it lives."""

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self.server = InstanceServer(self._reply, self)
        self.server.answered.connect(self._act)
        window.session.replaced.connect(self._library_replaced)
        app = QCoreApplication.instance()
        if app is not None:  # the socket file goes when the app quits, not at interpreter exit
            app.aboutToQuit.connect(self.server.close)
        self.listen()

    @property
    def listening(self) -> bool:
        return bool(self.server.name)

    def listen(self) -> bool:
        """Listen under the name of the library on show; False if another window has it."""
        return self.server.listen(server_name(self.window.library.root))

    def _library_replaced(self, _library: Library, same_root: bool) -> None:
        if not same_root:
            self.listen()

    def _reply(self, request: Request) -> Reply:
        library = self.window.library
        if request.library != str(library.root) and not (
            request.file and library.topic_for_file(Path(request.file))
        ):  # neither this library nor a topic of it (a file in a folder below the library's)
            return Reply(ELSEWHERE, f"this window shows {library.root}")
        if request.topic is not None and library.topic(request.topic) is None:
            if library.provisional:  # a first start's quick read: the topic may be further on
                return Reply(ELSEWHERE, "this window is still reading the library")
            return Reply(USAGE, str(unknown_topic(request.topic)))
        return Reply(OPENED)

    def _act(self, request: Request, reply: Reply) -> None:
        if reply.status != OPENED:
            return
        window = self.window
        topic_id = request.topic
        if topic_id is None and request.file:
            topic = window.library.topic_for_file(Path(request.file))
            topic_id = topic.id if topic is not None else None
        if topic_id is not None:
            if window.current is None or window.current.id != topic_id:
                window.open_topic(topic_id)
            # The reader asked for this page: keys scroll it, not the search field that a
            # window activated for the first time would give them to.
            window.page.setFocus(Qt.FocusReason.OtherFocusReason)
        bring_to_front(window)


def bring_to_front(window) -> None:
    """Show the window over the others and give it the keyboard, un-minimised if it was."""
    state = window.windowState()
    if state & Qt.WindowState.WindowMinimized:
        window.setWindowState(state & ~Qt.WindowState.WindowMinimized)
    window.show()
    window.raise_()
    window.activateWindow()
