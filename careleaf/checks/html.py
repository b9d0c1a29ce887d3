"""Safe HTML: no scripts, frames, plug-ins, event handlers or javascript: links in content.

An early warning for editors, at the line they wrote: the raw HTML and the links the reader
found (code and comments are never read), and every text of the front matter, which reaches
the page too, are parsed as a browser parses them.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser

from careleaf.checks.pages import Page
from careleaf.checks.settings import CheckSettings
from careleaf.derive import marker
from careleaf.findings import Finding
from careleaf.published import COMMENT_MESSAGE
from careleaf.reader import Reading, read_markdown

_RUNS_CODE = frozenset("script iframe object embed frame frameset applet".split())
# Attributes whose value a browser follows or loads as an address.
_ADDRESS = frozenset("href src action formaction xlink:href data poster background".split())
_ELEMENT = (
    "a <{0}> element can run code or load another site in the page: remove it "
    "(link to the other page instead)"
)
_HANDLER = "the '{0}' attribute runs code in the reader's browser: remove it"
_SCHEME = "a {0}: link runs code when clicked: link to a page or web address instead"


def code_scheme(address: str) -> str | None:
    """'javascript' or 'vbscript' when a browser would run an address as code, else None.

    As a browser reads it: entities decoded, tabs, line breaks and control characters
    dropped, any case."""
    text = "".join(ch for ch in html.unescape(address) if ch > " ").lower()
    scheme = text.split(":", 1)[0] if ":" in text else ""
    return scheme if scheme in ("javascript", "vbscript") else None


class _Unsafe(HTMLParser):
    """What in some HTML would run code: (line, column, name, message), lines from 1."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, int, str, str]] = []
        self.comments: list[int] = []  # the line each HTML comment starts on

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, column = self.getpos()
        raw = (self.get_starttag_text() or "").lower()
        if tag in _RUNS_CODE:
            self.found.append((line, column + 1, tag, _ELEMENT.format(tag)))
        for name, value in attrs:
            # The line the attribute is written on, for a tag written over several lines.
            at = raw.find(name)
            where = line + raw[: max(at, 0)].count("\n")
            if name.startswith("on"):
                self.found.append((where, column + 1, name, _HANDLER.format(name)))
            elif value and name in _ADDRESS and (scheme := code_scheme(value)):
                self.found.append((where, column + 1, scheme, _SCHEME.format(scheme)))

    handle_startendtag = handle_starttag

    def handle_comment(self, data: str) -> None:
        self.comments.append(self.getpos()[0])


def _read(text: str) -> _Unsafe:
    parser = _Unsafe()
    # Browsers end a comment at `<!-->` and `<!--->`; Python's parser may read on to `-->`.
    parser.feed(text.replace("<!--->", "<!---->").replace("<!-->", "<!---->"))
    parser.close()
    return parser


def unsafe_html(text: str) -> list[tuple[int, int, str, str]]:
    """What in some raw HTML would run code in a browser."""
    return _read(text).found


def _in_markdown(text: str, first_line: int = 1) -> list[tuple[int, int, str, str]]:
    return _in_reading(read_markdown(text, first_line=first_line))


def _in_reading(reading: Reading) -> list[tuple[int, int, str, str]]:
    return _in_reading_items(reading.html, [(x.target, x.line, x.column) for x in reading.links])


def _in_reading_items(
    fragments: list[tuple[int, str]], links: list[tuple[str, int, int]]
) -> list[tuple[int, int, str, str]]:
    found = []
    for line, fragment in fragments:
        found += [(line + n - 1, c, name, m) for n, c, name, m in unsafe_html(fragment)]
    for target, line, column in links:
        if scheme := code_scheme(target):
            found.append((line, column, scheme, _SCHEME.format(scheme)))
    return found


def check_html(page: Page, settings: CheckSettings) -> list[Finding]:
    """Unsafe raw HTML or links in the editor's file, front matter included (its title and
    summary reach the page too); code and comments are passed over."""
    findings: list[Finding] = []
    seen: set[tuple[int, str]] = set()

    def report(line: int, column: int, name: str, message: str) -> None:
        if (line, name) not in seen:
            seen.add((line, name))
            level = settings.level("html-unsafe")
            findings.append(Finding(page.path, line, "html-unsafe", message, level, column))

    if page.reading is not None:
        for line, fragment in page.reading.html:
            if "<!--" in fragment and marker(fragment) is None:  # a marker is filled in
                level = settings.level("html-comment")
                for at in _read(fragment).comments:
                    findings.append(
                        Finding(page.path, line + at - 1, "html-comment", COMMENT_MESSAGE, level)
                    )
        # Links in raw HTML are read with the HTML: only the Markdown links here.
        links = [(x.target, x.line, x.column) for x in page.reading.links if x.kind != "html"]
        for item in _in_reading_items(page.reading.html, links):
            report(*item)
    # The front matter's words as YAML reads them: a value may be folded over lines or written
    # with escapes (`\x3c`), and every one may reach a page (title, facts, sources, ...).
    t = page.treatment
    lines = t.field_lines if t is not None else {}
    for field, value in _texts(page.meta):
        # A handout's points are judged below, each at its own line, as they were read.
        if t is not None and field == "handout":
            continue
        # Only a text with a tag, an entity or an address in it can hold what runs code.
        if "<" in value or "&" in value or ":" in value:
            for _, _, name, message in _in_markdown(value):
                report(lines.get(field, 1), 1, name, message)
    for point in (p for h in t.handout.values() for p in h.points) if t is not None else ():
        for _, _, name, message in _in_reading(point.reading):
            report(point.line, 1, name, message)
    return sorted(findings, key=lambda f: (f.line, f.column))


def _texts(value: object, field: str = "") -> list[tuple[str, str]]:
    """Every text in some front matter, with the top-level field it is under."""
    if isinstance(value, str):
        return [(field, value)]
    if isinstance(value, dict):
        return [found for key, v in value.items() for found in _texts(v, field or str(key))]
    if isinstance(value, list):
        return [found for v in value for found in _texts(v, field)]
    return []
