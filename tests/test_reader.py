"""The reader agrees with the renderer: the same tricky pages given to careleaf's reader and to
Python-Markdown, configured as the sample site configures it, give the same headings, ids,
links and anchors; comments, code and raw HTML hold no sections, questions or citations."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import markdown
import pytest
from pymdownx.slugs import slugify as pymdownx_slugify

from careleaf.reader import CITATION, TocStyle, read_front_matter, read_markdown

EXTENSIONS = ["toc", "tables", "fenced_code", "attr_list", "md_in_html", "admonition", "abbr"]
EXTENSIONS += ["def_list"]


class Rendered(HTMLParser):
    """What a browser finds in rendered HTML: headings with ids, link targets, every id, and
    the `[@id]` citations a reader sees in the text (not in code or comments)."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[tuple[int, str]] = []
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.code = 0
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        if tag in ("code", "pre", "script", "style"):
            self.code += 1
            self.text.append("\x00")
        if len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            self.headings.append((int(tag[1]), str(found.get("id"))))
        if tag == "a" and "href" in found and "headerlink" not in (found.get("class") or ""):
            self.links.append(str(found["href"]))
        if tag == "img" and "src" in found:
            self.links.append(str(found["src"]))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("code", "pre", "script", "style"):
            self.code -= 1
            self.text.append("\x00")

    def handle_data(self, data: str) -> None:
        if self.code <= 0:
            self.text.append(data)

    def citations(self) -> list[tuple[str, ...]]:
        shown = "".join(self.text)
        return [
            tuple(re.findall(r"@([A-Za-z0-9_-]+)", m.group(1))) for m in CITATION.finditer(shown)
        ]


def rendered(text: str, **toc: object) -> Rendered:
    md = markdown.Markdown(extensions=EXTENSIONS, extension_configs={"toc": dict(toc)})
    parser = Rendered()
    parser.feed(md.convert(text))
    parser.close()
    return parser


TRICKY = {
    "anchors": "## Café au lait\n\n## Foo_bar\n\n## Notes\n\n## Notes\n\nText.\n",
    "explicit ids": "## Notes {#notes_1}\n\n## Notes\n\n## Notes\n\n## Q? {#q .x}\n\n## R {: #r }\n",
    "markup in headings": "## A `code` <b>bold</b> &amp; [link](x.md) *em* ##\n\n##Tight\n",
    "comments": "## Real\n\n<!--\n## Hidden\n\n### Also hidden {#h}\n-->\n\ntext <!-- [x](c.md) --> end\n",
    "fences": "## A\n\n```\n## not a heading\n[x](code.md)\n```\n\n````\n```\n## still code\n````\n",
    "indented fence is text": "- item\n\n    ```\n    [y](in-list.md)\n    ```\n\n## After\n",
    "unclosed fence is text": "## A\n\n```\nnot code [z](z.md)\n\n## B\n",
    "indented code": "## A\n\n    ## not a heading\n    [x](no.md)\n\n## B\n",
    "inline code": "## A\n\nSee `[x](no.md)` and [y](yes.md#top).\n",
    "raw html block": "text\n\n<div>\n\n## Not a section\n\n[x](no.md)\n\n</div>\n\n## After\n",
    "markdown in html": '<div markdown>\n\n## Inside\n\n[x](in.md)\n\n</div>\n\n<p id="raw">a</p>\n',
    "links": (
        '## L\n\n[a](a.md#x "title") ![i](img.png) <https://example.org/> [r][ref]\n'
        '<a href="raw.md#y">raw</a>\n\n[ref]: other.md#z\n'
    ),
    "admonition": '!!! warning "Check"\n\n    Inside [w](w.md).\n\n## After\n',
    "setext": "Title\n=====\n\nSub\n---\n\n## Sub\n",
    "heading in a list": "- item\n\n    ## In list\n\n## After\n",
    "comment then text": "<!-- c --> text [a](a.md)\n\n## H\n",
    "image in heading": "## ![alt](i.png) Photo\n",
    "e-mail autolink": "<mailto:a@b.example> <a@b.example>\n",
    "seven marks": "####### Seven\n",
    "quote": "> ## In quote\n> [q](q.md)\n\n## After\n",
    "script and pre": "<script>\n## x\n</script>\n\n<pre>\n## y\n\n[a](a.md)\n</pre>\n\n## z\n",
    "entities and trailing marks": "## Tom &amp; Jerry &copy;\n\n## C# ##\n\n## C#\n",
    "tags as Python-Markdown reads them": 'Hi <span/id="s">x</span> <a@b.example> [a](a.md)\n',
    "attribute list in code": "## Use `{#x}` {#real}\n\n## A\n\n## B {#a}\n",
}


