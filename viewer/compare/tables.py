"""Comparison tables: a library's `comparisons/*.toml` files as plain data, and their renderings.

Loading never raises. Whatever a file gets wrong (TOML syntax, an unknown subject or
attribute, a missing value) becomes a `Problem` with the line it is on, and everything else in
the file is still read, so the view shows what it can and the library check lists the rest.
tomllib reports no line numbers for values, so `_LineIndex` finds them in the text.

Renderings for every consumer live here too: Markdown and tab-separated text (clipboard and
`cloudref --compare`), and HTML for topic pages and print. No Qt.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from viewer.library.folder import Library, decode
from viewer.library.problems import Problem

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

FOLDER = "comparisons"
COMPARE_SCHEME = "cloudref-compare"  # cloudref-compare:SUBJECT opens the comparison view
MISSING = "—"  # shown in place of a missing value
BLANK_CELL = '&nbsp;<br/><span style="font-size: 6pt">&nbsp;</span>'  # room to write in
MAX_RECOVERY = 50  # syntax errors skipped per file before giving up on the rest of it
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ERROR_LINE = re.compile(r"at line (\d+)")


@dataclass(frozen=True)
class Subject:
    """A column: one thing being compared."""

    id: str
    label: str
    topic: str = ""  # the topic that describes it, "" if none


@dataclass(frozen=True)
class Attribute:
    """A row: one aspect every subject has a value for."""

    id: str
    label: str


@dataclass(frozen=True)
class Cell:
    value: str
    note: str = ""
    source: str = ""
    checked: str = ""  # ISO date, "" if unknown
    definition: bool = False  # a definition needs no source (see content/README.md)
    line: int = field(default=0, compare=False)  # where it is written, for the library check

    @property
    def plain(self) -> str:
        """The value without Markdown emphasis, for widgets and spreadsheets."""
        return plain_text(self.value)


@dataclass(eq=False)
class ComparisonSet:
    """One table: subjects (columns), attributes (rows) and the cells between them."""

    id: str
    title: str
    path: Path
    description: str = ""
    order: float = float("inf")
    subjects: list[Subject] = field(default_factory=list)
    attributes: list[Attribute] = field(default_factory=list)
    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)  # (attribute id, subject id)

    def cell(self, attribute_id: str, subject_id: str) -> Cell | None:
        return self.cells.get((attribute_id, subject_id))

    def subject(self, subject_id: str) -> Subject | None:
        return next((s for s in self.subjects if s.id == subject_id), None)

    def pick(self, subject_ids: list[str] | tuple[str, ...]) -> list[Subject]:
        """The subjects with these ids, in the order given (unknown ids left out)."""
        by_id = {s.id: s for s in self.subjects}
        return [by_id[i] for i in dict.fromkeys(subject_ids) if i in by_id]

    def values(self, attribute: Attribute, subjects: list[Subject]) -> list[str | None]:
        return [c.value if (c := self.cell(attribute.id, s.id)) else None for s in subjects]

    def differs(self, attribute: Attribute, subjects: list[Subject]) -> bool:
        """Whether the shown subjects do not all have the same value (a missing one differs)."""
        return len({_same_key(v) for v in self.values(attribute, subjects)}) > 1


@dataclass
class ComparisonData:
    sets: list[ComparisonSet] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def set_by_id(self, set_id: str) -> ComparisonSet | None:
        return next((s for s in self.sets if s.id == set_id), None)

    def set_of(self, subject_id: str) -> ComparisonSet | None:
        found = subjects_by_id(self).get(subject_id)
        return found[0] if found else None

    def subjects_for_topic(self, topic_id: str) -> list[tuple[ComparisonSet, Subject]]:
        return [(cset, s) for cset in self.sets for s in cset.subjects if s.topic == topic_id]


def _same_key(value: str | None) -> str | None:
    return None if value is None else " ".join(value.split()).casefold()


def plain_text(value: str) -> str:
    return _BOLD.sub(r"\1", value)


def subjects_by_id(data: ComparisonData) -> dict[str, tuple[ComparisonSet, Subject]]:
    return {s.id: (cset, s) for cset in data.sets for s in cset.subjects}


# -- loading -------------------------------------------------------------------------------
_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"""^\s*("([^"]*)"|'([^']*)'|[A-Za-z0-9_-]+)\s*=""")


