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

from careleaf.checks.pages import Page
from careleaf.checks.prose import Sentence
from careleaf.checks.settings import CheckSettings, SettingsError
from careleaf.checks.wordlists import CLAIMS, load_claim_lists
from careleaf.findings import Finding, Severity


@dataclass(frozen=True)
class Claim:
    kind: str  # "never" or "cited"
    pattern: re.Pattern[str]
    why: str
    instead: str
    negatable: bool
    severity: Severity | None

    @property
    def rule(self) -> str:
        return "claim-forbidden" if self.kind == "never" else "claim-uncited"


_NEGATION = re.compile(
    r"\b(not|no|never|nor|neither|none|cannot|rarely|seldom|hardly|unlikely|little|few)\b"
    r"|n['’]t\b",
    re.IGNORECASE,
)
_NOT_NEGATION = re.compile(r"\bnot (only|just|merely)\b", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(
    r"[,;:()\u2013\u2014]|\s-\s|\bbut\b|\bhowever\b|\bwhile\b", re.IGNORECASE
)


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
                    )
                )
    return tuple(claims)


# A reference to a group by its number or name: joined with other patterns, it would point
# elsewhere, so lists that use one are not joined.
_GROUP_REFERENCE = re.compile(r"\\[1-9]|\(\?P=|\(\?\(")


@lru_cache(maxsize=64)
def any_of(claims: tuple[Claim, ...]) -> re.Pattern[str] | None:
    """One pattern that matches wherever one of the claims does: a sentence it does not match
    makes none of them, and is read once instead of once for each claim. None when the claims'
    patterns cannot be joined (a reference to a group, a repeated group name)."""
    sources = [c.pattern.pattern for c in claims]
    if not sources or any(_GROUP_REFERENCE.search(s) for s in sources):
        return None
    try:
        return re.compile("|".join(f"(?:{s})" for s in sources), re.IGNORECASE)
    except re.error:
        return None


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


def claims_in(sentence: Sentence, claims: tuple[Claim, ...]) -> list[tuple[Claim, str]]:
    """The claims a sentence makes, with the words that make each."""
    if sentence.text.rstrip().endswith("?"):
        return []
    found = []
    taken: list[tuple[int, int]] = []  # a "never" match is not also reported as "cited"
    for claim in sorted(claims, key=lambda c: c.kind != "never"):
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
    never = _never(claims)
    any_never, any_claim = any_of(never), any_of(claims)
    texts = [(text, never, any_never, 40) for text in front_matter_texts(page)]
    texts += [
        (sentence, claims, any_claim, 8)
        for section in page.sections
        for sentence in section.sentences
    ]
    findings: list[Finding] = []
    for text, looked_for, joined, within in texts:
        if joined is not None and joined.search(text.text) is None:
            continue
        for claim, words in claims_in(text, looked_for):
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
