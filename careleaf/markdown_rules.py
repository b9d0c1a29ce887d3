"""Python-Markdown's readings, as markdown-it rules: the parser careleaf's reader uses.

MkDocs renders with Python-Markdown; markdown-it-py gives every block its source lines. Where
the two read Markdown differently, markdown-it's rule is replaced here by one that reads as
Python-Markdown does (see README, "Why the reader is markdown-it-py"), and two rules of
careleaf's own are added: citations `[@id]` and abbreviation definitions `*[X]: ...`.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from functools import lru_cache
from html.parser import HTMLParser
from typing import Any

from markdown.inlinepatterns import AUTOLINK_RE, AUTOMAIL_RE, HTML_RE
from markdown.util import BLOCK_LEVEL_ELEMENTS
from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.deflist import deflist_plugin

_LINE_START = "line_starts"


def _at_line_start(state: StateBlock, line: int) -> bool:
    """Whether a line's text starts at the very start of the file's line (no indent, no
    container): where Python-Markdown's fence and heading readings look."""
    pos = state.bMarks[line] + state.tShift[line]
    return pos == 0 or state.src[pos - 1] == "\n"


def _closing_lines(state: StateBlock, fence: str) -> list[int]:
    """The lines that are this very fence alone, found once per reading (not once per
    opening fence: a page of unclosed fences would take quadratic time)."""
    found: dict[str, list[int]] = state.env.setdefault("fence_lines", {})
    if fence not in found:
        found[fence] = [
            i for i, line in enumerate(state.src.split("\n")) if line.rstrip(" ") == fence
        ]
    return found[fence]


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
    closers = _closing_lines(state, fence)
    at = bisect_right(closers, start)
    if at == len(closers) or closers[at] >= end:
        state.env.setdefault("unclosed_fences", []).append(start)
        return False  # never closed: Python-Markdown shows it as text
    closing = closers[at]
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
    if tag in _VOID:
        # The first line with a `>` ends it (found once per reading, not once per tag).
        ends = state.env.get("gt_lines")
        if ends is None:
            ends = state.env["gt_lines"] = [
                i for i, text in enumerate(state.src.split("\n")) if ">" in text
            ]
        at = bisect_left(ends, start)
        if at == len(ends) or ends[at] >= end:
            return False  # `<hr` never closed by a `>`: Python-Markdown shows it as text
        return _push_html(state, start, ends[at] + 1, silent)
    if tag in _RAW_TEXT:
        # Its text is not HTML: look for the closing tag itself (an HTML parser would read
        # the whole text again at each line).
        closing = f"</{tag}"
        while (
            last < end and closing not in state.src[state.bMarks[last] : state.eMarks[last]].lower()
        ):
            last += 1
        if last == end and not silent:
            state.env.setdefault("unclosed_html", []).append((start, tag))
        return _push_html(state, start, min(last, end - 1) + 1, silent)
    reader = _ElementEnd(tag)
    while last < end:
        reader.feed(state.src[state.bMarks[last] : state.eMarks[last]] + "\n")
        if reader.closed or (reader.markdown and reader.opened):
            break
        last += 1
    if last == end and not silent:
        # Never closed: Python-Markdown keeps everything after it as raw HTML.
        state.env.setdefault("unclosed_html", []).append((start, tag))
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


def _rule(ruler: Any, name: str) -> Any:
    """One of markdown-it's rules (its `fn` and its `alt`), to wrap or to replace."""
    return ruler.__rules__[ruler.__find__(name)]


def _noted(rule: Callable[[StateBlock, int, int, bool], bool]) -> Any:
    """markdown-it's reference rule, noting the line each definition (`[label]: target`)
    starts on, so the reader finds their targets without looking through every line."""

    def run(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        if not rule(state, start, end, silent):
            return False
        if not silent:
            state.env.setdefault("definitions", []).append(start)
        return True

    return run


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
def parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    # Python-Markdown makes a link of any address, `javascript:` too: read them all, so the
    # rules see what the page would hold.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    md.use(admon_plugin).use(deflist_plugin)
    admonition = _rule(md.block.ruler, "admonition").fn
    md.block.ruler.at("admonition", _container("admonition", _only_admonitions(admonition)))
    list_rule = _rule(md.block.ruler, "list")
    md.block.ruler.at("list", _container("list", list_rule.fn), {"alt": list_rule.alt})
    # Each may end a paragraph, as in Python-Markdown: a heading needs no blank line before it.
    md.block.ruler.at("fence", _fence, {"alt": ["paragraph", "reference", "blockquote", "list"]})
    md.block.ruler.at("heading", _heading, {"alt": ["paragraph", "reference", "blockquote"]})
    md.block.ruler.at("html_block", _html_block, {"alt": ["paragraph", "reference", "blockquote"]})
    md.block.ruler.before(
        "reference", "abbreviation", _abbreviation, {"alt": ["paragraph", "reference"]}
    )
    reference = _rule(md.block.ruler, "reference")
    md.block.ruler.at("reference", _noted(reference.fn), {"alt": reference.alt})
    md.inline.ruler.before("link", "citation", _citation)
    md.inline.ruler.at("html_inline", _html_inline)
    md.inline.ruler.at("autolink", _autolink)
    for name in ("link", "image", "autolink", "html_inline"):
        md.inline.ruler.at(name, _positioned(_rule(md.inline.ruler, name).fn))
    return md


ID_ATTRIBUTE = re.compile(r"\bid\s*=", re.IGNORECASE)


@lru_cache(maxsize=1)
def block_parser() -> MarkdownIt:
    """The parser, reading blocks only: the reader parses the inline text it needs itself."""
    md = parser()
    blocks = MarkdownIt("commonmark", {"html": True})
    blocks.block = md.block
    blocks.inline = md.inline
    blocks.validateLink = md.validateLink  # type: ignore[method-assign]
    blocks.core.ruler.disable(["inline", "text_join"])
    return blocks
