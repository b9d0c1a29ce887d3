"""The site's glossary: docs/glossary.yml, each term with a plain definition."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from careleaf.findings import Finding
from careleaf.front_matter import YAMLLimit, compose_yaml
from careleaf.model import slugify

GLOSSARY_FILE = "glossary.yml"


@dataclass(frozen=True)
class Term:
    term: str
    definition: str
    line: int

    @property
    def anchor(self) -> str:
        return slugify(self.term)


@dataclass
class Glossary:
    """The terms a site defines for its readers, in alphabetical order."""

    terms: list[Term] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    path: str = ""
    # Made on first use from the terms (again if terms are added later).
    _pattern: tuple[int, re.Pattern[str]] | None = field(default=None, repr=False, compare=False)
    _names: tuple[int, frozenset[str]] | None = field(default=None, repr=False, compare=False)

    def __bool__(self) -> bool:
        return bool(self.terms)

    @property
    def words(self) -> list[str]:
        return [t.term for t in self.terms]

    def defines(self, word: str) -> bool:
        """Whether the glossary defines this word or phrase (any case, or its plural)."""
        w = word.lower()
        if self._names is None or self._names[0] != len(self.terms):
            self._names = (len(self.terms), frozenset(t.term.lower() for t in self.terms))
        names = self._names[1]
        return w in names or w.rstrip("s") in names or w.removesuffix("es") in names

    def used_in(self, text: str) -> dict[str, Term]:
        """The forms of each term used in a text, as written there ('Cold sores' -> its Term)."""
        if not self.terms:
            return {}
        # One pass over the text for all terms; each term is a named group, so the group
        # that matched names the term.
        if self._pattern is None or self._pattern[0] != len(self.terms):
            longest_first = sorted(enumerate(self.terms), key=lambda it: -len(it[1].term))
            alternatives = "|".join(f"(?P<t{i}>{re.escape(t.term)})" for i, t in longest_first)
            # A term's first letters, looked at first: half the time of trying every term at
            # every word (4 ms instead of 9 ms for a treatment page).
            firsts = re.escape("".join(sorted({t.term[0] for t in self.terms})))
            pattern = re.compile(
                rf"(?<![\w-])(?=[{firsts}])(?:{alternatives})(?:e?s)?(?![\w-])", re.IGNORECASE
            )
            self._pattern = (len(self.terms), pattern)
        found: dict[str, Term] = {}
        for match in self._pattern[1].finditer(text):
            found.setdefault(match.group(0), self.terms[int(str(match.lastgroup)[1:])])
        return found


def load_glossary(path: Path, shown: str) -> Glossary:
    """Read a glossary file; a missing file is an empty glossary, a malformed one a finding."""
    glossary = Glossary(path=shown)
    if not path.is_file():
        return glossary

    def error(line: int, rule: str, message: str) -> None:
        glossary.findings.append(Finding(shown, line, rule, message))

    try:
        root = compose_yaml(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        error(1, "file-encoding", f"save the file as UTF-8 ({exc.reason})")
        return glossary
    except OSError as exc:
        error(1, "file-unreadable", f"the file cannot be read ({exc.strerror}): fix or remove it")
        return glossary
    except YAMLLimit as exc:
        mark = exc.problem_mark
        error(mark.line + 1 if mark else 1, "glossary-limit", f"the glossary {exc.problem}")
        return glossary
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or "it cannot be read"
        error(
            mark.line + 1 if mark else 1,
            "glossary-syntax",
            f"the glossary is not valid YAML ({problem}): write one 'Term: definition' a line, "
            "and put a definition with ': ' in quotes",
        )
        return glossary
    if root is None:
        return glossary
    if not isinstance(root, yaml.MappingNode):
        error(1, "glossary-syntax", "the glossary must be 'Term: definition' lines")
        return glossary
    seen: dict[str, int] = {}
    for key, value in root.value:
        line = key.start_mark.line + 1
        term = str(key.value).strip()
        if not isinstance(key, yaml.ScalarNode) or not term:
            error(line, "glossary-entry", "each entry must be 'Term: definition'")
            continue
        if term.lower() in seen:
            error(
                line,
                "glossary-duplicate",
                f"'{term}' is already defined on line {seen[term.lower()]}: keep one",
            )
            continue
        if not isinstance(value, yaml.ScalarNode) or not str(value.value).strip():
            error(line, "glossary-entry", f"'{term}' needs a plain definition after 'Term: '")
            continue
        seen[term.lower()] = line
        glossary.terms.append(Term(term, " ".join(str(value.value).split()), line))
    glossary.terms.sort(key=lambda t: t.term.lower())
    return glossary


def abbreviations(markdown: str, glossary: Glossary, page_subject: str = "") -> str:
    """`*[Term]: definition` lines for the glossary terms a page uses, for tooltips.

    The page's own subject (a treatment's title) is left out: the page itself explains it.
    """
    lines = []
    for form, term in sorted(glossary.used_in(markdown).items()):
        if term.term.lower() == page_subject.lower():
            continue
        definition = term.definition.replace("\n", " ")
        lines.append(f"*[{form}]: {definition}")
    return "\n".join(lines)
