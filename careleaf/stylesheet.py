"""Trim a theme's stylesheet to the rules a built site can use.

Material's main stylesheet styles every feature and Markdown extension it supports; a site uses
a fraction of them. Given what can occur in the site (the class names, ids, element names and
attribute names and values of every built page, of the search index, and every word of the
site's scripts, since scripts add classes at run time), `trim` keeps every rule with at least
one selector that can match, and drops the others. It errs on the side of keeping:

- a selector is dropped only when a class, id, element or attribute it needs (outside `:not()`)
  occurs nowhere; an attribute's value is checked only for `[name=word]`;
- `:is()`, `:where()`, `:has()` and `:-webkit-any()` need one of their selectors to be possible;
  every other pseudo-class and pseudo-element is taken as possible, and so is anything in a
  selector this module does not follow;
- a rule is kept or dropped whole: its selector list is never rewritten (a browser drops a whole
  list for one selector it does not know, and rewriting could turn on a rule it ignored);
- `@media`, `@supports`, `@layer`, `@container`, `@document` and `@scope` keep their surviving
  rules and are dropped when none survive; every other at-rule (`@font-face`, `@keyframes`,
  `@property`, `@page`, `@charset`, `@import`, ...) is kept as it is;
- rules without a class, id, element or attribute (`:root`, `*`, `::selection`) are kept, and
  `html` and `body` are in every page.

The CSS is read by `tinycss2`, as CSS Syntax Level 3 reads it. Comments between rules
(including a `sourceMappingURL`) are dropped; kept rules are copied as they are written (line
endings read as CSS reads them). A stylesheet left open at its end (a block, string, comment or
`url(`), or with a rule that has no block, raises `CSSError`, and nothing is trimmed.

The pages are read by the standard library's HTML parser, each once; a tag already met in the
same state is not read again, so the chrome every page repeats costs once per site.

This module knows nothing of MkDocs: the plugin calls `trim_site_stylesheet` after a build.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import tinycss2

# At-rules whose block holds rules, trimmed like the top level.
GROUPING_AT_RULES = frozenset({"media", "supports", "layer", "container", "document", "scope"})
# Pseudo-classes that match when one of the selectors they take can.
ANY_OF = frozenset({"is", "where", "matches", "has", "-webkit-any", "-moz-any"})

# Material's main stylesheet, as its theme names it in a built site.
THEME_STYLESHEETS = "assets/stylesheets/main.*.min.css"

_WORD = re.compile(r"[A-Za-z_][\w-]*")
# The start of a name a script completes: `md-tag--${x}` or "md-color-"+x.
_PREFIX = re.compile(r"([A-Za-z_][\w-]*[-_])(?:\$\{|[\"'`]\s*\+)")
_SIMPLE_VALUE = re.compile(r"[\w-]+")


class CSSError(ValueError):
    """The stylesheet does not parse: an unclosed block, string or comment."""


# --- what can occur in the site ---------------------------------------------------------------


@dataclass
class Vocabulary:
    """Every class, id, element, attribute name and attribute value that can occur in a site."""

    classes: set[str] = field(default_factory=set)
    ids: set[str] = field(default_factory=set)
    elements: set[str] = field(default_factory=lambda: {"html", "body"})
    attributes: set[str] = field(default_factory=set)
    values: set[str] = field(default_factory=set)
    # Beginnings of names a script completes at run time: any name starting so can occur.
    prefixes: set[str] = field(default_factory=set)
    _reader: _HTMLVocabulary | None = field(default=None, repr=False, compare=False)
    _scripts: set[str] = field(default_factory=set, repr=False, compare=False)

    def add_html(self, html: str) -> None:
        """The tags and attributes of a page; the words of its inline scripts."""
        if self._reader is None:
            self._reader = _HTMLVocabulary(self)
        self._reader.read(html)

    def add_script(self, text: str) -> None:
        """Every word of a script: it may be a class, id, element, attribute or value."""
        if text in self._scripts:
            return  # the same inline script is on every page
        self._scripts.add(text)
        words = set(_WORD.findall(text))
        self.classes |= words
        self.ids |= words
        lowered = {w.lower() for w in words}
        self.elements |= lowered
        self.attributes |= lowered
        self.values |= words
        self.prefixes |= set(_PREFIX.findall(text))

    def add_search_index(self, text: str) -> None:
        """The HTML of the search index's documents, which search shows in its results."""

        def document(entry: dict[str, Any]) -> dict[str, Any] | None:
            # Each document is read as soon as it is decoded and not kept: a large site's
            # index, decoded whole, would weigh several times its file.
            html = [entry.get(key) for key in ("title", "text")]
            if not any(isinstance(h, str) for h in html):
                return entry
            for h in html:
                # Text without a tag holds no class, id, element or attribute.
                if isinstance(h, str) and "<" in h:
                    self.add_html(h)
            return None

        try:
            json.loads(text, object_hook=document)
        except ValueError:
            return

    def has_class(self, name: str) -> bool:
        return name in self.classes or name.startswith(tuple(self.prefixes))

    def has_id(self, name: str) -> bool:
        return name in self.ids or name.startswith(tuple(self.prefixes))

    def has_element(self, name: str) -> bool:
        return name == "*" or name.lower() in self.elements

    def has_attribute(self, name: str) -> bool:
        name = name.lower()
        return name in self.attributes or name.startswith(tuple(self.prefixes))

    def has_value(self, value: str, ignore_case: bool) -> bool:
        if not _SIMPLE_VALUE.fullmatch(value):
            return True  # only single words are looked up; anything else may be built
        if ignore_case:
            return value.lower() in {v.lower() for v in self.values}
        return value in self.values


