"""A treatment's front matter: its JSON Schema and what is wrong with the fields an editor wrote.

The fields and their rules live here and nowhere else: the JSON Schema for editors' tools
(`careleaf schema`) is `FRONT_MATTER_SCHEMA`, and the findings name each field's line.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from careleaf.findings import Finding
from careleaf.front_matter import key_node_at
from careleaf.reader import Reading, read_markdown

# The facts careleaf knows, in the order the at-a-glance box and the comparison show them;
# a fact with another name is shown too, after these, labelled from its name.
FACT_LABELS = {
    "depth": "How deep it works",
    "helps": "What it can help",
    "evidence": "How strong the evidence is",
    "session_length": "Session length",
    "sessions": "Sessions needed",
    "downtime": "Downtime",
    "discomfort": "Discomfort",
    "results": "Results",
    "main_risks": "Main risks",
    "avoid_if": "Who should avoid it",
    "skin_of_colour": "Darker skin",
    "cost": "Cost",
}

_DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}

# The lists a handout may shorten, in the order it prints them: a section's key, or the
# handout's own "When to call us". A section without its list is printed in full.
HANDOUT_LISTS = {
    "who_should_avoid": "Who should avoid it",
    "what_to_expect": "What to expect",
    "aftercare": "Aftercare",
    "when_to_call": "When to call us",
}

FRONT_MATTER_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://careleaf.example/schema/treatment.schema.json",
    "title": "careleaf treatment front matter",
    "description": "The YAML front matter of a careleaf treatment file (docs/treatments/<slug>.md).",
    "type": "object",
    "required": ["title", "summary", "review", "sources"],
    "additionalProperties": False,
    "properties": {
        "title": {"type": "string", "minLength": 1, "description": "The treatment's name."},
        "summary": {
            "type": "string",
            "minLength": 1,
            "description": "One plain sentence: the page's lead and its meta description.",
        },
        "category": {
            "type": "string",
            "description": "A group of treatments, e.g. Skin resurfacing.",
        },
        "keywords": {
            "type": "array",
            "items": {"type": "string", "minLength": 1},
            "description": "Words patients search for, in their own words.",
        },
        "facts": {
            "type": "object",
            "additionalProperties": {"type": ["string", "number"]},
            "description": "Short facts for the at-a-glance box and the comparison: "
            + ", ".join(FACT_LABELS),
        },
        "review": {
            "type": "object",
            "required": ["reviewer", "reviewed", "next_review"],
            "additionalProperties": False,
            "properties": {
                "reviewer": {
                    "type": "string",
                    "minLength": 1,
                    "description": "The reviewer's role, e.g. Clinic dermatologist.",
                },
                "reviewed": {
                    **_DATE,
                    "description": "When the page was last reviewed (YYYY-MM-DD).",
                },
                "next_review": {
                    **_DATE,
                    "description": "When the next review is due (YYYY-MM-DD).",
                },
            },
        },
        "sources": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["id", "title"],
                "additionalProperties": False,
                "properties": {
                    "id": {
                        "type": "string",
                        "pattern": "^[a-z0-9][a-z0-9-]*$",
                        "description": "Short id cited in the text as [@id].",
                    },
                    "title": {"type": "string", "minLength": 1},
                    "url": {
                        "type": "string",
                        "format": "uri",
                        "pattern": "^https?://",
                        "description": "Where a reader finds it; a printed source may leave it out.",
                    },
                    "further_reading": {
                        "type": "boolean",
                        "description": "Listed for further reading, not cited in the text.",
                    },
                },
            },
        },
        "related": {
            "type": "array",
            "items": {"type": "string"},
            "uniqueItems": True,
            "description": "Slugs of related treatments.",
        },
        "suits": {
            "type": "array",
            "items": {"type": "string", "minLength": 1},
            "description": "Who or what the treatment may suit, each a short plain phrase "
            "(e.g. 'Dull, uneven skin'), for the 'Which might suit me?' guide.",
        },
        "not_for": {
            "type": "array",
            "items": {"type": "string", "minLength": 1},
            "description": "Who it is not for, each a short plain phrase (e.g. 'Active acne'), "
            "for the 'Which might suit me?' guide.",
        },
        "handout": {
            "type": "object",
            "additionalProperties": False,
            "description": "The printed handout's short points, each a plain sentence or two "
            "that says what the page says, with its citations: printed instead of the full "
            "section, so the handout fits one sheet. A list left out prints the section.",
            "properties": {
                key: {
                    "type": "array",
                    "minItems": 1,
                    "items": {"type": "string", "pattern": "\\S"},
                    "description": f"'{title}' on the handout, point by point.",
                }
                for key, title in HANDOUT_LISTS.items()
            },
        },
        "moved_from": {
            "type": "array",
            "items": {"type": "string", "pattern": "^(/[^#\\s]*|[a-z0-9][a-z0-9-]*)$"},
            "uniqueItems": True,
            "description": "Where this treatment was published before: its old file name "
            "(e.g. microderm, for treatments/microderm.md) or an old address of the site "
            "(e.g. /skin/polishing/). The old addresses forward here.",
        },
        "moved_answers": {
            "type": "object",
            "propertyNames": {"pattern": "^[A-Za-z0-9_-]+$"},
            "additionalProperties": {"type": "string", "pattern": "^[A-Za-z0-9_-]+$"},
            "description": "Answers and sections given a new id: old-id: new-id. Links "
            "to the old id open the new one.",
        },
        "checks": {
            "type": "object",
            "description": "Per-page exceptions to careleaf's content rules.",
            "properties": {
                "ignore": {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": "Rule ids turned off on this page, e.g. [plain-word].",
                },
            },
            "additionalProperties": False,
        },
    },
}

_VALIDATOR = Draft202012Validator(FRONT_MATTER_SCHEMA)


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    url: str
    further_reading: bool
    line: int


@dataclass(frozen=True)
class Review:
    """Who reviewed the page, when, and when it is next due; each date with its line."""

    reviewer: str
    reviewed: dt.date
    next_review: dt.date
    line: int
    reviewed_line: int = 0
    next_review_line: int = 0


@dataclass(frozen=True)
class HandoutPoint:
    """One point of a handout's list: Markdown on one line, the line it is written on, and
    the point as read once (its citations, links, blocks and prose)."""

    markdown: str
    line: int
    reading: Reading = field(compare=False, repr=False)


@dataclass(frozen=True)
class HandoutList:
    """A list of the handout: its key (a section's, or `when_to_call`), title and points."""

    key: str
    title: str
    line: int
    points: tuple[HandoutPoint, ...]
    anchor: str = ""  # its heading's id on the handout: the section's, or `when-to-call`


@dataclass(frozen=True)
class Fact:
    key: str
    label: str
    value: str


class Findings:
    """The findings met while reading one file, collected as they are met."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.found: list[Finding] = []

    def error(self, line: int, rule: str, message: str, column: int = 1) -> None:
        self.found.append(Finding(self.path, line, rule, message, "error", column))

    def warn(self, line: int, rule: str, message: str, column: int = 1) -> None:
        self.found.append(Finding(self.path, line, rule, message, "warning", column))


# What YAML reads a bare name as, when not as text: `5:`, `~:`, `yes:` are not names.
_NOT_TEXT = {
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:bool": "yes or no (true or false)",
    "tag:yaml.org,2002:null": "nothing (~ or null)",
}


def _key_findings(p: Findings, node: yaml.Node, first_line: int) -> None:
    """Names given twice, and names YAML does not read as text, at every depth."""
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if key.tag in _NOT_TEXT or not isinstance(key, yaml.ScalarNode):
                kind = _NOT_TEXT.get(key.tag, "a list or a mapping")
                p.error(
                    key.start_mark.line + first_line,
                    "field-type",
                    f"a name here is read as {kind}, not as a name: write a name in words "
                    "(such as session_length), or in quotes",
                )
            elif key.value in seen:
                p.error(
                    key.start_mark.line + first_line,
                    "field-duplicate",
                    f"'{key.value}' is given twice: keep one",
                )
            else:
                seen.add(key.value)
            _key_findings(p, value, first_line)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _key_findings(p, item, first_line)


def _named_in_text(data: Any) -> Any:
    """The data without the entries whose name is not text (each is a finding already)."""
    if isinstance(data, dict):
        return {k: _named_in_text(v) for k, v in data.items() if isinstance(k, str)}
    if isinstance(data, list):
        return [_named_in_text(v) for v in data]
    return data


def _describe(path: list[Any]) -> str:
    out = ""
    for step in path:
        out += f"[{step + 1}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out or "front matter"


def _schema_findings(p: Findings, data: Any, root: yaml.Node, first_line: int) -> None:
    required_seen: set[tuple[Any, ...]] = set()
    for err in sorted(_VALIDATOR.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        path = list(err.absolute_path)
        where = _describe(path)
        line = key_node_at(root, path).start_mark.line + first_line if path else first_line - 1
        if err.validator == "required":
            # One error per missing name, none of which says which: the names come from the
            # data, each reported once.
            if tuple(path) in required_seen:
                continue
            required_seen.add(tuple(path))
            for name in (n for n in err.validator_value if n not in (err.instance or {})):
                prop = err.schema.get("properties", {}).get(name, {})
                hint = f" ({prop['description']})" if prop.get("description") else ""
                p.error(line, "field-missing", f"{where} has no '{name}': add it{hint}")
        elif err.validator == "additionalProperties":
            allowed = list(err.schema.get("properties", {}))
            # The names from the data itself, not from the message's text: a name with a
            # quote or a bracket in it (`don't:`, `note (internal):`) is still named.
            unknown = (
                [k for k in err.instance if k not in allowed]
                if isinstance(err.instance, dict)
                else []
            )
            for name in unknown:
                unknown_line = key_node_at(root, [*path, name]).start_mark.line + first_line
                close = difflib.get_close_matches(name, allowed, n=1)
                hint = f'did you mean "{close[0]}"?' if close else "allowed: " + ", ".join(allowed)
                p.error(unknown_line, "field-unknown", f"unknown field '{name}' in {where}: {hint}")
        elif (
            isinstance(err.instance, str)
            and not err.instance.strip()
            and err.validator in ("pattern", "format", "minLength")
        ):
            p.error(line, "field-empty", f"{where} is empty: fill it in")
        elif err.schema.get("format") == "date" and err.validator in ("pattern", "format", "type"):
            p.error(
                line,
                "date-invalid",
                f"{where} must be a date written YYYY-MM-DD, not '{err.instance}'",
            )
        elif err.validator == "pattern" and path and path[-1] == "url":
            p.error(line, "field-invalid", f"{where} must be a web address starting https://")
        elif err.validator == "pattern" and path and str(path[0]).startswith("moved_"):
            p.error(
                line,
                "field-invalid",
                f"{where} '{err.instance}' is not an id or an old address: write an answer's "
                "id (letters, digits, '-' and '_'), or in moved_from an old file name "
                "(lower-case letters, digits and '-') or a path of the site starting with '/'",
            )
        elif err.validator == "pattern":
            p.error(
                line,
                "field-invalid",
                f"{where} '{err.instance}' may use only lower-case letters, digits and '-'",
            )
        elif err.validator == "type":
            kind = {"string": "text", "array": "a list", "object": "a set of 'name: value' lines"}
            expected = err.validator_value
            wanted = kind.get(expected, str(expected)) if isinstance(expected, str) else "text"
            p.error(line, "field-type", f"{where} should be {wanted}")
        elif err.validator == "uniqueItems":
            p.error(line, "field-duplicate", f"{where} lists the same entry twice: keep one")
        elif err.validator == "minItems":
            p.error(line, "field-empty", f"{where} is empty: fill it in")
        else:
            p.error(line, "field-invalid", f"{where}: {err.message}")


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _review(p: Findings, data: dict[str, Any], line_of: Any) -> Review | None:
    raw = data.get("review")
    if not isinstance(raw, dict):
        return None
    reviewed, next_review = _date(raw.get("reviewed")), _date(raw.get("next_review"))
    for key, value in (("reviewed", reviewed), ("next_review", next_review)):
        text = raw.get(key)
        if value is None and isinstance(text, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            p.error(
                line_of(["review", key]),
                "date-invalid",
                f"review.{key} '{text}' is not a real date",
            )
    if reviewed is None or next_review is None or not isinstance(raw.get("reviewer"), str):
        return None
    if next_review <= reviewed:
        p.error(
            line_of(["review", "next_review"]),
            "review-dates-order",
            f"review.next_review ({next_review}) must come after review.reviewed ({reviewed})",
        )
    return Review(
        raw["reviewer"],
        reviewed,
        next_review,
        line_of(["review"]),
        line_of(["review", "reviewed"]),
        line_of(["review", "next_review"]),
    )


def _sources(p: Findings, data: dict[str, Any], line_of: Any) -> list[Source]:
    sources: list[Source] = []
    seen: set[str] = set()
    listed = data.get("sources")
    for i, raw in enumerate(listed if isinstance(listed, list) else []):
        if not isinstance(raw, dict) or not all(
            isinstance(raw.get(k), str) for k in ("id", "title")
        ):
            continue
        if not raw["id"]:
            continue  # an id left to fill (a new draft's): reported as empty
        line = line_of(["sources", i])
        if raw["id"] in seen:
            p.error(
                line,
                "source-duplicate-id",
                f"source id '{raw['id']}' is listed twice: give each its own id",
            )
            continue
        seen.add(raw["id"])
        further = raw.get("further_reading") is True
        url = raw["url"] if isinstance(raw.get("url"), str) else ""
        sources.append(Source(raw["id"], raw["title"], url, further, line))
    return sources


def _facts(data: dict[str, Any]) -> list[Fact]:
    facts = data.get("facts")
    if not isinstance(facts, dict):
        return []
    return [
        Fact(key, FACT_LABELS.get(key, key.replace("_", " ").capitalize()), str(value))
        for key, value in facts.items()
        if isinstance(value, (str, int, float))
    ]


def _handout(data: dict[str, Any], root: yaml.Node) -> dict[str, HandoutList]:
    """The handout's lists, in the order it prints them, each point at its own line: the
    line its text starts on (after `|` or `>`, the next)."""

    def line_of(path: list[Any]) -> int:
        node = key_node_at(root, path)
        block = isinstance(node, yaml.ScalarNode) and node.style in ("|", ">")
        return int(node.start_mark.line + 2 + block)

    raw = data.get("handout")
    if not isinstance(raw, dict):
        return {}
    found = {}
    for key, title in HANDOUT_LISTS.items():
        points = raw.get(key)
        if not isinstance(points, list):
            continue
        found[key] = HandoutList(
            key,
            title,
            line_of(["handout", key]),
            tuple(
                _point(text, line_of(["handout", key, i]))
                for i, text in enumerate(points)
                if isinstance(text, str) and text.strip()
            ),
        )
    return found


def _point(text: str, line: int) -> HandoutPoint:
    # A point is one list item: lines YAML kept apart (`|`) are joined.
    markdown = " ".join(text.split())
    return HandoutPoint(markdown, line, read_markdown(markdown, first_line=line))


def _text_list(data: dict[str, Any], key: str) -> list[str]:
    value = data.get(key)
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


@dataclass
class Fields:
    """What a treatment's front matter holds, read and checked."""

    title: str
    summary: str
    category: str
    keywords: list[str]
    facts: list[Fact]
    review: Review | None
    sources: list[Source]
    related: list[str]
    suits: list[str]
    not_for: list[str]
    handout: dict[str, HandoutList]
    lines: dict[str, int]  # the line of each top-level field
    data: dict[str, Any]  # the front matter, without names that are not text


def read_fields(p: Findings, root: yaml.Node, data: dict[str, Any], slug: str) -> Fields:
    """The fields of a treatment's front matter; what is wrong with them goes to `p`."""

    def line_of(path_: list[Any]) -> int:
        return int(key_node_at(root, path_).start_mark.line + 2)

    _key_findings(p, root, 2)
    data = _named_in_text(data)
    _schema_findings(p, data, root, 2)
    return Fields(
        title=data["title"] if isinstance(data.get("title"), str) else slug,
        summary=data["summary"] if isinstance(data.get("summary"), str) else "",
        category=data["category"] if isinstance(data.get("category"), str) else "",
        keywords=_text_list(data, "keywords"),
        facts=_facts(data),
        review=_review(p, data, line_of),
        sources=_sources(p, data, line_of),
        related=_text_list(data, "related"),
        suits=_text_list(data, "suits"),
        not_for=_text_list(data, "not_for"),
        handout=_handout(data, root),
        lines=(
            {key.value: key.start_mark.line + 2 for key, _ in root.value}
            if isinstance(root, yaml.MappingNode)
            else {}
        ),
        data=data,
    )
