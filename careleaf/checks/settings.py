"""The settings of the content rules: what the plugin's `checks` option in mkdocs.yml says.

MkDocs validates that option (`careleaf.config.ChecksConfig`); the rules get this plain,
already valid record of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from careleaf.clinic import SettingsError
from careleaf.findings import Severity

# SettingsError is raised by the rules that read word lists; it is named here for them.
__all__ = ["MEASURES", "RULES", "CheckSettings", "SettingsError"]

# Every rule of careleaf/checks/ with its default severity.
RULES: dict[str, Severity] = {
    "reading-grade": "warning",  # an error above `grade_error`
    "reading-grade-section": "warning",  # an error above `grade_error`
    "sentence-long": "warning",
    "paragraph-long": "warning",
    "plain-word": "warning",
    "claim-forbidden": "error",
    "claim-uncited": "warning",  # claims.yml can make one an error
    "review-overdue": "error",
    "review-due-soon": "warning",
    "review-date-future": "error",
    "source-uncited": "warning",
    "link-broken": "error",
    "anchor-broken": "error",
    "link-malformed": "error",
    "html-unsafe": "error",
    "html-comment": "warning",  # judged on the published page too
    "faq-id-missing": "warning",  # the content model's one warning
    "site-url-missing": "warning",  # mkdocs.yml's: what a published site's addresses need
    # Notes `careleaf import` leaves in a draft (careleaf/checks/drafts.py): each is reported
    # until the editor has seen to it and deleted the note.
    "import-marked": "error",
    "import-unsorted": "error",
    "import-missing": "error",
}

MEASURES = ("smog", "fk", "both")


@dataclass(frozen=True)
class CheckSettings:
    """Thresholds, severities and rules turned off; every field has a sensible default."""

    grade_warning: float = 7
    grade_error: float = 9
    grade_measure: str = "both"
    min_sentences: int = 5
    sentence_words: int = 25
    paragraph_sentences: int = 5
    review_due_days: int = 30
    plain_words: tuple[Path, ...] = ()
    claims: tuple[Path, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)
    disable: frozenset[str] = frozenset()

    def level(self, rule: str, default: Severity | None = None) -> Severity:
        """The severity a rule reports with: the site's choice, else its own."""
        return self.severity.get(rule) or default or RULES[rule]
