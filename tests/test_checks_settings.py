"""The rules' settings, per-page exceptions and the glossary file.

Wrong settings are refused by MkDocs when it loads mkdocs.yml: see test_config.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from sitekit import rules, site, treatment, with_section

from careleaf.checks import RULES, CheckSettings
from careleaf.glossary import Glossary, abbreviations, load_glossary


def test_defaults() -> None:
    settings = CheckSettings()
    assert (settings.grade_warning, settings.grade_error) == (7, 9)
    assert settings.level("claim-forbidden") == "error"
    assert set(RULES) >= {"reading-grade", "claim-uncited", "html-unsafe", "link-broken"}


def test_rules_can_be_turned_off_and_their_severity_changed(tmp_path: Path) -> None:
    text = treatment(with_section("It is painless and reaches the dermis."))
    assert set(rules(site(tmp_path, text).findings)) == {"claim-forbidden", "plain-word"}
    off = CheckSettings(disable=frozenset({"plain-word"}))
    assert rules(site(tmp_path, text, settings=off).findings) == ["claim-forbidden"]
    soft = CheckSettings(severity={"claim-forbidden": "warning"})
    assert {f.severity for f in site(tmp_path, text, settings=soft).findings} == {"warning"}


def test_a_page_can_ignore_a_rule(tmp_path: Path) -> None:
    body = with_section("It reaches the dermis.")
    ignoring = treatment(body, extra="checks:\n  ignore: [plain-word]\n")
    assert site(tmp_path, ignoring).findings == []
    other = "---\nchecks:\n  ignore: [claim-forbidden]\n---\n# Home\n\nIt is painless.\n"
    assert site(tmp_path, files={"index.md": other}).findings == []


def test_a_glossary_is_read_in_order(tmp_path: Path) -> None:
    path = tmp_path / "glossary.yml"
    path.write_text("SPF: Sun cover.\nCold sore: A blister.\n")
    glossary = load_glossary(path, "docs/glossary.yml")
    assert [t.term for t in glossary.terms] == ["Cold sore", "SPF"]
    assert glossary.findings == []
    assert glossary.defines("cold sores") and not glossary.defines("wart")
    md = "Cold sores and a cold sore. SPF 30."
    assert abbreviations(md, glossary).splitlines() == [
        "*[Cold sores]: A blister.",
        "*[SPF]: Sun cover.",
        "*[cold sore]: A blister.",
    ]


def test_no_glossary_is_an_empty_glossary(tmp_path: Path) -> None:
    glossary = load_glossary(tmp_path / "glossary.yml", "docs/glossary.yml")
    assert glossary == Glossary(path="docs/glossary.yml")


@pytest.mark.parametrize(
    ("text", "line", "rule"),
    [
        ("SPF: Sun cover.\nWart: [a list]\n", 2, "glossary-entry"),
        ("SPF: Sun cover.\nspf: Again.\n", 2, "glossary-duplicate"),
        ("SPF: Sun cover.\nWart: a: b: c\n", 2, "glossary-syntax"),
        ("- just\n- a list\n", 1, "glossary-syntax"),
        ("SPF: Sun cover.\nWart:\n", 2, "glossary-entry"),
    ],
)
def test_a_malformed_glossary_is_reported_with_its_line(
    tmp_path: Path, text: str, line: int, rule: str
) -> None:
    path = tmp_path / "glossary.yml"
    path.write_text(text)
    found = load_glossary(path, "docs/glossary.yml").findings
    assert [(f.path, f.line, f.rule, f.severity) for f in found] == [
        ("docs/glossary.yml", line, rule, "error")
    ]


def test_glossary_findings_are_part_of_the_site_check(tmp_path: Path) -> None:
    found = site(tmp_path, files={"glossary.yml": "Wart:\n"}).findings
    assert rules(found) == ["glossary-entry"]
