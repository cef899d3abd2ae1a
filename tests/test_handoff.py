"""One window per library: a second `cloudref` hands its topic or file to the open window.

The window runs in the test (qtbot) or as a real process; the second launch is always a real
process (`main.py`), as a terminal or the desktop starts it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT

from viewer.instance.client import NO_ANSWER, NO_SERVER, hand_off, server_alive
from viewer.instance.protocol import (
    OPENED,
    USAGE,
    ProtocolError,
    Reply,
    Request,
    decode_reply,
    decode_request,
    encode_reply,
    encode_request,
    server_name,
)

WAIT_MS = 60_000  # a second Python process on a busy 2-core machine


@pytest.fixture(autouse=True)
def runtime_dir(tmp_path, monkeypatch):
    """Sockets of this test in a folder of its own (children inherit the variable)."""
    folder = tmp_path / "run"
    folder.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(folder))
    return folder


def launch(*args: str, env: dict | None = None) -> subprocess.Popen:
    environment = dict(os.environ, QT_QPA_PLATFORM="offscreen", **(env or {}))
    return subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), *args],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finished(qtbot, proc: subprocess.Popen) -> tuple[int, str, str]:
    """Wait for `proc` while the test's event loop runs (the window in the test answers)."""
    qtbot.waitUntil(lambda: proc.poll() is not None, timeout=WAIT_MS)
    out, err = proc.communicate()
    return proc.returncode, out, err


def serving_window(open_window, root: Path):
    from viewer.ui.handoff import HandoffReceiver

    window = open_window(root)
    receiver = HandoffReceiver(window)
    assert receiver.listening
    requests = []
    receiver.server.answered.connect(lambda request, reply: requests.append((request, reply)))
    return window, receiver, requests


