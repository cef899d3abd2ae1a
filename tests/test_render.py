"""Markdown to Qt-ready HTML, and where links and images point. No Qt."""

from __future__ import annotations

from conftest import write_library

from viewer.library.folder import Library
from viewer.pages import links
from viewer.pages.render import Renderer


def render(library, topic_id):
    return Renderer().render_topic(library, library.topic(topic_id))


def test_rendering_features(sample_library):
    library = Library(sample_library)
    html = Renderer().render_text(
        '# T\n\n## Pricing & limits\n\n!!! note "Hi"\n    '
        "body\n\n```python\nprint(1)\n```\n\n|a|b|\n|-|-|\n|1|2|\n\n> quoted\n",
        library,
        library.topic("intro"),
    )[0]
    assert '<a name="pricing-limits">' in html
    assert 'class="admonition note"' in html
    assert '<pre class="codehilite"><span class="nb">print</span>' in html
    assert '<table border="1"' in html and "<th>a</th>" in html
    assert "<blockquote>" in html


def test_links_are_classified(sample_library):
    library = Library(sample_library)
    intro = library.topic("intro")
    assert links.classify(library, intro, "other.md#second-part") == links.LinkTarget(
        "topic", "other", "second-part"
    )
    assert links.classify(library, intro, "third").kind == "topic"
    assert links.classify(library, intro, "#details").kind == "anchor"
    assert links.classify(library, intro, "https://example.com").kind == "external"
    for bad in (
        "javascript:alert(1)",
        "file:///etc/passwd",
        "ftp://x/y",
        "../../outside.md",
        "/etc/passwd",
    ):
        assert links.classify(library, intro, bad).kind == "blocked", bad
    page = render(library, "intro")
    assert 'href="cloudref:other#second-part"' in page.html


def test_images_resolve_inside_the_library_only(sample_library, tmp_path):
    library = Library(sample_library)
    intro = library.topic("intro")
    assert links.resolve_image(library, intro, "../images/diagram.svg").kind == "file"
    assert links.resolve_image(library, intro, "images/diagram.svg").kind == "file"
    assert links.resolve_image(library, intro, "https://example.com/a.png").kind == "remote"
    (sample_library.parent / "secret.png").write_bytes(b"x")
    assert links.resolve_image(library, intro, "../../secret.png").kind == "outside"
    assert links.resolve_image(library, intro, "/etc/hostname").kind == "outside"


def test_missing_image_becomes_a_placeholder_with_its_alt_text(sample_library):
    page = render(Library(sample_library), "intro")
    assert "A missing picture" in page.html
    assert "Image not found: images/nothere.png" in page.html


def test_symlink_leaving_the_library_is_not_an_image(tmp_path):
    outside = tmp_path / "outside.svg"
    outside.write_text("<svg/>")
    root = write_library(tmp_path / "lib", {"t.md": "![x](link.svg)\n"})
    (root / "link.svg").symlink_to(outside)
    library = Library(root)
    assert links.resolve_image(library, library.topics[0], "link.svg").kind != "file"


def test_unrenderable_topic_gives_an_error_page(tmp_path):
    root = write_library(tmp_path / "lib", {"bin.md": b"\x00\x01binary", "ok.md": "# Fine\n"})
    library = Library(root)
    page = render(library, "bin")
    assert "cannot be shown" in page.html and "binary file" in page.html
    assert "Fine" in render(library, "ok").html


def test_empty_topic_says_so(tmp_path):
    root = write_library(
        tmp_path / "lib", {"empty.md": "", "meta-only.md": "---\ntitle: Only Meta\n---\n"}
    )
    library = Library(root)
    for topic in library.topics:
        page = Renderer().render_topic(library, topic)
        assert "This topic has no text yet" in page.html
        assert topic.title in page.html
