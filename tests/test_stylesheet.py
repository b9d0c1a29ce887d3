"""Material's stylesheet trimmed to what the built site can use, and never broken by it."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import tinycss2
from conftest import ROOT

from careleaf.stylesheet import (
    CSSError,
    Vocabulary,
    strip_site_comments,
    trim,
    trim_site_stylesheet,
)

PAGE = """<html><body class="md-body">
<div id="top" class="admonition warning" data-md-color-scheme="default">
<a href="#x">Skip</a><p>Text</p></div>
<script>el.classList.add("md-search--active"); el.className = `md-tag--${kind}`;</script>
</body></html>"""


@pytest.fixture
def words() -> Vocabulary:
    vocabulary = Vocabulary()
    vocabulary.add_html(PAGE)
    return vocabulary


@pytest.mark.parametrize(
    ("css", "kept"),
    [
        (".admonition{color:red}", True),
        (".tabbed-set{color:red}", False),
        ("#top{margin:0}", True),
        ("#nowhere{margin:0}", False),
        ("table td{padding:0}", False),
        ("a:hover{color:red}", True),
        # A list is kept whole when one of its selectors can match.
        (".tabbed-set,.admonition{color:red}", True),
        # :not() never makes a selector impossible.
        ("p:not(.tabbed-set){color:red}", True),
        (":is(.tabbed-set,.warning) p{color:red}", True),
        (":is(.tabbed-set,.mermaid) p{color:red}", False),
        ("[data-md-color-scheme=default] p{color:red}", True),
        ("[data-md-color-scheme=slate] p{color:red}", False),
        ("[data-md-color-scheme=SLATE i] p{color:red}", False),
        ("[hidden]{display:none}", False),
        # Classes a script adds, by name or by a prefix it completes at run time.
        (".md-search--active{opacity:1}", True),
        (".md-tag--icon{opacity:1}", True),
        # Nothing to look up: always kept.
        (":root{--x:1}", True),
        ("*{box-sizing:border-box}", True),
        ("body{margin:0}", True),
    ],
)
def test_a_rule_is_kept_when_one_selector_can_match(words, css, kept):
    assert (trim(css, words) == css) is kept


def test_at_rules_keep_their_surviving_rules(words):
    css = (
        "@media print{.tabbed-set{color:red}.admonition{color:blue}}"
        "@media screen{.tabbed-set{color:red}}"
        "@keyframes spin{0%{opacity:0}to{opacity:1}}"
        '@font-face{font-family:x;src:url("a;b}.woff")}'
        "@supports (display:grid){@media (min-width:1px){.admonition{display:grid}}}"
    )
    assert trim(css, words) == (
        "@media print{.admonition{color:blue}}"
        "@keyframes spin{0%{opacity:0}to{opacity:1}}"
        '@font-face{font-family:x;src:url("a;b}.woff")}'
        "@supports (display:grid){@media (min-width:1px){.admonition{display:grid}}}"
    )


def test_strings_comments_and_escapes_do_not_confuse_the_reader(words):
    css = '/* .admonition{ */.admonition:after{content:"}{,"}.md-typeset .tabbed-set\\:x{color:red}'
    assert trim(css, words) == '.admonition:after{content:"}{,"}'


@pytest.mark.parametrize("css", [".a{color:red", '.a{content:"}', "/* open", ".a}"])
def test_css_that_does_not_parse_is_an_error(words, css):
    with pytest.raises(CSSError):
        trim(css, words)


def _site(tmp_path: Path, css: str) -> Path:
    styles = tmp_path / "assets" / "stylesheets"
    styles.mkdir(parents=True)
    (styles / "main.abc.min.css").write_text(css)
    (styles / "main.abc.min.css.map").write_text("{}")
    (tmp_path / "index.html").write_text(PAGE)
    return tmp_path


def test_a_site_stylesheet_is_trimmed_in_place_and_its_stale_map_removed(tmp_path):
    site = _site(tmp_path, ".admonition{color:red}.tabbed-set{color:blue}")
    [result] = trim_site_stylesheet(site)
    assert result.path.read_text() == ".admonition{color:red}"
    assert result.after < result.before
    assert not (site / "assets/stylesheets/main.abc.min.css.map").exists()


def test_a_stylesheet_that_does_not_parse_is_left_whole(tmp_path):
    site = _site(tmp_path, ".admonition{color:red}.tabbed-set{color:blue")
    with pytest.raises(CSSError, match="main.abc.min.css"):
        trim_site_stylesheet(site)
    css = site / "assets/stylesheets/main.abc.min.css"
    assert css.read_text() == ".admonition{color:red}.tabbed-set{color:blue"
    assert css.with_name(css.name + ".map").exists()


def test_the_sample_sites_stylesheet_keeps_what_its_pages_use(sample_site):
    """Material's stylesheet, trimmed in the real build, still styles the treatment page."""
    import material

    [built] = sample_site.glob("assets/stylesheets/main.*.min.css")
    original = Path(material.__file__).parent / "templates/assets/stylesheets" / built.name
    css = built.read_text()
    assert len(css) < 0.8 * len(original.read_text())
    for selector in (".md-header", ".md-typeset .admonition", ".md-search__input", ".md-nav"):
        assert selector in css, selector
    # Features the sample site does not use are gone.
    for selector in (".md-typeset .tabbed-set", ".md-typeset .task-list"):
        assert selector in original.read_text() and selector not in css, selector
    assert not re.search(r"sourceMappingURL", css)


