"""A library's first start: its first page rendered in a child process while the window loads.

On a library opened for the first time nothing is cached, and the first page waits for
Python-Markdown, its extensions and Pygments to load and convert: about as long as loading Qt
and building the window. One process cannot do both at once (Python's lock serialises
threads), but two can: before Qt starts any thread, `start` forks a child that renders the
start topic (`CachedRenderer.prepare_page`, as the prefetcher does: into the page cache too,
where the library allows), passes its diagrams through the picture gate (`picture_cache`) and
sends the page back through a pipe, while the window's process goes on loading Qt. When the
window needs that page, `CachedRenderer` takes it (`page`).

Only where it pays and is safe: Linux (`fork` while the process has one thread), two or more
CPUs, and a topic small enough to be one page. If the child fails, is slow or renders another
topic, the window renders the page itself as it always did. No Qt here.
"""

from __future__ import annotations

import marshal
import os
import sys
import time
from pathlib import Path

from viewer.library.folder import Library, Topic
from viewer.library.problems import Problem
from viewer.pages.rendered import PROGRESSIVE_BYTES, RenderedPage

WAIT_SECONDS = 5.0  # then the window renders the page itself (the child is stopped)


class FirstPage:
    """A child process rendering the page of the topic at `topic_path`, sent back on `pipe`."""

    def __init__(self, pid: int, pipe: int, topic_path: str):
        self.pid, self.pipe, self.topic_path = pid, pipe, topic_path
        self.done = False

    def page(self) -> tuple[RenderedPage, tuple] | None:
        """(page, stamp of the file it was rendered from), waiting for the child at most
        WAIT_SECONDS; None if it failed or took longer (it is stopped then)."""
        if self.done:
            return None
        self.done = True
        import select

        chunks, deadline = [], time.monotonic() + WAIT_SECONDS
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([self.pipe], [], [], left)[0]:
                    self.stop()
                    return None
                chunk = os.read(self.pipe, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
        finally:
            os.close(self.pipe)
        self._reap()
        try:
            stamp, (topic_id, title, html, headings, problems) = marshal.loads(b"".join(chunks))
            page = RenderedPage(
                topic_id,
                title,
                html,
                [(level, anchor, text) for level, anchor, text in headings],
                [Problem(Path(path), line, level, text) for path, line, level, text in problems],
            )
        except Exception:  # noqa: BLE001 - a child that died half-way: render here instead
            return None
        return page, tuple(stamp)

    def forget(self) -> None:
        """The page is not needed: let the child finish on its own, reaped when it does."""
        if not self.done:
            self.done = True
            os.close(self.pipe)  # a child still writing gets EPIPE and leaves
            import threading

            threading.Thread(target=self._reap, name="cloudref-first-page", daemon=True).start()

    def stop(self) -> None:
        try:
            os.kill(self.pid, 9)
        except OSError:
            pass
        self._reap()

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


def start(library: Library, topic: Topic | None) -> FirstPage | None:
    """Fork a child that renders `topic` into the page cache; None where that does not pay."""
    if topic is None or not sys.platform.startswith("linux") or (os.cpu_count() or 1) < 2:
        return None
    if not hasattr(os, "fork") or not _one_thread():
        return None  # a fork copies no other thread, whatever locks it holds
    try:
        if topic.path.stat().st_size > PROGRESSIVE_BYTES:
            return None  # shown piece by piece: the window starts on the first piece at once
    except OSError:
        return None
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
            _send(write_end, library, topic)
        finally:
            os._exit(0)
    os.close(write_end)
    return FirstPage(pid, read_end, str(topic.path))


def _send(pipe: int, library: Library, topic: Topic) -> None:
    from viewer.pages.page_cache import CachedRenderer, page_stamp

    stamp = page_stamp(topic)
    renderer = CachedRenderer()
    page = renderer.prepare_page(library, topic)
    if page is None or stamp is None:
        return
    if renderer.renderer_built:  # its diagrams through the picture gate too, into its cache
        from viewer.pages.picture_cache import safe_svg

        for _src, _kind, path, _stamp in renderer.inner.context.images:
            if path.lower().endswith(".svg"):
                safe_svg(path)
    problems = [(str(p.path), p.line, p.level, p.message) for p in page.problems]
    data = memoryview(
        marshal.dumps(
            (stamp, (page.topic_id, page.title, page.html, list(page.headings), problems))
        )
    )
    while data:
        data = data[os.write(pipe, data) :]
