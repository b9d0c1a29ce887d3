"""The editor's pages as the content rules see them: their prose, raw Markdown and anchors."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from careleaf.checks.prose import Section, blocks
from careleaf.findings import Finding
from careleaf.library import Library, display_path, read_page
from careleaf.model import HEADING, HEADING_ID, Treatment, in_code, plain_breaks, slugify

_HTML_ID = re.compile(r"""\bid=["']([^"']+)["']""")


@dataclass
class Page:
    """One Markdown file an editor wrote, ready for the content rules."""

    src_uri: str
    path: str
    title: str
    markdown: str
    sections: list[Section]
    anchors: set[str]
    meta: dict[str, Any] = field(default_factory=dict)
    treatment: Treatment | None = None
    lines: list[str] = field(default_factory=list)
    # What stopped the file being read (then the page is empty): one finding.
    findings: list[Finding] = field(default_factory=list)

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


def unfenced_lines(markdown: str) -> list[tuple[int, str]]:
    """The lines outside fenced code, numbered from 0."""
    lines = markdown.splitlines()
    return [
        (n, line)
        for n, (line, code) in enumerate(zip(lines, in_code(lines), strict=True))
        if not code
    ]


def heading_anchors(markdown: str) -> set[str]:
    """The anchors the headings and HTML ids of some Markdown make."""
    anchors: set[str] = set()
    for _, line in unfenced_lines(markdown):
        heading = HEADING.match(line)
        if heading:
            explicit = HEADING_ID.search(heading.group(2))
            anchors.add(explicit.group(1) if explicit else slugify(heading.group(2)))
        anchors.update(_HTML_ID.findall(line))
    return anchors


def _front_matter(text: str) -> tuple[dict[str, Any], str, tuple[int, str] | None]:
    """The front matter, the text with the front matter blanked (so lines keep their numbers),
    and the line and problem of front matter that is not valid YAML: MkDocs would then show
    it to readers as text."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return {}, text, None
    for end, line in enumerate(lines[1:], start=1):
        if line.strip() in ("---", "..."):
            problem = None
            source = "\n".join(lines[1:end])
            try:
                # Every value as text: a wrong date is the model's to report, not a crash here.
                meta = yaml.load(source, Loader=yaml.BaseLoader)  # noqa: S506
                # MkDocs reads it with SafeLoader and, on any failure (a date like 2026-02-30),
                # shows the front matter to readers as text.
                yaml.safe_load(source)
            except (yaml.YAMLError, ValueError) as exc:
                meta = None
                mark = getattr(exc, "problem_mark", None)
                problem = (
                    mark.line + 2 if mark is not None else 1,
                    getattr(exc, "problem", None) or str(exc) or "it cannot be read",
                )
            body = "\n" * (end + 1) + "\n".join(lines[end + 1 :])
            return (meta if isinstance(meta, dict) else {}), body, problem
    return {}, text, None


def treatment_page(library: Library, t: Treatment, docs_dir: Path) -> Page:
    """A treatment as the rules see it: the summary, each section, each question and answer."""
    src_uri = library.src_uri(t)
    lines = t.text.splitlines()
    # The body keeps its place: line N of `markdown` is line N of the file.
    markdown = "\n" * (t.body_start - 1) + "\n".join(lines[t.body_start - 1 :])
    sections: list[Section] = []
    if t.summary:
        line = t.field_lines.get("summary", 1)
        sections.append(Section("Summary", line, blocks(t.summary, line)))
    for s in t.ordered_sections:
        found = blocks(s.markdown, s.body_line) if s.markdown else []
        if s.key == "faq":
            for faq in t.faqs:
                found += blocks("### " + faq.question, faq.line)
                found += blocks(faq.markdown, faq.body_line)
        sections.append(Section(s.title, s.line, found))
    anchors = {s.anchor for s in t.ordered_sections}
    anchors |= {"sources", "contact"} | {f"source-{s.id}" for s in t.sources}
    anchors |= {faq.id for faq in t.faqs}
    anchors |= {"at-a-glance"} if t.facts else set()
    anchors |= {"review"} if t.review else set()
    anchors |= {"related"} if t.related else set()
    for s in t.ordered_sections:
        if s.key != "faq":
            anchors |= heading_anchors(s.markdown)
    return Page(src_uri, t.path, t.title, markdown, sections, anchors, t.meta, t, lines)


def markdown_page(src_uri: str, path: Path, root: Path) -> Page:
    """Any other Markdown page of docs/, split into sections at its `## ` headings."""
    shown = display_path(path, root)
    text = read_page(path, shown)
    if isinstance(text, Finding):
        return Page(src_uri, shown, Path(src_uri).stem, "", [], set(), findings=[text])
    text = plain_breaks(text)
    meta, markdown, problem = _front_matter(text)
    findings = []
    if problem is not None:
        findings.append(
            Finding(
                shown,
                problem[0],
                "front-matter-syntax",
                f"the front matter is not valid YAML ({problem[1]}): check indentation and "
                "quotes (a value with ': ' in it needs quotes)",
            )
        )
    title = str(meta.get("title") or "")
    lines = markdown.splitlines()
    cuts = [0]
    for number, line in unfenced_lines(markdown):
        heading = HEADING.match(line)
        if heading and len(heading.group(1)) <= 2:
            if len(heading.group(1)) == 1 and not title:
                title = HEADING_ID.sub("", heading.group(2)).strip()
            cuts.append(number)
    sections: list[Section] = []
    for begin, end in zip(cuts, [*cuts[1:], len(lines)], strict=True):
        heading = HEADING.match(lines[begin]) if begin < len(lines) else None
        name = HEADING_ID.sub("", heading.group(2)).strip() if heading else ""
        found = blocks("\n".join(lines[begin:end]), begin + 1)
        if found:
            sections.append(Section(name, begin + 1, found))
    return Page(
        src_uri,
        shown,
        title or Path(src_uri).stem,
        markdown,
        sections,
        heading_anchors(markdown),
        meta,
        lines=text.splitlines(),
        findings=findings,
    )
