"""Readability: the prose a patient reads, its grades, long sentences and long paragraphs."""

from __future__ import annotations

from pathlib import Path

import pytest
from sitekit import line_of, rules, site, treatment, with_section

from careleaf.checks import CheckSettings
from careleaf.checks.prose import blocks, syllables, words
from careleaf.checks.readability import Grade, measure

HARD = (
    "Microdermabrasion utilises sophisticated instrumentation, producing considerable "
    "epidermal exfoliation. Practitioners administer individualised, comprehensive "
    "evaluations beforehand. Contraindications necessitate comprehensive documentation. "
    "Physiological inflammation generally diminishes subsequently. "
)


@pytest.mark.parametrize(
    ("word", "count"),
    [
        ("skin", 1),
        ("gentle", 2),
        ("makes", 1),
        ("removed", 2),
        ("started", 2),
        ("redness", 2),
        ("sunscreen", 2),
        ("people", 2),
        ("area", 3),
        ("broad-spectrum", 3),
        ("inflammation", 4),
        ("usual", 3),
        ("special", 2),
        ("2026", 1),
    ],
)
def test_syllables(word: str, count: int) -> None:
    assert syllables(word) == count


def test_prose_leaves_out_what_a_reader_does_not_read() -> None:
    markdown = """\
## A heading {#an-id}

Text with a [link](https://example.org "title"), `code`, <b>bold</b> and **strong** words [@guide].
Second line of the same paragraph. [@other]

```
code block. Not prose.
```

| Name | Value |
| --- | --- |
| One cell | Two cell |

- First item
- Second item. With two sentences.
*[HTML]: Hyper Text
[ref]: https://example.org
"""
    found = blocks(markdown, 10)
    texts = [(b.kind, s.line, s.text, s.citations) for b in found for s in b.sentences]
    assert texts == [
        ("heading", 10, "A heading", ()),
        ("paragraph", 12, "Text with a link,, bold and strong words.", ("guide",)),
        ("paragraph", 13, "Second line of the same paragraph.", ("other",)),
        ("cell", 19, "Name", ()),
        ("cell", 19, "Value", ()),
        ("cell", 21, "One cell", ()),
        ("cell", 21, "Two cell", ()),
        ("item", 23, "First item", ()),
        ("item", 24, "Second item.", ()),
        ("item", 24, "With two sentences.", ()),
    ]


def test_sentences_do_not_end_at_abbreviations() -> None:
    found = blocks("Ask a nurse, e.g. Dr. Smith, about it. Then book.", 1)
    assert [s.text for b in found for s in b.sentences] == [
        "Ask a nurse, e.g. Dr. Smith, about it.",
        "Then book.",
    ]


def test_grade_formulas() -> None:
    grade = Grade(
        sentences=30, words=300, syllables=450, polysyllables=30, known_syllables=400,
        known_polysyllables=10,
    )  # fmt: skip
    assert grade.smog == pytest.approx(1.0430 * (30**0.5) + 3.1291, abs=0.05)
    assert grade.fk == pytest.approx(0.39 * 10 + 11.8 * 1.5 - 15.59, abs=0.05)
    assert grade.smog_adjusted < grade.smog and grade.fk_adjusted < grade.fk
    assert grade.value("both") == max(grade.smog_adjusted, grade.fk_adjusted)


def test_known_words_lower_the_adjusted_grade_only() -> None:
    sentences = [s for b in blocks("Microdermabrasion is a treatment.", 1) for s in b.sentences]
    raw = measure(sentences)
    known = measure(sentences, frozenset({"microdermabrasion"}))
    assert raw.smog == known.smog and known.smog_adjusted < raw.smog_adjusted


def test_a_hard_page_is_an_error_with_its_grade(tmp_path: Path) -> None:
    text = treatment(with_section(HARD * 3))
    found = [f for f in site(tmp_path, text).findings if f.rule == "reading-grade"]
    assert len(found) == 1
    assert found[0].severity == "error"
    assert "SMOG" in found[0].message and "raw" in found[0].message
    assert str(line_of(text, "Microdermabrasion utilises")) in found[0].message


def test_an_easy_page_is_not_flagged(tmp_path: Path) -> None:
    easy = "You lie down. We clean your skin. We put on the peel. It stings a bit.\n\n" * 4
    assert site(tmp_path, treatment(with_section(easy))).findings == []


def test_thresholds_are_settings(tmp_path: Path) -> None:
    text = treatment(with_section(HARD * 3))
    lenient = CheckSettings(grade_warning=30, grade_error=40)
    assert "reading-grade" not in rules(site(tmp_path, text, settings=lenient).findings)
    warn_only = CheckSettings(grade_error=40)
    levels = {
        f.severity
        for f in site(tmp_path, text, settings=warn_only).findings
        if f.rule == "reading-grade"
    }
    assert levels == {"warning"}


def test_a_hard_section_is_flagged_at_its_heading(tmp_path: Path) -> None:
    text = treatment(with_section(HARD * 2, "How it works"))
    found = [f for f in site(tmp_path, text).findings if f.rule == "reading-grade-section"]
    assert [f.line for f in found] == [line_of(text, "## How it works")]


def test_a_short_section_is_not_graded_alone(tmp_path: Path) -> None:
    text = treatment(with_section("Contraindications necessitate documentation.", "How it works"))
    assert "reading-grade-section" not in rules(site(tmp_path, text).findings)


def test_a_long_sentence_is_flagged_at_its_line(tmp_path: Path) -> None:
    long = " ".join(["word"] * 26) + "."
    text = treatment(with_section("Short one.\n" + long))
    found = [f for f in site(tmp_path, text).findings if f.rule == "sentence-long"]
    assert [(f.line, f.severity) for f in found] == [(line_of(text, "word word"), "warning")]
    assert "26 words" in found[0].message


def test_a_sentence_of_25_words_is_fine(tmp_path: Path) -> None:
    text = treatment(with_section(" ".join(["word"] * 25) + "."))
    assert "sentence-long" not in rules(site(tmp_path, text).findings)


def test_each_list_item_is_its_own_sentence(tmp_path: Path) -> None:
    items = "\n".join(f"- item {i} of a list without full stops" for i in range(8))
    assert "sentence-long" not in rules(site(tmp_path, treatment(with_section(items))).findings)
    assert words("item 1 of") == ["item", "1", "of"]


def test_a_long_paragraph_is_flagged(tmp_path: Path) -> None:
    text = treatment(with_section("One. Two. Three. Four. Five. Six."))
    found = [f for f in site(tmp_path, text).findings if f.rule == "paragraph-long"]
    assert [f.line for f in found] == [line_of(text, "One. Two.")]


def test_a_paragraph_of_five_sentences_is_fine(tmp_path: Path) -> None:
    text = treatment(with_section("One. Two. Three. Four. Five."))
    assert "paragraph-long" not in rules(site(tmp_path, text).findings)
