"""One reading of every page, as a patient and an editor see it: built in-process, the site's
anchors, comments, code and citations are what MkDocs renders, and the findings agree."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from conftest import edit
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, BuildError, PluginError

from careleaf.checks.prose import blocks
from careleaf.model import parse_treatment


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def _line_of(project: Path, start: str) -> int:
    lines = (project / "docs/treatments/test-peel.md").read_text().splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.startswith(start))


def build_in_process(project: Path, strict: bool = True) -> tuple[bool, list[str]]:
    """Build a site as `mkdocs build --strict` does, in this process: did it succeed, and
    the warnings and errors it logged."""
    handler = _Lines()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        config = load_config(config_file=str(project / "mkdocs.yml"), strict=strict)
        build(config)
        ok = True
    except (Abort, BuildError, PluginError, SystemExit):
        ok = False
    finally:
        logger.removeHandler(handler)
    return ok, handler.lines


NOTES = """\
# Notes for patients

## Café au lait

Pale brown patches.

## Foo_bar

A heading with an underscore.

## Notes

First notes.

## Notes

Second notes.

Links on this page: [patches](#cafe-au-lait), [underscore](#foo_bar), [second](#notes_1).
"""


def test_anchors_made_as_the_sites_toc_makes_them_build_clean(project: Path) -> None:
    (project / "docs" / "notes.md").write_text(NOTES)
    edit(
        project,
        "## Benefits\n\n",
        "## Benefits\n\nSee [the second notes](../notes.md#notes_1) and "
        "[patches](../notes.md#cafe-au-lait).\n\n",
    )
    ok, lines = build_in_process(project)
    assert ok, lines
    html = (project / "site" / "notes" / "index.html").read_text()
    for anchor in ("cafe-au-lait", "foo_bar", "notes", "notes_1"):
        assert f'id="{anchor}"' in html


def test_a_link_to_a_heading_that_does_not_exist_still_fails(project: Path) -> None:
    (project / "docs" / "notes.md").write_text(NOTES + "\n[gone](#notes_2)\n")
    ok, lines = build_in_process(project)
    assert not ok
    assert any(
        line.startswith("docs/notes.md:") and "anchor-broken" in line and "#notes_2" in line
        for line in lines
    ), lines


def test_a_commented_out_section_is_left_alone(project: Path) -> None:
    edit(
        project,
        "## Benefits\n",
        "<!--\n## Aftercare\n\nOld aftercare text.\n\n## Benefits\n\nAn old draft.\n-->\n\n## Benefits\n",
    )
    ok, lines = build_in_process(project, strict=False)
    assert ok, lines
    # Read as one comment, which is published: a warning, at the line it starts on.
    assert [line for line in lines if "test-peel.md" in line] == [
        f"docs/treatments/test-peel.md:{_line_of(project, '<!--')}: html-comment: "
        "an HTML comment is published with the page, where anyone can read it in the page's "
        "source: remove it, and keep notes outside docs/"
    ]
    html = (project / "site" / "treatments" / "test-peel" / "index.html").read_text()
    assert 'href="#aftercare"' not in html  # no "Jump to" link to a section not on the page
    shown = re.sub(r"<!--.*?-->", "", html, flags=re.S)  # what the browser shows
    assert "Old aftercare text" not in shown and "An old draft" not in shown
    assert not any("section-duplicate" in line for line in lines)


def test_a_citation_in_code_is_code(project: Path) -> None:
    edit(project, "## Benefits\n\n", "## Benefits\n\nEditors write `[@guide]` or `[@nope]`.\n\n")
    ok, lines = build_in_process(project)
    assert ok, lines
    html = (project / "site" / "treatments" / "test-peel" / "index.html").read_text()
    assert "<code>[@guide]</code>" in html and "<code>[@nope]</code>" in html


def test_unknown_fields_with_quotes_or_brackets_are_named() -> None:
    text = (Path(__file__).parent / "fixtures" / "valid.md").read_text()
    text = text.replace("title: Test Peel\n", "title: Test Peel\ndon't: x\nnote (internal): y\n")
    _, findings = parse_treatment(text, "docs/treatments/test-peel.md", "test-peel")
    unknown = [str(f) for f in findings if f.rule == "field-unknown"]
    assert len(unknown) == 2
    assert "unknown field 'don't'" in unknown[0] and ":3:" in unknown[0]
    assert "unknown field 'note (internal)'" in unknown[1] and ":4:" in unknown[1]


@pytest.mark.parametrize(
    "text",
    [
        "Come at 9 a.m. and stay for an hour.",
        "It is approved in the U.S. for adults.",
        "Some creams, e.g. retinoids, must stop first.",
    ],
)
def test_initials_end_no_sentence(text: str) -> None:
    (block,) = blocks(text, 1)
    assert [s.text for s in block.sentences] == [text]


def test_an_answer_may_not_take_an_id_the_page_gives_to_something_else(tmp_path: Path) -> None:
    from sitekit import line_of, site, treatment

    text = treatment().replace("{#does-it-hurt}", "{#sources}")
    found = [str(f) for f in site(tmp_path, text).findings if f.rule == "faq-duplicate-id"]
    assert found == [
        f"docs/treatments/test-peel.md:{line_of(text, '{#sources}')}: faq-duplicate-id: "
        "id 'sources' is used by the page itself: pick another"
    ]


def test_the_ids_a_sites_own_template_gives_are_the_ones_judged(tmp_path: Path) -> None:
    from sitekit import TODAY, treatment

    from careleaf.build import Site, build_content
    from careleaf.render import PACKAGE_TEMPLATES

    own = tmp_path / "overrides" / "careleaf"
    own.mkdir(parents=True)
    layout = (PACKAGE_TEMPLATES / "treatment.md.j2").read_text()
    assert '"sources" | md_id' in layout
    (own / "treatment.md.j2").write_text(
        layout.replace('"sources" | md_id', '"references" | md_id')
    )
    docs = tmp_path / "docs"
    (docs / "treatments").mkdir(parents=True)
    text = treatment().replace("{#does-it-hurt}", "{#sources}")
    text = text.replace("People with sunburn.", "People with sunburn. See [the list](#references).")
    (docs / "treatments" / "test-peel.md").write_text(text)
    content = build_content(Site(docs, tmp_path, templates=own), today=TODAY)
    assert [f for f in content.findings if f.severity == "error"] == []


def test_cite_numbers_the_citations_the_reader_found_in_each_section() -> None:
    """The citations noted when the file was read are where a fresh reading finds them."""
    from dataclasses import replace

    from careleaf.render import cite

    root = Path(__file__).resolve().parents[1]
    text = (root / "docs" / "treatments" / "microdermabrasion.md").read_text()
    t, _ = parse_treatment(text, "docs/treatments/microdermabrasion.md", "microdermabrasion")
    assert t is not None
    texts = [s.markdown for s in t.ordered_sections] + [q.markdown for q in t.faqs]
    assert sum(len(t.citations_in(x) or ()) for x in texts) > 20
    unnoted = replace(t, cited={})
    for markdown in texts:
        assert cite(markdown, t) == cite(markdown, unnoted)
        assert "[@" not in cite(markdown, t)


def test_an_html_element_never_closed_is_named_where_it_opens() -> None:
    text = (Path(__file__).parent / "fixtures" / "valid.md").read_text()
    text = text.replace("## Benefits\n", '## Benefits\n\n<div class="note">\n\nA note.\n', 1)
    _, findings = parse_treatment(text, "docs/treatments/test-peel.md", "test-peel")
    unclosed = [str(f) for f in findings if f.rule == "html-unclosed"]
    line = text.splitlines().index('<div class="note">') + 1
    assert unclosed == [
        f"docs/treatments/test-peel.md:{line}: html-unclosed: this <div> is never closed, so "
        "the page shows nothing after it as it should: add </div> where it ends, or remove it"
    ]
    closed = text.replace("A note.\n", "A note.\n\n</div>\n", 1)
    _, findings = parse_treatment(closed, "docs/treatments/test-peel.md", "test-peel")
    assert "html-unclosed" not in [f.rule for f in findings]


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("| A | B |\n|---|---|\n| foo [@guide] | [@guide] |", "| foo<sup"),
        ("| a \\| b [@guide] | c |", "| a \\| b<sup"),
        ("1. one\n2. [@guide] two", "2. <sup"),
    ],
)
def test_cite_puts_each_number_where_its_citation_was(extra: str, expected: str) -> None:
    text = (Path(__file__).parent / "fixtures" / "valid.md").read_text()
    text = text.replace("## Benefits\n\n", f"## Benefits\n\n{extra}\n\n", 1)
    t, findings = parse_treatment(text, "docs/treatments/test-peel.md", "test-peel")
    assert t is not None and not [f for f in findings if f.severity == "error"]
    from careleaf.render import cite

    shown = cite(t.section("benefits").markdown, t)
    assert expected in shown and "[@" not in shown


def test_a_tag_never_ended_is_text_not_the_rest_of_the_page() -> None:
    text = (Path(__file__).parent / "fixtures" / "valid.md").read_text()
    text = text.replace("## Benefits\n\n", "## Benefits\n\nUse a line <hr\n\n<hr\n\n", 1)
    _, findings = parse_treatment(text, "docs/treatments/test-peel.md", "test-peel")
    assert [f for f in findings if f.severity == "error"] == []
