"""`mkdocs serve` as an editor uses it: an edit to a template override shows without a restart."""

from __future__ import annotations

import pytest
from conftest import mkdocs
from serving import get, serving, wait_for


@pytest.mark.parametrize("options", [(), ("--dirty",)], ids=["serve", "serve --dirty"])
def test_serve_reloads_an_edited_template_override(project, options):
    """`make serve` runs `mkdocs serve --dirty`: only what changed is built again, and every
    page an edit changes (a treatment's page, the questions page) shows it."""
    override = project / "overrides/careleaf/faq.md.j2"
    override.parent.mkdir(parents=True)
    override.write_text("# Answers\n\nFirst version.\n")
    with serving(project, *options) as base:
        url = f"{base}faq/"
        assert "First version." in wait_for(url, "First version.")
        override.write_text("# Answers\n\nSecond version.\n")
        assert "Second version." in wait_for(url, "Second version.")
        treatment = project / "docs/treatments/test-peel.md"
        treatment.write_text(
            treatment.read_text().replace("About 30 minutes.", "About 45 minutes.")
        )
        page = wait_for(f"{base}treatments/test-peel/", "About 45 minutes.")
        assert "About 45 minutes." in page
        override.unlink()  # careleaf's own questions page again, listing each question
        assert "Does it hurt?" in wait_for(url, "Does it hurt?")
        treatment.write_text(treatment.read_text().replace("Does it hurt?", "Will it sting?"))
        assert "Will it sting?" in wait_for(url, "Will it sting?")


# The panels as the page's HTML holds them (their stylesheet names them too).
PANEL = '<div class="careleaf-problems '
ERROR_PANEL = '<div class="careleaf-problems careleaf-problems-error"'
WARNING_PANEL = '<div class="careleaf-problems careleaf-problems-warning"'


def test_a_content_error_shows_on_its_page_and_the_preview_keeps_serving(project):
    """`make serve` with `strict: true`: an error shows as a panel on its page, with the
    line's text, every other page keeps loading, and a fix takes the panel away. A warning is
    a smaller panel; a problem in a file that is not a page shows on every page."""
    config = project / "mkdocs.yml"
    config.write_text(config.read_text() + "strict: true\n")
    treatment = project / "docs/treatments/test-peel.md"
    good = treatment.read_text()
    with serving(project, "--dirty") as base:
        page = f"{base}treatments/test-peel/"
        assert "A mild peel that takes off dead skin" in wait_for(page, "A mild peel")
        assert PANEL not in get(page)

        treatment.write_text(good.replace("## Benefits", "## Benfits"))
        shown = wait_for(page, ERROR_PANEL)
        assert (
            "docs/treatments/test-peel.md:28: section-unknown: unknown section "
            "&#x27;Benfits&#x27;: did you mean &quot;Benefits&quot;?"
        ) in shown
        assert "  28 | ## Benfits" in shown
        # Above the page as it was before the problem.
        assert "The page as it was before this problem" in shown
        assert "Skin may feel smoother" in shown
        for other in ("", "faq/", "treatments/", "compare/", "glossary/"):
            other_page = get(base + other, timeout=10)
            assert "</html>" in other_page, other
            assert PANEL not in other_page, other

        treatment.write_text(good.replace(" {#how-long}", ""))
        shown = wait_for(page, WARNING_PANEL)
        assert ERROR_PANEL not in shown
        assert "test-peel.md:50: faq-id-missing:" in shown
        assert "About 30 minutes." in shown  # a warning leaves the page as it is

        (project / "docs/glossary.yml").write_text("Peel: [\n")
        home = wait_for(base, "glossary-syntax")
        assert ERROR_PANEL in home and "A test site." in home
        (project / "docs/glossary.yml").unlink()
        # A template that fails: the pages made before stay, each with the template's problem.
        template = project / "overrides/careleaf/faq.md.j2"
        template.parent.mkdir()
        template.write_text("# Questions\n\n{{ nope( }}\n")
        questions = wait_for(f"{base}faq/", "faq.md.j2:3: template-syntax:")
        assert ERROR_PANEL in questions and "Does it hurt?" in questions
        template.unlink()
        treatment.write_text(good)
        for fixed in (page, base):
            assert PANEL not in wait_for(fixed, PANEL, gone=True)
        assert "Skin may feel smoother" in get(page)


