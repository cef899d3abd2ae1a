"""Rendered pages kept between runs: a start shows the last topic without Python-Markdown.

Building the Markdown converter and converting the first page cost more than the rest of the
start-up together, and the page a reader opens with is nearly always the one they left. So
the window's renderer (`CachedRenderer`) keeps each topic's HTML in the user's cache folder,
one small file per topic, keyed by everything the HTML depends on:

- the topic file's size and modification time;
- the code that renders (these modules' files, the installed Python-Markdown and Pygments);
- the library's topics, ids and paths (links to other topics are resolved when rendering);
- every image reference of the page, which must resolve as it did (a missing image is a
  placeholder; added, it is an image).

A topic's comparison rows (its appendix) and the comparison files' problems come from files
the window loads after the first paint; until then `comparison_digest` answers from a cache
keyed by those files.

Besides the files, `CachedRenderer` keeps the pages it last made or read in memory, valid
while the topic file keeps its size and time and the library object is the same, and renders
pages ahead of need on a worker thread (`prepare_page`, called by `viewer.ui.prefetch`).

Print and export render fresh every time (`for_print`), as does `--check`: nothing there
depends on this module. Large topics, shown piece by piece, are not kept. No Qt here.
"""

from __future__ import annotations

import _thread
import os
from pathlib import Path

from viewer.library.cache import (
    cache_dir,
    file_stamp,
    library_slug,
    new_sha1,
    package_file,
    read_blob,
    source_signature,
    write_blob,
)
from viewer.library.folder import Library, Topic
from viewer.library.problems import Problem
from viewer.pages import links
from viewer.pages.rendered import PROGRESSIVE_BYTES, RenderedPage

MEMORY_PAGES = 64  # pages kept in memory: the neighbourhood of the last few topics read
FORMAT = 2  # bump when the HTML rules change in a way the source files below do not show
COMPARISON_FOLDER = "comparisons"

_code: tuple | None = None


def code_signature() -> tuple:
    """What the HTML of every page depends on besides its own file: the rendering code."""
    global _code
    if _code is None:
        here = Path(__file__).parent  # named, not imported: a cached start loads no rendering code
        packages = [package_file(name) for name in ("markdown", "pygments", "pymdownx")]
        _code = (
            "pages",
            FORMAT,
            *source_signature(
                *(
                    str(here / name)
                    for name in (
                        "render.py",
                        "markdown_ext.py",
                        "book_syntax.py",
                        "svg_size.py",
                        "links.py",
                    )
                ),
                *(
                    str(here.parent / "library" / name)
                    for name in ("folder.py", "frontmatter.py", "titles.py", "contents.py")
                ),
                *packages,
            ),
        )
    return _code


def comparisons_signature(library: Library) -> tuple:
    """The comparison files' names, sizes and modification times."""
    try:
        with os.scandir(library.root / COMPARISON_FOLDER) as entries:
            found = [
                (e.name, e.stat().st_size, e.stat().st_mtime_ns)
                for e in entries
                if e.name.endswith(".toml") and e.is_file()
            ]
    except OSError:
        return ()
    return tuple(sorted(found))


