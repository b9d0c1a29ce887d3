"""The treatment parser: what it reads, and each content error with its line."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import FIXTURES

from careleaf.model import SECTIONS, parse_treatment

VALID = (FIXTURES / "valid.md").read_text()
PATH = "docs/treatments/test-peel.md"


def parse(text: str):
    return parse_treatment(text, PATH, "test-peel")


def test_valid_file_parses_without_findings():
    treatment, findings = parse(VALID)
    assert findings == []
    assert treatment is not None
    assert treatment.title == "Test Peel"
    assert treatment.keywords == ["dull skin", "dark spots"]
    assert [f.label for f in treatment.facts] == ["Session length", "Sessions needed", "Downtime"]
    assert treatment.review is not None
    assert treatment.review.reviewed == dt.date(2026, 10, 1)
    assert treatment.review.reviewer == "Clinic nurse (test role)"
    assert [s.id for s in treatment.sources] == ["guide", "book"]
    assert treatment.sources[1].further_reading and treatment.sources[1].url == ""
    assert [s.key for s in treatment.ordered_sections] == [
        "what_it_is",
        "benefits",
        "how_it_works",
        "who_should_avoid",
        "risks",
        "faq",
    ]
    assert [(q.id, q.question, q.line) for q in treatment.faqs] == [
        ("does-it-hurt", "Does it hurt?", 46),
        ("how-long", "How long does it take?", 50),
    ]
    assert treatment.faqs[0].markdown == "It can sting a little [@guide]."
    assert treatment.section("benefits").body_line == 30
    assert {(c.source_id, c.line) for c in treatment.citations} == {
        ("guide", 26),
        ("guide", 30),
        ("guide", 48),
    }


def test_sections_are_shown_in_canonical_order_whatever_the_file_order():
    risks = "## Risks and side effects\n\nRedness for a day.\n\n"
    text = VALID.replace(risks, "")
    text = text.replace("## What it is", risks + "## What it is")
    treatment, findings = parse(text)
    assert findings == []
    keys = [s.key for s in treatment.ordered_sections]
    assert keys.index("risks") > keys.index("who_should_avoid")


def test_aliases_name_sections():
    treatment, findings = parse(VALID.replace("## Risks and side effects", "## Side effects"))
    assert findings == []
    assert treatment.section("risks").title == "Risks and side effects"


def test_code_blocks_do_not_make_headings():
    text = VALID.replace("About 30 minutes.", "About 30 minutes.\n\n```\n## Not a section\n```")
    _, findings = parse(text)
    assert findings == []


@pytest.mark.parametrize(
    ("old", "new", "line", "rule", "words"),
    [
        (
            "summary: A mild peel used only in careleaf's tests.",
            "summary: [unclosed",
            4,
            "front-matter-syntax",
            "not valid YAML",
        ),
        (
            "summary: A mild peel used only in careleaf's tests.\n",
            "",
            1,
            "field-missing",
            "has no 'summary'",
        ),
        ("summary:", "sumary:", 3, "field-unknown", 'did you mean "summary"'),
        ("## Benefits", "## Benfits", 28, "section-unknown", 'did you mean "Benefits"?'),
        (
            "## How it works\n\nA liquid loosens the top layer of skin.\n\n",
            "",
            32,
            "section-missing",
            "'## How it works' is missing",
        ),
        (
            "## Risks and side effects\n\nRedness for a day.",
            "## Risks and side effects\n",
            40,
            "section-empty",
            "has no text a reader sees",
        ),
        (
            "## Benefits",
            "## Benefits\n\ntext\n\n## Benefits",
            32,
            "section-duplicate",
            "already starts on line",
        ),
        ("{#how-long}", "{#does-it-hurt}", 50, "faq-duplicate-id", "already used on line 46"),
        ("reviewed: 2026-10-01", "reviewed: 1st October", 12, "date-invalid", "YYYY-MM-DD"),
        ("reviewed: 2026-10-01", "reviewed: 2026-02-30", 12, "date-invalid", "not a real date"),
        (
            "next_review: 2027-10-01",
            "next_review: 2025-10-01",
            13,
            "review-dates-order",
            "must come after",
        ),
        (
            "takes off dead skin [@guide]",
            "takes off dead skin [@guides]",
            26,
            "source-unknown",
            "[@guides] cites a source that is not listed",
        ),
        ("  - id: book", "  - id: guide", 18, "source-duplicate-id", "listed twice"),
        (
            "url: https://example.org/guide",
            "url: example.org/guide",
            17,
            "field-invalid",
            "web address",
        ),
        ("keywords: [dull skin, dark spots]", "keywords: dull skin", 5, "field-type", "a list"),
        (
            "category: Skin resurfacing",
            "category: Skin resurfacing\ncategory: Peels",
            5,
            "field-duplicate",
            "given twice",
        ),
        ("## What it is", "# Test Peel\n\n## What it is", 24, "heading-level", "use '## '"),
        ("## Benefits\n", "Benefits\n--------\n", 28, "heading-style", "'## Benefits'"),
        (
            "\n## What it is",
            "\nStray words.\n\n## What it is",
            24,
            "content-outside-section",
            "move it into a section",
        ),
        (
            "### How long does it take? {#how-long}\n\nAbout 30 minutes.\n",
            "### How long does it take? {#how-long}\n",
            50,
            "faq-empty",
            "has no answer",
        ),
        ("next_review: 2027-10-01", "next_review: 20271001", 13, "date-invalid", "YYYY-MM-DD"),
        ("related: []", "related: [a, a]", 21, "field-duplicate", "twice"),
        # Only a note to the team, or only a citation, is no answer a reader sees.
        ("Redness for a day.", "<!-- TODO: ask the nurse -->", 40, "section-empty", "no text"),
        ("About 30 minutes.", "[@guide]", 50, "faq-empty", "has no answer"),
        ("## Benefits", "##Benefits", 28, "heading-style", "'## Benefits'"),
        ("A liquid loosens", "```\nA liquid loosens", 34, "code-unclosed", "never closed"),
        ("{#how-long}", "{#how long}", 50, "faq-id-invalid", "'{#how-long}'"),
        ("{#how-long}", "{# how-long }", 50, "faq-id-invalid", "no spaces"),
        ("[@guide].\n\n## Benefits", "[@].\n\n## Benefits", 26, "citation-malformed", "[@id]"),
        ("skin [@guide]", "skin [ @guide ]", 26, "citation-malformed", "[@id]"),
        ("skin [@guide]", "skin [@guide, p. 4]", 26, "citation-malformed", "[@id]"),
        ("skin [@guide]", "skin [@guide", 26, "citation-malformed", "[@id]"),
    ],
)
def test_each_error_names_its_line_and_rule(old, new, line, rule, words):
    assert old in VALID
    _, findings = parse(VALID.replace(old, new, 1))
    matching = [f for f in findings if f.rule == rule]
    assert matching, findings
    assert matching[0].line == line, matching[0]
    assert words in matching[0].message
    assert str(matching[0]).startswith(f"{PATH}:{line}: {rule}: ")


def test_missing_front_matter_is_one_error_and_no_treatment():
    treatment, findings = parse("## What it is\n\nText.\n")
    assert treatment is None
    assert [str(f) for f in findings] == [
        f"{PATH}:1: front-matter-missing: "
        "the file must start with front matter between two '---' lines"
    ]


def test_unclosed_front_matter():
    treatment, findings = parse("---\ntitle: X\n\n## What it is\n")
    assert treatment is None
    assert findings[0].rule == "front-matter-unclosed"


def test_faq_without_explicit_id_is_a_warning_with_a_suggested_id():
    _, findings = parse(VALID.replace(" {#how-long}", ""))
    assert [(f.rule, f.severity, f.line) for f in findings] == [("faq-id-missing", "warning", 50)]
    assert "{#how-long-does-it-take}" in findings[0].message


def test_one_bad_source_does_not_cascade_into_citation_errors():
    _, findings = parse(VALID.replace("    url: https://example.org/guide\n", "    url: 12\n"))
    assert [f.rule for f in findings] == ["field-type"]


def test_every_required_section_is_known():
    required = {s.title for s in SECTIONS if s.required}
    assert required == {
        "What it is",
        "Benefits",
        "How it works",
        "Who should avoid it",
        "Risks and side effects",
        "FAQ",
    }


def test_committed_json_schema_matches_the_model():
    """schema/treatment.schema.json is what editors' tools read: it must not drift."""
    import json

    from conftest import ROOT

    from careleaf.model import FRONT_MATTER_SCHEMA

    committed = json.loads((ROOT / "schema/treatment.schema.json").read_text())
    assert committed == FRONT_MATTER_SCHEMA, "run `careleaf schema --write` and commit the file"


