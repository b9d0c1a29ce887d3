"""Safe HTML: no scripts, frames, plug-ins, event handlers or javascript: links in content."""

from __future__ import annotations

import re

from careleaf.checks.pages import Page, unfenced_lines
from careleaf.checks.settings import CheckSettings
from careleaf.findings import Finding

_INLINE_CODE = re.compile(r"(`+).+?\1")
_UNSAFE: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"<\s*(script|iframe|object|embed|frame|frameset|applet)\b", re.IGNORECASE),
        "a <{0}> element can run code or load another site in the page: remove it "
        "(link to the other page instead)",
    ),
    (
        re.compile(r"<[A-Za-z][^>]*?\s(on[a-z]+)\s*=", re.IGNORECASE),
        "the '{0}' attribute runs code in the reader's browser: remove it",
    ),
    (
        re.compile(
            r"(?:\]\(\s*<?|=\s*[\"']?\s*|^\s*\[[^\]]+\]:\s*|<)(javascript|vbscript)\s*:",
            re.IGNORECASE,
        ),
        "a {0}: link runs code when clicked: link to a page or web address instead",
    ),
)


def check_html(page: Page, settings: CheckSettings) -> list[Finding]:
    """Unsafe raw HTML or links in the editor's file, front matter included (its title and
    summary reach the page too); code is passed over."""
    findings: list[Finding] = []
    for number, raw in unfenced_lines("\n".join(page.lines) if page.lines else page.markdown):
        line = _INLINE_CODE.sub(lambda m: " " * len(m.group(0)), raw)
        for pattern, message in _UNSAFE:
            for match in pattern.finditer(line):
                name = match.group(1).lower().removesuffix(":")
                findings.append(
                    Finding(
                        page.path,
                        number + 1,
                        "html-unsafe",
                        message.format(name),
                        settings.level("html-unsafe"),
                        match.start(1) + 1,
                    )
                )
    return findings