class PageCache:
    """The cached pages of every library, in `folder` (the user's cache folder by default)."""

    def __init__(self, folder: Path | None = None):
        self.folder = folder or cache_dir() / "pages"

    # -- pages -----------------------------------------------------------------------------
    def _path(self, library: Library, topic: Topic) -> Path:
        name = new_sha1(str(topic.path)).hexdigest()[:24]
        return self.folder / library_slug(library.root) / f"{name}.bin"

    def _key(self, library: Library, topic: Topic) -> tuple | None:
        try:
            status = topic.path.stat()
        except OSError:
            return None
        if status.st_size > PROGRESSIVE_BYTES:
            return None  # shown piece by piece; the whole page at once would freeze the window
        return (
            code_signature(),
            str(topic.path),
            topic.id,
            topic.title,
            status.st_size,
            status.st_mtime_ns,
            library.digest(),
        )

    def get(self, library: Library, topic: Topic) -> RenderedPage | None:
        """The page as rendering would make it now (without its appendix), or None."""
        key = self._key(library, topic)
        if key is None:
            return None
        blob = read_blob(self._path(library, topic))
        try:
            stored_key, html, headings, problems, images = blob  # type: ignore[misc]
            if stored_key != key or not isinstance(html, str):
                return None
            for src, kind, path, stamp in images:
                found = links.resolve_image(library, topic, src)
                if (
                    found.kind != kind
                    or (str(found.path) if found.path is not None else "") != path
                ):
                    return None  # an image came, went or moved since
                if stamp and file_stamp(path) != stamp:
                    return None  # an SVG whose size is on the page changed
            return RenderedPage(
                topic.id,
                topic.title,
                html,
                [(int(level), str(anchor), str(text)) for level, anchor, text in headings],
                [
                    Problem(Path(p), int(line), str(level), str(message))
                    for p, line, level, message in problems
                ],
            )
        except (TypeError, ValueError):  # nothing stored, or not what we store
            return None

    def put(
        self,
        library: Library,
        topic: Topic,
        page: RenderedPage,
        images: list[tuple[str, str, str, str]],
    ) -> bool:
        """Keep `page` (rendered just now, without appendix; `images` as the renderer resolved
        them)."""
        if any(p.level == "error" for p in page.problems):
            return False  # unreadable now, maybe not in a minute: the file's time would not tell
        if library.provisional:
            return False  # its links were resolved against ids that are file names for now
        key = self._key(library, topic)
        if key is None:
            return False
        problems = [(str(p.path), p.line, p.level, p.message) for p in page.problems]
        return write_blob(
            self._path(library, topic),
            (key, page.html, list(page.headings), problems, list(images)),
        )

    # -- comparison rows -----------------------------------------------------------------------
    def _digest_path(self, library: Library) -> Path:
        return self.folder / library_slug(library.root) / "comparisons.bin"

    def _digest_key(self, library: Library, comparisons: tuple) -> tuple:
        return (code_signature(), library.digest(), comparisons)

    def comparison_digest(self, library: Library) -> tuple[dict[str, str], str] | None:
        """What the window needs of the comparison files before it loads them: each topic's
        comparison rows (topic id -> HTML) and the problems line for the status bar, as last
        computed; None unless the comparison files and the library are unchanged since."""
        blob = read_blob(self._digest_path(library))
        if not (
            isinstance(blob, tuple)
            and len(blob) == 3
            and isinstance(blob[1], dict)
            and isinstance(blob[2], str)
        ):
            return None
        if blob[0] != self._digest_key(library, comparisons_signature(library)):
            return None
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in blob[1].items()):
            return None
        return blob[1], blob[2]

    def put_comparison_digest(
        self, library: Library, comparisons: tuple, rows: dict[str, str], problems: str
    ) -> bool:
        """Keep the comparison rows of every topic that has some, and the problems line, computed
        from the comparison files as they were when `comparisons` (their signature) was taken."""
        return write_blob(
            self._digest_path(library),
            (self._digest_key(library, comparisons), dict(rows), problems),
        )


