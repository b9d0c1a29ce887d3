"""The Jinja2 environment that turns treatments into page Markdown.

Templates are looked up in the site's `overrides/careleaf/` first, then in careleaf's own
`templates/`, so a clinic can replace one page's layout by a file of the same name. A template
that fails, whatever the reason, is one finding with its file and line (`template_finding`).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import posixpath
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateSyntaxError,
    Undefined,
    select_autoescape,
)
from jinja2.exceptions import FilterArgumentError
from jinja2.loaders import split_template_path
from markupsafe import escape

from careleaf.findings import Finding
from careleaf.library import display_path
from careleaf.model import Treatment
from careleaf.reader import read_markdown
from careleaf.template_limits import LimitedEnvironment, TemplateLimit

PACKAGE_TEMPLATES = Path(__file__).parent / "templates"

_MONTHS = (
    "January February March April May June July August September October November December".split()
)


def _needs(value: Any, kind: type | tuple[type, ...], what: str, name: str) -> None:
    """A filter given the wrong kind of value says what it needs, at the template's line."""
    if isinstance(value, Undefined):
        str(value)  # a misspelt name: StrictUndefined raises Jinja's own "'x' is undefined"
    if not isinstance(value, kind):
        raise FilterArgumentError(f"{name} needs {what}, not {type(value).__name__} {value!r:.60}")


def long_date(value: dt.date) -> str:
    """A date as patients read it: 1 November 2026."""
    _needs(value, dt.date, "a date (such as t.review.reviewed)", "long_date")
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def cite(markdown: str, treatment: Treatment, page: str = "") -> str:
    """Replace `[@id]` citations with numbered links to the treatment's list of sources.

    `page` is the link to the treatment page when the text is shown on another page.
    """
    _needs(markdown, str, "text (such as section.markdown)", "cite")
    _needs(treatment, Treatment, "a treatment: cite(t)", "cite")
    numbers = {s.id: i for i, s in enumerate(treatment.cited_sources, start=1)}

    def link(ids: tuple[str, ...]) -> str:
        links = []
        for sid in ids:
            source = treatment.source(sid)
            if source is None:
                continue
            title = source.title.replace('"', "'")
            links.append(f'[{numbers[sid]}]({page}#source-{sid} "Source: {title}")')
        return f'<sup class="cl-cite">{", ".join(links)}</sup>' if links else ""

    return _replace_citations(markdown, treatment, link)


def uncite(markdown: str, treatment: Treatment) -> str:
    """The text without its `[@id]` citations, for a handout: its QR code leads to the
    guide, where the sources are."""
    _needs(markdown, str, "text (such as section.markdown)", "uncite")
    _needs(treatment, Treatment, "a treatment: uncite(t)", "uncite")
    return _replace_citations(markdown, treatment, lambda ids: "")


def _replace_citations(
    markdown: str, treatment: Treatment, replace: Callable[[tuple[str, ...]], str]
) -> str:
    # Only the citations the reader finds: `[@id]` in code or a comment is left as written.
    out = markdown
    # The treatment's own reading knows the citations of its sections and answers.
    marks = treatment.citations_in(markdown)
    if marks is None:
        marks = tuple(read_markdown(markdown).citations)
    for mark in reversed(marks):
        # The number sits right after the word it supports, as in print; not against a
        # list's or a quote's mark, which would then be text.
        before = out[: mark.offset].rstrip(" \t")
        marker = before[before.rfind("\n") + 1 :].strip()
        begin = mark.offset if _is_marker(marker) else len(before)
        out = out[:begin] + replace(mark.ids) + out[mark.offset + mark.length :]
    return out


def _is_marker(text: str) -> bool:
    """Whether a line's text before a citation is only a list item's or a quote's mark."""
    return text in ("", "-", "*", "+", ">") or (text[:-1].isdigit() and text[-1:] in ".)")


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def moved(markdown: str, source: str, shown_on: str) -> str:
    """Markdown of the page `source` (a docs/ path) with its relative links and `#anchors`
    rewritten to work on the page `shown_on`, as when "Who should avoid it" is gathered
    onto one page for every treatment."""
    _needs(markdown, str, "text (such as section.markdown)", "moved")
    if "[" not in markdown and "<" not in markdown:
        return markdown  # every link it could rewrite starts with one of them
    folder = posixpath.dirname(source)
    into = posixpath.dirname(shown_on) or "."

    def rebase(target: str) -> str:
        if _SCHEME.match(target) or target.startswith(("/", "//")):
            return target
        path, hash_, anchor = target.partition("#")
        linked = posixpath.normpath(posixpath.join(folder, path)) if path else source
        return posixpath.relpath(linked, into) + hash_ + anchor

    out = markdown
    links = [x for x in read_markdown(markdown).links if x.offset >= 0 and x.kind != "autolink"]
    for found in sorted(links, key=lambda x: x.offset, reverse=True):
        end = found.offset + len(found.target)
        out = out[: found.offset] + rebase(found.target) + out[end:]
    return out


def indent(text: str, width: int = 4) -> str:
    """Indent every non-blank line, for Markdown nested in an admonition."""
    _needs(text, str, "text", "indent_md")
    pad = " " * width
    return "\n".join(pad + line if line.strip() else "" for line in text.splitlines())


