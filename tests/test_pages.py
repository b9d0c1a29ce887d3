"""The pages careleaf makes, as a patient gets them: the comparison, "Which might suit me?",
booking and the review line near the top, the home page's list, and plain-text fields that
stay plain text whatever they hold."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml
from conftest import FIXTURES, ROOT, edit, mkdocs

from careleaf.clinic import Clinic
from careleaf.derive import derive_pages, plain_text
from careleaf.library import load_library
from careleaf.render import make_environment

EXTENSIONS = ["toc", "attr_list", "md_in_html", "admonition", "abbr", "tables", "def_list"]

PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "{: onclick=x}",
    "*em*",
    '"><b>bold</b>',
    "&#106;avascript:alert(1) `code` __strong__ ~~del~~ | cell | # head",
]


class _Html(HTMLParser):
    """The elements, attributes and text of some HTML, as a browser's tokenizer reads it."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    @property
    def words(self) -> str:
        return " ".join("".join(self.text).split())


def _markup(html: _Html) -> list[str]:
    """The elements of some HTML with their attributes' names, and each attribute that runs
    script (an event handler, a javascript: address)."""
    out = []
    for tag, attrs in html.tags:
        out.append(f"<{tag} {' '.join(sorted(attrs))}>")
        for name, value in attrs.items():
            address = name in ("href", "src", "action", "formaction", "xlink:href")
            if name.startswith("on") or (
                address and (value or "").strip().lower().startswith("javascript:")
            ):
                out.append(f"SCRIPT <{tag} {name}={value}>")
    return out


def _site_with(tmp_path: Path, payload: str) -> dict[str, str]:
    """The Markdown of every page careleaf makes for one treatment whose every plain-text
    field holds `payload`, and a clinic whose name and address hold it."""
    docs = tmp_path / "docs"
    (docs / "treatments").mkdir(parents=True)
    data = {
        "title": f"Peel {payload}",
        "summary": f"Summary {payload}",
        "category": f"Category {payload}",
        "keywords": [f"keyword {payload}"],
        "suits": [f"Suits {payload}"],
        "not_for": [f"Not for {payload}"],
        "facts": {f"key {payload}": f"value {payload}", "downtime": f"Downtime {payload}"},
        "review": {
            "reviewer": f"Reviewer {payload}",
            "reviewed": "2026-10-01",
            "next_review": "2027-10-01",
        },
        "sources": [{"id": "guide", "title": f"Source {payload}", "url": "https://example.org/"}],
    }
    body = (FIXTURES / "valid.md").read_text().split("---\n", 2)[2]
    front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    (docs / "treatments" / "peel.md").write_text(f"---\n{front}---\n{body}")
    library = load_library(docs, tmp_path)
    clinic = Clinic(f"Clinic {payload}", "+1 555 0100", "https://test.example/book", payload)
    return {p.src_uri: p.markdown for p in derive_pages(library, make_environment(), clinic)}


