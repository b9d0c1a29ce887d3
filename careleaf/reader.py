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
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from typing import Any

import yaml
from markdown.extensions import toc
from markdown.extensions.attr_list import AttrListTreeprocessor, get_attrs_and_remainder
from markdown.inlinepatterns import AUTOLINK_RE, AUTOMAIL_RE, HTML_RE
from markdown.util import BLOCK_LEVEL_ELEMENTS
from markdown_it import MarkdownIt
from markdown_it.helpers import parseLinkDestination
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.deflist import deflist_plugin

# --- the site's heading ids ------------------------------------------------------------------


@dataclass(frozen=True)
class TocStyle:
    """How the site's `toc` extension makes a heading's id: its `slugify` and `separator`."""

    slugify: Callable[..., str] = toc.slugify
    separator: str = "-"

    def slug(self, text: str) -> str:
        return str(self.slugify(text, self.separator))


DEFAULT_TOC = TocStyle()

# --- front matter ----------------------------------------------------------------------------


class _FrontMatterLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe YAML (libyaml's where installed) that keeps dates as text, so a wrong date is
    reported, not mangled."""


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class FrontMatter:
    """The YAML between the two `---` lines: its text, node tree (with lines) and data."""

    text: str
    body_start: int  # the file line the Markdown after it starts on
    node: yaml.Node | None = None
    data: Any = None
    problem: str = ""  # why it is not valid YAML, when it is not
    problem_line: int = 0

    def line_of(self, path: list[Any]) -> int:
        """The file line where the key at `path` (keys and list indexes) is written."""
        if self.node is None:
            return 1
        return _key_node_at(self.node, path).start_mark.line + 2


def split_front_matter(text: str) -> tuple[str, int] | None:
    """The front matter's text and the line the body starts on; None when the file has no
    front matter, ("", 0) when it opens one and never closes it."""
    if not (text.startswith("---") and text[3:].split("\n", 1)[0].strip() == ""):
        return None
    lines = text.split("\n")
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return "\n".join(lines[1:i]), i + 2
    return "", 0


def read_front_matter(text: str) -> FrontMatter | None:
    """The front matter of a page, read once, with the line of every key; None when the page
    has none. A body_start of 0 means it is never closed."""
    split = split_front_matter(text)
    if split is None:
        return None
    source, body_start = split
    if not body_start:
        return FrontMatter("", 0)
    try:
        node, data = _load_yaml(source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or "it cannot be read"
        context = getattr(exc, "context_mark", None)
        if context is not None and context.line + 2 != line:
            problem += f"; what is open there starts on line {context.line + 2}"
        return FrontMatter(source, body_start, problem=problem, problem_line=line)
    return FrontMatter(source, body_start, node, data)


def _load_yaml(text: str) -> tuple[yaml.Node | None, Any]:
    """The YAML's node tree (with lines) and its data, from one parse."""
    loader = _FrontMatterLoader(text)
    try:
        root = loader.get_single_node()
        return root, (loader.construct_document(root) if root is not None else None)
    finally:
        loader.dispose()


def _node_at(root: yaml.Node, path: list[Any]) -> yaml.Node:
    """The deepest YAML node along a path of keys and indexes."""
    node = root
    for step in path:
        if isinstance(node, yaml.MappingNode):
            found = next((v for k, v in node.value if k.value == step), None)
            if found is None:
                return node
            node = found
        elif (
            isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value)
        ):
            node = node.value[step]
        else:
            return node
    return node


def _key_node_at(root: yaml.Node, path: list[Any]) -> yaml.Node:
    """The key node for a mapping entry (its line is where the editor wrote the key)."""
    if not path:
        return root
    parent = _node_at(root, path[:-1])
    if isinstance(parent, yaml.MappingNode):
        for k, _ in parent.value:
            if k.value == path[-1]:
                return k
    return _node_at(root, path)


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
    # Top-level blocks (not comments) with their first and last file line.
    top_blocks: list[tuple[int, int, str]] = field(default_factory=list)

    @property
    def anchors(self) -> set[str]:
        """Every id a link may point at on the rendered page."""
        return {h.id for h in self.headings} | self.ids

    def headings_between(self, first: int, last: int, level: int) -> list[Heading]:
        return [h for h in self.headings if h.level == level and first <= h.line <= last]


