"""A library on disk: its categories and topics in tree order, read lazily.

Opening a library reads only what the tree needs (front matter and the first heading of each
file); a topic's full text is read when it is shown. What the tree needs is kept in the user's
cache folder (`HeadCache`), so opening a library again only lists its folders: a file is read
again when its size or modification time changed.

At start-up the window does not wait even for that: `Library(root, remembered=True)` takes the
tree as the last scan left it (`LibrarySnapshot`), if no folder of the library and not its
`library.toml` changed since, and the window scans again after its first paint. With nothing
remembered (a first start), a large library is read quickly instead: every folder listed, but
only its first folder's files read (`provisional`); the window scans it whole after its first
paint, as it does a remembered one. No Qt here.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from viewer.library.cache import (
    cache_dir,
    library_slug,
    new_sha1,
    read_blob,
    source_signature,
    write_blob,
)
from viewer.library.problems import Problem

if TYPE_CHECKING:
    from viewer.library.contents import Contents

CONFIG_NAME = "library.toml"
HEAD_BYTES = 4096  # enough for front matter and the first heading of nearly every topic
# A page over this size is shown cut at this size, and `--check` reports it: rendering and
# laying out take time in proportion to the text, so 1 MB still opens without a long wait
# while a 10 MB file (a pasted log) would freeze the window ten times as long.
MAX_TOPIC_BYTES = 1_000_000
# The files a book's contents may live in (viewer.library.contents, which checks it): a saved
# tree is stale when one changes, since an edit in place leaves its folder's time alone.
CONTENTS_FILES = (
    "mkdocs.yml",
    "../mkdocs.yml",
    "book.toml",
    "SUMMARY.md",
    "src/SUMMARY.md",
    "index.md",
    "README.md",
    "readme.md",
)
CONTENTS_KEY = "contents:"  # the `folder` of a section of a book's contents, which has none
# A library this large opens with only the shown topic's folder open in the tree (the rest
# would be thousands of rows nobody reads), and a first start reads only its first folder.
LARGE_LIBRARY_TOPICS = 1000
_ID_CHARS = re.compile(r"[^\w.-]+")


class LibraryError(Exception):
    """The library folder itself cannot be used (missing, not a folder, unreadable)."""


class Topic:
    """One Markdown file of the library, as the tree, search and links need it; its text is
    read when it is shown (`Library.read`). Plain classes here, not dataclasses: defining one
    compiles its methods on the start-up path (see viewer/library/problems.py)."""

    __slots__ = (
        "_path",
        "aliases",
        "category",
        "id",
        "meta",
        "meta_lines",
        "order",
        "summary",
        "title",
    )

    def __init__(
        self,
        id: str,  # the topic's id, as the format names it
        title: str,
        path: Path | str,
        category: Category | None = None,
        aliases: tuple[str, ...] = (),
        summary: str = "",
        order: float | None = None,
        meta: dict[str, str | list[str]] | None = None,
        meta_lines: dict[str, int] | None = None,
    ):
        self.id, self.title, self.category = id, title, category
        # A str becomes a Path when first asked for: a remembered library would otherwise
        # make thousands of Paths at start-up that the first screen never uses.
        self._path = path
        self.aliases, self.summary, self.order = aliases, summary, order
        self.meta: dict[str, str | list[str]] = meta if meta is not None else {}
        self.meta_lines: dict[str, int] = (
            meta_lines if meta_lines is not None else {}
        )  # front matter key -> line

    @property
    def path(self) -> Path:
        path = self._path
        if path.__class__ is str:
            path = self._path = Path(path)
        return path

    @property
    def path_text(self) -> str:
        """The file's path as text, without making the `Path` (the library's digest asks it
        of every topic)."""
        path = self._path
        return path if path.__class__ is str else str(path)

    @property
    def breadcrumb(self) -> list[str]:
        names = []
        node = self.category
        while node is not None and node.parent is not None:
            names.append(node.title)
            node = node.parent
        return list(reversed(names))

    def __repr__(self) -> str:
        return f"Topic(id={self.id!r}, title={self.title!r}, path={str(self._path)!r})"


class Category:
    """A folder of the library: its title and its topics, then its subfolders."""

    def __init__(
        self, title: str, folder: str, parent: Category | None = None, children: list | None = None
    ):
        self.title = title
        self.folder = folder  # relative to the library root, "" for the root
        self.parent = parent
        self.children: list[Category | Topic] = children if children is not None else []

    def __repr__(self) -> str:
        return f"Category(title={self.title!r}, folder={self.folder!r})"


class TopicSource(NamedTuple):
    """A topic's text, ready to render, and what went wrong reading it."""

    body: str
    body_line: int
    meta: dict[str, str]
    problems: list[Problem]


