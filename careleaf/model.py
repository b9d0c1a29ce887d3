"""The treatment content model: one Markdown file per treatment, parsed with line numbers.

Front matter fields, the sections and their order live here and nowhere else: the JSON
Schema for editors' tools (`careleaf schema`) is generated from `FRONT_MATTER_SCHEMA`.
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

# --- sections -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SectionSpec:
    """A section a treatment page can have, in the order pages show them."""

    key: str
    title: str
    anchor: str
    required: bool
    aliases: tuple[str, ...] = ()


SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec("what_it_is", "What it is", "what-it-is", True, ("What is it", "Overview")),
    SectionSpec("benefits", "Benefits", "benefits", True, ("What it can do", "What it helps")),
    SectionSpec("how_it_works", "How it works", "how-it-works", True, ("How does it work",)),
    SectionSpec(
        "what_to_expect",
        "What to expect",
        "what-to-expect",
        False,
        ("What happens", "On the day", "During the treatment"),
    ),
    SectionSpec(
        "who_should_avoid",
        "Who should avoid it",
        "who-should-avoid-it",
        True,
        ("Who should not have it", "Who it is not for", "Contraindications"),
    ),
    SectionSpec(
        "risks",
        "Risks and side effects",
        "risks-and-side-effects",
        True,
        ("Risks", "Side effects", "Side effects and risks"),
    ),
    SectionSpec("aftercare", "Aftercare", "aftercare", False, ("After your treatment",)),
    SectionSpec(
        "questions_to_ask",
        "Questions to ask",
        "questions-to-ask",
        False,
        ("Questions to ask us", "Questions to ask your clinic"),
    ),
    SectionSpec("faq", "FAQ", "faq", True, ("FAQs", "Frequently asked questions")),
)

SECTIONS_BY_KEY = {spec.key: spec for spec in SECTIONS}

# Anchors the treatment page template uses itself; an FAQ answer may not take one of them.
PAGE_ANCHORS = frozenset(
    {spec.anchor for spec in SECTIONS} | {"at-a-glance", "sources", "review", "related", "contact"}
)

FACT_LABELS = {
    "session_length": "Session length",
    "sessions": "Sessions needed",
    "downtime": "Downtime",
    "discomfort": "Discomfort",
    "results": "Results",
    "cost": "Cost",
}

# --- front matter -------------------------------------------------------------------------

_DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}

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


class _FrontMatterLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe YAML (libyaml's where installed) that keeps dates as text, so a wrong date is
    reported, not mangled."""


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

# --- the model ----------------------------------------------------------------------------


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
class Fact:
    key: str
    label: str
    value: str


@dataclass(frozen=True)
class Section:
    """One H2 section; `markdown` starts at file line `body_line`."""

    key: str
    title: str
    anchor: str
    heading: str
    line: int
    body_line: int
    markdown: str


@dataclass(frozen=True)
class Faq:
    """One question of the FAQ section with its answer; the answer starts at `body_line`."""

    id: str
    question: str
    line: int
    body_line: int
    markdown: str


@dataclass(frozen=True)
class Citation:
    source_id: str
    line: int
    column: int


