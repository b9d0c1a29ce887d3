"""The one sequence a build and `careleaf check` both run: read the site, derive its pages,
check it.

Core: it knows nothing of MkDocs. `careleaf.config` turns a loaded mkdocs.yml into a `Site`;
the plugin and the command line each call `build_content` and differ only in how they report
what it found. Derived pages come before the checks: links are judged against the anchors
of the pages as they will be published. The data flows one way: files -> model -> derived pages and checks -> adapters.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path

from careleaf.checks import CheckSettings, Judged, SiteMap, run_checks
from careleaf.checks.pages import Page, markdown_page, treatment_page
from careleaf.checks.review import today as review_date
from careleaf.checks.wordlists import versions
from careleaf.clinic import Clinic
from careleaf.derive import (
    DerivedFile,
    DerivedPage,
    LayoutError,
    handout_uri,
    render_links,
    render_pages,
)
from careleaf.findings import Finding
from careleaf.glossary import GLOSSARY_FILE, Glossary, load_glossary
from careleaf.library import (
    COMPARE_PAGE,
    FAQ_PAGE,
    GLOSSARY_PAGE,
    SUITS_PAGE,
    TREATMENTS_FOLDER,
    WHO_SHOULD_AVOID_PAGE,
    Library,
    addresses_taken,
    display_path,
    docs_listing,
    links_leaving_docs,
    load_library,
    markdown_files,
    read_page,
)
from careleaf.links import (
    CONTRACT_FILE,
    STAFF_PAGE,
    Links,
    declared_moves,
    make_links,
    read_contract,
)
from careleaf.reader import DEFAULT_TOC, TocStyle, read_markdown


@dataclass(frozen=True)
class Site:
    """What careleaf needs to know about a site: where its files are and how it is set up."""

    docs_dir: Path
    root: Path  # the folder of mkdocs.yml: findings name files relative to it
    clinic: Clinic = Clinic(name="")
    settings: CheckSettings = field(default_factory=CheckSettings)
    treatments_folder: str = TREATMENTS_FOLDER  # relative to docs_dir, without slashes
    glossary_file: str = GLOSSARY_FILE  # relative to docs_dir; a missing file is no glossary
    templates: Path | None = None  # the site's own page templates, searched before careleaf's
    site_url: str = ""
    toc: TocStyle = DEFAULT_TOC  # how the site's `toc` extension makes heading ids
    # What is wrong in the site's configuration (mkdocs.yml), reported with the content's.
    findings: tuple[Finding, ...] = ()
    import_cues: tuple[Path, ...] = ()  # the site's own cue files for `careleaf import`
    # The published addresses that must keep working (relative to root; None: no contract),
    # and the moves declared in mkdocs.yml (old address -> new address).
    contract_file: str | None = CONTRACT_FILE
    moves: dict[str, str] = field(default_factory=dict)
    config_file: str = "mkdocs.yml"  # relative to root

    @property
    def glossary_path(self) -> Path:
        return self.docs_dir / self.glossary_file

    @property
    def contract_path(self) -> Path | None:
        return self.root / self.contract_file if self.contract_file else None


@dataclass
class Content:
    """A site's content read, derived and checked: what a build publishes and check reports."""

    site: Site
    library: Library
    glossary: Glossary
    pages: list[Page]  # the pages editors wrote, as the content rules read them
    derived: list[DerivedPage]  # the pages the build makes; none when a template failed
    findings: list[Finding]
    files: list[DerivedFile] = field(default_factory=list)  # forwarding pages, QR codes, ...
    links: Links | None = None  # None when a template failed
    notes: list[str] = field(default_factory=list)  # what the build says once, not a problem


@dataclass(frozen=True)
class PageIds:
    """The ids a page careleaf made gives: every anchor, and how often each heading id or HTML
    id is given."""

    anchors: frozenset[str]
    given: Counter[str]

    @classmethod
    def read(cls, markdown: str, toc: TocStyle) -> PageIds:
        reading = read_markdown(markdown, toc, ids_only=True)
        given = Counter(h.id for h in reading.headings if h.explicit_id)
        given.update(reading.ids)
        return cls(frozenset(reading.anchors), given)