@pytest.mark.parametrize("payload", PAYLOADS)
def test_plain_text_fields_are_plain_text_on_every_page(tmp_path, payload):
    """Whatever Markdown or HTML a field holds, it shows as written and makes no markup: in
    the page, and in the front matter the theme prints into <meta> attributes as it is."""
    pages = _site_with(tmp_path / "payload", payload)
    plain = _site_with(tmp_path / "plain", "plain words")
    shown = " ".join(payload.split())
    for src_uri, page in pages.items():
        _, front, body = page.split("---\n", 2)
        html = _Html(markdown.markdown(body, extensions=EXTENSIONS))
        expected = _Html(
            markdown.markdown(plain[src_uri].split("---\n", 2)[2], extensions=EXTENSIONS)
        )
        # The same elements as with plain words in every field: the payload made none.
        assert _markup(html) == _markup(expected), src_uri
        for name, value in (yaml.safe_load(front) or {}).items():
            if isinstance(value, str):  # as the theme prints it: <meta name=... content="...">
                meta = _Html(f'<meta content="{value}">')
                assert meta.tags == [("meta", {"content": meta.tags[0][1]["content"]})], name
    treatment = _Html(
        markdown.markdown(pages["treatments/peel.md"].split("---\n", 2)[2], extensions=EXTENSIONS)
    ).words
    for field in ("Peel", "Summary", "Reviewer", "Source", "value", "Downtime"):
        assert f"{field} {shown}" in treatment
    # A fact's name is its label: '_' a space, a capital first.
    assert " ".join(f"key {payload}".replace("_", " ").capitalize().split()) in treatment
    assert f"Visit us at {shown}" in treatment
    for src_uri, words in (
        ("which-might-suit-me.md", ("Suits", "Not for")),
        ("compare.md", ("Downtime", "value")),
        ("treatments/index.md", ("Category", "Summary")),
    ):
        text = _Html(
            markdown.markdown(pages[src_uri].split("---\n", 2)[2], extensions=EXTENSIONS)
        ).words
        for word in words:
            assert f"{word} {shown}" in text, (src_uri, word)


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ("Dr A. Smith, dermatologist", "Dr A. Smith, dermatologist"),
        ("1. Not a list", "&#49;. Not a list"),
        ("- not a list", "&#45; not a list"),
        ("30 minutes", "30 minutes"),
        ("a\x02b\n\tc", "ab c"),
        ("https://clinic.example/book?a=1", "https://clinic.example/book?a=1"),
    ],
)
def test_plain_text_keeps_plain_words_readable(value, escaped):
    assert plain_text(value) == escaped


def test_clinic_details_in_mkdocs_yml_are_text_in_the_built_site(project):
    """Name and address from extra.clinic, through a whole build: text, never markup."""
    edit(
        project,
        "    name: Test Clinic\n",
        '    name: "Test <img src=x onerror=alert(1)> *em*"\n'
        '    address: "[x](javascript:alert(1)) {: onclick=x} <b>b</b>"\n',
        "mkdocs.yml",
    )
    result = mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    for file in (project / "site").rglob("*.html"):
        tags = {
            tag
            for tag, attrs in _Html(file.read_text()).tags
            # the QR codes of the handouts and the staff page are the site's own images
            if not (tag == "img" and "qr/" in (dict(attrs).get("src") or ""))
        }
        scripts = [x for x in _markup(_Html(file.read_text())) if x.startswith("SCRIPT")]
        assert not ({"img", "b"} & tags) and scripts == [], file
    page = _Html((project / "site/treatments/test-peel/index.html").read_text()).words
    assert "Test <img src=x onerror=alert(1)> *em* is a fictional clinic" in page
    assert "Visit us at [x](javascript:alert(1)) {: onclick=x} <b>b</b>" in page


SUITS = """\
suits: [Dull skin, Fine lines]
not_for: [Active acne, Pregnancy]
"""


@pytest.fixture
def three(project: Path) -> Path:
    """The small site with three treatments, each with facts, `suits` and `not_for`."""
    peel = project / "docs/treatments/test-peel.md"
    text = peel.read_text().replace("related: []\n", "related: []\n" + SUITS)
    text = text.replace(
        "  downtime: A day of redness\n",
        "  downtime: A day of redness\n  depth: The top layer\n  cost: Ask us\n",
    )
    peel.write_text(text)
    for slug, title, suits in (
        ("glow", "Glow Facial", "suits: [dull skin, Oily skin]\nnot_for: [Pregnancy]\n"),
        ("laser", "Laser Test", "suits: [Deep wrinkles]\nnot_for: [Sunburn]\n"),
    ):
        other = text.replace("title: Test Peel", f"title: {title}").replace(SUITS, suits)
        (project / f"docs/treatments/{slug}.md").write_text(other)
    return project


def _article(site: Path, path: str) -> str:
    html = (site / path).read_text()
    return html[html.index("<article") : html.index("</article>")]


