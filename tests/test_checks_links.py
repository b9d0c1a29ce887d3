"""Links and anchors, and safe HTML."""

from __future__ import annotations

from pathlib import Path

import pytest
from sitekit import line_of, rules, site, treatment, with_section

INDEX = "# Home\n\n{}\n"


@pytest.mark.parametrize(
    "link",
    [
        "[peel](treatments/test-peel.md)",
        "[answer](treatments/test-peel.md#does-it-hurt)",
        "[source](treatments/test-peel.md#source-guide)",
        "[section](treatments/test-peel.md#who-should-avoid-it)",
        "[all](treatments/index.md)",
        "[faq](faq.md#test-peel)",
        "[avoid](who-should-avoid.md)",
        "[compare](compare.md)",
        "[glossary](glossary.md)",
        "[top](#home)",
        "[web](https://www.nhs.uk/conditions/)",
        "[mail](mailto:hello@clinic.example)",
        "<https://clinic.example/book>",
        "`[not a link](nowhere.md)`",
    ],
)
def test_good_links_pass(tmp_path: Path, link: str) -> None:
    assert site(tmp_path, files={"index.md": INDEX.format(link)}).findings == []


@pytest.mark.parametrize(
    ("link", "rule"),
    [
        ("[peel](treatments/test-pel.md)", "link-broken"),
        ("[answer](treatments/test-peel.md#does-it-hurts)", "anchor-broken"),
        ("[source](treatments/test-peel.md#source-nope)", "anchor-broken"),
        ("[faq](faq.md#nope)", "anchor-broken"),
        ("[top](#nowhere)", "anchor-broken"),
        ("[abs](/faq/)", "link-broken"),
        ("[www](www.nhs.uk)", "link-broken"),
        ("[web](https://)", "link-malformed"),
        ("[web](https://nhs..uk/)", "link-malformed"),
        ("[web](htps://nhs.uk/)", "link-malformed"),
        ('<a href="http://bad_host/">x</a>', "link-malformed"),
    ],
)
def test_bad_links_fail_with_their_line(tmp_path: Path, link: str, rule: str) -> None:
    found = site(tmp_path, files={"index.md": INDEX.format(link)}).findings
    assert [(f.rule, f.line) for f in found] == [(rule, 3)]


def test_a_broken_link_suggests_the_page(tmp_path: Path) -> None:
    found = site(tmp_path, files={"index.md": INDEX.format("[x](treatments/test-pel.md)")})
    assert "treatments/test-peel.md" in found.findings[0].message


def test_links_in_treatments_are_checked(tmp_path: Path) -> None:
    text = treatment(with_section("See [the answer](#does-it-hurt) and [this](#nope)."))
    found = site(tmp_path, text).findings
    assert [(f.rule, f.line) for f in found] == [("anchor-broken", line_of(text, "#nope"))]


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        '<iframe src="https://video.example/"></iframe>',
        '<object data="x.swf"></object>',
        '<embed src="x.swf">',
        '<img src="x.png" onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
    ],
)
def test_unsafe_html_is_an_error(tmp_path: Path, html: str) -> None:
    text = treatment(with_section(html))
    found = [f for f in site(tmp_path, text).findings if f.rule == "html-unsafe"]
    assert [(f.line, f.severity) for f in found] == [(line_of(text, html), "error")]


@pytest.mark.parametrize(
    "html",
    [
        '<span class="note">Safe</span>',
        "Use `<script>` in code only.",
        "```html\n<script>alert(1)</script>\n```",
        "The one-off price is online.",
        "<!-- <script>alert(1)</script> was here -->",
        "<!--\n<img src=x onerror=alert(1)>\n-->",
    ],
)
def test_safe_html_passes(tmp_path: Path, html: str) -> None:
    assert "html-unsafe" not in rules(site(tmp_path, treatment(with_section(html))).findings)