def stale_socket(path: str) -> None:
    """A socket file whose app is gone, as a crash leaves it."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(path)
    sock.close()  # the file stays; connecting to it is refused


# -- the protocol, without Qt ------------------------------------------------------------------
def test_each_library_and_each_user_has_its_own_name(tmp_path, monkeypatch):
    import viewer.instance.protocol as protocol

    first, second = server_name(tmp_path / "a"), server_name(tmp_path / "b")
    assert first != second and first == server_name(tmp_path / "a")
    assert first.startswith(os.environ["XDG_RUNTIME_DIR"])
    monkeypatch.setattr(protocol, "_user", lambda: "someone-else")
    assert server_name(tmp_path / "a") != first


def test_messages_round_trip_and_foreign_ones_are_refused():
    request = Request("/docs/lib", "lambda", None)
    assert decode_request(encode_request(request)) == request
    line = encode_request(Request("/docs/ü", None, "/docs/ü/a b.md"))
    assert line.endswith(b"\n") and line.count(b"\n") == 1
    assert decode_request(line.rstrip(b"\n")).file == "/docs/ü/a b.md"
    assert decode_reply(encode_reply(Reply(USAGE, "unknown"))) == Reply(USAGE, "unknown")
    for bad in (
        b'{"v": 2, "library": "/x"}',  # a later version
        b'{"v": 1}',
        b'{"v": 1, "library": "/x", "topic": 5}',
        b"[1]",
        b"not json",
        b"\xff\xfe",
        b'{"v": 1, "library": "' + b"x" * 70_000 + b'"}',
    ):
        with pytest.raises(ProtocolError):
            decode_request(bad)
    with pytest.raises(ProtocolError):
        decode_reply(b'{"v": 1, "status": "maybe"}')


def test_no_socket_and_a_stale_socket_mean_no_window(tmp_path):
    name = server_name(tmp_path)
    assert hand_off(name, Request(str(tmp_path))).status == NO_SERVER
    stale_socket(name)
    assert not server_alive(name)
    assert hand_off(name, Request(str(tmp_path))).status == NO_SERVER


# -- a window in the test, a second launch as a process ----------------------------------------
def test_second_launch_opens_its_topic_in_the_running_window_and_exits_0(
    open_window, qtbot, sample_library
):
    window, _receiver, requests = serving_window(open_window, sample_library)
    assert window.current.id == "intro"
    code, out, err = finished(qtbot, launch("--content", str(sample_library), "other"))
    assert code == 0, err
    qtbot.waitUntil(lambda: window.current.id == "other")
    assert "Second part text." in window.page.toPlainText()
    assert window.tree.currentIndex().data() == "Other Page"
    assert window.focusWidget() is window.page  # keys scroll the page asked for
    assert [request.topic for request, _reply in requests] == ["other"]


def test_a_markdown_file_of_the_library_opens_in_the_running_window(
    open_window, qtbot, sample_library
):
    window, _receiver, _requests = serving_window(open_window, sample_library)
    code, _out, err = finished(qtbot, launch(str(sample_library / "more" / "third.md")))
    assert code == 0, err
    qtbot.waitUntil(lambda: window.current.id == "third")
    assert "Third topic." in window.page.toPlainText()


def test_an_unknown_topic_gets_the_first_launchs_error(open_window, qtbot, sample_library):
    window, _receiver, requests = serving_window(open_window, sample_library)
    code, _out, err = finished(qtbot, launch("--content", str(sample_library), "nosuch"))
    assert code == 2
    assert "unknown topic id: 'nosuch' (cloudref --list shows them)" in err
    assert requests[0][1].status == USAGE
    assert window.current.id == "intro"


def test_the_qt_client_speaks_to_the_same_window(open_window, qtbot, sample_library):
    """QLocalSocket is the client on Windows; on Linux it reaches the same server."""
    window, receiver, _requests = serving_window(open_window, sample_library)
    script = (
        "import sys\n"
        "from viewer.instance.client import hand_off\n"
        "from viewer.instance.protocol import Request\n"
        "reply = hand_off(sys.argv[1], Request(sys.argv[2], 'other'), via_qt=True)\n"
        "print(reply.status)\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script, receiver.server.name, str(window.library.root)],
        cwd=ROOT,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    code, out, err = finished(qtbot, proc)
    assert (code, out.strip()) == (0, OPENED), err
    qtbot.waitUntil(lambda: window.current.id == "other")


def test_new_window_starts_a_window_of_its_own(open_window, qtbot, sample_library, tmp_path):
    window, _receiver, requests = serving_window(open_window, sample_library)
    config = tmp_path / "second-config"
    proc = launch(
        "--new-window", "--content", str(sample_library), "third",
        env={"XDG_CONFIG_HOME": str(config)},
    )  # fmt: skip
    settings = config / "Cloudref" / "cloudref.ini"
    try:
        # Once on screen, the second window adds its library to Open Recent, in its settings.
        qtbot.waitUntil(
            lambda: settings.is_file() and "[recent]" in settings.read_text(), timeout=WAIT_MS
        )
        assert proc.poll() is None  # a window, still open
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert requests == []
    assert window.current.id == "intro"


def test_a_stale_socket_is_taken_over_by_the_next_window(open_window, qtbot, sample_library):
    stale_socket(server_name(sample_library.resolve()))
    window, receiver, _requests = serving_window(open_window, sample_library)
    assert server_alive(receiver.server.name)
    code, _out, err = finished(qtbot, launch("--content", str(sample_library), "third"))
    assert code == 0, err
    qtbot.waitUntil(lambda: window.current.id == "third")


def test_a_live_window_keeps_its_name(open_window, qtbot, sample_library):
    from viewer.ui.handoff import HandoffReceiver

    first, _receiver, requests = serving_window(open_window, sample_library)
    second = HandoffReceiver(open_window(sample_library))
    assert not second.listening
    code, _out, err = finished(qtbot, launch("--content", str(sample_library), "third"))
    assert code == 0, err
    qtbot.waitUntil(lambda: first.current.id == "third")


def test_opening_another_library_moves_the_window_to_its_name(
    open_window, qtbot, sample_library, tmp_path
):
    from conftest import write_library

    other = write_library(tmp_path / "other", {"guide/start.md": "# Start\n\nStart here.\n"})
    window, receiver, _requests = serving_window(open_window, sample_library)
    assert window.load_library(other)
    assert receiver.server.name == server_name(other.resolve())
    assert not os.path.exists(server_name(sample_library.resolve()))
    code, _out, err = finished(qtbot, launch(str(other / "guide" / "start.md")))
    assert code == 0, err
    assert "Start here." in window.page.toPlainText()


# -- real processes on both sides --------------------------------------------------------------
def test_a_real_window_replaces_a_crashed_ones_socket_and_then_takes_launches(sample_library):
    name = server_name(sample_library.resolve())
    stale_socket(name)
    first = launch("--content", str(sample_library))
    try:
        deadline = time.monotonic() + WAIT_MS / 1000  # the window listens after its first paint
        while not server_alive(name) and time.monotonic() < deadline and first.poll() is None:
            time.sleep(0.1)
        assert server_alive(name), first.stderr.read() if first.poll() is not None else ""
        second = launch("--content", str(sample_library), "third")
        assert second.wait(timeout=60) == 0, second.stderr.read()
    finally:
        first.terminate()
        first.wait(timeout=30)


def test_a_window_that_does_not_answer_is_left_alone(sample_library):
    """Something accepts connections but never answers: the launch starts on its own after a
    short wait (here: a first start's error for an unknown topic), having sent its request."""
    mute = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    mute.bind(server_name(sample_library.resolve()))
    mute.listen(1)
    try:
        proc = launch("--content", str(sample_library), "nosuch")
        _out, err = proc.communicate(timeout=60)
        assert proc.returncode == 2
        assert "unknown topic id: 'nosuch'" in err
        connection, _ = mute.accept()
        with connection:
            line = connection.recv(65536).split(b"\n")[0]
        assert decode_request(line) == Request(str(sample_library.resolve()), "nosuch", None)
        assert hand_off(mute.getsockname(), Request("x"), timeout=0.2).status == NO_ANSWER
    finally:
        mute.close()


@pytest.mark.parametrize("command", [["--list"], ["--check"], ["--search", "third"]])
def test_commands_never_hand_off(sample_library, command):
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(server_name(sample_library.resolve()))
    listener.listen(1)
    listener.setblocking(False)
    try:
        proc = launch("--content", str(sample_library), *command)
        out, err = proc.communicate(timeout=60)
        assert proc.returncode in (0, 1), err
        if command == ["--list"]:
            assert "third\tThird" in out
        with pytest.raises(BlockingIOError):
            listener.accept()  # nobody came
    finally:
        listener.close()


def test_a_window_still_reading_its_library_never_calls_a_topic_unknown(
    open_window, qtbot, sample_library
):
    """A first start reads a big library quickly (`provisional`): a topic it has not met yet
    may be further on, so the launch starts on its own rather than fail."""
    from viewer.instance.protocol import ELSEWHERE

    window, receiver, _requests = serving_window(open_window, sample_library)
    window.library.provisional = True
    request = Request(str(window.library.root), "further-on")
    assert receiver.server.respond(encode_request(request).rstrip(b"\n"))[1].status == ELSEWHERE
    window.library.provisional = False
    assert receiver.server.respond(encode_request(request).rstrip(b"\n"))[1].status == USAGE