class _HTMLVocabulary(HTMLParser):
    """Reads pages into a vocabulary, one parser for all of them.

    A page is fed in pieces cut before each '<' and after the '>' that follows it: `feed`
    takes text cut anywhere, keeping what is incomplete until more comes, so the cuts do not
    change what it reads. When the parser is between tags (nothing pending, not inside a
    script or style), a piece it has read from there before adds nothing and leaves it there
    again, so it is passed over; so is text between tags, which holds no class or id.
    """

    def __init__(self, vocabulary: Vocabulary) -> None:
        super().__init__(convert_charrefs=True)
        self.v = vocabulary
        self._script = False
        # Tags (with the text up to the next tag) read from between tags, that end there.
        self._seen: set[str] = set()

    def read(self, html: str) -> None:
        """Read one whole document (or fragment) into the vocabulary."""
        seen = self._seen
        parts = html.split("<")
        for part in parts[1:]:  # parts[0], the text before the first tag, holds no name
            # Inside a tag not yet ended, a script or a style: read on.
            if self.rawdata or self.cdata_elem is not None or self._script:
                self.feed("<" + part)
                continue
            end = part.find(">") + 1
            if not end:  # a tag cut short, or a lone '<' in text
                self.feed("<" + part)
                continue
            tag = part[:end]
            if tag in seen:
                continue  # the text after it adds nothing either
            self.feed("<" + tag)
            if self.rawdata or self.cdata_elem is not None or self._script:
                self.feed(part[end:])
            else:
                seen.add(tag)
        self.close()
        self.reset()
        self._script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        v = self.v
        v.elements.add(tag.lower())
        for name, value in attrs:
            v.attributes.add(name.lower())
            if value is None:
                continue
            v.values.add(value)
            v.values.update(value.split())
            if name == "class":
                v.classes.update(value.split())
            elif name == "id":
                v.ids.add(value)
        self._script = tag == "script"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._script = False

    def handle_endtag(self, tag: str) -> None:
        self._script = False

    def handle_data(self, data: str) -> None:
        if self._script:
            self.v.add_script(data)


def site_vocabulary(site_dir: Path) -> Vocabulary:
    """What can occur in a built site: its pages, its scripts and its search index."""
    vocabulary = Vocabulary()
    for path in sorted(site_dir.rglob("*.html")):
        vocabulary.add_html(path.read_text(encoding="utf-8", errors="replace"))
    for path in sorted(site_dir.rglob("*.js")):
        vocabulary.add_script(path.read_text(encoding="utf-8", errors="replace"))
    index = site_dir / "search" / "search_index.json"
    if index.is_file():
        vocabulary.add_search_index(index.read_text(encoding="utf-8", errors="replace"))
    return vocabulary


# --- reading CSS ------------------------------------------------------------------------------

_CLOSER = {"qualified-rule": "}", "at-rule": "}", "{} block": "}", "() block": ")"}
_CLOSER |= {"function": ")", "[] block": "]"}


class _Source:
    """A stylesheet as tinycss2 reads it, and where each of its nodes starts."""

    def __init__(self, css: str) -> None:
        # The same preprocessing as tinycss2's, so that its lines and columns index this text.
        self.css = (
            css.replace("\0", "\ufffd")
            .replace("\r\n", "\n")
            .replace("\r", "\n")
            .replace("\f", "\n")
        )
        self.lines = [0, *(i + 1 for i, ch in enumerate(self.css) if ch == "\n")]

    def start(self, node: Any) -> int:
        return self.lines[node.source_line - 1] + node.source_column - 1

    def error(self, message: str, node: Any) -> CSSError:
        return CSSError(f"{message} (line {node.source_line}, column {node.source_column})")


