"""The caches that make a second start fast: topic heads, rendered pages, page stylesheets.

Each is only ever a shortcut: a changed file is read again, a damaged cache file is ignored
and written anew, and what the window shows is what it would show with no cache at all.
"""

from __future__ import annotations

import os

from conftest import write_library
from viewer.cache import cache_dir, read_blob, write_blob
from viewer.library import HeadCache, Library


def heads_file(root) -> os.PathLike:
    return HeadCache(Library(root, use_cache=False).root).path


def titles(library: Library) -> dict[str, str]:
    return {t.id: t.title for t in library.topics}


def bump_mtime(path) -> None:
    """A new modification time, as an editor's save gives, even within the clock's resolution."""
    status = path.stat()
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns + 2_000_000_000))


# -- cache files ---------------------------------------------------------------------------
def test_blob_round_trip_and_damage_reads_as_none(tmp_path):
    path = tmp_path / "sub" / "x.bin"
    assert write_blob(path, {"a": (1, "two", None)})
    assert read_blob(path) == {"a": (1, "two", None)}
    path.write_bytes(b"\x00garbage")
    assert read_blob(path) is None
    assert read_blob(tmp_path / "missing.bin") is None


def test_unwritable_cache_folder_is_no_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert write_blob(blocker / "x.bin", 1) is False


# -- topic heads ---------------------------------------------------------------------------
def test_second_open_reads_no_heads_and_gives_the_same_library(tmp_path, monkeypatch):
    root = write_library(tmp_path / "lib", {"a.md": "---\nid: alpha\naliases: first, one\norder: 2\n---\n# Alpha\n", "b/b.md": "# Beta\n"})
    first = Library(root)
    assert heads_file(root).is_file()
    reads = []
    real = Library._read_head
    monkeypatch.setattr(Library, "_read_head", lambda self, path, inside=False: reads.append(path.name) or real(self, path, inside))
    second = Library(root)
    assert reads == []
    assert [(t.id, t.title, t.aliases, t.order, t.meta, t.meta_lines, t.path, t.breadcrumb) for t in second.topics] == [
        (t.id, t.title, t.aliases, t.order, t.meta, t.meta_lines, t.path, t.breadcrumb) for t in first.topics
    ]


def test_changed_added_and_removed_files_are_seen(tmp_path):
    root = write_library(tmp_path / "lib", {"a.md": "# Alpha\n", "b.md": "# Beta\n"})
    Library(root)
    (root / "a.md").write_text("# Alpha, renamed\n")
    bump_mtime(root / "a.md")
    (root / "b.md").unlink()
    (root / "c.md").write_text("# Gamma\n")
    assert titles(Library(root)) == {"a": "Alpha, renamed", "c": "Gamma"}
    assert titles(Library(root)) == {"a": "Alpha, renamed", "c": "Gamma"}


def test_same_size_edit_is_seen_by_its_modification_time(tmp_path):
    root = write_library(tmp_path / "lib", {"a.md": "# Alpha\n"})
    Library(root)
    (root / "a.md").write_text("# Omega\n")  # same size
    bump_mtime(root / "a.md")
    assert titles(Library(root)) == {"a": "Omega"}


def test_damaged_heads_file_is_ignored_and_rebuilt(tmp_path):
    root = write_library(tmp_path / "lib", {"a.md": "# Alpha\n"})
    Library(root)
    path = heads_file(root)
    path.write_bytes(b"not a cache at all")
    assert titles(Library(root)) == {"a": "Alpha"}
    assert read_blob(path) is not None  # written anew
    # Well-formed but nonsense entries are ignored one by one.
    blob = read_blob(path)
    blob["heads"] = {key: ("size?", None) for key in blob["heads"]}
    write_blob(path, blob)
    assert titles(Library(root)) == {"a": "Alpha"}


def test_check_reads_every_head(tmp_path, monkeypatch):
    root = write_library(tmp_path / "lib", {"a.md": "# Alpha\n"})
    Library(root)
    reads = []
    real = Library._read_head
    monkeypatch.setattr(Library, "_read_head", lambda self, path, inside=False: reads.append(path.name) or real(self, path, inside))
    Library(root, use_cache=False)
    assert reads == ["a.md"]
    assert str(heads_file(root)).startswith(str(cache_dir()))
