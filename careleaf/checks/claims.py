"""Risky claims: phrases a clinic may never use, and claims that need a source.

A claim is matched per sentence, on the words a reader reads, against careleaf/data/claims.yml
and the site's own lists (which may replace careleaf's: `replace:` in the site's list). Each
claim's `match:` is one phrase or a list of them, in the phrase language of
careleaf/checks/phrases.py (words, `word*`, `a|b`, `[optional]`, `~3`): matched on words in time
linear in the sentence, never as a regular expression.

Honest negations are not claims: for an entry marked `negatable`, a match is passed over when a
negating word ("not", "no", "never", "n't", "cannot", "rarely", ...) comes before it in the
same clause (the words since the last comma, semicolon, colon, dash or "but"); "not only" and
"not just" do not negate. So "It is not painless" and "Results do not last forever" pass, while
"It is painless, not harsh" is flagged. Questions that start with a question word or a verb
("Is it painless?", "How long do results last?", as FAQ headings do) ask, they do not claim,
so they are passed over too; a question that does not ("Want to look ten years younger?") is
read as a claim.

Honest pages report findings: "Peels are thought to be safe in pregnancy", "In a review of 24
studies, glycolic acid peels were the safest". For an entry marked `reportable` (a comparison,
or safety for a group of people), a sentence that hedges ("may", "thought to be", "likely", ...)
or reports a study ("a review", "trials", "found", "worked", ...) before the claim, or compares
with a trial's control ("placebo", "dummy", "sham"), makes it a claim that needs a source
(claim-uncited) instead of a forbidden one; its source may be cited in that sentence or in the
next sentence of the same paragraph. Said plainly, as an advert says it ("the safest
treatment", "better than surgery"), it stays forbidden.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Container, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from careleaf.checks.pages import Page
from careleaf.checks.phrases import (
    Phrase,
    PhraseError,
    Phrases,
    compile_phrase,
    tokens,
)
from careleaf.checks.prose import Sentence
from careleaf.checks.settings import CheckSettings, SettingsError
from careleaf.checks.wordlists import CLAIMS, cached_lists, load_claim_lists
from careleaf.findings import Finding, Severity


@dataclass(frozen=True, eq=False)  # one object per entry read: compared, and hashed, by identity
class Claim:
    kind: str  # "never" or "cited"
    phrases: tuple[Phrase, ...]
    why: str
    instead: str
    negatable: bool
    severity: Severity | None
    unless: tuple[Phrase, ...] = ()  # a sentence holding one of these does not make the claim
    hedgeable: bool = False
    reportable: bool = False  # hedged or reported as a finding: needs a source instead
    reported: bool = False  # this claim is a `reportable` one, hedged or reported so

    @property
    def exceptions(self) -> Phrases:
        return _exceptions(self)

    @property
    def rule(self) -> str:
        return "claim-forbidden" if self.kind == "never" else "claim-uncited"


_NEGATION = re.compile(
    r"\b(not|no|never|nor|neither|none|nobody|cannot|rarely|seldom|hardly|unlikely|little|few)\b"
    r"|n['’]t\b",
    re.IGNORECASE,
)
_HEDGE = re.compile(
    r"\b(may|might|could|some|usually|often|sometimes|possibly|perhaps|likely|probably"
    r"|occasionally)\b",
    re.IGNORECASE,
)
_NOT_NEGATION = re.compile(r"\bnot (only|just|merely)\b", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(
    r"[,;:()\u2013\u2014]|\s-\s|\bbut\b|\bhowever\b|\bwhile\b", re.IGNORECASE
)


@cached_lists(maxsize=32)
def load_claims(paths: tuple[Path, ...]) -> tuple[Claim, ...]:
    """careleaf's claims, then each of the site's lists; a site's list that says `replace:`
    leaves out careleaf's own list of that kind (and any list before it)."""
    claims: list[Claim] = []
    for path in (CLAIMS, *paths):
        lists, replaced = load_claim_lists(path)
        claims = [c for c in claims if c.kind not in replaced]
        for kind, entries in lists.items():
            for i, entry in enumerate(entries, start=1):
                claims.append(_claim(kind, entry, f"{path}: {kind} entry {i}"))
    return tuple(claims)


def _phrases(entry: dict[str, object], key: str, where: str) -> tuple[Phrase, ...]:
    written = entry.get(key) or []
    phrases: list[Phrase] = []
    for text in [written] if isinstance(written, str) else list(written):  # type: ignore[call-overload]
        try:
            phrases += compile_phrase(str(text))
        except PhraseError as exc:
            raise SettingsError(
                f"{where}: '{key}' is not a phrase careleaf can read: {exc}"
            ) from None
    return tuple(phrases)