def _inside(node: Any) -> list[Any]:
    """The tokens a rule, at-rule, block or function holds (for an at-rule without a block,
    its prelude)."""
    if node.type in ("qualified-rule", "at-rule"):
        return list(node.content) if node.content is not None else list(node.prelude)
    if node.type == "function":
        return list(node.arguments)
    return list(getattr(node, "content", None) or [])


def _check_end(source: _Source, node: Any, end: int) -> None:
    """`CSSError` if the stylesheet ends inside `node`, the last thing in it, whose text ends
    at `end`: CSS closes what is open at the end, and a stylesheet cut short is not trimmed."""
    while node is not None:
        text = source.css[source.start(node) : end]
        if node.type == "comment" and not (len(text) >= 4 and text.endswith("*/")):
            raise source.error("unclosed comment", node)
        closer = _CLOSER.get(node.type)
        if node.type == "at-rule" and node.content is None:
            closer = None  # a statement; its `;` may be left out at the end
        if closer is None:
            return
        if not text.endswith(closer):
            raise source.error("unclosed block", node)
        tokens = _inside(node)
        node, end = (tokens[-1], end - 1) if tokens else (None, end)


def _check_errors(source: _Source, tokens: Iterable[Any]) -> None:
    """`CSSError` for a string or `url(` the stylesheet leaves open at its end."""
    for token in tokens:
        if token.type == "error" and token.kind in ("eof-in-string", "eof-in-url"):
            raise source.error(f"unclosed {token.kind[7:]}", token)
        if token.type in ("{} block", "() block", "[] block", "function"):
            _check_errors(source, _inside(token))


def _trim_rules(source: _Source, nodes: list[Any], end: int, v: Vocabulary) -> str:
    """The kept text of a list of rules whose last one ends at `end`."""
    starts = [source.start(node) for node in nodes] + [end]
    out: list[str] = []
    for node, start, stop in zip(nodes, starts, starts[1:], strict=False):
        if node.type == "error":
            raise source.error(node.message, node)
        if node.type in ("whitespace", "comment"):
            continue
        _check_errors(source, node.prelude)
        if node.type == "qualified-rule":
            _check_errors(source, node.content)
            if any(_possible(selector, v) for selector in _selectors(node.prelude)):
                out.append(source.css[start:stop])
        elif node.content is not None and node.lower_at_keyword in GROUPING_AT_RULES:
            rules = tinycss2.parse_rule_list(
                node.content, skip_comments=False, skip_whitespace=False
            )
            # The block's `{` is just before its first token; an empty block ends in `{}`.
            brace = source.start(node.content[0]) - 1 if node.content else stop - 2
            if inner := _trim_rules(source, rules, stop - 1, v):
                out.append(f"{source.css[start:brace]}{{{inner}}}")
        else:
            _check_errors(source, node.content or ())
            out.append(source.css[start:stop])
    return "".join(out)


def trim(css: str, vocabulary: Vocabulary) -> str:
    """The stylesheet with only the rules that can match something of `vocabulary`."""
    source = _Source(css)
    nodes = tinycss2.parse_stylesheet(source.css, skip_comments=False, skip_whitespace=False)
    if nodes:
        _check_end(source, nodes[-1], len(source.css))
    return _trim_rules(source, nodes, len(source.css), vocabulary)


# --- selectors --------------------------------------------------------------------------------

_SPACE = frozenset({"whitespace", "comment"})
_COMBINATORS = frozenset({">", "+", "~", "&", "*", "||", "|"})


def _selectors(tokens: Sequence[Any]) -> list[list[Any]]:
    """A selector list's selectors, each as its tokens without spaces and comments (a comma in
    parentheses or brackets is inside a block token, so it does not split)."""
    out: list[list[Any]] = [[]]
    for token in tokens:
        if token.type == "literal" and token.value == ",":
            out.append([])
        elif token.type not in _SPACE:
            out[-1].append(token)
    return [s for s in out if s]


def _possible(tokens: list[Any], v: Vocabulary) -> bool:
    """Whether a complex selector can match something in the site; True when unsure."""
    i, n = 0, len(tokens)
    while i < n:
        token = tokens[i]
        after = tokens[i + 1] if i + 1 < n else None
        if token.type == "hash":
            if token.is_identifier and not v.has_id(token.value):
                return False
        elif token.type == "ident":
            if after is not None and after.type == "literal" and after.value == "|":
                i += 2  # a namespace prefix: the element's name follows
                continue
            if not v.has_element(token.value):
                return False
        elif token.type == "[] block":
            if not _attribute_possible(token.content, v):
                return False
        elif token.type != "literal":
            return True  # a number or a string where a selector has none
        elif token.value == ".":
            if after is None or after.type != "ident":
                return True
            if not v.has_class(after.value):
                return False
            i += 1
        elif token.value == ":":
            if after is not None and after.type == "literal" and after.value == ":":
                i += 3  # a pseudo-element and its name: always possible, and its arguments too
                continue
            if after is not None and after.type == "function" and after.lower_name in ANY_OF:
                if not any(_possible(s, v) for s in _selectors(after.arguments)):
                    return False
            i += 1  # another pseudo-class: always possible
        elif token.value not in _COMBINATORS:
            return True
        i += 1
    return True


