"""The library check behind `cloudref --check`: every problem, located like a compiler error.

It reads each topic the way the viewer does (`Library.read`), collects its links, images and
heading anchors with the same Markdown extensions the renderer uses, and asks `viewer.pages.links`
where each one points — so a link reported broken here is exactly one the viewer will not
follow. No Qt.
"""

from __future__ import annotations

import datetime as dt
import difflib
import posixpath
import re
import sys
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from viewer.commands.hints import closest_topic, link_to
from viewer.library import frontmatter
from viewer.library.folder import Library, LibraryError, Topic
from viewer.library.problems import Problem
from viewer.pages import links, pictures
from viewer.pages.book_syntax import book_extensions
from viewer.pages.budget import RENDER_SECONDS, SECONDS_PER_CHAR, Deadline, OverBudget, prepare
from viewer.pages.context import RenderContext
from viewer.pages.markdown_ext import DeadlineExtension
from viewer.pages.render import EXTENSION_CONFIGS, EXTENSIONS, TOO_DEEP, over_budget_problem

_VALID_ID = re.compile(r"^[\w.-]+$")
_HTML_TAG = re.compile(r"<([A-Za-z][\w-]*)\b([^>]*)>")
_ACTIVE_TAGS = ("script", "iframe", "object", "embed", "form", "link", "meta", "style")
_HTML_ATTR = re.compile(r"""([A-Za-z_:][\w:.-]*)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""")


@dataclass
class _Ref:
    kind: str  # "link" or "image"
    value: str


@dataclass
class _TopicScan:
    """What one topic refers to and which anchors it offers."""

    topic: Topic
    body: str = ""
    body_line: int = 1
    refs: list[_Ref] = field(default_factory=list)
    anchors: set[str] = field(default_factory=set)


class _Collector(Treeprocessor):
    """Records links and images as written, before anything rewrites them."""

    def __init__(self, md: markdown.Markdown, sink: list[_Ref]):
        super().__init__(md)
        self.sink = sink

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag == "a" and element.get("href") is not None:
                href = element.get("href", "")
                if "footnote-ref" in element.get("class", "") or "footnote-backref" in element.get(
                    "class", ""
                ):
                    continue
                if _is_mail_autolink(href):
                    continue  # an e-mail autolink (`<a@b.org>`): an address shown, not a link
                self.sink.append(_Ref("link", href))
            elif element.tag == "img":
                self.sink.append(_Ref("image", element.get("src", "")))


def _is_mail_autolink(href: str) -> bool:
    """`<a@b.org>`: Python-Markdown hides the address behind entity placeholders. An address
    shown, not a link to follow (a written `[x](mailto:…)` is still checked)."""
    if "\x02amp\x03" not in href:
        return False
    import html as html_lib

    return html_lib.unescape(href.replace("\x02amp\x03", "&")).lower().startswith("mailto:")


class _CollectorExtension(Extension):
    def __init__(self, sink: list[_Ref], **kwargs):
        super().__init__(**kwargs)
        self.sink = sink

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API
        # After "inline" (20) has made the links and "toc" (5) has given headings their ids.
        md.treeprocessors.register(_Collector(md, self.sink), "cloudref_check", 2)


