"""Medical review: is the page's review current, and is every listed source cited?"""

from __future__ import annotations

import datetime as dt
import os

from careleaf.checks.settings import CheckSettings, SettingsError
from careleaf.findings import Finding
from careleaf.model import Treatment

TODAY_VARIABLE = "CARELEAF_TODAY"


def today() -> dt.date:
    """The date reviews are judged against: $CARELEAF_TODAY (YYYY-MM-DD) if set, else today.

    Setting it shows what will be due on a later date, and keeps tests of real content stable.
    """
    value = os.environ.get(TODAY_VARIABLE, "").strip()
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise SettingsError(
            f"{TODAY_VARIABLE} must be a date written YYYY-MM-DD, not '{value}'"
        ) from None


def check_review(t: Treatment, settings: CheckSettings, today: dt.date) -> list[Finding]:
    """Review dates against `today`, and sources listed but never cited."""
    findings: list[Finding] = []
    review = t.review
    # Dates in the wrong order are the model's finding (review-dates-order): one line is enough.
    if review is not None and review.next_review > review.reviewed:
        if review.reviewed > today:
            findings.append(
                Finding(
                    t.path,
                    review.reviewed_line or review.line,
                    "review-date-future",
                    f"review.reviewed ({review.reviewed}) is in the future: "
                    "give the date the review was done",
                    settings.level("review-date-future"),
                )
            )
        if review.next_review < today:
            findings.append(
                Finding(
                    t.path,
                    review.next_review_line or review.line,
                    "review-overdue",
                    f"the medical review was due on {review.next_review}: have the page "
                    "reviewed, then update review.reviewed and review.next_review",
                    settings.level("review-overdue"),
                )
            )
        elif (review.next_review - today).days <= settings.review_due_days:
            days = (review.next_review - today).days
            findings.append(
                Finding(
                    t.path,
                    review.next_review_line or review.line,
                    "review-due-soon",
                    f"the medical review is due on {review.next_review} (in {days} "
                    f"day{'s' if days != 1 else ''}): book it with the reviewer",
                    settings.level("review-due-soon"),
                )
            )
    cited = {c.source_id for c in t.citations}
    for source in t.sources:
        if source.id not in cited and not source.further_reading:
            findings.append(
                Finding(
                    t.path,
                    source.line,
                    "source-uncited",
                    f"source '{source.id}' is never cited: cite it in the text as "
                    f"[@{source.id}], mark it 'further_reading: true', or remove it",
                    settings.level("source-uncited"),
                )
            )
    return findings
