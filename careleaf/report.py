"""The quality report: one self-contained HTML page an editor opens in a browser.

Each page's reading grade against the target, its findings, and the treatments by their next
review date. No scripts, fonts or styles from elsewhere: the page works from a file or an email.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from careleaf.build import Content
from careleaf.checks.readability import Grade, grade_page, known_words
from careleaf.checks.review import today as review_date
from careleaf.findings import Finding, errors
from careleaf.render import PACKAGE_TEMPLATES, long_date

# The grade the bars run up to: past it, a bar is full.
SCALE = 16.0


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    kind: str  # "adjusted" or "raw"

    @property
    def percent(self) -> float:
        return round(min(max(self.value, 0.0), SCALE) / SCALE * 100, 1)


@dataclass(frozen=True)
class PageReport:
    path: str
    title: str
    grade: Grade
    value: float
    status: str  # "ok", "warning" or "error"
    bars: list[Bar]
    sections: list[tuple[str, int, Grade, float]]
    findings: list[Finding]


@dataclass(frozen=True)
class ReviewRow:
    path: str
    title: str
    reviewer: str
    reviewed: str
    next_review: str
    days: int
    status: str


def _bars(grade: Grade) -> list[Bar]:
    return [
        Bar("SMOG", grade.smog_adjusted, "adjusted"),
        Bar("SMOG raw", grade.smog, "raw"),
        Bar("Flesch-Kincaid", grade.fk_adjusted, "adjusted"),
        Bar("Flesch-Kincaid raw", grade.fk, "raw"),
    ]


def build_report(content: Content, today: dt.date | None = None) -> dict[str, Any]:
    """What the report shows, ready for its template."""
    today = today or review_date()
    settings = content.site.settings
    by_path: dict[str, list[Finding]] = {}
    for f in sorted(content.findings, key=lambda f: (f.line, f.column)):
        by_path.setdefault(f.path, []).append(f)

    def status(value: float) -> str:
        if value > settings.grade_error:
            return "error"
        return "warning" if value > settings.grade_warning else "ok"

    pages: list[PageReport] = []
    for page in content.pages:
        grades = grade_page(page, known_words(page, content.glossary.words))
        value = grades.grade.value(settings.grade_measure)
        pages.append(
            PageReport(
                page.path,
                page.title,
                grades.grade,
                value,
                status(value),
                _bars(grades.grade),
                [(t, line, g, g.value(settings.grade_measure)) for t, line, g in grades.sections],
                by_path.pop(page.path, []),
            )
        )
    reviews = []
    for t in content.library.treatments:
        if t.review is None:
            continue
        days = (t.review.next_review - today).days
        state = "error" if days < 0 else ("warning" if days <= settings.review_due_days else "ok")
        reviews.append(
            ReviewRow(
                t.path,
                t.title,
                t.review.reviewer,
                long_date(t.review.reviewed),
                long_date(t.review.next_review),
                days,
                state,
            )
        )
    reviews.sort(key=lambda r: r.days)
    return {
        "pages": pages,
        "other_findings": by_path,  # glossary, files the model could not read, ...
        "reviews": reviews,
        "settings": settings,
        "scale": SCALE,
        "target_percent": round(settings.grade_warning / SCALE * 100, 1),
        "limit_percent": round(settings.grade_error / SCALE * 100, 1),
        "n_errors": len(errors(content.findings)),
        "n_warnings": len(content.findings) - len(errors(content.findings)),
        "today": long_date(today),
    }


def render_report(content: Content, clinic: str, today: dt.date | None = None) -> str:
    """The report as one HTML page."""
    env = Environment(
        loader=FileSystemLoader(str(PACKAGE_TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("report.html.j2").render(clinic=clinic, **build_report(content, today))
