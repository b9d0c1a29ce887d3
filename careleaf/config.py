"""careleaf's options in mkdocs.yml, as MkDocs config classes, and the site they describe.

MkDocs validates these options itself, in a build and in `careleaf check` alike (both load
mkdocs.yml with MkDocs' `load_config`), so a wrong setting is refused with MkDocs' message
naming it, and INHERIT, !ENV and every other plugin's options behave as in a build. With the
plugin, this is the only module that imports mkdocs.
"""

from __future__ import annotations

import difflib
import logging
import math
import posixpath
from collections.abc import Callable
from pathlib import Path
from typing import Any

from markdown.extensions.toc import slugify as toc_slugify
from mkdocs.config import base, load_config
from mkdocs.config import config_options as c
from mkdocs.config.base import ValidationError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, ConfigurationError

from careleaf.build import Site
from careleaf.checks.claims import load_claims
from careleaf.checks.plain_words import load_plain_words
from careleaf.checks.settings import MEASURES, RULES, CheckSettings
from careleaf.checks.wordlists import load_claim_lists
from careleaf.clinic import Clinic, ConfigError, SettingsError
from careleaf.findings import Finding
from careleaf.glossary import GLOSSARY_FILE
from careleaf.library import TREATMENTS_FOLDER, display_path
from careleaf.links import CONTRACT_FILE
from careleaf.reader import TocStyle

# The Markdown extensions careleaf's pages are written for: explicit ids on FAQ questions
# (`{#is-it-painful}`), callouts, glossary tooltips, HTML blocks with Markdown inside,
# the comparison table and the facts list. MkDocs always adds toc and tables.
NEEDED_EXTENSIONS = ("toc", "tables", "attr_list", "admonition", "abbr", "md_in_html", "def_list")
# Python-Markdown's `extra` is several extensions in one.
_EXTRA = ("abbr", "attr_list", "def_list", "fenced_code", "footnotes", "md_in_html", "tables")


class _Options(base.Config):
    """Options where a name careleaf does not know is refused, not ignored as MkDocs would
    (with a warning only), so that a misspelt option does not pass unnoticed."""

    def validate(self) -> tuple[base.ConfigErrors, base.ConfigWarnings]:
        failed, warnings = super().validate()
        known = sorted(self._schema_keys)
        for key in sorted(set(self.keys()) - self._schema_keys):
            close = difflib.get_close_matches(str(key), known, n=1)
            hint = f"did you mean '{close[0]}'?" if close else "options: " + ", ".join(known)
            failed.append(
                (key, ValidationError(f"Unrecognised configuration name: {key} ({hint})"))
            )
        return failed, [(key, message) for key, message in warnings if key in self._schema_keys]


class _Number(c.BaseConfigOption[float]):
    """A number of 0 or more (a whole number when `whole`): not text, not true/false, and not
    .nan or .inf, which YAML reads as numbers but no threshold can be compared with."""

    def __init__(self, default: float, whole: bool = False) -> None:
        super().__init__()
        self.default = default
        self.whole = whole

    def run_validation(self, value: object) -> float:
        if value is None:
            return self.default
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not math.isfinite(value)
            or value < 0
        ):
            raise ValidationError(f"Expected a number of 0 or more, not {value!r}")
        if self.whole and value != int(value):
            raise ValidationError(f"Expected a whole number, not {value!r}")
        return int(value) if self.whole or isinstance(value, int) else value


class _WordLists(c.ListOfItems[str]):
    """A list of existing files (one name alone is a list of one), relative to mkdocs.yml,
    each read now by `read`, so a list of the wrong shape is refused before any page is checked."""

    def __init__(self, read: Callable[[Path, str], object]) -> None:
        super().__init__(c.File(exists=True), default=[])
        self.read = read

    def run_validation(self, value: object) -> list[str]:
        names = [value] if isinstance(value, str) else value
        paths = super().run_validation(names)
        for name, path in zip(names or [], paths, strict=True):  # type: ignore[call-overload]
            try:
                self.read(Path(path), str(name))
            except SettingsError as exc:
                raise ValidationError(str(exc)) from None
        return paths


def _read_claims(path: Path, name: str) -> None:
    load_claim_lists(path, name)  # the shape, named as mkdocs.yml names the file
    load_claims((path,))  # each phrase one careleaf can read


def _read_cues(path: Path, name: str) -> None:
    from careleaf.importer import load_cues  # only when a site names its own cues

    load_cues((path,))


def _read_plain_words(path: Path, name: str) -> None:
    load_plain_words((path,))


class _Severities(c.DictOfItems[str]):
    """Rule ids mapped to 'error' or 'warning'."""

    def __init__(self) -> None:
        super().__init__(c.Choice(("error", "warning")), default={})

    def run_validation(self, value: object) -> dict[str, str]:
        severities = super().run_validation(value)
        for rule in severities:
            _known_rule(rule)
        return severities


