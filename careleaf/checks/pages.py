"""The editor's pages as the content rules see them: their reading, prose and anchors."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import yaml

from careleaf.checks.prose import Section, blocks, prose_blocks
from careleaf.findings import Finding
from careleaf.library import Library
from careleaf.model import Treatment, plain_breaks
from careleaf.reader import (
    DEFAULT_TOC,
    Link,
    Reading,
    TextBlock,
    TocStyle,
    read_front_matter,
    read_markdown,
)


@dataclass
class Page:
    """One Markdown file an editor wrote, ready for the content rules."""

    src_uri: str
    path: str
    title: str
    markdown: str
    # The page's prose, made when a rule first asks for it (`sections`) and let go once the
    # rules have read it (`forget_prose`): a large site's prose is not held all at once.
    prose: Callable[[], list[Section]]
    anchors: set[str]
    meta: dict[str, Any] = field(default_factory=dict)
    treatment: Treatment | None = None
    lines: list[str] = field(default_factory=list)
    # What stopped the file being read (then the page is empty): one finding.
    findings: list[Finding] = field(default_factory=list)
    reading: Reading | None = None
    _sections: list[Section] | None = field(default=None, repr=False)

    @property
    def sections(self) -> list[Section]:
        """The page's prose, section by section, as the rules read it."""
        if self._sections is None:
            self._sections = self.prose()
        return self._sections

    def forget_prose(self) -> None:
        self._sections = None

    @property
    def links(self) -> list[Link]:
        return self.reading.links if self.reading is not None else []

    def locate(self, pattern: re.Pattern[str], line: int, within: int = 8) -> tuple[int, int]:
        """The file line and column where `pattern` first matches, from `line` on."""
        for number in range(line, min(line + within, len(self.lines) + 1)):
            match = pattern.search(self.lines[number - 1])
            if match:
                return number, match.start() + 1
        return line, 1

    @property
    def ignored_rules(self) -> frozenset[str]:
        if self.treatment is not None:
            return self.treatment.ignored_rules
        checks = self.meta.get("checks")
        ignore = checks.get("ignore") if isinstance(checks, dict) else None
        return frozenset(str(r) for r in ignore) if isinstance(ignore, list) else frozenset()


def _within(read: list[TextBlock], first: int, last: int) -> list[TextBlock]:
    return [b for b in read if first <= b.line <= last]


def treatment_page(library: Library, t: Treatment, docs_dir: Path) -> Page:
    """A treatment as the rules see it: the summary, each section, each question and answer."""
    src_uri = library.src_uri(t)
    lines = t.text.splitlines()
    # The body keeps its place: line N of `markdown` is line N of the file.
    markdown = "\n" * (t.body_start - 1) + "\n".join(lines[t.body_start - 1 :])
    reading = t.reading or read_markdown(markdown)
    # The page's own anchors are those of the page its template makes (build.py reads it).
    anchors = reading.anchors
    return Page(
        src_uri,
        t.path,
        t.title,
        markdown,
        partial(_treatment_prose, t, reading, len(lines)),
        anchors,
        t.meta,
        t,
        lines,
        reading=reading,
    )


def _treatment_prose(t: Treatment, reading: Reading, line_count: int) -> list[Section]:
    """A treatment's prose: the summary, each section, each question and answer."""
    sections: list[Section] = []
    if t.summary:
        line = t.field_lines.get("summary", 1)
        sections.append(Section("Summary", line, blocks(t.summary, line)))
    starts = sorted(s.line for s in t.ordered_sections) + [line_count + 1]
    for s in t.ordered_sections:
        last = next(line for line in starts if line > s.line) - 1
        sections.append(
            Section(s.title, s.line, prose_blocks(_within(reading.blocks, s.line + 1, last)))
        )
    # The handout's points, read as the list a client reads on paper.
    for points in t.handout.values():
        found = [b for point in points.points for b in prose_blocks(point.reading.blocks)]
        sections.append(Section(f"Handout: {points.title}", points.line, found, on_page=False))
    return sections


def _page_prose(reading: Reading, names: list[str], bounds: list[int]) -> list[Section]:
    """A page's prose, cut into sections at its `#` and `## ` headings."""
    sections: list[Section] = []
    for name, first, end in zip(names, bounds, bounds[1:], strict=False):
        found = prose_blocks(_within(reading.blocks, first, end - 1))
        if found:
            sections.append(Section(name, first, found))
    return sections


def _front_matter(text: str) -> tuple[dict[str, Any], int, tuple[int, str, str] | None]:
    """The front matter, the line the body starts on, and the line, rule and message of front
    matter that careleaf or MkDocs cannot read (MkDocs would show it to readers as text)."""
    front = read_front_matter(text)
    if front is None or not front.body_start:
        return {}, 1, None
    if front.problem:
        rule, message = front.problem_finding
        return {}, front.body_start, (front.problem_line, rule, message)
    try:
        # MkDocs reads it with SafeLoader and, on any failure (a date like 2026-02-30),
        # shows the front matter to readers as text.
        yaml.safe_load(front.text)
    except (yaml.YAMLError, ValueError) as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        message = f"the front matter is not valid YAML ({problem})"
        return {}, front.body_start, (line, "front-matter-syntax", message)
    data = front.data if isinstance(front.data, dict) else {}
    # Every value as text, as the rules compare them: a wrong date is not a crash here.
    return {str(k): v for k, v in data.items()}, front.body_start, None


def markdown_page(
    src_uri: str, shown: str, text: str | Finding, toc: TocStyle = DEFAULT_TOC
) -> Page:
    """Any other Markdown page of docs/, split into sections at its `#` and `## ` headings.

    `shown` is the file's path as the editor knows it; `text` what it holds, or the finding
    that says why it cannot be read."""
    if isinstance(text, Finding):
        return Page(src_uri, shown, Path(src_uri).stem, "", list, set(), findings=[text])
    text = plain_breaks(text)
    meta, body_start, problem = _front_matter(text)
    findings = []
    if problem is not None:
        line, rule, message = problem
        if rule == "front-matter-syntax":
            message += ": check indentation and quotes (a value with ': ' in it needs quotes)"
        findings.append(Finding(shown, line, rule, message))
    lines = text.split("\n")
    # The body keeps its place: line N of `markdown` is line N of the file.
    markdown = "\n" * (body_start - 1) + "\n".join(lines[body_start - 1 :])
    reading = read_markdown(markdown, toc)
    title = str(meta.get("title") or "")
    cuts = [h for h in reading.headings if h.level <= 2]
    if not title:
        title = next((h.text for h in cuts if h.level == 1), "")
    bounds = [1, *(h.line for h in cuts), len(lines) + 1]
    names = ["", *(h.text for h in cuts)]
    return Page(
        src_uri,
        shown,
        title or Path(src_uri).stem,
        markdown,
        partial(_page_prose, reading, names, bounds),
        reading.anchors,
        meta,
        lines=text.splitlines(),
        findings=findings,
        reading=reading,
    )
