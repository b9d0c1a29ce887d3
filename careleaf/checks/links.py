"""Links: every internal link and anchor resolves, every web address is well formed.

Internal links go to a Markdown file in docs/ or to a page careleaf derives; anchors to a
heading, an FAQ answer or a source (`#source-<id>`) of the page linked to. Nothing is fetched:
web addresses are only checked for their form.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Callable
from urllib.parse import unquote, urlsplit

from careleaf.checks.pages import Page
from careleaf.checks.settings import CheckSettings
from careleaf.findings import Finding
from careleaf.reader import Link

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_HOST = re.compile(
    r"localhost|(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9]|\d{1,3}(?:\.\d{1,3}){3}",
    re.IGNORECASE,
)


class SiteMap:
    """The pages of the site (the editor's and the derived ones) with their anchors, and
    every other file of docs/ a link may go to (an image, a PDF).

    The anchors of a page careleaf makes are read only when a link asks for one of them."""

    def __init__(
        self,
        anchors: dict[str, set[str] | None],
        files: frozenset[str],
        made: dict[str, Callable[[], frozenset[str]]] | None = None,
    ) -> None:
        self.anchors = anchors
        self.files = files
        self._made = dict(made or {})
        self._read: dict[str, frozenset[str]] = {}

    def has(self, src_uri: str) -> bool:
        return src_uri in self._made or src_uri in self.anchors

    def anchors_of(self, src_uri: str) -> set[str] | frozenset[str] | None:
        """The ids of a page (None: not known, so any anchor is taken as there)."""
        if src_uri in self._made:
            if src_uri not in self._read:
                self._read[src_uri] = self._made[src_uri]()
            return self._read[src_uri]
        return self.anchors.get(src_uri)

    def pages(self) -> list[str]:
        return sorted(set(self.anchors) | set(self._made))


def _web_address(target: str) -> str | None:
    """What is wrong with an http(s) address, or None."""
    if re.search(r"\s", target):
        return "it contains a space: write it as %20 or remove it"
    try:
        parts = urlsplit(target)
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError as exc:
        return f"it cannot be read ({exc})"
    if not parts.netloc or not parts.hostname:
        return "it has no site name after '//'"
    try:  # a name in another script (bücher.de) is checked in the form browsers send
        host = parts.hostname.encode("idna").decode("ascii")
    except UnicodeError:
        host = parts.hostname
    if not _HOST.fullmatch(host):
        return f"'{parts.hostname}' is not a site name"
    return None


_URL_FIELD = re.compile(r"\burl:")


def _source_address(url: str) -> str | None:
    """What is wrong with a source's address (none is fine: a printed source), or None."""
    if not url:
        return None
    if not re.match(r"(?i)https?://", url):
        return f"'{url}' is not a web address: start it with https://"
    problem = _web_address(url)
    return f"'{url}' is not a web address: {problem}" if problem else None


def _check(link: Link, page: Page, site: SiteMap) -> tuple[str, str] | None:
    target = link.target.strip()
    if not target:
        return ("link-broken", "the link has no target: add the page or address it goes to")
    scheme = _SCHEME.match(target)
    if scheme:
        name = scheme.group(1).lower()
        if name in ("mailto", "tel", "javascript", "vbscript"):
            return None  # javascript: is html-unsafe's
        if name not in ("http", "https"):
            return ("link-malformed", f"'{target}': link to a web address starting https://")
        problem = _web_address(target)
        return (
            ("link-malformed", f"'{target}' is not a web address: {problem}") if problem else None
        )
    if target.startswith("//"):
        return ("link-malformed", f"'{target}': write the full address, starting https:")
    if target.startswith("/"):
        return (
            "link-broken",
            f"'{target}' starts with '/': link to the page's Markdown file relative to this "
            "one, e.g. ../faq.md, so it works wherever the site is published",
        )
    path, _, anchor = target.partition("#")
    path = unquote(path.split("?", 1)[0])
    if not path:
        linked = page.src_uri
    else:
        if re.match(r"(?i)www\.", path):
            return ("link-broken", f"'{target}' looks like a web address: start it with https://")
        linked = posixpath.normpath(posixpath.join(posixpath.dirname(page.src_uri), path))
        if path.endswith("/"):
            linked = posixpath.join(linked, "index.md")
        if linked.startswith("../") or linked == "..":
            return ("link-broken", f"'{target}' points outside the docs folder")
        if not site.has(linked):
            if not linked.endswith(".md") and linked in site.files:
                return None
            close = difflib.get_close_matches(linked, site.pages(), n=1, cutoff=0.6)
            hint = f": did you mean '{_relative(close[0], page.src_uri)}'?" if close else ""
            return ("link-broken", f"'{target}': there is no page {linked} in docs{hint}")
    known = site.anchors_of(linked)
    if anchor and known is not None and anchor not in known:
        close = difflib.get_close_matches(anchor, sorted(known), n=1, cutoff=0.5)
        hint = f"did you mean '#{close[0]}'?" if close else "check the heading or FAQ id"
        return ("anchor-broken", f"'{target}': {linked} has no '#{anchor}': {hint}")
    return None


def _relative(src_uri: str, from_uri: str) -> str:
    return posixpath.relpath(src_uri, posixpath.dirname(from_uri) or ".")


def check_links(page: Page, site: SiteMap, settings: CheckSettings) -> list[Finding]:
    """Links of one page that lead nowhere, and web addresses that are not well formed."""
    findings: list[Finding] = []
    for source in page.treatment.sources if page.treatment is not None else []:
        wrong = _source_address(source.url)
        if wrong is not None:
            line, column = page.locate(_URL_FIELD, source.line)
            findings.append(
                Finding(
                    page.path,
                    line,
                    "link-malformed",
                    f"source '{source.id}': {wrong}",
                    settings.level("link-malformed"),
                    column,
                )
            )
    for link in page.links:
        problem = _check(link, page, site)
        if problem is not None:
            rule, message = problem
            findings.append(
                Finding(page.path, link.line, rule, message, settings.level(rule), link.column)
            )
    return findings
