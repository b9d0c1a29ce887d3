"""What the preview (`mkdocs serve`) shows an editor on a page: the problems found in its file.

A build never shows these panels: it logs the same lines and publishes nothing while an error
(or, in strict mode, a warning) stands. In the preview, each problem is the line
`file:line: rule-id: message` with the text of that line of the file, on the page the file
makes; problems of files that are not pages (the glossary, a template) are on every page.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from careleaf.findings import Finding, errors


@dataclass(frozen=True)
class Problems:
    """The findings the preview shows: by page (its file relative to docs/, with '/'), and
    those of files that are not pages, shown on every page."""

    by_page: dict[str, tuple[Finding, ...]] = field(default_factory=dict)
    everywhere: tuple[Finding, ...] = ()

    def on(self, src_uri: str) -> tuple[Finding, ...]:
        """Every finding shown on a page: its own, then those of files that are not pages."""
        return self.by_page.get(src_uri, ()) + self.everywhere


def problems_by_page(
    findings: list[Finding], root: Path, docs_dir: Path, pages: set[str]
) -> Problems:
    """The findings placed on the pages they are about; `pages`, every page of the site (its
    file relative to docs/); a finding's path is relative to `root`."""
    docs = docs_dir.resolve()
    by_page: dict[str, list[Finding]] = {}
    everywhere: list[Finding] = []
    for finding in findings:
        path = (root / finding.path).resolve()
        src_uri = Path(os.path.relpath(path, docs)).as_posix() if docs in path.parents else None
        if src_uri in pages:
            by_page.setdefault(src_uri, []).append(finding)
        else:
            everywhere.append(finding)
    return Problems({k: tuple(v) for k, v in by_page.items()}, tuple(everywhere))


def show_problems(
    html: str,
    own: tuple[Finding, ...],
    others: tuple[Finding, ...],
    root: Path,
    last_good: str | None,
) -> str:
    """A page's content as the preview shows it.

    With an error in the page's own file: the errors panel in place of the content, above the
    last version of it that had none (when the preview showed one). Otherwise the content, with
    a panel above it for each kind of problem found."""
    lines = _FileLines(root)
    own_errors = errors(list(own))
    found = own + others
    parts: list[str] = []
    if own_errors:
        note = _BEFORE if last_good is not None else _HIDDEN
        parts.append(_panel("error", errors(list(found)), lines, note))
        warnings = [f for f in found if f.severity != "error"]
        if warnings:
            parts.append(_panel("warning", warnings, lines))
        if last_good is not None:
            parts.append(
                '<p class="careleaf-problems-before">The page as it was before this problem:</p>'
            )
            parts.append(last_good)
        return "\n".join(parts)
    if not found:
        return html
    if errs := errors(list(found)):
        parts.append(_panel("error", errs, lines, _NOT_PUBLISHED))
    if warnings := [f for f in found if f.severity != "error"]:
        parts.append(_panel("warning", warnings, lines))
    parts.append(html)
    return "\n".join(parts)


_BEFORE = "Below, the page as it was before: the site cannot be published until they are fixed."
_HIDDEN = "The page shows again once they are fixed."
_NOT_PUBLISHED = "The site cannot be published until they are fixed."


def _panel(kind: str, findings: list[Finding], lines: _FileLines, note: str = "") -> str:
    count = len(findings)
    what = (
        f"{count} problem{'s' if count != 1 else ''} to fix"
        if kind == "error"
        else f"{count} warning{'s' if count != 1 else ''}"
    )
    items = []
    for f in sorted(findings, key=lambda f: (f.path, f.line, f.column, f.rule)):
        text = lines.get(f.path, f.line)
        shown = f"<pre>{f.line:>4} | {escape(text)}</pre>" if text is not None else ""
        items.append(f"<li><code>{escape(str(f))}</code>{shown}</li>")
    role = ' role="alert"' if kind == "error" else ""
    return (
        f'<div class="careleaf-problems careleaf-problems-{kind}"{role}>'
        f"<p><strong>{what}</strong> (only the preview shows this box). {escape(note)}</p>"
        f"<ul>{''.join(items)}</ul></div>"
    )


class _FileLines:
    """The lines of the files findings name, each file read once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: dict[str, list[str] | None] = {}

    def get(self, path: str, line: int) -> str | None:
        if path not in self.files:
            try:
                text = (self.root / path).read_text(encoding="utf-8-sig", errors="replace")
                self.files[path] = text.splitlines()
            except OSError:
                self.files[path] = None
        lines = self.files[path]
        if lines is None or not 1 <= line <= len(lines):
            return None
        return lines[line - 1]


class Pause:
    """The preview while the site cannot be rebuilt (a mkdocs.yml MkDocs refuses, a plugin
    or template that fails): each page of the last good build is set aside, beside the site,
    and a page naming the problems takes its place (also where a failed build left none),
    which the browser's live reload shows at once. The pages go back as they were, times and
    all, before the next rebuild, so `serve --dirty` rebuilds only what changed."""

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = site_dir
        self.aside = site_dir.with_name(site_dir.name + ".careleaf-paused")
        self.pages: list[Path] = []  # the last good build's pages, relative to the site
        self.made: set[Path] = set()  # pages the pause wrote where there was none

    def remember(self) -> None:
        """Note the pages of a build that succeeded."""
        self.pages = sorted(p.relative_to(self.site_dir) for p in self.site_dir.rglob("*.html"))

    def show(self, problems: list[str]) -> None:
        page = paused_page(problems)
        here = {p.relative_to(self.site_dir) for p in self.site_dir.rglob("*.html")}
        for name in sorted(here | set(self.pages)):
            path, kept = self.site_dir / name, self.aside / name
            if name in here and name not in self.made and not kept.exists():
                kept.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, kept)
            elif name not in here:
                self.made.add(name)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(page, encoding="utf-8")

    def end(self) -> None:
        """Put the set-aside pages back, and take away the pages the pause made."""
        for name in self.made:
            (self.site_dir / name).unlink(missing_ok=True)
        self.made = set()
        if not self.aside.is_dir():
            return
        for kept in sorted(self.aside.rglob("*.html")):
            path = self.site_dir / kept.relative_to(self.aside)
            path.parent.mkdir(parents=True, exist_ok=True)
            os.replace(kept, path)
        self.discard()

    def discard(self) -> None:
        """Remove what the pause set aside (when the preview stops)."""
        shutil.rmtree(self.aside, ignore_errors=True)


def paused_page(problems: list[str]) -> str:
    """The page the preview shows while the site cannot be rebuilt."""
    items = "".join(f"<li><code>{escape(line)}</code></li>" for line in problems)
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Preview paused</title><style>"
        "body{font:1rem/1.5 system-ui,sans-serif;margin:2rem auto;max-width:46rem;"
        "padding:0 1rem;color:#1b1b1b}"
        ".careleaf-problems-error{border-left:.3rem solid #b00020;padding:.5rem 1rem;"
        "background:#fdecee}code{white-space:pre-wrap;overflow-wrap:anywhere}"
        "</style></head><body>"
        '<div class="careleaf-problems careleaf-problems-error" role="alert">'
        "<h1>Preview paused</h1>"
        "<p><strong>The site could not be rebuilt</strong> (only the preview shows this "
        "page). Fix what is named below and save: the preview comes back by itself.</p>"
        f"<ul>{items}</ul></div></body></html>\n"
    )