class _LineIndex:
    """Where things are in a TOML file's text: tomllib keeps no positions for values."""

    def __init__(self, text: str):
        self.tables: dict[str, int] = {}  # "values.servers" -> header line
        self.arrays: dict[str, list[int]] = {}  # "subject" -> header line of each [[subject]]
        self.keys: dict[tuple[str, str], int] = {}  # ("values.servers", "fargate") -> line
        self.array_keys: dict[tuple[str, int, str], int] = {}  # ("subject", 0, "id") -> line
        table, array_index = "", -1
        for number, line in enumerate(text.splitlines(), start=1):
            if match := _HEADER.match(line):
                name = ".".join(part.strip().strip("\"'") for part in match.group(2).split("."))
                if match.group(1) == "[[":
                    self.arrays.setdefault(name, []).append(number)
                    table, array_index = name, len(self.arrays[name]) - 1
                else:
                    self.tables.setdefault(name, number)
                    table, array_index = name, -1
                continue
            if match := _KEY.match(line):
                key = (
                    match.group(2)
                    if match.group(2) is not None
                    else match.group(3) or match.group(1)
                )
                if array_index >= 0:
                    self.array_keys.setdefault((table, array_index, key), number)
                else:
                    self.keys.setdefault((table, key), number)

    def table(self, name: str) -> int:
        return self.tables.get(name, 1)

    def key(self, table: str, key: str) -> int:
        return self.keys.get((table, key)) or self.tables.get(table) or 1

    def entry(self, array: str, index: int, key: str = "") -> int:
        if key and (line := self.array_keys.get((array, index, key))):
            return line
        lines = self.arrays.get(array, [])
        return lines[index] if index < len(lines) else 1


def _parse_tolerant(text: str, path: Path, problems: list[Problem]) -> dict:
    """Parse TOML; on a syntax error report it, blank that line and read the rest."""
    lines = text.splitlines()
    for _attempt in range(MAX_RECOVERY):
        try:
            return tomllib.loads("\n".join(lines))
        except tomllib.TOMLDecodeError as exc:
            match = _ERROR_LINE.search(str(exc))
            line = int(match.group(1)) if match else 1
            message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
            problems.append(Problem(path, line, "error", f"TOML syntax error: {message}"))
            if not match or line > len(lines) or not lines[line - 1].strip():
                break
            lines[line - 1] = ""  # skip the bad line; what follows may still be good
    return {}


def load_comparisons(library: Library) -> ComparisonData:
    """Every table in the library's `comparisons/` folder, by `order` then file name."""
    data = ComparisonData()
    folder = library.root / FOLDER
    if not folder.is_dir():
        return data
    try:
        paths = sorted(
            (p for p in folder.glob("*.toml") if p.is_file()), key=lambda p: p.name.casefold()
        )
    except OSError as exc:
        data.problems.append(
            Problem(folder, 1, "error", f"cannot list folder: {exc.strerror or exc}")
        )
        return data
    seen_subjects: dict[str, Path] = {}
    for path in paths:
        cset = _load_file(path, library, seen_subjects, data.problems)
        if cset is None:
            continue
        if data.set_by_id(cset.id) is not None:
            data.problems.append(
                Problem(
                    path, 1, "error", f"duplicate comparison id {cset.id!r}; using {path.stem!r}"
                )
            )
            cset.id = path.stem
        data.sets.append(cset)
    data.sets.sort(key=lambda s: s.order)  # stable: file name order is kept within an order
    return data


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _load_file(
    path: Path, library: Library, seen_subjects: dict[str, Path], problems: list[Problem]
) -> ComparisonSet | None:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(path, 1, "error", f"cannot read: {exc.strerror or exc}"))
        return None
    text, decode_problems = decode(raw, path)
    problems += decode_problems
    doc = _parse_tolerant(text, path, problems)
    where = _LineIndex(text)

    cset = ComparisonSet(
        id=_text(doc.get("id")) or path.stem, title=_text(doc.get("title")) or path.stem, path=path
    )
    cset.description = _text(doc.get("description"))
    order = doc.get("order")
    if isinstance(order, (int, float)) and not isinstance(order, bool):
        cset.order = float(order)
    elif order is not None:
        problems.append(Problem(path, where.key("", "order"), "warning", "order must be a number"))

    subjects = doc.get("subject", [])
    for index, entry in enumerate(subjects if isinstance(subjects, list) else []):
        line = where.entry("subject", index, "id")
        subject_id = _text(entry.get("id")) if isinstance(entry, dict) else ""
        if not subject_id:
            problems.append(Problem(path, line, "error", "[[subject]] without an id; skipped"))
            continue
        if subject_id in seen_subjects:
            other = seen_subjects[subject_id]
            also = "" if other == path else f" (also in {other.name})"
            problems.append(
                Problem(path, line, "error", f"duplicate subject id {subject_id!r}{also}; skipped")
            )
            continue
        seen_subjects[subject_id] = path
        topic = _text(entry.get("topic"))
        if topic and library.topic(topic) is None:
            problems.append(
                Problem(
                    path,
                    where.entry("subject", index, "topic"),
                    "warning",
                    f"subject {subject_id!r}: no topic with id {topic!r}",
                )
            )
        cset.subjects.append(Subject(subject_id, _text(entry.get("label")) or subject_id, topic))

    attributes = doc.get("attribute", [])
    for index, entry in enumerate(attributes if isinstance(attributes, list) else []):
        line = where.entry("attribute", index, "id")
        attribute_id = _text(entry.get("id")) if isinstance(entry, dict) else ""
        if not attribute_id:
            problems.append(Problem(path, line, "error", "[[attribute]] without an id; skipped"))
            continue
        if any(a.id == attribute_id for a in cset.attributes):
            problems.append(
                Problem(path, line, "error", f"duplicate attribute id {attribute_id!r}; skipped")
            )
            continue
        cset.attributes.append(Attribute(attribute_id, _text(entry.get("label")) or attribute_id))

    _load_values(cset, doc.get("values", {}), where, problems)
    return cset