def _known_rule(rule: object) -> None:
    if rule not in RULES:
        close = difflib.get_close_matches(str(rule), list(RULES), n=1)
        hint = f"did you mean '{close[0]}'?" if close else "rules: " + ", ".join(RULES)
        raise ValidationError(f"unknown rule '{rule}' ({hint})")


class _Rules(c.ListOfItems[str]):
    """Rule ids."""

    def __init__(self) -> None:
        super().__init__(c.Type(str), default=[])

    def run_validation(self, value: object) -> list[str]:
        rules = super().run_validation(value)
        for rule in rules:
            _known_rule(rule)
        return rules


def _inside_docs(option: str, value: str, example: str) -> str:
    """A path under docs/ as written in mkdocs.yml, without its slashes: 'treatments/' is
    'treatments', so the build and `careleaf check` find the same files."""
    path = posixpath.normpath(value.strip().replace("\\", "/"))
    if path in ("", ".", "/") or path == ".." or path.startswith(("../", "/")):
        raise ValidationError(f"{option} must name a {example} inside docs/, not {value!r}")
    return path


class _InsideDocs(c.Type[str]):
    """An option naming a folder or a file inside docs/ (see `_inside_docs`)."""

    def __init__(self, option: str, default: str, example: str) -> None:
        super().__init__(str, default=default)
        self.option, self.example = option, example

    def run_validation(self, value: object) -> str:
        return _inside_docs(self.option, super().run_validation(value), self.example)


class _Moves(c.DictOfItems[str]):
    """Addresses that moved, old: new, each a path of the site ('/treatments/old/',
    '/treatments/x/#old-id')."""

    def __init__(self) -> None:
        super().__init__(c.Type(str), default={})

    def run_validation(self, value: object) -> dict[str, str]:
        moves = super().run_validation(value)
        for old, new in moves.items():
            for address in (old, new):
                if not isinstance(address, str) or not address.startswith("/"):
                    raise ValidationError(
                        f"{address!r} is not an address of this site: write it as a path "
                        "from the site's root, such as '/treatments/old-name/' or "
                        "'/treatments/x/#old-id'"
                    )
        return moves


class ChecksConfig(_Options):
    """The content rules' settings: the plugin's `checks` option (see CheckSettings)."""

    grade_warning = _Number(7)
    grade_error = _Number(9)
    grade_measure = c.Choice(MEASURES, default="both")
    min_sentences = _Number(5, whole=True)
    sentence_words = _Number(25, whole=True)
    paragraph_sentences = _Number(5, whole=True)
    review_due_days = _Number(30, whole=True)
    plain_words = _WordLists(_read_plain_words)
    claims = _WordLists(_read_claims)
    severity = _Severities()
    disable = _Rules()

    def validate(self) -> tuple[base.ConfigErrors, base.ConfigWarnings]:
        failed, warnings = super().validate()
        if not failed and self.grade_error < self.grade_warning:
            failed.append(
                ("grade_error", ValidationError("must be at least grade_warning, not less"))
            )
        return failed, warnings


class CareleafConfig(_Options):
    """The plugin's options in mkdocs.yml."""

    enabled = c.Type(bool, default=True)
    # The folder under docs/ that holds one Markdown file per treatment.
    treatments_dir = _InsideDocs(
        "treatments_dir", TREATMENTS_FOLDER, "folder, such as 'treatments'"
    )
    # Where the site's own templates live; when not set, <theme.custom_dir>/careleaf.
    templates_dir = c.Optional(c.Dir(exists=True))
    # The glossary file under docs/ (no file: no glossary).
    glossary = _InsideDocs("glossary", GLOSSARY_FILE, "file, such as 'glossary.yml'")
    # Trim Material's main stylesheet to the rules the built site can use (builds only).
    trim_theme_css = c.Type(bool, default=True)
    # Other hosts a page may load from (images, a booking widget's stylesheet), by name:
    # anything else a browser would fetch from another host stops the build.
    allowed_hosts = c.ListOfItems(c.Type(str), default=[])
    checks = c.SubConfig(ChecksConfig)
    # The site's own cue files for `careleaf import` (added to careleaf/data/import-cues.yml).
    import_cues = _WordLists(_read_cues)
    # The file of every published address (relative to mkdocs.yml), and the site-wide moves.
    url_contract = c.Type(str, default=CONTRACT_FILE)
    moved = _Moves()


def check_settings(checks: ChecksConfig) -> CheckSettings:
    """The content rules' settings, from the `checks` option MkDocs has validated."""
    return CheckSettings(
        grade_warning=checks.grade_warning,
        grade_error=checks.grade_error,
        grade_measure=checks.grade_measure,
        min_sentences=int(checks.min_sentences),
        sentence_words=int(checks.sentence_words),
        paragraph_sentences=int(checks.paragraph_sentences),
        review_due_days=int(checks.review_due_days),
        plain_words=tuple(Path(p) for p in checks.plain_words),
        claims=tuple(Path(p) for p in checks.claims),
        severity=dict(checks.severity),  # type: ignore[arg-type]
        disable=frozenset(checks.disable),
    )