def agree(text: str) -> None:
    """The reader and the renderer find the same headings, ids, links and anchors; so does
    the reader when it reads ids only."""
    reading = read_markdown(text)
    html = rendered(text)
    assert [(h.level, h.id) for h in reading.headings] == html.headings
    assert sorted(link.target for link in reading.links) == sorted(html.links)
    assert reading.anchors == html.ids
    ids = read_markdown(text, ids_only=True)
    assert (ids.anchors, ids.headings) == (reading.anchors, reading.headings)


@pytest.mark.parametrize("name", TRICKY)
def test_reader_and_renderer_agree_on_headings_ids_and_links(name: str) -> None:
    agree(TRICKY[name])


def test_ids_follow_the_sites_own_slugify_and_separator() -> None:
    text = "## Café au lait\n\n## Foo bar\n\n## Foo bar\n"
    style = TocStyle(pymdownx_slugify(case="lower"), "_")
    reading = read_markdown(text, style)
    html = rendered(text, slugify=pymdownx_slugify(case="lower"), separator="_")
    assert [(h.level, h.id) for h in reading.headings] == html.headings
    assert [h.id for h in reading.headings] == ["café_au_lait", "foo_bar", "foo_bar_1"]


def test_citations_in_code_and_comments_are_not_citations() -> None:
    reading = read_markdown("A [@a].\n\n`[@b]` <!-- [@c] -->\n\n```\n[@d]\n```\n\n    [@e]\n")
    assert [m.ids for m in reading.citations] == [("a",)]


def test_lines_and_columns_are_the_files() -> None:
    reading = read_markdown("## A\n\nOne [@a] and\n  two [x](y.md).\n", first_line=10)
    assert [(m.line, m.column) for m in reading.citations] == [(12, 5)]
    assert [(link.target, link.line, link.column) for link in reading.links] == [("y.md", 13, 11)]
    assert [(h.text, h.line) for h in reading.headings] == [("A", 10)]


def test_malformed_citations_are_noted_where_they_are() -> None:
    reading = read_markdown("x [@ a] y [@b, p. 4] z \\[@c]\n")
    assert reading.malformed_citations == [(1, 3), (1, 11)]
    assert reading.citations == []


def test_prose_leaves_out_code_html_targets_and_attribute_lists() -> None:
    reading = read_markdown(
        "Words `code` <b>bold</b> [link](x.md){: .c } ![alt](i.png).\n{: .lead }\n\n"
        "*[HTML]: Hyper Text\n\n| a | b |\n|---|---|\n| c | d |\n"
    )
    texts = [(b.kind, [t for _, t in b.parts]) for b in reading.blocks]
    assert texts[0] == ("paragraph", ["Words  bold link ."])
    assert ("cell", ["c"]) in texts
    assert not any("Hyper" in t for _, parts in texts for t in parts)


def test_front_matter_keeps_lines_and_dates_as_text() -> None:
    front = read_front_matter("---\ntitle: X\nreview:\n  reviewed: 2026-02-30\n---\nbody\n")
    assert front is not None and front.body_start == 6
    assert front.data["review"]["reviewed"] == "2026-02-30"
    assert front.line_of(["review", "reviewed"]) == 4


def test_unclosed_front_matter_and_none_are_told_apart() -> None:
    assert read_front_matter("# no front matter\n") is None
    front = read_front_matter("---\ntitle: X\n")
    assert front is not None and front.body_start == 0


@pytest.mark.parametrize(
    "text",
    [
        "[" * 20000,
        "<!--" * 5000,
        "`" * 20000,
        "## " + "{" * 5000,
        "<div>" * 3000,
        "[a](" * 5000,
        "*" * 20000,
        "- " * 5000,
        "> " * 5000 + "x",
        "<a" * 20000,
        "```py\ntext\n" * 3000,
        "see [@ a] here\n" * 3000,
        "<hr\n" * 3000,
        "<!--" + "x" * 20000,
    ],
)
def test_hostile_lines_are_read_without_error(text: str) -> None:
    read_markdown(text)


def test_a_link_in_a_table_cell_is_where_it_is_written() -> None:
    text = "| a \\| b [x](y.md) | [x](y.md) |\n|---|---|\n| c | d |\n"
    reading = read_markdown(text)
    assert [(link.line, link.column) for link in reading.links] == [(1, 14), (1, 26)]
    assert all(text[x.offset : x.offset + len(x.target)] == x.target for x in reading.links)


def test_definitions_are_read_where_the_parser_found_them() -> None:
    text = "Text [a][r].\n\n[r]: one.md#x\n\n```\n[r]: code.md\n```\n\n    [r]: indented.md\n"
    found = [(x.target, x.line, x.kind) for x in read_markdown(text).links]
    assert found == [("one.md#x", 3, "definition")]