_OPERATORS = frozenset({"=", "~=", "|=", "^=", "$=", "*="})


def _attribute_possible(content: Sequence[Any], v: Vocabulary) -> bool:
    """Whether `[name]`, `[name=value]` (and the like) can match; True when unsure."""
    parts = [t for t in content if t.type not in _SPACE]
    if len(parts) > 2 and parts[1].type == "literal" and parts[1].value == "|":
        parts = parts[2:]  # ns|name or *|name
    elif parts and parts[0].type == "literal" and parts[0].value == "|":
        parts = parts[1:]  # |name
    if not parts or parts[0].type != "ident":
        return True
    if not v.has_attribute(parts[0].value):
        return False
    if len(parts) < 3 or parts[1].type != "literal" or parts[1].value not in _OPERATORS:
        return True
    if parts[1].value != "=" or parts[2].type not in ("ident", "string") or len(parts) > 4:
        return True
    flag = parts[3].lower_value if len(parts) == 4 and parts[3].type == "ident" else ""
    return v.has_value(parts[2].value, ignore_case=flag == "i")


# --- trimming ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Trimmed:
    """One stylesheet trimmed: its path and its sizes in bytes, raw and gzip-compressed."""

    path: Path
    before: int
    after: int
    gzip_before: int
    gzip_after: int


def _gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def trim_site_stylesheet(site_dir: Path, pattern: str = THEME_STYLESHEETS) -> list[Trimmed]:
    """Trim, in place, each stylesheet of a built site that `pattern` names (Material's main
    stylesheet by default; its name stays, as the pages link to it by name). Its source map,
    which would describe the untrimmed file, is removed. `CSSError` if one does not parse, in
    which case no file is changed."""
    paths = sorted(site_dir.glob(pattern))
    if not paths:
        return []
    vocabulary = site_vocabulary(site_dir)
    results: list[tuple[Path, bytes, bytes]] = []
    for path in paths:
        before = path.read_bytes()
        try:
            text = before.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CSSError(f"{path.name}: not UTF-8") from exc
        try:
            after = trim(text, vocabulary).encode("utf-8")
        except CSSError as exc:
            raise CSSError(f"{path.name}: {exc}") from None
        results.append((path, before, after))
    out = []
    for path, before, after in results:
        path.write_bytes(after)
        path.with_name(path.name + ".map").unlink(missing_ok=True)
        out.append(Trimmed(path, len(before), len(after), _gzip_size(before), _gzip_size(after)))
    return out


def without_comments(css: str) -> str:
    """The stylesheet without its comments (they are for its authors, not the readers who
    download it), read by tinycss2; the rules are written back as they were. A `/*! ... */`
    comment stays: by custom it holds a licence, which minifiers keep too."""
    # Read from a string, tinycss2 drops every comment, nested ones too; the `/*!` ones at the
    # top level are found by a second reading that keeps them, and put back where they were.
    rules = iter(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))
    out = []
    for item in tinycss2.parse_stylesheet(css, skip_comments=False, skip_whitespace=True):
        if item.type != "comment":
            out.append(tinycss2.serialize([next(rules)]))
        elif item.value.startswith("!"):
            out.append(tinycss2.serialize([item]))
    return "\n".join(out) + "\n"


def strip_site_comments(site_dir: Path) -> list[Trimmed]:
    """Take the comments out, in place, of each stylesheet of a built site that is not
    minified already (`*.min.css`): the site's own and careleaf's. Each is written back only
    when it parses whole; one that does not (or nests too deep to read) is left as it is."""
    out = []
    for path in sorted(site_dir.rglob("*.css")):
        if path.name.endswith(".min.css"):
            continue
        before = path.read_bytes()
        try:
            text = before.decode("utf-8")
            rules = tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)
            if any(rule.type == "error" for rule in rules):
                continue
            after = without_comments(text).encode("utf-8")
        except (UnicodeDecodeError, RecursionError):
            continue
        if len(after) < len(before):
            path.write_bytes(after)
            out.append(
                Trimmed(path, len(before), len(after), _gzip_size(before), _gzip_size(after))
            )
    return out
