"""Markdown to the HTML subset Qt's rich text engine draws well.

Rendering lives outside any widget: the page view, the printer and the tests all call
`render_topic`. Qt-specific reshaping (admonitions and code blocks as one-cell tables, which
Qt pads and shades; anchors as `<a name>`; table borders as attributes) is done by
Python-Markdown processors registered in `QtRichTextExtension` (`viewer.pages.markdown_ext`).

Python-Markdown is imported when the first page is converted, not with this module: a start
that shows a cached page (`viewer.pages.page_cache`) never loads it.
"""

from __future__ import annotations

import html
import threading

from viewer.library.folder import Library, Topic
from viewer.library.problems import Problem
from viewer.pages.budget import RENDER_SECONDS, SECONDS_PER_CHAR, Deadline, OverBudget, prepare
from viewer.pages.budget import check as check_budget
from viewer.pages.chunking import split_markdown
from viewer.pages.context import RenderContext
from viewer.pages.rendered import PROGRESSIVE_BYTES, RenderedPage

EXTENSIONS = [
    "toc",
    "tables",
    "fenced_code",
    "codehilite",
    "admonition",
    "def_list",
    "footnotes",
    "abbr",
    "attr_list",
    "sane_lists",
    "pymdownx.tasklist",  # - [ ] and - [x]
    "pymdownx.mark",  # ==highlight==
    "pymdownx.saneheaders",  # `#tag` in a note is a tag, not a heading
]
PIECE_CHARS = 8_000  # Markdown a piece: Qt takes in one piece's HTML between two event-loop turns


EXTENSION_CONFIGS = {
    "codehilite": {"guess_lang": False, "css_class": "codehilite"},
    "toc": {"permalink": False},
}


class Renderer:
    """One Markdown converter, reused: building one costs more than converting a page."""

    def __init__(self) -> None:
        self.context = RenderContext()
        self._md = None
        self._md_lock = threading.Lock()

    @property
    def md(self):
        """The Markdown converter, built on first use (importing and setting it up is the
        slowest part of a first conversion), on whichever thread asks first
        (`CachedRenderer.prepare` builds it on a worker); only ever used on one thread after
        that."""
        with self._md_lock:
            if self._md is None:
                from viewer.pages.markdown_ext import build_markdown

                self._md = build_markdown(self.context, EXTENSIONS, EXTENSION_CONFIGS)
            return self._md

    def render_text(
        self,
        text: str,
        library: Library | None = None,
        topic: Topic | None = None,
        *,
        for_print: bool = False,
    ) -> tuple[str, list]:
        self.context.library, self.context.topic, self.context.external_links = (
            library,
            topic,
            for_print,
        )
        self.context.images = []
        self.context.include_problems = []
        self.context.refused = []
        # The time a topic may take grows with its size: a long topic is not a hostile one.
        self.context.deadline = Deadline(
            RENDER_SECONDS + len(text) * SECONDS_PER_CHAR, gate=self.context.gate
        )
        text = prepare(text)  # raises OverBudget: too long a line, too deep a nesting
        self.md.reset()
        try:
            body = self.md.convert(text)
        finally:
            self.context.deadline = None
        return body, list(getattr(self.md, "toc_tokens", []))

    def refused_problems(self, topic: Topic, text: str, body_line: int) -> list[Problem]:
        """The pictures the last conversion refused, as problems on the lines that name them."""
        found = []
        for src, reason in self.context.refused:
            index = text.find(src) if src else -1
            line = body_line + (text.count("\n", 0, index) if index >= 0 else 0)
            found.append(
                Problem(topic.path, line, "warning", f"picture {src!r} is not shown: {reason}")
            )
        return found

    def render_topic(
        self, library: Library, topic: Topic, *, appendix_html: str = "", for_print: bool = False
    ) -> RenderedPage:
        source = library.read(topic)
        problems = list(source.problems)
        try:
            body, toc = self.render_text(source.body, library, topic, for_print=for_print)
        except OverBudget as exc:
            problems.append(over_budget_problem(topic, source.body_line, exc))
            return error_page(topic, problems)
        except RecursionError:
            problems.append(Problem(topic.path, source.body_line, "error", TOO_DEEP))
            return error_page(topic, problems)
        except Exception as exc:  # a renderer bug must not take the app down: show it instead
            problems.append(
                Problem(
                    topic.path,
                    source.body_line,
                    "error",
                    f"cannot render: {type(exc).__name__}: {exc}",
                )
            )
            return error_page(topic, problems)
        if any(p.level == "error" for p in source.problems) and not source.body:
            return error_page(topic, problems)
        problems += self.refused_problems(topic, source.body, source.body_line)
        banner = _problem_banner(problems, library)
        if not body.strip():
            body = (
                f'<h1>{html.escape(topic.title)}</h1><p class="footnote">This topic has no text '
                "yet. "
                f"Write it in <code>{html.escape(str(topic.path))}</code>; the page updates when "
                "you save.</p>"
            )
        headings: list[tuple[int, str, str]] = []
        _walk_toc(toc, headings)
        return RenderedPage(
            topic.id, topic.title, banner + body + appendix_html, headings, problems
        )

    def render_first_piece(
        self, library: Library, topic: Topic, *, piece_chars: int = PIECE_CHARS
    ) -> tuple[RenderedPage, list[str]]:
        """A long topic as a page that holds only its problems, and the Markdown of its pieces,
        for the caller to render off the GUI thread (an error page and no pieces if the topic
        breaks a budget). Short topics come back whole with no pieces left (and no appendix:
        the caller adds it).
        """
        if _file_size(topic) <= PROGRESSIVE_BYTES:
            return self.render_topic(library, topic), []
        source = library.read(topic)
        try:
            check_budget(source.body)  # the whole topic's limits, before it is cut up
        except OverBudget as exc:
            problems = [*source.problems, over_budget_problem(topic, source.body_line, exc)]
            return error_page(topic, problems), []
        # Every piece, the first too, is converted by the caller's worker thread
        # (viewer.ui.progressive): this page holds only the problems banner.
        problems = list(source.problems)
        banner = _problem_banner(problems, library)
        return RenderedPage(topic.id, topic.title, banner, [], problems), split_markdown(
            source.body, piece_chars
        )

    def render_topic_text(
        self, library: Library, topic: Topic, text: str, body_line: int, problems: list[Problem]
    ) -> RenderedPage:
        try:
            body, toc = self.render_text(text, library, topic)
        except OverBudget as exc:
            problems.append(over_budget_problem(topic, body_line, exc))
            return error_page(topic, problems)
        except RecursionError:
            problems.append(Problem(topic.path, body_line, "error", TOO_DEEP))
            return error_page(topic, problems)
        except Exception as exc:  # a renderer bug must not take the app down: show it instead
            problems.append(
                Problem(
                    topic.path, body_line, "error", f"cannot render: {type(exc).__name__}: {exc}"
                )
            )
            return error_page(topic, problems)
        headings: list[tuple[int, str, str]] = []
        _walk_toc(toc, headings)
        return RenderedPage(
            topic.id, topic.title, _problem_banner(problems, library) + body, headings, problems
        )


