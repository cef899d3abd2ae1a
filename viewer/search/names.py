"""Quick open: a query matched against every topic's title, id and aliases, from memory. No Qt."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from itertools import repeat

from viewer.library.folder import Topic
from viewer.search.query import query_words

NAME_LIMIT = 10  # quick-open matches shown before the full-text hits
_NOT_WORD = re.compile(r"(?:[^\w\n]|_)+")  # what parts query_words' words, a line break aside
FUZZY_TIER = 5  # the first tier of typo and letter matching (see NameMatcher)
LETTERS_TIER = 6
FUZZY_BELOW = 3  # typo and letter tiers only add to fewer word matches than this
LETTERS_SPREAD = 3  # letters in order may span at most this many characters each


def _typo_pattern(words: list[str]) -> str | None:
    """A whole word one edit (a letter wrong, missing, extra or two swapped) from the query's
    only word; none for several words or a word under 4 letters (too many near misses)."""
    if len(words) != 1 or not 4 <= len(words[0]) <= 20:
        return None
    word = words[0]
    variants = set()
    for i in range(len(word) + 1):
        if i < len(word):
            variants.add(re.escape(word[:i]) + r"[^ \n]" + re.escape(word[i + 1 :]))
            variants.add(re.escape(word[:i]) + re.escape(word[i + 1 :]))
        if i < len(word) - 1:
            swapped = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
            variants.add(re.escape(swapped))
        variants.add(re.escape(word[:i]) + r"[^ \n]" + re.escape(word[i:]))
    return " (?:" + "|".join(sorted(variants)) + r")(?= |$)"


class NameMatcher:
    """Fuzzy matching of a query against every topic's title, id and aliases.

    All names, normalised to lower-case words separated by single spaces, sit in one string,
    one name a line; each tier is one regular-expression scan of that string, so a keystroke
    costs a few C-speed passes whatever the library's size. Tiers, best first:

    0. the whole name  ("fargate" → id fargate)
    1. whole words, in order  ("spot" → "Use Spot Instances", before "Spotlight")
    2. the start of the name  ("serverless cont" → alias "serverless containers")
    3. the start of words, in order  ("lam" → "AWS Lambda")
    4. word initials  ("ecr" → "Elastic Container Registry")
    5. a word one typo away, in a title or id only  ("fargte" → "Fargate")
    6. letters in order, the first starting a word, close together, in a title or id only
       ("fg" → "Fargate")

    Tiers 5 and 6 are for abbreviations and typos: they only fill up a list the word tiers
    left short (fewer than FUZZY_BELOW matches), so a word query is never lost in a flood of
    names that merely hold its letters. Within a tier a title beats the id, the id beats
    aliases (earlier aliases beat later ones), a shorter name beats a longer one, then tree
    order decides.
    """

    def __init__(self, topics: list[Topic]):
        self.topics = topics
        # Every name with its topic and field (title 0, id 1, aliases 2…), in parallel lists of
        # numbers and strings: the garbage collector tracks none of them, where a tuple a name
        # made it collect the whole heap while the indexer thread built this (the window
        # waited behind it).
        names: list[str] = []
        owner_topic: list[int] = []
        owner_rank: list[int] = []
        for index, topic in enumerate(topics):
            names.append(topic.title)
            names.append(topic.id)
            names += topic.aliases
            count = 2 + len(topic.aliases)
            owner_topic += repeat(index, count)
            owner_rank += range(count)
        # Each name normalised as `query_words` would (lower-case words, one space between),
        # all in a few passes.
        joined = "\n".join(names)
        if joined.count("\n") >= len(names):  # a name's own line break parts words, as a space
            joined = "\n".join(name.replace("\n", " ") for name in names)
        normalised = _NOT_WORD.sub(" ", joined.casefold())
        lines: list[str] = []
        self._topic: list[int] = []  # each line's topic (an index into `topics`)
        self._rank: list[int] = []  # and its field
        last_owner: dict[str, int] = {}  # a name's last topic: a topic lists a name once
        for number, norm in enumerate(normalised.split("\n")):
            norm = norm.strip(" ")
            index = owner_topic[number]
            if norm and last_owner.get(norm) != index:
                last_owner[norm] = index
                lines.append(" " + norm)  # a leading space: every word starts after one
                self._topic.append(index)
                self._rank.append(owner_rank[number])
        # The blob starts with a newline, so every line follows one: a name's start is then
        # a literal ("\n fargate") the regular-expression engine finds by fast search, where
        # `^` under MULTILINE would be tried at every position of the blob.
        self._starts: list[int] = []  # where each line's text begins in the blob
        offset = 1
        for line in lines:
            self._starts.append(offset)
            offset += len(line) + 1
        self._blob = "\n" + "\n".join(lines) + "\n"

    def _patterns(self, words: list[str]) -> Iterator[re.Pattern | None]:
        """Each tier's pattern, best tier first, built only when its turn comes; None for a
        tier that cannot match this query (a never-matching pattern would still scan the
        blob)."""
        phrase = re.escape(" ".join(words))
        yield re.compile(rf"\n {phrase}(?=\n)")
        yield re.compile(
            " " + r"(?: [^\n]*)? ".join(re.escape(w) for w in words) + r"(?= |$)", re.MULTILINE
        )
        yield re.compile(rf"\n {phrase}")
        yield re.compile(" " + r"[^\n]*? ".join(re.escape(w) for w in words))
        letters = "".join(words)
        if len(words) == 1 and 2 <= len(letters) <= 12:
            yield re.compile(" " + r"[^ \n]* ".join(re.escape(c) for c in letters))
        else:
            yield None
        typo = _typo_pattern(words)
        yield None if typo is None else re.compile(typo, re.MULTILINE)
        if len(letters) >= 2:
            # The first letter starts a word; [^x\n]*x stops at the first x: linear time.
            parts = [" " + re.escape(letters[0])]
            for char in letters[1:]:
                parts.append(rf"[^{re.escape(char)}\n]*{re.escape(char)}")
            yield re.compile("".join(parts))
        else:
            yield None

    def match(self, query: str, limit: int = NAME_LIMIT) -> list[tuple[Topic, str]]:
        """The best `limit` topics for `query`, each with the name (title, id or alias) that
        matched."""
        words = query_words(query)
        if not words or limit <= 0:
            return []
        letters = len("".join(words))
        best: dict[int, tuple] = {}
        for tier, pattern in enumerate(self._patterns(words)):
            if tier >= FUZZY_TIER and len(best) >= FUZZY_BELOW:
                break  # the words found enough: letters scattered over names would be noise
            if pattern is None:
                continue
            found_in_tier = 0
            for match in pattern.finditer(self._blob):
                # The match's last character is in its line (a match may start at the newline
                # before it).
                line = bisect.bisect_right(self._starts, match.end() - 1) - 1
                topic_index, rank = self._topic[line], self._rank[line]
                if tier >= FUZZY_TIER and rank > 1:
                    continue  # letters scattered over an alias: too loose to be a name match
                span = match.end() - match.start() if tier == LETTERS_TIER else 0
                if span > LETTERS_SPREAD * letters + 1:
                    continue  # letters spread over a long name: chance, not an abbreviation
                key = (tier, rank, span, len(self._name_of(topic_index, rank)), topic_index)
                if topic_index not in best:
                    found_in_tier += 1
                if key < best.get(topic_index, (99,)):
                    best[topic_index] = key
                if found_in_tier >= 50 * limit:
                    break  # a one-letter query in a huge library: enough to rank
            if len(best) >= limit:
                break  # later tiers cannot outrank what we have
        ranked = sorted(best.items(), key=lambda item: item[1])[:limit]
        return [(self.topics[index], self._name_of(index, key[1])) for index, key in ranked]

    def _name_of(self, topic_index: int, rank: int) -> str:
        topic = self.topics[topic_index]
        if rank == 0:
            return topic.title
        if rank == 1:
            return topic.id
        return topic.aliases[rank - 2]