def _claim(kind: str, entry: dict[str, object], where: str) -> Claim:
    severity = entry.get("severity")
    return Claim(
        kind,
        _phrases(entry, "match", where),
        str(entry.get("why") or ""),
        str(entry.get("instead") or ""),
        bool(entry.get("negatable", False)),
        severity if severity in ("error", "warning") else None,  # type: ignore[arg-type]
        _phrases(entry, "unless", where),
        bool(entry.get("hedgeable", False)),
        bool(entry.get("reportable", False)),
    )


# Words that hedge a statement or report it as a study's finding: a `reportable` claim in a
# sentence holding one needs a source, it is not forbidden.
_REPORTING = frozenset(
    "may might could some usually often sometimes possibly perhaps likely probably "
    "occasionally thought believed considered appear appears appeared seem seems seemed "
    "suggest suggests suggested review reviews study studies trial trials research found "
    "showed compared worked".split()
)
# What a trial compares a treatment with: a comparison with one of these is a trial's finding.
_CONTROLS = frozenset("placebo placebos dummy sham".split())


@lru_cache(maxsize=1024)
def _as_reported(claim: Claim) -> Claim:
    """A `reportable` claim, hedged or reported as a finding: one that needs a source."""
    return replace(claim, kind="cited", severity=None, reported=True)


# A question that starts so asks ("Is it painless?", an FAQ heading); one that does not is
# read as a claim ("Want to look ten years younger?").
_ASKING = frozenset(
    "is are was were am does do did can could will would should shall may might must has have "
    "had how what when where which who whom whose why isn't aren't doesn't don't can't won't "
    "wouldn't shouldn't".split()
)


def _asks(text: str) -> bool:
    words = tokens(text)
    return bool(words) and words[0].word in _ASKING


_NEGATING_WORDS = frozenset(
    "not no never nor neither none nobody cannot rarely seldom hardly unlikely".split()
)


def _negating(word: str) -> bool:
    return word in _NEGATING_WORDS or word.endswith("n't")


@lru_cache(maxsize=1024)
def _exceptions(claim: Claim) -> Phrases:
    return Phrases([(p, 0) for p in claim.unless])


class _Clauses:
    """Where a sentence's clauses start, and where its negating and hedging words are: read
    once per sentence, so that each match is judged by a look-up, not by reading again."""

    def __init__(self, text: str) -> None:
        self.breaks = [m.end() for m in _CLAUSE_BREAK.finditer(text)]
        not_only = {m.start() for m in _NOT_NEGATION.finditer(text)}
        self.negations = [m.start() for m in _NEGATION.finditer(text) if m.start() not in not_only]
        self.hedges = [m.start() for m in _HEDGE.finditer(text)]

    def _before(self, found: list[int], start: int) -> bool:
        """Whether one of `found` lies in the clause of `start`, before it."""
        i = bisect_right(self.breaks, start) - 1
        clause = self.breaks[i] if i >= 0 else 0
        j = bisect_left(found, start) - 1
        return j >= 0 and found[j] >= clause

    def negated(self, start: int) -> bool:
        return self._before(self.negations, start)

    def hedged(self, start: int) -> bool:
        return self._before(self.hedges, start)


@lru_cache(maxsize=64)
def _lookup(claims: tuple[Claim, ...]) -> tuple[tuple[Claim, ...], Phrases]:
    """The claims, "never" first, and their phrases looked up by first word."""
    ordered = tuple(sorted(claims, key=lambda c: c.kind != "never"))
    return ordered, Phrases([(p, i) for i, c in enumerate(ordered) for p in c.phrases])


def claims_in(sentence: Sentence, claims: tuple[Claim, ...]) -> list[tuple[Claim, str]]:
    """The claims a sentence makes, with the words that make each."""
    return _claims_in(sentence, _lookup(claims))