class LibraryCheck:
    """Finds every problem in one library.

    `today` dates the check of comparison sources (default: the real date), so a test can
    say which day it is.
    """

    def __init__(self, library: Library, today: dt.date | None = None):
        self.library = library
        self.today = today or dt.date.today()
        self._refs: list[_Ref] = []
        self.context = RenderContext()
        self.context.library = library
        # Highlighting changes no link or anchor; leaving it out saves a fifth of the time.
        self.md = self._markdown(highlight=False)
        self._highlighting_md: markdown.Markdown | None = None  # see _convert

    def _markdown(self, *, highlight: bool) -> markdown.Markdown:
        return markdown.Markdown(
            extensions=[
                *(name for name in EXTENSIONS if highlight or name != "codehilite"),
                *book_extensions(self.context),
                _CollectorExtension(self._refs),
                DeadlineExtension(self.context),
            ],
            extension_configs=EXTENSION_CONFIGS,
            output_format="html",
        )

    def _convert(self, body: str) -> markdown.Markdown:
        """Read a page as the renderer does. Without codehilite, fenced_code writes a fence's
        options (`{.python linenums="1"}`, as mkdocs pages have) as attributes and fails on
        their parsed values: such a page is read again with highlighting, as it renders.
        Returns the converter that read it (its headings and raw HTML are the page's)."""
        try:
            self.md.reset()
            self.md.convert(body)
            return self.md
        except TypeError:
            self._refs.clear()
            self.context.images, self.context.include_problems = [], []
            if self._highlighting_md is None:
                self._highlighting_md = self._markdown(highlight=True)
            self._highlighting_md.reset()
            self._highlighting_md.convert(body)
            return self._highlighting_md

    def run(self) -> list[Problem]:
        library = self.library
        problems: list[Problem] = list(library.problems)
        scans: dict[str, _TopicScan] = {}
        for topic in library.topics:
            scan, found = self._scan(topic)
            scans[topic.id] = scan
            problems += found
        for scan in scans.values():
            problems += self._check_refs(scan, scans)
        problems += self._comparison_problems()
        return sorted(set(problems), key=lambda p: (str(p.path), p.line, p.message))

    # -- one topic -----------------------------------------------------------------------
    def _scan(self, topic: Topic) -> tuple[_TopicScan, list[Problem]]:
        source = self.library.read(topic)
        problems = list(source.problems)
        scan = _TopicScan(topic, source.body, source.body_line)
        declared = frontmatter.text_value(topic.meta.get("id"))
        if declared and not _VALID_ID.match(declared):
            problems.append(
                Problem(
                    topic.path,
                    topic.meta_lines.get("id", 1),
                    "warning",
                    f"topic id {declared!r} should use only letters, digits, '-', '_' and '.'",
                )
            )
        order = frontmatter.text_value(topic.meta.get("order"))
        if order and topic.order is None:
            problems.append(
                Problem(
                    topic.path,
                    topic.meta_lines.get("order", 1),
                    "warning",
                    f"order {order!r} is not a number",
                )
            )
        from viewer.study.cards import topic_cards

        _cards, card_problems = topic_cards(topic, source.body, source.body_line)
        problems += [Problem(topic.path, line, "error", msg) for line, msg in card_problems]
        self._refs.clear()
        self.context.topic = topic
        self.context.images = []
        self.context.include_problems = []
        try:
            self.context.deadline = Deadline(RENDER_SECONDS + len(source.body) * SECONDS_PER_CHAR)
            md = self._convert(prepare(source.body))
        except OverBudget as exc:
            problems.append(over_budget_problem(topic, source.body_line, exc))
            return scan, problems
        except RecursionError:
            problems.append(Problem(topic.path, source.body_line, "error", TOO_DEEP))
            return scan, problems
        except Exception as exc:  # a Markdown bug: say so, keep checking the rest
            problems.append(
                Problem(
                    topic.path,
                    source.body_line,
                    "error",
                    f"cannot render: {type(exc).__name__}: {exc}",
                )
            )
            return scan, problems
        scan.refs = list(self._refs)
        finder = _LineFinder(source.body, source.body_line)
        for written, why in self.context.include_problems:
            problems.append(
                Problem(topic.path, finder.line_of(written), "error", f"{written}: {why}")
            )
        self._anchors_from_toc(getattr(md, "toc_tokens", []), scan.anchors)
        for block in md.htmlStash.rawHtmlBlocks:
            self._raw_html(str(block), scan)
        return scan, problems

    def _anchors_from_toc(self, tokens: list, out: set[str]) -> None:
        for token in tokens:
            out.add(token.get("id", ""))
            self._anchors_from_toc(token.get("children", []), out)

    @staticmethod
    def _raw_html(block: str, scan: _TopicScan) -> None:
        """Pasted HTML: its links and images are loaded by the same rules, so check them too."""
        for tag, attributes in _HTML_TAG.findall(block):
            attrs = {
                name.lower(): value.strip("\"'") for name, value in _HTML_ATTR.findall(attributes)
            }
            for name in ("id", "name"):
                if name in attrs:
                    scan.anchors.add(attrs[name])
            tag = tag.lower()
            if tag in _ACTIVE_TAGS:
                scan.refs.append(_Ref("html", f"<{tag}"))
            elif tag == "a" and "href" in attrs:
                scan.refs.append(_Ref("link", attrs["href"]))
            elif tag == "img" and "src" in attrs:
                scan.refs.append(_Ref("image", attrs["src"]))

    # -- links and images ----------------------------------------------------------------
    def _check_refs(self, scan: _TopicScan, scans: dict[str, _TopicScan]) -> list[Problem]:
        problems = []
        finder = _LineFinder(scan.body, scan.body_line)
        for ref in scan.refs:
            if ref.value.startswith(f"{links.WIKI_SCHEME}:"):
                line = finder.line_of("[[" + unquote(urlsplit(ref.value).path))
            else:
                line = finder.line_of(ref.value)
            if ref.kind == "html":
                found = (
                    "warning",
                    f"raw HTML {ref.value}> is ignored: pages run no scripts and load nothing "
                    "from outside",
                )
            elif ref.kind == "image":
                found = self._check_image(scan.topic, ref.value)
            else:
                found = self._check_link(scan.topic, ref.value, scans)
            if found is not None:
                level, message = found
                problems.append(Problem(scan.topic.path, line, level, message))
        return problems

    def _check_link(
        self, topic: Topic, href: str, scans: dict[str, _TopicScan]
    ) -> tuple[str, str] | None:
        target = links.classify(self.library, topic, href)
        if target.kind == "external":
            return None
        if target.kind == "blocked":
            reason = target.reason
            if reason.startswith("no topic named"):
                name = unquote(urlsplit(href).path)
                hint = closest_topic(self.library, topic, name)
                return "error", f"broken wikilink [[{name}]]: {reason}" + (
                    f" (did you mean [[{hint.path.stem}]]?)" if hint else ""
                )
            if reason.startswith("no topic"):
                return "error", f"broken link {href!r}: {self._missing_topic(topic, href)}"
            if reason.startswith("link leaves"):
                return "error", f"link {href!r} leaves the library; the viewer does not follow it"
            if reason == "empty link":
                return "warning", "empty link"
            if reason.startswith("malformed address"):
                return "error", f"link {href!r} is a {reason}"
            return (
                "warning",
                f"link {href!r} is never followed: only links to topics and http(s) pages are",
            )
        if not target.anchor:
            return None
        scan = scans.get(target.topic_id)
        if scan is None or target.anchor in scan.anchors:
            return None
        where = (
            "on this page"
            if target.kind == "anchor" or target.topic_id == topic.id
            else f"in {self._rel(scan.topic.path)}"
        )
        known = sorted(a for a in scan.anchors if a)
        hint = difflib.get_close_matches(target.anchor, known, n=1)
        shown = repr(href)
        if href.startswith(f"{links.WIKI_SCHEME}:"):
            shown = f"[[{unquote(urlsplit(href).path)}#{target.anchor}]]"
        message = f"broken anchor {shown}: no heading #{target.anchor} {where}"
        if hint:
            message += f" (did you mean #{hint[0]}?)"
        return "error", message

    def _missing_topic(self, topic: Topic, href: str) -> str:
        parts = urlsplit(href)
        path = unquote(parts.path)
        by_id = parts.scheme.lower() == links.TOPIC_SCHEME
        if by_id:
            looked = f"no topic with id {path!r}"
        else:
            target = links.resolve_path(self.library, topic, path)
            shown = self._rel(target) if target is not None else path
            looked = f"no topic file {shown}"
            if "/" not in path and not path.lower().endswith((".md", ".html", ".htm")):
                looked = f"no topic with id {path!r} and {looked}"
                by_id = True
        hint = closest_topic(self.library, topic, path)
        if hint is None:
            return looked
        if by_id:
            return looked + f" (did you mean the topic {hint.id!r}?)"
        return looked + f" (did you mean {link_to(self.library, topic, hint)}?)"

    def _check_image(self, topic: Topic, src: str) -> tuple[str, str] | None:
        found = links.resolve_image(self.library, topic, src)
        if found.kind == "file":
            picture = pictures.inspect_file(found.path)
            return None if picture.ok else ("error", pictures.problem_text(src, picture))
        if found.kind == "remote":
            return "warning", f"remote image {src!r} is never fetched; save it in the images folder"
        if found.kind == "outside":
            return "error", f"image {src!r} is outside the library and is not loaded"
        try:
            ref = unquote(urlsplit(src).path)
        except ValueError:
            return "error", f"image {src!r} is a malformed address"
        looked = [topic.path.parent / ref, self.library.root / ref, self.library.images_dir / ref]
        if ref.startswith("images/"):
            looked.append(self.library.images_dir / ref[len("images/") :])
        inside = [p for p in looked if self.library.contains(Path(posixpath.normpath(str(p))))]
        shown = " or ".join(dict.fromkeys(self._rel(path) for path in inside or looked))
        return "error", f"image not found: {src!r} (no file {shown})"

    def _rel(self, path: Path) -> str:
        normal = Path(posixpath.normpath(str(path)))
        for root in (self.library.root, self.library.root.parent):
            try:
                rel = normal.relative_to(root).as_posix()
                return rel if root == self.library.root else f"../{rel}"
            except ValueError:
                continue
        return str(normal)

    # -- comparison data -----------------------------------------------------------------
    def _comparison_problems(self) -> list[Problem]:
        try:
            from viewer.compare.sources import max_age_months, source_problems
            from viewer.compare.tables import load_comparisons
        except ImportError:
            return []
        try:
            data = load_comparisons(self.library)
            max_age, problems = max_age_months(self.library.root)
            return [*data.problems, *problems, *source_problems(data, max_age, self.today)]
        except Exception as exc:  # the loader must never stop the rest of the check
            return [
                Problem(
                    self.library.root / "comparisons",
                    1,
                    "error",
                    f"cannot read comparison data: {exc}",
                )
            ]


