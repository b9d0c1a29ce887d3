"""All treatments of a site, loaded once from the docs folder."""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from careleaf.findings import Finding
from careleaf.front_matter import split_front_matter
from careleaf.model import Treatment, parse_treatment, slugify
from careleaf.reader import DEFAULT_TOC, TocStyle

TREATMENTS_FOLDER = "treatments"

# The pages careleaf makes at the top of docs/ (besides the treatment pages and their index).
FAQ_PAGE = "faq.md"
WHO_SHOULD_AVOID_PAGE = "who-should-avoid.md"
COMPARE_PAGE = "compare.md"
GLOSSARY_PAGE = "glossary.md"
SUITS_PAGE = "which-might-suit-me.md"
# Folders whose every address careleaf makes: short links, QR codes, handouts, the staff page,
# careleaf's own scripts and stylesheets.
MADE_FOLDERS = ("q/", "t/", "qr/", "handouts/", "staff/links/", "assets/careleaf/")
DERIVED_PAGES = (FAQ_PAGE, WHO_SHOULD_AVOID_PAGE, COMPARE_PAGE, GLOSSARY_PAGE, SUITS_PAGE)

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass
class Library:
    """The site's treatments, sorted by title, and every finding met while loading them."""

    treatments: list[Treatment]
    findings: list[Finding] = field(default_factory=list)
    folder: str = TREATMENTS_FOLDER
    # The slugs of treatment files that are there but could not be read (each has its finding):
    # what links to them or was published from them is not reported missing as well.
    unreadable: frozenset[str] = frozenset()
    # The treatments by slug and by category, made on first use, and made again when the
    # list of treatments is another or has changed length.
    _lookups: tuple[int, int, dict[str, Treatment], dict[str, list[Treatment]]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def _index(self) -> tuple[dict[str, Treatment], dict[str, list[Treatment]]]:
        key = (id(self.treatments), len(self.treatments))
        if self._lookups is None or self._lookups[:2] != key:
            slugs: dict[str, Treatment] = {}
            for t in self.treatments:
                slugs.setdefault(t.slug, t)
            groups: dict[str, list[Treatment]] = {}
            for t in sorted(
                self.treatments, key=lambda t: (t.category or "Other", t.title.lower())
            ):
                groups.setdefault(t.category or "Other", []).append(t)
            self._lookups = (*key, slugs, groups)
        return self._lookups[2], self._lookups[3]

    def by_slug(self, slug: str) -> Treatment | None:
        """The treatment whose file is `<slug>.md`, if there is one."""
        return self._index()[0].get(slug)

    def by_src_uri(self, src_uri: str) -> Treatment | None:
        """The treatment whose file is `src_uri` (relative to docs/, with '/')."""
        folder, _, name = src_uri.rpartition("/")
        if folder != self.folder or not name.endswith(".md"):
            return None
        return self.by_slug(name[:-3])

    def src_uri(self, treatment: Treatment) -> str:
        return f"{self.folder}/{treatment.slug}.md"

    @property
    def categories(self) -> dict[str, list[Treatment]]:
        """Treatments grouped by category, categories in alphabetical order (one grouping,
        shared by every caller: read it, do not change it)."""
        return self._index()[1]


def addresses_taken(docs_dir: Path, root: Path, folder: str, found: list[Path]) -> list[Finding]:
    """An editor's page (or an `index.html` of docs/) published at the address of a page
    careleaf makes, in any of its forms: `faq.markdown` or `faq/index.md` as well as `faq.md`,
    `treatments.md` for the treatments' index. MkDocs would publish one over the other."""
    made = {page_address(uri): uri for uri in (f"{folder}/index.md", *DERIVED_PAGES)}
    findings = []
    for path in found:
        src_uri = path.relative_to(docs_dir).as_posix()
        if path.name == "index.html":
            address: str | None = src_uri.removesuffix("index.html")
        elif path.suffix.lower() in MARKDOWN_SUFFIXES:
            address = page_address(src_uri)
        else:
            address = None
        reserved = made.get(address) if address is not None and _published(path, docs_dir) else None
        if reserved is None and _published(path, docs_dir) and path.is_file():
            # The folders of the pages and files careleaf makes for staff (short links, QR
            # codes, handouts) and of its own assets.
            where = address or src_uri
            reserved = next((f for f in MADE_FOLDERS if where.startswith(f)), None)
        if reserved is not None:
            findings.append(
                Finding(
                    display_path(path, root),
                    1,
                    "page-reserved",
                    f"careleaf makes the page at /{address or src_uri} itself ({reserved}), and this "
                    "file would be published at the same address: rename it, or change "
                    "careleaf's page with a template in overrides/careleaf/",
                )
            )
    return findings


def page_address(src_uri: str) -> str:
    """The address MkDocs gives a Markdown file of docs/ (with directory URLs, its default):
    `faq.md`, `faq.markdown`, `faq/index.md` and `faq/README.md` are all `faq/`."""
    folder, _, name = src_uri.rpartition("/")
    stem = name.rpartition(".")[0] or name
    if stem in ("index", "README"):
        return f"{folder}/" if folder else ""
    return f"{folder}/{stem}/" if folder else f"{stem}/"


def display_path(path: Path, root: Path) -> str:
    """A file's path as the editor knows it: relative to the project, with '/'."""
    try:
        return Path(os.path.relpath(path, root)).as_posix()
    except ValueError:  # another drive on Windows
        return path.as_posix()


# The endings MkDocs builds a page from.
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")


def _published(path: Path, docs_dir: Path) -> bool:
    """Whether MkDocs publishes a file, by its default `exclude_docs`: not hidden (`.drafts/`,
    an editor's `.#x.md` lock) and not in docs/templates/."""
    parts = path.relative_to(docs_dir).parts
    return parts[0] != "templates" and not any(part.startswith(".") for part in parts)


def markdown_files(docs_dir: Path, found: list[Path] | None = None) -> list[Path]:
    """Every Markdown file of docs/ that MkDocs makes a page of; `found`, what a walk of
    docs/ found already (else docs/ is walked)."""
    return sorted(
        p
        for p in (docs_dir.rglob("*") if found is None else found)
        if p.suffix.lower() in MARKDOWN_SUFFIXES
        and _published(p, docs_dir)
        and (p.is_file() or p.is_symlink())
    )


def docs_listing(docs_dir: Path) -> list[Path]:
    """Every file and folder of docs/, its links listed but not followed."""
    # pathlib lists a linked folder without walking into it, so a loop ends here.
    return list(docs_dir.rglob("*"))


def links_leaving_docs(
    docs_dir: Path, root: Path, found: list[Path] | None = None
) -> list[Finding]:
    """A link in docs/ that goes round in a loop, or to a file or folder outside docs/: MkDocs
    would walk it without end, or publish what is outside (anything on the machine)."""
    inside = docs_dir.resolve()
    findings = []
    for path in docs_listing(docs_dir) if found is None else found:
        if not path.is_symlink():
            continue
        shown = display_path(path, root)
        try:
            target = path.resolve(strict=True)
        except FileNotFoundError:
            continue  # a broken link: reported where it is read, as a file that cannot be
        except (OSError, RuntimeError):  # a loop (RuntimeError before Python 3.13)
            findings.append(
                Finding(shown, 1, "file-link", "this link leads back to itself: remove it")
            )
            continue
        if target != inside and inside not in target.parents:
            findings.append(
                Finding(
                    shown,
                    1,
                    "file-link",
                    f"this link leads outside {display_path(docs_dir, root)}/ (to {target}), "
                    "which would publish what is there: copy the file into it instead",
                )
            )
    return findings


# Python-Markdown, which makes the pages, tries each `[` that opens no link and each `<` that
# opens no tag again up to the end of the text: thousands of them take it minutes (4,000
# `[a ` in one paragraph, 10 s; 100,000, hours). `careleaf check` reads them in linear time;
# a page past this is stopped before the site is made.
MAX_OPENERS = 2_000
_OPENERS = (("[", "\\[", "\\["), ("<", "", "&lt;"))


def _past_render_limits(text: str, shown: str) -> Finding | None:
    """The one finding for a page with more `[` or `<` than the renderer can take in time
    (in its Markdown: the front matter is YAML, with limits of its own)."""
    body = 0
    if (front := split_front_matter(text)) is not None and front[1]:
        for _ in range(front[1] - 1):
            body = text.find("\n", body) + 1
    for mark, escaped, instead in _OPENERS:
        if text.count(mark, body) - (text.count(escaped, body) if escaped else 0) > MAX_OPENERS:
            at = body - 1
            for _ in range(MAX_OPENERS + 1):
                at = text.find(mark, at + 1)
            return Finding(
                shown,
                text.count("\n", 0, at) + 1,
                "page-limit",
                f"the page has more than {MAX_OPENERS:,} '{mark}' (from this line on): the "
                f"site's Markdown renderer takes minutes on so many; remove them, or write "
                f"{instead} for one that is text",
            )
    return None


def read_page(path: Path, shown: str) -> str | Finding:
    """A Markdown file's text, as MkDocs reads it, or the one finding that says why it cannot
    be read."""
    try:
        # A byte-order mark (as some editors save) is not part of the text.
        text = path.read_text(encoding="utf-8-sig")
        return _past_render_limits(text, shown) or text
    except UnicodeDecodeError as exc:
        line = exc.object[: exc.start].count(b"\n") + 1
        return Finding(shown, line, "file-encoding", f"save the file as UTF-8 ({exc.reason})")
    except OSError as exc:
        return Finding(
            shown,
            1,
            "file-unreadable",
            f"the file cannot be read ({exc.strerror}): fix or remove it",
        )


def load_library(
    docs_dir: Path,
    root: Path,
    folder: str = TREATMENTS_FOLDER,
    toc: TocStyle = DEFAULT_TOC,
    pages: list[Path] | None = None,
) -> Library:
    """Read and check every treatment file under `docs_dir/folder`; `toc` makes heading ids
    as the site's toc extension does; `pages`, docs/'s Markdown files if already listed."""
    pages = markdown_files(docs_dir) if pages is None else pages
    treatments: list[Treatment] = []
    findings: list[Finding] = []
    unreadable: set[str] = set()
    top = docs_dir / folder
    for path in pages:
        if top in path.parents and path.parent != top:
            findings.append(
                Finding(
                    display_path(path, root),
                    1,
                    "file-name",
                    f"treatment files go directly in {folder}/, not in a folder inside it: "
                    f"move it to {folder}/{path.name}",
                )
            )
    # The editor's treatment files: every Markdown file in docs/<folder>/ but its index.
    for path in (p for p in pages if p.parent == top and p.name != "index.md"):
        shown = display_path(path, root)
        if path.suffix != ".md":
            findings.append(
                Finding(
                    shown,
                    1,
                    "file-name",
                    f"name treatment files with '.md' at the end: '{path.stem}.md'",
                )
            )
            continue
        if not SLUG.match(path.stem):
            findings.append(
                Finding(
                    shown,
                    1,
                    "file-name",
                    f"'{path.name}' becomes the page's address: name it with lower-case "
                    f"letters, digits and '-' only, e.g. '{_ascii_slug(path.stem)}.md'",
                )
            )
            continue
        text = read_page(path, shown)
        if isinstance(text, Finding):
            findings.append(text)
            unreadable.add(path.stem)
            continue
        treatment, found = _parse(text, shown, path.stem, toc)
        findings.extend(found)
        if treatment is not None:
            treatments.append(treatment)
        else:
            unreadable.add(path.stem)
    treatments.sort(key=lambda t: t.title.lower())
    library = Library(treatments, findings, folder, frozenset(unreadable))
    findings.extend(_related_findings(library))
    return library


def forget_parsed_files() -> None:
    """Let go of the treatments parsed so far (kept so a re-build parses only what changed)."""
    _parse.cache_clear()


@lru_cache(maxsize=4096)
def _parse(
    text: str, shown: str, slug: str, toc: TocStyle
) -> tuple[Treatment | None, tuple[Finding, ...]]:
    """A treatment file parsed, once for each text: a re-build (`mkdocs serve`) parses again
    only the files that changed. The treatment is shared by those builds: nothing changes it."""
    treatment, found = parse_treatment(text, shown, slug, toc)
    return treatment, tuple(found)


def _ascii_slug(name: str) -> str:
    """A file name's address in plain letters: 'peeling-à-froid' -> 'peeling-a-froid'."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return slugify(plain) or "treatment"


def _related_findings(library: Library) -> list[Finding]:
    findings = []
    for t in library.treatments:
        for slug in t.related:
            line = t.value_line("related", slug)
            if slug == t.slug:
                findings.append(
                    Finding(
                        t.path, line, "related-unknown", "a treatment cannot be related to itself"
                    )
                )
            elif library.by_slug(slug) is None and slug not in library.unreadable:
                known = ", ".join(x.slug for x in library.treatments if x is not t) or "none yet"
                findings.append(
                    Finding(
                        t.path,
                        line,
                        "related-unknown",
                        f"related treatment '{slug}' has no file {library.folder}/{slug}.md (known: {known})",
                    )
                )
    return findings
