"""Rendering against golden files: a treatment file in, the exact page Markdown out.

After an intended change to a template, refresh them with `UPDATE_GOLDEN=1 make test`
and read the diff before committing it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES

from careleaf.derive import Clinic, derive_pages
from careleaf.library import load_library
from careleaf.render import make_environment

GOLDEN = Path(__file__).parent / "golden"
CLINIC = Clinic("Test Clinic", "+1 555 0100", "https://test.example/book", "1 Test Road", True)


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    docs = tmp_path_factory.mktemp("golden") / "docs"
    (docs / "treatments").mkdir(parents=True)
    shutil.copy(FIXTURES / "valid.md", docs / "treatments/test-peel.md")
    library = load_library(docs, docs.parent)
    assert library.findings == []
    rendered = derive_pages(library, make_environment(), CLINIC, "https://test.example/")
    return {page.src_uri: page.markdown for page in rendered}


@pytest.mark.parametrize(
    ("src_uri", "golden"),
    [
        ("treatments/test-peel.md", "treatment.md"),
        ("treatments/index.md", "treatments-index.md"),
        ("faq.md", "faq.md"),
        ("who-should-avoid.md", "who-should-avoid.md"),
        ("compare.md", "compare.md"),
    ],
)
def test_page_matches_golden_file(pages, src_uri, golden):
    expected = GOLDEN / golden
    if os.environ.get("UPDATE_GOLDEN"):
        expected.write_text(pages[src_uri])
    assert pages[src_uri] == expected.read_text()


def test_a_site_override_is_used_before_the_package_template(tmp_path, pages):
    (tmp_path / "faq.md.j2").write_text("# {{ clinic.name }} answers\n")
    docs = tmp_path / "docs"
    (docs / "treatments").mkdir(parents=True)
    library = load_library(docs, tmp_path)
    rendered = {
        p.src_uri: p.markdown for p in derive_pages(library, make_environment(tmp_path), CLINIC)
    }
    assert rendered["faq.md"] == "# Test Clinic answers\n"
    assert rendered["compare.md"].startswith("---\n")


def test_an_empty_library_still_renders_every_page(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    rendered = {
        p.src_uri: p.markdown
        for p in derive_pages(load_library(docs, tmp_path), make_environment(), CLINIC)
    }
    assert "There are no treatment guides yet." in rendered["treatments/index.md"]
    assert "No treatment lists its facts yet." in rendered["compare.md"]


def test_the_comparison_is_a_column_per_treatment_and_says_when_it_scrolls(tmp_path):
    """A column each, a row per fact (cards on a phone); more than three scroll sideways
    on a wide screen, and the page says so."""
    docs = tmp_path / "docs"
    (docs / "treatments").mkdir(parents=True)
    valid = (FIXTURES / "valid.md").read_text()

    def compare() -> str:
        library = load_library(docs, tmp_path)
        pages = derive_pages(library, make_environment(), CLINIC)
        return next(p.markdown for p in pages if p.src_uri == "compare.md")

    for n in range(1, 5):
        text = valid.replace("title: Test Peel", f"title: Peel {n}")
        (docs / "treatments" / f"peel-{n}.md").write_text(text)
        page = compare()
        assert page.count('<th scope="col">Peel ') == n
        assert page.count('data-label="Peel 1"') == page.count('<tr><th scope="row"')
        assert ("scroll it sideways" in page) == (n > 3)