def decode(data: bytes, path: Path) -> tuple[str, list[Problem]]:
    """UTF-8 text with replacement characters, and a problem naming the first bad byte's line."""
    problems: list[Problem] = []
    if b"\x00" in data[:8192]:
        problems.append(Problem(path, 1, "error", "binary file, not UTF-8 Markdown text"))
        return "", problems
    try:
        return data.decode("utf-8"), problems
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        problems.append(
            Problem(
                path,
                line,
                "warning",
                f"invalid UTF-8 (byte 0x{data[exc.start]:02x}); shown with replacement characters",
            )
        )
        return data.decode("utf-8", errors="replace"), problems


def _cut(text: str, limit: int) -> str:
    """The start of `text`, about `limit` bytes, ending at a paragraph (else a line) break."""
    head = text[:limit]
    for mark in ("\n\n", "\n"):
        end = head.rfind(mark)
        if end > limit // 2:
            return head[:end]
    return head


def tidy_title(name: str) -> str:
    text = re.sub(r"^\d+[-_ .]+", "", name)  # "01-intro" sorts by its number, reads as "Intro"
    text = text.replace("_", " ").replace("-", " ").strip() or name
    return text[0].upper() + text[1:]


class HeadCache:
    """What the tree needs of each topic file (id, title, aliases, summary, order, front
    matter), by path, valid while the file keeps its size and modification time.

    One file per library in the user's cache folder. A damaged or outdated one is ignored and
    written anew; an unwritable cache folder only means every head is read each time.
    """

    def __init__(self, root: Path):
        self.path = cache_dir() / f"heads-{library_slug(root)}.bin"
        blob = read_blob(self.path)
        valid = (
            isinstance(blob, dict)
            and blob.get("code") == _head_code()
            and isinstance(blob.get("heads"), dict)
        )
        self._old: dict = blob["heads"] if valid else {}  # type: ignore[index]
        self._new: dict = {}
        self._changed = not valid

    def get(self, key: str, status: os.stat_result, path: Path) -> Topic | None:
        entry = self._old.get(key)
        if entry is None:
            return None
        try:
            size, mtime_ns, topic_id, title, aliases, summary, order, meta, meta_lines = entry
            if size != status.st_size or mtime_ns != status.st_mtime_ns:
                return None
            if not (
                isinstance(topic_id, str) and isinstance(title, str) and isinstance(summary, str)
            ):
                return None
            topic = Topic(
                id=topic_id,
                title=title,
                path=path,
                aliases=tuple(aliases),
                summary=summary,
                order=order,
                meta=dict(meta),
                meta_lines=dict(meta_lines),
            )
        except (TypeError, ValueError):
            return None
        self._new[key] = entry
        return topic

    def put(self, key: str, status: os.stat_result, topic: Topic) -> None:
        self._new[key] = (
            status.st_size,
            status.st_mtime_ns,
            topic.id,
            topic.title,
            tuple(topic.aliases),
            topic.summary,
            topic.order,
            dict(topic.meta),
            dict(topic.meta_lines),
        )
        self._changed = True

    def save(self) -> None:
        """Write the heads seen in this scan, if any differ from the file (changed, new, gone)."""
        if self._changed or len(self._new) != len(self._old):
            write_blob(self.path, {"code": _head_code(), "heads": self._new})


