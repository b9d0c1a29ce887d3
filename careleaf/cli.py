"""The `careleaf` command: check a site's content, write its quality report, print the schema.

It reads mkdocs.yml itself, without MkDocs, and runs the same core as the build, so
`careleaf check` reports exactly what `mkdocs build` would.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import yaml
from yaml_env_tag import construct_env_tag

from careleaf import model
from careleaf.checks import CheckSettings, SettingsError, SiteCheck, check_site
from careleaf.derive import (
    Clinic,
    ConfigError,
    LayoutError,
    render_pages,
    templates_folder,
    treatments_folder,
)
from careleaf.findings import Finding, errors
from careleaf.glossary import GLOSSARY_FILE

SCHEMA_FILE = Path("schema") / "treatment.schema.json"


class _LenientLoader(yaml.SafeLoader):
    """Safe YAML that reads any tag (!ENV, !!python/name:...) as the plain value under it."""


def _untagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if suffix == "ENV":  # MkDocs' !ENV, read as MkDocs reads it (a variable's value is typed)
        return construct_env_tag(loader, node)  # type: ignore[arg-type]
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node, deep=True)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_scalar(node)  # type: ignore[arg-type]


_LenientLoader.add_multi_constructor("!", _untagged)
_LenientLoader.add_multi_constructor("tag:yaml.org,2002:python/", _untagged)


@dataclass(frozen=True)
class SiteConfig:
    """What careleaf needs from mkdocs.yml."""

    root: Path
    docs_dir: Path
    treatments_dir: str
    glossary: str
    checks: dict[str, Any]
    enabled: bool
    extra: Any  # a mapping in a valid mkdocs.yml; Clinic.from_config says when it is not
    site_name: str = ""
    site_url: str = ""
    templates: Path | None = None  # the site's own templates, as the plugin finds them


def read_config(config_file: Path) -> SiteConfig:
    """mkdocs.yml read leniently: unknown tags are read as plain values, never run."""
    try:
        data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_LenientLoader)  # noqa: S506
    except (OSError, UnicodeDecodeError) as exc:
        raise click.UsageError(f"cannot read {config_file}: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{config_file}:{mark.line + 1}" if mark else str(config_file)
        raise click.UsageError(
            f"{where}: not valid YAML ({getattr(exc, 'problem', exc)})"
        ) from None
    if not isinstance(data, dict):
        raise click.UsageError(f"{config_file}: expected 'name: value' settings")
    options: dict[str, Any] = {}
    for entry in data.get("plugins") or []:
        if entry == "careleaf":
            break
        if isinstance(entry, dict) and "careleaf" in entry:
            options = entry["careleaf"] or {}
            break
    if isinstance(data.get("plugins"), dict):  # plugins may also be a mapping
        options = data["plugins"].get("careleaf") or {}
    if not isinstance(options, dict):
        raise click.UsageError(f"{config_file}: the careleaf plugin's options must be a mapping")
    checks = options.get("checks") or {}
    if not isinstance(checks, dict):
        raise click.UsageError(f"{config_file}: careleaf's 'checks' option must be a mapping")
    root = config_file.resolve().parent
    theme = data.get("theme")
    custom_dir = theme.get("custom_dir") if isinstance(theme, dict) else None
    templates_dir = options.get("templates_dir")
    if templates_dir is not None and not isinstance(templates_dir, str):
        raise click.UsageError(f"{config_file}: careleaf's 'templates_dir' option must be a folder")
    try:
        folder = treatments_folder(options.get("treatments_dir"))
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None
    return SiteConfig(
        root=root,
        docs_dir=(root / str(data.get("docs_dir") or "docs")).resolve(),
        treatments_dir=folder,
        glossary=str(options.get("glossary") or GLOSSARY_FILE),
        checks=checks,
        enabled=options.get("enabled", True) is not False,
        extra=data.get("extra"),
        site_name=str(data.get("site_name") or ""),
        site_url=str(data.get("site_url") or ""),
        templates=templates_folder(
            root, templates_dir, custom_dir if isinstance(custom_dir, str) else None
        ),
    )


def load_site(config_file: Path) -> tuple[Clinic, SiteCheck]:
    """The clinic and the site of a mkdocs.yml, checked, with its pages rendered as the build
    renders them."""
    config = read_config(config_file)
    if not config.enabled:
        click.echo(f"careleaf is turned off in {config_file} (enabled: false): nothing to check")
        sys.exit(0)
    if not config.docs_dir.is_dir():
        raise click.UsageError(f"there is no docs folder {config.docs_dir}")
    try:
        clinic = Clinic.from_config(config.extra, config.site_name)  # as the build will read it
        settings = CheckSettings.from_dict(config.checks, config.root)
        site = check_site(
            config.docs_dir, config.root, settings, config.treatments_dir, config.glossary
        )
    except (SettingsError, ConfigError) as exc:
        raise click.UsageError(str(exc)) from None
    # A template override that fails stops the build: check says so too.
    try:
        render_pages(
            site.library, config.templates, config.root, clinic, config.site_url, site.glossary
        )
    except LayoutError as exc:
        site.findings.append(exc.finding)
    return clinic, site


def _use_colour(stream: Any) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def summary(findings: list[Finding]) -> str:
    """'N errors, M warnings in K files'."""
    n_errors = len(errors(findings))
    n_warnings = len(findings) - n_errors
    files = len({f.path for f in findings})
    return (
        f"{n_errors} error{'s' if n_errors != 1 else ''}, "
        f"{n_warnings} warning{'s' if n_warnings != 1 else ''} "
        f"in {files} file{'s' if files != 1 else ''}"
    )


def format_text(findings: list[Finding], colour: bool) -> str:
    """Findings grouped by file, one line each, then the summary line."""

    def style(text: str, **kwargs: Any) -> str:
        return click.style(text, **kwargs) if colour else text

    lines: list[str] = []
    by_file: dict[str, list[Finding]] = {}
    for f in sorted(findings, key=lambda f: (f.path, f.line, f.column, f.rule)):
        by_file.setdefault(f.path, []).append(f)
    for path, found in by_file.items():
        lines.append(style(path, bold=True, underline=True))
        for f in found:
            level = style(
                f"{f.severity:<7}", fg="red" if f.severity == "error" else "yellow", bold=True
            )
            lines.append(
                f"  {f.line:>4}:{f.column:<3} {level} {style(f.rule, fg='cyan')}  {f.message}"
            )
        lines.append("")
    tally = summary(findings)
    lines.append(
        style(
            tally, fg="red" if errors(findings) else ("yellow" if findings else "green"), bold=True
        )
    )
    return "\n".join(lines)


_CONFIG_OPTION = click.option(
    "--config-file",
    "-f",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default="mkdocs.yml",
    show_default=True,
    help="The site's MkDocs configuration.",
)


@click.group()
@click.version_option(package_name="careleaf")
def main() -> None:
    """careleaf: patient-education websites from structured treatment Markdown."""


@main.command()
@_CONFIG_OPTION
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for tools.",
)
def check(config_file: Path, output_format: str) -> None:
    """Check the site's content with the same rules as the build.

    Exits 0 when there is no error (warnings allowed), 1 when there are errors.
    """
    _, site = load_site(config_file)
    findings = sorted(site.findings, key=lambda f: (f.path, f.line, f.column, f.rule))
    if output_format == "json":
        click.echo(json.dumps([f.as_dict() for f in findings], indent=2, ensure_ascii=False))
    else:
        colour = _use_colour(sys.stdout)
        click.echo(format_text(findings, colour), color=colour)
    sys.exit(1 if errors(findings) else 0)


@main.command()
@_CONFIG_OPTION
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default="careleaf-report.html",
    show_default=True,
    help="Where to write the report.",
)
def report(config_file: Path, output: Path) -> None:
    """Write the quality report: one HTML page to open in a browser."""
    from careleaf.report import render_report

    clinic, site = load_site(config_file)
    try:
        output.write_text(render_report(site, clinic.name), encoding="utf-8")
    except OSError as exc:
        raise click.BadParameter(
            f"cannot write {output}: {exc.strerror}", param_hint="--output"
        ) from None
    click.echo(f"wrote {output} ({summary(site.findings)})")


@main.command()
@click.option("--write", is_flag=True, help=f"Write it to {SCHEMA_FILE.as_posix()}.")
def schema(write: bool) -> None:
    """Print the JSON Schema of a treatment's front matter."""
    text = json.dumps(model.FRONT_MATTER_SCHEMA, indent=2) + "\n"
    if write:
        SCHEMA_FILE.parent.mkdir(parents=True, exist_ok=True)
        SCHEMA_FILE.write_text(text, encoding="utf-8")
        click.echo(f"wrote {SCHEMA_FILE.as_posix()}")
    else:
        click.echo(text, nl=False)


if __name__ == "__main__":
    main()