def test_a_build_never_shows_the_panels(project):
    """The panels are the preview's: a build that publishes with a warning (not strict) logs
    it and shows nothing of it on the page."""
    treatment = project / "docs/treatments/test-peel.md"
    treatment.write_text(treatment.read_text().replace(" {#how-long}", ""))
    config = project / "mkdocs.yml"  # and a warning on a file that is not a page
    config.write_text(config.read_text().replace("site_url: https://test.example/\n", ""))
    build = mkdocs(project, "build")
    assert build.returncode == 0, build.stderr
    assert "test-peel.md:50: faq-id-missing:" in build.stderr
    assert "mkdocs.yml:1: site-url-missing:" in build.stderr
    pages = list((project / "site").rglob("*.html"))
    assert len(pages) > 5
    for page in pages:
        assert "careleaf-problems" not in page.read_text(), page


@pytest.mark.parametrize("options", [(), ("--dirty",)], ids=["serve", "serve --dirty"])
@pytest.mark.parametrize(
    ("path", "broken", "shown", "expected"),
    [
        # A value MkDocs refuses, YAML it cannot read, and a theme template that fails while
        # the pages are being written.
        (
            "mkdocs.yml",
            "site_url: https://test.example/\n",
            "site_url: [1, 2]\n",
            "mkdocs.yml:2: config-invalid: Config value &#x27;site_url&#x27;: Expected a string",
        ),
        (
            "mkdocs.yml",
            "theme:\n",
            "theme: [\n",
            "MkDocs encountered an error parsing the configuration file",
        ),
        (
            "overrides/main.html",
            "",
            '{% extends "base.html" %}{% block content %}{{ 1 // 0 }}{% endblock %}',
            "integer division or modulo by zero",
        ),
    ],
    ids=["refused", "unreadable", "template fails"],
)
def test_what_stops_a_rebuild_pauses_the_preview_and_a_fix_brings_it_back(
    project, options, path, broken, shown, expected
):
    """MkDocs stops rebuilding while mkdocs.yml is wrong or a template fails; careleaf's
    preview says why on every page instead of showing the last pages as if nothing happened
    (or none at all), and comes back once fixed. Nothing of it is left when serve stops."""
    if options and path.endswith(".html"):
        # `serve --dirty` writes again only the pages whose file changed, not for a theme
        # template: nothing fails, and the preview shows the pages it has.
        pytest.skip("a theme template's edit rebuilds no page in serve --dirty")
    file = project / path
    good = file.read_text() if file.exists() else ""
    temp = project / ".serve-temp"
    temp.mkdir()
    with serving(project, *options, temp=temp) as base:
        page = f"{base}treatments/test-peel/"
        assert "A mild peel" in wait_for(page, "A mild peel")
        file.write_text(good.replace(broken, shown) if broken else shown)
        paused = wait_for(page, "Preview paused")
        assert "Preview paused" in paused and "A mild peel" not in paused
        assert expected in paused, paused  # what stopped it, in MkDocs' words
        assert "Preview paused" in get(base)
        if good:
            file.write_text(good)
        else:
            file.unlink()
        assert "A mild peel" in wait_for(page, "A mild peel")
        assert "Preview paused" not in get(base)
    # MkDocs' temporary site, and the pages the pause set aside beside it, are gone.
    assert list(temp.iterdir()) == []


def test_an_edited_claims_list_judges_the_pages_again(project):
    """A site's own word list, edited while the preview runs, applies at the next save."""
    claims = project / "our-claims.yml"
    claims.write_text("never:\n  - match: [spa day]\n    why: it makes light of a treatment\n")
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text().replace(
            "  - careleaf\n", "  - careleaf:\n      checks:\n        claims: [our-claims.yml]\n"
        )
    )
    with serving(project, "--dirty") as base:
        page = f"{base}treatments/test-peel/"
        assert "takes off dead skin" in wait_for(page, "takes off dead skin")
        assert PANEL not in get(page)
        claims.write_text("never:\n  - match: [dead skin]\n    why: a test of a list edited live\n")
        shown = wait_for(page, ERROR_PANEL)
        assert "claim-forbidden: &#x27;dead skin&#x27;" in shown, shown
        claims.write_text("never:\n  - match: [spa day]\n    why: back as it was\n")
        assert PANEL not in wait_for(page, PANEL, gone=True)
