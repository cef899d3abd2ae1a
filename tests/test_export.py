"""PDF export, read back with pypdf: pages, titles, headers and footers, vectors, outline,
metadata, atomic writes, and the `--export-pdf` command line."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CONTENT, ROOT, SVG, write_library
from pypdf import PdfReader

from viewer.library.folder import Library
from viewer.paper import printing
from viewer.paper.export import ExportError, export_pdf
from viewer.settings import Settings

DATE = "1 March 2026"
ROWS = "".join(f"| row {i} | {'value ' * (3 + i % 5)}|\n" for i in range(70))


@pytest.fixture
def library(tmp_path, qapp) -> Library:
    root = write_library(
        tmp_path / "lib",
        {
            "library.toml": 'title = "Print Test Library"\nimages = "images"\n',
            "basics/intro.md": (
                "---\nid: intro\ntitle: Introduction\nsummary: Where to start.\norder: 1\n---\n"
                "# Introduction\n\nSee [the web](https://example.com/docs) and "
                "[other](long.md).\n\n"
                "![A vector diagram](../images/diagram.svg)\n\n```python\nprint('hello')\n```\n"
            ),
            "basics/long.md": "---\nid: long\norder: 2\n---\n"
            "# A Long Table\n\n| Name | Value |\n| --- | --- |\n" + ROWS,
            "more/third.md": "# Third\n\nThird topic.\n\n"
            + "A paragraph of filler text for the page. " * 40
            + "\n",
            "images/diagram.svg": SVG,
        },
    )
    return Library(root)


def read(path: Path) -> PdfReader:
    return PdfReader(io.BytesIO(path.read_bytes()))


def export(library: Library, path: Path, topics=None, settings=None):
    job = printing.build_print_job(library, topics or library.topics, date=DATE)
    return export_pdf(job, path, settings)


def text_of(page) -> str:
    """The page's text with runs of white space as one space (pypdf splits words with tabs)."""
    return " ".join(page.extract_text().split())


def image_xobjects(page) -> list:
    resources = page.get("/Resources") or {}
    xobjects = resources.get("/XObject") or {}
    return [name for name, ref in xobjects.items() if ref.get_object().get("/Subtype") == "/Image"]


def test_whole_library_pdf_pages_titles_headers_and_footers(library, tmp_path):
    out = tmp_path / "sheets.pdf"
    result = export(library, out)
    pdf = read(out)
    texts = [text_of(page) for page in pdf.pages]
    assert len(pdf.pages) == result.pages > 4
    firsts = dict(result.outline)
    assert list(firsts) == ["Contents", "Introduction", "A Long Table", "Third"]
    assert firsts["Contents"] == 0
    for title in ("Introduction", "A Long Table", "Third"):
        assert title in texts[firsts[title]]  # the title block opens the topic's first page
    # Each topic starts on a page of its own, in tree order.
    assert firsts["Introduction"] < firsts["A Long Table"] < firsts["Third"]
    assert firsts["Third"] - firsts["A Long Table"] >= 2  # the long table runs over pages
    for number, text in enumerate(texts, start=1):
        assert "Print Test Library" in text
        assert f"page {number} of {len(texts)}" in text
        assert DATE in text
    assert "Basics › Introduction" in texts[firsts["Introduction"]]
    # The contents list each topic with its page number.
    assert f"Introduction Where to start. {firsts['Introduction'] + 1}" in texts[0]
    assert f"Third {firsts['Third'] + 1}" in texts[0]


def test_external_link_url_printed_and_long_table_repeats_its_header(library, tmp_path):
    out = tmp_path / "sheets.pdf"
    result = export(library, out)
    pdf = read(out)
    firsts = dict(result.outline)
    assert "https://example.com/docs" in text_of(pdf.pages[firsts["Introduction"]])
    table_pages = range(firsts["A Long Table"], firsts["Third"])
    for index in table_pages:
        text = text_of(pdf.pages[index])
        assert "Name" in text and "Value" in text, f"page {index + 1} has no table header"
        if index > firsts["A Long Table"]:
            assert "Table continued from the previous page" in text
    rows = "\n".join(text_of(pdf.pages[i]) for i in table_pages)
    assert all(f"row {i}" in rows for i in range(70))


def test_svg_diagram_is_vector_not_image(library, tmp_path):
    out = tmp_path / "intro.pdf"
    export(library, out, [library.topic("intro")])
    pdf = read(out)
    assert len(pdf.pages) == 1
    page = pdf.pages[0]
    assert image_xobjects(page) == []
    assert list(page.images) == []
    assert "Vector diagram" in text_of(page)  # the SVG's text, drawn as text


def test_page_size_metadata_and_outline(library, tmp_path):
    out = tmp_path / "one.pdf"
    export(library, out, [library.topic("third")])
    pdf = read(out)
    box = pdf.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) in ((595, 842), (612, 792))
    assert pdf.metadata.title == "Third — Print Test Library"
    assert pdf.metadata.creator.startswith("Cloudref")
    assert [item.title for item in pdf.outline] == ["Third"]


def test_remembered_page_setup_is_used(library, tmp_path):
    settings = Settings()
    settings.set("print/pageSize", "Letter")
    settings.set("print/landscape", True)
    out = tmp_path / "letter.pdf"
    export(library, out, [library.topic("third")], settings)
    box = read(out).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (792, 612)