def _head_code() -> tuple:
    # Heads read by other code (another HEAD_BYTES, another front matter parser) are not reused.
    return (
        "heads",
        1,
        HEAD_BYTES,
        *source_signature(
            __file__,
            os.path.join(os.path.dirname(__file__), "frontmatter.py"),
            os.path.join(os.path.dirname(__file__), "titles.py"),
        ),
    )


def _sort_topics(topics: list[Topic]) -> None:
    topics.sort(key=lambda t: (t.order is None, t.order or 0, t.title.casefold()))


def _first_folder(category: Category, unread: dict) -> Category | None:
    """The folder whose topics the tree lists first: `category` itself if it has files, else
    its first subfolder that has some (folders sort by `library.toml` and name, not by files)."""
    if unread.get(category):
        return category
    for child in category.children:
        if isinstance(child, Category):
            found = _first_folder(child, unread)
            if found is not None:
                return found
    return None


class LibrarySnapshot:
    """The tree of one library as its last scan left it, in the user's cache folder.

    Valid while every folder the scan listed keeps its modification time (a file added,
    removed or renamed changes its folder's) and `library.toml` keeps its size and time. A
    file edited in place changes neither: whoever restores a snapshot scans again later.
    """

    def __init__(self, root: Path):
        self.root = root
        self.path = cache_dir() / f"library-{library_slug(root)}.bin"
        self.payload: tuple | None = None

    @staticmethod
    def _config_status(root: Path) -> tuple:
        """Size and time of `library.toml` and of each file a book's contents may live in."""
        status = []
        for name in (CONFIG_NAME, *CONTENTS_FILES):
            try:
                found = os.stat(os.path.join(root, name))
                status.append((found.st_size, found.st_mtime_ns))
            except OSError:
                status.append(None)
        return tuple(status)

    def save(self, library: Library) -> tuple:
        """Write what `library` (just scanned) shows, if it differs from the file; the payload."""

        def category(node: Category) -> tuple:
            # Topics and subcategories in their order: a book's contents interleaves them.
            children = [
                (0, (t.id, t.title, str(t.path), t.summary, tuple(t.aliases), t.order))
                if isinstance(t, Topic)
                else (1, category(t))
                for t in node.children
            ]
            return (node.title, node.folder, children)

        payload = (
            _snapshot_code(),
            str(library.root),
            self._config_status(library.root),
            tuple(library._folders),
            library.title,
            str(library.images_dir),
            tuple((str(p.path), p.line, p.level, p.message) for p in library.problems),
            category(library.tree),
            library.digest(),
        )
        if read_blob(self.path) != payload:
            write_blob(self.path, payload)
        self.payload = payload
        return payload

    def restore(self, library: Library) -> bool:
        """Fill `library` from the snapshot if it is still valid; False (nothing changed) if not."""
        payload = read_blob(self.path)
        try:
            code, root, config, folders, title, images, problems, tree, digest = payload  # type: ignore[misc]
            if (
                code != _snapshot_code()
                or root != str(self.root)
                or config != self._config_status(self.root)
            ):
                return False
            for folder, mtime_ns in folders:
                if os.stat(os.path.join(root, folder)).st_mtime_ns != mtime_ns:
                    return False

            every: list[Topic] = []

            def category(entry, parent: Category | None) -> Category:
                node_title, folder, entries = entry
                node = Category(str(node_title), str(folder), parent=parent)
                children: list = []
                for kind, value in entries:
                    if kind == 0:
                        i, t, p, s, a, o = value
                        topic = Topic(
                            id=i, title=t, path=p, category=node, summary=s, aliases=a, order=o
                        )
                        every.append(topic)
                        children.append(topic)
                    else:
                        children.append(category(value, node))
                node.children = children
                return node

            built = category(tree, None)
            if not all(
                type(t.id) is str and type(t.title) is str and type(t._path) is str for t in every
            ):
                return False  # well-formed, but not what a scan stores
            found = [
                Problem(Path(p), int(line), str(level), str(message))
                for p, line, level, message in problems
            ]
        except (OSError, TypeError, ValueError):  # a folder gone, or not what we store
            return False
        library.title, library.images_dir, library.problems = str(title), Path(images), found
        library.tree = built
        library._flatten(built)
        library._digest = str(digest)
        self.payload = payload
        return True


