"""A clinic's existing treatment information as careleaf reads it for `careleaf import`: plain
text, Markdown or a saved web page, decoded and cut into headings, paragraphs, list items and
questions, each with its line in the source.

A web page is read with the standard library's HTML parser: its main text only (inside <main>
or <article> when it has one), without navigation, scripts, styles, headers, footers, forms or
hidden elements. Markdown is read by careleaf's own reader; plain text by its blank lines.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from careleaf.front_matter import split_front_matter
from careleaf.reader import DEFAULT_TOC, TextBlock, read_markdown


class SourceError(Exception):
    """A source that cannot be imported: the message says why, in one line."""


# --- decoding --------------------------------------------------------------------


def decode(data: bytes, name: str) -> tuple[str, str]:
    """The text of a source and the encoding it was read in: UTF-8 (with or without a byte
    order mark), UTF-16 with its mark, or Windows-1252. Raises SourceError for anything else."""
    if data.startswith(codecs.BOM_UTF8):
        return _decoded(data[3:], "utf-8", name), "UTF-8"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decoded(data, "utf-16", name), "UTF-16"
    if data.startswith(b"%PDF"):
        raise SourceError(f"{name}: a PDF file: save it as plain text (.txt) or copy its text")
    if data.startswith(b"PK\x03\x04"):
        raise SourceError(
            f"{name}: a Word document or another zipped file: save it as plain text (.txt)"
        )
    if b"\x00" in data:
        raise SourceError(f"{name}: not a text file (it holds NUL bytes): save it as plain text")
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(
            f"{name}:{line}: byte 0x{data[exc.start]:02x} is neither UTF-8 nor Windows-1252 text: "
            "save the file as UTF-8"
        ) from None


def _decoded(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(f"{name}:{line}: not valid {encoding.upper()} text") from None


def source_kind(path: Path, text: str) -> str:
    """'html', 'markdown' or 'text': by the file's name, else by how it starts."""
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm", ".xhtml"):
        return "html"
    if suffix in (".md", ".markdown", ".mdown", ".mkd"):
        return "markdown"
    start = text.lstrip()[:200].lower()
    if start.startswith(("<!doctype html", "<html", "<?xml")):
        return "html"
    return "text"


@dataclass
class Source:
    """What was read of a source: its title (if it gives one) and its blocks, in order."""

    title: str
    blocks: list[TextBlock]


def read_source(text: str, kind: str) -> Source:
    """The blocks of a source's text: headings, paragraphs and list items, with lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if kind == "html":
        return _html_blocks(text)
    if kind == "markdown":
        return _markdown_blocks(text)
    return _text_blocks(text)


def _text_blocks(text: str) -> Source:
    """Plain text: paragraphs between blank lines; a short line alone, without a full stop, is
    a heading; a line starting with a bullet or a number is a list item."""
    blocks: list[TextBlock] = []
    paragraph: list[tuple[int, str]] = []

    def flush() -> None:
        if paragraph:
            blocks.extend(_text_paragraph(paragraph))
            paragraph.clear()

    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            paragraph.append((number, line.strip()))
        else:
            flush()
    flush()
    first = blocks[0] if blocks else None
    title = _joined(first) if first is not None and first.kind == "heading" else ""
    return Source(title, blocks)


_BULLETS = ("- ", "* ", "• ", "– ", "— ", "· ", "+ ")


def _bullet(line: str) -> str | None:
    """The text of a list item line, without its bullet or number; None for another line."""
    if line.startswith(_BULLETS):
        return line[2:].strip()
    head, sep, rest = line.partition(" ")
    if sep and len(head) <= 3 and head[:-1].isdigit() and head[-1] in ".)":
        return rest.strip()
    return None


def _looks_like_heading(line: str) -> bool:
    words = line.split()
    return 0 < len(words) <= 8 and not line.endswith((".", "!", ",", ";")) and line[0].isalnum()


def _text_paragraph(lines: list[tuple[int, str]]) -> list[TextBlock]:
    found: list[TextBlock] = []
    if len(lines) == 1 and _looks_like_heading(lines[0][1]) and not lines[0][1].endswith("?"):
        return [TextBlock("heading", lines[0][0], [(lines[0][0], lines[0][1].rstrip(":"))])]
    current: TextBlock | None = None
    for i, (number, line) in enumerate(lines):
        item = _bullet(line)
        if item is not None:
            current = TextBlock("item", number, [(number, item)])
            found.append(current)
        elif i == 0 and line.endswith("?") and len(lines) > 1:
            found.append(TextBlock("question", number, [(number, line)]))
            current = None
        elif current is None or current.kind == "question":
            current = TextBlock("paragraph", number, [(number, line)])
            found.append(current)
        else:
            current.parts.append((number, line))
    if len(lines) == 1 and lines[0][1].endswith("?") and _looks_like_heading(lines[0][1]):
        found = [TextBlock("question", lines[0][0], [lines[0]])]
    return found


def _markdown_blocks(text: str) -> Source:
    """Markdown, read by careleaf's own reader (front matter left out)."""
    first_line = 1
    split = split_front_matter(text)
    if split is not None and split[1]:
        lines = text.split("\n")
        first_line = split[1]
        text = "\n".join(lines[first_line - 1 :])
    reading = read_markdown(text, DEFAULT_TOC, first_line)
    top = {h.line for h in reading.headings if h.level == 1}
    blocks = []
    title = ""
    for block in reading.blocks:
        if block.kind in ("heading", "title"):
            kind = "question" if _joined(block).endswith("?") else "heading"
            if block.line in top and not title:
                title = _joined(block)
            block = TextBlock(kind, block.line, block.parts)
        blocks.append(block)
    return Source(title, blocks)


