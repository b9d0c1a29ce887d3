"""The pages derived from the treatments: each treatment's page and the pages across them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment

from careleaf.glossary import Glossary
from careleaf.library import (
    COMPARE_PAGE,
    FAQ_PAGE,
    GLOSSARY_PAGE,
    WHO_SHOULD_AVOID_PAGE,
    Library,
)
from careleaf.model import FACT_LABELS, Treatment


class ClinicError(ValueError):
    """`extra.clinic` in mkdocs.yml is not usable; the message says how to fix it."""


@dataclass(frozen=True)
class Clinic:
    """The clinic behind the site, from `extra.clinic` in mkdocs.yml."""

    name: str
    phone: str = ""
    booking_url: str = ""
    address: str = ""
    fictional: bool = False

    @classmethod
    def from_config(cls, extra: dict[str, Any] | None, site_name: str) -> Clinic:
        clinic = (extra or {}).get("clinic") or {}
        if not isinstance(clinic, dict):
            raise ClinicError(
                "extra.clinic in mkdocs.yml must be 'name: value' lines "
                "(name, phone, booking_url, address, fictional)"
            )
        return cls(
            name=str(clinic.get("name") or site_name),
            phone=str(clinic.get("phone") or ""),
            booking_url=str(clinic.get("booking_url") or ""),
            address=str(clinic.get("address") or ""),
            fictional=bool(clinic.get("fictional", False)),
        )


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


def override_dir(project_root: Path, custom_dir: str | None) -> Path | None:
    """Where a site's own careleaf templates live: <theme custom_dir>/careleaf."""
    if not custom_dir:
        return None
    return (project_root / custom_dir / "careleaf").resolve()
