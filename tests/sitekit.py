"""Small sites for the content rules' tests: one treatment whose body a test writes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from careleaf.build import Content, Site, build_content
from careleaf.checks import CheckSettings
from careleaf.findings import Finding

TODAY = dt.date(2026, 11, 25)

FRONT = """\
---
title: Test Peel
summary: A mild peel used in tests.
review:
  reviewer: Clinic nurse
  reviewed: {reviewed}
  next_review: {next_review}
sources:
  - id: guide
    title: A test guide
    url: https://example.org/guide
{more_sources}{extra}---
"""

BODY = """
## What it is

A mild peel that takes off dead skin [@guide].

## Benefits

Skin may feel smoother [@guide].

## How it works

An acid loosens the top layer of skin.

## Who should avoid it

People with sunburn.

## Risks and side effects

Redness for a day.

## FAQ

### Does it hurt? {#does-it-hurt}

It stings a little.
"""


def treatment(
    body: str = BODY,
    reviewed: str = "2026-10-01",
    next_review: str = "2027-10-01",
    more_sources: str = "",
    extra: str = "",
) -> str:
    return (
        FRONT.format(
            reviewed=reviewed, next_review=next_review, more_sources=more_sources, extra=extra
        )
        + body
    )


def with_section(text: str, section: str = "What it is") -> str:
    """The standard body with `text` added as the first paragraph of a section."""
    return BODY.replace(f"## {section}\n\n", f"## {section}\n\n{text}\n\n", 1)


def site(
    tmp_path: Path,
    text: str | None = None,
    files: dict[str, str] | None = None,
    settings: CheckSettings | None = None,
    today: dt.date = TODAY,
) -> Content:
    docs = tmp_path / "docs"
    (docs / "treatments").mkdir(parents=True, exist_ok=True)
    (docs / "treatments" / "test-peel.md").write_text(text if text is not None else treatment())
    for name, content in (files or {}).items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(content)
    return build_content(Site(docs, tmp_path, settings=settings or CheckSettings()), today=today)


def rules(findings: list[Finding]) -> list[str]:
    return [f.rule for f in findings]


def line_of(text: str, needle: str) -> int:
    """The 1-based line of `text` where `needle` first appears."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in text")