# --- Python-Markdown's readings, as markdown-it rules ----------------------------------------

_LINE_START = "line_starts"


def _at_line_start(state: StateBlock, line: int) -> bool:
    """Whether a line's text starts at the very start of the file's line (no indent, no
    container): where Python-Markdown's fence and heading readings look."""
    pos = state.bMarks[line] + state.tShift[line]
    return pos == 0 or state.src[pos - 1] == "\n"


def _fence(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """Fenced code as Python-Markdown's fenced_code reads it."""
    if not _at_line_start(state, start):
        return False
    pos, maximum = state.bMarks[start], state.eMarks[start]
    line = state.src[pos:maximum]
    marker = line[:1]
    if marker not in ("`", "~"):
        return False
    length = len(line) - len(line.lstrip(marker))
    fence, info = line[:length], line[length:]
    if length < 3 or (marker == "`" and "`" in info):
        return False
    closing = start + 1
    while closing < end:
        text = state.src[state.bMarks[closing] : state.eMarks[closing]]
        if text.rstrip(" ") == fence and _at_line_start(state, closing):
            break
        closing += 1
    else:
        state.env.setdefault("unclosed_fences", []).append(start)
        return False  # never closed: Python-Markdown shows it as text
    if silent:
        return True
    token = state.push("fence", "code", 0)
    token.info = info.strip()
    token.content = state.getLines(start + 1, closing, 0, True)
    token.markup = fence
    token.map = [start, closing + 1]
    state.line = closing + 1
    return True


def _heading(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A `#` heading as Python-Markdown reads it: at the start of a line, with or without a
    space after the marks; trailing marks are cut."""
    if state.is_code_block(start):
        return False
    if state.blkIndent == 0 or state.sCount[start] == 0:
        # At the start of a line a heading ends a list or a quote before it.
        if state.sCount[start] != 0:
            return False
    # In a list item, Python-Markdown reads a heading only in a paragraph of its own (after a
    # blank line), indented by four spaces a level, not by the marker's width.
    elif state.sCount[start] % 4 or state.sCount[start] < 4:
        return False
    elif _inside(state) == "list" and not state.isEmpty(start - 1):
        return False
    pos, maximum = state.bMarks[start] + state.tShift[start], state.eMarks[start]
    line = state.src[pos:maximum]
    level = min(len(line) - len(line.lstrip("#")), 6)  # `####### x` is a level 6 `# x`
    if not level:
        return False
    if silent:
        return True
    rest = line[level:]
    text = rest.rstrip(" \t").rstrip("#").strip(" \t")
    open_ = state.push("heading_open", f"h{level}", 1)
    open_.markup = "#" * level
    open_.map = [start, start + 1]
    open_.meta["tight"] = bool(rest) and not rest[0].isspace()
    inline = state.push("inline", "", 0)
    inline.content = text
    inline.map = [start, start + 1]
    inline.children = []
    state.push("heading_close", f"h{level}", -1).markup = "#" * level
    state.line = start + 1
    return True


def _inside(state: StateBlock) -> str:
    """The container being read: "list", "admonition" or "" (the page itself)."""
    containers = state.env.get("containers")
    return str(containers[-1]) if containers else ""


def _container(kind: str, rule: Callable[[StateBlock, int, int, bool], bool]) -> Any:
    """A block rule that notes, while it reads what it holds, which container it is in."""

    def run(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        containers = state.env.setdefault("containers", [])
        containers.append(kind)
        try:
            return rule(state, start, end, silent)
        finally:
            containers.pop()

    return run


_BLOCK_TAGS = frozenset(BLOCK_LEVEL_ELEMENTS)
_RAW_TEXT = frozenset({"script", "style", "pre", "textarea"})
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_TAG_START = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")


class _ElementEnd(HTMLParser):
    """Feeds raw HTML line by line until the element it opens with is closed."""

    def __init__(self, tag: str) -> None:
        super().__init__(convert_charrefs=False)
        self.tag = tag
        self.depth = 0
        self.closed = False
        self.markdown = False  # md_in_html: `<div markdown>` holds Markdown
        self.opened = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == self.tag and not self.closed:
            if not self.opened:
                self.opened = True
                self.markdown = any(name == "markdown" for name, _ in attrs)
            self.depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == self.tag and not self.opened:
            self.opened = self.closed = True

    def handle_endtag(self, tag: str) -> None:
        if tag == self.tag and self.depth:
            self.depth -= 1
            self.closed = self.depth == 0


def _html_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """Raw HTML as Python-Markdown reads it: a comment runs to `-->`; an element with a
    block-level tag runs to its closing tag, blank lines included (its inside is Markdown
    only when it is marked `markdown`)."""
    # Python-Markdown reads raw HTML only at the top level: in a quote, a list item or an
    # admonition it is Markdown.
    if state.is_code_block(start) or not _at_line_start(state, start):
        return False
    pos, maximum = state.bMarks[start] + state.tShift[start], state.eMarks[start]
    line = state.src[pos:maximum]
    if line.startswith("<!--"):
        if state.bMarks[start] > _last_comment_end(state):
            return False  # no `-->` after it: never closed, text (found once, not per line)
        last = start
        while (
            last < end
            and "-->"
            not in state.src[
                (state.bMarks[last] + (4 if last == start else 0)) : state.eMarks[last]
            ]
        ):
            last += 1
        if last == end:
            return False  # never closed: Python-Markdown shows it as text
        closing = state.src[state.bMarks[last] : state.eMarks[last]]
        if (
            last == start
            and closing[closing.find("-->", pos - state.bMarks[start] + 4) + 3 :].strip()
        ):
            return False  # text follows a one-line comment: a paragraph that starts with it
        return _push_html(state, start, last + 1, silent)
    match = _TAG_START.match(line)
    if not match or match.group(2).lower() not in _BLOCK_TAGS:
        return False
    if match.group(1):  # a closing tag on its own line (the end of a `markdown` element)
        return _push_html(state, start, start + 1, silent)
    tag = match.group(2).lower()
    last = start
    while last < end and tag in _VOID:
        if ">" in state.src[state.bMarks[last] : state.eMarks[last]]:
            return _push_html(state, start, last + 1, silent)
        last += 1
    if tag in _RAW_TEXT:
        # Its text is not HTML: look for the closing tag itself (an HTML parser would read
        # the whole text again at each line).
        closing = f"</{tag}"
        while (
            last < end and closing not in state.src[state.bMarks[last] : state.eMarks[last]].lower()
        ):
            last += 1
        return _push_html(state, start, min(last, end - 1) + 1, silent)
    reader = _ElementEnd(tag)
    while last < end:
        reader.feed(state.src[state.bMarks[last] : state.eMarks[last]] + "\n")
        if reader.closed or (reader.markdown and reader.opened):
            break
        last += 1
    if last == start and reader.closed:
        close = line.lower().rfind(f"</{tag}")
        if line[line.find(">", close) + 1 :].strip():
            return (
                False  # text follows the element on its line: Python-Markdown reads it as Markdown
            )
    return _push_html(state, start, min(last, end - 1) + 1, silent)


def _last_comment_end(state: StateBlock) -> int:
    """Where the text's last `-->` is (-1: none), found once per reading."""
    if "last_comment_end" not in state.env:
        state.env["last_comment_end"] = state.src.rfind("-->")
    return int(state.env["last_comment_end"])


def _push_html(state: StateBlock, start: int, stop: int, silent: bool) -> bool:
    if silent:
        return True
    token = state.push("html_block", "", 0)
    token.map = [start, stop]
    token.content = state.getLines(start, stop, state.blkIndent, True)
    state.line = stop
    return True


def _abbreviation(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """`*[HTML]: Hyper Text Markup Language`: Python-Markdown's abbr definitions show nothing."""
    if state.is_code_block(start):
        return False
    pos, maximum = state.bMarks[start] + state.tShift[start], state.eMarks[start]
    line = state.src[pos:maximum]
    close = line.find("]")
    if not line.startswith("*[") or close < 3 or not line[close + 1 :].lstrip(" ").startswith(":"):
        return False
    if not silent:
        state.push("abbreviation", "", 0).map = [start, start + 1]
        state.line = start + 1
    return True


# Python-Markdown's admonition: `!!!` at the start of a line, a type, an optional title.
_ADMONITION = re.compile(r'!!! ?[\w\-]+(?: +[\w\-]+)*(?: +"[^"\n]*")? *$')


def _only_admonitions(rule: Callable[[StateBlock, int, int, bool], bool]) -> Any:
    """markdown-it's admonition rule for what Python-Markdown's admonition reads: `!!!`, not
    `???` (pymdownx.details) nor an indented or misspelt marker, which are text."""

    def run(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        if state.sCount[start] != state.blkIndent:
            return False
        line = state.src[state.bMarks[start] + state.tShift[start] : state.eMarks[start]]
        return bool(_ADMONITION.match(line)) and rule(state, start, end, silent)

    return run


CITATION = re.compile(r"\[(@[A-Za-z0-9_-]+(?:[ \t]*[;,][ \t]*@[A-Za-z0-9_-]+)*)\]")
_CITED_ID = re.compile(r"@([A-Za-z0-9_-]+)")


def _citation(state: StateInline, silent: bool) -> bool:
    """`[@id]` and `[@a; @b]`, read before links; a `[@` that is not one is noted."""
    if state.src[state.pos] != "[":
        return False
    after = state.src[state.pos + 1 : state.pos + 3].lstrip(" \t")
    if not after.startswith("@"):
        return False
    match = CITATION.match(state.src, state.pos)
    if match is None:
        if not silent:
            # Keyed by the text being read: the inline token's content.
            state.env.setdefault("malformed", []).append((id(state.src), state.pos))
        return False
    if not silent:
        token = state.push("citation", "", 0)
        token.content = match.group(0)
        token.meta = {"ids": tuple(_CITED_ID.findall(match.group(1))), "pos": state.pos}
    state.pos = match.end()
    return True


# Python-Markdown's own pattern for inline HTML (possessive, so it does not backtrack).
_INLINE_HTML = re.compile(HTML_RE, re.DOTALL | re.UNICODE)


def _html_inline(state: StateInline, silent: bool) -> bool:
    """Raw HTML in a paragraph, as Python-Markdown reads it."""
    if state.src[state.pos] != "<":
        return False
    match = _INLINE_HTML.match(state.src, state.pos)
    if match is None:
        return False
    if not silent:
        state.push("html_inline", "", 0).content = match.group(0)
    state.pos = match.end()
    return True


_AUTOLINK = re.compile(AUTOLINK_RE)
_AUTOMAIL = re.compile(AUTOMAIL_RE)


def _autolink(state: StateInline, silent: bool) -> bool:
    """`<https://...>` and `<name@host>`, as Python-Markdown reads them: `<tel:...>` is a tag."""
    if state.src[state.pos] != "<":
        return False
    match = _AUTOLINK.match(state.src, state.pos) or _AUTOMAIL.match(state.src, state.pos)
    if match is None:
        return False
    if not silent:
        address = match.group(1)
        href = (
            address
            if match.re is _AUTOLINK or address.startswith("mailto:")
            else f"mailto:{address}"
        )
        token = state.push("link_open", "a", 1)
        token.attrs = {"href": href}
        token.markup = "autolink"
        token.info = "auto"
        state.push("text", "", 0).content = address
        state.push("link_close", "a", -1).markup = "autolink"
    state.pos = match.end()
    return True


def _positioned(rule: Callable[[StateInline, bool], bool]) -> Callable[[StateInline, bool], bool]:
    """An inline rule whose first token remembers where in the text it starts."""

    def run(state: StateInline, silent: bool) -> bool:
        if state.pending and not silent:
            state.pushPending()  # so the rule's first token is the first pushed
        begin, count = state.pos, len(state.tokens)
        if not rule(state, silent):
            return False
        if not silent and len(state.tokens) > count:
            token = state.tokens[count]
            token.meta = {**(token.meta or {}), "pos": begin, "end": state.pos}
        return True

    return run


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    # Python-Markdown makes a link of any address, `javascript:` too: read them all, so the
    # rules see what the page would hold.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    md.use(admon_plugin).use(deflist_plugin)
    admonition = md.block.ruler.__rules__[md.block.ruler.__find__("admonition")].fn
    md.block.ruler.at("admonition", _container("admonition", _only_admonitions(admonition)))
    list_rule = md.block.ruler.__rules__[md.block.ruler.__find__("list")]
    md.block.ruler.at("list", _container("list", list_rule.fn), {"alt": list_rule.alt})
    # Each may end a paragraph, as in Python-Markdown: a heading needs no blank line before it.
    md.block.ruler.at("fence", _fence, {"alt": ["paragraph", "reference", "blockquote", "list"]})
    md.block.ruler.at("heading", _heading, {"alt": ["paragraph", "reference", "blockquote"]})
    md.block.ruler.at("html_block", _html_block, {"alt": ["paragraph", "reference", "blockquote"]})
    md.block.ruler.before(
        "reference", "abbreviation", _abbreviation, {"alt": ["paragraph", "reference"]}
    )
    md.inline.ruler.before("link", "citation", _citation)
    md.inline.ruler.at("html_inline", _html_inline)
    md.inline.ruler.at("autolink", _autolink)
    for name in ("link", "image", "autolink", "html_inline"):
        rule = md.inline.ruler.__rules__[md.inline.ruler.__find__(name)].fn
        md.inline.ruler.at(name, _positioned(rule))
    return md


_ID_ATTRIBUTE = re.compile(r"\bid\s*=", re.IGNORECASE)


@lru_cache(maxsize=1)
def _block_parser() -> MarkdownIt:
    """The parser, reading blocks only: the reader parses the inline text it needs itself."""
    md = _parser()
    blocks = MarkdownIt("commonmark", {"html": True})
    blocks.block = md.block
    blocks.inline = md.inline
    blocks.validateLink = md.validateLink  # type: ignore[method-assign]
    blocks.core.ruler.disable(["inline", "text_join"])
    return blocks


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


_HEADER_ATTRS = AttrListTreeprocessor.HEADER_RE
_USABLE_ID = re.compile(r"[A-Za-z0-9_:.-]+")


def _heading_attrs(content: str) -> tuple[str, str | None, str | None, bool]:
    """A heading's text without its attribute list, the list, the id it gives, and whether
    Python-Markdown can use every word of it."""
    match = _HEADER_ATTRS.search(content)
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
        found = self.lines[line_index].find(text)
        lead = len(content_line) - len(content_line.lstrip())
        return max(found - lead, 0)

    def read(self) -> Reading:
        env: dict[str, Any] = {}
        md = _block_parser() if self.anchors_only else _parser()
        tokens = md.parse(self.text, env)
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
                    if kind != "heading" and not attr_list and not _ID_ATTRIBUTE.search(content):
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
            k = max(0, _bisect(starts, pos))
            return self.file_line(first + k), bases[k] + (pos - starts[k]) + 1

        for owner, pos in env.get("malformed", []):
            if owner == id(token.content):
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
                file_line, column = where(meta["pos"])
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
        file_line, column = where(t_begin)
        target = inline.content[t_begin:t_end]
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
            h if h.explicit_id else _with_id(h, toc.unique(self.toc.slug(h.text), used, counters))
            for h in found
        ]

    def _definitions(self, env: dict[str, Any]) -> None:
        """Reference definitions (`[label]: target`): their targets, where written."""
        for line_index, raw in enumerate(self.lines):
            stripped = raw.lstrip(" ")
            if not stripped.startswith("[") or len(raw) - len(stripped) > 3:
                continue
            label_end = stripped.find("]:")
            if label_end < 2 or self.file_line(line_index) in self.reading.code_lines:
                continue
            label = stripped[1:label_end]
            if label.startswith(("^", "@")) or _normal_label(label) not in env.get(
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


def _normal_label(label: str) -> str:
    return " ".join(label.split()).casefold().upper()


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


def _with_id(heading: Heading, new_id: str) -> Heading:
    return Heading(
        heading.level,
        heading.text,
        new_id,
        heading.line,
        heading.explicit_id,
        heading.attrs,
        heading.usable_attrs,
        heading.tight,
        heading.setext,
    )


def _bisect(starts: list[int], pos: int) -> int:
    lo, hi = 0, len(starts)
    while lo < hi:
        mid = (lo + hi) // 2
        if starts[mid] <= pos:
            lo = mid + 1
        else:
            hi = mid
    return lo - 1


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


def iter_lines(reading: Reading) -> Iterator[tuple[int, str]]:
    """The file lines of a reading that are not code, with their numbers."""
    for index, line in enumerate(reading.lines):
        number = reading.first_line + index
        if number not in reading.code_lines:
            yield number, line


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
