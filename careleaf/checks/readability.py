"""Reading grade, long sentences and long paragraphs: is the page easy enough to read?

Two grades, both from word, sentence and syllable counts of the prose a patient reads
(see `prose`):

- SMOG (McLaughlin 1969), the usual measure for health text:
  1.0430 * sqrt(polysyllables * 30 / sentences) + 3.1291.
  SMOG is defined on 30 sentences; with fewer, the count is scaled to 30 by the formula's own
  `30 / sentences` factor (McLaughlin's rule for short texts). A page or section with fewer
  than `min_sentences` (5) sentences is too short to grade: one long word would swing it. A
  short section still counts in its page's grade.
- Flesch-Kincaid grade: 0.39 * words / sentences + 11.8 * syllables / words - 15.59.

The *adjusted* grade counts the words a page defines for its reader (the treatment's title,
the glossary's terms, the page's own abbreviations) as one-syllable words: a patient is told
what "microdermabrasion" means before meeting it again. The rules use the adjusted grade;
findings and the report show both.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from careleaf.checks.pages import Page
from careleaf.checks.prose import Sentence, syllables, words
from careleaf.checks.settings import CheckSettings
from careleaf.findings import Finding, Severity

_ABBREVIATION_DEFINITION = re.compile(r"^\*\[([^\]]+)\]:", re.MULTILINE)


@dataclass(frozen=True)
class Grade:
    """The counts of some prose and its SMOG and Flesch-Kincaid grades, raw and adjusted."""

    sentences: int
    words: int
    syllables: int
    polysyllables: int
    known_syllables: int
    known_polysyllables: int

    @staticmethod
    def _smog(poly: int, sentences: int) -> float:
        return 1.0430 * math.sqrt(poly * 30 / sentences) + 3.1291 if sentences else 0.0

    def _fk(self, syl: int) -> float:
        if not self.words or not self.sentences:
            return 0.0
        return 0.39 * self.words / self.sentences + 11.8 * syl / self.words - 15.59

    @property
    def smog(self) -> float:
        return round(self._smog(self.polysyllables, self.sentences), 1)

    @property
    def smog_adjusted(self) -> float:
        return round(self._smog(self.known_polysyllables, self.sentences), 1)

    @property
    def fk(self) -> float:
        return round(self._fk(self.syllables), 1)

    @property
    def fk_adjusted(self) -> float:
        return round(self._fk(self.known_syllables), 1)

    def value(self, measure: str) -> float:
        """The adjusted grade a rule compares: SMOG, FK or the higher of the two."""
        if measure == "fk":
            return self.fk_adjusted
        if measure == "both":
            return max(self.smog_adjusted, self.fk_adjusted)
        return self.smog_adjusted

    def describe(self) -> str:
        return (
            f"SMOG {self.smog_adjusted:g}, raw {self.smog:g}; "
            f"Flesch-Kincaid {self.fk_adjusted:g}, raw {self.fk:g}"
        )


def is_known(word: str, known: frozenset[str]) -> bool:
    """Whether a word (or its plural) is one the page defines."""
    w = word.lower()
    return (
        w in known
        or (w.endswith("s") and w[:-1] in known)
        or (w.endswith("es") and w[:-2] in known)
    )


def known_words(page: Page, glossary_terms: Iterable[str]) -> frozenset[str]:
    """The words a page defines for its reader: its title, the glossary, its abbreviations."""
    defined = [page.title, *glossary_terms, *_ABBREVIATION_DEFINITION.findall(page.markdown)]
    return frozenset(w.lower() for text in defined for w in words(text))


def measure(sentences: Iterable[Sentence], known: frozenset[str] = frozenset()) -> Grade:
    """The grade of some sentences."""
    n = total = syl = poly = ksyl = kpoly = 0
    for sentence in sentences:
        found = sentence.words
        if not found:
            continue
        n += 1
        for word in found:
            count = syllables(word)
            total += 1
            syl += count
            poly += count >= 3
            easy = 1 if is_known(word, known) else count
            ksyl += easy
            kpoly += easy >= 3
    return Grade(n, total, syl, poly, ksyl, kpoly)


@dataclass(frozen=True)
class PageGrades:
    """A page's grade and each section's, for the report."""

    page: Page
    grade: Grade
    sections: list[tuple[str, int, Grade]]


def grade_page(page: Page, known: frozenset[str]) -> PageGrades:
    sections = [(s.title, s.line, measure(s.sentences, known)) for s in page.sections]
    grade = measure((x for s in page.sections for x in s.sentences), known)
    return PageGrades(page, grade, sections)


def _hardest(sentences: list[Sentence], known: frozenset[str], count: int = 3) -> str:
    def weight(s: Sentence) -> float:
        found = s.words
        hard = sum(1 for w in found if not is_known(w, known) and syllables(w) >= 3)
        return hard * 3 + len(found) / 5

    lines: list[int] = []
    for s in sorted(sentences, key=weight, reverse=True):
        if s.line not in lines:
            lines.append(s.line)
    return ", ".join(str(n) for n in sorted(lines[:count]))


def _severity(value: float, settings: CheckSettings, rule: str) -> Severity | None:
    if value > settings.grade_error:
        return settings.severity.get(rule, "error")
    if value > settings.grade_warning:
        return settings.level(rule)
    return None


def check_readability(page: Page, settings: CheckSettings, known: frozenset[str]) -> list[Finding]:
    """Reading grade of the page and its sections, long sentences and long paragraphs."""
    findings: list[Finding] = []
    grades = grade_page(page, known)
    all_sentences = [x for s in page.sections for x in s.sentences]
    value = grades.grade.value(settings.grade_measure)
    level = _severity(value, settings, "reading-grade")
    if level and len(all_sentences) >= settings.min_sentences:
        findings.append(
            Finding(
                page.path,
                min(s.line for s in all_sentences),
                "reading-grade",
                f"the page reads at grade {value:g} ({grades.grade.describe()}); "
                f"aim for {settings.grade_warning:g} or lower: use shorter sentences and "
                f"everyday words, starting with lines {_hardest(all_sentences, known)}",
                level,
            )
        )
    for section, (title, line, grade) in zip(page.sections, grades.sections, strict=True):
        if grade.sentences < settings.min_sentences:
            continue
        value = grade.value(settings.grade_measure)
        level = _severity(value, settings, "reading-grade-section")
        if level:
            where = f"'{title}'" if title else "this part"
            findings.append(
                Finding(
                    page.path,
                    line,
                    "reading-grade-section",
                    f"{where} reads at grade {value:g} ({grade.describe()}); "
                    f"aim for {settings.grade_warning:g} or lower: rewrite lines "
                    f"{_hardest(section.sentences, known)} in shorter sentences and everyday words",
                    level,
                )
            )
    for section in page.sections:
        for block in section.blocks:
            for sentence in block.sentences:
                count = len(sentence.words)
                if count > settings.sentence_words:
                    findings.append(
                        Finding(
                            page.path,
                            sentence.line,
                            "sentence-long",
                            f"this sentence has {count} words ('{_start(sentence.text)}'); "
                            f"split it so each has {settings.sentence_words} words or fewer",
                            settings.level("sentence-long"),
                        )
                    )
            if block.kind == "paragraph" and len(block.sentences) > settings.paragraph_sentences:
                findings.append(
                    Finding(
                        page.path,
                        block.line,
                        "paragraph-long",
                        f"this paragraph has {len(block.sentences)} sentences; "
                        f"break it up so each has {settings.paragraph_sentences} or fewer "
                        "(or make a list)",
                        settings.level("paragraph-long"),
                    )
                )
    return findings


def _start(text: str, count: int = 6) -> str:
    found = text.split()
    return " ".join(found[:count]) + (" ..." if len(found) > count else "")
