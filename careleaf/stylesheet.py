"""Trim a theme's stylesheet to the rules a built site can use.

Material's main stylesheet styles every feature and Markdown extension it supports; a site uses
a fraction of them. Given what can occur in the site (the class names, ids, element names and
attribute names and values of every built page, of the search index, and every word of the
site's scripts, since scripts add classes at run time), `trim` keeps every rule with at least
one selector that can match, and drops the others. It errs on the side of keeping:

- a selector is dropped only when a class, id, element or attribute it needs (outside `:not()`)
  occurs nowhere; an attribute's value is checked only for `[name=word]`;
- `:is()`, `:where()`, `:has()` and `:-webkit-any()` need one of their selectors to be possible;
  every other pseudo-class and pseudo-element is taken as possible;
- a rule is kept or dropped whole: its selector list is never rewritten (a browser drops a whole
  list for one selector it does not know, and rewriting could turn on a rule it ignored);
- `@media`, `@supports`, `@layer`, `@container`, `@document` and `@scope` keep their surviving
  rules and are dropped when none survive; every other at-rule (`@font-face`, `@keyframes`,
  `@property`, `@page`, `@charset`, `@import`, ...) is kept as it is;
- rules without a class, id, element or attribute (`:root`, `*`, `::selection`) are kept, and
  `html` and `body` are in every page.

Comments between rules (including a `sourceMappingURL`) are dropped; kept rules are copied
byte for byte. Text that does not parse raises `CSSError`, and nothing is trimmed.

This module knows nothing of MkDocs: the plugin calls `trim_site_stylesheet` after a build.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

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

    def add_html(self, html: str) -> None:
        """The tags and attributes of a page; the words of its inline scripts."""
        parser = _HTMLVocabulary(self)
        parser.feed(html)
        parser.close()

    def add_script(self, text: str) -> None:
        """Every word of a script: it may be a class, id, element, attribute or value."""
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
        try:
            docs = json.loads(text).get("docs", [])
        except (ValueError, AttributeError):
            return
        for doc in docs if isinstance(docs, list) else []:
            if isinstance(doc, dict):
                for key in ("title", "text"):
                    if isinstance(doc.get(key), str):
                        self.add_html(doc[key])

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
    def __init__(self, vocabulary: Vocabulary) -> None:
        super().__init__(convert_charrefs=True)
        self.v = vocabulary
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


@dataclass
class Rule:
    """A style rule: its selector list and its whole text, `selectors{...}`."""

    selectors: str
    text: str


@dataclass
class AtRule:
    """An at-rule: its name, its text up to its block (or all its text), and its rules when it
    groups rules (`@media`, `@supports`, ...)."""

    name: str
    head: str
    text: str
    rules: list[Rule | AtRule] | None = None


Node = Rule | AtRule


class _Reader:
    """A small reader of CSS that knows strings, comments, escapes, `url()` and nested blocks."""

    def __init__(self, css: str) -> None:
        self.css = css

    def error(self, message: str, at: int) -> CSSError:
        line = self.css.count("\n", 0, at) + 1
        return CSSError(f"{message} (line {line}, offset {at})")

    def skip_string(self, i: int) -> int:
        """The index after the string that starts at i."""
        css, quote = self.css, self.css[i]
        i += 1
        while i < len(css):
            ch = css[i]
            if ch == "\\":
                i += 2
            elif ch == quote:
                return i + 1
            elif ch == "\n":  # a bad string ends at the line's end, as in a browser
                return i
            else:
                i += 1
        raise self.error("unclosed string", i)

    def skip_comment(self, i: int) -> int:
        end = self.css.find("*/", i + 2)
        if end < 0:
            raise self.error("unclosed comment", i)
        return end + 2

    def skip_space(self, i: int) -> int:
        css = self.css
        while i < len(css):
            if css[i].isspace():
                i += 1
            elif css.startswith("/*", i):
                i = self.skip_comment(i)
            else:
                break
        return i

    def scan(self, i: int, stops: str) -> int:
        """The index of the first of `stops` at nesting level 0 from i, or len(css)."""
        css, depth = self.css, 0
        while i < len(css):
            ch = css[i]
            if ch in "\"'":
                i = self.skip_string(i)
                continue
            if ch == "/" and css.startswith("/*", i):
                i = self.skip_comment(i)
                continue
            if ch == "\\":
                i += 2
                continue
            if depth == 0 and ch in stops:
                return i
            if ch == "(" and css[max(0, i - 3) : i].lower() == "url":
                i = self.skip_url(i)
                continue
            if ch in "([{":
                depth += 1
            elif ch in ")]}":
                if depth == 0:
                    raise self.error(f"unexpected {ch!r}", i)
                depth -= 1
            i += 1
        if depth:
            raise self.error("unclosed block", i)
        return i

    def skip_url(self, i: int) -> int:
        """The index after `url(...)` whose `(` is at i; a quoted url is a string."""
        j = self.skip_space(i + 1)
        if j < len(self.css) and self.css[j] in "\"'":
            j = self.skip_space(self.skip_string(j))
        else:
            while j < len(self.css) and self.css[j] != ")":
                j += 2 if self.css[j] == "\\" else 1
        if j >= len(self.css) or self.css[j] != ")":
            raise self.error("unclosed url(", i)
        return j + 1

    def block_end(self, i: int) -> int:
        """The index after the `}` that closes the block whose `{` is at i."""
        end = self.scan(i + 1, "}")
        if end >= len(self.css):
            raise self.error("unclosed block", i)
        return end + 1

    def rules(self, i: int, end: int) -> list[Node]:
        css = self.css
        nodes: list[Node] = []
        while True:
            i = self.skip_space(i)
            if i >= end:
                return nodes
            if css[i] == "}":
                raise self.error("unexpected '}'", i)
            stop = self.scan(i, ";{}")
            if stop >= end or css[stop] == "}":
                if css[i] == "@":  # a last statement without its `;`
                    stop = min(stop, end)
                    nodes.append(AtRule(_at_name(css, i), css[i:stop], css[i:stop]))
                    i = stop
                    continue
                raise self.error("a rule without a block", i)
            if css[stop] == ";":
                if css[i] != "@":
                    raise self.error("a declaration outside a rule", i)
                nodes.append(AtRule(_at_name(css, i), css[i : stop + 1], css[i : stop + 1]))
                i = stop + 1
                continue
            close = self.block_end(stop)
            if css[i] == "@":
                name = _at_name(css, i)
                inner = self.rules(stop + 1, close - 1) if name in GROUPING_AT_RULES else None
                nodes.append(AtRule(name, css[i:stop], css[i:close], inner))
            else:
                nodes.append(Rule(css[i:stop].strip(), css[i:close]))
            i = close


def _at_name(css: str, i: int) -> str:
    match = re.compile(r"@(-?[\w-]+)").match(css, i)
    return match.group(1).lower() if match else ""


def parse(css: str) -> list[Node]:
    """The rules and at-rules of a stylesheet; `CSSError` if it does not parse."""
    return _Reader(css).rules(0, len(css))


# --- selectors --------------------------------------------------------------------------------


def _outside_strings(text: str, i: int = 0) -> Iterator[tuple[int, str]]:
    """Each character of a selector from i on, with its index, but escaped ones and strings."""
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
        elif ch in "\"'":
            i = _Reader(text).skip_string(i)
        else:
            yield i, ch
            i += 1


def split_list(text: str) -> list[str]:
    """A selector list's selectors (commas inside parentheses, brackets and strings stay)."""
    out, depth, start = [], 0, 0
    for i, ch in _outside_strings(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "," and depth == 0:
            out.append(text[start:i].strip())
            start = i + 1
    out.append(text[start:].strip())
    return [s for s in out if s]


_IDENT = re.compile(r"-?(?:[\w-]|\\[0-9a-fA-F]{1,6}\s?|\\.|[^\x00-\x7f])+", re.S)
_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?|\\(.)", re.S)
_ATTRIBUTE = re.compile(
    r"\s*(?:(?:[\w-]+|\*)?\|(?!=))?(?P<name>(?:[\w-]|\\.)+)\s*"
    r"(?:(?P<op>[~|^$*]?=)\s*(?P<value>\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|(?:[\w-]|\\.)+)"
    r"\s*(?P<flag>[iIsS])?\s*)?$",
    re.S,
)


def _unescape(ident: str) -> str:
    def one(match: re.Match[str]) -> str:
        if match.group(1):
            code = int(match.group(1), 16)
            return chr(code) if 0 < code <= 0x10FFFF else "\ufffd"
        return match.group(2)

    return _ESCAPE.sub(one, ident)


def can_match(selector: str, vocabulary: Vocabulary) -> bool:
    """Whether a complex selector can match something in the site; True when unsure."""
    try:
        return _can_match(selector, vocabulary)
    except (IndexError, ValueError):
        return True  # a selector this reader does not follow is kept


def _can_match(selector: str, v: Vocabulary) -> bool:
    s, i = selector, 0
    while i < len(s):
        ch = s[i]
        if ch.isspace() or ch in ">+~&,":
            i += 1
        elif ch in ".#":
            match = _IDENT.match(s, i + 1)
            if match is None:
                raise ValueError(selector)
            name = _unescape(match.group())
            if not (v.has_class(name) if ch == "." else v.has_id(name)):
                return False
            i = match.end()
        elif ch == "[":
            end = split_end(s, i, "[", "]")
            if not _attribute_possible(s[i + 1 : end], v):
                return False
            i = end + 1
        elif ch == ":":
            element = s.startswith("::", i)
            match = _IDENT.match(s, i + (2 if element else 1))
            if match is None:
                raise ValueError(selector)
            name = match.group().lower()
            i = match.end()
            if i < len(s) and s[i] == "(":
                end = split_end(s, i, "(", ")")
                inner = s[i + 1 : end]
                i = end + 1
                if not element and name in ANY_OF:
                    if not any(_can_match(part, v) for part in split_list(inner)):
                        return False
        elif ch == "*":
            i += 1
            if i < len(s) and s[i] == "|":
                i += 1
        elif ch == "|":
            i += 1
        else:
            match = _IDENT.match(s, i)
            if match is None:
                raise ValueError(selector)
            i = match.end()
            if i < len(s) and s[i] == "|" and not s.startswith("|=", i):
                i += 1  # a namespace prefix
                continue
            if not v.has_element(_unescape(match.group())):
                return False
    return True


def split_end(text: str, i: int, opening: str, closing: str) -> int:
    """The index of the `closing` that matches the `opening` at i."""
    depth = 0
    for j, ch in _outside_strings(text, i):
        if ch == opening:
            depth += 1
        elif ch == closing:
            depth -= 1
            if depth == 0:
                return j
    raise ValueError(f"unclosed {opening!r} in {text!r}")


def _attribute_possible(inside: str, v: Vocabulary) -> bool:
    match = _ATTRIBUTE.match(inside)
    if match is None:
        return True
    if not v.has_attribute(_unescape(match.group("name"))):
        return False
    if match.group("op") != "=":
        return True
    value = match.group("value")
    if value[0] in "\"'":
        value = value[1:-1]
    return v.has_value(_unescape(value), ignore_case=(match.group("flag") or "").lower() == "i")


# --- trimming ---------------------------------------------------------------------------------


def trim_nodes(nodes: Iterable[Node], vocabulary: Vocabulary) -> str:
    out = []
    for node in nodes:
        if isinstance(node, Rule):
            if any(can_match(s, vocabulary) for s in split_list(node.selectors)):
                out.append(node.text)
        elif node.rules is None:
            out.append(node.text)
        elif inner := trim_nodes(node.rules, vocabulary):
            out.append(f"{node.head}{{{inner}}}")
    return "".join(out)


def trim(css: str, vocabulary: Vocabulary) -> str:
    """The stylesheet with only the rules that can match something of `vocabulary`."""
    return trim_nodes(parse(css), vocabulary)


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
