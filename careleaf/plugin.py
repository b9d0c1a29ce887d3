"""The MkDocs adapter: hooks that hand the site to careleaf.build and put its pages in the build.

With careleaf.config, the only module of careleaf that imports mkdocs."""

from __future__ import annotations

import dataclasses
import html
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.utils import CountHandler

from careleaf.build import Content, Memo, Site, build_content
from careleaf.clinic import ConfigError
from careleaf.config import CareleafConfig, MkDocsProblems, ensure_extensions, site_of
from careleaf.derive import DerivedPage, handout_uri, plain_text
from careleaf.findings import Finding, errors
from careleaf.glossary import Glossary, abbreviations
from careleaf.library import (
    GLOSSARY_PAGE,
    Library,
    display_path,
    forget_parsed_files,
    links_leaving_docs,
)
from careleaf.links import SCRIPT
from careleaf.preview import Pause, Problems, problems_by_page, show_problems
from careleaf.publish import discard, publish, staging_folder
from careleaf.published import (
    Policy,
    Problem,
    judge_page,
    judge_svg,
    theme_scripts,
    title_text,
)
from careleaf.stylesheet import (
    CSSError,
    strip_site_comments,
    trim_site_stylesheet,
    without_comments,
)

log = logging.getLogger("mkdocs.plugins.careleaf")

STYLESHEET = "assets/careleaf/careleaf.css"
ASSETS = Path(__file__).parent / "assets"
# In the head, before the theme's bundle: the theme would otherwise fetch a polyfill from
# unpkg.com in a browser without ResizeObserver.
RESIZE_OBSERVER = "assets/careleaf/resize-observer.js"
# The preview's panels (`serve` only).
PREVIEW_STYLESHEET = "assets/careleaf/preview.css"
# Front matter fields of a page that Material prints into its HTML without escaping them
# (careleaf's own pages escape them in their templates).
THEME_PRINTS_RAW = ("title", "description", "author", "subtitle")