class CachedRenderer:
    """The window's renderer: a `Renderer` with the page cache in front of it.

    The inner renderer is built, and Python-Markdown imported, only when a page must really be
    rendered. There is one, shared by the GUI thread and the workers that prepare pages ahead
    (`prepare`, `prepare_page`): each conversion holds a lock, so a converter is built once
    and a page the GUI thread needs waits at most for the one a worker is converting.
    """

    def __init__(self, cache: PageCache | None = None):
        self.cache = cache or PageCache()
        self._inner = None
        self._lock = _thread.allocate_lock()  # (threading would cost start-up an import)
        # str(topic path) -> (library, (size, mtime_ns, id, title), page), least recent first.
        # Plain dict operations, each atomic: the prefetch thread adds, the GUI thread reads.
        self._memory: dict[str, tuple[Library, tuple, RenderedPage]] = {}
        self.first_page = None  # a first start's page, rendered by a child process (first_page)

    @property
    def inner(self):
        """The `viewer.pages.render.Renderer`, imported and built on first use. Use it under
        `self._lock` (the methods below do)."""
        if self._inner is None:
            from viewer.pages.render import Renderer

            self._inner = Renderer()
        return self._inner

    @property
    def renderer_built(self) -> bool:
        """Whether a page had to be rendered here (or `prepare` ran): False while every page
        came from the cache, which is the point of this class."""
        return self._inner is not None

    def prepare(self) -> None:
        """Build the Markdown converter now, on a worker thread (after the first paint), not on
        the first page that is not cached: importing Python-Markdown and Pygments takes a while."""
        import threading

        def build() -> None:
            with self._lock:
                self.inner.md  # noqa: B018 - builds it

        threading.Thread(target=build, name="cloudref-markdown", daemon=True).start()

    def render_text(self, text: str, library: Library | None = None, topic: Topic | None = None):
        """(HTML, table of contents) of a piece of Markdown (`Renderer.render_text`)."""
        with self._lock:
            return self.inner.render_text(text, library, topic)

    # -- pages in memory ---------------------------------------------------------------------
    def _remembered(self, library: Library, topic: Topic, stamp: tuple) -> RenderedPage | None:
        entry = self._memory.get(str(topic.path))
        if entry is None or entry[0] is not library or entry[1] != stamp:
            return None
        return entry[2]

    def _remember(self, library: Library, topic: Topic, stamp: tuple, page: RenderedPage) -> None:
        if any(p.level == "error" for p in page.problems):
            return  # as the page cache: an unreadable file may read in a minute
        key = str(topic.path)
        self._memory.pop(key, None)
        self._memory[key] = (library, stamp, page)
        while len(self._memory) > MEMORY_PAGES:
            try:
                self._memory.pop(next(iter(self._memory)))
            except (KeyError, StopIteration, RuntimeError):  # the other thread came first
                break

    def is_prepared(self, library: Library, topic: Topic) -> bool:
        """Whether showing `topic` now needs no Markdown work (its page is in memory)."""
        stamp = page_stamp(topic)
        return stamp is not None and self._remembered(library, topic, stamp) is not None

    def prepare_page(self, library: Library, topic: Topic) -> RenderedPage | None:
        """Have `topic`'s page ready in memory (from memory, the page cache, or rendered now),
        for a switch that costs only its layout. For worker threads. None for a topic shown
        piece by piece."""
        stamp = page_stamp(topic)
        if stamp is None or stamp[0] > PROGRESSIVE_BYTES:
            return None
        page = self._cached(library, topic, stamp)
        if page is None:
            self._render(library, topic, stamp)
            page = self._remembered(library, topic, stamp)
        return page

    # -- rendering ---------------------------------------------------------------------------
    def _cached(self, library: Library, topic: Topic, stamp: tuple | None) -> RenderedPage | None:
        if stamp is None:
            return None
        page = self._remembered(library, topic, stamp)
        if page is None:
            page = self.cache.get(library, topic)
            if page is None and self.first_page is not None:
                child, self.first_page = self.first_page, None
                page = child.page_for(str(topic.path), library.digest(), stamp)
            if page is not None:
                self._remember(library, topic, stamp, page)
        return page

    def release_first_page(self) -> None:
        """The first screen is up: a child whose page was not needed is left to finish."""
        child, self.first_page = self.first_page, None
        if child is not None:
            child.forget()

    def _render(self, library: Library, topic: Topic, stamp: tuple | None, **options):
        """Render (the first piece of) `topic` and keep a whole page; (page, pieces left)."""
        with self._lock:
            page, rest = self.inner.render_first_piece(library, topic, **options)
            images = list(self.inner.context.images)
        if not rest:
            self.cache.put(library, topic, page, images)
            if stamp is not None:
                self._remember(library, topic, stamp, page)
        return page, rest

    def render_topic(
        self, library: Library, topic: Topic, *, appendix_html: str = "", for_print: bool = False
    ) -> RenderedPage:
        if for_print:
            with self._lock:
                return self.inner.render_topic(
                    library, topic, appendix_html=appendix_html, for_print=True
                )
        page = self._cached(library, topic, page_stamp(topic))
        if page is None:
            with self._lock:
                page = self.inner.render_topic(library, topic)
                images = list(self.inner.context.images)
            self.cache.put(library, topic, page, images)
        if appendix_html:
            page = RenderedPage(
                page.topic_id, page.title, page.html + appendix_html, page.headings, page.problems
            )
        return page

    def render_first_piece(
        self, library: Library, topic: Topic, **options
    ) -> tuple[RenderedPage, list[str]]:
        stamp = page_stamp(topic)
        page = self._cached(library, topic, stamp)
        if page is not None:
            return page, []
        return self._render(library, topic, stamp, **options)


def page_stamp(topic: Topic) -> tuple | None:
    """What a page in memory depends on of its topic: the file's size and time, id and title."""
    try:
        status = topic.path.stat()
    except OSError:
        return None
    return (status.st_size, status.st_mtime_ns, topic.id, topic.title)