TRICKY_PAGES = [
    PAGE,
    '<p title="a>b" class="x1">t</p><a data-x=\'<i class="no">\' class=y1>a</a>',
    "<script>if (a<b) el.classList.add('from-script')</script><div class=after-script></div>",
    '<style>.q{x:"</p>"}</style><!-- <b class="in-comment"> --><i class=after-comment>',
    "<p class=\"cut\"\n  id='two-lines'>text &amp; <b>bold</b></p><![CDATA[<u class=cd>]]><br/>",
    "text before <em class=lead>tags</em> and a lone < sign <span id=z>x",
    '<div class="x1">t</div><p title="a>b" class="x1">t</p><img alt=">" src=a.png>',
    "<script>var s = '<div class=\"in-js\">';</script><textarea><b class=no></textarea>",
    "<a href='x' class=unclosed",
]


class _WholePage(HTMLParser):
    """The vocabulary of a page read whole by a fresh parser: what the trimmer must find."""

    def __init__(self, v: Vocabulary) -> None:
        super().__init__(convert_charrefs=True)
        self.v, self.script = v, False

    def handle_starttag(self, tag, attrs):
        self.v.elements.add(tag.lower())
        for name, value in attrs:
            self.v.attributes.add(name.lower())
            if value is not None:
                self.v.values.update({value, *value.split()})
                if name == "class":
                    self.v.classes.update(value.split())
                elif name == "id":
                    self.v.ids.add(value)
        self.script = tag == "script"

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self.script = False

    def handle_endtag(self, tag):
        self.script = False

    def handle_data(self, data):
        if self.script:
            self.v.add_script(data)


def _names(v: Vocabulary) -> tuple[set[str], ...]:
    return (v.classes, v.ids, v.elements, v.attributes, v.values, v.prefixes)


@pytest.mark.parametrize("order", [1, -1])
def test_pages_read_once_each_give_what_each_page_read_whole_gives(order):
    """Pages share one parser that passes over tags it has read before: what it finds is
    exactly what a fresh parser finds in each whole page."""
    pages = TRICKY_PAGES[::order] * 2
    expected = Vocabulary()
    for page in pages:
        parser = _WholePage(expected)
        parser.feed(page)
        parser.close()
    found = Vocabulary()
    for page in pages:
        found.add_html(page)
    assert _names(found) == _names(expected)
    assert {"from-script", "after-script", "after-comment", "two-lines", "z", "x1", "y1"} <= (
        found.classes | found.ids
    )
    assert "in-comment" not in found.classes


