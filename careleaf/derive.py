"""The pages derived from the treatments: each treatment's page and the pages across them."""

from __future__ import annotations

import json
import posixpath
import unicodedata
from collections.abc import Callable, Mapping
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
    SUITS_PAGE,
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

# ASCII punctuation kept as it is in a plain-text field: none of it is markup unless it starts
# a line (`-`, `+`, `1.`, `:`) or follows a character that is escaped (`{:`, `[x]:`, `<http:`).
# Everything else (`*`, `_`, `[`, `{`, `|`, `#`, `!`, `<`, `&`, quotes, ...) can be markup in
# Markdown, HTML or an attribute list, or end an attribute.
_AS_IS = frozenset(" ,.-:/?=;@%+")
_MARKUP = {
    code: f"&#{code};" for code in range(128) if not chr(code).isalnum() and chr(code) not in _AS_IS
}


def plain_text(value: object) -> str:
    """A plain-text field (a title, a fact, a source, the clinic's address) shown as itself
    wherever a template prints it: in Markdown, in HTML text, in a quoted attribute and in
    front matter the theme prints into an attribute.

    Every ASCII punctuation character that could be markup, and the first character when it
    starts a list or a rule (`-`, `---`, `1.`), is written as a numeric
    character reference, which Markdown leaves alone and a browser shows as the character.
    Runs of white space are one space (a line break would end a table row or a heading);
    control characters, which Python-Markdown uses for its own placeholders, are dropped."""
    text = str(value)
    if not text.isprintable():  # a printable text has no control character
        text = "".join(c for c in text if unicodedata.category(c) != "Cc" or c.isspace())
    text = " ".join(text.split())
    if not text:
        return text
    digits = len(text) - len(text.lstrip("0123456789"))
    numbered = 0 < digits < len(text) and text[digits] in ".)"  # `1.` starts a list
    first = text[0]
    if numbered or (first.isascii() and not first.isalnum()):
        first = f"&#{ord(first)};"
    return first + text[1:].translate(_MARKUP)


class LayoutError(Exception):
    """A page's template failed; `finding` names its file and line."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(str(finding))
        self.finding = finding


@dataclass(frozen=True)
class DerivedPage:
    """A page the build makes: where it goes (relative to docs/) and its Markdown.

    `filled`: an editor's own page with its markers filled in (the home page's list of
    treatments), which replaces the editor's file in the build; not a page careleaf reserves."""

    src_uri: str
    markdown: str
    filled: bool = False


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


@dataclass(frozen=True)
class Guide:
    """The "Which might suit me?" guide: each phrase of the treatments' `suits` (or `not_for`)
    once, with the treatments that give it, alphabetically."""

    suits: list[tuple[str, list[Treatment]]]
    not_for: list[tuple[str, list[Treatment]]]


def suits_guide(library: Library) -> Guide:
    """Who each treatment may suit and who it is not for, gathered by phrase: two treatments
    that both say "Dull skin" (in any case) are listed under it together, capital first."""

    def gather(phrases_of: Any) -> list[tuple[str, list[Treatment]]]:
        by_phrase: dict[str, tuple[str, list[Treatment]]] = {}
        for t in library.treatments:
            for phrase in phrases_of(t):
                key = " ".join(phrase.casefold().split())
                shown, treatments = by_phrase.setdefault(key, (phrase.strip(), []))
                if shown[:1].islower() and phrase.strip()[:1].isupper():  # "Dull skin" first
                    by_phrase[key] = (phrase.strip(), treatments)
                if t not in treatments:
                    treatments.append(t)
        return [by_phrase[key] for key in sorted(by_phrase)]

    return Guide(gather(lambda t: t.suits), gather(lambda t: t.not_for))


# What an editor's page may ask careleaf to fill in, with an HTML comment on a line of its own
# (`<!-- careleaf: treatments -->`), and the template that fills it.
MARKERS = {"treatments": "treatment-list.md.j2", "contact": "contact.md.j2"}

# An editor's page, as its marker lines are found: its lines, and its raw HTML with the line.
Marked = tuple[list[str], list[tuple[int, str]]]


def marker(html: str) -> str | None:
    """The name of the marker an HTML comment is (`<!-- careleaf: treatments -->`), if it is."""
    text = html.strip()
    if not (text.startswith("<!--") and text.endswith("-->")):
        return None
    words = text[4:-3].split()
    known = len(words) == 2 and words[0] == "careleaf:" and words[1] in MARKERS
    return words[1] if known else None


def filled_page(
    src_uri: str, page: Marked, env: Environment, shared: dict[str, Any]
) -> DerivedPage | None:
    """An editor's page with each marker line replaced by what it asks for (the treatments,
    the clinic's contact details); None when it has no marker.

    So the home page lists every treatment, a new one included, without an edit."""
    lines, html = page
    found = {
        line: name
        for line, content in html
        if (name := marker(content))
        and 0 < line <= len(lines)
        and lines[line - 1].strip() == content.strip()
    }
    if not found:
        return None
    library: Library = shared["library"]
    folder = posixpath.relpath(library.folder, posixpath.dirname(src_uri) or ".")
    out = []
    for number, line in enumerate(lines, start=1):
        name = found.get(number)
        if name is None:
            out.append(line)
        else:
            made = env.get_template(MARKERS[name]).render(**shared, folder=folder)
            out.append(made.rstrip("\n"))
    return DerivedPage(src_uri, "\n".join(out) + "\n", filled=True)


def derive_pages(
    library: Library,
    env: Environment,
    clinic: Clinic,
    site_url: str = "",
    glossary: Glossary | None = None,
    marked: Mapping[str, Marked] | None = None,
) -> list[DerivedPage]:
    """Every derived page of the site, rendered through the templates; `marked`, editors'
    pages that may hold markers, by address."""
    env.filters["text"] = plain_text
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
        (SUITS_PAGE, "which-might-suit-me.md.j2", {"guide": suits_guide(library)}),
    ):
        pages.append(DerivedPage(src_uri, env.get_template(template).render(**shared, **extra)))
    for src_uri, page in (marked or {}).items():
        if (filled := filled_page(src_uri, page, env, shared)) is not None:
            pages.append(filled)
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
    marked: Mapping[str, Marked] | None = None,
) -> list[DerivedPage]:
    """Every derived page through the site's templates, then careleaf's.

    A template that fails raises `LayoutError`, whose finding names the template's line."""
    return _through_templates(
        lambda env: derive_pages(library, env, clinic, site_url, glossary, marked),
        templates,
        project_root,
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
        env = make_environment(templates)
        env.filters["text"] = plain_text  # every page careleaf makes shows fields as text
        return render(env)
    except Exception as exc:
        finding = template_finding(exc, templates, project_root)
        if finding is None:
            raise
        raise LayoutError(finding) from None
