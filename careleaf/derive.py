"""The pages derived from the treatments: each treatment's page and the pages across them."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment

from careleaf.findings import Finding
from careleaf.glossary import Glossary
from careleaf.library import (
    COMPARE_PAGE,
    FAQ_PAGE,
    GLOSSARY_PAGE,
    TREATMENTS_FOLDER,
    WHO_SHOULD_AVOID_PAGE,
    Library,
)
from careleaf.model import FACT_LABELS, Treatment
from careleaf.render import make_environment, template_finding


class ConfigError(ValueError):
    """A careleaf setting in mkdocs.yml is not usable; the message names it and how to fix it."""


class ClinicError(ConfigError):
    """`extra.clinic` in mkdocs.yml is not usable; the message says how to fix it."""


class LayoutError(Exception):
    """A page's template failed; `finding` names its file and line."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(str(finding))
        self.finding = finding


_CLINIC_TEXT = ("name", "phone", "booking_url", "address")
_CLINIC_FIELDS = "(name, phone, booking_url, address, fictional)"


@dataclass(frozen=True)
class Clinic:
    """The clinic behind the site, from `extra.clinic` in mkdocs.yml."""

    name: str
    phone: str = ""
    booking_url: str = ""
    address: str = ""
    fictional: bool = False

    @classmethod
    def from_config(cls, extra: Any, site_name: str) -> Clinic:
        """The clinic of mkdocs.yml's `extra` mapping; what would publish wrong is refused."""
        if extra is not None and not isinstance(extra, dict):
            raise ClinicError(
                "extra in mkdocs.yml must be 'name: value' lines, such as 'clinic:' with the "
                f"clinic's details under it {_CLINIC_FIELDS}"
            )
        clinic = (extra or {}).get("clinic") or {}
        if not isinstance(clinic, dict):
            raise ClinicError(
                f"extra.clinic in mkdocs.yml must be 'name: value' lines {_CLINIC_FIELDS}"
            )
        text = {key: _clinic_text(clinic, key) for key in _CLINIC_TEXT}
        fictional = clinic.get("fictional")
        if fictional is not None and not isinstance(fictional, bool):
            # YAML reads `"false"` as text, and any text would count as true.
            raise ClinicError(
                f"extra.clinic.fictional in mkdocs.yml must be true or false, not {fictional!r}"
            )
        _check_booking_url(text["booking_url"])
        if text["phone"] and not re.fullmatch(r"\+?[0-9][0-9 ()./-]*", text["phone"]):
            # It becomes a tel: link a phone dials.
            raise ClinicError(
                "extra.clinic.phone in mkdocs.yml must be a phone number: digits, spaces and "
                f"+ ( ) . - only, not {text['phone']!r}"
            )
        return cls(
            name=text["name"] or site_name,
            phone=text["phone"],
            booking_url=text["booking_url"],
            address=text["address"],
            fictional=bool(fictional),
        )


def _clinic_text(clinic: dict[str, Any], key: str) -> str:
    value = clinic.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        # A list would be published as Python's ['A', 'B']; a number may not be what was
        # written (YAML reads 0123 as 83).
        raise ClinicError(
            f"extra.clinic.{key} in mkdocs.yml must be text (in quotes if need be), not {value!r}"
        )
    return value.strip()


_UNSAFE_IN_LINK = re.compile(r"[\s<>\"'`\\]")


def _check_booking_url(url: str) -> None:
    """The booking link is published on every page: only a whole web address will do."""
    if not url:
        return
    parts = urlsplit(url)
    if (
        parts.scheme.lower() not in ("http", "https")
        or not parts.hostname
        or _UNSAFE_IN_LINK.search(url)
    ):
        raise ClinicError(
            "extra.clinic.booking_url in mkdocs.yml must be a full web address starting "
            f"with https:// (or http://), such as https://clinic.example/book, not {url!r}"
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


def templates_folder(
    project_root: Path, templates_dir: str | None, custom_dir: str | None
) -> Path | None:
    """Where a site's own templates live: the `templates_dir` option, else <custom_dir>/careleaf."""
    if templates_dir:
        return (project_root / templates_dir).resolve()
    if not custom_dir:
        return None
    return (project_root / custom_dir / "careleaf").resolve()


def treatments_folder(value: Any) -> str:
    """The `treatments_dir` option as a folder under docs/: 'treatments/' is 'treatments'.

    The build and `careleaf check` read it through here, so they find the same files."""
    if value is None:
        return TREATMENTS_FOLDER
    folder = posixpath.normpath(value.strip().replace("\\", "/")) if isinstance(value, str) else ""
    if folder in ("", ".", "/") or folder == ".." or folder.startswith(("../", "/")):
        raise ConfigError(
            f"careleaf's treatments_dir in mkdocs.yml must name a folder inside docs/, "
            f"such as 'treatments', not {value!r}"
        )
    return folder


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
