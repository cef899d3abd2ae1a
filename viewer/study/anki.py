"""`cloudref --export-anki OUT.apkg [TOPIC|TABLE …]`: the library's cards as an Anki package.

Written with `genanki`. Every id Anki matches on is derived from the library, never from the
clock: the note model's id is fixed, each deck's id comes from the library and deck, and each
note's guid is the card's stable id. So importing a later export updates the notes already in
Anki (and keeps their review history there) instead of adding duplicates. One sub-deck per topic
or table (`Library::Topic`), tags `topic::ID` or `table::ID`, and a Source field naming the
topic, section and file, with the cell's web source as a link. No Qt.
"""

from __future__ import annotations

import html
import os
import tempfile
from pathlib import Path

from viewer.library.cache import new_sha1
from viewer.library.folder import Library
from viewer.study.cards import TABLE_DECK, TOPIC_DECK, CardSet, StudyCard, library_cards

MODEL_ID = 1736202024  # fixed for ever: Anki keys the note type by it
_CSS = (
    ".card { font-family: sans-serif; font-size: 20px; text-align: left; }"
    " .source { font-size: 13px; color: #666; }"
)


class ExportError(Exception):
    """The package could not be written; a one-line message."""


def _stable_id(*parts: str) -> int:
    # Anki ids are 63-bit; keep clear of the top bit and of small numbers.
    return (int(new_sha1("\x1f".join(parts)).hexdigest()[:15], 16) | 1 << 40) & (1 << 62) - 1


def _html(markdown_text: str) -> str:
    import markdown

    return markdown.markdown(
        markdown_text, extensions=["tables", "fenced_code"], output_format="html"
    )


def _source(card: StudyCard, library: Library) -> str:
    try:
        where = card.path.relative_to(library.root).as_posix()
    except ValueError:
        where = card.path.name
    topic = library.topic(card.topic_id) if card.topic_id else None
    parts = [html.escape(p) for p in (topic.title if topic else "", card.section) if p]
    text = " › ".join(dict.fromkeys(parts)) + f" <span class=source>({html.escape(where)})</span>"
    if card.source:
        url = html.escape(card.source, quote=True)
        text += f'<br><a href="{url}">{url}</a>'
    return text


def select(cards: CardSet, library: Library, names: list[str]) -> list[StudyCard]:
    """The cards of these topics or tables (all cards if none); ValueError for an unknown name."""
    if not names:
        return list(cards.cards)
    chosen: list[StudyCard] = []
    for name in dict.fromkeys(names):
        decks = [d for d in (TOPIC_DECK + name, TABLE_DECK + name) if d in cards.deck_titles]
        if not decks:
            if library.topic(name) is not None:
                raise ValueError(f"topic {name!r} has no flashcards")
            raise ValueError(
                f"unknown topic or table: {name!r} (cloudref --list and --compare show them)"
            )
        for deck in decks:
            chosen += cards.deck(deck)
    return chosen


def build_package(library: Library, cards: CardSet, chosen: list[StudyCard]):
    import genanki

    model = genanki.Model(
        MODEL_ID,
        "Cloudref card",
        fields=[{"name": "Question"}, {"name": "Answer"}, {"name": "Note"}, {"name": "Source"}],
        templates=[
            {
                "name": "Recall",
                "qfmt": "{{Question}}",
                "afmt": (
                    '{{FrontSide}}<hr id="answer">{{Answer}}'
                    "{{#Note}}<p><i>{{Note}}</i></p>{{/Note}}"
                    '<p class="source">{{Source}}</p>'
                ),
            }
        ],
        css=_CSS,
    )
    root = library.title or library.root.name
    decks: dict[str, object] = {}
    for card in chosen:
        deck = decks.get(card.deck)
        if deck is None:
            title = cards.deck_titles.get(card.deck, card.deck).replace("::", ":")
            deck = decks[card.deck] = genanki.Deck(
                _stable_id(str(library.root.name), card.deck), f"{root}::{title}"
            )
        kind, _, ident = card.deck.partition(":")
        note = genanki.Note(
            model=model,
            fields=[
                _html(card.question),
                _html(card.answer),
                html.escape(card.note),
                _source(card, library),
            ],
            tags=[f"{kind}::{ident}"],
            guid=card.id,
        )
        deck.add_note(note)
    return genanki.Package(list(decks.values()))


def export_anki(library: Library, out: Path, names: list[str]) -> int:
    """Write the package; the number of notes. Written beside `out` and renamed over it."""
    cards = library_cards(library)
    try:
        chosen = select(cards, library, names)
    except ValueError as exc:
        raise ExportError(str(exc)) from None
    if not chosen:
        raise ExportError(f"the library has no flashcards: {library.root}")
    package = build_package(library, cards, chosen)
    out = out.expanduser()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".tmp-", suffix=".apkg", dir=out.parent)
        os.close(fd)
        try:
            package.write_to_file(temp)
            os.replace(temp, out)
        finally:
            Path(temp).unlink(missing_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot write {out}: {exc.strerror or exc}") from None
    return len(chosen)


def run_export_anki(library: Library, out: str, names: list[str]) -> int:
    """`cloudref --export-anki`: exit 0 and a line on stderr saying what was written."""
    import sys

    from viewer.errors import UsageError

    try:
        count = export_anki(library, Path(out), names)
    except ExportError as exc:
        raise UsageError(str(exc)) from None
    sys.stderr.write(f"{out}: {count} card{'s' if count != 1 else ''}\n")
    return 0