@dataclass
class Memo:
    """What one build read and judged, kept for the next build of the same site (each save
    in `mkdocs serve`): a page whose text has not changed is not read or judged again."""

    pages: dict[str, tuple[str, Page]] = field(default_factory=dict)  # by file: text, page
    ids: dict[str, tuple[bytes, PageIds]] = field(default_factory=dict)  # by made page
    judged: Judged = field(default_factory=dict)
    context: str = ""  # the settings, glossary, day and ids it was read and judged with

    def page(self, key: str, text: str, read: Callable[[], Page]) -> Page:
        earlier = self.pages.get(key)
        if earlier is None or earlier[0] != text:
            earlier = self.pages[key] = (text, read())
        return earlier[1]

    def read_ids(self, page: DerivedPage, toc: TocStyle) -> PageIds:
        """The ids of a page careleaf made, read again only when its Markdown changed."""
        digest = hashlib.blake2b(page.markdown.encode("utf-8", "surrogatepass")).digest()
        earlier = self.ids.get(page.src_uri)
        if earlier is None or earlier[0] != digest:
            earlier = self.ids[page.src_uri] = (digest, PageIds.read(page.markdown, toc))
        return earlier[1]

    def begin(self, context: str) -> None:
        """Start a build in this context (settings, glossary, day, ids): nothing read or
        judged in another is kept."""
        if context != self.context:
            self.pages, self.ids, self.judged, self.context = {}, {}, {}, context


def build_content(site: Site, today: dt.date | None = None, memo: Memo | None = None) -> Content:
    """The site's treatments, glossary, derived pages and every finding on them.

    A template that fails is one finding naming its file and line (and no page is derived);
    `today` decides which reviews are due (the real date when not given). A `memo` kept from
    the build before spares reading and judging what has not changed since.
    """
    memo = memo or Memo()
    today = today or review_date()
    # docs/ walked once: its Markdown pages, and every file a link may go to.
    found = docs_listing(site.docs_dir)
    markdown = markdown_files(site.docs_dir, found)
    files = frozenset(p.relative_to(site.docs_dir).as_posix() for p in found if p.is_file())
    library = load_library(site.docs_dir, site.root, site.treatments_folder, site.toc, markdown)
    glossary = load_glossary(site.glossary_path, display_path(site.glossary_path, site.root))
    findings = [
        *site.findings,
        *links_leaving_docs(site.docs_dir, site.root, found),
        *addresses_taken(site.docs_dir, site.root, library.folder, found),
        *glossary.findings,
    ]
    # The site's word lists as they are now: an edit to one judges every page again.
    lists = versions(site.settings.claims + site.settings.plain_words)
    memo.begin(repr((site.settings, lists, glossary.terms, today, site.toc, library.folder)))
    pages = editor_pages(library, site, memo, markdown)
    # The editors' pages that may ask for a list of the treatments (a marker is a comment).
    marked = {
        p.src_uri: (p.lines, p.reading.html)
        for p in pages
        if p.treatment is None and p.reading is not None and p.reading.html
    }
    try:
        derived: list[DerivedPage] | None = render_pages(
            library, site.templates, site.root, site.clinic, site.site_url, glossary, marked
        )
    except LayoutError as exc:
        findings.append(exc.finding)
        derived = None
    links: Links | None = None
    made_files: list[DerivedFile] = []
    notes: list[str] = []
    if derived is not None:
        links = _links(site, library, markdown, derived)
        findings += links.findings
        try:
            pages_made, made_files = render_links(
                library, links, site.templates, site.root, site.clinic
            )
            derived += pages_made
        except LayoutError as exc:
            findings.append(exc.finding)
            derived, links = None, None
        if links is not None and links.unrecorded:
            notes.append(
                f"careleaf: {links.unrecorded} new addresses are not yet in "
                f"{site.contract_file}: `make site` (careleaf links --update) adds them"
            )
        if not site.site_url:
            notes.append(
                f"careleaf: no site_url in {site.config_file}, so no QR codes were made: set it "
                "to the site's public address"
            )
    made: dict[str, Callable[[], PageIds]] = {
        p.src_uri: partial(memo.read_ids, p, site.toc) for p in derived or []
    }
    findings += _ids_the_page_takes(library, derived or [], made)
    site_map = _site_map(
        pages, made if derived is not None else None, library, site, markdown, files
    )
    findings += run_checks(library, pages, site_map, site.settings, glossary, today, memo.judged)
    findings.sort(key=lambda f: (f.path, f.line, f.column, f.rule))
    return Content(
        site, library, glossary, pages, derived or [], findings, made_files, links, notes
    )


