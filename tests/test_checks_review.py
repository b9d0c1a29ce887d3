"""Review dates and sources."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sitekit import TODAY, line_of, rules, site, treatment


def test_a_current_review_is_fine(tmp_path: Path) -> None:
    assert site(tmp_path, treatment(next_review="2026-12-26")).findings == []


def test_an_overdue_review_is_an_error(tmp_path: Path) -> None:
    text = treatment(next_review="2026-11-24")
    found = site(tmp_path, text).findings
    assert [(f.rule, f.severity, f.line) for f in found] == [
        ("review-overdue", "error", line_of(text, "next_review:"))
    ]


def test_a_review_due_within_30_days_is_a_warning(tmp_path: Path) -> None:
    found = site(tmp_path, treatment(next_review="2026-12-25")).findings
    assert [(f.rule, f.severity) for f in found] == [("review-due-soon", "warning")]
    assert "in 30 days" in found[0].message


def test_due_today_is_due_soon_not_overdue(tmp_path: Path) -> None:
    found = site(tmp_path, treatment(next_review=TODAY.isoformat())).findings
    assert rules(found) == ["review-due-soon"]


def test_a_review_in_the_future_is_an_error(tmp_path: Path) -> None:
    text = treatment(reviewed="2026-11-26")
    found = site(tmp_path, text).findings
    assert [(f.rule, f.severity, f.line) for f in found] == [
        ("review-date-future", "error", line_of(text, "reviewed: 2026-11-26"))
    ]


def test_today_is_injectable(tmp_path: Path) -> None:
    later = site(tmp_path, treatment(), today=dt.date(2028, 1, 1)).findings
    assert rules(later) == ["review-overdue"]


def test_a_source_never_cited_is_a_warning(tmp_path: Path) -> None:
    text = treatment(more_sources="  - id: unused\n    title: Unused\n")
    found = site(tmp_path, text).findings
    assert [(f.rule, f.severity, f.line) for f in found] == [
        ("source-uncited", "warning", line_of(text, "id: unused"))
    ]


def test_a_further_reading_source_need_not_be_cited(tmp_path: Path) -> None:
    text = treatment(more_sources="  - id: more\n    title: More\n    further_reading: true\n")
    assert site(tmp_path, text).findings == []
