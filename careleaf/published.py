"""What a patient's browser receives, judged: each published page, parsed as a browser parses
it (lexbor, an HTML5 parser, through selectolax), against an allowlist.

This is the check that decides whether a page is safe to publish. The early warning on the
source text (careleaf.checks.html) only says it sooner. A page is refused for:

- `html-unsafe`: an element or attribute outside the allowlist of patient pages (script, event
  handlers, forms, frames ...), a link whose address a browser would run (`javascript:` and
  the like, however it is written: entities, tabs, control characters), or an inline script
  that is not written out, as it is, in one of the theme's templates;
- `external-resource`: anything the browser would fetch from another host without the reader
  asking (images, media, stylesheets, scripts, CSS `url()` and `@import`, `<base>`, a
  `<meta>` refresh, the theme's mermaid diagrams), unless the site allows that host.

Links to other sites (`<a href>`) are fine: a reader follows them by choice.

Core: it knows nothing of MkDocs; the plugin hands it each page's HTML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import tinycss2
from selectolax.lexbor import LexborHTMLParser, LexborNode

from careleaf.findings import Severity

# Elements a page's content may hold: what Markdown, the admonitions, the glossary's tooltips
# and careleaf's templates make, and the SVG shapes of icons.
CONTENT_ELEMENTS = frozenset(
    """a abbr article aside b blockquote br caption cite code col colgroup dd del details dfn
    div dl dt em figcaption figure footer h1 h2 h3 h4 h5 h6 header hr i img ins kbd li mark
    nav ol p pre q s samp section small span strong sub summary sup table tbody td tfoot th
    thead time tr u ul var wbr svg path g circle rect ellipse line polyline polygon""".split()
)
# What only the theme's frame around the content may hold: the head, the search form, the
# menus' toggles and buttons.
FRAME_ELEMENTS = CONTENT_ELEMENTS | frozenset(
    "html head body meta title link script main form input label button".split()
)
GLOBAL_ATTRIBUTES = frozenset(
    "id class title lang dir role hidden tabindex translate style".split()
)


def _by_element(attributes: dict[str, str]) -> dict[str, frozenset[str]]:
    return {name: frozenset(names.split()) for name, names in attributes.items()}


ELEMENT_ATTRIBUTES = _by_element(
    {
        "a": "href rel target hreflang",
        "img": "src srcset sizes alt width height loading decoding",
        "td": "colspan rowspan headers align data-label",
        "th": "colspan rowspan headers scope align abbr data-label",
        "col": "span",
        "colgroup": "span",
        "ol": "start type reversed",
        "li": "value",
        "time": "datetime",
        "del": "cite datetime",
        "ins": "cite datetime",
        "blockquote": "cite",
        "q": "cite",
        "details": "open",
        "svg": "viewbox xmlns width height fill focusable preserveaspectratio",
        "path": "d fill fill-rule clip-rule stroke stroke-width",
        "g": "fill stroke transform",
        "circle": "cx cy r fill stroke",
        "rect": "x y width height rx ry fill stroke",
        "ellipse": "cx cy rx ry fill stroke",
        "line": "x1 y1 x2 y2 stroke",
        "polyline": "points fill stroke",
        "polygon": "points fill stroke",
    }
)
FRAME_ATTRIBUTES = _by_element(
    {
        "html": "lang",
        "meta": "charset name content property",
        "link": "rel href type title hreflang sizes media",
        "script": "src type id defer async",
        "form": "name",
        "input": """type name placeholder autocomplete autocapitalize autocorrect spellcheck
            required checked disabled value""",
        "label": "for",
        "button": "type",
    }
)
# `<link rel>` values the theme uses; each names what the browser does with the address.
LINK_RELATIONS = frozenset("stylesheet icon canonical prev next alternate manifest".split())
FETCHED_LINK_RELATIONS = frozenset({"stylesheet", "icon", "manifest"})
# Addresses a reader may be sent to; any other scheme is refused.
SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# `<script type>` values a browser does not run: data for the theme and for search engines.
DATA_SCRIPT_TYPES = frozenset({"application/json", "application/ld+json"})
# Attributes holding one address (srcset holds several).
URL_ATTRIBUTES = frozenset({"href", "src", "cite", "action", "formaction", "poster", "data"})
FETCHED_URL_ATTRIBUTES = {"src", "poster", "data", "background"}
CSS_FETCHES = frozenset({"url", "src", "image", "image-set", "-webkit-image-set", "cross-fade"})
CSS_RUNS = frozenset({"expression", "behavior", "-moz-binding"})
# What a template may put into one of its inline scripts: the page's relative address of the
# site (`base_url`, such as `../..`), which can name no other host and hold no code.
_SCRIPT_GAP = frozenset("./")
# Material components that fetch from the repository's host.
THEME_FETCHES = frozenset({"source", "source-facts"})
# SVG attributes that take a CSS value, `url(...)` included.
SVG_PAINT = frozenset(
    "fill stroke clip-path mask filter marker-start marker-mid marker-end cursor".split()
)
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)


@dataclass(frozen=True)
class Problem:
    """One thing a page must not publish: the rule, what to tell the editor, and text to find
    the place in the source by (the element's name, an attribute's value)."""

    rule: str
    message: str
    clues: tuple[str, ...] = ()
    near: str = ""  # the id of the heading it follows on the page ('' before any)
    severity: Severity = "error"  # a warning is published when the build is not strict


@dataclass(frozen=True)
class ScriptShape:
    """An inline script as a template writes it: fixed text with gaps the template fills in
    (a relative address)."""

    parts: tuple[str, ...]

    @classmethod
    def of(cls, template_text: str) -> ScriptShape:
        return cls(tuple(_squeeze(part) for part in _JINJA.split(template_text)))

    def matches(self, text: str) -> bool:
        text = _squeeze(text)
        first, *middle, last = self.parts if len(self.parts) > 1 else (*self.parts, "")
        if len(self.parts) == 1:
            return text == first
        if not (text.startswith(first) and text.endswith(last)):
            return False
        at, end = len(first), len(text) - len(last)
        for part in middle:
            found = text.find(part, at, end) if part else at
            if found < 0 or not _is_gap(text[at:found]):
                return False
            at = found + len(part)
        return at <= end and _is_gap(text[at:end])


@dataclass(frozen=True)
class Policy:
    """What a site publishes: its own host, the other hosts it allows, its theme's scripts."""

    site_host: str = ""
    allowed_hosts: frozenset[str] = frozenset()
    scripts: tuple[ScriptShape, ...] = ()  # the inline scripts of the theme's templates
    script_files: frozenset[str] = frozenset()  # the script files pages may load, by path
    page: str = ""  # the address of the page judged, relative to the site (for `src`)

    def own(self, host: str) -> bool:
        host = host.lower().rstrip(".")
        return host == self.site_host or host in self.allowed_hosts

    def theme_script(self, text: str) -> bool:
        return any(shape.matches(text) for shape in self.scripts)


