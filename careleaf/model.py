"""The treatment content model: one Markdown file per treatment, read once, with line numbers.

The sections and their order live here and nowhere else; the front matter's fields live in
`fields.py`. `parse_treatment` builds a Treatment from what `reader.py` read of the file, and
reports what is wrong with it, each problem at its line.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace
from typing import Any

from careleaf.fields import (
    FACT_LABELS,
    FRONT_MATTER_SCHEMA,
    Fact,
    Findings,
    HandoutList,
    Review,
    Source,
    read_fields,
)
from careleaf.findings import Finding
from careleaf.reader import (
    CITATION,
    DEFAULT_TOC,
    CitationMark,
    Heading,
    Reading,
    TocStyle,
    read_front_matter,
    read_markdown,
)

__all__ = [
    "FACT_LABELS",
    "FRONT_MATTER_SCHEMA",
    "SECTIONS",
    "Citation",
    "Fact",
    "Faq",
    "Review",
    "Section",
    "Source",
    "Treatment",
    "find_section",
    "parse_treatment",
]


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
    # Short phrases for the "Which might suit me?" guide.
    suits: list[str] = field(default_factory=list)
    not_for: list[str] = field(default_factory=list)
    # The handout's short lists, by key, in the order it prints them (fields.HANDOUT_LISTS).
    handout: dict[str, HandoutList] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    field_lines: dict[str, int] = field(default_factory=dict)
    # The file as the editor wrote it, and the line its body (after front matter) starts on.
    text: str = ""
    body_start: int = 1
    reading: Reading | None = None  # the body, as read once
    # The citations of each section's and answer's Markdown, where they are in it.
    cited: dict[str, tuple[CitationMark, ...]] = field(default_factory=dict)

    def citations_in(self, markdown: str) -> tuple[CitationMark, ...] | None:
        """The citations of one of this treatment's sections or answers (None: not one)."""
        return self.cited.get(markdown)

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