class _WarningCounter(logging.Handler):
    """Counts warnings of the build, as `mkdocs build --strict` will count them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


class CareleafPlugin(BasePlugin[CareleafConfig]):
    """Derives the treatment pages and the pages across them, and keeps a good site safe."""

    def __init__(self) -> None:
        self.command = "build"
        self.dirty = False
        self.site_dir: Path | None = None
        self.staging: Path | None = None
        self.counter = _WarningCounter()
        self.glossary = Glossary()
        self.titles: dict[str, str] = {}  # each treatment page's title, for its tooltips
        self.site: Site | None = None
        # Kept from one build to the next in `serve` (MkDocs keeps this plugin for all of it);
        # a single build keeps nothing, so what it read is freed before the theme runs.
        self.memo: Memo | None = None
        self.pause: Pause | None = None  # the preview's pages set aside while it cannot rebuild
        # What a page may publish, and what each page's HTML was found to hold that it may
        # not; the files to look in for the line to name.
        self.policy = Policy()
        self.unsafe: list[Finding] = []
        self.withheld: set[str] = set()  # pages found unsafe before their HTML was made
        self.sources: dict[str, list[str]] = {}
        self.heading_lines: dict[str, dict[str, int]] = {}  # by page: each heading id's line
        self.shared_sources: list[str] = []
        self.reported: set[tuple[str, int, str]] = set()  # said already, by the content check
        # What each page careleaf made showed: its Markdown, the glossary's terms, and in the
        # preview the problems on it.
        self.published: dict[str, tuple[str, str, tuple[Finding, ...]]] = {}
        # The preview's (`serve`): the problems each page shows, and each page's content as
        # it was last shown without an error in its file.
        self.problems = Problems()
        self.last_good: dict[str, str] = {}
        self.last_made: list[DerivedPage] = []
        self.said_not_strict = False

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command
        self.dirty = dirty
        self.memo = Memo() if command == "serve" else None
        if command in ("build", "gh-deploy"):
            # MkDocs calls this before its build, so a warning any plugin logs from its
            # on_config on is counted: `--strict` will abort on it, and site/ must stay.
            self._start_counting()

    # Runs last, so that the site directory other plugins see is the staging one.
    @event_priority(-100)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return config
        if self.command == "serve":
            self._preview_not_strict(config)
        try:
            self.site = site_of(config, self.config)
        except ConfigError as exc:
            raise PluginError(f"careleaf: {exc}") from None
        self.unsafe, self.withheld = [], set()
        # The theme prints the site's name into every page as it is.
        config.site_name = html.escape(config.site_name, quote=False)
        self.policy = Policy(
            site_host=(urlsplit(config.site_url or "").hostname or "").lower(),
            allowed_hosts=frozenset(h.lower().rstrip(".") for h in self.config.allowed_hosts),
            scripts=theme_scripts(Path(d) for d in config.theme.dirs),
        )
        if config.repo_url and not self.policy.own(urlsplit(config.repo_url).hostname or ""):
            # Material asks the repository's host for its stars and forks on every page.
            self.unsafe.append(
                Finding(
                    _shown(config.config_file_path, self.site),
                    _line_of(config.config_file_path, "repo_url"),
                    "external-resource",
                    "repo_url makes every page ask "
                    f"{urlsplit(config.repo_url).hostname} for the repository's stars: remove "
                    "it, or allow that host (careleaf: allowed_hosts)",
                )
            )
            log.error(str(self.unsafe[-1]))
        if added := ensure_extensions(config):
            log.info("careleaf: added the Markdown extensions its pages need: %s", ", ".join(added))
        config.extra_css.append(STYLESHEET)
        if self.command == "serve" and PREVIEW_STYLESHEET not in config.extra_css:
            config.extra_css.append(PREVIEW_STYLESHEET)
        polyfills = config.extra.setdefault("polyfills", [])
        if isinstance(polyfills, list) and RESIZE_OBSERVER not in polyfills:
            polyfills.append(RESIZE_OBSERVER)
        # Copy a link to an answer; forward an old #anchor (assets/careleaf.js).
        config.extra_javascript.append(SCRIPT)
        # MkDocs walks docs/ following links, before any other hook: a loop or a link out
        # of docs/ is stopped here, with the lines `careleaf check` gives.
        if found := links_leaving_docs(self.site.docs_dir, self.site.root):
            self._report(found)
        if self.command in ("build", "gh-deploy") and self.dirty:
            raise PluginError(
                "careleaf: --dirty would write into the published site before the build is "
                "known to be good: build without --dirty (careleaf replaces the site only "
                "when a build succeeds)"
            )
        if self.command in ("build", "gh-deploy"):
            # A build writes into a staging folder beside site/, and its contents are moved
            # in only when it succeeds: a failed build never leaves a half-written site.
            self.site_dir = Path(config.site_dir).resolve()
            self.staging = staging_folder(self.site_dir)
            config.site_dir = str(self.staging)
            self._start_counting()  # a build run without on_startup (from Python) counts from here
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return files
        try:
            # A word list that cannot be read, or $CARELEAF_TODAY that is not a date, stops it.
            content = build_content(self.site or site_of(config, self.config), memo=self.memo)
        except ConfigError as exc:
            raise PluginError(f"careleaf: {exc}") from None
        self.glossary = content.glossary
        library = content.library
        # A treatment's page and its handout: its own name is not a tooltip there.
        self.titles = {library.src_uri(t): t.title for t in library.treatments}
        self.titles.update((handout_uri(t), t.title) for t in library.treatments)
        if self.memo is None:
            # A single build reads each file once: what it read need not outlive on_files,
            # while the theme makes every page.
            forget_parsed_files()
        self._report(content.findings)
        # The glossary's source is for editors: its terms reach readers as the glossary page.
        if (glossary_file := files.get_file_from_path(content.site.glossary_file)) is not None:
            files.remove(glossary_file)
        config.nav = _nav_with_treatments(config.nav, library)
        # careleaf's stylesheet without its comments: a third of its weight.
        css = without_comments((ASSETS / "careleaf.css").read_text(encoding="utf-8"))
        files.append(File.generated(config, STYLESHEET, content=css))
        files.append(File.generated(config, SCRIPT, abs_src_path=str(ASSETS / "careleaf.js")))
        files.append(
            File.generated(config, RESIZE_OBSERVER, abs_src_path=str(ASSETS / "resize-observer.js"))
        )
        if self.command == "serve":
            files.append(
                File.generated(config, PREVIEW_STYLESHEET, abs_src_path=str(ASSETS / "preview.css"))
            )
        for note in content.notes:
            log.info(note)
        # Forwarding pages (short links, moved pages), QR codes, the anchors that moved.
        for made_file in content.files:
            if (existing := files.get_file_from_path(made_file.uri)) is not None:
                files.remove(existing)
            text = self._kept(made_file.uri, made_file.same_when) or made_file.content
            files.append(File.generated(config, made_file.uri, content=text))
        derived = content.derived
        if self.command == "serve":
            derived = self._preview_problems(content, files)
        published = {}
        for page in derived:
            existing = files.get_file_from_path(page.src_uri)
            if existing is not None:
                files.remove(existing)
            made = File.generated(config, page.src_uri, content=page.markdown)
            # What the page shows: its Markdown, the glossary's tooltips added to it, and in
            # the preview the problems found in its file.
            shown = (page.markdown, repr(content.glossary.terms), self.problems.on(page.src_uri))
            if self.dirty and self.published.get(page.src_uri) == shown:
                # `serve --dirty` rebuilds only what changed: a page made as it was before
                # is not (MkDocs takes every page made in memory as changed).
                made.is_modified = _unchanged  # type: ignore[method-assign]
            files.append(made)
            published[page.src_uri] = shown
        self.published = published
        self._note_sources(content, files, config)
        return files

    def _preview_problems(self, content: Content, files: Files) -> list[DerivedPage]:
        """Place the findings on the pages the preview shows them on; the pages to make.

        A template that fails makes no page: the preview keeps the pages made before, and
        shows the template's problem on each of them."""
        derived = self.last_made = content.derived or self.last_made
        made = {page.src_uri for page in derived}
        before = self.problems
        editors = files.documentation_pages()
        pages = {f.src_uri for f in editors} | made
        site = content.site
        self.problems = problems_by_page(content.findings, site.root, site.docs_dir, pages)
        for file in editors:
            if file.src_uri not in made and before.on(file.src_uri) != self.problems.on(
                file.src_uri
            ):
                # The problems it shows changed: `serve --dirty` must make it again.
                file.is_modified = _changed  # type: ignore[method-assign]
        return derived

    def on_page_content(
        self, html: str, *, page: Any, config: MkDocsConfig, files: Files
    ) -> str | None:
        """A page's title that would end the page's <title>; in the preview only, the
        problems found in the page's file, as panels on it."""
        if self.config.enabled and (finding := self._title_problem(page)) is not None:
            log.error(str(finding))
            self.unsafe.append(finding)
            self.withheld.add(page.file.src_uri)
        if not self.config.enabled or self.command != "serve" or self.site is None:
            return html
        src_uri = page.file.src_uri
        own = self.problems.by_page.get(src_uri, ())
        if not errors(list(own)):
            self.last_good[src_uri] = html
        return show_problems(
            html, own, self.problems.everywhere, self.site.root, self.last_good.get(src_uri)
        )

    def _preview_not_strict(self, config: MkDocsConfig) -> None:
        """The preview shows problems on their pages instead of stopping: `strict: true`
        (and `--strict`) is for builds."""
        if not config.strict:
            return
        config.strict = False
        # MkDocs counts the warnings of strict mode from before any plugin runs, and stops
        # the preview's build on the first: it counts no more.
        logger = logging.getLogger("mkdocs")
        for handler in logger.handlers[:]:
            if isinstance(handler, CountHandler):
                logger.removeHandler(handler)
        if not self.said_not_strict:
            self.said_not_strict = True
            log.info(
                "careleaf: strict mode is for builds: the preview does not stop on a "
                "warning or an error, it shows each on its page"
            )

    def _kept(self, uri: str, same_when: str) -> str | None:
        """The file the build before published at `uri`, when it holds `same_when`: a QR
        code is the same for the same address, and costs a few milliseconds to make."""
        if not same_when or self.site_dir is None:
            return None
        try:
            text = (self.site_dir / uri).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        return text if same_when in text else None

    def on_page_markdown(
        self, markdown: str, *, page: Any, config: MkDocsConfig, files: Files
    ) -> str | None:
        """Each glossary term the page uses, as an abbreviation: a tooltip wherever it appears."""
        if not self.config.enabled or page.file.src_uri == GLOSSARY_PAGE:
            return markdown
        if page.file.src_uri not in self.published:
            # An editor's page: the theme prints these into the page's HTML as they are.
            for key in THEME_PRINTS_RAW:
                if isinstance(page.meta.get(key), str):
                    page.meta[key] = html.escape(page.meta[key])
        title = self.titles.get(page.file.src_uri, "")
        terms = abbreviations(markdown, self.glossary, title)
        return f"{markdown.rstrip()}\n\n{terms}\n" if terms else markdown

    def _note_sources(self, content: Any, files: Files, config: MkDocsConfig) -> None:
        """What a published page may load, and where its parts come from: the files to name
        when its HTML holds what it may not."""
        docs = Path(config.docs_dir).resolve()
        scripts = {str(getattr(s, "path", s)) for s in config.extra_javascript}
        for f in files:
            if f.dest_uri.endswith(".js") and (
                f.abs_src_path is None or docs not in Path(f.abs_src_path).resolve().parents
            ):
                scripts.add(f.dest_uri)
        self.policy = dataclasses.replace(self.policy, script_files=frozenset(scripts))
        self._judge_static_files(files, config, docs)
        library = content.library
        self.sources = {library.src_uri(t): [t.path] for t in library.treatments}
        self.sources.update({p.src_uri: [p.path] for p in content.pages})
        self.heading_lines = {
            p.src_uri: {h.id: h.line for h in p.reading.headings}
            for p in content.pages
            if p.reading is not None
        }
        self.shared_sources = [
            *(t.path for t in library.treatments),
            display_path(content.site.glossary_path, content.site.root),
            _shown(config.config_file_path, self.site),
        ]

    def _title_problem(self, page: Any) -> Finding | None:
        """Material writes a page's title into its <title> through `striptags`, which turns
        `&lt;` back into '<': a title with '</title' in it would end the <title> there."""
        if "</title" not in title_text(page.title or "").lower():
            return None
        sources = self.sources.get(page.file.src_uri) or self.shared_sources or ["docs"]
        headings = self.heading_lines.get(page.file.src_uri, {}).values()
        # The front matter's `title:`, or the first heading, which MkDocs takes as the title.
        line = 2 if "title" in page.meta or not headings else min(headings)
        return Finding(
            sources[0],
            line,
            "html-unsafe",
            "the page's title holds '</title', which would end the page's <title> and could "
            "run code: write it without '</'",
        )

    def _judge_static_files(self, files: Files, config: MkDocsConfig, docs: Path) -> None:
        """The files of docs/ that are published as they are: an HTML page is never, an SVG
        only when it runs nothing and fetches from no other host, and none may take the
        place of one of the theme's files."""
        root = self.site.root if self.site else Path(".")
        themes = [Path(d) for d in config.theme.dirs]
        for f in files:
            if f.abs_src_path is None or f.is_documentation_page():
                continue
            source = Path(f.abs_src_path).resolve()
            if docs not in source.parents:
                continue
            shown = display_path(source, root)
            suffix = source.suffix.lower()
            found: list[Finding] = []
            if suffix in (".html", ".htm", ".xhtml", ".shtml"):
                found.append(
                    Finding(
                        shown,
                        1,
                        "html-unsafe",
                        "an HTML file in docs/ is published as it is, unchecked: write the "
                        "page in Markdown",
                    )
                )
            elif any((theme / f.src_uri).is_file() for theme in themes):
                found.append(
                    Finding(
                        shown,
                        1,
                        "html-unsafe",
                        f"it would take the place of the theme's own file {f.src_uri}: "
                        "rename it or move it",
                    )
                )
            elif suffix == ".svg":
                try:
                    text = source.read_text(encoding="utf-8", errors="replace")
                except OSError:
                    continue
                after: dict[tuple[str, str], int] = {}
                problems = judge_svg(text, self.policy)
                found += [_located(p, [shown], root, after, {}) for p in problems]
            for finding in dict.fromkeys(found):
                log.error(str(finding))
            self.unsafe += found

    def on_post_page(self, output: str, *, page: Any, config: MkDocsConfig) -> str | None:
        """The page as a reader's browser gets it, judged: what may not be published is an
        error naming the file it came from, and the page is withheld."""
        if not self.config.enabled:
            return output
        return self._judged(output, page.url, page.file.src_uri)

    def on_post_template(
        self, output_content: str, *, template_name: str, config: MkDocsConfig
    ) -> str | None:
        if not self.config.enabled or not template_name.endswith(".html"):
            return output_content
        return self._judged(output_content, template_name, "")

    def _judged(self, output: str, url: str, src_uri: str) -> str:
        if src_uri in self.withheld:
            return _withheld([f for f in self.unsafe if f.path in self.sources.get(src_uri, [])])
        problems = judge_page(output, dataclasses.replace(self.policy, page=url))
        if self.site is not None:  # a warning may be turned off; what is unsafe may not
            off = self.site.settings.disable
            problems = [p for p in problems if p.severity == "error" or p.rule not in off]
        if not problems:
            return output
        candidates = self.sources.get(src_uri, []) + self.shared_sources
        root = self.site.root if self.site else Path(".")
        after: dict[tuple[str, str], int] = {}  # where each clue was last found, per file
        lines = self.heading_lines.get(src_uri, {})
        found = [_located(problem, candidates, root, after, lines) for problem in problems]
        unsafe = [f for f in found if f.severity == "error"]
        found = [f for f in found if (f.path, f.line, f.rule) not in self.reported]
        for finding in dict.fromkeys(found):
            (log.error if finding in unsafe else log.warning)(str(finding))
        if not unsafe:
            return output  # a warning: `strict` publishes nothing while one stands
        self.unsafe += unsafe
        return _withheld(found)

    def _report(self, findings: list[Finding]) -> None:
        """Log every finding; stop the build when one is an error (the preview shows them
        on their pages instead)."""
        for finding in sorted(findings, key=lambda f: (f.path, f.line, f.column)):
            (log.error if finding.severity == "error" else log.warning)(str(finding))
        self.reported = {(f.path, f.line, f.rule) for f in findings}
        if self.command == "serve":
            return
        if count := len(errors(findings)):
            raise PluginError(
                f"careleaf: {count} error{'s' if count > 1 else ''} in the content (listed above); "
                "nothing was published"
            )

    # Last: another plugin's on_serve may still `server.watch(path, builder)`, which MkDocs
    # allows only while `builder` is the server's own.
    @event_priority(-100)
    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        # `mkdocs serve` watches docs/ and mkdocs.yml; an edit to the site's templates, theme
        # overrides and word lists (claims, plain words) must show at once too.
        watched: set[Path | None] = {self.site.templates if self.site else None}
        if config.theme.custom_dir:
            watched.add(Path(config.theme.custom_dir).resolve())
        if self.site:
            watched.update(self.site.settings.claims + self.site.settings.plain_words)
        for path in watched:
            if path is not None and path.exists():
                server.watch(str(path))
        self.pause = Pause(Path(config.site_dir))
        self.pause.remember()
        server.builder = _pausing(builder, self.pause, config.config_file_path, self.site)
        return server

    # Runs after every other plugin has written its files (search writes its index here).
    @event_priority(-100)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.unsafe and self.command != "serve":
            # The preview shows the page withheld; a build publishes nothing.
            count = len({(f.path, f.line, f.rule) for f in self.unsafe})
            raise PluginError(
                f"careleaf: {count} thing{'s' if count > 1 else ''} a reader's browser must not "
                "get (listed above); nothing was published"
            )
        if self.staging is None or self.site_dir is None:
            return
        if self.config.trim_theme_css:
            self._trim_theme_css(Path(config.site_dir))
        warnings = self._stop_counting()
        if config.strict and warnings:
            discard(self.staging)
            log.info(
                "careleaf: %s was left as it was (strict mode and warnings)", self.site_dir.name
            )
            return
        publish(self.staging, self.site_dir)
        # Commands that use the site after building it (gh-deploy) find it where it now is.
        config.site_dir = str(self.site_dir)
        log.info("careleaf: published the site to %s", self.site_dir)

    def _trim_theme_css(self, site_dir: Path) -> None:
        """Material's main stylesheet, trimmed to the rules the built pages and scripts can use;
        the site's other stylesheets without their comments.

        Only in a full build (`build`, `gh-deploy`): `serve` keeps the whole stylesheet, and a
        `--dirty` build may not copy a fresh one. A stylesheet that does not parse is a warning
        (so `--strict` publishes nothing) and is left whole."""
        trimmed = []
        try:
            trimmed = trim_site_stylesheet(site_dir)
            if not trimmed:
                log.info("careleaf: no theme stylesheet to trim (trim_theme_css)")
        except (CSSError, OSError) as exc:
            log.warning("careleaf: the theme's stylesheet was not trimmed: %s", exc)
        # The site's own stylesheets (overrides/, docs/) keep their rules and lose their
        # comments: the sample's accessibility fixes weigh 1.9 kB gzip with them, 0.8 kB
        # without.
        try:
            trimmed += strip_site_comments(site_dir)
        except OSError as exc:
            log.warning("careleaf: the site's stylesheets were not stripped of comments: %s", exc)
        for t in trimmed:
            log.info(
                "careleaf: trimmed %s from %.1f kB to %.1f kB (gzip %.1f kB to %.1f kB)",
                t.path.name,
                t.before / 1000,
                t.after / 1000,
                t.gzip_before / 1000,
                t.gzip_after / 1000,
            )

    def on_build_error(self, *, error: Exception) -> None:
        self._stop_counting()
        if self.staging is not None:
            discard(self.staging)

    def on_shutdown(self) -> None:
        self._stop_counting()
        if self.pause is not None:
            self.pause.discard()  # MkDocs removes the preview's site; this goes with it

    def _start_counting(self) -> None:
        logger = logging.getLogger("mkdocs")
        if self.counter not in logger.handlers:
            logger.addHandler(self.counter)

    def _stop_counting(self) -> int:
        """The warnings counted; the next build (`serve --clean` makes several) counts anew."""
        logging.getLogger("mkdocs").removeHandler(self.counter)
        count, self.counter.count = self.counter.count, 0
        return count


