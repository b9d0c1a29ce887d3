"""The `careleaf` command: check a site's content, write its quality report, print the schema.

It loads mkdocs.yml with MkDocs' own `load_config` (through careleaf.config), as a build does,
and runs the same sequence as the build (careleaf.build), so `careleaf check` reports exactly
what `mkdocs build` would. It builds nothing and writes nothing in site/.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from careleaf import model
from careleaf.build import Content, build_content
from careleaf.clinic import ConfigError
from careleaf.config import load_site
from careleaf.findings import Finding, errors

SCHEMA_FILE = Path("schema") / "treatment.schema.json"


class ConfigProblem(click.ClickException):
    """A configuration that cannot be used: printed as one 'Error: ...' line, exit code 2
    (1 means the content has errors)."""

    exit_code = 2


def load_content(config_file: Path) -> Content:
    """The site of a mkdocs.yml, loaded as MkDocs loads it, read, derived and checked as the
    build does it. Exits 0 with a note when careleaf is turned off."""

    def warn(message: str) -> None:
        click.echo(f"Warning: {message}", err=True)

    try:
        site = load_site(config_file, warn)
        if site is None:
            click.echo(
                f"careleaf is turned off in {config_file} (enabled: false): nothing to check"
            )
            sys.exit(0)
        return build_content(site)
    except ConfigError as exc:
        raise ConfigProblem(str(exc)) from None


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
    content = load_content(config_file)
    findings = sorted(content.findings, key=lambda f: (f.path, f.line, f.column, f.rule))
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

    content = load_content(config_file)
    try:
        output.write_text(render_report(content, content.site.clinic.name), encoding="utf-8")
    except OSError as exc:
        raise click.BadParameter(
            f"cannot write {output}: {exc.strerror}", param_hint="--output"
        ) from None
    click.echo(f"wrote {output} ({summary(content.findings)})")


@main.command()
@_CONFIG_OPTION
@click.option(
    "--update",
    is_flag=True,
    help="Add the site's new addresses to its contract file (published-urls.txt).",
)
@click.option("--quiet", "-q", is_flag=True, help="Do not list the short links.")
def links(config_file: Path, update: bool, quiet: bool) -> None:
    """List the short links staff share; with --update, record new addresses in the contract.

    The contract file lists every address the site has published; --update adds the new
    ones (and writes the file when the site has none yet), and never removes a line. Exits 1
    when an address the contract lists is no longer published and no move is declared.
    """
    from careleaf.links import contract_text

    content = load_content(config_file)
    found = content.links
    if found is None:
        click.echo(format_text(errors(content.findings), False), err=True)
        sys.exit(1)
    for short in () if quiet else (*found.treatments.values(), *found.answers.values()):
        click.echo(f"{found.absolute(short.address) or short.address}  {short.title}")
    path = content.site.contract_path
    removed = [f for f in content.findings if f.rule in ("url-removed", "contract-syntax")]
    if update and path is not None:
        text = contract_text(found.contract)
        old = path.read_text(encoding="utf-8") if path.is_file() else None
        if text != old:
            path.write_text(text, encoding="utf-8")
            click.echo(f"wrote {path.name}")
    for finding in removed:
        click.echo(str(finding), err=True)
    sys.exit(1 if removed else 0)


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