def json_ld(data: dict[str, Any]) -> str:
    """JSON for a <script> element: `<`, `>` and `&` escaped, so no text can end the element
    or change how the browser reads it."""
    _needs(data, dict, "a mapping (such as jsonld)", "json_ld")
    try:
        text = json.dumps(data, ensure_ascii=False, indent=None)
    except (TypeError, ValueError) as exc:  # a value JSON has no form for, or a loop
        raise FilterArgumentError(f"json_ld cannot write this as JSON: {exc}") from None
    # Not only `</`: `<!--` then `<script` in a title would put the browser's reader in a
    # state where this element's own `</script>` no longer ends it. JSON reads \u003c as `<`.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def one_line(text: str) -> str:
    """Text safe for a single-line YAML value or table cell."""
    return " ".join(str(text).split()).replace("|", "\\|")


def yaml_str(text: str) -> str:
    """Text as one quoted YAML string on one line (JSON is YAML), for front matter."""
    # Not one_line: its `\|` is for table cells and would show in a page's description.
    return json.dumps(" ".join(str(text).split()), ensure_ascii=False)


class TemplateFileError(TemplateError):
    """A template file that cannot be read, with its file and line like a syntax error."""

    def __init__(self, message: str, filename: str, lineno: int = 1) -> None:
        super().__init__(message)
        self.filename = filename
        self.lineno = lineno


class _TemplateFiles(FileSystemLoader):
    """Jinja's file loader, but a file that is not UTF-8 or cannot be opened is a
    `TemplateFileError` naming it, not a bare UnicodeDecodeError from deep in Jinja."""

    def get_source(self, environment: Environment, template: str) -> Any:
        try:
            return super().get_source(environment, template)
        except (OSError, UnicodeDecodeError) as exc:
            if isinstance(exc, TemplateError):  # TemplateNotFound is an OSError too
                raise
            raise self._unreadable(template, exc) from None

    def _unreadable(self, template: str, exc: OSError | UnicodeDecodeError) -> TemplateFileError:
        path = next(
            (
                p
                for folder in self.searchpath
                if (p := Path(folder, *split_template_path(template))).is_file()
            ),
            Path(template),
        )
        if isinstance(exc, OSError):
            return TemplateFileError(f"the file cannot be read ({exc.strerror or exc})", str(path))
        line = exc.object[: exc.start].count(b"\n") + 1
        return TemplateFileError(
            f"the file is not saved as UTF-8 (byte {exc.object[exc.start]:#04x} on this line): "
            "save it as UTF-8 in your editor",
            str(path),
            line,
        )


def make_environment(override_dir: Path | None = None) -> LimitedEnvironment:
    """The template environment: the site's overrides first, then careleaf's templates."""
    search = [str(override_dir)] if override_dir and override_dir.is_dir() else []
    env = LimitedEnvironment(
        loader=_TemplateFiles([*search, str(PACKAGE_TEMPLATES)]),
        undefined=StrictUndefined,
        autoescape=select_autoescape(["html", "htm", "xml"]),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        cite=cite,
        uncite=uncite,
        indent_md=indent,
        long_date=long_date,
        moved=moved,
        json_ld=json_ld,
        one_line=one_line,
        md_id=lambda anchor: "{#" + str(anchor) + "}",
        e=escape,
        yaml_str=yaml_str,
    )
    env.limit_filters()
    return env


def template_finding(exc: BaseException, templates: Path | None, root: Path) -> Finding | None:
    """One line naming the template and the line that failed, or None when no template did.

    Anything a template does can fail (a sum of text and a number, a division by zero, a
    file that includes itself), so every exception that passed through a template's code is
    the template's; one that did not is careleaf's own bug and keeps its traceback.
    """
    frames = _template_frames(exc, templates)
    name, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    if name is None and frames:  # an error while rendering: the innermost template's line
        name, line, _ = frames[-1]
    if name is None and not isinstance(exc, TemplateError):
        return None
    path = display_path(Path(name), root) if name else display_path(_folder(templates), root)
    rule = "template-syntax" if isinstance(exc, TemplateSyntaxError) else "template-error"
    if isinstance(exc, TemplateLimit):
        rule = "template-limit"
    return Finding(path, line or 1, rule, _what_failed(exc, frames))


_Frame = tuple[str, int, str]  # a template's file, its line, and what ran: the file, a macro


def _template_frames(exc: BaseException, templates: Path | None) -> list[_Frame]:
    """The file, line and code name of each template frame of the traceback, outermost first.

    Jinja runs a template as code whose file name is the template's, and rewrites the
    traceback so that each such frame's line is the template's line."""
    folders = tuple(f"{folder}{os.sep}" for folder in (templates, PACKAGE_TEMPLATES) if folder)
    frames = []
    tb = exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_filename.endswith(".j2") or code.co_filename.startswith(folders):
            frames.append((code.co_filename, tb.tb_lineno, code.co_name))
        tb = tb.tb_next
    return frames


def _folder(templates: Path | None) -> Path:
    return templates if templates is not None and templates.is_dir() else PACKAGE_TEMPLATES


def _what_failed(exc: BaseException, frames: list[_Frame]) -> str:
    if isinstance(exc, RecursionError):
        # A template among the site's replaces careleaf's of the same name, so including or
        # extending that name runs the override itself, again and again: its whole file
        # (Jinja's "top-level template code") is on the stack more than once.
        if sum(code == "top-level template code" for *_, code in frames) > 1:
            return (
                "the template includes or extends itself, so it never ends (a template here "
                "replaces careleaf's of the same name: it cannot include or extend careleaf's)"
            )
        return "a macro calls itself without end"
    if isinstance(exc, TemplateError):
        return str(exc.message or exc)
    return str(exc) or type(exc).__name__
