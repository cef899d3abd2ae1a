"""Opening a library reads what the tree needs; a topic's body is read when it is shown."""

from __future__ import annotations

import builtins
import threading

import pytest
from conftest import write_library

import viewer.library.folder as library_module
from viewer.library.folder import HEAD_BYTES, Library

BODY = "Filler text for a long topic body.\n\n" * 20_000  # about 700 KB


class ReadCounter:
    """Counts the bytes viewer.library.folder reads from each file, through `open` and
    `read_bytes`."""

    def __init__(self, monkeypatch):
        self.bytes: dict[str, int] = {}
        real_open = builtins.open
        counter = self

        class Handle:
            def __init__(self, handle, name):
                self._handle, self._name = handle, name

            def read(self, *args):
                data = self._handle.read(*args)
                counter.bytes[self._name] = counter.bytes.get(self._name, 0) + len(data)
                return data

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self._handle.close()

            def __getattr__(self, name):
                return getattr(self._handle, name)

        def tracking_open(path, mode="r", *args, **kwargs):
            return Handle(real_open(path, mode, *args, **kwargs), str(path))

        real_read_bytes = library_module.Path.read_bytes

        def tracking_read_bytes(path):
            data = real_read_bytes(path)
            if path.suffix == ".md":
                counter.bytes[str(path)] = counter.bytes.get(str(path), 0) + len(data)
            return data

        monkeypatch.setattr(library_module, "open", tracking_open, raising=False)
        monkeypatch.setattr(library_module.Path, "read_bytes", tracking_read_bytes)

    def read(self, path) -> int:
        return self.bytes.get(str(path), 0)


@pytest.fixture
def big_library(tmp_path):
    return write_library(
        tmp_path / "lib",
        {
            "guide/long.md": "---\nid: long\ntitle: A Long Topic\nsummary: Long.\n---\n\n"
            "# Heading\n\n" + BODY,
            "guide/plain.md": "# Plain Heading\n\n" + BODY,
            "guide/short.md": "# Short\n\nShort topic.\n",
        },
    )


def test_opening_a_library_reads_only_the_head_of_each_topic(big_library, monkeypatch):
    counter = ReadCounter(monkeypatch)
    library = Library(big_library)
    assert [t.title for t in library.topics] == ["A Long Topic", "Plain Heading", "Short"]
    for topic in library.topics:
        assert counter.read(topic.path) <= HEAD_BYTES


def test_a_topic_body_is_read_when_it_is_asked_for(big_library, monkeypatch):
    counter = ReadCounter(monkeypatch)
    library = Library(big_library)
    long = library.topic("long")
    before = counter.read(long.path)
    source = library.read(long)
    assert source.body.rstrip().endswith("Filler text for a long topic body.")
    assert counter.read(long.path) - before == long.path.stat().st_size
    assert counter.read(library.topic("plain").path) <= HEAD_BYTES  # the others stay unread


def test_long_front_matter_is_read_to_its_end(tmp_path, monkeypatch):
    meta = "".join(f"key{i}: {'x' * 60}\n" for i in range(120))  # past HEAD_BYTES
    root = write_library(
        tmp_path / "lib", {"t.md": f"---\n{meta}title: Late Title\n---\n\n# Heading\n\n{BODY}"}
    )
    counter = ReadCounter(monkeypatch)
    library = Library(root)
    assert library.topics[0].title == "Late Title"
    assert counter.read(library.topics[0].path) > HEAD_BYTES


def test_the_window_reads_only_the_topic_it_shows(qtbot, big_library, monkeypatch):
    from viewer.app import build_window

    shown: list[str] = []
    real_read = Library.read

    def tracking_read(self, topic):
        if threading.current_thread() is threading.main_thread():  # not a background indexer
            shown.append(topic.id)
        return real_read(self, topic)

    monkeypatch.setattr(Library, "read", tracking_read)
    window = build_window(["--content", str(big_library), "short"])
    qtbot.addWidget(window)
    assert set(shown) <= {"short"}  # no other topic is read to build the window
    window.open_topic("plain")
    assert shown[-1] == "plain" and "long" not in shown