def _claims_in(
    sentence: Sentence, lookup: tuple[tuple[Claim, ...], Phrases]
) -> list[tuple[Claim, str]]:
    text = sentence.text
    if text.rstrip().endswith("?") and _asks(text):
        return []
    ordered, phrases = lookup
    words = tokens(text)
    by_claim: dict[int, list[tuple[int, int, bool]]] = {}
    for owner, first, end, phrase in phrases.matches(words):
        # A negating word inside the match that the phrase does not name itself ("Results
        # are not instant") negates it, as one before it does.
        inside = any(
            _negating(w.word) and not phrase.names(w.word) for w in words[first + 1 : end - 1]
        )
        by_claim.setdefault(owner, []).append((words[first].start, words[end - 1].end, inside))
    found = []
    taken: list[tuple[int, int]] = []  # a "never" match is not also reported as "cited"
    clauses = _Clauses(text)
    # a hedge or a study named before the claim ("could ever give you" after it hedges
    # nothing), or a trial's control anywhere
    reporting = min((w.start for w in words if w.word in _REPORTING), default=len(text))
    if not _CONTROLS.isdisjoint(w.word for w in words):
        reporting = -1
    for i in sorted(by_claim):
        claim = ordered[i]
        if claim.unless and claim.exceptions.any_match(words):
            continue
        # the first match in the sentence, and the longest of those that start there
        for start, end, negated_inside in sorted(by_claim[i], key=lambda m: (m[0], -m[1])):
            if claim.negatable and (negated_inside or clauses.negated(start)):
                continue
            if claim.hedgeable and clauses.hedged(start):
                continue
            if any(start < e and s < end for s, e in taken):
                continue
            taken.append((start, end))
            reported = claim.reportable and claim.kind == "never" and reporting < start
            found.append((_as_reported(claim) if reported else claim, text[start:end]))
            break
    return found


def front_matter_texts(page: Page) -> list[Sentence]:
    """The treatment's words a reader sees that are not in its body: its title, its facts (the
    "At a glance" box and the comparison) and its keywords, each at its field's line."""
    t = page.treatment
    if t is None:
        return []
    line = t.field_lines.get
    return [
        Sentence(t.title, line("title", 1)),
        *(Sentence(fact.value, line("facts", 1)) for fact in t.facts),
        *(Sentence(keyword, line("keywords", 1)) for keyword in t.keywords),
    ]


def claims_unsupported(
    sentences: Sequence[Sentence],
    claims: tuple[Claim, ...],
    listed: Container[str] | None = None,
) -> list[tuple[Sentence, Claim, str]]:
    """The claims a paragraph's sentences make that their citations do not support: each with
    its sentence and the words that make it. A claim that needs a source is supported by a
    citation in its sentence (for a claim hedged or reported as a finding, also in the next
    sentence) to a listed source (any source, when `listed` is None)."""
    return _unsupported(sentences, _lookup(claims), listed)


def _unsupported(
    sentences: Sequence[Sentence],
    lookup: tuple[tuple[Claim, ...], Phrases],
    listed: Container[str] | None,
) -> list[tuple[Sentence, Claim, str]]:
    def cites(sentence: Sentence) -> bool:
        return any(listed is None or sid in listed for sid in sentence.citations)

    found = []
    for i, sentence in enumerate(sentences):
        for claim, words in _claims_in(sentence, lookup):
            supported = claim.kind == "cited" and (
                cites(sentence)
                or (claim.reported and i + 1 < len(sentences) and cites(sentences[i + 1]))
            )
            if not supported:
                found.append((sentence, claim, words))
    return found


def _message(claim: Claim, words: str) -> str:
    """What to tell the editor of a claim."""
    why = f" ({claim.why})" if claim.why else ""
    instead = f": {claim.instead}" if claim.instead else ""
    if claim.kind == "never":
        return f"'{words}' is a claim the clinic may not make{why}; remove it{instead}"
    if claim.reported:
        return (
            f"'{words}' is a finding that needs a source{why}: cite one in this sentence "
            f"or the next as [@id], or remove it{instead}"
        )
    return (
        f"'{words}' is a claim that needs a source{why}: cite one in this "
        f"sentence as [@id], or soften it{instead}"
    )


def check_claims(page: Page, settings: CheckSettings) -> list[Finding]:
    """Forbidden claims anywhere; claims that need a source without one in their sentence."""
    claims = load_claims(settings.claims)
    listed = {s.id for s in page.treatment.sources} if page.treatment is not None else set[str]()
    # Front matter cannot cite: there, only the claims the clinic may never make are looked
    # for, and one hedged or reported as a finding passes, as a claim that needs a source does.
    never, every = _lookup(tuple(c for c in claims if c.kind == "never")), _lookup(claims)
    found = [
        (text, claim, words, 40)
        for text in front_matter_texts(page)
        for claim, words in _claims_in(text, never)
        if claim.kind == "never"
    ]
    found += [
        (sentence, claim, words, 8)
        for section in page.sections
        for block in section.blocks
        for sentence, claim, words in _unsupported(block.sentences, every, listed)
    ]
    findings: list[Finding] = []
    for text, claim, words, within in found:
        first_word = re.compile(re.escape(words.split()[0]), re.IGNORECASE)
        line, column = page.locate(first_word, text.line, within)
        findings.append(
            Finding(
                page.path,
                line,
                claim.rule,
                _message(claim, words),
                settings.level(claim.rule, claim.severity),
                column,
            )
        )
    return findings
