"""The PDF's structure, read back with pypdf: an outline of topics and their sections, and
internal links (contents and links between topics) that jump to the pages of their targets."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from conftest import CONTENT, write_library
from pypdf import PdfReader
from pypdf.generic import Destination

from viewer.library.folder import Library
from viewer.paper import printing
from viewer.paper.export import export_pdf

DATE = "1 March 2026"
FILLER = "A paragraph of filler text that takes a few lines on the page. " * 12 + "\n\n"


def read(path: Path) -> PdfReader:
    return PdfReader(io.BytesIO(path.read_bytes()))


def text_of(page) -> str:
    """The page's text without white space: pypdf splits words at kerned letters ("H ow")."""
    return "".join(page.extract_text().split())


def squeezed(text: str) -> str:
    return "".join(text.split())


def export(library: Library, path: Path, topic_ids: list[str] | None = None):
    topics = [library.topic(t) for t in topic_ids] if topic_ids else library.topics
    return export_pdf(printing.build_print_job(library, topics, date=DATE), path)


def outline_tree(pdf: PdfReader, items=None) -> list[tuple[str, int, list]]:
    """(title, page, children) for each outline entry."""
    items = pdf.outline if items is None else items
    tree: list[tuple[str, int, list]] = []
    for item in items:
        if isinstance(item, list):
            title, page, _ = tree[-1]
            tree[-1] = (title, page, outline_tree(pdf, item))
        else:
            tree.append((item.title, pdf.get_destination_page_number(item), []))
    return tree


def jumps(pdf: PdfReader, index: int) -> list[tuple[list[float], int, float | None]]:
    """Each internal link on page `index`: its rectangle, target page and target height."""
    found = []
    for ref in pdf.pages[index].get("/Annots") or []:
        annot = ref.get_object()
        dest = annot.get("/Dest")
        if dest is None:
            continue
        page = pdf.get_page_number(dest[0].get_object())
        top = dest[3] if len(dest) > 3 and dest[3] is not None else None
        found.append(([float(v) for v in annot["/Rect"]], page, top))
    return found


def uris(pdf: PdfReader) -> list[str]:
    found = []
    for page in pdf.pages:
        for ref in page.get("/Annots") or []:
            action = ref.get_object().get("/A")
            if action is not None and "/URI" in action:
                found.append(str(action["/URI"]))
    return found


@pytest.fixture(scope="module")
def whole_library(tmp_path_factory, qapp) -> tuple[PdfReader, Library]:
    library = Library(CONTENT)
    out = tmp_path_factory.mktemp("pdf") / "all.pdf"
    export(library, out)
    return read(out), library


def test_outline_has_every_topic_with_its_sections_beneath(whole_library):
    pdf, library = whole_library
    tree = outline_tree(pdf)
    assert tree[0][0] == "Contents"
    assert [title for title, _page, _children in tree[1:]] == [t.title for t in library.topics]
    texts = [text_of(page) for page in pdf.pages]
    for title, page, sections in tree[1:]:
        assert squeezed(title) in texts[page]
        assert len(sections) >= 3, title  # depth 2: the sections under each topic
        for section, section_page, _ in sections:
            assert section_page >= page
            assert squeezed(section) in texts[section_page], (title, section)
    lambda_sections = [s for s, _p, _c in next(c for t, _p, c in tree if t == "AWS Lambda")]
    assert "How it works" in lambda_sections and "Common confusions" in lambda_sections


def test_contents_links_jump_to_each_topics_first_page(whole_library):
    pdf, library = whole_library
    tree = outline_tree(pdf)
    firsts = {title: page for title, page, _ in tree[1:]}
    contents = range(min(firsts.values()))  # the contents may take more than one page
    targets = {page for index in contents for _rect, page, _top in jumps(pdf, index)}
    assert targets == set(firsts.values())
    # The page number printed in the contents is the page the link goes to.
    printed = "".join(text_of(pdf.pages[index]) for index in contents)
    for title, page in firsts.items():
        assert f"{squeezed(title)}" in printed and f"{page + 1}" in printed


def test_links_between_topics_jump_to_the_target_topic(whole_library):
    pdf, library = whole_library
    tree = outline_tree(pdf)
    firsts = {title: page for title, page, _ in tree[1:]}
    lambda_pages = range(firsts["AWS Lambda"], firsts["Amazon S3"])
    targets = {page for index in lambda_pages for _rect, page, _top in jumps(pdf, index)}
    # Lambda's sheet links to ECR, Fargate, S3, DynamoDB and the serverless idea.
    for title in ("Amazon ECR", "AWS Fargate", "Amazon S3", "Amazon DynamoDB", "Serverless"):
        assert firsts[title] in targets, title
    assert not [u for u in uris(pdf) if u.startswith("cloudref:")]  # none left as a web link


@pytest.fixture
def linked(tmp_path, qapp) -> Library:
    root = write_library(
        tmp_path / "lib",
        {
            "a/first.md": "# First\n\nSee [the second part](second.md#second-part) and "
            "[the third](third.md).\n\n" + FILLER,
            "a/second.md": "# Second\n\n" + FILLER * 8 + "## Second part\n\nHere it is.\n",
            "a/third.md": "# Third\n\nThird topic.\n",
        },
    )
    return Library(root)