@dataclass
class Treatment:
    """A treatment as an editor wrote it: parsed, validated, with line numbers."""

    slug: str
    path: str
    title: str
    summary: str
    category: str
    keywords: list[str]
    facts: list[Fact]
    review: Review | None
    sources: list[Source]
    related: list[str]
    sections: dict[str, Section]
    faqs: list[Faq]
    citations: list[Citation]
    meta: dict[str, Any] = field(default_factory=dict)
    field_lines: dict[str, int] = field(default_factory=dict)
    # The file as the editor wrote it, and the line its body (after front matter) starts on.
    text: str = ""
    body_start: int = 1

    def section(self, key: str) -> Section | None:
        return self.sections.get(key)

    @property
    def ordered_sections(self) -> list[Section]:
        """The sections in the order every page shows them."""
        return [self.sections[s.key] for s in SECTIONS if s.key in self.sections]

    def fact(self, key: str) -> Fact | None:
        return next((f for f in self.facts if f.key == key), None)

    def source(self, source_id: str) -> Source | None:
        return next((s for s in self.sources if s.id == source_id), None)

    @property
    def cited_sources(self) -> list[Source]:
        """Listed sources in the order the text first cites them, then the rest."""
        order: list[str] = []
        for c in self.citations:
            if c.source_id not in order:
                order.append(c.source_id)
        rank = {sid: i for i, sid in enumerate(order)}
        return sorted(self.sources, key=lambda s: rank.get(s.id, len(rank)))

    def value_line(self, field: str, value: str) -> int:
        """The front matter line where `value` is written under `field` (a list item on a line
        of its own, or in `[a, b]`), else the field's line."""
        start = self.field_lines.get(field, 1)
        lines = self.text.splitlines()[start - 1 : self.body_start - 2]
        word = re.compile(rf"(?<![\w-]){re.escape(value)}(?![\w-])")
        for i, line in enumerate(lines):
            if i and line[:1] not in ("", " ", "\t", "-"):
                break  # the next field
            if word.search(line):
                return start + i
        return start

    @property
    def ignored_rules(self) -> frozenset[str]:
        checks = self.meta.get("checks")
        ignore = checks.get("ignore") if isinstance(checks, dict) else None
        return (
            frozenset(r for r in ignore if isinstance(r, str))
            if isinstance(ignore, list)
            else frozenset()
        )


# --- parsing ------------------------------------------------------------------------------

_SETEXT = re.compile(r"^[ \t]{0,3}(=+|-{2,})[ \t]*$")
HEADING = re.compile(r"^[ \t]{0,3}(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$")
# An explicit id at the end of a heading: `{#id}`, `{ #id .class }` or `{: #id }`.
HEADING_ID = re.compile(r"[ \t]*\{:?[ \t]*#([A-Za-z0-9_:.-]+)[^}]*\}[ \t]*$")
# A fence opens fenced code only at the start of a line, as Python-Markdown's fenced_code
# reads it: an indented "fence" is text on the page, so the rules must read what it holds.
_FENCE = re.compile(r"^(`{3,}|~{3,})")
# A heading written without the space after its '#' marks: Python-Markdown still makes it one.
_TIGHT_HEADING = re.compile(r"^(#{1,6})([^#\s].*)$")
# Characters that some programs (Word, pasted web text) take as a line break and editors do
# not: read as spaces, so every line number is the line the editor sees.
_INVISIBLE_BREAKS = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# An attribute list at the end of a heading, and what may be in it: one `#id`, `.class`es and
# `key=value`s. Anything else (a space in the id) makes Python-Markdown take another id.
_ATTR_LIST = re.compile(r"\{:?([^}]*)\}[ \t]*$")
_ATTR_TOKEN = re.compile(r"#[A-Za-z0-9_:.-]+|\.[A-Za-z0-9_-]+|[A-Za-z_][\w-]*=\S+")
# A citation's opening that CITATION does not match as a whole: `[@]`, `[ @id ]`, `[@id, p. 4]`.
_CITATION_START = re.compile(r"(?<!\\)\[[ \t]*@")
_INLINE_CODE_SPAN = re.compile(r"(`+).+?\1")


def blank_inline_code(line: str) -> str:
    """A line with its `inline code` turned to spaces, so columns stay where they were."""
    return _INLINE_CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)


def plain_breaks(text: str) -> str:
    """The text with invisible line-break characters read as spaces."""
    return _INVISIBLE_BREAKS.sub(" ", text)


CITATION = re.compile(r"\[(@[A-Za-z0-9_-]+(?:[ \t]*[;,][ \t]*@[A-Za-z0-9_-]+)*)\]")


def in_code(lines: list[str]) -> list[bool]:
    """For each line, whether it belongs to fenced code (the fences included).

    As Python-Markdown reads fences: a fence that is never closed opens nothing (its lines
    are text on the page), and a fence closes only with the very same fence."""
    out: list[bool] = []
    fence: str | None = None
    opened = 0
    for i, line in enumerate(lines):
        match = _FENCE.match(line)
        if fence is None and match:
            fence, opened = match.group(1), i
            out.append(True)
        elif fence is not None:
            if line.rstrip(" ") == fence:
                fence = None
            out.append(True)
        else:
            out.append(False)
    if fence is not None:  # never closed: text from the fence on
        return out[:opened] + [False] + in_code(lines[opened + 1 :])
    return out


