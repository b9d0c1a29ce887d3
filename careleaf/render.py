"""The Jinja2 environment that turns treatments into page Markdown.

Templates are looked up in the site's `overrides/careleaf/` first, then in careleaf's own
`templates/`, so a clinic can replace one page's layout by a file of the same name.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined, select_autoescape
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import escape

from careleaf.model import CITATION, Treatment

PACKAGE_TEMPLATES = Path(__file__).parent / "templates"

_MONTHS = (
    "January February March April May June July August September October November December".split()
)


def long_date(value: dt.date) -> str:
    """A date as patients read it: 1 November 2026."""
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def cite(markdown: str, treatment: Treatment, page: str = "") -> str:
    """Replace `[@id]` citations with numbered links to the treatment's list of sources.

    `page` is the link to the treatment page when the text is shown on another page.
    """
    numbers = {s.id: i for i, s in enumerate(treatment.cited_sources, start=1)}

    def link(match: re.Match[str]) -> str:
        ids = re.findall(r"@([A-Za-z0-9_-]+)", match.group(1))
        links = []
        for sid in ids:
            source = treatment.source(sid)
            if source is None:
                continue
            title = source.title.replace('"', "'")
            links.append(f'[{numbers[sid]}]({page}#source-{sid} "Source: {title}")')
        return f'<sup class="cl-cite">{", ".join(links)}</sup>' if links else ""

    # The number sits right after the word it supports, as in print.
    return re.sub(r"[ \t]*" + CITATION.pattern, link, markdown)


def indent(text: str, width: int = 4) -> str:
    """Indent every non-blank line, for Markdown nested in an admonition."""
    pad = " " * width
    return "\n".join(pad + line if line.strip() else "" for line in text.splitlines())


def json_ld(data: dict[str, Any]) -> str:
    """JSON for a <script> element: `</` escaped so text cannot close the element."""
    return json.dumps(data, ensure_ascii=False, indent=None).replace("</", "<\\/")


def one_line(text: str) -> str:
    """Text safe for a single-line YAML value or table cell."""
    return " ".join(str(text).split()).replace("|", "\\|")


def make_environment(override_dir: Path | None = None) -> SandboxedEnvironment:
    """The template environment: the site's overrides first, then careleaf's templates."""
    search = [str(override_dir)] if override_dir and override_dir.is_dir() else []
    env = SandboxedEnvironment(
        loader=FileSystemLoader([*search, str(PACKAGE_TEMPLATES)]),
        undefined=StrictUndefined,
        autoescape=select_autoescape(["html", "htm", "xml"]),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        cite=cite,
        indent_md=indent,
        long_date=long_date,
        json_ld=json_ld,
        one_line=one_line,
        md_id=lambda anchor: "{#" + str(anchor) + "}",
        e=escape,
        yaml_str=lambda s: json.dumps(one_line(s), ensure_ascii=False),
    )
    return env
