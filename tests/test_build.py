"""Whole builds, as the clinic's web person runs them: the HTML a patient gets, and bad input."""

from __future__ import annotations

import json
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import edit, mkdocs

from careleaf.model import SECTIONS


class _Page(HTMLParser):
    """The ids, links, JSON-LD and text of one built page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.meta: dict[str, str] = {}
        self._script: dict[str, str | None] | None = None
        self._script_text = ""
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])
        if tag == "meta" and a.get("name"):
            self.meta[a["name"]] = a.get("content") or ""
        if tag == "script":
            self._script, self._script_text = a, ""

    def handle_data(self, data):
        if self._script is not None:
            self._script_text += data

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, self._script_text))
            self._script = None


def page(site: Path, path: str) -> tuple[str, _Page]:
    html = (site / path).read_text()
    return html, _Page(html)


TREATMENT = "treatments/microdermabrasion/index.html"


def test_treatment_page_shows_every_section_in_order(sample_site):
    html, parsed = page(sample_site, TREATMENT)
    anchors = [s.anchor for s in SECTIONS]
    assert set(anchors) <= parsed.ids
    positions = [html.index(f'id="{a}"') for a in anchors]
    assert positions == sorted(positions)
    for extra in ("at-a-glance", "sources", "review", "contact"):
        assert extra in parsed.ids


def test_who_should_avoid_is_a_warning_callout(sample_site):
    html, _ = page(sample_site, TREATMENT)
    section = html[html.index('id="who-should-avoid-it"') :]
    section = section[: section.index('id="risks-and-side-effects"')]
    assert 'class="admonition warning cl-avoid"' in section
    assert "cold sore" in section.lower()


def test_faq_answers_have_stable_anchors(sample_site):
    _, parsed = page(sample_site, TREATMENT)
    for anchor in ("is-it-painful", "how-many-sessions", "dark-skin", "laser-or-peel"):
        assert anchor in parsed.ids


def test_citations_link_to_listed_sources(sample_site):
    _, parsed = page(sample_site, TREATMENT)
    cited = {h[len("#") :] for h in parsed.hrefs if h.startswith("#source-")}
    assert cited and cited <= parsed.ids


def test_review_line_and_clinic_call_to_action(sample_site):
    html, parsed = page(sample_site, TREATMENT)
    text = unescape(re.sub(r"<[^>]+>", "", html))
    assert (
        "Reviewed by Clinic dermatologist (sample role) on 25 November 2026 · "
        "Next review due 25 November 2027" in text
    )
    assert "tel:+15550100000" in parsed.hrefs
    assert "https://clinic.example/book" in parsed.hrefs
    assert "Information, not a diagnosis" in html
    assert "fictional" in text


def test_json_ld_is_a_medical_web_page(sample_site):
    _, parsed = page(sample_site, TREATMENT)
    blocks = [text for attrs, text in parsed.scripts if attrs.get("type") == "application/ld+json"]
    assert len(blocks) == 1
    data = json.loads(blocks[0])
    assert data["@type"] == "MedicalWebPage"
    assert data["lastReviewed"] == "2026-11-25"
    assert data["reviewedBy"]["jobTitle"].startswith("Clinic dermatologist")
    assert data["about"] == {
        "@type": "MedicalProcedure",
        "name": "Microdermabrasion",
        "description": data["description"],
    }
    assert data["url"] == "https://clinic.example/treatments/microdermabrasion/"


def test_meta_description_comes_from_the_summary(sample_site):
    _, parsed = page(sample_site, TREATMENT)
    assert parsed.meta["description"].startswith("A gentle skin treatment")


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("treatments/index.html", ["Microdermabrasion", "Skin resurfacing"]),
        ("faq/index.html", ["Is it painful?"]),
        ("who-should-avoid/index.html", ["Microdermabrasion", "cold sore"]),
        ("compare/index.html", ["Session length", "Microdermabrasion"]),
    ],
)
def test_derived_pages_exist(sample_site, path, words):
    # The words as a reader sees them: a glossary tooltip (<abbr>) may sit inside a phrase.
    text = re.sub(r"<[^>]+>", "", (sample_site / path).read_text())
    for word in words:
        assert word.lower() in text.lower()


def test_faq_hub_links_to_each_answer(sample_site):
    _, parsed = page(sample_site, "faq/index.html")
    assert "../treatments/microdermabrasion/#is-it-painful" in parsed.hrefs
    _, treatment = page(sample_site, TREATMENT)
    faq_links = [h for h in parsed.hrefs if h.startswith("../treatments/microdermabrasion/#")]
    assert len(faq_links) >= 6
    assert {h.split("#")[1] for h in faq_links} <= treatment.ids


def test_who_should_avoid_page_cites_sources_on_the_treatment_page(sample_site):
    _, parsed = page(sample_site, "who-should-avoid/index.html")
    assert any(h.startswith("../treatments/microdermabrasion/#source-") for h in parsed.hrefs)


def test_search_index_finds_patients_words(sample_site):
    index = json.loads((sample_site / "search/search_index.json").read_text())
    docs = [d for d in index["docs"] if d["location"].startswith("treatments/microdermabrasion/")]
    text = " ".join(d["title"] + " " + d["text"] for d in docs).lower()
    for words in ("dark spots", "acne scars", "age spots", "large pores"):
        assert words in text
    assert any(d.get("boost") == 2 for d in docs)
    assert not any("application/ld+json" in d["text"] or "@context" in d["text"] for d in docs)


def test_no_request_leaves_the_site(sample_site):
    external = re.compile(r'(?:src|href)="(?:https?:)?//')
    for html_file in sample_site.rglob("*.html"):
        html = html_file.read_text()
        for tag in re.findall(r"<(?:script|link|img|iframe|source)\b[^>]*>", html):
            if external.search(tag) and not re.search(r'rel="(?:canonical|alternate)"', tag):
                pytest.fail(f"{html_file.relative_to(sample_site)} loads from elsewhere: {tag}")


def test_editor_file_is_not_published_as_is(sample_site):
    html, _ = page(sample_site, TREATMENT)
    assert "[@statpearls]" not in html and "{#is-it-painful}" not in html


# --- bad input: one line, and the earlier site survives ----------------------------------

BAD_INPUT = [
    (
        "summary: A mild peel used only in careleaf's tests.",
        "summary: [unclosed",
        "docs/treatments/test-peel.md:4: front-matter-syntax:",
    ),
    (
        "summary: A mild peel used only in careleaf's tests.\n",
        "",
        "docs/treatments/test-peel.md:1: field-missing:",
    ),
    ("## Benefits", "## Benfits", "docs/treatments/test-peel.md:28: section-unknown:"),
    ("{#how-long}", "{#does-it-hurt}", "docs/treatments/test-peel.md:50: faq-duplicate-id:"),
    (
        "reviewed: 2026-10-01",
        "reviewed: 2026-13-01",
        "docs/treatments/test-peel.md:12: date-invalid:",
    ),
    (
        "next_review: 2027-10-01",
        "next_review: 2026-09-01",
        "docs/treatments/test-peel.md:13: review-dates-order:",
    ),
    ("dead skin [@guide]", "dead skin [@nope]", "docs/treatments/test-peel.md:26: source-unknown:"),
]


@pytest.mark.parametrize(("old", "new", "line"), BAD_INPUT)
def test_bad_input_fails_with_one_line_and_keeps_the_earlier_site(project, old, new, line):
    good = mkdocs(project, "build", "--strict")
    assert good.returncode == 0, good.stderr
    before = {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}

    treatment = project / "docs/treatments/test-peel.md"
    treatment.write_text(treatment.read_text().replace(old, new, 1))
    bad = mkdocs(project, "build", "--strict")

    assert bad.returncode != 0
    assert "Traceback" not in bad.stderr
    lines = [x for x in bad.stderr.splitlines() if "docs/treatments/" in x]
    assert len(lines) == 1 and line in lines[0], bad.stderr
    after = {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in project.iterdir()) == ["docs", "mkdocs.yml", "overrides", "site"]


def test_a_warning_fails_a_strict_build_and_keeps_the_earlier_site(project):
    assert mkdocs(project, "build", "--strict").returncode == 0
    index = (project / "site/index.html").read_bytes()
    treatment = project / "docs/treatments/test-peel.md"
    treatment.write_text(treatment.read_text().replace(" {#how-long}", ""))
    bad = mkdocs(project, "build", "--strict")
    assert bad.returncode != 0
    assert "docs/treatments/test-peel.md:50: faq-id-missing:" in bad.stderr
    assert (project / "site/index.html").read_bytes() == index
    assert not list(project.glob(".site*"))


def test_a_template_override_replaces_the_page_layout(project):
    override = project / "overrides/careleaf/faq.md.j2"
    override.parent.mkdir(parents=True)
    override.write_text("---\ndescription: x\n---\n\n# Our answers\n\nCustom FAQ hub.\n")
    result = mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    assert "Custom FAQ hub." in (project / "site/faq/index.html").read_text()


def test_a_broken_template_override_is_one_line_with_its_file_and_line(project):
    override = project / "overrides/careleaf/faq.md.j2"
    override.parent.mkdir(parents=True)
    override.write_text("# FAQ\n\n{{ library.nothing_here }}\n")
    result = mkdocs(project, "build", "--strict")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "overrides/careleaf/faq.md.j2:3: template-error:" in result.stderr


def test_glossary_terms_are_tooltips_except_the_pages_own_subject(sample_site):
    html, _ = page(sample_site, TREATMENT)
    assert re.search(r'<abbr title="[^"]+">Cold sores?</abbr>', html, re.IGNORECASE)
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)
    assert "<abbr" not in h1
    glossary = (sample_site / "glossary/index.html").read_text()
    assert "Microdermabrasion" in glossary
    assert not (sample_site / "glossary.yml").exists()


def test_many_treatments_are_grouped_by_category_in_the_nav(project):
    """Each page carries its own category's links (navigation.prune), not the whole library's."""
    edit(
        project,
        "  custom_dir: overrides\n",
        "  custom_dir: overrides\n  features: [navigation.indexes, navigation.prune]\n",
        "mkdocs.yml",
    )
    with (project / "mkdocs.yml").open("a") as config:
        config.write("nav:\n  - Home: index.md\n  - Treatments: treatments/index.md\n")
    folder = project / "docs/treatments"
    valid = (folder / "test-peel.md").read_text()
    for slug, title in (("light-peel", "Light Peel"), ("deep-peel", "Deep Peel")):
        text = valid.replace("title: Test Peel", f"title: {title}", 1)
        (folder / f"{slug}.md").write_text(
            text.replace("category: Skin resurfacing", "category: Peels", 1)
        )
    result = mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr

    def nav_links(path: str) -> set[str]:
        html = (project / "site" / path).read_text()
        start = html.index('class="md-nav md-nav--primary"')
        nav = html[start : html.index('class="md-sidebar md-sidebar--secondary"', start)]
        return set(re.findall(r'href="[./]*treatments/([a-z-]+)/"', nav)) | set(
            re.findall(r'href="\.\./([a-z-]+)/"', nav)
        )

    light = (project / "site/treatments/light-peel/index.html").read_text()
    assert re.search(r">\s*Peels\s*<", light)
    assert nav_links("treatments/light-peel/index.html") >= {"deep-peel"}
    assert "light-peel" not in nav_links("treatments/test-peel/index.html")
    cards = (project / "site/treatments/index.html").read_text()
    assert all(f"{slug}/" in cards for slug in ("light-peel", "deep-peel", "test-peel"))


def test_links_in_who_should_avoid_work_where_it_is_gathered(project):
    """A link or #anchor written for the treatment page also works on the who-should-avoid page."""
    treatment = project / "docs/treatments/test-peel.md"
    treatment.write_text(
        treatment.read_text().replace(
            "- People with a cold sore on the face.",
            "- People with a cold sore on the face. See [the risks](#risks-and-side-effects)"
            " and [our home page](../index.md).",
        )
    )
    result = mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    html = (project / "site/who-should-avoid/index.html").read_text()
    assert 'href="../treatments/test-peel/#risks-and-side-effects"' in html
    assert 'href="../"' in html


