"""Property: any library — random Markdown, front matter and file names — loads, renders,
checks and lays out without raising."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from viewer.commands.check import check_library
from viewer.library.folder import Library
from viewer.pages.render import Renderer

FRAGMENTS = [
    "# Heading\n",
    "## Pricing & limits {#custom}\n",
    "### ",
    "---\n",
    "...\n",
    "id: x\n",
    "title: T\n",
    "order: 1e309\n",
    "order: nan\n",
    "aliases: [a, b\n",
    ": no key\n",
    "key:\n",
    "\ufeff",
    "\r\n",
    "\x00",
    "\ufffd",
    "[link](other.md#a)",
    "[id](b)",
    "[x](#)",
    "[x]()",
    "[x](../../etc/passwd)",
    "[x](/abs.md)",
    "[x](C:\\win.md)",
    "[x](javascript:alert(1))",
    "[x](cloudref:nothere#x)",
    "[x](%zz)",
    "[x](<a b.md>)",
    "[ref]\n\n[ref]: b.md\n",
    "![alt](images/x.svg)",
    "![](../secret.png)",
    "![a](https://example.com/x.png)",
    "![a](data:,x)",
    "![a](//h/x)",
    "<img src='/etc/hostname'>",
    "<script>x</script>",
    "<a href='file:///etc'>f</a>",
    "<div markdown=1>",
    "</div>",
    "```python\nprint(1)\n",
    "```\n",
    "    indented code\n",
    "| a | b |\n|---|---|\n| 1 |\n",
    '!!! note "T"\n    body\n',
    "!!! \n",
    "Term\n:   Definition\n",
    "Text[^1]\n\n[^1]: Note\n",
    "[^missing]",
    "*[HTML]: Hyper\n",
    "{: .c }",
    "> quote\n",
    "1. one\n2. two\n",
    "- a\n    - b\n",
    "&amp; &#0; &#x110000; &bogus;",
    "<!-- c",
    "\\",
    "*",
    "_",
    "`",
]

markdown_text = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=40)), max_size=25
).map("".join)
front_matter = st.lists(
    st.tuples(
        st.sampled_from(["id", "title", "order", "aliases", "summary", "Weird Key", ""]),
        st.text(max_size=20),
    ),
    max_size=5,
).map(lambda pairs: "---\n" + "".join(f"{k}: {v}\n" for k, v in pairs) + st_choice_close(pairs))
file_name = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00"),
    min_size=1,
    max_size=30,
).filter(lambda name: name not in (".", "..") and len((name + ".md").encode()) < 200)


def st_choice_close(pairs) -> str:
    return "" if len(pairs) % 2 else "---\n"  # half the blocks are never closed


topic_file = st.tuples(
    st.sampled_from(["", "sub/", "sub/deeper/", ".hidden/", "_drafts/"]),
    file_name,
    st.one_of(markdown_text, st.tuples(front_matter, markdown_text).map("".join)),
    st.sampled_from(["utf-8", "latin-1", "utf-16"]),
)


def write(root: Path, files) -> None:
    (root / "images").mkdir(parents=True)
    (root / "images" / "x.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
    )
    for folder, name, text, encoding in files:
        path = root / folder / f"{name}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode(encoding, errors="replace"))


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(topic_file, min_size=1, max_size=5))
def test_any_library_loads_renders_and_checks(files):
    renderer = Renderer()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "lib"
        write(root, files)
        library = Library(root)
        for topic in library.topics:
            page = renderer.render_topic(library, topic)
            assert isinstance(page.html, str) and page.topic_id == topic.id
            assert not any("cannot render" in p.message for p in page.problems), page.problems
        problems = check_library(library)
        assert all(p.line >= 1 and p.level in ("error", "warning") for p in problems)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(markdown_text)
def test_any_page_lays_out_in_the_document(qapp, text):
    from viewer.paper.document import PageDocument

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "lib"
        write(root, [("", "page", text, "utf-8")])
        library = Library(root)
        topic = library.topics[0]
        page = Renderer().render_topic(library, topic)
        document = PageDocument(library, topic)
        document.set_page_html(page.html)
        document.setTextWidth(600)
        assert document.size().height() > 0