def _normal(name: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", name.lower()).split())


_SECTION_NAMES = {_normal(name): spec for spec in SECTIONS for name in (spec.title, *spec.aliases)}


def find_section(heading: str) -> SectionSpec | None:
    """The section a heading names, by its canonical name or an alias."""
    return _SECTION_NAMES.get(_normal(heading))


# --- reading a treatment file --------------------------------------------------------------

# Characters that some programs (Word, pasted web text) take as a line break and editors do
# not: read as spaces, so every line number is the line the editor sees.
_INVISIBLE_BREAKS = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def plain_breaks(text: str) -> str:
    """The text with invisible line-break characters read as spaces."""
    return _INVISIBLE_BREAKS.sub(" ", text)


def slugify(text: str) -> str:
    """An id from text, as Python-Markdown's toc makes it by default."""
    return DEFAULT_TOC.slug(text)


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


@dataclass
class _Body:
    """The reading of a treatment's body and the findings about it."""

    reading: Reading
    lines: list[str]  # the whole file's lines
    p: Findings

    cited: dict[str, tuple[CitationMark, ...]] = field(default_factory=dict)

    def markdown(self, first: int, last: int) -> str:
        """File lines `first` to `last` (inclusive) as Markdown, without blank lines around.

        The citations in it are noted, with where they are in it, for the `cite` filter."""
        raw = "\n".join(self.lines[first - 1 : last])
        text = raw.strip("\n")
        lead = len(raw) - len(raw.lstrip("\n"))
        starts = [0]
        for line in self.lines[first - 1 : last]:
            starts.append(starts[-1] + len(line) + 1)
        self.cited[text] = tuple(
            replace(mark, offset=starts[mark.line - first] + mark.column - 1 - lead)
            for mark in self.reading.citations
            if first <= mark.line <= last
        )
        return text

    def first_text_line(self, first: int, last: int) -> int:
        for number in range(first, last + 1):
            if self.lines[number - 1].strip():
                return number
        return first

    def shows_words(self, first: int, last: int) -> bool:
        """Whether lines `first` to `last` hold text a reader sees (not only comments,
        citations or blank space)."""
        for block in self.reading.blocks:
            for number, text in block.parts:
                if first <= number <= last and _without_citations(text).strip():
                    return True
        return False


def _without_citations(text: str) -> str:
    return CITATION.sub(" ", text)


def _structure_findings(body: _Body) -> list[Heading]:
    """The headings that start sections (`## `); what is wrong with the headings and the text
    around them goes to the findings."""
    p, reading = body.p, body.reading
    for line, tag in reading.unclosed_html:
        p.error(
            line,
            "html-unclosed",
            f"this <{tag}> is never closed, so the page shows nothing after it as it should: "
            f"add </{tag}> where it ends, or remove it",
        )
    for line in reading.unclosed_fences:
        fence = body.lines[line - 1].strip()[:3]
        p.error(
            line,
            "code-unclosed",
            "this code block is never closed: add a line with the same fence "
            f"('{fence}') after it, or remove this one",
        )
    sections: list[Heading] = []
    for h in reading.headings:
        if h.tight:
            marks = "#" * h.level
            p.error(
                h.line,
                "heading-style",
                f"put a space after the '{marks}': write '{marks} {h.text}'",
            )
        if h.setext:
            p.error(
                h.line,
                "heading-style",
                f"write this heading as '## {h.text}': careleaf finds sections by '## '",
            )
        if h.level == 1:
            p.error(
                h.line, "heading-level", "use '## ' for sections: the title comes from front matter"
            )
        elif h.level == 2:
            sections.append(h)
    first_section = sections[0].line if sections else None
    for first, _, _ in reading.top_blocks:
        if first_section is None or first < first_section:
            if any(h.line == first for h in reading.headings):
                continue
            p.error(
                first,
                "content-outside-section",
                "text before the first '## ' section is not shown: move it into a section",
            )
    return sections


def _faqs(body: _Body, heading: Heading, last: int) -> tuple[str, list[Faq]]:
    """The FAQ section's intro and its questions (`### `) with their answers."""
    p = body.p
    questions = body.reading.headings_between(heading.line + 1, last, 3)
    intro_end = questions[0].line - 1 if questions else last
    faqs: list[Faq] = []
    seen: dict[str, int] = {}
    for i, q in enumerate(questions):
        end = questions[i + 1].line - 1 if i + 1 < len(questions) else last
        faq_id = q.id
        if q.attrs is not None and "#" in q.attrs and not q.usable_attrs:
            faq_id = slugify(q.text)
            p.error(
                q.line,
                "faq-id-invalid",
                f"'{{{q.attrs}}}' is not a usable id: write it as "
                f"'{{#{slugify(q.attrs) or faq_id}}}' (letters, digits, '-' "
                "and '_', no spaces), the id staff use in links to this answer",
            )
        elif not q.explicit_id:
            p.warn(
                q.line,
                "faq-id-missing",
                f"give this answer a fixed id, e.g. '### {q.text} {{#{faq_id}}}', "
                "so links to it keep working if the question is reworded",
            )
        if faq_id in seen:
            p.error(
                q.line,
                "faq-duplicate-id",
                f"id '{faq_id}' is already used on line {seen[faq_id]}: pick another",
            )
        seen.setdefault(faq_id, q.line)
        if not body.shows_words(q.line + 1, end):
            p.error(q.line, "faq-empty", f"'{q.text}' has no answer: write one under the question")
        faqs.append(
            Faq(
                faq_id,
                q.text,
                q.line,
                body.first_text_line(q.line + 1, end),
                body.markdown(q.line + 1, end),
            )
        )
    if not questions:
        p.error(
            heading.line, "faq-empty", "the FAQ has no questions: add each as '### Question? {#id}'"
        )
    return body.markdown(heading.line + 1, intro_end), faqs


def _sections(
    body: _Body, headings: list[Heading], last_line: int
) -> tuple[dict[str, Section], list[Faq]]:
    p = body.p
    sections: dict[str, Section] = {}
    faqs: list[Faq] = []
    misspelt: set[str] = set()  # sections an unknown heading already suggests
    ends = [h.line for h in body.reading.headings if h.level <= 2]
    for h in headings:
        last = next((line - 1 for line in ends if line > h.line), last_line)
        spec = find_section(h.text)
        if spec is None:
            hint = _nearest_section(h.text)
            misspelt.update(s.key for s in SECTIONS if f'"{s.title}"' in hint)
            p.error(h.line, "section-unknown", f"unknown section '{h.text}': {hint}")
            continue
        if spec.key in sections:
            p.error(
                h.line,
                "section-duplicate",
                f"'{spec.title}' already starts on line {sections[spec.key].line}: merge them",
            )
            continue
        markdown = body.markdown(h.line + 1, last)
        if spec.key == "faq":
            markdown, faqs = _faqs(body, h, last)
        elif not body.shows_words(h.line + 1, last):
            p.error(
                h.line,
                "section-empty",
                f"'{spec.title}' has no text a reader sees: "
                + (
                    "write it (every page needs it)"
                    if spec.required
                    else "write it or remove the heading"
                ),
            )
        sections[spec.key] = Section(
            spec.key,
            spec.title,
            spec.anchor,
            h.text,
            h.line,
            body.first_text_line(h.line + 1, last),
            markdown,
        )
    body_start = body.reading.first_line
    for index, spec in enumerate(SECTIONS):
        if spec.required and spec.key not in sections and spec.key not in misspelt:
            later = [sections[s.key].line for s in SECTIONS[index + 1 :] if s.key in sections]
            line = min(later) if later else max(last_line, body_start)
            p.error(
                line,
                "section-missing",
                f"the required section '## {spec.title}' is missing: add it here",
            )
    return sections, faqs


def _handout_points(
    body: _Body,
    handout: dict[str, HandoutList],
    sections: dict[str, Section],
    source_ids: set[str],
) -> tuple[dict[str, HandoutList], list[Citation]]:
    """The handout's lists, each with its heading's id, and the citations of their points,
    each point as it was read: one plain paragraph, printed as a list item."""
    p = body.p
    citations = []
    lists = {}
    for key, points in handout.items():
        spec = SECTIONS_BY_KEY.get(key)
        if spec is not None and key not in sections:
            p.warn(
                points.line,
                "handout-no-section",
                f"the handout's '{key}' shortens a section this page does not have: add "
                f"'## {spec.title}' to the page, or take '{key}' out of handout:",
            )
        lists[key] = replace(points, anchor=spec.anchor if spec else key.replace("_", "-"))
        for point in points.points:
            reading = point.reading
            citations += _cited(p, reading, source_ids)
            body.cited[point.markdown] = tuple(reading.citations)  # for the `uncite` filter
            if any(link.kind in ("link", "autolink") for link in reading.links):
                p.error(
                    point.line,
                    "handout-point",
                    "a link cannot be followed on paper: write the words only (the handout's "
                    "QR code leads to the guide)",
                )
            if len(reading.blocks) > 1 or any(b.kind != "paragraph" for b in reading.blocks):
                p.error(
                    point.line,
                    "handout-point",
                    "a handout point is one line of text, printed as one item of a list: no "
                    "heading, list mark or table",
                )
    return lists, citations


def _cited(p: Findings, reading: Reading, source_ids: set[str]) -> list[Citation]:
    for line, column in reading.malformed_citations:
        p.error(
            line,
            "citation-malformed",
            "a citation is written [@id], or [@id; @other] for several, with ids "
            "from 'sources': fix it, or write \\[@ to show the text as it is",
            column,
        )
    citations: list[Citation] = []
    reported: set[tuple[str, int]] = set()
    for mark in reading.citations:
        for sid in mark.ids:
            citations.append(Citation(sid, mark.line, mark.column))
            if sid not in source_ids and (sid, mark.line) not in reported:
                reported.add((sid, mark.line))
                p.error(
                    mark.line,
                    "source-unknown",
                    f"[@{sid}] cites a source that is not listed: add it under 'sources' or fix the id",
                    mark.column,
                )
    return citations


def parse_treatment(
    text: str, path: str, slug: str, toc: TocStyle = DEFAULT_TOC
) -> tuple[Treatment | None, list[Finding]]:
    """Parse one treatment file into a Treatment and the findings about it.

    The treatment is None only when the front matter cannot be read at all. `toc` makes
    heading ids as the site's toc extension does.
    """
    text = plain_breaks(text)
    p = Findings(path)
    front = read_front_matter(text)
    if front is None:
        p.error(
            1,
            "front-matter-missing",
            "the file must start with front matter between two '---' lines",
        )
        return None, p.found
    if not front.body_start:
        p.error(
            1,
            "front-matter-unclosed",
            "the front matter has no closing '---' line: add one after it",
        )
        return None, p.found
    if front.problem:
        rule, message = front.problem_finding
        hint = "" if front.beyond_limits else ": check indentation and quotes"
        p.error(front.problem_line, rule, message + hint)
        return None, p.found
    if not isinstance(front.data, dict) or front.node is None:
        p.error(1, "front-matter-syntax", "the front matter must be 'name: value' lines")
        return None, p.found
    fields = read_fields(p, front.node, front.data, slug)
    lines = text.split("\n")
    body_text = "\n".join(lines[front.body_start - 1 :])
    body = _Body(read_markdown(body_text, toc, front.body_start), lines, p)
    headings = _structure_findings(body)
    last_line = max(len(lines) - (1 if text.endswith("\n") else 0), front.body_start)
    sections, faqs = _sections(body, headings, last_line)
    sources = fields.data.get("sources")
    listed = (
        {r.get("id") for r in sources if isinstance(r, dict)} if isinstance(sources, list) else ()
    )
    source_ids = {sid for sid in listed if isinstance(sid, str)}
    citations = _cited(p, body.reading, source_ids)
    handout, cited = _handout_points(body, fields.handout, sections, source_ids)
    citations += cited
    treatment = Treatment(
        slug=slug,
        path=path,
        title=fields.title,
        summary=fields.summary,
        category=fields.category,
        keywords=fields.keywords,
        facts=fields.facts,
        review=fields.review,
        sources=fields.sources,
        related=fields.related,
        sections=sections,
        faqs=faqs,
        citations=citations,
        suits=fields.suits,
        not_for=fields.not_for,
        handout=handout,
        meta=fields.data,
        field_lines=fields.lines,
        text=text,
        body_start=front.body_start,
        reading=body.reading,
        cited=body.cited,
    )
    return treatment, sorted(p.found, key=lambda f: (f.line, f.column))
