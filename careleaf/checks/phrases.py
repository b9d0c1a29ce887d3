"""Phrases matched on a sentence's words, in time linear in the sentence: the language of the
claims lists (careleaf/data/claims.yml) and of the import cues (careleaf/data/import-cues.yml).

A phrase is words separated by spaces, matched on whole words, in any case:

    no side effect*          `*` at the end of a word: any word starting so (effect, effects)
    safe|harmless            `|`: any one of these words
    [completely] safe        `[...]`: a word that may be there or not
    results ~3 one session   `~3`: up to 3 other words in between

A hyphen counts as a space: `pain-free` matches "pain free" and "pain-free". Nothing here is a regular expression: each phrase is matched by walking the
sentence's words once from each place its first word appears, so no phrase, however written,
can make a check slow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

__all__ = ["Phrase", "PhraseError", "Phrases", "Token", "compile_phrase", "find", "tokens"]


class PhraseError(ValueError):
    """A phrase that cannot be read: the message says what is wrong."""


@dataclass(frozen=True)
class Token:
    """A word of a text, lower-cased, and where it stands in the text."""

    word: str
    start: int
    end: int


# Letters and digits with inner apostrophes ("don't"), or a per cent or currency sign. Every
# alternative is a plain run: the pattern cannot backtrack.
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|[%£$€]")


@lru_cache(maxsize=4096)
def tokens(text: str) -> tuple[Token, ...]:
    """The words of a text, lower-cased, with their places."""
    return tuple(
        Token(m.group().lower().replace("’", "'"), m.start(), m.end())
        for m in _TOKEN.finditer(text)
    )


@dataclass(frozen=True)
class _Item:
    words: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    optional: bool = False
    gap: int = 0  # for `~N`: up to N words; then words and prefixes are empty

    def fits(self, word: str) -> bool:
        return word in self.words or any(word.startswith(p) for p in self.prefixes)


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: read once, kept
class Phrase:
    """A phrase read: its items, its first item (which no match is without) and its text."""

    text: str
    items: tuple[_Item, ...]

    @property
    def first(self) -> _Item:
        return self.items[0]

    @property
    def needs(self) -> tuple[frozenset[str], ...]:
        """For each of its items that must be there and is whole words only, those words: a
        sentence without one of each cannot match."""
        return _needs(self)

    def names(self, word: str) -> bool:
        """Whether the phrase itself names this word (not a gap's word)."""
        return any(item.fits(word) for item in self.items if not item.gap)


@cache
def _needs(phrase: Phrase) -> tuple[frozenset[str], ...]:
    return tuple(
        i.words for i in phrase.items[1:] if not i.optional and not i.gap and not i.prefixes
    )


def compile_phrase(text: str) -> list[Phrase]:
    """A phrase as written, read into one phrase or a few (an optional first word gives two:
    with it and without). Raises PhraseError when it cannot be read."""
    items: list[_Item] = []
    for raw in str(text).split():
        optional = raw.startswith("[") and raw.endswith("]")
        body = raw[1:-1] if optional else raw
        if "[" in body or "]" in body:
            raise PhraseError(f"'{raw}': write an optional word as [word], one word at a time")
        if body.startswith("~"):
            if not body[1:].isdigit() or optional:
                raise PhraseError(f"'{raw}': a gap is ~ and a number of words, such as ~3")
            items.append(_Item(gap=int(body[1:])))
            continue
        items.extend(_alternatives(body, raw, optional))
    if not items:
        raise PhraseError("an empty phrase")
    if items[-1].gap or items[0].gap:
        raise PhraseError(f"'{text}': a phrase cannot start or end with a gap (~N)")
    if all(i.optional or i.gap for i in items):
        raise PhraseError(f"'{text}': a phrase needs a word that is not optional")
    found = []
    while items:
        found.append(Phrase(text, tuple(items)))
        if not items[0].optional:
            break
        items = items[1:]
        while items and items[0].gap:
            items = items[1:]
    return [
        p if not p.first.optional else Phrase(text, (_required(p.first), *p.items[1:]))
        for p in found
    ]


def _required(item: _Item) -> _Item:
    return _Item(item.words, item.prefixes)


def _alternatives(body: str, raw: str, optional: bool) -> list[_Item]:
    """One item for `a|b|c*`; several for a hyphenated word (`pain-free` is `pain free`)."""
    if "|" not in body:
        parts = [w for w in body.replace("-", " ").split() if w]
        if len(parts) > 1:
            return [x for part in parts for x in _alternatives(part, raw, optional)]
    words: set[str] = set()
    prefixes: list[str] = []
    for alternative in body.split("|"):
        prefix = alternative.endswith("*")
        word = alternative[:-1] if prefix else alternative
        found = tokens(word)
        if len(found) != 1 or found[0].word != word.lower().replace("’", "'"):
            raise PhraseError(
                f"'{raw}': '{alternative}' is not one word "
                "(write words with letters and digits; put other wordings in phrases of their own)"
            )
        (prefixes.append if prefix else words.add)(found[0].word)
    return [_Item(frozenset(words), tuple(prefixes), optional)]


def find(phrase: Phrase, words: tuple[Token, ...], start: int) -> int | None:
    """Where a match of the phrase that starts at word `start` ends (the index after its last
    word, the shortest match), or None. Each item moves a set of places one step on: the work
    is bounded by the phrase's length times the sentence's."""
    if start >= len(words) or not phrase.first.fits(words[start].word):
        return None
    places = {start + 1}
    for item in phrase.items[1:]:
        after: set[int] = set()
        for place in places:
            if item.gap:
                after.update(range(place, min(place + item.gap, len(words)) + 1))
                continue
            if item.optional:
                after.add(place)
            if place < len(words) and item.fits(words[place].word):
                after.add(place + 1)
        places = after
        if not places:
            return None
    return min(places)


class Phrases:
    """Many phrases, each with what it stands for, looked up by their first word: a sentence
    is walked once, and only the phrases whose first word is there are tried."""

    def __init__(self, phrases: list[tuple[Phrase, int]]) -> None:
        self.by_word: dict[str, list[tuple[Phrase, int]]] = {}
        by_prefix: dict[str, list[tuple[Phrase, int]]] = {}
        for phrase, owner in phrases:
            for word in phrase.first.words:
                self.by_word.setdefault(word, []).append((phrase, owner))
            for prefix in phrase.first.prefixes:
                by_prefix.setdefault(prefix, []).append((phrase, owner))
        self.by_prefix = by_prefix
        self.prefix_lengths = sorted({len(p) for p in by_prefix})

    def starting(self, word: str) -> list[tuple[Phrase, int]]:
        """The phrases whose first item fits a word."""
        found = list(self.by_word.get(word, ()))
        for length in self.prefix_lengths:
            if length > len(word):
                break
            found += self.by_prefix.get(word[:length], ())
        return found

    def matches(self, words: tuple[Token, ...]) -> list[tuple[int, int, int, Phrase]]:
        """Every (owner, first word, end, phrase) where a phrase matches, in the order of the
        words."""
        found = []
        present = {token.word for token in words}
        for i, token in enumerate(words):
            for phrase, owner in self.starting(token.word):
                if any(present.isdisjoint(group) for group in phrase.needs):
                    continue
                end = find(phrase, words, i)
                if end is not None:
                    found.append((owner, i, end, phrase))
        return found

    def any_match(self, words: tuple[Token, ...]) -> bool:
        return any(
            find(phrase, words, i) is not None
            for i, token in enumerate(words)
            for phrase, _ in self.starting(token.word)
        )