def _links(site: Site, library: Library, markdown: list[Path], derived: list[DerivedPage]) -> Links:
    """The site's short links and moves, judged against its contract file."""
    uris = [p.relative_to(site.docs_dir).as_posix() for p in markdown]
    uris += [p.src_uri for p in derived] + [handout_uri(t) for t in library.treatments]
    uris.append(STAFF_PAGE)
    path = site.contract_path
    contract = read_contract(path, display_path(path, site.root) if path else "")
    config = site.root / site.config_file
    try:
        config_text = config.read_text(encoding="utf-8") if site.moves else ""
    except (OSError, UnicodeDecodeError):
        config_text = ""
    moves = declared_moves(library, site.moves, site.config_file, config_text)
    return make_links(library, uris, moves, contract, site.site_url)


def editor_pages(
    library: Library, site: Site, memo: Memo | None = None, markdown: list[Path] | None = None
) -> list[Page]:
    """Every Markdown page an editor wrote: the treatments, then the other pages of docs/
    (`markdown`, when they are listed already)."""
    memo = memo or Memo()
    pages = [
        memo.page(t.path, t.text, partial(treatment_page, library, t, site.docs_dir))
        for t in library.treatments
    ]
    treatments = (site.docs_dir / library.folder).resolve()
    for path in markdown_files(site.docs_dir) if markdown is None else markdown:
        if treatments in path.resolve().parents:
            continue  # treatment files, read by the model (or reported by it)
        src_uri = path.relative_to(site.docs_dir).as_posix()
        shown = display_path(path, site.root)
        text = read_page(path, shown)
        read = partial(markdown_page, src_uri, shown, text, site.toc)
        pages.append(memo.page(shown, str(text), read))
    return pages


def _ids_the_page_takes(
    library: Library, derived: list[DerivedPage], ids: dict[str, Callable[[], PageIds]]
) -> list[Finding]:
    """An FAQ answer whose id the treatment's page already gives to something else (a
    section, the sources): a link to the answer would land there. Read from the page its
    template made, so a site's own template is judged by the ids it makes."""
    made = {p.src_uri: p for p in derived}
    found = []
    for t in library.treatments:
        page = made.get(library.src_uri(t))
        answers = Counter(faq.id for faq in t.faqs)
        # The page is read only where an answer's id is written more than once as an id
        # (`{#id}`, `id="id"`, a link to `#id`) in it.
        if page is None or not any(_written_as_id(page.markdown, i) > 1 for i in answers):
            continue
        given = ids[page.src_uri]().given
        for faq in t.faqs:
            # Two answers with one id are the model's finding; here, the page's own ids.
            if answers[faq.id] == 1 and given[faq.id] > 1:
                found.append(
                    Finding(
                        t.path,
                        faq.line,
                        "faq-duplicate-id",
                        f"id '{faq.id}' is used by the page itself: pick another",
                    )
                )
    return found


def _written_as_id(markdown: str, an_id: str) -> int:
    """How often `an_id` is written where it could be an id or a link to one: whole, not as
    the start of a longer id ('#acne' in '#acne-scars' is not it)."""
    return len(_id_forms(an_id).findall(markdown))


@lru_cache(maxsize=4096)
def _id_forms(an_id: str) -> re.Pattern[str]:
    """`#id`, `"id"`, `'id'` and `=id`, in one pattern made once per id."""
    whole = re.escape(an_id)
    return re.compile(f"#{whole}(?![\\w-])|\"{whole}\"|'{whole}'|={whole}(?![\\w-])")


def _site_map(
    pages: list[Page],
    made: dict[str, Callable[[], PageIds]] | None,
    library: Library,
    site: Site,
    markdown: list[Path],
    files: frozenset[str],
) -> SiteMap:
    """Every page a link may go to, with its anchors (None: any anchor is taken as there).

    The anchors of the pages careleaf makes, a treatment's page among them, are read from
    the Markdown its templates made (a site's own templates included), when a link asks."""
    anchors: dict[str, set[str] | None] = {p.src_uri: p.anchors for p in pages}
    for path in markdown:
        anchors.setdefault(path.relative_to(site.docs_dir).as_posix(), None)
    if made is None:
        # A template failed (that is the finding to fix): links to the pages it would have
        # made are not judged, rather than all reported broken.
        for src_uri in (
            f"{library.folder}/index.md",
            FAQ_PAGE,
            WHO_SHOULD_AVOID_PAGE,
            COMPARE_PAGE,
            GLOSSARY_PAGE,
            SUITS_PAGE,
            *(library.src_uri(t) for t in library.treatments),
        ):
            anchors[src_uri] = None
    lazy = {src_uri: _anchors(read) for src_uri, read in (made or {}).items()}
    return SiteMap(anchors, files, lazy)


def _anchors(read: Callable[[], PageIds]) -> Callable[[], frozenset[str]]:
    return lambda: read().anchors
