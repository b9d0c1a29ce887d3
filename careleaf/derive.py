"""The pages derived from the treatments: each treatment's page and the pages across them."""

from __future__ import annotations

import json
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

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
from careleaf.links import (
    HANDOUTS,
    MOVED_ANCHORS,
    SCRIPT,
    STAFF_PAGE,
    Links,
    ShortLink,
    page_address,
    qr_svg,
    relative,
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


@dataclass(frozen=True)
class DerivedFile:
    """A file the build makes that is not a page: a forwarding page, a QR code, data for
    the site's script. `uri` is where it goes in the site; its content is made when asked
    for (`careleaf check` never asks for a QR code's)."""

    uri: str
    make: Callable[[], str]
    # Text that a file holds only when it has this content (a QR code's address), so a
    # build may keep the file the build before made; '' when none.
    same_when: str = ""

    @property
    def content(self) -> str:
        return self.make()


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
        handout = posixpath.relpath(handout_uri(t), posixpath.dirname(src_uri))
        markdown = env.get_template("treatment.md.j2").render(
            t=t, clinic=clinic, related=related, jsonld=jsonld, handout=handout
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


def handout_uri(t: Treatment) -> str:
    """Where a treatment's handout page goes, relative to docs/."""
    return f"{HANDOUTS}/{t.slug}.md"


def qr_uri(short: ShortLink) -> str:
    """Where the QR code of a short link goes in the site: qr/t-<slug>.svg, qr/q-<code>.svg."""
    kind, name = short.address.strip("/").split("/")[-2:]
    return f"qr/{kind}-{name}.svg"


def printed(links: Links, short: ShortLink) -> str:
    """A short link as staff say it and print it: the host and path, no https://."""
    full = links.absolute(short.address)
    return full.partition("://")[2].rstrip("/") if full else short.address


def derive_link_pages(
    library: Library, links: Links, env: Environment, clinic: Clinic
) -> list[DerivedPage]:
    """Each treatment's printable handout, and the staff's page of short links and QR codes."""
    pages = []
    for t in library.treatments:
        src_uri = handout_uri(t)
        short = links.treatments[t.slug]
        here = page_address(src_uri)
        markdown = env.get_template("handout.md.j2").render(
            t=t,
            clinic=clinic,
            src=src_uri,
            page=library.src_uri(t),
            guide=posixpath.relpath(library.src_uri(t), posixpath.dirname(src_uri)),
            short=printed(links, short),
            qr=relative(here, "/" + qr_uri(short)) if links.site_url else "",
        )
        pages.append(DerivedPage(src_uri, markdown))
    here = page_address(STAFF_PAGE)
    rows = [
        {
            "treatment": t,
            "short": printed(links, links.treatments[t.slug]),
            "qr": relative(here, "/" + qr_uri(links.treatments[t.slug])) if links.site_url else "",
            "handout": posixpath.relpath(handout_uri(t), posixpath.dirname(STAFF_PAGE)),
            "guide": posixpath.relpath(library.src_uri(t), posixpath.dirname(STAFF_PAGE)),
            "answers": [
                {
                    "faq": faq,
                    "short": printed(links, s := links.answers[(t.slug, faq.id)]),
                    "qr": relative(here, "/" + qr_uri(s)) if links.site_url else "",
                }
                for faq in t.faqs
            ],
        }
        for t in library.treatments
    ]
    markdown = env.get_template("staff-links.md.j2").render(
        rows=rows, clinic=clinic, qr=bool(links.site_url)
    )
    pages.append(DerivedPage(STAFF_PAGE, markdown))
    return pages


def link_files(links: Links, env: Environment) -> list[DerivedFile]:
    """The forwarding pages, the QR codes (with a site_url only) and the anchors the
    browser forwards."""
    files = []
    template = env.get_template("forward.html.j2")
    for forward in links.forwards:
        html = template.render(
            title=forward.title,
            target=relative(forward.address, forward.target),
            canonical=links.absolute(forward.target),
            script=relative(forward.address, "/" + SCRIPT),
        )
        files.append(DerivedFile(forward.address.lstrip("/") + "index.html", partial(str, html)))
    if links.site_url:
        for short in (*links.treatments.values(), *links.answers.values()):
            url = links.absolute(short.address)
            title = f"QR code: {url}"
            files.append(
                DerivedFile(qr_uri(short), partial(qr_svg, url, title), f"<title>{title}</title>")
            )
    moved = json.dumps(links.anchors, sort_keys=True, separators=(",", ":"))
    files.append(DerivedFile(MOVED_ANCHORS, partial(str, moved + "\n")))
    return files


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
    return _through_templates(
        lambda env: derive_pages(library, env, clinic, site_url, glossary), templates, project_root
    )


def render_links(
    library: Library, links: Links, templates: Path | None, project_root: Path, clinic: Clinic
) -> tuple[list[DerivedPage], list[DerivedFile]]:
    """The handouts and the staff's page of links, and the forwarding pages and QR codes,
    through the site's templates, then careleaf's (a failure raises `LayoutError`)."""
    return _through_templates(
        lambda env: (derive_link_pages(library, links, env, clinic), link_files(links, env)),
        templates,
        project_root,
    )


_T = TypeVar("_T")


def _through_templates(
    render: Callable[[Environment], _T], templates: Path | None, project_root: Path
) -> _T:
    try:
        return render(make_environment(templates))
    except Exception as exc:
        finding = template_finding(exc, templates, project_root)
        if finding is None:
            raise
        raise LayoutError(finding) from None