def test_unwritable_folder_gives_error_and_leaves_nothing(library, tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running as a user who can write anywhere")
        with pytest.raises(ExportError, match="cannot write"):
            export(library, folder / "out.pdf")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def test_missing_folder_and_folder_as_target_are_errors(library, tmp_path):
    with pytest.raises(ExportError, match="folder not found"):
        export(library, tmp_path / "nowhere" / "out.pdf")
    with pytest.raises(ExportError, match="is a folder"):
        export(library, tmp_path)


def test_failed_export_keeps_the_existing_file(library, tmp_path, monkeypatch):
    out = tmp_path / "keep.pdf"
    out.write_bytes(b"%PDF-1.4 the good old file")

    def broken(device, job):
        raise printing.PrintError("the printer caught fire")

    monkeypatch.setattr(printing, "paint_job", broken)
    with pytest.raises(ExportError, match="caught fire"):
        export(library, out)
    assert out.read_bytes() == b"%PDF-1.4 the good old file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.pdf", "lib"]


def test_topic_that_cannot_be_read_is_an_error(tmp_path, qapp):
    root = write_library(tmp_path / "bad", {"broken.md": b"\x00\x01binary", "fine.md": "# Fine\n"})
    library = Library(root)
    with pytest.raises(printing.PrintError, match="'broken' cannot be printed"):
        printing.build_print_job(library, library.topics)


def test_bundled_library_exports_every_topic_with_vector_diagrams(tmp_path, qapp):
    # How fast is bench/run.py's business ("whole library to PDF"); this checks what is in it.
    library = Library(CONTENT)
    result = export(library, tmp_path / "all.pdf")
    assert result.pages > len(library.topics)
    pdf = read(tmp_path / "all.pdf")
    text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    missing = [t.title for t in library.topics if " ".join(t.title.split()) not in text]
    assert not missing
    assert all(image_xobjects(page) == [] for page in pdf.pages)  # every diagram is vectors


# -- the command line ----------------------------------------------------------------------
def run_cli(
    *args: str, env_extra: dict | None = None, drop: tuple[str, ...] = ()
) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )


def test_cli_exports_topics_without_a_display(library, tmp_path):
    out = tmp_path / "cli.pdf"
    proc = run_cli(
        "--content",
        str(library.root),
        "--export-pdf",
        str(out),
        "intro",
        "third",
        drop=("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"),
    )
    assert proc.returncode == 0, proc.stderr
    pdf = read(out)
    assert [item.title for item in pdf.outline] == ["Contents", "Introduction", "Third"]


def test_cli_unknown_topic_is_exit_2_with_one_line(library, tmp_path):
    out = tmp_path / "x.pdf"
    proc = run_cli("--content", str(library.root), "--export-pdf", str(out), "nosuch")
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "unknown topic id: 'nosuch'" in proc.stderr
    assert not out.exists()


def test_cli_needs_topics_or_all(library, tmp_path):
    proc = run_cli("--content", str(library.root), "--export-pdf", str(tmp_path / "x.pdf"))
    assert proc.returncode == 2 and "--all" in proc.stderr


def test_cli_unwritable_path_is_exit_2(library, tmp_path):
    proc = run_cli(
        "--content", str(library.root), "--export-pdf", str(tmp_path / "no" / "x.pdf"), "--all"
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith("cloudref: error: folder not found")


def test_cli_exports_a_comparison(tmp_path):
    out = tmp_path / "compare.pdf"
    proc = run_cli("--export-pdf", str(out), "--compare", "fargate", "lambda")
    if proc.returncode == 2 and "unknown comparison subject" in proc.stderr:
        pytest.skip("the bundled comparison subjects changed")
    assert proc.returncode == 0, proc.stderr
    text = text_of(read(out).pages[0])
    assert "AWS Fargate" in text and "Lambda" in text
    proc = run_cli("--export-pdf", str(out), "--compare", "nosuch")
    assert proc.returncode == 2 and "nosuch" in proc.stderr


def test_unwritable_target_reported_even_as_root(library, tmp_path, monkeypatch):
    import tempfile

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(ExportError, match="cannot write to .*Permission denied"):
        export(library, tmp_path / "out.pdf")
    assert not (tmp_path / "out.pdf").exists()


def test_wide_comparison_prints_landscape(tmp_path, qapp):
    subjects = "".join(f'[[subject]]\nid = "s{i}"\nlabel = "Subject {i}"\n\n' for i in range(4))
    values = "".join(f's{i} = "value {i}"\n' for i in range(4))
    root = write_library(
        tmp_path / "cmp",
        {
            "topic.md": "# Topic\n",
            "comparisons/wide.toml": (
                f'id = "wide"\ntitle = "Four of a kind"\n\n{subjects}[[attribute]]\nid = "a"\n'
                f'label = "Aspect"\n\n[values.a]\n{values}'
            ),
        },
    )
    job = printing.build_comparison_job(Library(root), ["s0", "s1", "s2", "s3"], date=DATE)
    assert job.landscape is True
    export_pdf(job, tmp_path / "wide.pdf")
    page = read(tmp_path / "wide.pdf").pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)
    assert "Subject 3" in text_of(page) and "value 3" in text_of(page)
