"""Plain words: the first use on a page of a word patients trip over, with plainer ones."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from careleaf.checks.pages import Page
from careleaf.checks.settings import CheckSettings, SettingsError
from careleaf.checks.wordlists import PLAIN_WORDS, load_yaml
from careleaf.findings import Finding


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


@lru_cache(maxsize=32)
def load_plain_words(paths: tuple[Path, ...]) -> tuple[PlainWord, ...]:
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
    return tuple(entries.values())


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
            for entry in entries:
                if entry.word.lower() in seen:
                    continue
                match = entry.pattern.search(sentence.text)
                if match is None:
                    continue
                used = match.group(0)
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