def _pausing(
    builder: Callable[..., None], pause: Pause, config_file: str | None, site: Site | None
) -> Callable[..., None]:
    """`mkdocs serve`'s rebuild, which never leaves the preview stuck: when the site cannot be
    rebuilt (MkDocs refuses mkdocs.yml, a plugin or a template fails), each page says why
    until it can."""

    def problem(message: str) -> str:
        # MkDocs names a setting it refuses ("Config value 'site_url': ...") without its line.
        if message.startswith("Config value '"):
            key = message.split("'")[1]
            line = _line_of(config_file, key)
            return f"{_shown(config_file, site)}:{line}: config-invalid: {message}"
        return message

    def rebuild(config: MkDocsConfig | None = None) -> None:
        records = MkDocsProblems(threading.get_ident())
        logger = logging.getLogger("mkdocs")
        logger.addHandler(records)
        try:
            pause.end()
            builder(config)
            pause.remember()
        except Exception as exc:  # noqa: BLE001 - whatever stops it, the preview says so
            stopped = " ".join(str(exc).split()) or type(exc).__name__
            # What stopped the build, after what MkDocs said about the configuration.
            found = [m for m in records.errors if m != stopped] + [stopped]
            try:
                pause.show([problem(message) for message in found])
            except OSError as unwritable:
                log.error("careleaf: the preview could not show the problem: %s", unwritable)
            log.debug("careleaf: the rebuild failed", exc_info=True)
            log.error("careleaf: the preview is paused until this is fixed: %s", stopped)
        finally:
            logger.removeHandler(records)

    return rebuild