def theme_scripts(template_dirs: Iterable[Path]) -> tuple[ScriptShape, ...]:
    """The inline scripts written out in the theme's templates and the site's overrides: the
    only inline scripts a page may carry. A template is the web person's file, not an
    editor's, and no editor text reaches it."""
    shapes: dict[tuple[str, ...], ScriptShape] = {}
    for folder in template_dirs:
        for path in sorted(Path(folder).rglob("*.html")):
            try:
                changed = path.stat().st_mtime_ns
            except OSError:
                continue
            for shape in _template_scripts(path, changed):
                shapes.setdefault(shape.parts, shape)
    return tuple(shapes.values())


@lru_cache(maxsize=1024)
def _template_scripts(path: Path, changed: int) -> tuple[ScriptShape, ...]:
    """The inline scripts of one template, read again only when it changed (`changed`, its
    time of change): each save in `mkdocs serve` asks for all of them."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ()
    if "<script" not in text:
        return ()
    return tuple(
        ScriptShape.of(node.text(deep=True))
        for node in LexborHTMLParser(text).css("script")
        if "src" not in node.attributes
        and (node.attributes.get("type") or "").lower() not in DATA_SCRIPT_TYPES
    )


def judge_page(html: str, policy: Policy, *, fragment: bool = False) -> list[Problem]:
    """What in a published page must not reach a reader. `fragment`: HTML that is all
    content (a page's body as Markdown made it), with no frame around it."""
    tree = LexborHTMLParser(html)
    root = tree.body if fragment else tree.root
    problems: list[Problem] = []
    if root is None:
        return problems
    # The page's content is Material's `article`; the rest is the theme's frame around it.
    article = None if fragment else tree.css_first("article")
    content = {n.mem_id for n in article.traverse(include_text=False)} if article else set()
    # Most elements of a page repeat (a menu's items, a list's): each kind is judged once.
    judged: dict[tuple[str, bool, tuple[tuple[str, str | None], ...]], list[Problem]] = {}
    near = ""
    theirs: set[str] = set()  # the theme's ids ('__...') given so far
    for node in root.traverse(include_text=False):
        tag = node.tag or ""
        if tag == "-comment" and (fragment or node.mem_id in content):
            problems.append(replace(_COMMENT, clues=("<!--",), near=near))
        if tag.startswith("-") or (fragment and tag == "body"):
            continue  # a comment; the parser's own <body> around a fragment
        attributes = node.attributes
        an_id = attributes.get("id") or ""
        if tag in _HEADINGS and an_id:
            near = an_id
        if an_id.startswith("__"):
            if an_id in theirs:  # a second: the first one found is what the theme uses
                problems.append(
                    Problem(
                        "html-unsafe",
                        f"the id '{an_id}' is the theme's own and the page gives it twice",
                        (an_id,),
                        near,
                    )
                )
            theirs.add(an_id)
        key = (tag, fragment or node.mem_id in content, tuple(attributes.items()))
        found = judged.get(key)
        if found is None or tag == "script":  # a script is judged by its text too
            found = judged[key] = _judge_element(node, key[1], policy)
        problems += [replace(p, near=near) for p in found]
    return problems


COMMENT_MESSAGE = (
    "an HTML comment is published with the page, where anyone can read it in the page's "
    "source: remove it, and keep notes outside docs/"
)
_COMMENT = Problem("html-comment", COMMENT_MESSAGE, severity="warning")
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def _judge_element(node: LexborNode, in_content: bool, policy: Policy) -> list[Problem]:
    tag = (node.tag or "").lower()
    attrs = {name.lower(): value or "" for name, value in node.attributes.items()}
    allowed = CONTENT_ELEMENTS if in_content else FRAME_ELEMENTS
    if _is_data(tag, attrs, in_content):
        return []  # data for search engines (JSON-LD), the theme's settings: never run
    if tag == "meta" and not in_content and _forwards_within(attrs, policy):
        return []  # careleaf's forwarding pages (short links, moved pages)
    if tag not in allowed or "http-equiv" in attrs:
        return [_element_problem(tag, attrs, policy)]
    problems: list[Problem] = []
    if "mermaid" in attrs.get("class", "").split():
        problems.append(
            Problem(
                "external-resource",
                "a 'mermaid' diagram makes the theme load a script from unpkg.com: "
                "show the diagram as an image kept in docs/ instead",
                ("mermaid",),
            )
        )
    own = ELEMENT_ATTRIBUTES.get(tag, frozenset())
    frame = FRAME_ATTRIBUTES.get(tag, frozenset()) if not in_content else frozenset()
    for name, value in attrs.items():
        if not (
            name in GLOBAL_ATTRIBUTES
            or name in own
            or name in frame
            or name.startswith("aria-")
            or name.startswith(("data-careleaf-", "data-cl-"))
            or (not in_content and name.startswith("data-md-"))
        ):
            problems.append(_attribute_problem(tag, name, value))
    if problems:
        return problems
    if in_content and attrs.get("id", "").startswith("__"):
        # Material finds its parts by these ids (its settings are `#__config`): an element
        # of the page's own with one would stand in for them.
        problems.append(
            Problem(
                "html-unsafe",
                f"the id '{attrs['id']}' is the theme's own (ids starting '__' are): pick another",
                (attrs["id"],),
            )
        )
    if "<" in attrs.get("title", ""):
        # Material shows a title as a tooltip, as HTML: '<' would start an element there.
        problems.append(
            Problem(
                "html-unsafe",
                f"the tooltip text of <{tag} title> holds '<', which the theme would show as "
                "HTML: write it without '<'",
                # as written in the page, or in a file where '<' is written '&lt;'
                (attrs["title"][:40], html.escape(attrs["title"][:40], quote=False)),
            )
        )
    if attrs.get("data-md-component", "") in THEME_FETCHES:
        problems.append(
            Problem(
                "external-resource",
                f'data-md-component="{attrs["data-md-component"]}" makes the theme ask '
                "another host (the repository's) for facts on every page",
                ("data-md-component",),
            )
        )
    for name in SVG_PAINT & attrs.keys():
        problems += _judge_css(attrs[name], f"<{tag} {name}>", policy, kind="value")
    problems += _judge_addresses(tag, attrs, policy)
    if "style" in attrs:
        problems += _judge_css(attrs["style"], f"<{tag} style>", policy, kind="declarations")
    if tag == "script":
        problems += _judge_script(node, attrs, policy)
    elif tag == "link":
        rels = set(attrs.get("rel", "").lower().split())
        if not rels or not rels <= LINK_RELATIONS:
            problems.append(
                Problem(
                    "html-unsafe",
                    f'<link rel="{attrs.get("rel", "")}"> is not a link the theme makes',
                    (attrs.get("rel", ""), "<link"),
                )
            )
        elif rels & FETCHED_LINK_RELATIONS:
            problems += _judge_fetch(attrs.get("href", ""), "<link href>", policy)
    return problems


def title_text(title: str) -> str:
    """A page's title as text: its tags dropped and its entities decoded, as the theme's
    `striptags` does."""
    if "<" not in title and "&" not in title:
        return title
    body = LexborHTMLParser(f"<p>{title}</p>").body
    return body.text() if body is not None else title


def judge_svg(svg: str, policy: Policy) -> list[Problem]:
    """What in an SVG file of docs/ would run or fetch from another host when a reader opens
    it (an SVG shown by <img> runs nothing, but its own address shows it as a page)."""
    problems: list[Problem] = []
    tree = LexborHTMLParser(svg)
    for node in tree.root.traverse(include_text=False) if tree.root else []:
        tag = (node.tag or "").lower()
        attrs = {name.lower(): value or "" for name, value in node.attributes.items()}
        if tag in _SVG_RUNS:
            problems.append(
                Problem("html-unsafe", f"<{tag}> in an SVG file runs code", (f"<{tag}",))
            )
        elif tag == "style":
            problems += _judge_css(node.text(deep=True), "<style>", policy, kind="stylesheet")
        for name, value in attrs.items():
            if name.startswith("on"):
                problems.append(_attribute_problem(tag, name, value))
            elif name in ("href", "xlink:href", "src") and not value.startswith("#"):
                if _scheme(_as_browser_reads(value)) not in ("", "http", "https"):
                    problems.append(
                        Problem(
                            "html-unsafe", f"<{tag} {name}> has an address that runs code", (value,)
                        )
                    )
                else:
                    problems += _judge_fetch(value, f"<{tag} {name}>", policy)
            elif name == "style" or name in SVG_PAINT:
                kind = "declarations" if name == "style" else "value"
                problems += _judge_css(value, f"<{tag} {name}>", policy, kind=kind)
    return problems


_SVG_RUNS = frozenset({"script", "foreignobject", "iframe", "object", "embed", "handler"})


def _element_problem(tag: str, attrs: dict[str, str], policy: Policy) -> Problem:
    if tag == "base":
        return Problem(
            "external-resource",
            "<base href> makes every address on the page, the theme's scripts included, "
            "point elsewhere",
            ("<base", attrs.get("href", "")),
        )
    if tag == "meta" and "http-equiv" in attrs:
        return Problem(
            "external-resource",
            f'<meta http-equiv="{attrs["http-equiv"]}"> can send the reader to another page',
            ("http-equiv", attrs.get("content", "")),
        )
    for name in ("src", "srcset", "href", "poster", "data", "action", "formaction"):
        address = attrs.get(name, "")
        for url in _srcset(address) if name == "srcset" else [address]:
            host = _foreign_host(url, policy)
            if host:
                return Problem(
                    "external-resource",
                    f"<{tag} {name}> loads from or sends to another host ({host}): "
                    "keep files in docs/ and link to other sites with a plain link",
                    (url, f"<{tag}"),
                )
    return Problem(
        "html-unsafe",
        f"<{tag}> is not allowed on a patient's page: use Markdown, or ask the web person",
        (f"<{tag}",),
    )


def _attribute_problem(tag: str, name: str, value: str) -> Problem:
    if name.startswith("on"):
        what = f"'{name}' on <{tag}> runs script"
    elif name == "ping":
        return Problem(
            "external-resource",
            f"'ping' on <{tag}> reports each click to another address",
            (value, "ping"),
        )
    else:
        what = f"the attribute '{name}' on <{tag}> is not allowed on a patient's page"
    return Problem("html-unsafe", f"{what}: remove it", (name, value))


def _judge_addresses(tag: str, attrs: dict[str, str], policy: Policy) -> list[Problem]:
    problems = []
    for name in URL_ATTRIBUTES & attrs.keys():
        url = _as_browser_reads(attrs[name])
        scheme = _scheme(url)
        if scheme and scheme not in SCHEMES:
            problems.append(
                Problem(
                    "html-unsafe",
                    f"<{tag} {name}> has a '{scheme}:' address, which a browser would run or "
                    "open outside the site: use an http, https, mailto or tel address",
                    (attrs[name], f"{scheme}:"),
                )
            )
        elif tag in ("img", "script") and name == "src":
            problems += _judge_fetch(url, f"<{tag} src>", policy)
    for url in _srcset(attrs.get("srcset", "")):
        problems += _judge_fetch(url, f"<{tag} srcset>", policy)
    return problems


def _judge_fetch(url: str, where: str, policy: Policy) -> list[Problem]:
    url = _as_browser_reads(url)
    scheme = _scheme(url)
    if scheme and scheme not in ("http", "https"):
        if scheme == "data" and where.startswith("<img"):
            return []  # an image written into the page: nothing is fetched
        return [Problem("html-unsafe", f"{where} has a '{scheme}:' address", (url, f"{scheme}:"))]
    host = _foreign_host(url, policy)
    if host:
        return [
            Problem(
                "external-resource",
                f"{where} loads from another host ({host}): keep the file in docs/, or allow "
                "the host in mkdocs.yml (careleaf: allowed_hosts)",
                (url,),
            )
        ]
    return []


def _judge_script(node: LexborNode, attrs: dict[str, str], policy: Policy) -> list[Problem]:
    if "src" in attrs:
        # Only the theme's scripts and those mkdocs.yml lists: a script an editor put in
        # docs/ is not run, wherever a page would load it from.
        path = _site_path(attrs["src"], policy)
        if path is None or path in policy.script_files:
            return []  # another host's script: judged as an address
        return [
            Problem(
                "html-unsafe",
                f'<script src="{attrs["src"]}"> is not one of the theme\'s scripts or those '
                "mkdocs.yml lists (extra_javascript)",
                (attrs["src"], "<script"),
            )
        ]
    if attrs.get("type", "").lower() in DATA_SCRIPT_TYPES:
        return []
    text = node.text(deep=True)
    if policy.theme_script(text):
        return []
    return [
        Problem(
            "html-unsafe",
            "an inline <script> that is not one of the theme's own: put script in a file of "
            "the theme's overrides, never in a page",
            (text.strip()[:40], "<script"),
        )
    ]


_CSS_PARSERS: dict[str, Any] = {
    "stylesheet": tinycss2.parse_stylesheet,
    "declarations": tinycss2.parse_blocks_contents,
    "value": tinycss2.parse_component_value_list,
}


def _judge_css(css: str, where: str, policy: Policy, kind: str) -> list[Problem]:
    """CSS (a stylesheet, a style attribute's declarations, one property's value): what it
    would fetch or run."""
    nodes = _CSS_PARSERS[kind](css)
    problems = []
    stack = list(nodes)
    while stack:
        item = stack.pop()
        token = getattr(item, "type", "")
        name = str(getattr(item, "lower_name", "") or "")
        if token == "url":
            problems += _judge_fetch(item.value, f"{where} url()", policy)
        elif token == "function" and name in CSS_FETCHES:
            strings = [a.value for a in item.arguments if getattr(a, "type", "") == "string"]
            for url in strings or [""]:
                problems += _judge_fetch(url, f"{where} {name}()", policy)
        elif (token in ("function", "declaration", "ident") and name in CSS_RUNS) or (
            token == "at-rule" and name == "import"
        ):
            problems.append(
                Problem("html-unsafe", f"{where} uses '{name}', which is not allowed", (name,))
            )
        for attr in ("value", "arguments", "content", "prelude"):
            children = getattr(item, attr, None)
            if isinstance(children, list):
                stack.extend(children)
    return problems


def _as_browser_reads(url: str) -> str:
    """An address as a browser's URL parser reads it: the parser has already decoded
    entities; leading and trailing controls and spaces are dropped, tabs and newlines removed,
    and backslashes read as slashes."""
    url = url.strip("".join(map(chr, range(0x21))))
    return url.replace("\t", "").replace("\n", "").replace("\r", "").replace("\\", "/")


def _scheme(url: str) -> str:
    head = url.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    if ":" not in head:
        return ""
    scheme = head.split(":", 1)[0].lower()
    valid = scheme[:1].isascii() and scheme[:1].isalpha()
    return scheme if valid and all(c.isalnum() or c in "+.-" for c in scheme) else ""


def _foreign_host(url: str, policy: Policy) -> str:
    """The other host an address goes to ('' for the site itself or a relative address)."""
    url = _as_browser_reads(url)
    scheme = _scheme(url)
    if not (url.startswith("//") or scheme in ("http", "https")):
        return ""
    try:
        host = urlsplit(url if scheme else f"https:{url}").hostname or ""
    except ValueError:
        return url[:60]
    return "" if policy.own(host) else host or url[:60]


def _site_path(url: str, policy: Policy) -> str | None:
    """The path in the site that an address of the judged page goes to (None: another
    host)."""
    url = _as_browser_reads(url)
    if _foreign_host(url, policy) or (_scheme(url) and _scheme(url) not in ("http", "https")):
        return None
    absolute = urljoin(f"https://{_PAGE_HOST}/{policy.page}", url)
    parts = urlsplit(absolute)
    if parts.hostname != _PAGE_HOST:  # the site's own host, written out in full
        return parts.path.lstrip("/")
    return unquote(parts.path).lstrip("/")


_PAGE_HOST = "page.careleaf.invalid"


def _srcset(value: str) -> list[str]:
    return [part.split()[0] for part in value.split(",") if part.split()]


def _forwards_within(attrs: dict[str, str], policy: Policy) -> bool:
    """A `<meta http-equiv="refresh">` that sends the reader to a page of the site itself."""
    if attrs.get("http-equiv", "").lower() != "refresh" or attrs.keys() != {
        "http-equiv",
        "content",
    }:
        return False
    _, _, target = attrs["content"].partition(";")
    key, _, url = target.strip().partition("=")
    if key.strip().lower() != "url":
        return False
    url = url.strip().strip("'\"")
    scheme = _scheme(_as_browser_reads(url))
    return scheme in ("", "http", "https") and not _foreign_host(url, policy)


def _is_data(tag: str, attrs: dict[str, str], in_content: bool) -> bool:
    """A script element a browser does not run: JSON-LD for search engines anywhere, and in
    the theme's frame its settings (`#__config`), whose id must then be unique."""
    if tag != "script" or "src" in attrs:
        return False
    kind = attrs.get("type", "").lower()
    if kind == "application/ld+json":
        return attrs.keys() == {"type"}
    return (
        not in_content and kind == "application/json" and attrs == {"type": kind, "id": "__config"}
    )


def _is_gap(text: str) -> bool:
    return all(c in _SCRIPT_GAP for c in text)


def _squeeze(text: str) -> str:
    return " ".join(text.split())
