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
    return _measured(_Counter(known)(s) for s in sentences)


# One sentence's counts: words, syllables, polysyllables, and the last two with the page's
# defined words counted as one syllable.
_Counts = tuple[int, int, int, int, int]


class _Counter:
    """Each sentence's counts, from its words read once however often they are asked for."""

    def __init__(self, known: frozenset[str]) -> None:
        self.known = known
        # By the sentence's identity: the sentence is kept too, so its id is not reused.
        self.seen: dict[int, tuple[Sentence, _Counts]] = {}

    def __call__(self, sentence: Sentence) -> _Counts:
        if (hit := self.seen.get(id(sentence))) is not None:
            return hit[1]
        found = sentence.words
        syl = poly = ksyl = kpoly = 0
        for word in found:
            count = syllables(word)
            syl += count
            poly += count >= 3
            easy = 1 if is_known(word, self.known) else count
            ksyl += easy
            kpoly += easy >= 3
        counts = (len(found), syl, poly, ksyl, kpoly)
        self.seen[id(sentence)] = (sentence, counts)
        return counts


def _measured(counts: Iterable[_Counts]) -> Grade:
    """The grade of sentences from their counts; a sentence without words does not count."""
    n = total = syl = poly = ksyl = kpoly = 0
    for found, s, p, ks, kp in counts:
        if not found:
            continue
        n += 1
        total += found
        syl += s
        poly += p
        ksyl += ks
        kpoly += kp
    return Grade(n, total, syl, poly, ksyl, kpoly)


@dataclass(frozen=True)
class PageGrades:
    """A page's grade and each section's, for the report."""

    page: Page
    grade: Grade
    sections: list[tuple[str, int, Grade]]


def grade_page(page: Page, known: frozenset[str]) -> PageGrades:
    """The page's grade and each section's."""
    return _graded(page, _Counter(known))


def _graded(page: Page, counter: _Counter) -> PageGrades:
    sections = [(s.title, s.line, _measured(map(counter, s.sentences))) for s in page.sections]
    # The page's counts are its sections' counts: each sentence is read once. The handout's
    # points are graded as their own parts, not as the page's.
    grade = _measured(counter(x) for s in page.sections if s.on_page for x in s.sentences)
    return PageGrades(page, grade, sections)


def _hardest(sentences: list[Sentence], counter: _Counter, count: int = 3) -> str:
    """The lines of the hardest sentences: hard words weigh most, then length."""

    def weight(s: Sentence) -> float:
        found, _, _, _, hard = counter(s)
        return hard * 3 + found / 5

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
    counter = _Counter(known)
    grades = _graded(page, counter)
    all_sentences = [x for s in page.sections if s.on_page for x in s.sentences]
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
                f"everyday words, starting with lines {_hardest(all_sentences, counter)}",
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
                    f"{_hardest(section.sentences, counter)} in shorter sentences and everyday words",
                    level,
                )
            )
    for section in page.sections:
        for block in section.blocks:
            for sentence in block.sentences:
                count = counter(sentence)[0]
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