def _located(
    problem: Problem,
    candidates: list[str],
    root: Path,
    after: dict[tuple[str, str], int],
    heading_lines: dict[str, int],
) -> Finding:
    """A problem found in a published page, named by the first file that holds one of its
    clues (the page's own source first), at the line of the clue; failing that, at the line
    of the heading it follows on the page. The problems of a page come in its order: a clue
    is looked for from its heading's line on, and after where it was found before (`after`)."""
    section = heading_lines.get(problem.near, 0)
    for n, shown in enumerate(dict.fromkeys(candidates)):
        try:
            text = (root / shown).read_text(encoding="utf-8", errors="replace").lower()
        except OSError:
            continue
        own = n == 0 and section > 0  # the page's own source, whose headings are known
        begin, end = 0, len(text)
        if own:  # looked for in the heading's section only
            begin = _offset_of_line(text, section)
            following = [line for line in heading_lines.values() if line > section]
            end = _offset_of_line(text, min(following)) if following else len(text)
        for clue in (c.lower() for c in problem.clues if c.strip()):
            start = max(after.get((shown, clue), 0), begin)
            at = text.find(clue, start, end)
            if at < 0 and start and not own:
                at = text.find(clue)  # found again where an earlier problem was
            if at >= 0:
                after[(shown, clue)] = at + 1
                line = text.count("\n", 0, at) + 1
                return Finding(shown, line, problem.rule, problem.message, problem.severity)
    # Found in no file: the heading it follows in the page's own source, or its first line.
    line = section if section > 0 else 1
    return Finding(
        candidates[0] if candidates else "site",
        line,
        problem.rule,
        problem.message,
        problem.severity,
    )