def _snapshot_code() -> tuple:
    return ("library", 2, *_head_code())


class Library:
    """The topics of one library folder, in tree order."""

    def __init__(self, root: Path, *, use_cache: bool = True, remembered: bool = False):
        """`use_cache=False` reads every file's head (`--check`: nothing remembered is trusted).

        `remembered=True` takes the tree the last scan of this folder left, if it is still
        valid by its folders and `library.toml`; `self.remembered` then says so, and the caller
        scans again (`Library(root)`) when it has time: a topic file edited in place since is
        only seen by that scan. Remembered topics carry no `meta` (only `--check` reads it).
        """
        self.root = Path(root).resolve()
        if not self.root.exists():
            raise LibraryError(f"library folder not found: {root}")
        if not self.root.is_dir():
            raise LibraryError(f"not a folder: {root}")
        if not os.access(self.root, os.R_OK | os.X_OK):
            raise LibraryError(f"library folder cannot be read: {root}")
        self.problems: list[Problem] = []
        self.title = tidy_title(self.root.name)
        self.images_dir = self.root / "images"
        self._category_order: dict[str, tuple[int, str]] = {}
        self.topics: list[Topic] = []
        self.by_id: dict[str, Topic] = {}
        self._by_path: dict[Path, Topic] | None = None  # made when first asked for
        self._by_name: dict[str, Topic] | None = None  # likewise
        self._digest: str | None = None
        self.remembered = False
        self.contents: Contents | None = None  # the book's own table of contents
        # Only the first folder's files read (a quick first start): ids and titles elsewhere
        # are the file names' until the library is scanned whole.
        self.provisional = False
        if remembered and use_cache:
            snapshot = LibrarySnapshot(self.root)
            if snapshot.restore(self):
                self.remembered = True
                self.snapshot = snapshot.payload
                return
        if not self._read_config():
            # Here, not at the top: a remembered library reads no contents.
            from viewer.library.contents import find_contents

            self.contents = find_contents(self.root)
            if self.contents is not None and self.contents.title:
                self.title = self.contents.title
        self.tree = Category(self.title, "")
        self._heads = HeadCache(self.root) if use_cache else None
        self._folders: list[
            tuple[str, int]
        ] = []  # every folder scanned, and its time before listing
        # A book's own contents order it across folders: it is read whole.
        self._scan(quick=remembered and use_cache and self.contents is None)
        self.snapshot = None
        if self._heads is not None:
            self._heads.save()
            if not self.provisional:
                self.snapshot = LibrarySnapshot(self.root).save(self)

    # -- loading -----------------------------------------------------------------------
    def _read_config(self) -> bool:
        """Read `library.toml`; False if there is none (the book's own contents may order it)."""
        path = self.root / CONFIG_NAME
        if not path.is_file():
            return False
        if sys.version_info >= (3, 11):
            import tomllib  # here, not at the top: a remembered library reads no TOML
        else:  # pragma: no cover - exercised on Python 3.10 only
            import tomli as tomllib
        try:
            text = path.read_text(encoding="utf-8")
            config = tomllib.loads(text)
        except (OSError, UnicodeDecodeError) as exc:
            self.problems.append(Problem(path, 1, "error", f"cannot read: {exc}"))
            return True
        except tomllib.TOMLDecodeError as exc:
            line = int(m.group(1)) if (m := re.search(r"line (\d+)", str(exc))) else 1
            self.problems.append(Problem(path, line, "error", f"TOML syntax error: {exc}"))
            return True
        if isinstance(config.get("title"), str) and config["title"].strip():
            self.title = config["title"].strip()
        if isinstance(config.get("images"), str):
            images = (self.root / config["images"]).resolve()
            # Pages may load any image in this folder: it may sit beside the library (the
            # bundled one uses ../images) but never above it, or a stranger's library could
            # show pictures from anywhere in your home folder.
            if images != self.root and (
                self.root.is_relative_to(images) or not images.is_relative_to(self.root.parent)
            ):
                match = re.search(r"^\s*images\s*=", text, re.MULTILINE)
                line = text.count("\n", 0, match.start()) + 1 if match else 1
                self.problems.append(
                    Problem(
                        path,
                        line,
                        "error",
                        f"images folder {config['images']!r} is outside the library and its "
                        "parent folder; using images/",
                    )
                )
            else:
                self.images_dir = images
        for index, entry in enumerate(config.get("category", []) or []):
            if isinstance(entry, dict) and isinstance(entry.get("folder"), str):
                folder = entry["folder"].strip("/")
                self._category_order[folder] = (
                    index,
                    str(entry.get("title") or tidy_title(folder)),
                )
        return True

    def _scan(self, quick: bool = False) -> None:
        """Every folder and file; `quick`: a large library's files are read in its first
        folder only (the rest named from their files until a whole scan, `provisional`)."""
        self._scanned: dict[Path, Path] = {self.root: self.root}  # real folder -> where first seen
        self._unread: dict[Category, list] = {}  # quick: each folder's files, to read later
        self._quick = quick
        self._scan_folder(self.root, self.tree)
        if quick:
            listed = sum(len(files) for files in self._unread.values())
            folders = list(self._unread)
            if listed > LARGE_LIBRARY_TOPICS:
                self.provisional = self.remembered = True
                folders = [f for f in [_first_folder(self.tree, self._unread)] if f is not None]
            for category in folders:
                self._read_files(category, self._unread.pop(category))
        if self.contents is not None:
            self._follow_contents(self.contents)
        self._prune(self.tree)
        self._flatten(self.tree)

    def _follow_contents(self, contents: Contents) -> None:
        """Reorder the scanned tree by the book's contents: its index page first, then its
        entries, nested as it nests them; every file it does not list after those, in its
        folder as before."""
        placed: dict[str, Topic] = {}

        def collect(node: Category) -> None:
            for child in node.children:
                if isinstance(child, Topic):
                    placed[os.path.relpath(child.path, self.root).replace(os.sep, "/")] = child
                else:
                    collect(child)

        collect(self.tree)
        taken: set[int] = set()

        def take(path: str | None, title: str) -> Topic | None:
            topic = placed.get(path) if path else None
            if topic is None or id(topic) in taken:
                return None
            taken.add(id(topic))
            if title:
                topic.title = title  # the name the book's own contents gives the page
            return topic

        def build(entries: list, parent: Category, key: str) -> list:
            nodes: list = []
            for n, entry in enumerate(entries):
                topic = take(entry.path, entry.title)
                if entry.children:
                    title = entry.title or (topic.title if topic else "")
                    section = Category(title, f"{CONTENTS_KEY}{key}{n}", parent=parent)
                    kids = ([topic] if topic else []) + build(entry.children, section, f"{key}{n}.")
                    if topic is not None:
                        topic.category = section
                    section.children = kids
                    nodes.append(section)
                elif topic is not None:
                    topic.category = parent
                    nodes.append(topic)
            return nodes

        index = take(contents.index, "")
        listed = build(contents.entries, self.tree, "")

        def drop_taken(node: Category) -> None:
            node.children = [
                c for c in node.children if not (isinstance(c, Topic) and id(c) in taken)
            ]
            for child in node.children:
                if isinstance(child, Category):
                    drop_taken(child)

        drop_taken(self.tree)
        if index is not None:
            index.category = self.tree
        self.tree.children = [*([index] if index else []), *listed, *self.tree.children]

    def _read_files(self, category: Category, files: list[os.DirEntry]) -> None:
        """Read the heads of a quick scan's `files` of `category`."""
        topics = []
        for entry in files:
            topic = self._head(entry, Path(entry.path))
            if topic is not None:
                topic.category = category
                topics.append(topic)
        _sort_topics(topics)
        category.children = [
            *topics,
            *(c for c in category.children if isinstance(c, Category)),
        ]

    def _scan_folder(self, folder: Path, category: Category) -> None:
        try:
            # Its time first: a file added while the folder is listed makes the snapshot stale.
            self._folders.append((os.path.relpath(folder, self.root), os.stat(folder).st_mtime_ns))
            entries = sorted(os.scandir(folder), key=lambda e: e.name.casefold())
        except OSError as exc:
            self.problems.append(Problem(folder, 1, "error", f"cannot list folder: {exc.strerror}"))
            return
        topics: list[Topic] = []
        subfolders: list[Category] = []
        at_root = folder == self.root
        for entry in entries:
            if entry.name.startswith((".", "_")):
                continue
            try:
                is_dir = entry.is_dir()
                is_file = entry.is_file()
            except OSError:
                continue
            if self._quick and is_file and entry.name.lower().endswith(".md"):
                # (A quick scan has no book contents: only the root's README is skipped.)
                if not at_root or entry.name.lower() != "readme.md":
                    # Id and title the file's name until it is read (its folder is closed in
                    # the tree meanwhile); its path a str, as a remembered topic's (Topic.path).
                    self._unread.setdefault(category, []).append(entry)
                    stem = entry.name[:-3]
                    topics.append(Topic(stem, stem, entry.path, category))
                continue
            path = Path(entry.path)
            if not is_dir and not is_file and entry.is_symlink():
                self.problems.append(
                    Problem(path, 1, "warning", "link to a file that does not exist; skipped")
                )
                continue
            if is_dir:
                real = path.resolve()
                if not self.contains(real):
                    self.problems.append(
                        Problem(path, 1, "warning", "folder links outside the library; skipped")
                    )
                    continue
                if real in self._scanned:  # a link back up the tree would recurse for ever
                    seen = self._scanned[real].relative_to(self.root).as_posix()
                    seen = "the library folder" if seen == "." else seen
                    self.problems.append(
                        Problem(
                            path,
                            1,
                            "warning",
                            f"folder is a link to {seen}, already shown; skipped",
                        )
                    )
                    continue
                self._scanned[real] = path
                rel = path.relative_to(self.root).as_posix()
                order, title = self._category_order.get(rel, (10_000, tidy_title(entry.name)))
                sub = Category(title, rel, parent=category)
                sub._order = order  # type: ignore[attr-defined]
                self._scan_folder(path, sub)
                subfolders.append(sub)
            elif is_file and entry.name.lower().endswith(".md"):
                if self._skipped(folder, entry.name):
                    continue
                # A plain file in a folder already found inside the library is inside it too:
                # only links need resolving (realpath stats every part of every file's path).
                topic = self._head(entry, path)
                if topic is not None:
                    topic.category = category
                    topics.append(topic)
        _sort_topics(topics)
        subfolders.sort(key=lambda c: (c._order, c.title.casefold()))  # type: ignore[attr-defined]
        category.children = [*topics, *subfolders]

    def _skipped(self, folder: Path, name: str) -> bool:
        """The root's README.md is the authors' guide, not a topic (unless it is the book's
        contents); a book's SUMMARY.md is its contents, shown as the tree."""
        contents = self.contents
        if folder == self.root and name.lower() == "readme.md":
            return contents is None or not contents.lists(name)
        if contents is None or not contents.hidden:
            return False
        rel = os.path.relpath(os.path.join(folder, name), self.root).replace(os.sep, "/")
        return rel in contents.hidden

    def _head(self, entry: os.DirEntry, path: Path) -> Topic | None:
        """The topic of a file, from the head cache if the file has not changed since."""
        if (
            self._heads is None or entry.is_symlink()
        ):  # a link is checked against the library each time
            return self._read_head(path, inside=not entry.is_symlink())
        try:
            status = entry.stat()
        except OSError:
            return self._read_head(path, inside=True)
        topic = self._heads.get(entry.path, status, path)
        if topic is None:
            known = len(self.problems)
            topic = self._read_head(path, inside=True)
            if (
                topic is not None and len(self.problems) == known
            ):  # a file that failed is read again next time
                self._heads.put(entry.path, status, topic)
        return topic

    def _read_head(self, path: Path, inside: bool = False) -> Topic | None:
        if not inside and not self.contains(path.resolve()):
            self.problems.append(
                Problem(path, 1, "warning", "file links outside the library; skipped")
            )
            return None
        try:
            with open(path, "rb") as handle:
                data = handle.read(HEAD_BYTES)
                if (
                    data.startswith(b"---")
                    and b"\n---" not in data[3:]
                    and b"\n..." not in data[3:]
                ):
                    data += handle.read()  # long front matter: read on to its end
        except OSError as exc:
            self.problems.append(Problem(path, 1, "error", f"cannot read: {exc.strerror}"))
            return Topic(id=path.stem, title=path.stem, path=path)
        from viewer.library import frontmatter  # here: a remembered library parses no front matter
        from viewer.library.titles import heading_title, plain_text

        text = data.decode("utf-8", errors="replace")
        parsed = frontmatter.parse(text)
        meta = parsed.meta
        value = frontmatter.text_value
        title = plain_text(value(meta.get("title")))
        if not title:
            title = heading_title(parsed.body) or tidy_title(path.stem)
        order = None
        if value(meta.get("order")):
            try:
                order = float(value(meta.get("order")))
            except ValueError:
                pass
        return Topic(
            id=value(meta.get("id")).strip() or path.stem,
            title=title,
            path=path,
            aliases=tuple(plain_text(a) for a in frontmatter.split_list(meta.get("aliases"))),
            summary=plain_text(value(meta.get("summary"))),
            order=order,
            meta=meta,
            meta_lines=parsed.lines,
        )

    def _prune(self, category: Category) -> bool:
        """Drop folders with no topics in them (images/, comparisons/, empty ones)."""
        kept = []
        for child in category.children:
            if isinstance(child, Category):
                if self._prune(child):
                    kept.append(child)
            else:
                kept.append(child)
        category.children = kept
        return bool(kept)

    def _flatten(self, category: Category) -> None:
        for child in category.children:
            if isinstance(child, Category):
                self._flatten(child)
                continue
            if child.id in self.by_id:
                first = self.by_id[child.id]
                duplicate = child.id
                base = _ID_CHARS.sub(
                    "-", child.path.relative_to(self.root).with_suffix("").as_posix()
                )
                child.id = base
                n = 2
                while child.id in self.by_id:
                    child.id, n = f"{base}-{n}", n + 1
                if not self.provisional:  # there, file names alike in two folders are no problem
                    self.problems.append(
                        Problem(
                            child.path,
                            child.meta_lines.get("id", 1),
                            "error",
                            f"duplicate topic id {duplicate!r}, already used by"
                            f" {first.path.relative_to(self.root).as_posix()}; links by that id"
                            f" go there, this topic is {child.id!r} for now",
                        )
                    )
            self.by_id[child.id] = child
            self.topics.append(child)

    # -- queries -----------------------------------------------------------------------
    def contains(self, path: Path) -> bool:
        """Whether `path` (resolved) lies in the library folder or its images folder."""
        for root in (self.root, self.images_dir):
            try:
                path.relative_to(root)
                return True
            except ValueError:
                continue
        return False

    def topic(self, topic_id: str) -> Topic | None:
        return self.by_id.get(topic_id)

    def digest(self) -> str:
        """The library's topics (ids and files) and folders, as one short string: what links
        between pages depend on. Computed once per library; a remembered one has it stored."""
        if self._digest is None:
            digest = new_sha1(f"{self.root}\0{self.images_dir}\n")
            digest.update(
                "\n".join(f"{t.id}\0{t.path_text}" for t in self.topics).encode(
                    "utf-8", "surrogatepass"
                )
            )
            self._digest = digest.hexdigest()
        return self._digest

    @property
    def first_topic(self) -> Topic | None:
        return self.topics[0] if self.topics else None

    def neighbour(self, topic: Topic, step: int) -> Topic | None:
        index = self.topics.index(topic) + step
        return self.topics[index] if 0 <= index < len(self.topics) else None

    def topic_named(self, name: str) -> Topic | None:
        """The topic a wikilink names: by its path or file name (without `.md`), its id, its
        title, then an alias; letter case aside, as note-taking apps resolve them."""
        if self._by_name is None:
            by_name: dict[str, Topic] = {}
            for rank in range(4):
                for topic in self.topics:
                    if rank == 0:
                        rel = os.path.relpath(topic.path, self.root).replace(os.sep, "/")
                        keys = [rel[:-3] if rel.lower().endswith(".md") else rel]
                        keys.append(topic.path.stem)
                    elif rank == 1:
                        keys = [topic.id]
                    elif rank == 2:
                        keys = [topic.title]
                    else:
                        keys = list(topic.aliases)
                    for key in keys:
                        by_name.setdefault(key.casefold(), topic)
            self._by_name = by_name
        name = name.strip().replace("\\", "/")
        if name.lower().endswith(".md"):
            name = name[:-3]
        return self._by_name.get(name.casefold()) or self._by_name.get(
            name.rsplit("/", 1)[-1].casefold()
        )

    def topic_for_file(self, path: Path) -> Topic | None:
        if self._by_path is None:
            self._by_path = {topic.path: topic for topic in self.topics}
        return self._by_path.get(path)

    def read(self, topic: Topic) -> TopicSource:
        """The topic's whole text, decoded; problems instead of exceptions."""
        try:
            data = topic.path.read_bytes()
        except OSError as exc:
            problem = Problem(topic.path, 1, "error", f"cannot read: {exc.strerror or exc}")
            return TopicSource("", 1, {}, [problem])
        text, problems = decode(data, topic.path)
        if len(data) > MAX_TOPIC_BYTES:
            text = _cut(text, MAX_TOPIC_BYTES)
            text += (
                f"\n\n---\n\n*The rest of this file ({(len(data) - len(text.encode())) / 1e6:.1f} "
                "MB) is not shown:"
                f" one page shows at most {MAX_TOPIC_BYTES / 1e6:g} MB.*\n"
            )
            problems.append(
                Problem(
                    topic.path,
                    1,
                    "warning",
                    f"topic is {len(data) / 1e6:.1f} MB, over the {MAX_TOPIC_BYTES / 1e6:g} MB "
                    "limit for one page;"
                    f" only the first {MAX_TOPIC_BYTES / 1e6:g} MB is shown — split it into "
                    "smaller topics",
                )
            )
        from viewer.library import frontmatter

        parsed = frontmatter.parse(text)
        problems += [
            Problem(topic.path, line, "warning", message) for line, message in parsed.errors
        ]
        return TopicSource(parsed.body, parsed.body_line, parsed.meta, problems)