def slugify(text: str) -> str:
    """An anchor id from text, as Python-Markdown's toc makes it."""
    text = re.sub(r"[^\w\s-]", "", text.lower())
    return re.sub(r"[\s_-]+", "-", text).strip("-")


def _normal(name: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", name.lower()).split())


_SECTION_NAMES = {_normal(name): spec for spec in SECTIONS for name in (spec.title, *spec.aliases)}


def find_section(heading: str) -> SectionSpec | None:
    """The section a heading names, by its canonical name or an alias."""
    return _SECTION_NAMES.get(_normal(heading))


def _nearest_section(heading: str) -> str:
    titles = [spec.title for spec in SECTIONS]
    close = difflib.get_close_matches(heading, titles, n=1, cutoff=0.4)
    if not close:
        lowered = {t.lower(): t for t in titles}
        close = [
            lowered[m] for m in difflib.get_close_matches(heading.lower(), lowered, n=1, cutoff=0.4)
        ]
    if close:
        return f'did you mean "{close[0]}"?'
    return "use one of: " + ", ".join(titles)


class _Parse:
    """The state of parsing one file: findings collected as they are met."""

    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.path = path
        self.findings: list[Finding] = []

    def error(self, line: int, rule: str, message: str, column: int = 1) -> None:
        self.findings.append(Finding(self.path, line, rule, message, "error", column))

    def warn(self, line: int, rule: str, message: str, column: int = 1) -> None:
        self.findings.append(Finding(self.path, line, rule, message, "warning", column))


def _split_front_matter(p: _Parse) -> tuple[str, int] | None:
    """The front matter text and the file line its body starts at."""
    lines = p.text.splitlines()
    if not lines or lines[0].strip() != "---":
        p.error(
            1,
            "front-matter-missing",
            "the file must start with front matter between two '---' lines",
        )
        return None
    for i, line in enumerate(lines[1:], start=1):
        if line.strip() in ("---", "..."):
            return "\n".join(lines[1:i]), i + 2
    p.error(
        1, "front-matter-unclosed", "the front matter has no closing '---' line: add one after it"
    )
    return None


def _load_yaml(text: str) -> tuple[yaml.Node | None, Any]:
    """The YAML's node tree (with lines) and its data, from one parse."""
    loader = _FrontMatterLoader(text)
    try:
        root = loader.get_single_node()
        return root, (loader.construct_document(root) if root is not None else None)
    finally:
        loader.dispose()


def _node_at(root: yaml.Node, path: list[Any]) -> yaml.Node:
    """The deepest YAML node along a path of keys and indexes."""
    node = root
    for step in path:
        if isinstance(node, yaml.MappingNode):
            found = next((v for k, v in node.value if k.value == step), None)
            if found is None:
                return node
            node = found
        elif (
            isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value)
        ):
            node = node.value[step]
        else:
            return node
    return node


def _key_node_at(root: yaml.Node, path: list[Any]) -> yaml.Node:
    """The key node for a mapping entry (its line is where the editor wrote the key)."""
    if not path:
        return root
    parent = _node_at(root, path[:-1])
    if isinstance(parent, yaml.MappingNode):
        for k, _ in parent.value:
            if k.value == path[-1]:
                return k
    return _node_at(root, path)


def _duplicate_keys(p: _Parse, node: yaml.Node, first_line: int) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if key.value in seen:
                p.error(
                    key.start_mark.line + first_line,
                    "field-duplicate",
                    f"'{key.value}' is given twice: keep one",
                )
            seen.add(key.value)
            _duplicate_keys(p, value, first_line)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _duplicate_keys(p, item, first_line)


def _describe(path: list[Any]) -> str:
    out = ""
    for step in path:
        out += f"[{step + 1}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out or "front matter"


