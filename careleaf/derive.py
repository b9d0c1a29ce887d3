"""The pages derived from the treatments: each treatment's page and the pages across them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment

from careleaf.clinic import Clinic
from careleaf.findings import Finding
from careleaf.glossary import Glossary
from careleaf.library import (
    COMPARE_PAGE,
    FAQ_PAGE,
    GLOSSARY_PAGE,
    WHO_SHOULD_AVOID_PAGE,
    Library,
)
from careleaf.model import FACT_LABELS, Treatment
from careleaf.render import make_environment, template_finding


class LayoutError(Exception):
    """A page's template failed; `finding` names its file and line."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(str(finding))
        self.finding = finding


@dataclass(frozen=True)
class DerivedPage:
    """A page the build makes: where it goes (relative to docs/) and its Markdown."""

    src_uri: str
    markdown: str


def page_url(src_uri: str, site_url: str) -> str:
    """The public address of a page, as MkDocs makes it with directory URLs."""
    path = src_uri[: -len(".md")]
    path = "" if path == "index" else path.removesuffix("/index") + "/"
    return site_url.rstrip("/") + "/" + path if site_url else "/" + path


def medical_web_page(t: Treatment, clinic: Clinic, url: str) -> dict[str, Any]:
    """schema.org MedicalWebPage data about one treatment, for search engines."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": t.title,
        "description": t.summary,
        "url": url,
        "inLanguage": "en",
        "audience": {"@type": "MedicalAudience", "audienceType": "Patient"},
        "about": {"@type": "MedicalProcedure", "name": t.title, "description": t.summary},
        "publisher": {"@type": "MedicalOrganization", "name": clinic.name},
        "citation": [s.url for s in t.cited_sources if s.url],
    }
    if t.keywords:
        data["keywords"] = ", ".join(t.keywords)
    if t.review:
        data["lastReviewed"] = t.review.reviewed.isoformat()
        data["reviewedBy"] = {"@type": "Person", "jobTitle": t.review.reviewer}
    return data


def fact_columns(library: Library) -> dict[str, str]:
    """The comparison's columns: the known facts first, in their order, then any others."""
    labels = {f.key: f.label for t in library.treatments for f in t.facts}
    known = [key for key in FACT_LABELS if key in labels]
    return {key: labels[key] for key in known + sorted(set(labels) - set(known))}


def derive_pages(
    library: Library,
    env: Environment,
    clinic: Clinic,
    site_url: str = "",
    glossary: Glossary | None = None,
) -> list[DerivedPage]:
    """Every derived page of the site, rendered through the templates."""
    pages = []
    for t in library.treatments:
        src_uri = library.src_uri(t)
        related = [r for slug in t.related if (r := library.by_slug(slug)) is not None]
        jsonld = medical_web_page(t, clinic, page_url(src_uri, site_url))
        markdown = env.get_template("treatment.md.j2").render(
            t=t, clinic=clinic, related=related, jsonld=jsonld
        )
        pages.append(DerivedPage(src_uri, markdown))
    shared = {"library": library, "clinic": clinic}
    for src_uri, template, extra in (
        (f"{library.folder}/index.md", "treatments-index.md.j2", {}),
        (FAQ_PAGE, "faq.md.j2", {}),
        (WHO_SHOULD_AVOID_PAGE, "who-should-avoid.md.j2", {}),
        (COMPARE_PAGE, "compare.md.j2", {"columns": fact_columns(library)}),
        (GLOSSARY_PAGE, "glossary.md.j2", {"glossary": glossary or Glossary()}),
    ):
        pages.append(DerivedPage(src_uri, env.get_template(template).render(**shared, **extra)))
    return pages


def render_pages(
    library: Library,
    templates: Path | None,
    project_root: Path,
    clinic: Clinic,
    site_url: str = "",
    glossary: Glossary | None = None,
) -> list[DerivedPage]:
    """Every derived page through the site's templates, then careleaf's.

    A template that fails raises `LayoutError`, whose finding names the template's line."""
    try:
        return derive_pages(library, make_environment(templates), clinic, site_url, glossary)
    except Exception as exc:
        finding = template_finding(exc, templates, project_root)
        if finding is None:
            raise
        raise LayoutError(finding) from None