def _load_values(
    cset: ComparisonSet, values: object, where: _LineIndex, problems: list[Problem]
) -> None:
    path = cset.path
    if not isinstance(values, dict):
        problems.append(
            Problem(
                path, where.table("values"), "error", "values must be tables, one per attribute"
            )
        )
        values = {}
    attribute_ids = {a.id for a in cset.attributes}
    subject_ids = {s.id for s in cset.subjects}
    for attribute_id, row in values.items():
        table = f"values.{attribute_id}"
        if attribute_id not in attribute_ids:
            problems.append(
                Problem(
                    path,
                    where.table(table),
                    "error",
                    f"unknown attribute {attribute_id!r} in [{table}]",
                )
            )
            continue
        if not isinstance(row, dict):
            problems.append(
                Problem(
                    path,
                    where.key("values", attribute_id),
                    "error",
                    f"[{table}] must be a table of subject = value",
                )
            )
            continue
        for subject_id, raw in row.items():
            line = where.key(table, subject_id)
            if subject_id not in subject_ids:
                problems.append(
                    Problem(path, line, "error", f"unknown subject {subject_id!r} in [{table}]")
                )
                continue
            cell = _cell(raw, path, line, f"{attribute_id}/{subject_id}", problems)
            if cell is not None:
                cset.cells[(attribute_id, subject_id)] = cell
    for attribute in cset.attributes:
        table = f"values.{attribute.id}"
        line = where.tables.get(table) or where.entry(
            "attribute", cset.attributes.index(attribute), "id"
        )
        for subject in cset.subjects:
            if (attribute.id, subject.id) not in cset.cells and (
                table,
                subject.id,
            ) not in where.keys:
                problems.append(
                    Problem(
                        path,
                        line,
                        "error",
                        f"missing value for subject {subject.id!r} in [{table}]",
                    )
                )