def test_a_link_to_an_anchor_jumps_to_its_page_and_height(linked, tmp_path):
    out = tmp_path / "two.pdf"
    result = export(linked, out, ["first", "second"])
    pdf = read(out)
    texts = [text_of(page) for page in pdf.pages]
    part_page = next(i for i, text in enumerate(texts) if "SecondpartHereitis." in text)
    assert part_page > dict(result.outline)["Second"]  # the part is not on the sheet's first page
    links = jumps(pdf, dict(result.outline)["First"])
    to_part = [(page, top) for _rect, page, top in links if page == part_page]
    assert len(to_part) == 1
    # It jumps to the heading's height, not the top of the page.
    height = float(pdf.pages[part_page].mediabox.height)
    assert 0 < to_part[0][1] < height - 100
    # The third topic is not in this PDF: its link is plain text, not a dead link.
    assert not [u for u in uris(pdf) if u.startswith("cloudref:")]
    assert "thethird" in texts[dict(result.outline)["First"]]


def test_section_outline_entries_point_at_their_heights(linked, tmp_path):
    out = tmp_path / "second.pdf"
    export(linked, out, ["second"])
    pdf = read(out)
    entries = [item for item in pdf.outline if not isinstance(item, list)]
    children = pdf.outline[1] if isinstance(pdf.outline[1], list) else []
    assert entries[0].title == "Second"
    part = next(item for item in children if isinstance(item, Destination))
    assert part.title == "Second part"
    assert "Secondpart" in text_of(pdf.pages[pdf.get_destination_page_number(part)])
    assert part.get("/Top") is not None


def filled(pdf_path: Path, index: int) -> float:
    """How far down the text area page `index` is printed: the lowest ink between the running
    header and footer, as a fraction of the text area's height (rendered by PDFium)."""
    import pypdfium2
    from PySide6.QtGui import QColor, QImage

    pdf = pypdfium2.PdfDocument(str(pdf_path))
    try:
        bitmap = pdf[index].render(scale=40 / 72, rev_byteorder=True)
        fmt = (
            QImage.Format.Format_RGB888 if bitmap.n_channels == 3 else QImage.Format.Format_RGBA8888
        )
        image = QImage(bytes(bitmap.buffer), bitmap.width, bitmap.height, bitmap.stride, fmt)
    finally:
        pdf.close()
    mm = image.height() / 297  # A4
    top, bottom = round((16 + 9 + 1) * mm), round(image.height() - (18 + 9 + 1) * mm)
    lowest = top
    for y in range(top, bottom):
        if any(QColor(image.pixel(x, y)).lightness() < 200 for x in range(0, image.width(), 2)):
            lowest = y
    return (lowest - top) / (bottom - top)


def test_no_page_is_left_half_empty_but_a_topics_last(whole_library, tmp_path):
    pdf, library = whole_library
    out = tmp_path / "all.pdf"
    export(library, out)
    pdf = read(out)
    firsts = {page for _title, page, _children in outline_tree(pdf)}
    lasts = {page - 1 for page in firsts if page} | {len(pdf.pages) - 1}
    fills = {index: filled(out, index) for index in range(len(pdf.pages)) if index not in lasts}
    assert len(fills) > 10
    assert {i: f for i, f in fills.items() if f < 0.55} == {}


def test_comparison_sheet_is_titled_with_exactly_the_chosen_subjects(tmp_path, qapp):
    library = Library(CONTENT)
    out = tmp_path / "compare.pdf"
    job = printing.build_comparison_job(library, ["fargate", "lambda"], differences_only=True)
    export_pdf(job, out)
    pdf = read(out)
    assert pdf.metadata.title.startswith("AWS Fargate vs AWS Lambda: differences")
    first = text_of(pdf.pages[0])
    assert "AWSFargatevsAWSLambda:di" in first  # "ﬀ" comes out as one ligature
    assert "ECSonEC2" not in first


def test_a_topic_sheets_comparison_shows_the_topic_beside_the_others(tmp_path, qapp):
    from viewer.compare.tables import load_comparisons, rows_for_topic

    library = Library(CONTENT)
    found = rows_for_topic(load_comparisons(library), "lambda")[0]
    others = [s.label for s in found.cset.subjects if s.topic != "lambda"]
    assert others
    out = tmp_path / "lambda.pdf"
    export(library, out, ["lambda"])
    pdf = read(out)
    texts = [text_of(page) for page in pdf.pages]
    at = next(i for i, text in enumerate(texts) if "Compared:" in text)
    compared = "".join(texts[at:]).split("Compared:" + squeezed(found.cset.title), 1)[1]
    own = next(s.label for s in found.cset.subjects if s.topic == "lambda")
    positions = [compared.find(squeezed(label)) for label in [own, *others]]
    assert all(p >= 0 for p in positions), positions
    assert positions[0] == min(positions)  # the topic's own column comes first
