"""The content rules: what careleaf tells an editor about the words on their pages.

One module per family: `readability`, `plain_words`, `claims`, `review`, `links`, `html`,
`drafts` (the notes `careleaf import` leaves).
`run_checks` runs them all on pages already read; `careleaf.build` reads the site and calls
it, the same for `mkdocs build`, `mkdocs serve` and `careleaf check`.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import replace

from careleaf.checks.claims import check_claims
from careleaf.checks.drafts import check_drafts
from careleaf.checks.html import check_html
from careleaf.checks.links import SiteMap, check_links
from careleaf.checks.pages import Page
from careleaf.checks.plain_words import check_plain_words
from careleaf.checks.readability import check_readability, known_words
from careleaf.checks.review import check_review
from careleaf.checks.review import today as review_date
from careleaf.checks.settings import RULES, CheckSettings, SettingsError
from careleaf.findings import Finding
from careleaf.glossary import Glossary
from careleaf.library import Library

__all__ = ["RULES", "CheckSettings", "Judged", "SettingsError", "SiteMap", "run_checks"]


# What a page's own rules found, by the page's file: its text then, and the findings.
Judged = dict[str, tuple[str, list[Finding]]]


def run_checks(
    library: Library,
    pages: list[Page],
    site: SiteMap,
    settings: CheckSettings,
    glossary: Glossary | None = None,
    today: dt.date | None = None,
    judged: Judged | None = None,
) -> list[Finding]:
    """Every finding on the site's pages, the content model's and the content rules', sorted.

    The rules a site's `disable` setting or a page's front matter `checks: {ignore: [rule-id]}`
    turns off are left out; `today` decides which reviews are due (the real date when not
    given); `site` knows every page and anchor a link may go to. `judged`, kept from an
    earlier run with the same settings, glossary and day, spares judging a page again whose
    text has not changed (its links are judged again: other pages may have changed).
    """
    today = today or review_date()
    glossary = glossary or Glossary()
    findings = _model_warnings_kept(library, settings)
    for page in pages:
        text = "\n".join(page.lines)
        earlier = judged.get(page.path) if judged is not None else None
        if earlier is not None and earlier[0] == text:
            found = list(earlier[1])
        else:
            found = _page_rules(page, settings, glossary, today)
            page.forget_prose()  # read again if asked (the report): not all held at once
            if judged is not None:
                judged[page.path] = (text, list(found))
        found += check_links(page, site, settings)
        ignored = page.ignored_rules | settings.disable
        findings += page.findings  # a file that cannot be read cannot be built
        findings += [f for f in found if f.rule not in ignored]
        findings += _unknown_ignored_rules(page)
    return sorted(findings, key=lambda f: (f.path, f.line, f.column, f.rule))


def _page_rules(
    page: Page, settings: CheckSettings, glossary: Glossary, today: dt.date
) -> list[Finding]:
    """What the rules that read only the page itself find on it."""
    known = known_words(page, glossary.words)
    found = check_readability(page, settings, known)
    found += check_plain_words(page, settings, known, glossary.defines)
    found += check_claims(page, settings)
    found += check_html(page, settings)
    found += check_drafts(page, settings)
    if page.treatment is not None:
        found += check_review(page.treatment, settings, today)
    return found


def _unknown_ignored_rules(page: Page) -> list[Finding]:
    """A rule id in a page's `checks: {ignore: [...]}` that no rule has: likely a typo."""
    found = []
    for rule in sorted(page.ignored_rules - set(RULES)):
        close = difflib.get_close_matches(rule, list(RULES), n=1)
        hint = f'did you mean "{close[0]}"?' if close else "rules: " + ", ".join(RULES)
        line = page.treatment.value_line("checks", rule) if page.treatment else 1
        found.append(
            Finding(page.path, line, "field-invalid", f"checks.ignore: no rule '{rule}': {hint}")
        )
    return found


def _model_warnings_kept(library: Library, settings: CheckSettings) -> list[Finding]:
    """The content model's findings, but its warnings that a site or page turned off.

    Its errors cannot be turned off: a page that cannot be read cannot be built.
    """
    ignored = {t.path: t.ignored_rules for t in library.treatments}
    return [
        # Its warnings take the severity the site gives them (`severity: {faq-id-missing: error}`).
        replace(f, severity=settings.level(f.rule)) if f.rule in RULES else f
        for f in library.findings
        if f.severity == "error"
        or (f.rule not in settings.disable and f.rule not in ignored.get(f.path, frozenset()))
    ]