def _cell(raw: object, path: Path, line: int, name: str, problems: list[Problem]) -> Cell | None:
    if isinstance(raw, str):
        return Cell(raw.strip(), line=line)
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return Cell(str(raw), line=line)
    if not isinstance(raw, dict):
        problems.append(
            Problem(
                path,
                line,
                "error",
                f'{name}: a value is a string or an inline table with value = "…"',
            )
        )
        return None
    value = raw.get("value")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        problems.append(
            Problem(path, line, "error", f'{name}: missing value = "…" in the inline table')
        )
        return None
    source = _text(raw.get("source"))
    if source and not source.startswith("https://"):
        problems.append(
            Problem(
                path, line, "warning", f"{name}: source should be an https:// address: {source}"
            )
        )
    checked = raw.get("checked", "")
    if isinstance(checked, (dt.date, dt.datetime)):
        checked = checked.isoformat()[:10]
    elif checked and not (
        isinstance(checked, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", checked.strip())
    ):
        problems.append(
            Problem(path, line, "warning", f"{name}: checked should be a date like 2026-11-28")
        )
        checked = str(checked)
    definition = raw.get("definition", False)
    if not isinstance(definition, bool):
        problems.append(
            Problem(path, line, "warning", f"{name}: definition should be true or false")
        )
        definition = False
    return Cell(
        value.strip(), _text(raw.get("note")), source, str(checked).strip(), definition, line
    )


def problems_summary(problems: list[Problem], root: Path | None = None) -> str:
    """One line for a status bar: the first problem, and how many more there are."""
    if not problems:
        return ""
    more = f" (+{len(problems) - 1} more; cloudref --check lists them)" if len(problems) > 1 else ""
    return f"Comparison data: {problems[0].format(root)}{more}"


# -- queries -------------------------------------------------------------------------------
def differing_rows(cset: ComparisonSet, subject_ids: list[str]) -> list[Attribute]:
    """The attributes whose values are not the same for every one of these subjects."""
    subjects = cset.pick(subject_ids)
    return [a for a in cset.attributes if cset.differs(a, subjects)]


def shown_rows(
    cset: ComparisonSet, subject_ids: list[str], differences_only: bool = False
) -> list[Attribute]:
    return differing_rows(cset, subject_ids) if differences_only else list(cset.attributes)


@dataclass
class TopicRows:
    """A table's rows for the subjects a topic describes."""

    cset: ComparisonSet
    subjects: list[Subject]


def rows_for_topic(data: ComparisonData, topic_id: str) -> list[TopicRows]:
    found: list[TopicRows] = []
    for cset in data.sets:
        subjects = [s for s in cset.subjects if s.topic == topic_id]
        if subjects:
            found.append(TopicRows(cset, subjects))
    return found


# -- text renderings -----------------------------------------------------------------------
def _markdown_cell(text: str) -> str:
    text = " ".join(text.split())
    return text.replace("\\", "\\\\").replace("|", "\\|")


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    """A GitHub-style pipe table; pipes in cells are escaped, line breaks folded."""
    lines = ["| " + " | ".join(_markdown_cell(h) for h in header) + " |"]
    lines.append("| " + " | ".join("---" for _ in header) + " |")
    lines += ["| " + " | ".join(_markdown_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def tsv_table(header: list[str], rows: list[list[str]]) -> str:
    """Tab-separated text for spreadsheets: Markdown emphasis dropped, tabs and breaks folded."""

    def clean(text: str) -> str:
        return " ".join(plain_text(text).split())

    return "".join("\t".join(clean(c) for c in row) + "\n" for row in [header, *rows])


def table_cells(
    cset: ComparisonSet, subject_ids: list[str], differences_only: bool = False
) -> tuple[list[str], list[list[str]]]:
    """Header (a blank corner, then subject labels) and rows (attribute label, then values)."""
    subjects = cset.pick(subject_ids)
    header = ["", *(s.label for s in subjects)]
    rows = []
    for attribute in shown_rows(cset, subject_ids, differences_only):
        cells = [cset.cell(attribute.id, s.id) for s in subjects]
        rows.append([attribute.label, *(c.value if c else MISSING for c in cells)])
    return header, rows


def to_markdown(cset: ComparisonSet, subject_ids: list[str], differences_only: bool = False) -> str:
    return markdown_table(*table_cells(cset, subject_ids, differences_only))


# -- HTML ----------------------------------------------------------------------------------
def value_html(value: str) -> str:
    """A cell value as HTML: escaped, with **bold** kept."""
    return _BOLD.sub(r"<b>\1</b>", html.escape(value))


def _note_line(
    number: int, subject: Subject | None, attribute: Attribute, cell: Cell, for_print: bool
) -> str:
    where = f"{subject.label}, {attribute.label}" if subject is not None else attribute.label
    parts = [f"<b>{number}</b> {html.escape(where)}"]
    text = html.escape(cell.note) if cell.note else ""
    if cell.source:
        url = html.escape(cell.source, quote=True)
        text += (" " if text else "") + (
            f"Source: {url}" if for_print else f'<a href="{url}" title="{url}">Source</a>'
        )
    if cell.checked:
        text += f" (checked {html.escape(cell.checked)})"
    return f"{parts[0]}: {text}"


def comparison_html(
    cset: ComparisonSet,
    subject_ids: list[str],
    differences_only: bool = False,
    for_print: bool = False,
    *,
    heading: bool = True,
    blank: bool = False,
) -> str:
    """The table as HTML in the subset Qt rich text draws: a header row that repeats on each
    printed page, the attribute column bold, differing rows marked with "≠" before the
    attribute (a glyph survives greyscale and any theme), then the numbered notes and sources.

    `blank`: a self-test sheet — the labels kept, every value cell left empty with room to
    write in, and nothing that gives a value away (no ≠ marks, legend or notes).
    """
    subjects = cset.pick(subject_ids)
    attributes = shown_rows(cset, subject_ids, differences_only)
    out: list[str] = []
    if heading:
        out.append(f'<h2 class="compare-heading">{html.escape(cset.title)}</h2>')
        if cset.description:
            out.append(f"<p>{html.escape(cset.description)}</p>")
    label_width = 30 if len(subjects) == 1 else 22  # percent; one subject reads as a fact sheet
    column = f"{int((100 - label_width) / max(1, len(subjects)))}%"
    out.append('<table class="comparison" border="1" cellspacing="0" cellpadding="6" width="100%">')
    out.append(f'<thead><tr><th width="{label_width}%"></th>')
    out += [f'<th width="{column}">{html.escape(s.label)}</th>' for s in subjects]
    out.append("</tr></thead>")
    notes: list[str] = []
    marked = len(subjects) > 1 and not blank
    for attribute in attributes:
        differs = marked and cset.differs(attribute, subjects)
        label = '<th align="left" class="differs">≠ ' if differs else '<th align="left">'
        out.append(f"<tr>{label}{html.escape(attribute.label)}</th>")
        for subject in subjects:
            cell = cset.cell(attribute.id, subject.id)
            if cell is None:
                out.append(f'<td><span class="missing">{MISSING} missing</span></td>')
                continue
            if blank:
                out.append(f"<td>{BLANK_CELL}</td>")
                continue
            sup = ""
            if cell.note or cell.source:
                notes.append(
                    _note_line(
                        len(notes) + 1, subject if marked else None, attribute, cell, for_print
                    )
                )
                sup = f"<sup>{len(notes)}</sup>"
            text = value_html(cell.value)
            out.append(f"<td>{text}{sup}</td>")
        out.append("</tr>")
    out.append("</table>")
    if blank:
        return "".join(out)
    legend = []
    if marked and any(cset.differs(a, subjects) for a in attributes):
        legend.append("≠ marks rows where the values differ.")
    if differences_only and len(attributes) < len(cset.attributes):
        legend.append(
            f"{len(cset.attributes) - len(attributes)} row(s) with the same values are not shown."
        )
    if legend:
        out.append(f'<p class="compare-legend">{" ".join(legend)}</p>')
    if notes:
        out.append('<p class="footnote compare-notes">' + "<br/>".join(notes) + "</p>")
    return "".join(out)


def topic_appendix_html(data: ComparisonData, topic_id: str) -> str:
    """What a topic page adds below its text: its subjects' rows from each table they are in."""
    parts: list[str] = []
    for found in rows_for_topic(data, topic_id):
        cset, subjects = found.cset, found.subjects
        parts.append(
            '<h2 class="compare-heading"><a '
            f'name="comparison-{html.escape(cset.id, quote=True)}"></a>'
            f"Compared: {html.escape(cset.title)}</h2>"
        )
        others = [s.label for s in cset.subjects if s not in subjects]
        target = f"{COMPARE_SCHEME}:{html.escape(subjects[0].id, quote=True)}"
        link = f'<a href="{target}">Open in comparison</a>'
        with_others = f" — side by side with {html.escape(', '.join(others))}" if others else ""
        parts.append(f"<p>{link}{with_others}.</p>")
        parts.append(comparison_html(cset, [s.id for s in subjects], heading=False))
    return "".join(parts)


class SubjectError(ValueError):
    """Subject ids that name no subject, or subjects of different tables."""


def resolve_subjects(
    data: ComparisonData, subject_ids: list[str]
) -> tuple[ComparisonSet, list[str]]:
    """The one table holding every named subject, and the ids without repeats, in given order."""
    known = subjects_by_id(data)
    wanted = list(dict.fromkeys(subject_ids))
    unknown = [s for s in wanted if s not in known]
    if unknown:
        raise SubjectError(
            f"unknown comparison subject: {unknown[0]!r} (cloudref --compare lists them)"
        )
    sets = {known[s][0].id for s in wanted}
    if len(sets) > 1:
        raise SubjectError(
            f"subjects are in different comparison tables ({', '.join(sorted(sets))}); compare "
            "subjects of one table"
        )
    return known[wanted[0]][0], wanted


# -- command line --------------------------------------------------------------------------
def run_compare(library: Library, subject_ids: list[str], differences_only: bool = False) -> int:
    """`cloudref --compare [SUBJECT …]`: list subjects, or print their table as Markdown."""
    from viewer.errors import UsageError

    data = load_comparisons(library)
    for problem in data.problems:
        print(f"cloudref: warning: {problem.format(library.root)}", file=sys.stderr)
    out = sys.stdout
    if not subject_ids:
        for cset in data.sets:
            for subject in cset.subjects:
                out.write(f"{cset.id}\t{subject.id}\t{subject.label}\n")
        return 0
    try:
        cset, wanted = resolve_subjects(data, subject_ids)
    except SubjectError as exc:
        raise UsageError(str(exc)) from None
    out.write(to_markdown(cset, wanted, differences_only))
    return 0