def site_of(config: MkDocsConfig, options: CareleafConfig) -> Site:
    """What careleaf needs to know of a site, from its loaded mkdocs.yml and careleaf's options.

    Raises ConfigError (one line, naming the setting) for what MkDocs cannot validate alone:
    the clinic's details and a glossary that names a folder.
    """
    root = Path(config.config_file_path or ".").resolve().parent
    docs_dir = Path(config.docs_dir)
    if (docs_dir / options.glossary).is_dir():
        raise ConfigError(
            f"careleaf's glossary in mkdocs.yml names the folder {options.glossary} in "
            "docs/: name the glossary file, such as glossary.yml"
        )
    templates = options.templates_dir
    if templates is None and config.theme.custom_dir:
        templates = str(Path(config.theme.custom_dir) / "careleaf")
    toc = _extension_options(config, "toc")
    settings = check_settings(options.checks)
    return Site(
        docs_dir=docs_dir,
        root=root,
        clinic=Clinic.from_config(dict(config.extra), config.site_name),
        settings=settings,
        treatments_folder=options.treatments_dir,
        glossary_file=options.glossary,
        templates=Path(templates).resolve() if templates else None,
        site_url=config.site_url or "",
        toc=TocStyle(toc.get("slugify", toc_slugify), toc.get("separator", "-")),
        findings=_site_url_missing(config, root, settings),
        import_cues=tuple(Path(p) for p in options.import_cues),
        contract_file=options.url_contract or None,
        moves=dict(options.moved),
        config_file=Path(config.config_file_path or "mkdocs.yml").name,
    )


def _site_url_missing(
    config: MkDocsConfig, root: Path, settings: CheckSettings
) -> tuple[Finding, ...]:
    """A warning when mkdocs.yml gives no `site_url` (`mkdocs serve` always has one)."""
    if config.site_url or "site-url-missing" in settings.disable:
        return ()
    shown = display_path(Path(config.config_file_path or "mkdocs.yml").resolve(), root)
    return (
        Finding(
            shown,
            1,
            "site-url-missing",
            "site_url is not set, so pages have no canonical link, sitemap.xml lists no "
            "full addresses and each treatment's JSON-LD names no web address: set it to "
            "the site's public address, e.g. 'site_url: https://clinic.example/'",
            settings.level("site-url-missing"),
        ),
    )


def _extension_name(extension: Any) -> str:
    """'attr_list' for attr_list, markdown.extensions.attr_list or an AttrListExtension()."""
    name = extension if isinstance(extension, str) else type(extension).__module__
    return name.split(":", 1)[0].removeprefix("markdown.extensions.")


def _extension_options(config: MkDocsConfig, name: str) -> dict[str, Any]:
    for key, options in config.mdx_configs.items():
        if _extension_name(key) == name:
            return dict(options or {})
    return {}


def ensure_extensions(config: MkDocsConfig) -> list[str]:
    """Add the Markdown extensions careleaf's pages need that the site did not list; the
    names added (the site's own settings of those it lists are kept)."""
    listed = {_extension_name(e) for e in config.markdown_extensions}
    if "extra" in listed:
        listed.update(_EXTRA)
    added = [name for name in NEEDED_EXTENSIONS if name not in listed]
    config.markdown_extensions.extend(added)
    return added


class MkDocsProblems(logging.Handler):
    """What MkDocs logs meanwhile (loading a configuration, building): its errors and its
    warnings, each on one line; only those of one thread, when given one (the preview's
    rebuild runs beside the server's own threads)."""

    def __init__(self, thread: int | None = None) -> None:
        super().__init__(logging.WARNING)
        self.thread = thread
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if self.thread is not None and record.thread != self.thread:
            return
        message = " ".join(record.getMessage().split())
        (self.errors if record.levelno >= logging.ERROR else self.warnings).append(message)


def load_site(config_file: Path, warn: Callable[[str], None] = lambda message: None) -> Site | None:
    """The site a mkdocs.yml describes, loaded by MkDocs as `mkdocs build` loads it (and no
    more: no plugin event runs, nothing is built); None when careleaf is turned off.

    MkDocs' warnings about the configuration go to `warn`. Raises ConfigError, one line per
    error MkDocs names, when the configuration is refused.
    """
    records = MkDocsProblems()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(records)
    try:
        config = load_config(config_file=str(config_file))
    except (Abort, ConfigurationError) as exc:
        raise ConfigError("\n".join(records.errors) or " ".join(str(exc).split())) from None
    finally:
        logger.removeHandler(records)
    for message in records.warnings:
        warn(message)
    plugin = config.plugins.get("careleaf")
    if plugin is None:
        raise ConfigError(
            f"careleaf is not among the plugins in {config_file}: add '- careleaf' under plugins:"
        )
    options: CareleafConfig = plugin.config  # type: ignore[assignment]
    return site_of(config, options) if options.enabled else None