def test_the_search_index_adds_the_tags_of_its_documents():
    index = {
        "docs": [
            {"location": "a/", "title": "A", "text": "<p>Plain <code class=in-index>x</code></p>"},
            {"location": "b/", "title": "B", "text": "<p>Plain <code class=in-index>x</code></p>"},
            {"location": "c/", "title": "<em>C</em>", "text": "No tags at all"},
        ]
    }
    vocabulary = Vocabulary()
    vocabulary.add_search_index(__import__("json").dumps(index))
    assert "in-index" in vocabulary.classes
    assert {"p", "code", "em"} <= vocabulary.elements
    assert trim(".in-index{x:y}.not-there{x:y}", vocabulary) == ".in-index{x:y}"


@pytest.mark.parametrize(
    ("css", "kept"),
    [
        ("a::before{content:''}", True),
        ("p::-webkit-scrollbar{width:0}", True),
        ("table::after{content:''}", False),
        ("svg|a{color:red}", True),
        ("*|p.admonition{color:red}", True),
        ("[xlink|title]{color:red}", False),
        ("[xlink|href]{color:red}", True),
        ('[data-md-color-scheme="default"]{color:red}', True),
        ("[class~=warning]{color:red}", True),
        (".\\61 dmonition{color:red}", True),
        ("p:nth-child(2n+1){color:red}", True),
        (":where(.mermaid,.tabbed-set){color:red}", False),
        (":has(> .tabbed-set){color:red}", False),
        ("#\\31 23{color:red}", False),
        ("@media screen{@media (min-width:1px){.tabbed-set{color:red}}}", False),
        ("@layer base;", True),
    ],
)
def test_selectors_are_read_as_css_reads_them(words, css, kept):
    assert (trim(css, words) == css) is kept


def test_kept_rules_are_copied_as_written_and_comments_between_them_dropped(words):
    css = "/*# sourceMappingURL=x.map */\n.admonition , p /* why */ {\n  color : red ;\n}\n"
    css += "@media print { .admonition { color: blue } .mermaid { color: red } }\n"
    assert trim(css, words) == (
        ".admonition , p /* why */ {\n  color : red ;\n}@media print {.admonition { color: blue }}"
    )


@pytest.mark.parametrize(
    "css",
    [".a{b{c}", '@font-face{src:url("x', ".a{x:url(a;b}", "/*/", "@media print{color:red}"],
)
def test_more_css_that_does_not_parse(words, css):
    with pytest.raises(CSSError):
        trim(css, words)


def test_careleafs_stylesheet_is_published_without_its_comments(sample_site):
    source = (ROOT / "careleaf/assets/careleaf.css").read_text()
    published = (sample_site / "assets/careleaf/careleaf.css").read_text()
    assert "/*" in source and "/*" not in published
    rules = tinycss2.parse_stylesheet(source, skip_comments=True, skip_whitespace=True)
    assert len(rules) == len(tinycss2.parse_stylesheet(published, skip_whitespace=True))
    assert len(published) < len(source)


def test_the_sites_own_stylesheets_lose_their_comments_and_keep_their_rules(tmp_path):
    site = _site(tmp_path, ".admonition{color:red}")
    own = site / "assets/stylesheets/clinic.css"
    own.write_text("/* why the teal is darker */\n:root { --teal: #00695c; }\n/* end */\n")
    broken = site / "assets/stylesheets/broken.css"
    broken.write_text("/* kept */ .a { color: red; } }")
    minified = site / "assets/stylesheets/vendor.min.css"
    minified.write_text("/*! licence */.b{color:blue}")
    licensed = site / "assets/stylesheets/vendor.css"
    licensed.write_text("/*! Vendor v1, MIT licence */\n/* a note */\n.c { color: green; }\n")
    deep = site / "assets/stylesheets/deep.css"
    deep.write_text(".a " + "{" * 100_000)  # nested too deep for tinycss2: left, no traceback
    results = strip_site_comments(site)
    assert [r.path for r in results] == [own, licensed]
    assert own.read_text() == ":root { --teal: #00695c; }\n"
    # A licence comment stays, as minifiers keep it.
    assert licensed.read_text() == "/*! Vendor v1, MIT licence */\n.c { color: green; }\n"
    assert broken.read_text() == "/* kept */ .a { color: red; } }"
    assert minified.read_text() == "/*! licence */.b{color:blue}"
    assert deep.read_text() == ".a " + "{" * 100_000
