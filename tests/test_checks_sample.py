"""The sample site passes the gate, and its glossary reaches readers."""

from __future__ import annotations

from pathlib import Path

import pytest

from careleaf.build import Site, build_content
from careleaf.checks.readability import grade_page, known_words
from careleaf.cli import _use_colour, format_text
from careleaf.findings import Finding

ROOT = Path(__file__).resolve().parents[1]


def test_the_sample_content_has_no_findings() -> None:
    assert build_content(Site(ROOT / "docs", ROOT)).findings == []


def test_the_sample_treatment_reads_at_smog_8_or_lower() -> None:
    checked = build_content(Site(ROOT / "docs", ROOT))
    for page in checked.pages:
        grade = grade_page(page, known_words(page, checked.glossary.words)).grade
        assert grade.smog_adjusted <= 7, page.path
        if page.treatment is not None:
            assert grade.smog <= 8, page.path


def test_glossary_terms_are_tooltips_and_have_a_page(sample_site: Path) -> None:
    page = (sample_site / "treatments" / "microdermabrasion" / "index.html").read_text()
    assert '<abbr title="A strong pill used to treat bad acne.">isotretinoin</abbr>' in page
    glossary = (sample_site / "glossary" / "index.html").read_text()
    assert '<dt id="cold-sore">Cold sore</dt>' in glossary
    assert not (sample_site / "glossary.yml").exists()


def test_text_output_is_coloured_only_on_request(monkeypatch: pytest.MonkeyPatch) -> None:
    findings = [Finding("docs/x.md", 3, "plain-word", "say 'use'", "warning")]
    assert "\x1b[" in format_text(findings, colour=True, pages=4)
    plain = format_text(findings, colour=False, pages=4)
    assert plain.splitlines() == [
        "docs/x.md",
        "     3:1   warning plain-word  say 'use'",
        "",
        "0 errors, 1 warning in 1 file (4 pages checked)",
    ]

    class Tty:
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert _use_colour(Tty())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not _use_colour(Tty())
