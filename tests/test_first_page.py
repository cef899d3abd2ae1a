"""A library's first start renders its first page in a child process (`viewer.pages.first_page`).

The child is forked only by a process with one thread, so each case runs in a fresh Python
(pytest's own process has Qt and threads loaded).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from conftest import ROOT

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or (os.cpu_count() or 1) < 2,
    reason="the child process is only used on Linux with two or more CPUs",
)


def run_script(code: str, home) -> str:
    env = dict(os.environ, HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"))
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_childs_page_is_the_page_the_window_would_render(tmp_path):
    out = run_script(
        """
        from viewer.library.folder import Library
        from viewer.pages import first_page
        from viewer.pages.page_cache import page_stamp
        from viewer.pages.render import Renderer
        from viewer.resources import bundled_library

        def open_start():
            library = Library(bundled_library())
            return library, library.topic("lambda")

        child = first_page.start(open_start)
        assert child is not None, "no child on a one-thread process"
        library, topic = open_start()
        page = child.page_for(str(topic.path), library.digest(), page_stamp(topic))
        own = Renderer().render_first_piece(library, topic)[0]
        assert page == own, "the child's page differs from one rendered here"
        assert child.page_for(str(topic.path), library.digest(), page_stamp(topic)) is None
        print("same", len(page.html))
        """,
        tmp_path,
    )
    assert out.startswith("same ")


def test_a_file_changed_since_the_fork_is_rendered_again(tmp_path):
    library = tmp_path / "lib"
    (library / "notes").mkdir(parents=True)
    (library / "notes" / "a.md").write_text("# A\n\nOld text.\n", encoding="utf-8")
    out = run_script(
        f"""
        import os
        from pathlib import Path
        from viewer.library.folder import Library
        from viewer.pages import first_page
        from viewer.pages.page_cache import CachedRenderer

        library = Library(Path({str(library)!r}))
        topic = library.first_topic
        renderer = CachedRenderer()
        renderer.first_page = first_page.start(lambda: (library, topic))
        assert renderer.first_page is not None
        topic.path.write_text("# A\\n\\nNew text.\\n", encoding="utf-8")
        os.utime(topic.path, ns=(1, 1))
        page, _rest = renderer.render_first_piece(library, topic)
        print("new" if "New text" in page.html else "old")
        """,
        tmp_path,
    )
    assert out.strip() == "new"


def test_a_child_not_needed_is_left_to_finish_and_reaped(tmp_path):
    out = run_script(
        """
        import os
        import time
        from viewer.library.folder import Library
        from viewer.pages import first_page
        from viewer.resources import bundled_library

        library = Library(bundled_library())
        child = first_page.start(lambda: (library, library.topic("lambda")))
        child.forget()
        deadline = time.monotonic() + 30
        while os.path.exists(f"/proc/{child.pid}") and time.monotonic() < deadline:
            time.sleep(0.01)  # a zombie keeps its /proc entry until it is reaped
        print("still there" if os.path.exists(f"/proc/{child.pid}") else "reaped")
        """,
        tmp_path,
    )
    assert out.strip() == "reaped"


def test_a_page_for_another_topic_or_other_topics_is_not_taken(tmp_path):
    out = run_script(
        """
        import threading
        import time
        from viewer.library.folder import Library
        from viewer.pages import first_page
        from viewer.pages.page_cache import page_stamp
        from viewer.resources import bundled_library

        library = Library(bundled_library())
        lambda_topic, other = library.topic("lambda"), library.topic("ecs")
        child = first_page.start(lambda: (library, lambda_topic))
        print(child.page_for(str(other.path), library.digest(), page_stamp(other)))
        while threading.active_count() > 1:  # the thread reaping that child: forks wait for it
            time.sleep(0.01)
        child = first_page.start(lambda: (library, lambda_topic))
        stamp = page_stamp(lambda_topic)
        print(child.page_for(str(lambda_topic.path), "other topics", stamp))
        """,
        tmp_path,
    )
    assert out.split() == ["None", "None"]
