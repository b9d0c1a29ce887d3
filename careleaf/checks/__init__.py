"""The content rules: what careleaf tells an editor about the words on their pages.

One module per family: `readability`, `plain_words`, `claims`, `review`, `links`, `html`.
`run_checks` runs them all on a site's pages; `check_site` loads a site and runs them, the
same for `mkdocs build`, `mkdocs serve` and `careleaf check`.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field, replace
from pathlib import Path

from careleaf.checks.claims import check_claims
from careleaf.checks.html import check_html
from careleaf.checks.links import SiteMap, check_links
from careleaf.checks.pages import Page, markdown_page, treatment_page
from careleaf.checks.plain_words import check_plain_words
from careleaf.checks.readability import check_readability, known_words
from careleaf.checks.review import check_review
from careleaf.checks.review import today as review_date
from careleaf.checks.settings import RULES, CheckSettings, SettingsError
from careleaf.findings import Finding
from careleaf.glossary import GLOSSARY_FILE, Glossary, load_glossary
from careleaf.library import (
    COMPARE_PAGE,
    FAQ_PAGE,
    GLOSSARY_PAGE,
    TREATMENTS_FOLDER,
    WHO_SHOULD_AVOID_PAGE,
    Library,
    display_path,
    load_library,
    markdown_files,
)
from careleaf.model import slugify

__all__ = [
    "RULES",
    "CheckSettings",
    "SettingsError",
    "SiteCheck",
    "check_site",
    "run_checks",
    "site_pages",
]


def site_pages(library: Library, docs_dir: Path, root: Path | None = None) -> list[Page]:
    """Every Markdown page an editor wrote: the treatments, then the other pages of docs/."""
    root = root or docs_dir.parent
    pages = [treatment_page(library, t, docs_dir) for t in library.treatments]
    treatments_folder = (docs_dir / library.folder).resolve()
    for path in markdown_files(docs_dir):
        if treatments_folder in path.resolve().parents:
            continue  # treatment files, read by the model (or reported by it)
        pages.append(markdown_page(path.relative_to(docs_dir).as_posix(), path, root))
    return pages


def _site_map(library: Library, pages: list[Page], docs_dir: Path, glossary: Glossary) -> SiteMap:
    anchors: dict[str, set[str] | None] = {p.src_uri: p.anchors for p in pages}
    for path in markdown_files(docs_dir):
        anchors.setdefault(path.relative_to(docs_dir).as_posix(), None)
    slugs = {t.slug for t in library.treatments}
    categories = {slugify(c) for c in library.categories} if len(library.categories) > 1 else set()
    anchors.update(
        {
            f"{library.folder}/index.md": categories,
            FAQ_PAGE: slugs,
            WHO_SHOULD_AVOID_PAGE: slugs,
            COMPARE_PAGE: set(),
            GLOSSARY_PAGE: {t.anchor for t in glossary.terms},
        }
    )
    return SiteMap(docs_dir, anchors)


def run_checks(
    library: Library,
    settings: CheckSettings,
    today: dt.date | None = None,
    docs_dir: Path = Path("docs"),
    glossary: Glossary | None = None,
    root: Path | None = None,
) -> list[Finding]:
    """Every finding of the content rules on the site's pages, but the rules turned off.

    `today` decides which reviews are due (the real date when not given); a page's front
    matter `checks: {ignore: [rule-id]}` turns rules off for that page.
    """
    today = today or review_date()
    glossary = glossary or Glossary()
    pages = site_pages(library, docs_dir, root)
    site = _site_map(library, pages, docs_dir, glossary)
    findings: list[Finding] = []
    for page in pages:
        known = known_words(page, glossary.words)
        found = check_readability(page, settings, known)
        found += check_plain_words(page, settings, known, glossary.defines)
        found += check_claims(page, settings)
        found += check_links(page, site, settings)
        found += check_html(page, settings)
        if page.treatment is not None:
            found += check_review(page.treatment, settings, today)
        ignored = page.ignored_rules | settings.disable
        findings += page.findings  # a file that cannot be read cannot be built
        findings += [f for f in found if f.rule not in ignored]
        findings += _unknown_ignored_rules(page)
    return sorted(findings, key=lambda f: (f.path, f.line, f.column, f.rule))


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


@dataclass
class SiteCheck:
    """A site loaded and checked: its treatments, glossary, pages and every finding."""

    library: Library
    glossary: Glossary
    settings: CheckSettings
    docs_dir: Path
    root: Path
    findings: list[Finding] = field(default_factory=list)


def check_site(
    docs_dir: Path,
    root: Path,
    settings: CheckSettings,
    folder: str = TREATMENTS_FOLDER,
    glossary_file: str = GLOSSARY_FILE,
    today: dt.date | None = None,
) -> SiteCheck:
    """Load a site's treatments and glossary and run every rule: the model's and the content's."""
    library = load_library(docs_dir, root, folder)
    path = docs_dir / glossary_file
    glossary = load_glossary(path, display_path(path, root))
    findings = [
        *_model_warnings_kept(library, settings),
        *glossary.findings,
        *run_checks(library, settings, today, docs_dir, glossary, root),
    ]
    return SiteCheck(library, glossary, settings, docs_dir, root, findings)