def test_clinic_details_are_text_on_the_page(project):
    """Details from mkdocs.yml are shown as written, never run as HTML."""
    edit(
        project,
        "    fictional: true\n",
        '    fictional: true\n    address: "1 Test Road <img src=x onerror=alert(9)>"\n',
        "mkdocs.yml",
    )
    result = mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    html = (project / "site/treatments/test-peel/index.html").read_text()
    assert "<img src=x" not in html and "1 Test Road &#60;img src=x" in html


def test_links_are_checked_against_the_anchors_a_sites_own_template_makes(project):
    """A site's faq.md.j2 names its sections its own way: links follow it, not careleaf's."""
    from click.testing import CliRunner

    from careleaf.cli import main

    (project / "overrides/careleaf").mkdir()
    (project / "overrides/careleaf/faq.md.j2").write_text(
        "# Questions\n\n{% for t in library.treatments %}\n## About {{ t.title }} {{ ('about-' ~ t.slug) | md_id }}\n{% endfor %}\n"
    )
    (project / "docs/index.md").write_text(
        "# Test Clinic\n\n[Questions about the peel](faq.md#about-test-peel).\n"
    )

    def check() -> list[dict[str, str]]:
        result = CliRunner().invoke(
            main, ["check", "-f", str(project / "mkdocs.yml"), "--format", "json"]
        )
        return json.loads(result.stdout)

    assert check() == []
    (project / "docs/index.md").write_text(
        "# Test Clinic\n\n[Questions about the peel](faq.md#test-peel).\n"
    )
    assert [(f["path"], f["line"], f["rule"]) for f in check()] == [
        ("docs/index.md", 3, "anchor-broken")
    ]
