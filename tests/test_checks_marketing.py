"""The clinic's own treatment information, as a treatment page: the gate must stop it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import MINIMAL_CONFIG, mkdocs
from marketing_page import FIXTURE, SHARED_TEXT, build_marketing_page
from sitekit import line_of, site

from careleaf.build import Site, build_content
from careleaf.checks.pages import treatment_page
from careleaf.checks.readability import grade_page, known_words

ROOT = Path(__file__).resolve().parents[1]

# Claims of the treatment information (see ../shared/content-brief.md) and the words that make each.
CLAIMS = [
    ("claim-forbidden", "completely non-invasive"),
    ("claim-forbidden", "painless"),
    ("claim-forbidden", "as effective as"),
    ("claim-forbidden", "treating yourself"),
    ("claim-forbidden", "any skin type"),
    ("claim-uncited", "reduction of wrinkles"),
    ("claim-uncited", "heal mild cases of acne"),
    ("claim-uncited", "lessen pigmentation"),
    ("claim-uncited", "reducing oily skin"),
    ("claim-uncited", "new collagen"),
    ("claim-uncited", "produce elastin"),
    ("claim-uncited", "increase the flow of blood"),
    ("claim-uncited", "seen with the initial treatment"),
]


@pytest.mark.skipif(not SHARED_TEXT.exists(), reason="../shared is not beside the repository")
def test_the_fixture_still_matches_the_shared_text() -> None:
    expected = build_marketing_page(SHARED_TEXT.read_text(encoding="utf-8"))
    assert FIXTURE.read_text(encoding="utf-8") == expected, (
        "the treatment information changed: run `python tests/marketing_page.py`"
    )


@pytest.fixture
def marketing(tmp_path: Path) -> tuple[str, list]:
    text = FIXTURE.read_text(encoding="utf-8")
    return text, site(tmp_path, text).findings


def test_its_claims_are_named_with_their_lines(marketing: tuple[str, list]) -> None:
    text, findings = marketing
    claims = [f for f in findings if f.rule.startswith("claim-")]
    for rule, words in CLAIMS:
        assert any(
            f.rule == rule and f.line == line_of(text, words) and words in f.message for f in claims
        ), words
    assert sum(1 for f in claims if f.severity == "error") >= 5


def test_its_reading_grade_is_too_high(marketing: tuple[str, list]) -> None:
    text, findings = marketing
    grade = [f for f in findings if f.rule == "reading-grade"]
    assert len(grade) == 1 and grade[0].severity == "error"
    long = {f.line for f in findings if f.rule == "sentence-long"}
    assert line_of(text, "More than one treatment") in long


def test_its_raw_smog_grade_is_about_11(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "treatments").mkdir(parents=True)
    shutil.copy(FIXTURE, docs / "treatments" / "microdermabrasion.md")
    checked = build_content(Site(docs, tmp_path))
    page = treatment_page(checked.library, checked.library.treatments[0], docs)
    grade = grade_page(page, known_words(page, [])).grade
    assert 10 <= grade.smog <= 13
    assert grade.smog_adjusted < grade.smog


def test_the_build_fails_on_it(tmp_path: Path) -> None:
    (tmp_path / "docs" / "treatments").mkdir(parents=True)
    (tmp_path / "overrides").mkdir()
    (tmp_path / "mkdocs.yml").write_text(MINIMAL_CONFIG)
    (tmp_path / "docs" / "index.md").write_text("# Test Clinic\n\nA test site.\n")
    shutil.copy(FIXTURE, tmp_path / "docs" / "treatments" / "microdermabrasion.md")
    result = mkdocs(tmp_path, "build", "--strict")
    assert result.returncode != 0
    assert "claim-forbidden: 'painless'" in result.stderr
    assert "reading-grade" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()