def test_comparison_has_a_column_per_treatment_and_a_card_label_per_cell(three):
    result = mkdocs(three, "build", "--strict")
    assert result.returncode == 0, result.stderr
    article = _article(three / "site", "compare/index.html")
    html = _Html(article)
    columns = [a for tag, a in html.tags if tag == "th" and a.get("scope") == "col"]
    assert len(columns) == 4  # the facts' names, then the three treatments
    labels = {a.get("data-label") for tag, a in html.tags if tag == "td"}
    assert labels == {"Glow Facial", "Laser Test", "Test Peel"}
    for fact in ("How deep it works", "Session length", "Downtime", "Cost"):
        assert fact in html.words
    assert "The top layer" in html.words and "Ask us" in html.words


def test_which_might_suit_me_gathers_each_phrase_once(three):
    result = mkdocs(three, "build", "--strict")
    assert result.returncode == 0, result.stderr
    html = _Html(_article(three / "site", "which-might-suit-me/index.html"))
    words = html.words
    # "Dull skin" and "dull skin" are one phrase, with both treatments.
    assert "Dull skin: Glow Facial, Test Peel" in words
    assert "Pregnancy: Glow Facial, Test Peel" in words
    assert "Deep wrinkles: Laser Test" in words
    links = [a["href"] for tag, a in html.tags if tag == "a" and a.get("href")]
    assert "../treatments/laser/#who-should-avoid-it" in links
    nav = (three / "site/index.html").read_text()
    assert "which-might-suit-me/" in nav


def test_home_page_lists_every_treatment_where_its_marker_is(three):
    """A new treatment is on the home page with no edit to docs/index.md."""
    (three / "docs/index.md").write_text(
        "# Test Clinic\n\nA test site.\n\n## Call us\n\n<!-- careleaf: contact -->\n\n"
        "## Our treatments\n\n<!-- careleaf: treatments -->\n\nThe end.\n"
    )
    result = mkdocs(three, "build", "--strict")
    assert result.returncode == 0, result.stderr
    html = _Html(_article(three / "site", "index.html"))
    links = [a["href"] for tag, a in html.tags if tag == "a" and a.get("href")]
    assert links.index("tel:+15550100") < links.index("treatments/glow/")
    assert [x for x in links if x.startswith("treatments/")] == [
        "treatments/glow/",
        "treatments/laser/",
        "treatments/test-peel/",
    ]
    assert "careleaf:" not in (three / "site/index.html").read_text()
    assert html.words.endswith("The end.")


def test_a_page_without_a_marker_is_left_as_written(project):
    result = mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    html = _Html(_article(project / "site", "index.html"))
    assert not any(a.get("href", "").startswith("treatments/") for tag, a in html.tags)


def test_treatment_page_puts_booking_and_the_review_before_the_content(project):
    result = mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    article = _article(project / "site", "treatments/test-peel/index.html")
    review = article.index('class="cl-review"')
    book = article.index('class="cl-book"')
    first_section = article.index('id="what-it-is"')
    assert review < first_section and book < first_section
    words = _Html(article).words
    assert (
        "Reviewed by Clinic nurse (test role) on 1 October 2026 · Next review due 1 October 2027"
        in words
    )
    # Again at the end, with the words a reader searches for.
    end = _Html(article[article.index('id="contact"') :]).words
    assert "To book test peel, or to ask about its price and cost" in end
    assert "Call us on +1 555 0100" in end


def test_who_should_avoid_lists_the_sources_its_numbers_stand_for(project):
    edit(project, "- People with a cold sore on the face.", "- People with a cold sore [@guide].")
    result = mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    html = _Html(_article(project / "site", "who-should-avoid/index.html"))
    items = [a for tag, a in html.tags if tag == "li" and a.get("value")]
    assert [a["value"] for a in items] == ["1"]
    assert ("a", {"href": "https://example.org/guide"}) in html.tags
    assert "Sources for this list: A test guide" in html.words


def test_a_search_for_book_price_or_cost_finds_the_treatment_page(project):
    result = mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    index = json.loads((project / "site/search/search_index.json").read_text())
    for word in ("book", "price", "cost"):
        found = {d["location"].split("#")[0] for d in index["docs"] if word in d["text"].lower()}
        assert "treatments/test-peel/" in found, word