def _joined(block: TextBlock) -> str:
    return " ".join(text.strip() for _, text in block.parts).strip()


# A saved web page: what is not its main text.
_LEFT_OUT = frozenset(
    "script style noscript template nav header footer aside form button select svg iframe "
    "object canvas head dialog menu".split()
)
_BLOCKS = frozenset(
    "p div section article main li dt dd td th blockquote pre figcaption tr ul ol dl table "
    "h1 h2 h3 h4 h5 h6 br hr address details summary".split()
)
_HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())


class _PageText(HTMLParser):
    """The main text of a web page: blocks of text, leaving out navigation, scripts, headers,
    footers, forms and hidden elements; only what is inside <main> or <article> when the page
    has one."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[TextBlock, bool]] = []  # a block, and whether it is main text
        self.title = ""
        self._in_title = False
        self._left_out: list[str] = []  # the open elements whose text is left out
        self._main = 0  # how many <main>/<article> elements are open
        self._kind = "paragraph"
        self._text: list[str] = []
        self._line = 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            if tag in _BLOCKS:
                self._flush()
            return
        given = dict(attrs)
        if self._left_out:
            if tag in _LEFT_OUT or tag in self._left_out:
                self._left_out.append(tag)
            return
        if tag == "title":
            self._in_title = True
            return
        hidden = "hidden" in given or given.get("aria-hidden") == "true"
        if (
            tag in _LEFT_OUT
            or hidden
            or given.get("role") in ("navigation", "banner", "contentinfo")
        ):
            self._flush()
            self._left_out.append(tag)
            return
        if tag in _BLOCKS:
            self._flush()
            self._kind = "heading" if tag in _HEADINGS else "item" if tag == "li" else "paragraph"
        if tag in ("main", "article") or given.get("role") == "main":
            self._main += 1

    def handle_endtag(self, tag: str) -> None:
        if self._left_out:
            if tag == self._left_out[-1]:
                self._left_out.pop()
            return
        if tag == "title":
            self._in_title = False
            return
        if tag in _BLOCKS:
            self._flush()
            self._kind = "paragraph"
        if tag in ("main", "article") and self._main:
            self._main -= 1

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
            return
        if self._left_out:
            return
        if not "".join(self._text).strip():
            self._line = self.getpos()[0] + data[: len(data) - len(data.lstrip())].count("\n")
        self._text.append(data)

    def _flush(self) -> None:
        text = " ".join("".join(self._text).split())
        self._text = []
        if text:
            kind = self._kind
            if kind == "heading" and text.endswith("?"):
                kind = "question"
            self.blocks.append((TextBlock(kind, self._line, [(self._line, text)]), self._main > 0))

    def close(self) -> None:
        super().close()
        self._flush()


def _html_blocks(text: str) -> Source:
    page = _PageText()
    page.feed(text)
    page.close()
    main = [block for block, in_main in page.blocks if in_main]
    blocks = main or [block for block, _ in page.blocks]
    headings = [b for b in blocks if b.kind == "heading"]
    title = _joined(headings[0]) if headings else " ".join(page.title.split())
    return Source(title, blocks)
