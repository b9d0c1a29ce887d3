"""Safe HTML: no scripts, frames, plug-ins, event handlers or javascript: links in content."""

from __future__ import annotations

import bisect
import re

from careleaf.checks.pages import Page
from careleaf.checks.settings import CheckSettings
from careleaf.findings import Finding

# Inline code may run over lines of one paragraph, as Python-Markdown reads it, not past one.
_INLINE_CODE = re.compile(r"(`+)(?:(?!\n[ \t]*\n).)+?\1", re.S)
# A comment hides only what it closes around: `<!-->` and `<!--->` close at once (as browsers
# read them), and an unclosed `<!--` is shown as text by Markdown, so it hides nothing.
_COMMENT = re.compile(r"<!--(?!-?>).*?-->", re.S)
# A block of raw HTML: its backticks are text, not code.
_HTML_BLOCK = re.compile(r"^[ \t]{0,3}<[A-Za-z/!?]")
# A browser drops tabs and line breaks inside a web address: `java<newline>script:` still runs.
_SCHEME = r"[\t\r\n]*".join("javascript") + "|" + r"[\t\r\n]*".join("vbscript")
_UNSAFE: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"<\s*(script|iframe|object|embed|frame|frameset|applet)\b", re.IGNORECASE),
        "a <{0}> element can run code or load another site in the page: remove it "
        "(link to the other page instead)",
    ),
    (
        # A tag's attributes may run over several lines.
        # Browsers also take '/' or a quote before an attribute: `<svg/onload=...>`.
        re.compile(r"<[A-Za-z][^<>]*?[\s/\"'](on[a-z]+)\s*=", re.IGNORECASE),
        "the '{0}' attribute runs code in the reader's browser: remove it",
    ),
    (
        re.compile(
            # One `\s*` on each side of the optional quote: two in a row would backtrack.
            rf"(?:\]\(\s*<?|=\s*(?:[\"']\s*)?|^[ \t]*\[[^\]\n]+\]:\s*|<)({_SCHEME})\s*:",
            re.IGNORECASE | re.MULTILINE,
        ),
        "a {0}: link runs code when clicked: link to a page or web address instead",
    ),
)


def _blank(match: re.Match[str]) -> str:
    """Text of the same length and lines, with nothing in it to match."""
    return re.sub(r"[^\n]", " ", match.group(0))


def _readable(lines: list[str], code_lines: set[int]) -> str:
    """The file as the rules read it: code (as the reader found it), inline code and comments
    blanked out, each line where it was."""
    text = "\n".join("" if n in code_lines else line for n, line in enumerate(lines, start=1))
    paragraphs = re.split(r"(\n[ \t]*\n)", text)
    text = "".join(
        p if _HTML_BLOCK.match(p.lstrip("\n")) else _INLINE_CODE.sub(_blank, p) for p in paragraphs
    )
    return _COMMENT.sub(_blank, text)


def check_html(page: Page, settings: CheckSettings) -> list[Finding]:
    """Unsafe raw HTML or links in the editor's file, front matter included (its title and
    summary reach the page too), read across lines; code and comments are passed over."""
    lines = page.lines or page.markdown.split("\n")
    text = _readable(lines, page.reading.code_lines if page.reading is not None else set())
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    findings: list[Finding] = []
    seen: set[tuple[int, str]] = set()

    def report(line: int, column: int, name: str, message: str) -> None:
        if (line, name) not in seen:
            seen.add((line, name))
            findings.append(
                Finding(
                    page.path,
                    line,
                    "html-unsafe",
                    message.format(name),
                    settings.level("html-unsafe"),
                    column,
                )
            )

    for pattern, message in _UNSAFE:
        for match in pattern.finditer(text):
            index = bisect.bisect_right(starts, match.start(1)) - 1
            name = re.sub(r"\s", "", match.group(1)).lower()
            report(index + 1, match.start(1) - starts[index] + 1, name, message)
    # The front matter's words as YAML reads them: a value may be folded over lines or written
    # with escapes (`\x3c`), and every one may reach a page (title, facts, sources, ...).
    if page.treatment is not None:
        t = page.treatment
        for field, value in _texts(t.meta):
            for pattern, message in _UNSAFE:
                for match in pattern.finditer(value):
                    name = re.sub(r"\s", "", match.group(1)).lower()
                    report(t.field_lines.get(field, 1), 1, name, message)
    return findings


def _texts(value: object, field: str = "") -> list[tuple[str, str]]:
    """Every text in some front matter, with the top-level field it is under."""
    if isinstance(value, str):
        return [(field, value)]
    if isinstance(value, dict):
        return [found for key, v in value.items() for found in _texts(v, field or str(key))]
    if isinstance(value, list):
        return [found for v in value for found in _texts(v, field)]
    return []
