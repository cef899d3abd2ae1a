"""Cards from the library itself: the Q/A pairs written in topics and every comparison cell.

A card's id is a hash of where it lives (the topic or table id) and its question, normalised
(case and spacing) — never of its answer, its file name or its line. So moving a card within
its topic, editing the text around it or correcting a typo's case keeps its history; editing
the answer keeps the id and changes `answer_key`, which the review store reads as "reset this
card". A comparison cell's question is made of the subject and attribute *ids*, so relabelling
a row or column loses nothing either. No Qt.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from viewer.library.cache import new_sha1
from viewer.library.folder import Library, Topic
from viewer.pages.card_syntax import Heading, scan

if TYPE_CHECKING:
    from viewer.study.card_cache import CardCache

TOPIC_DECK = "topic:"
TABLE_DECK = "table:"
_INLINE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|[*_`]+")


class StudyCard(NamedTuple):
    """One fact to recall, and where it comes from."""

    id: str  # stable: see the module's docstring
    deck: str  # "topic:ID" or "table:ID"
    question: str  # Markdown (topic cards) or plain text (cells)
    answer: str
    answer_key: str  # changes when the answer does
    path: Path  # the file it is written in
    line: int  # 1-based
    topic_id: str = ""  # the topic to open for context ("" if none)
    anchor: str = ""  # the section in that topic
    section: str = ""  # the section's heading, for "from …"
    note: str = ""  # a comparison cell's note
    source: str = ""  # a comparison cell's https source
    cell: tuple[str, str, str] | None = None  # (table, attribute, subject) for cells


def normalise(text: str) -> str:
    """Case and spacing folded: what must change for a question to be a new card."""
    return " ".join(text.split()).casefold()  # str.split's whitespace is the regex's `\s`


def card_id(deck: str, question: str) -> str:
    return new_sha1(f"{deck}\x1f{normalise(question)}").hexdigest()[:20]


def answer_key(answer: str) -> str:
    return new_sha1(" ".join(answer.split())).hexdigest()[:20]


def _plain(markdown_text: str) -> str:
    return _INLINE.sub(lambda m: m.group(1) or "", markdown_text)


def _sections(headings: list[Heading]) -> list[tuple[int, str, str]]:
    """Each heading's (line, anchor, plain title); the anchors are the ids Python-Markdown's
    `toc` gives them (same slugs, same `_1`), "" for a level-1 heading (the page's top)."""
    from markdown.extensions.toc import slugify, unique

    seen: set[str] = set()
    sections = []
    for heading in headings:
        title = _plain(heading.text)
        anchor = unique(slugify(title, "-"), seen)
        sections.append((heading.line, anchor if heading.level > 1 else "", title))
    return sections


def topic_cards(
    topic: Topic, body: str, body_line: int
) -> tuple[list[StudyCard], list[tuple[int, str]]]:
    """The cards written in one topic's body, and (line, message) for those that cannot be used:
    an empty question or answer, or a question asked twice (the first one counts)."""
    found, headings = scan(body)
    if not found:
        return [], []  # no slugs (nor Markdown) for a cardless topic
    sections = _sections(headings)
    deck, path = TOPIC_DECK + topic.id, topic.path
    cards: list[StudyCard] = []
    problems: list[tuple[int, str]] = []
    first_line: dict[str, int] = {}
    section = (-1, "", "")
    following = iter(sections)
    upcoming = next(following, None)
    for text in found:  # cards and headings both in line order: one walk through the two
        while upcoming is not None and upcoming[0] < text.line:
            section, upcoming = upcoming, next(following, None)
        line = body_line + text.line
        if not text.question or not text.answer:
            missing = "question" if not text.question else "answer"
            problems.append((line, f"flashcard has an empty {missing}"))
            continue
        ident = card_id(deck, text.question)
        if ident in first_line:
            problems.append(
                (
                    line,
                    f"flashcard question asked twice in this topic"
                    f" (first on line {first_line[ident]})",
                )
            )
            continue
        first_line[ident] = line
        cards.append(
            StudyCard(
                ident,
                deck,
                text.question,
                text.answer,
                answer_key(text.answer),
                path,
                line,
                topic.id,
                section[1],
                section[2],
            )
        )
    return cards, problems


def table_cards(comparisons) -> list[StudyCard]:
    """One card per comparison cell: "Subject — Attribute?" → the value (its note beside it)."""
    cards: list[StudyCard] = []
    for cset in comparisons.sets:
        deck = TABLE_DECK + cset.id
        for attribute in cset.attributes:
            for subject in cset.subjects:
                cell = cset.cell(attribute.id, subject.id)
                if cell is None:
                    continue
                cards.append(
                    StudyCard(
                        id=card_id(deck, f"{subject.id}\x1f{attribute.id}"),
                        deck=deck,
                        question=f"{subject.label} — {attribute.label}?",
                        answer=cell.plain,
                        answer_key=answer_key(cell.plain),  # a note's edit keeps the history
                        path=cset.path,
                        line=1,
                        topic_id=subject.topic,
                        section=cset.title,
                        note=cell.note,
                        source=cell.source,
                        cell=(cset.id, attribute.id, subject.id),
                    )
                )
    return cards


class CardSet:
    """Every card of a library, in library order (topics in tree order, then tables), by deck."""

    def __init__(self, cards: list[StudyCard], deck_titles: dict[str, str]):
        self.cards = cards
        self.by_id = {card.id: card for card in cards}
        self.deck_titles = deck_titles  # deck -> title, in display order, decks with cards only
        self._decks: dict[str, list[StudyCard]] = {}
        for card in cards:
            self._decks.setdefault(card.deck, []).append(card)

    def deck(self, deck: str) -> list[StudyCard]:
        """The cards of one deck; "" is every card."""
        return self.cards if not deck else self._decks.get(deck, [])

    def cell_card(self, table: str, attribute: str, subject: str) -> StudyCard | None:
        return self.by_id.get(card_id(TABLE_DECK + table, f"{subject}\x1f{attribute}"))


def library_cards(library: Library, comparisons=None, cache: CardCache | None = None) -> CardSet:
    """Read every topic and the comparison tables (loaded here if not given).

    With a `cache`, a topic whose file is unchanged since it was cached is not read at all, and
    the cache is saved afterwards. No Qt: the window calls this on a worker thread.
    """
    cards: list[StudyCard] = []
    titles: dict[str, str] = {}
    for topic in library.topics:
        found = cache.get(topic) if cache is not None else None
        if found is None:
            stamp = cache.stamp(topic) if cache is not None else None  # before the read
            source = library.read(topic)
            found, _problems = topic_cards(topic, source.body, source.body_line)
            if cache is not None:
                cache.put(topic, stamp, found)
        if found:
            cards += found
            titles[TOPIC_DECK + topic.id] = topic.title
    if comparisons is None:
        from viewer.compare.tables import load_comparisons

        comparisons = load_comparisons(library)
    for cset in comparisons.sets:
        titles[TABLE_DECK + cset.id] = f"Table: {cset.title}"
    cells = table_cards(comparisons)
    cards += cells
    if cache is not None:
        cache.save()
    present = {c.deck for c in cards}
    return CardSet(cards, {deck: title for deck, title in titles.items() if deck in present})
