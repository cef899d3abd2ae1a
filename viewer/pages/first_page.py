"""A library's first start: its first page rendered in a child process while the window loads.

On a library opened for the first time nothing is cached, and the first page waits for
Python-Markdown, its extensions and Pygments to load and convert: about as long as loading Qt
and building the window. One process cannot do both at once (Python's lock serialises
threads), but two can: as soon as the command line is read, `start` forks a child that reads
the library itself, names the topic it will render, renders it (`CachedRenderer.prepare_page`,
as the prefetcher does: into the page cache too, where the library allows), passes its
diagrams through the picture gate (`picture_cache`) and sends the page back through a pipe,
while the window's process reads the library and loads Qt. When the window needs its first
page, `CachedRenderer` takes the child's (`page_for`) if it is that topic's, read from the
same file and against the same topics (`Library.digest`: what its links were resolved with).

Only where it pays and is safe: Linux (`fork` while the process has one thread), two or more
CPUs, and a topic small enough to be one page. If the child fails, is slow or renders another
topic, the window renders the page itself as it always did. No Qt here.
"""

from __future__ import annotations

import marshal
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from viewer.library.folder import Library, Topic
from viewer.library.problems import Problem
from viewer.pages.rendered import PROGRESSIVE_BYTES, RenderedPage

WAIT_SECONDS = 5.0  # then the window renders the page itself (the child is stopped)


class FirstPage:
    """A child process rendering a first page, sent back on `pipe`: first the topic's file
    (as soon as the child has read the library), then the page."""

    def __init__(self, pid: int, pipe: int):
        self.pid, self.pipe = pid, pipe
        self.done = False
        self._buffer = b""
        self._deadline = time.monotonic() + WAIT_SECONDS

    def page_for(self, topic_path: str, digest: str, stamp: tuple) -> RenderedPage | None:
        """The child's page if it is the one of the file at `topic_path` as it is now (`stamp`)
        in a library of these topics (`digest`); else None, and the child is left alone."""
        if self.done:
            return None
        header = self._message()
        if header is None or header != topic_path:
            self.forget()
            return None
        body = self._message()
        self.done = True
        os.close(self.pipe)
        self._reap()
        try:
            sent_stamp, sent_digest, (topic_id, title, html, headings, problems) = body
            if tuple(sent_stamp) != stamp or sent_digest != digest:
                return None
            return RenderedPage(
                topic_id,
                title,
                html,
                [(level, anchor, text) for level, anchor, text in headings],
                [Problem(Path(path), line, level, text) for path, line, level, text in problems],
            )
        except Exception:  # noqa: BLE001 - a child that died half-way: render here instead
            return None

    def _message(self):
        """The next marshalled message (4 bytes of length, then the data), or None."""
        import select

        try:
            while True:
                if len(self._buffer) >= 4:
                    size = int.from_bytes(self._buffer[:4], "big")
                    if len(self._buffer) >= 4 + size:
                        data, self._buffer = self._buffer[4 : 4 + size], self._buffer[4 + size :]
                        return marshal.loads(data)
                left = self._deadline - time.monotonic()
                if left <= 0 or not select.select([self.pipe], [], [], left)[0]:
                    return None  # too slow: the window renders the page itself
                chunk = os.read(self.pipe, 1 << 20)
                if not chunk:
                    return None  # the child ended without sending it
                self._buffer += chunk
        except (OSError, ValueError, EOFError, TypeError):
            return None

    def forget(self) -> None:
        """The page is not needed: let the child finish on its own, reaped when it does."""
        if not self.done:
            self.done = True
            os.close(self.pipe)  # a child still writing gets EPIPE and leaves
            import threading

            threading.Thread(target=self._reap, name="cloudref-first-page", daemon=True).start()

    def _reap(self) -> None:
        try:
            os.waitpid(self.pid, 0)
        except OSError:
            pass


def _one_thread() -> bool:
    """Whether this process runs a single thread (Linux lists them in /proc)."""
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False


def start(open_start: Callable[[], tuple[Library, Topic | None]]) -> FirstPage | None:
    """Fork a child that reads the library and the topic to start on (`open_start`) and
    renders that topic's page; None where that does not pay or is not safe."""
    if not sys.platform.startswith("linux") or (os.cpu_count() or 1) < 2:
        return None
    if not hasattr(os, "fork") or not _one_thread():
        return None  # a fork copies no other thread, whatever locks it holds
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            stream.flush()  # else the child would write the parent's buffered output again
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:  # the child: render, send, then leave without the parent's exit handlers
        try:
            os.close(read_end)
            _render_and_send(write_end, open_start)
        finally:
            os._exit(0)
    os.close(write_end)
    return FirstPage(pid, read_end)


def _send(pipe: int, message) -> None:
    data = marshal.dumps(message)
    data = memoryview(len(data).to_bytes(4, "big") + data)
    while data:
        data = data[os.write(pipe, data) :]


def _render_and_send(pipe: int, open_start) -> None:
    library, topic = open_start()
    if topic is None:
        return
    from viewer.pages.page_cache import CachedRenderer, page_stamp

    stamp = page_stamp(topic)
    if stamp is None or stamp[0] > PROGRESSIVE_BYTES:
        return  # shown piece by piece: the window starts on the first piece at once
    _send(pipe, str(topic.path))
    renderer = CachedRenderer()
    page = renderer.prepare_page(library, topic)
    if page is None:
        return
    if renderer.renderer_built:  # its diagrams through the picture gate too, into its cache
        from viewer.pages.picture_cache import safe_svg

        for _src, _kind, path, _stamp in renderer.inner.context.images:
            if path.lower().endswith(".svg"):
                safe_svg(path)
    problems = [(str(p.path), p.line, p.level, p.message) for p in page.problems]
    html = (page.topic_id, page.title, page.html, list(page.headings), problems)
    _send(pipe, (stamp, library.digest(), html))
