"""The `careleaf` command: check a site's content, write its quality report, print the schema,
draft a treatment file from existing treatment information (`careleaf import`).

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
from careleaf.build import Content, Site, build_content
from careleaf.clinic import ConfigError
from careleaf.config import load_site
from careleaf.draft import draft, slug_of
from careleaf.findings import Finding, errors
from careleaf.library import SLUG, display_path

SCHEMA_FILE = Path("schema") / "treatment.schema.json"


class ConfigProblem(click.ClickException):
    """A configuration that cannot be used: printed as one 'Error: ...' line, exit code 2
    (1 means the content has errors)."""

    exit_code = 2


def load_content(config_file: Path) -> Content:
    """The site of a mkdocs.yml, loaded as MkDocs loads it, read, derived and checked as the
    build does it. Exits 0 with a note when careleaf is turned off."""
    site = _load_site(config_file, "nothing to check")
    try:
        return build_content(site)
    except ConfigError as exc:
        raise ConfigProblem(str(exc)) from None


def _load_site(config_file: Path, when_off: str) -> Site:
    """The site of a mkdocs.yml, loaded as MkDocs loads it; exits 0 saying `when_off` when
    careleaf is turned off."""

    def warn(message: str) -> None:
        click.echo(f"Warning: {message}", err=True)

    try:
        site = load_site(config_file, warn)
    except ConfigError as exc:
        raise ConfigProblem(str(exc)) from None
    if site is None:
        click.echo(f"careleaf is turned off in {config_file} (enabled: false): {when_off}")
        sys.exit(0)
    return site


def _use_colour(stream: Any) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _count(n: int, thing: str) -> str:
    return f"{n} {thing}{'s' if n != 1 else ''}"


def summary(findings: list[Finding], pages: int) -> str:
    """'N errors, M warnings in K files (P pages checked)', or 'P pages checked: no problems'."""
    checked = f"{_count(pages, 'page')} checked"
    if not findings:
        return f"{checked}: no problems"
    n_errors = len(errors(findings))
    files = len({f.path for f in findings})
    return (
        f"{_count(n_errors, 'error')}, {_count(len(findings) - n_errors, 'warning')} "
        f"in {_count(files, 'file')} ({checked})"
    )


def exit_status(findings: list[Finding], strict: bool) -> int:
    """1 when there are errors, or warnings in strict mode (as `mkdocs build --strict`)."""
    return 1 if errors(findings) or (strict and findings) else 0


def format_text(findings: list[Finding], colour: bool, pages: int) -> str:
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
    tally = summary(findings, pages)
    lines.append(
        style(
            tally, fg="red" if errors(findings) else ("yellow" if findings else "green"), bold=True
        )
    )
    return "\n".join(lines)


_STRICT_OPTION = click.option(
    "--strict",
    is_flag=True,
    help="Exit 1 on warnings too, as `mkdocs build --strict` publishes nothing with a warning.",
)

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
@_STRICT_OPTION
def check(config_file: Path, output_format: str, strict: bool) -> None:
    """Check the site's content with the same rules as the build.

    Exits 0 when there is no error (warnings allowed, unless --strict), 1 when there are
    errors (or warnings, with --strict).
    """
    content = load_content(config_file)
    findings = sorted(content.findings, key=lambda f: (f.path, f.line, f.column, f.rule))
    if output_format == "json":
        click.echo(json.dumps([f.as_dict() for f in findings], indent=2, ensure_ascii=False))
    else:
        colour = _use_colour(sys.stdout)
        click.echo(format_text(findings, colour, len(content.pages)), color=colour)
    sys.exit(exit_status(findings, strict))


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
@_STRICT_OPTION
def report(config_file: Path, output: Path, strict: bool) -> None:
    """Write the quality report: one HTML page to open in a browser.

    Exits as `careleaf check` does: 1 when there are errors (or warnings, with --strict).
    """
    from careleaf.report import render_report

    content = load_content(config_file)
    try:
        output.write_text(render_report(content, content.site.clinic.name), encoding="utf-8")
    except OSError as exc:
        raise click.BadParameter(
            f"cannot write {output}: {exc.strerror}", param_hint="--output"
        ) from None
    click.echo(f"wrote {output} ({summary(content.findings, len(content.pages))})")
    sys.exit(exit_status(content.findings, strict))


@main.command()
@_CONFIG_OPTION
@click.option(
    "--slug",
    help="The file's name and the page's address (lower-case letters, digits and '-'); "
    "made from the title when not given.",
)
@click.argument("title")
def new(config_file: Path, slug: str | None, title: str) -> None:
    """Start a treatment page: write docs/treatments/<slug>.md to fill in.

    Its front matter and every section are there, each with a line of guidance; the build
    and `careleaf check` report each part still to fill, by line. It never overwrites a file.
    """
    site = _load_site(config_file, "no treatment written")
    if not title.strip():
        raise click.BadParameter('give the treatment\'s name, e.g. "Chemical peel"')
    if slug is None and not (slug := slug_of(title)):
        raise click.BadParameter(
            "the title has no letters or digits to make the page's address from: "
            "give one with --slug, e.g. --slug chemical-peel",
            param_hint="TITLE",
        )
    if slug == "index":
        raise click.BadParameter(
            "'index' is the address of the treatments page itself: choose another --slug",
            param_hint="--slug",
        )
    if not SLUG.match(slug):
        raise click.BadParameter(
            f"'{slug}' cannot be a page's address: use lower-case letters, digits and '-', "
            "e.g. --slug chemical-peel",
            param_hint="--slug",
        )
    path = site.docs_dir / site.treatments_folder / f"{slug}.md"
    shown = display_path(path, Path.cwd())
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8", newline="\n") as out:
            out.write(draft(title.strip()))
    except FileExistsError:
        raise click.ClickException(
            f"{shown} exists already: nothing was written (choose another --slug)"
        ) from None
    except OSError as exc:
        raise click.ClickException(f"cannot write {shown}: {exc.strerror}") from None
    click.echo(
        f"wrote {shown}: fill in what `careleaf check` reports, then preview it with `make serve`"
    )


@main.command("import")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--title", help="The treatment's name (default: the source's first heading).")
@click.option(
    "--slug", help="The file name and address, e.g. chemical-peel (default: from the title)."
)
@click.option("--force", is_flag=True, help="Replace a treatment file that already exists.")
@_CONFIG_OPTION
def import_(
    source: Path, title: str | None, slug: str | None, force: bool, config_file: Path
) -> None:
    """Draft a treatment file from existing treatment information.

    SOURCE is plain text, Markdown or a saved web page (UTF-8 or Windows-1252). Each sentence
    goes under its section; what the editor must still do is noted in the draft, and
    `careleaf check` reports each note by line. Exits 2, writing nothing, when the source
    cannot be read or the file exists (without --force).
    """
    from careleaf import importer

    try:
        site = load_site(config_file, lambda message: click.echo(f"Warning: {message}", err=True))
    except ConfigError as exc:
        raise ConfigProblem(str(exc)) from None
    if site is None:
        raise ConfigProblem(f"careleaf is turned off in {config_file} (enabled: false)")
    try:
        imported = importer.import_source(source, site.settings, site.import_cues, title)
        target = importer.draft_path(
            site.docs_dir, site.treatments_folder, imported.draft.title, slug
        )
        shown = Path(os.path.relpath(target.resolve(), Path.cwd())).as_posix()
        importer.write_draft(imported.markdown, target, force, shown)
    except importer.SourceError as exc:
        raise ConfigProblem(str(exc)) from None
    click.echo(importer.summary(imported, shown, source.name))


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
        click.echo(format_text(errors(content.findings), False, len(content.pages)), err=True)
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