def test_sample_home_page_shows_the_clinic_and_its_treatments(sample_site):
    html = _Html(_article(sample_site, "index.html"))
    links = [a["href"] for tag, a in html.tags if tag == "a" and a.get("href")]
    assert "https://clinic.example/book" in links and "tel:+15550100000" in links
    assert "1 Sample Street, Exampletown" in html.words
    assert "treatments/microdermabrasion/" in links


def test_sample_copy_of_the_project_keeps_a_marker_out_of_the_published_html(sample_site):
    assert "careleaf: treatments" not in (sample_site / "index.html").read_text()


VNU = ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"


def _vnu() -> Path:
    """The W3C Nu HTML Checker pinned in package-lock.json, installed by `npm ci` if it is not
    yet (as `make test` does first), run on Debian's Java: its own Java download is skipped."""
    missing = [tool for tool in ("java", "npm") if shutil.which(tool) is None]
    if missing:
        message = (
            f"{' and '.join(missing)} not found: the HTML check needs Java and npm "
            "(apt-get install default-jre-headless npm)"
        )
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(f"!!! HTML CHECK NOT RUN: {message}")
    if not VNU.is_file():
        subprocess.run(
            ["npm", "ci", "--omit=dev", "--ignore-scripts", "--no-audit", "--no-fund"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            timeout=600,
        )
    return VNU


def test_every_page_passes_the_nu_html_checker(sample_site, three):
    """The sample site and a site with three treatments (the comparison's columns, the
    "Which might suit me?" guide, the home page's list): no error on any page."""
    vnu = _vnu()
    shutil.rmtree(three / "overrides")
    shutil.copytree(ROOT / "overrides", three / "overrides")  # the sample's theme overrides
    result = mkdocs(three, "build", "--strict")
    assert result.returncode == 0, result.stderr
    pages = sorted(sample_site.rglob("*.html")) + sorted((three / "site").rglob("*.html"))
    run = subprocess.run(
        ["java", "-jar", str(vnu), "--errors-only", "--format", "json", *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    messages = json.loads(run.stderr or run.stdout)["messages"]
    errors = [
        f"{m.get('url', '')}:{m.get('lastLine', '?')}: {m.get('message', '')}"
        for m in messages
        if m.get("type") in ("error", "non-document-error")
    ]
    assert len(pages) > 10
    assert errors == [], f"{len(errors)} errors:\n" + "\n".join(errors[:40])


def test_the_navigation_shows_titles_and_categories_as_text(project):
    """The theme prints nav titles into every page as they are: careleaf gives it text."""
    edit(project, "title: Test Peel", 'title: "Peel <b>bold</b> *em* & co"')
    other = (project / "docs/treatments/test-peel.md").read_text()
    other = other.replace("category: Skin resurfacing", 'category: "Peels <b>b</b>"')
    (project / "docs/treatments/other.md").write_text(other.replace("Peel <b>", "Other <b>"))
    with (project / "mkdocs.yml").open("a") as config:
        config.write("nav:\n  - Home: index.md\n  - Treatments: treatments/index.md\n")
    result = mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    html = (project / "site/index.html").read_text()
    tags = {tag for tag, _ in _Html(html).tags}
    assert "b" not in tags
    nav = _Html(html[html.index('<nav class="md-nav md-nav--primary"') :]).words
    assert "Peel <b>bold</b> *em* & co" in nav and "Peels <b>b</b>" in nav


def test_json_ld_holds_no_character_that_could_end_its_script(tmp_path):
    """`<!--<script>` in a title would keep the browser reading the JSON-LD past its end."""
    page = _site_with(tmp_path, "<!--<script></script>&")["treatments/peel.md"]
    start = page.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    data = page[start : page.index("</script>", start)]
    assert not {"<", ">", "&"} & set(data)
    assert json.loads(data)["name"] == "Peel <!--<script></script>&"