def _schema_findings(p: _Parse, data: Any, root: yaml.Node, first_line: int) -> None:
    for err in sorted(_VALIDATOR.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        path = list(err.absolute_path)
        where = _describe(path)
        line = _key_node_at(root, path).start_mark.line + first_line if path else first_line - 1
        if err.validator == "required":
            name = err.message.split("'")[1]
            prop = err.schema.get("properties", {}).get(name, {})
            hint = f" ({prop['description']})" if prop.get("description") else ""
            p.error(line, "field-missing", f"{where} has no '{name}': add it{hint}")
        elif err.validator == "additionalProperties":
            allowed = list(err.schema.get("properties", {}))
            for name in re.findall(r"'([^']+)'", err.message.split("(")[-1]):
                unknown_line = _key_node_at(root, [*path, name]).start_mark.line + first_line
                close = difflib.get_close_matches(name, allowed, n=1)
                hint = f'did you mean "{close[0]}"?' if close else "allowed: " + ", ".join(allowed)
                p.error(unknown_line, "field-unknown", f"unknown field '{name}' in {where}: {hint}")
        elif err.schema.get("format") == "date" and err.validator in ("pattern", "format", "type"):
            p.error(
                line,
                "date-invalid",
                f"{where} must be a date written YYYY-MM-DD, not '{err.instance}'",
            )
        elif err.validator == "pattern" and path and path[-1] == "url":
            p.error(line, "field-invalid", f"{where} must be a web address starting https://")
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
        elif err.validator in ("minLength", "minItems"):
            p.error(line, "field-empty", f"{where} is empty: fill it in")
        else:
            p.error(line, "field-invalid", f"{where}: {err.message}")


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _review(p: _Parse, data: dict[str, Any], line_of: Any) -> Review | None:
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


def _sources(p: _Parse, data: dict[str, Any], line_of: Any) -> list[Source]:
    sources: list[Source] = []
    seen: set[str] = set()
    for i, raw in enumerate(data.get("sources") or []):
        if not isinstance(raw, dict) or not all(
            isinstance(raw.get(k), str) for k in ("id", "title")
        ):
            continue
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


def _text_list(data: dict[str, Any], key: str) -> list[str]:
    value = data.get(key)
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


@dataclass
class _Block:
    heading: str
    line: int
    lines: list[str] = field(default_factory=list)


def _body_blocks(p: _Parse, body: list[str], first_line: int) -> list[_Block]:
    """The H2 blocks of the body, each with its heading line."""
    blocks: list[_Block] = []
    # The unclosed fence and what follows it are text, as on the page: the first fence line
    # `in_code` reads as text is one that is never closed.
    code = in_code(body)
    unclosed = next((i for i, line in enumerate(body) if _FENCE.match(line) and not code[i]), None)
    if unclosed is not None:
        p.error(
            first_line + unclosed,
            "code-unclosed",
            "this code block is never closed: add a line with the same fence "
            f"('{body[unclosed].strip()[:3]}') after it, or remove this one",
        )
    for offset, line in enumerate(body):
        number = first_line + offset
        tight = None if code[offset] else _TIGHT_HEADING.match(line)
        if tight:
            p.error(
                number,
                "heading-style",
                f"put a space after the '{tight.group(1)}': write '{tight.group(1)} "
                f"{tight.group(2).strip()}'",
            )
            line = f"{tight.group(1)} {tight.group(2)}"
        heading = None if code[offset] else HEADING.match(line)
        if heading and len(heading.group(1)) == 1:
            p.error(
                number, "heading-level", "use '## ' for sections: the title comes from front matter"
            )
            continue
        if heading and len(heading.group(1)) == 2:
            blocks.append(_Block(heading.group(2), number))
            continue
        previous = body[offset - 1].strip() if offset else ""
        if (
            not code[offset]
            and _SETEXT.match(line)
            and not (offset and code[offset - 1])
            and previous
            and not HEADING.match(previous)
            and not previous.startswith(("-", "*", "+", ">", "|"))
        ):
            p.error(
                number - 1,
                "heading-style",
                f"write this heading as '## {previous}': careleaf finds sections by '## '",
            )
        if blocks:
            blocks[-1].lines.append(line)
        elif line.strip():
            p.error(
                number,
                "content-outside-section",
                "text before the first '## ' section is not shown: move it into a section",
            )
    return blocks


def _markdown(lines: list[str]) -> str:
    return "\n".join(lines).strip("\n")


def _first_text_line(lines: list[str], start: int) -> int:
    for i, line in enumerate(lines):
        if line.strip():
            return start + i
    return start


def _faqs(p: _Parse, section: _Block) -> tuple[str, list[Faq]]:
    """The FAQ section's intro and its questions (H3) with their answers."""
    intro: list[str] = []
    questions: list[_Block] = []
    code = in_code(section.lines)
    for offset, line in enumerate(section.lines):
        number = section.line + 1 + offset
        heading = None if code[offset] else HEADING.match(line)
        if heading and len(heading.group(1)) == 3:
            questions.append(_Block(heading.group(2), number))
        elif questions:
            questions[-1].lines.append(line)
        else:
            intro.append(line)
    faqs: list[Faq] = []
    seen: dict[str, int] = {}
    for q in questions:
        explicit = HEADING_ID.search(q.heading)
        question = HEADING_ID.sub("", q.heading).strip()
        faq_id = explicit.group(1) if explicit else slugify(question)
        attrs = _ATTR_LIST.search(q.heading)
        if attrs and "#" in attrs.group(1) and not _clean_attrs(attrs.group(1)):
            question = q.heading[: attrs.start()].strip()
            p.error(
                q.line,
                "faq-id-invalid",
                f"'{{{attrs.group(1).strip()}}}' is not a usable id: write it as "
                f"'{{#{slugify(attrs.group(1)) or slugify(question)}}}' (letters, digits, '-' "
                "and '_', no spaces), the id staff use in links to this answer",
            )
        elif not explicit:
            p.warn(
                q.line,
                "faq-id-missing",
                f"give this answer a fixed id, e.g. '### {question} {{#{faq_id}}}', "
                "so links to it keep working if the question is reworded",
            )
        if faq_id in seen:
            p.error(
                q.line,
                "faq-duplicate-id",
                f"id '{faq_id}' is already used on line {seen[faq_id]}: pick another",
            )
        elif faq_id in PAGE_ANCHORS:
            p.error(
                q.line,
                "faq-duplicate-id",
                f"id '{faq_id}' is used by the page itself: pick another",
            )
        seen.setdefault(faq_id, q.line)
        answer = _markdown(q.lines)
        if not shown_text(answer):
            p.error(
                q.line, "faq-empty", f"'{question}' has no answer: write one under the question"
            )
        faqs.append(Faq(faq_id, question, q.line, _first_text_line(q.lines, q.line + 1), answer))
    if not questions:
        p.error(
            section.line, "faq-empty", "the FAQ has no questions: add each as '### Question? {#id}'"
        )
    return _markdown(intro), faqs


def _clean_attrs(text: str) -> bool:
    """Whether an attribute list holds one `#id` and only `.class`es and `key=value`s."""
    tokens = text.split()
    return (
        all(_ATTR_TOKEN.fullmatch(t) for t in tokens)
        and sum(t.startswith("#") for t in tokens) == 1
    )


def shown_text(markdown: str) -> str:
    """What of some Markdown a reader sees as words: no comments, citations or blank space."""
    text = re.sub(r"<!--.*?(-->|$)", " ", markdown, flags=re.S)
    return CITATION.sub(" ", text).strip()


def _citations(p: _Parse, body: list[str], first_line: int, source_ids: set[str]) -> list[Citation]:
    citations: list[Citation] = []
    code = in_code(body)
    for offset, raw in enumerate(body):
        if code[offset]:
            continue
        line = blank_inline_code(raw)
        whole = {m.start() for m in CITATION.finditer(line)}
        for match in _CITATION_START.finditer(line):
            if match.start() not in whole:
                p.error(
                    first_line + offset,
                    "citation-malformed",
                    "a citation is written [@id], or [@id; @other] for several, with ids "
                    "from 'sources': fix it, or write \\[@ to show the text as it is",
                    match.start() + 1,
                )
        for match in CITATION.finditer(line):
            for sid in re.findall(r"@([A-Za-z0-9_-]+)", match.group(1)):
                column = match.start() + 1
                known = sid in source_ids
                reported = any(
                    c.source_id == sid and c.line == first_line + offset for c in citations
                )
                citations.append(Citation(sid, first_line + offset, column))
                if not known and not reported:
                    p.error(
                        first_line + offset,
                        "source-unknown",
                        f"[@{sid}] cites a source that is not listed: add it under 'sources' or fix the id",
                        column,
                    )
    return citations


def parse_treatment(text: str, path: str, slug: str) -> tuple[Treatment | None, list[Finding]]:
    """Parse one treatment file into a Treatment and the findings about it.

    The treatment is None only when the front matter cannot be read at all.
    """
    text = plain_breaks(text)
    p = _Parse(text, path)
    split = _split_front_matter(p)
    if split is None:
        return None, p.findings
    fm_text, body_start = split
    try:
        root, data = _load_yaml(fm_text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or "it cannot be read"
        context = getattr(exc, "context_mark", None)
        if context is not None and context.line + 2 != line:
            problem += f"; what is open there starts on line {context.line + 2}"
        p.error(
            line,
            "front-matter-syntax",
            f"the front matter is not valid YAML ({problem}): check indentation and quotes",
        )
        return None, p.findings
    if not isinstance(data, dict) or root is None:
        p.error(1, "front-matter-syntax", "the front matter must be 'name: value' lines")
        return None, p.findings

    def line_of(path_: list[Any]) -> int:
        return _key_node_at(root, path_).start_mark.line + 2

    _duplicate_keys(p, root, 2)
    _schema_findings(p, data, root, 2)
    review = _review(p, data, line_of)
    sources = _sources(p, data, line_of)

    body = text.splitlines()[body_start - 1 :]
    blocks = _body_blocks(p, body, body_start)
    sections: dict[str, Section] = {}
    faqs: list[Faq] = []
    misspelt: set[str] = set()  # sections an unknown heading already suggests
    for block in blocks:
        spec = find_section(block.heading)
        if spec is None:
            misspelt.update(
                s.key for s in SECTIONS if f'"{s.title}"' in _nearest_section(block.heading)
            )
            p.error(
                block.line,
                "section-unknown",
                f"unknown section '{block.heading}': {_nearest_section(block.heading)}",
            )
            continue
        if spec.key in sections:
            p.error(
                block.line,
                "section-duplicate",
                f"'{spec.title}' already starts on line {sections[spec.key].line}: merge them",
            )
            continue
        markdown = _markdown(block.lines)
        if spec.key == "faq":
            markdown, faqs = _faqs(p, block)
        elif not shown_text(markdown):
            p.error(
                block.line,
                "section-empty",
                f"'{spec.title}' has no text a reader sees: write it or remove the heading",
            )
        sections[spec.key] = Section(
            spec.key,
            spec.title,
            spec.anchor,
            block.heading,
            block.line,
            _first_text_line(block.lines, block.line + 1),
            markdown,
        )
    last_line = body_start + len(body) - 1
    for index, spec in enumerate(SECTIONS):
        if spec.required and spec.key not in sections and spec.key not in misspelt:
            later = [sections[s.key].line for s in SECTIONS[index + 1 :] if s.key in sections]
            line = min(later) if later else max(last_line, body_start)
            p.error(
                line,
                "section-missing",
                f"the required section '## {spec.title}' is missing: add it here",
            )

    listed = {raw.get("id") for raw in data.get("sources") or [] if isinstance(raw, dict)}
    citations = _citations(p, body, body_start, {sid for sid in listed if isinstance(sid, str)})
    field_lines = (
        {key.value: key.start_mark.line + 2 for key, _ in root.value}
        if isinstance(root, yaml.MappingNode)
        else {}
    )
    treatment = Treatment(
        slug=slug,
        path=path,
        title=data["title"] if isinstance(data.get("title"), str) else slug,
        summary=data["summary"] if isinstance(data.get("summary"), str) else "",
        category=data["category"] if isinstance(data.get("category"), str) else "",
        keywords=_text_list(data, "keywords"),
        facts=_facts(data),
        review=review,
        sources=sources,
        related=_text_list(data, "related"),
        sections=sections,
        faqs=faqs,
        citations=citations,
        meta=data,
        field_lines=field_lines,
        text=text,
        body_start=body_start,
    )
    return treatment, sorted(p.findings, key=lambda f: (f.line, f.column))