def _offset_of_line(text: str, line: int) -> int:
    at = 0
    for _ in range(line - 1):
        at = text.find("\n", at) + 1
        if at == 0:
            return len(text)
    return at


def _withheld(findings: list[Finding]) -> str:
    """What a page that may not be published shows instead (in the preview): the problems."""
    items = "".join(f"<li>{html.escape(str(f))}</li>" for f in findings)
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        "<title>Not published</title></head><body><h1>This page was not published</h1>"
        f"<p>It holds what a reader's browser must not get:</p><ul>{items}</ul></body></html>"
    )


def _shown(config_file: str | None, site: Site | None) -> str:
    path = Path(config_file or "mkdocs.yml").resolve()
    return display_path(path, site.root) if site else path.name


def _line_of(config_file: str | None, key: str) -> int:
    """The line of a top-level key in mkdocs.yml, as YAML reads it (1 when it is not written
    there, or the file cannot be read)."""
    try:
        text = Path(config_file or "").read_text(encoding="utf-8")
        # Composed, not loaded: MkDocs' own tags (`!ENV`, `!relative`) need no constructor.
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError, RecursionError):
        return 1
    if not isinstance(root, yaml.MappingNode):
        return 1
    return next((k.start_mark.line + 1 for k, _ in root.value if k.value == key), 1)


def _unchanged() -> bool:
    return False


def _changed() -> bool:
    return True


def _nav_with_treatments(nav: list[Any] | None, library: Library) -> list[Any] | None:
    """Make the nav entry of the treatments index a section listing every treatment.

    With more than one category, the treatments are grouped by category, as on the index: a
    reader finds one among hundreds, and with Material's `navigation.prune` a page carries only
    its own category's links, so its weight does not grow with the whole library.
    """
    if not nav:
        return nav
    index = f"{library.folder}/index.md"
    groups = library.categories
    # The theme prints nav titles into the HTML as they are: plain text, like every field.
    pages: list[Any] = (
        [
            {plain_text(name): [{plain_text(t.title): library.src_uri(t)} for t in ts]}
            for name, ts in groups.items()
        ]
        if len(groups) > 1
        else [{plain_text(t.title): library.src_uri(t)} for t in library.treatments]
    )
    out: list[Any] = []
    for item in nav:
        if item == index:
            out.append({"Treatments": [index, *pages]})
        elif isinstance(item, dict) and len(item) == 1 and next(iter(item.values())) == index:
            out.append({next(iter(item)): [index, *pages]})
        else:
            out.append(item)
    return out
