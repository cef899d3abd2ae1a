"""Code spans in one pass (viewer.pages.code_spans) answer exactly as Python-Markdown's own."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown.inlinepatterns import BACKTICK_RE, BacktickInlineProcessor

from viewer.pages.code_spans import RunIndex
from viewer.pages.render import Renderer

texts = st.lists(st.sampled_from(["`", "``", "```", "\\", "a", " ", "\n", "[", "\x02"])).map(
    "".join
)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_every_opener_gets_python_markdowns_answer(text):
    theirs = BacktickInlineProcessor(BACKTICK_RE)
    ours = RunIndex(text)
    for start in range(len(text) + 1):
        assert ours.find_code_spans(start, text) == theirs.find_code_spans(start, text), start


def test_the_renderer_uses_it_and_pages_read_the_same():
    md = Renderer().md
    assert type(md.inlinePatterns["backtick"]).__name__ == "LinearBacktickProcessor"
    html = Renderer().render_text("a `code` b ``x ` y`` c \\`not\\` d ```open")[0]
    assert "<code>code</code>" in html and "<code>x ` y</code>" in html
    assert "`not`" in html and "```open" in html


@settings(max_examples=300, deadline=None)
@given(st.lists(texts, min_size=1, max_size=4).map("\n".join))
def test_a_converter_with_it_writes_the_same_html(text):
    import markdown

    from viewer.pages.code_spans import LinearCodeSpans

    theirs = markdown.Markdown()
    ours = markdown.Markdown(extensions=[LinearCodeSpans()])
    assert ours.convert(text) == theirs.convert(text)