def test_invisible_line_breaks_do_not_shift_line_numbers():
    """Word's line break (U+2028) and a form feed are spaces, not lines, as editors show them."""
    text = VALID.replace("A mild peel that", "A mild\u2028peel\x0cthat").replace(
        "## Benefits", "## Benfits"
    )
    text = text.replace("summary: A mild peel", "summary: A mild\u2028peel")
    treatment, findings = parse(text)
    assert treatment is not None and "\u2028" not in treatment.summary
    assert [(f.line, f.rule) for f in findings if f.severity == "error"] == [
        (28, "section-unknown")
    ]


def test_what_looks_like_a_citation_in_code_is_code():
    text = VALID.replace(
        "Redness for a day.", "Redness for a day. Write `[@id]` or \\[@ to cite.\n\n```\n[@x]\n```"
    )
    _, findings = parse(text)
    assert not [f for f in findings if f.severity == "error"], findings


def test_an_indented_fence_is_text_not_code():
    """Python-Markdown opens fenced code only at the start of a line: an indented fence is text,
    and a heading after it is a heading."""
    text = VALID.replace("Redness for a day.", "Redness.\n\n  ```\n\n## Benefits\n\nx\n\n  ```")
    _, findings = parse(text)
    assert [f.rule for f in findings if f.rule == "section-duplicate"] == ["section-duplicate"]


def test_a_rule_after_a_code_block_is_not_a_heading():
    text = VALID.replace("Redness for a day.", "Redness for a day.\n\n```\nA code note\n```\n---")
    _, findings = parse(text)
    assert "heading-style" not in [f.rule for f in findings], findings


def test_suits_and_not_for_are_read_for_the_guide():
    text = VALID.replace(
        "related:", "suits: [Dull skin, Dark spots]\nnot_for: [Active acne]\nrelated:", 1
    )
    assert text != VALID
    treatment, findings = parse(text)
    assert findings == []
    assert treatment is not None
    assert treatment.suits == ["Dull skin", "Dark spots"]
    assert treatment.not_for == ["Active acne"]
    wrong, findings = parse(text.replace("not_for: [Active acne]", "not_for: Active acne"))
    assert [f.rule for f in findings] == ["field-type"]