@pytest.mark.parametrize(
    ("html", "line_with"),
    [
        # A tag's attributes, or a link's address, over two lines.
        ('<p class="note"\n   onmouseover="alert(1)">Hover here.</p>', "onmouseover"),
        ('<a href="java\nscript:alert(1)">Click</a>', "java"),
        # A fence indented by a space is not code on the page: what it holds is checked.
        (" ```\n\n<script>alert(1)</script>\n\n ```", "<script>"),
        ("Hello <svg/onload=alert(1)> there.", "svg"),
        # An unclosed comment is text on the page: what follows it is read.
        ("A note <!-- to do\n\n<img src=x onerror=alert(7)>", "onerror"),
        ("<!--> <img src=x onerror=alert(3)> -->", "onerror"),
        # Backticks inside a block of raw HTML are text, not code.
        ("<div>\n`<img src=x onerror=alert(4)>`\n</div>", "onerror"),
        # A fence is closed only by the very same fence: here nothing is code.
        ("```\n\n<img src=x onerror=alert(12)>\n\n````", "onerror"),
    ],
)
def test_html_the_page_would_run_is_found(tmp_path: Path, html: str, line_with: str) -> None:
    text = treatment(with_section(html))
    found = [f for f in site(tmp_path, text).findings if f.rule == "html-unsafe"]
    assert [f.line for f in found] == [line_of(text, line_with)]


def test_unsafe_html_in_a_folded_summary_is_found(tmp_path: Path) -> None:
    text = treatment().replace(
        "summary: A mild peel used in tests.",
        'summary: >-\n  A mild <b\n  onclick="alert(1)">peel</b> used in tests.',
    )
    found = [f for f in site(tmp_path, text).findings if f.rule == "html-unsafe"]
    assert found and {f.line for f in found} <= {
        line_of(text, "summary:"),
        line_of(text, "onclick"),
    }


@pytest.mark.parametrize(
    "url", ["https://", "https://www.ncbi .nlm.nih.gov/books/", "ftp://example.org/guide"]
)
def test_a_sources_address_must_be_a_web_address(tmp_path: Path, url: str) -> None:
    text = treatment().replace("url: https://example.org/guide", f'url: "{url}"')
    found = [f for f in site(tmp_path, text).findings if f.rule == "link-malformed"]
    assert [f.line for f in found] == [line_of(text, "url:")]


def test_an_address_in_another_script_is_well_formed(tmp_path: Path) -> None:
    text = treatment(with_section("See [a shop](https://bücher.de/)."))
    assert "link-malformed" not in rules(site(tmp_path, text).findings)


def test_a_line_of_unclosed_links_is_read_at_once(tmp_path: Path) -> None:
    """A pasted run of '[a](' once made the check take minutes; it must still end."""
    import time

    text = treatment(with_section("[a](" * 3000))
    start = time.perf_counter()
    site(tmp_path, text)
    assert time.perf_counter() - start < 20


def test_html_written_with_yaml_escapes_in_any_field_is_found(tmp_path: Path) -> None:
    text = treatment(extra='facts:\n  cost: "\\x3cimg src=x onerror=alert(5)\\x3e Prices vary."\n')
    found = [f for f in site(tmp_path, text).findings if f.rule == "html-unsafe"]
    assert [f.line for f in found] == [line_of(text, "facts:")]


def test_ids_with_dots_and_colons_are_anchors(tmp_path: Path) -> None:
    page = "# News\n\n## Prices for 2026 {#prices-2026.1}\n\nSee [the prices](#prices-2026.1).\n"
    assert "anchor-broken" not in rules(site(tmp_path, files={"news.md": page}).findings)


def test_a_long_run_of_spaces_is_read_at_once(tmp_path: Path) -> None:
    """`= ` then thousands of spaces once made the javascript: rule backtrack for seconds."""
    import time

    text = treatment(with_section("a =" + " " * 30000 + "x"))
    start = time.perf_counter()
    site(tmp_path, text)
    assert time.perf_counter() - start < 20
