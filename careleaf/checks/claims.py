"""Risky claims: phrases a clinic may never use, and claims that need a source.

A claim is matched per sentence, on the text a reader reads, against careleaf/data/claims.yml
and the site's own lists. Honest negations are not claims: for an entry marked `negatable`,
a match is passed over when a negating word ("not", "no", "never", "n't", "cannot",
"rarely", ...) comes before it in the same clause (the words since the last comma, semicolon,
colon, dash or "but"); "not only" and "not just" do not negate. So "It is not painless" and
"Results do not last forever" pass, while "It is painless, not harsh" is flagged. Questions
(sentences ending in "?", such as FAQ headings "Is it painless?") ask, they do not claim, so
they are passed over too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from careleaf.checks.pages import Page
from careleaf.checks.prose import Sentence
from careleaf.checks.settings import CheckSettings, SettingsError
from careleaf.checks.wordlists import CLAIMS, load_claim_lists
from careleaf.findings import Finding, Severity

try:  # Python's own parser of patterns (`sre_parse` before 3.11)
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_parse as _sre_parse  # type: ignore[no-redef]

_LITERAL = _sre_parse.LITERAL
_SUBPATTERN = _sre_parse.SUBPATTERN
_BRANCH = _sre_parse.BRANCH
_REPEATS = (_sre_parse.MAX_REPEAT, _sre_parse.MIN_REPEAT)


@dataclass(frozen=True)
class Claim:
    kind: str  # "never" or "cited"
    pattern: re.Pattern[str]
    why: str
    instead: str
    negatable: bool
    severity: Severity | None
    # Texts one of which every match holds (case-folded), to pass over a sentence that holds
    # none without running the pattern; None when the pattern has no such text.
    clues: frozenset[str] | None = None

    @property
    def rule(self) -> str:
        return "claim-forbidden" if self.kind == "never" else "claim-uncited"

    def may_match(self, folded: str) -> bool:
        """Whether the pattern may match a text, given the text case-folded."""
        return self.clues is None or any(clue in folded for clue in self.clues)


_NEGATION = re.compile(
    r"\b(not|no|never|nor|neither|none|cannot|rarely|seldom|hardly|unlikely|little|few)\b"
    r"|n['’]t\b",
    re.IGNORECASE,
)
_NOT_NEGATION = re.compile(r"\bnot (only|just|merely)\b", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(
    r"[,;:()\u2013\u2014]|\s-\s|\bbut\b|\bhowever\b|\bwhile\b", re.IGNORECASE
)


def clues(source: str) -> frozenset[str] | None:
    """Texts one of which every match of a pattern holds, case-folded (the longest such that
    the pattern's structure gives), or None when it gives none: read from the pattern as
    Python's own `re` parser reads it."""
    try:
        return _clues(_sre_parse.parse(source, re.IGNORECASE).data)
    except Exception:  # noqa: BLE001 - a parser internal to `re` may change: then no clue
        return None


def _clues(items: list[tuple[Any, Any]]) -> frozenset[str] | None:
    """The best clue set of a sequence: a run of literal characters, or an item's own set."""
    best: frozenset[str] | None = None
    run: list[str] = []

    def better(found: frozenset[str] | None) -> None:
        nonlocal best
        if found and all(found) and (best is None or _strength(found) > _strength(best)):
            best = found

    for op, av in items:
        if op is _LITERAL:
            run.append(chr(av))
            continue
        better(frozenset({"".join(run).casefold()}) if run else None)
        run = []
        if op is _SUBPATTERN:
            better(_clues(av[-1]))
        elif op is _BRANCH:
            branches = [_clues(branch) for branch in av[1]]
            if all(b is not None for b in branches):
                better(frozenset().union(*(b for b in branches if b is not None)))
        elif op in _REPEATS and av[0] >= 1:
            better(_clues(av[2]))
        # anything else (a class, a look-around, a reference) holds no clue, and ends a run
    better(frozenset({"".join(run).casefold()}) if run else None)
    return best


def _strength(found: frozenset[str]) -> int:
    return min(len(text) for text in found)


@lru_cache(maxsize=32)
def load_claims(paths: tuple[Path, ...]) -> tuple[Claim, ...]:
    """careleaf's claims, then each of the site's lists."""
    claims: list[Claim] = []
    for path in (CLAIMS, *paths):
        for kind, entries in load_claim_lists(path).items():
            for i, entry in enumerate(entries, start=1):
                try:
                    pattern = re.compile(rf"(?<![\w-])(?:{entry['match']})(?![\w-])", re.IGNORECASE)
                except re.error as exc:
                    raise SettingsError(
                        f"{path}: {kind} entry {i}: 'match' is not a valid pattern ({exc})"
                    ) from None
                severity = entry.get("severity")
                claims.append(
                    Claim(
                        kind,
                        pattern,
                        str(entry.get("why") or ""),
                        str(entry.get("instead") or ""),
                        bool(entry.get("negatable", False)),
                        severity,
                        clues(pattern.pattern),
                    )
                )
    return tuple(claims)


@lru_cache(maxsize=64)
def _never(claims: tuple[Claim, ...]) -> tuple[Claim, ...]:
    return tuple(c for c in claims if c.kind == "never")


def negated(text: str, start: int) -> bool:
    """Whether a negating word comes before position `start` in the same clause."""
    before = text[:start]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    clause = before[breaks[-1].end() :] if breaks else before
    clause = _NOT_NEGATION.sub("", clause)
    return _NEGATION.search(clause) is not None


@dataclass(frozen=True)
class _Lookup:
    """A list of claims, "never" first, with the clues that say which of them a sentence may
    make: each clue is looked for once per sentence, however many claims share it."""

    claims: tuple[Claim, ...]
    clues: tuple[tuple[str, frozenset[int]], ...]  # a clue, and the claims it may start
    always: frozenset[int]  # claims without clues: looked for in every sentence

    def possible(self, text: str) -> list[Claim]:
        """The claims a text may make, in order; the others cannot match it."""
        folded = text.casefold()
        found = set(self.always)
        for clue, claims in self.clues:
            if clue in folded:
                found |= claims
        return [self.claims[i] for i in sorted(found)]


@lru_cache(maxsize=64)
def _lookup(claims: tuple[Claim, ...]) -> _Lookup:
    ordered = tuple(sorted(claims, key=lambda c: c.kind != "never"))
    by_clue: dict[str, set[int]] = {}
    for i, claim in enumerate(ordered):
        for clue in claim.clues or ():
            by_clue.setdefault(clue, set()).add(i)
    always = frozenset(i for i, c in enumerate(ordered) if c.clues is None)
    return _Lookup(ordered, tuple((k, frozenset(v)) for k, v in by_clue.items()), always)


def claims_in(sentence: Sentence, claims: tuple[Claim, ...]) -> list[tuple[Claim, str]]:
    """The claims a sentence makes, with the words that make each."""
    return _claims_in(sentence, _lookup(claims))


def _claims_in(sentence: Sentence, lookup: _Lookup) -> list[tuple[Claim, str]]:
    if sentence.text.rstrip().endswith("?"):
        return []
    found = []
    taken: list[tuple[int, int]] = []  # a "never" match is not also reported as "cited"
    for claim in lookup.possible(sentence.text):
        for match in claim.pattern.finditer(sentence.text):
            if claim.negatable and negated(sentence.text, match.start()):
                continue
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            taken.append(match.span())
            found.append((claim, match.group(0)))
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


def _message(claim: Claim, words: str, cited: bool) -> str | None:
    """What to tell the editor of a claim, or None when its citation supports it."""
    why = f" ({claim.why})" if claim.why else ""
    instead = f": {claim.instead}" if claim.instead else ""
    if claim.kind == "never":
        return f"'{words}' is a claim the clinic may not make{why}; remove it{instead}"
    if cited:
        return None
    return (
        f"'{words}' is a claim that needs a source{why}: cite one in this "
        f"sentence as [@id], or soften it{instead}"
    )


def check_claims(page: Page, settings: CheckSettings) -> list[Finding]:
    """Forbidden claims anywhere; claims that need a source without one in their sentence."""
    claims = load_claims(settings.claims)
    listed = {s.id for s in page.treatment.sources} if page.treatment is not None else set[str]()
    # Front matter cannot cite: there, only the claims the clinic may never make are looked for.
    never, every = _lookup(_never(claims)), _lookup(claims)
    texts = [(text, never, 40) for text in front_matter_texts(page)]
    texts += [(sentence, every, 8) for section in page.sections for sentence in section.sentences]
    findings: list[Finding] = []
    for text, looked_for, within in texts:
        for claim, words in _claims_in(text, looked_for):
            message = _message(claim, words, any(sid in listed for sid in text.citations))
            if message is None:
                continue
            line, column = page.locate(claim.pattern, text.line, within)
            findings.append(
                Finding(
                    page.path,
                    line,
                    claim.rule,
                    message,
                    settings.level(claim.rule, claim.severity),
                    column,
                )
            )
    return findings
