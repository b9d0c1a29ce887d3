"""Plain words: the first use on a page of a word patients trip over, with plainer ones."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from careleaf.checks.pages import Page
from careleaf.checks.settings import CheckSettings, SettingsError
from careleaf.checks.wordlists import PLAIN_WORDS, cached_lists, load_yaml
from careleaf.findings import Finding

# A word as the entries' patterns bound it: a run of letters, digits, '_' and '-'.
_TOKEN = re.compile(r"[\w-]+")


@dataclass(frozen=True)
class PlainWord:
    word: str
    plainer: str
    pattern: re.Pattern[str]


def _pattern(word: str) -> re.Pattern[str]:
    """The word with its simple endings: dermis, utilised, utilising, minimises."""
    base = re.escape(word.lower())
    stem = re.escape(word.lower()[:-1]) if word.lower().endswith("e") else base
    return re.compile(
        rf"(?<![\w-])(?:{base}(?:s|es|d|ed|ly)?|{stem}(?:ing|ed|es|ation|ations))(?![\w-])",
        re.IGNORECASE,
    )


def _forms(word: str) -> set[str]:
    """Every text `_pattern(word)` matches, in lower case."""
    base = word.lower()
    stem = base[:-1] if base.endswith("e") else base
    return {base + end for end in ("", "s", "es", "d", "ed", "ly")} | {
        stem + end for end in ("ing", "ed", "es", "ation", "ations")
    }


@dataclass(frozen=True)
class PlainWords:
    """A site's plain-word entries, indexed so that one pass over a sentence finds them all.

    A one-word entry is found by looking up each word of the sentence among its forms; an
    entry of several words ("prior to") is searched for only in sentences that have its first
    word; an entry that starts with neither letter, digit, '_' nor '-' is searched for in
    every sentence.
    """

    entries: tuple[PlainWord, ...]
    # A form of a one-word entry, in lower case -> the entries it is a form of.
    forms: dict[str, tuple[int, ...]] = field(default_factory=dict)
    # The first word of an entry of several, in lower case -> those entries.
    phrases: dict[str, tuple[int, ...]] = field(default_factory=dict)
    everywhere: tuple[int, ...] = ()

    @classmethod
    def index(cls, entries: tuple[PlainWord, ...]) -> PlainWords:
        """The entries, indexed by their forms and first words."""
        forms: dict[str, list[int]] = {}
        phrases: dict[str, list[int]] = {}
        everywhere: list[int] = []
        for i, entry in enumerate(entries):
            if _TOKEN.fullmatch(entry.word):
                for form in _forms(entry.word):
                    forms.setdefault(form, []).append(i)
            elif first := _TOKEN.match(entry.word):
                # The first word ends before a character outside [\w-], so in a sentence that
                # has the entry, that word stands on its own.
                phrases.setdefault(first.group().lower(), []).append(i)
            else:
                everywhere.append(i)
        return cls(
            entries,
            {k: tuple(v) for k, v in forms.items()},
            {k: tuple(v) for k, v in phrases.items()},
            tuple(everywhere),
        )

    def __iter__(self) -> Iterator[PlainWord]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def found_in(self, text: str) -> list[tuple[PlainWord, str]]:
        """Each entry a text uses, in the list's order, with its first use as written."""
        used: dict[int, str] = {}
        searched = set(self.everywhere)
        for token in _TOKEN.findall(text):
            lower = token.lower()
            for index in self.forms.get(lower, ()):
                used.setdefault(index, token)
            searched.update(self.phrases.get(lower, ()))
        for index in searched:
            if match := self.entries[index].pattern.search(text):
                used[index] = match.group(0)
        return [(self.entries[i], used[i]) for i in sorted(used)]


@cached_lists(maxsize=32)
def load_plain_words(paths: tuple[Path, ...]) -> PlainWords:
    """careleaf's list, then each of the site's lists (a later entry replaces an earlier)."""
    entries: dict[str, PlainWord] = {}
    for path in (PLAIN_WORDS, *paths):
        data = load_yaml(path) or {}
        if not isinstance(data, dict):
            raise SettingsError(f"{path}: write one 'word: plainer words' a line")
        for word, plainer in data.items():
            if not isinstance(word, str) or not isinstance(plainer, str) or not word.strip():
                raise SettingsError(f"{path}: '{word}' needs plainer words as text after ': '")
            entries[word.lower()] = PlainWord(word.strip(), plainer.strip(), _pattern(word.strip()))
    return PlainWords.index(tuple(entries.values()))


def check_plain_words(
    page: Page,
    settings: CheckSettings,
    defined: frozenset[str],
    glossary_defines: Callable[[str], bool],
) -> list[Finding]:
    """The first use on the page of each listed word the glossary and the title do not define."""
    findings: list[Finding] = []
    seen: set[str] = set()
    entries = load_plain_words(settings.plain_words)
    for section in page.sections:
        for sentence in section.sentences:
            for entry, used in entries.found_in(sentence.text):
                if entry.word.lower() in seen:
                    continue
                if (
                    used.lower() in defined
                    or glossary_defines(entry.word)
                    or glossary_defines(used)
                ):
                    continue
                seen.add(entry.word.lower())
                line, column = page.locate(entry.pattern, sentence.line)
                findings.append(
                    Finding(
                        page.path,
                        line,
                        "plain-word",
                        f"'{used}' is a hard word for many readers: say '{entry.plainer}', "
                        "or define it in the glossary",
                        settings.level("plain-word"),
                        column,
                    )
                )
    return findings