class _LineFinder:
    """Line numbers of references in a topic's source, searched in document order."""

    def __init__(self, body: str, body_line: int):
        self.body = body
        self.body_line = body_line
        self.position = 0

    def line_of(self, value: str) -> int:
        if not value:
            index = self.body.find("]()", self.position)
        else:
            index = self.body.find(value, self.position)
            if index < 0:
                index = self.body.find(value)
        if index < 0:
            return self.body_line
        self.position = index + max(1, len(value))
        return self.body_line + self.body.count("\n", 0, index)


def check_library(library: Library, today: dt.date | None = None) -> list[Problem]:
    return LibraryCheck(library, today).run()


def run_check(path: Path, out=None, err=None, today: dt.date | None = None) -> int:
    """Print the problems of the library at `path`; 0 clean, 1 problems (or no topics at all),
    2 unreadable folder.

    `today` is the date comparison sources are aged against (default: the real date).
    """
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        library = Library(path, use_cache=False)  # a check trusts nothing remembered
    except LibraryError as exc:
        err.write(f"cloudref: error: {exc}\n")
        return 2
    if not library.topics:
        # Exit 1, not 0: a folder with nothing to show is almost always the wrong folder.
        out.write(f"{library.root}: error: no topics here (a library is a folder of .md files)\n")
        return 1
    problems = check_library(library, today)
    for problem in problems:
        out.write(problem.format(library.root) + "\n")
    errors = sum(p.level == "error" for p in problems)
    warnings = len(problems) - errors
    topics = f"{len(library.topics)} topic{'s' if len(library.topics) != 1 else ''}"
    if problems:
        out.write(f"{library.root}: {errors} error(s), {warnings} warning(s) in {topics}\n")
        return 1
    out.write(f"{library.root}: no problems in {topics}\n")
    return 0
