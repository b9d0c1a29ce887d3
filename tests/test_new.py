"""`careleaf new`: a treatment's draft whose every open part the checks report by line."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import careleaf, mkdocs

from careleaf.draft import GUIDANCE
from careleaf.model import SECTIONS

DRAFT = "docs/treatments/chemical-peel.md"

# What an editor writes in each part the draft leaves open.
FILLED = {
    'summary: ""': "summary: A liquid that takes off the top layer of skin.",
    'reviewer: ""': "reviewer: Clinic nurse",
    'reviewed: ""': "reviewed: 2026-11-01",
    'next_review: ""': "next_review: 2027-11-01",
    'id: ""': "id: guide",
    'title: ""': 'title: "A guide to peels"',
    'url: ""': "url: https://example.org/peels",
}
SECTION_TEXT = {
    "what_it_is": "A peel is a liquid put on the skin for a few minutes [@guide].",
    "benefits": "- Skin may look smoother after a few weeks [@guide].",
    "how_it_works": "The liquid loosens the top layer of skin, which then comes off.",
    "what_to_expect": "A session takes about 30 minutes.",
    "who_should_avoid": "- People with a cold sore on the face.",
    "risks": "Your skin may be red and flaky for a few days.",
    "aftercare": "Keep out of the sun for a week.",
    "questions_to_ask": "- How many sessions will I need?",
    "faq": "### Does it sting? {#does-it-sting}\n\nIt can sting a little [@guide].",
}


def findings(project: Path) -> list[tuple[int, str]]:
    result = careleaf(project, "check", "--format", "json")
    return [(f["line"], f["rule"]) for f in json.loads(result.stdout) if f["path"] == DRAFT]


def line_of(text: str, start: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith(start))


def test_new_writes_a_draft_whose_open_parts_are_reported_by_line(project: Path) -> None:
    result = careleaf(project, "new", "Chemical peel")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"wrote {DRAFT}")
    text = (project / DRAFT).read_text()
    assert text.startswith('---\ntitle: "Chemical peel"\n')
    for spec in SECTIONS:  # every section, each with its one line of guidance
        assert f"## {spec.title}\n\n<!-- {GUIDANCE[spec.key]} -->\n" in text

    fields = [
        ("summary:", "field-empty"),
        ("  reviewer:", "field-empty"),
        ("  reviewed:", "field-empty"),
        ("  next_review:", "field-empty"),
        ("  - id:", "field-empty"),
        ("    title:", "field-empty"),
        ("    url:", "field-empty"),
    ]
    sections = [
        (f"## {s.title}", "faq-empty" if s.key == "faq" else "section-empty") for s in SECTIONS
    ]
    # Each line of guidance is a comment, which the page would publish until it is replaced.
    guidance = [(f"<!-- {GUIDANCE[s.key]} -->", "html-comment") for s in SECTIONS]
    expected = sorted((line_of(text, start), rule) for start, rule in fields + sections + guidance)
    assert findings(project) == expected
    # A build publishes none of it.
    assert mkdocs(project, "build").returncode != 0


def test_a_filled_draft_builds_clean(project: Path) -> None:
    assert careleaf(project, "new", "Chemical peel").returncode == 0
    draft = project / DRAFT
    text = draft.read_text()
    for empty, value in FILLED.items():
        assert empty in text
        text = text.replace(empty, value, 1)
    for key, words in SECTION_TEXT.items():
        # The editor writes the section in place of its guidance.
        guidance = f"<!-- {GUIDANCE[key]} -->\n"
        text = text.replace(guidance, f"{words}\n")
    draft.write_text(text)

    check = careleaf(project, "check", "--strict")
    assert check.returncode == 0, check.stdout
    build = mkdocs(project, "build", "--strict")
    assert build.returncode == 0, build.stderr
    page = (project / "site/treatments/chemical-peel/index.html").read_text()
    assert "Chemical peel" in page and "It can sting a little" in page
    assert "Keep out of the sun for a week." in page


def test_slug_chooses_the_address(project: Path) -> None:
    result = careleaf(project, "new", "Peeling à froid (gentle)", "--slug", "cold-peel")
    assert result.returncode == 0, result.stderr
    assert (project / "docs/treatments/cold-peel.md").is_file()
    assert careleaf(project, "new", "Crème peel").returncode == 0
    assert (project / "docs/treatments/creme-peel.md").is_file()


def test_new_never_overwrites_a_file(project: Path) -> None:
    mine = project / DRAFT
    mine.write_text("my own words\n")
    result = careleaf(project, "new", "Chemical peel")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"Error: {DRAFT} exists already: nothing was written (choose another --slug)"
    ]
    assert mine.read_text() == "my own words\n"


def test_a_title_or_slug_that_makes_no_address_is_refused(project: Path) -> None:
    for args in (
        ("!!!",),
        ("Peel", "--slug", "Chemical Peel"),
        ("Peel", "--slug", "../x"),
        ("Index",),
    ):
        result = careleaf(project, "new", *args)
        assert result.returncode == 2, args
        assert "--slug" in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.name for p in (project / "docs/treatments").iterdir()) == ["test-peel.md"]
