"""The MkDocs adapter: hooks that hand the site to careleaf.build and put its pages in the build.

With careleaf.config, the only module of careleaf that imports mkdocs."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from careleaf.build import Memo, Site, build_content
from careleaf.clinic import ConfigError
from careleaf.config import CareleafConfig, ensure_extensions, site_of
from careleaf.findings import Finding, errors
from careleaf.glossary import Glossary, abbreviations
from careleaf.library import GLOSSARY_PAGE, Library, forget_parsed_files, links_leaving_docs
from careleaf.publish import discard, publish, staging_folder
from careleaf.stylesheet import CSSError, trim_site_stylesheet

log = logging.getLogger("mkdocs.plugins.careleaf")

STYLESHEET = "assets/careleaf/careleaf.css"


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
        # What each page careleaf made showed: its Markdown, and the glossary's terms.
        self.published: dict[str, tuple[str, str]] = {}

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
        try:
            self.site = site_of(config, self.config)
        except ConfigError as exc:
            raise PluginError(f"careleaf: {exc}") from None
        if added := ensure_extensions(config):
            log.info("careleaf: added the Markdown extensions its pages need: %s", ", ".join(added))
        config.extra_css.append(STYLESHEET)
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
        self.titles = {library.src_uri(t): t.title for t in library.treatments}
        if self.memo is None:
            # A single build reads each file once: what it read need not outlive on_files,
            # while the theme makes every page.
            forget_parsed_files()
        self._report(content.findings)
        # The glossary's source is for editors: its terms reach readers as the glossary page.
        if (glossary_file := files.get_file_from_path(content.site.glossary_file)) is not None:
            files.remove(glossary_file)
        config.nav = _nav_with_treatments(config.nav, library)
        files.append(
            File.generated(
                config, STYLESHEET, abs_src_path=str(Path(__file__).parent / "assets/careleaf.css")
            )
        )
        for page in content.derived:
            existing = files.get_file_from_path(page.src_uri)
            if existing is not None:
                files.remove(existing)
            made = File.generated(config, page.src_uri, content=page.markdown)
            # What the page shows: its Markdown and the glossary's tooltips added to it.
            shown = (page.markdown, repr(content.glossary.terms))
            if self.dirty and self.published.get(page.src_uri) == shown:
                # `serve --dirty` rebuilds only what changed: a page made as it was before
                # is not (MkDocs takes every page made in memory as changed).
                made.is_modified = _unchanged  # type: ignore[method-assign]
            files.append(made)
        self.published = {
            page.src_uri: (page.markdown, repr(content.glossary.terms)) for page in content.derived
        }
        return files

    def on_page_markdown(
        self, markdown: str, *, page: Any, config: MkDocsConfig, files: Files
    ) -> str | None:
        """Each glossary term the page uses, as an abbreviation: a tooltip wherever it appears."""
        if not self.config.enabled or page.file.src_uri == GLOSSARY_PAGE:
            return markdown
        title = self.titles.get(page.file.src_uri, "")
        terms = abbreviations(markdown, self.glossary, title)
        return f"{markdown.rstrip()}\n\n{terms}\n" if terms else markdown

    def _report(self, findings: list[Finding]) -> None:
        """Log every finding; stop the build when one is an error."""
        for finding in sorted(findings, key=lambda f: (f.path, f.line, f.column)):
            (log.error if finding.severity == "error" else log.warning)(str(finding))
        if count := len(errors(findings)):
            raise PluginError(
                f"careleaf: {count} error{'s' if count > 1 else ''} in the content (listed above); "
                "nothing was published"
            )

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        # `mkdocs serve` watches docs/ and mkdocs.yml; an edit to the site's templates and
        # theme overrides must show at once too.
        watched = {self.site.templates if self.site else None}
        if config.theme.custom_dir:
            watched.add(Path(config.theme.custom_dir).resolve())
        for folder in watched:
            if folder is not None and folder.is_dir():
                server.watch(str(folder))
        return server

    # Runs after every other plugin has written its files (search writes its index here).
    @event_priority(-100)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
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
        """Material's main stylesheet, trimmed to the rules the built pages and scripts can use.

        Only in a full build (`build`, `gh-deploy`): `serve` keeps the whole stylesheet, and a
        `--dirty` build may not copy a fresh one. A stylesheet that does not parse is a warning
        (so `--strict` publishes nothing) and is left whole."""
        try:
            trimmed = trim_site_stylesheet(site_dir)
        except (CSSError, OSError) as exc:
            log.warning("careleaf: the theme's stylesheet was not trimmed: %s", exc)
            return
        if not trimmed:
            log.info("careleaf: no theme stylesheet to trim (trim_theme_css)")
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

    def _start_counting(self) -> None:
        logger = logging.getLogger("mkdocs")
        if self.counter not in logger.handlers:
            logger.addHandler(self.counter)

    def _stop_counting(self) -> int:
        """The warnings counted; the next build (`serve --clean` makes several) counts anew."""
        logging.getLogger("mkdocs").removeHandler(self.counter)
        count, self.counter.count = self.counter.count, 0
        return count


def _unchanged() -> bool:
    return False


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
    pages: list[Any] = (
        [{name: [{t.title: library.src_uri(t)} for t in ts]} for name, ts in groups.items()]
        if len(groups) > 1
        else [{t.title: library.src_uri(t)} for t in library.treatments]
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