TOO_DEEP = "cannot render: the text is nested too deeply"


def over_budget_problem(topic: Topic, body_line: int, exc: OverBudget) -> Problem:
    """The error a topic over its budget reports: where, and which limit."""
    return Problem(topic.path, body_line + exc.line - 1, "error", f"too costly to show: {exc}")


def _file_size(topic: Topic) -> int:
    try:
        return topic.path.stat().st_size
    except OSError:
        return 0


def _walk_toc(tokens: list, out: list[tuple[int, str, str]]) -> None:
    for token in tokens:
        out.append(
            (token.get("level", 1), token.get("id", ""), html.unescape(token.get("name", "")))
        )
        _walk_toc(token.get("children", []), out)


def _problem_banner(problems: list[Problem], library: Library) -> str:
    if not problems:
        return ""
    rows = "".join(f"<br/>{html.escape(p.format(library.root))}" for p in problems)
    return (
        '<table class="admonition warning" width="100%" cellspacing="0" cellpadding="10" '
        'border="0">'
        f'<tr><td class="admonition-warning"><b>Problems in this topic</b>{rows}</td></tr></table>'
    )


def error_page(topic: Topic, problems: list[Problem]) -> RenderedPage:
    """A page that says what is wrong and where, in place of a topic that cannot be shown."""
    items = "".join(
        f"<li>{'line ' if p.path == topic.path else html.escape(f'{p.path}:')}{p.line}: "
        f"{p.level}: {html.escape(p.message)}</li>"
        for p in problems
    )
    body = (
        f"<h1>{html.escape(topic.title)}</h1>"
        '<table class="admonition danger" width="100%" cellspacing="0" cellpadding="10" border="0">'
        '<tr><td class="admonition-danger"><p><b>This topic cannot be shown.</b></p>'
        f"<p>File: <code>{html.escape(str(topic.path))}</code></p><ul>{items}</ul>"
        "<p>Fix the file and it reloads; the rest of the library works as "
        "usual.</p></td></tr></table>"
    )
    return RenderedPage(topic.id, topic.title, body, [], problems)
