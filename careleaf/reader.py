"""One reading of a page: its front matter with YAML lines, its Markdown with source lines.

Every module that needs to know what a page holds (sections, questions, ids, links,
citations, the prose a patient reads) asks this reader, so they all agree with each other and
with what MkDocs renders.

markdown-it-py parses the structure: it gives every block its source lines, which
Python-Markdown (the renderer MkDocs uses) does not. Where the two disagree, three of
markdown-it's block rules are replaced by Python-Markdown's readings: a code fence opens only
at the start of a line and closes only on the very same fence (an unclosed fence is text); a
`#` heading starts at the start of a line and needs no space; raw HTML that starts with a
block-level tag runs to its closing tag, blank lines included, unless it is marked `markdown`
(md_in_html). Heading ids are made by the site's own toc `slugify` and `unique`, from the
heading's text as rendered, after the ids that attribute lists give; attribute lists are read
by Python-Markdown's own `attr_list` scanner. HTML comments, code and raw HTML are never read
as headings, citations or Markdown links; links and ids in raw HTML are read by an HTML
parser.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from typing import Any

from markdown.extensions import toc
from markdown.extensions.attr_list import AttrListTreeprocessor, get_attrs_and_remainder
from markdown_it.common.utils import normalizeReference
from markdown_it.helpers import parseLinkDestination
from markdown_it.token import Token

from careleaf.front_matter import FrontMatter, read_front_matter, split_front_matter
from careleaf.markdown_rules import CITATION, ID_ATTRIBUTE, block_parser, parser

# --- the site's heading ids ------------------------------------------------------------------


@dataclass(frozen=True)
class TocStyle:
    """How the site's `toc` extension makes a heading's id: its `slugify` and `separator`."""

    slugify: Callable[..., str] = toc.slugify
    separator: str = "-"

    def slug(self, text: str) -> str:
        return str(self.slugify(text, self.separator))


DEFAULT_TOC = TocStyle()


# --- what a reading holds --------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    """A heading as the site renders it, with the id its toc gives it."""

    level: int
    text: str  # as a reader sees it, without its attribute list
    id: str
    line: int
    explicit_id: bool = False
    attrs: str | None = None  # the attribute list as written, `{#id .class}` without braces
    usable_attrs: bool = True  # False when the list has words Python-Markdown cannot use
    tight: bool = False  # `##Heading`: Python-Markdown makes a heading, most editors do not
    setext: bool = False  # underlined with `===` or `---`


@dataclass(frozen=True)
class Link:
    """A link's or image's target as written, where it is written."""

    target: str
    line: int
    column: int
    kind: str  # "link", "image", "autolink", "definition" or "html"
    offset: int = -1  # where the target starts in the text read (-1: not rewritable)


@dataclass(frozen=True)
class CitationMark:
    """`[@id]` or `[@a; @b]` in the prose, where it is written."""

    ids: tuple[str, ...]
    line: int
    column: int
    offset: int  # where `[` is in the text read
    length: int


@dataclass
class TextBlock:
    """A paragraph, list item, heading, table cell or term: what it shows, line by line.

    Citations are kept in the text as `[@id]`, so sentences know what they cite."""

    kind: str
    line: int
    parts: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class Reading:
    """What a piece of Markdown holds, every item with its line in the file."""

    lines: list[str]
    first_line: int
    headings: list[Heading] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    citations: list[CitationMark] = field(default_factory=list)
    malformed_citations: list[tuple[int, int]] = field(default_factory=list)
    blocks: list[TextBlock] = field(default_factory=list)
    html: list[tuple[int, str]] = field(default_factory=list)  # raw HTML, block and inline
    ids: set[str] = field(default_factory=set)  # ids given in raw HTML and attribute lists
    code_lines: set[int] = field(default_factory=set)  # file lines inside code
    unclosed_fences: list[int] = field(default_factory=list)
    # Raw HTML elements never closed (the line, the tag): the rest of the page is raw HTML.
    unclosed_html: list[tuple[int, str]] = field(default_factory=list)
    # Top-level blocks (not comments) with their first and last file line.
    top_blocks: list[tuple[int, int, str]] = field(default_factory=list)

    @property
    def anchors(self) -> set[str]:
        """Every id a link may point at on the rendered page."""
        return {h.id for h in self.headings} | self.ids

    def headings_between(self, first: int, last: int, level: int) -> list[Heading]:
        return [h for h in self.headings if h.level == level and first <= h.line <= last]


# --- reading ---------------------------------------------------------------------------------


class _HtmlItems(HTMLParser):
    """The ids and link targets of raw HTML, with their lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.targets: list[tuple[str, int, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, column = self.getpos()
        for name, value in attrs:
            if value is None:
                continue
            if name == "id":
                self.ids.append(value)
            elif name in ("href", "src"):
                self.targets.append((value, line, column))

    handle_startendtag = handle_starttag


# Python-Markdown's own pattern, searched from the start of a run of spaces only: a match
# starts there anyway, and trying it from inside a long run of spaces again and again made
# the search quadratic (a heading followed by 100,000 spaces took minutes).
_HEADER_ATTRS = re.compile(r"(?<![ ])" + AttrListTreeprocessor.HEADER_RE.pattern)
_USABLE_ID = re.compile(r"[A-Za-z0-9_:.-]+")


def _heading_attrs(content: str) -> tuple[str, str | None, str | None, bool]:
    """A heading's text without its attribute list, the list, the id it gives, and whether
    Python-Markdown can use every word of it."""
    # Only a heading that ends in `}` (and spaces) can have one: that is checked first, so
    # the pattern's `[^\n]*` scans to the end at most once.
    match = _HEADER_ATTRS.search(content) if content.rstrip(" ").endswith("}") else None
    if match is None:
        return content, None, None, True
    attrs, _ = get_attrs_and_remainder(match.group(1))
    ids = [value for name, value in attrs if name == "id"]
    usable = all(value is not None for _, value in attrs) and len(ids) <= 1
    usable = usable and all(_USABLE_ID.fullmatch(i or "") for i in ids)
    explicit = ids[-1] if ids and ids[-1] else None
    return content[: match.start()], match.group(1).strip(), explicit, usable


class _Reader:
    """One pass over markdown-it's tokens, turning them into a Reading."""

    def __init__(
        self, text: str, first_line: int, toc_style: TocStyle, anchors_only: bool = False
    ) -> None:
        self.anchors_only = anchors_only
        self.text = text
        self.lines = text.split("\n")
        self.first = first_line
        self.toc = toc_style
        self.reading = Reading(self.lines, first_line)
        self.attr_ids: set[str] = set()
        self.malformed: dict[int, list[int]] = {}  # `[@` that is no citation, by inline text
        self.cursor: dict[int, int] = {}  # by line: where the text read so far ends on it
        # Where each line starts in the text, to turn a line and column into an offset.
        self.line_starts = [0]
        for line in self.lines:
            self.line_starts.append(self.line_starts[-1] + len(line) + 1)

    def file_line(self, index: int) -> int:
        return self.first + index

    def column_base(self, line_index: int, content_line: str) -> int:
        """Where a line of an inline's text starts in the file's line (0-based)."""
        if not 0 <= line_index < len(self.lines):
            return 0
        text = content_line.strip()
        if not text:
            return 0
        line, after = self.lines[line_index], self.cursor.get(line_index, 0)
        # After what was read on this line before (table cells share a line), as written
        # (markdown-it drops the backslash of a `\|` in a cell).
        found = line.find(text, after)
        if found == -1:
            found = line.find(text.replace("|", "\\|"), after)
        if found == -1:
            found = line.find(text)
        self.cursor[line_index] = max(after, found + len(text))
        lead = len(content_line) - len(content_line.lstrip())
        return max(found - lead, 0)

    def read(self) -> Reading:
        env: dict[str, Any] = {}
        md = block_parser() if self.anchors_only else parser()
        tokens = md.parse(self.text, env)
        for owner, pos in env.get("malformed", []):
            self.malformed.setdefault(owner, []).append(pos)
        heading_texts: list[str] = []  # each heading's text as toc reads it, in order
        kinds: list[str] = []  # the block each inline belongs to
        for token in tokens:
            if token.level == 0 and token.map and token.nesting != -1:
                self._top_block(token)
            if token.type in ("fence", "code_block") and token.map:
                self.reading.code_lines.update(
                    self.file_line(i) for i in range(token.map[0], token.map[1])
                )
            elif token.type == "html_block" and token.map:
                self._html(token.content, token.map[0])
            elif token.type in ("list_item_open", "dt_open", "td_open", "th_open"):
                kinds.append({"list_item_open": "item", "dt_open": "term"}.get(token.type, "cell"))
            elif token.type in ("list_item_close", "dt_close", "td_close", "th_close"):
                kinds.pop()
            elif token.type in ("heading_open", "admonition_title_open"):
                kinds.append("heading" if token.type == "heading_open" else "title")
            elif token.type in ("heading_close", "admonition_title_close"):
                kinds.pop()
            elif token.type == "inline" and token.map:
                kind = kinds[-1] if kinds else "paragraph"
                if self.anchors_only:
                    # Only what can give an id: a heading, an attribute list, inline HTML.
                    content = token.content
                    attr_list = "{" in content and "#" in content
                    if kind != "heading" and not attr_list and not ID_ATTRIBUTE.search(content):
                        continue
                    token.children = []
                    md.inline.parse(token.content, md, env, token.children)
                heading = self._inline(token, kind, env)
                if heading is not None:
                    heading_texts.append(heading)
        self._heading_ids(tokens, heading_texts)
        self.reading.unclosed_fences = sorted(
            {self.file_line(i) for i in env.get("unclosed_fences", [])}
        )
        self.reading.unclosed_html = sorted(
            {(self.file_line(i), tag) for i, tag in env.get("unclosed_html", [])}
        )
        if not self.anchors_only:
            self._definitions(env)
        return self.reading

    def _top_block(self, token: Token) -> None:
        assert token.map is not None
        if token.type == "html_block" and token.content.lstrip().startswith("<!--"):
            return
        self.reading.top_blocks.append(
            (self.file_line(token.map[0]), self.file_line(token.map[1] - 1), token.type)
        )

    def _html(self, content: str, line_index: int, column: int = 0) -> None:
        self.reading.html.append((self.file_line(line_index), content))
        if content.lstrip().startswith("<!--"):
            return
        items = _HtmlItems()
        try:
            items.feed(content)
            items.close()
        except (AssertionError, ValueError):  # html.parser gives up on some broken markup
            pass
        self.reading.ids.update(items.ids)
        for target, line, col in items.targets:
            self.reading.links.append(
                Link(
                    target,
                    self.file_line(line_index + line - 1),
                    (column if line == 1 else 0) + col + 1,
                    "html",
                )
            )

    def _inline(self, token: Token, kind: str, env: dict[str, Any]) -> str | None:
        """Read one inline token; a heading's text as the site's toc reads it."""
        assert token.map is not None
        first = token.map[0]
        content_lines = token.content.split("\n")
        starts = [0]
        for piece in content_lines[:-1]:
            starts.append(starts[-1] + len(piece) + 1)
        bases = [self.column_base(first + k, piece) for k, piece in enumerate(content_lines)]

        def where(pos: int) -> tuple[int, int]:
            k = max(0, bisect_right(starts, pos) - 1)
            return self.file_line(first + k), bases[k] + (pos - starts[k]) + 1

        for pos in self.malformed.get(id(token.content), ()):
            self.reading.malformed_citations.append(where(pos))
        block = TextBlock(kind, self.file_line(first))
        text: list[str] = []
        line = first
        plain: list[str] = []  # the heading's text as toc reads it
        previous = ""
        for child in token.children or []:
            meta = child.meta or {}
            before, previous = previous, child.type
            if child.type in ("softbreak", "hardbreak"):
                self._part(block, line, text)
                text = []
                line += 1
                plain.append(" " if child.type == "softbreak" else "")
            elif child.type in ("text", "text_special"):
                shown = child.content
                if before in _ATTRIBUTED:
                    shown = _after_attr_list(child.content)
                    self._attr_ids(child.content[: len(child.content) - len(shown)])
                text.append(shown)
                plain.append(shown)
            elif child.type == "code_inline":
                plain.append(child.content)
            elif child.type == "citation":
                text.append(child.content)
                plain.append(child.content)
                file_line, column = self._exactly(where(meta["pos"]), child.content)
                self.reading.citations.append(
                    CitationMark(
                        meta["ids"],
                        file_line,
                        column,
                        self._offset(file_line, column),
                        len(child.content),
                    )
                )
            elif child.type == "html_inline":
                file_line, column = where(meta.get("pos", 0))
                self._html(child.content, file_line - self.first, column - 1)
            elif child.type in ("link_open", "image"):
                self._link(child, token, where)
        self._part(block, line, text)
        if kind == "heading" and block.parts:
            number, shown = block.parts[-1]
            block.parts[-1] = (number, _heading_attrs(shown)[0])
        for _, part in block.parts:
            if _only_attr_list(part):
                self._attr_ids(part)
        block.parts = [(n, t) for n, t in block.parts if not _only_attr_list(t)]
        if block.parts:
            self.reading.blocks.append(block)
        return "".join(plain) if kind == "heading" else None

    def _attr_ids(self, attr_list: str) -> None:
        """The ids an attribute list (`{: #id .class }`) gives a paragraph or a link."""
        inner = attr_list.strip()[1:-1]
        attrs, _ = get_attrs_and_remainder(inner)
        for name, value in attrs:
            if name == "id" and value:
                self.attr_ids.add(value)
                self.reading.ids.add(value)

    def _exactly(self, place: tuple[int, int], raw: str) -> tuple[int, int]:
        r"""Where `raw` is written, at or near `place` (a line and column counted in the text
        markdown-it read, which a `\|` in a table cell shortens)."""
        file_line, column = place
        line = (
            self.lines[file_line - self.first]
            if 0 <= file_line - self.first < len(self.lines)
            else ""
        )
        if line[column - 1 : column - 1 + len(raw)] == raw:
            return place
        found = line.find(raw, max(column - 1, 0))
        return (file_line, found + 1) if found != -1 else place

    def _offset(self, file_line: int, column: int) -> int:
        """Where a file line and column are in the text read."""
        return self.line_starts[file_line - self.first] + column - 1

    def _link(self, child: Token, inline: Token, where: Callable[[int], tuple[int, int]]) -> None:
        meta = child.meta or {}
        if "pos" not in meta:
            return
        begin, end = meta["pos"], meta["end"]
        raw = inline.content[begin:end]
        kind = {"image": "image"}.get(child.type, "autolink" if raw.startswith("<") else "link")
        target_pos = _destination(inline.content, begin, end, kind)
        if target_pos is None:  # a reference link: its target is read with its definition
            return
        t_begin, t_end = target_pos
        target = inline.content[t_begin:t_end]
        file_line, column = self._exactly(where(t_begin), target)
        if kind == "autolink" and ":" not in target:
            target = "mailto:" + target  # `<a@b.example>` is an e-mail address
        self.reading.links.append(
            Link(
                target,
                file_line,
                column,
                kind,
                self._offset(file_line, column),
            )
        )

    def _part(self, block: TextBlock, line: int, text: list[str]) -> None:
        joined = "".join(text)
        if joined.strip():
            block.parts.append((self.file_line(line), joined))

    def _heading_ids(self, tokens: list[Token], texts: list[str]) -> None:
        """Every heading with the id the site's toc gives it, in the order toc gives them:
        the ids of attribute lists first, then the others by their text, made unique."""
        found: list[Heading] = []
        for i, token in enumerate(tokens):
            if token.type != "heading_open" or token.map is None:
                continue
            inline = tokens[i + 1]
            text, attrs, explicit, usable = _heading_attrs(inline.content)
            shown = texts[len(found)] if len(found) < len(texts) else text
            if attrs is not None:
                shown = _heading_attrs(shown)[0]
            found.append(
                Heading(
                    level=int(token.tag[1]),
                    text=" ".join(shown.split()),
                    id=explicit or "",
                    line=self.file_line(token.map[0]),
                    explicit_id=explicit is not None,
                    attrs=attrs,
                    usable_attrs=usable,
                    tight=bool((token.meta or {}).get("tight")),
                    setext=token.markup[:1] in ("=", "-"),
                )
            )
        # toc makes ids unique among the ids of the page's Markdown, not those of raw HTML.
        used = {h.id for h in found if h.explicit_id} | self.attr_ids
        counters: dict[str, int] = {}
        self.reading.headings = [
            h if h.explicit_id else replace(h, id=toc.unique(self.toc.slug(h.text), used, counters))
            for h in found
        ]

    def _definitions(self, env: dict[str, Any]) -> None:
        """Reference definitions (`[label]: target`) the parser met: their targets, where
        written (on the label's line)."""
        for line_index in env.get("definitions", []):
            raw = self.lines[line_index]
            stripped = raw.lstrip(" ")
            label_end = stripped.find("]:")
            if not stripped.startswith("[") or label_end < 2:
                continue
            label = stripped[1:label_end]
            if label.startswith(("^", "@")) or normalizeReference(label) not in env.get(
                "references", {}
            ):
                continue
            after = len(raw) - len(stripped) + label_end + 2
            begin = after + len(raw[after:]) - len(raw[after:].lstrip(" \t"))
            result = parseLinkDestination(raw, begin, len(raw))
            if not result.ok:
                continue
            target = raw[begin : result.pos].strip("<>")
            column = begin + (1 if raw[begin : begin + 1] == "<" else 0) + 1
            file_line = self.file_line(line_index)
            self.reading.links.append(
                Link(target, file_line, column, "definition", self._offset(file_line, column))
            )


_ATTRIBUTED = frozenset({"link_close", "image", "code_inline", "strong_close", "em_close"})


def _after_attr_list(text: str) -> str:
    """Text after an element, without the `{...}` attribute list attr_list reads there."""
    if text.startswith("{") and (end := text.find("}")) != -1 and "\n" not in text[:end]:
        return text[end + 1 :]
    return text


def _only_attr_list(text: str) -> bool:
    """Whether a line is only an attribute list (`{: .lead }`), which Python-Markdown hides."""
    text = text.strip()
    return text.startswith("{") and text.endswith("}") and text.count("}") == 1


def _destination(content: str, begin: int, end: int, kind: str) -> tuple[int, int] | None:
    """Where an inline link's target is written, or None for a reference link."""
    if kind == "autolink":
        return begin + 1, end - 1
    label_start = begin + (2 if kind == "image" else 1)
    close = _label_end(content, label_start - 1, end)
    if close is None or close + 1 >= end or content[close + 1] != "(":
        return None
    pos = close + 2
    while pos < end and content[pos] in " \t\n":
        pos += 1
    result = parseLinkDestination(content, pos, end)
    if not result.ok:
        return None
    if content[pos : pos + 1] == "<":
        return pos + 1, result.pos - 1
    return pos, result.pos


def _label_end(content: str, open_bracket: int, end: int) -> int | None:
    """The `]` that closes a link's text (brackets nest; `\\]` and code do not count)."""
    depth, pos = 0, open_bracket
    while pos < end:
        ch = content[pos]
        if ch == "\\":
            pos += 2
            continue
        if ch == "`":
            run = len(content[pos:end]) - len(content[pos:end].lstrip("`"))
            close = content.find("`" * run, pos + run, end)
            pos = (close + run) if close != -1 else pos + run
            continue
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth == 0:
                return pos
        pos += 1
    return None


def read_markdown(
    text: str, toc_style: TocStyle = DEFAULT_TOC, first_line: int = 1, ids_only: bool = False
) -> Reading:
    """Read some Markdown whose first line is file line `first_line`.

    With `ids_only`, only what gives an id is read (headings, attribute lists, HTML), about
    twice as fast: the reading's headings, ids and anchors are whole, the rest is not."""
    return _Reader(text, first_line, toc_style, anchors_only=ids_only).read()


__all__ = [
    "CITATION",
    "DEFAULT_TOC",
    "CitationMark",
    "FrontMatter",
    "Heading",
    "Link",
    "Reading",
    "TextBlock",
    "TocStyle",
    "read_front_matter",
    "read_markdown",
    "split_front_matter",
]
