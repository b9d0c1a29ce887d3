"""The preview's panels (careleaf/preview.py), as HTML: what they list, where, and escaped."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from careleaf.findings import Finding
from careleaf.preview import problems_by_page, show_problems


class _Tags(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_the_panel_shows_the_file_line_escaped_and_no_handler(tmp_path: Path) -> None:
    page = tmp_path / "docs/treatments/peel.md"
    page.parent.mkdir(parents=True)
    page.write_text("---\ntitle: x\n---\n\n## Benfits <img src=x onerror=alert(1)>\n")
    error = Finding("docs/treatments/peel.md", 5, "section-unknown", "unknown 'Benfits <b>'")
    html = show_problems("<p>now</p>", (error,), (), tmp_path, last_good="<p>before</p>")
    assert (
        "docs/treatments/peel.md:5: section-unknown: unknown &#x27;Benfits &lt;b&gt;&#x27;" in html
    )
    assert "   5 | ## Benfits &lt;img src=x onerror=alert(1)&gt;" in html
    tags = _Tags(html).tags
    assert [t for t, _ in tags if t in ("img", "b", "script")] == []
    assert not [a for _, attrs in tags for a in attrs if a.startswith("on") or a == "style"]
    # In place of the page as it is now, above the page as it was.
    assert "<p>now</p>" not in html and html.endswith("<p>before</p>")
    assert "<p>now</p>" not in show_problems("<p>now</p>", (error,), (), tmp_path, None)


def test_a_warning_or_another_files_error_leaves_the_page(tmp_path: Path) -> None:
    warning = Finding("docs/index.md", 1, "plain-word", "say 'use'", "warning")
    other = Finding("docs/glossary.yml", 2, "glossary-entry", "no definition")
    html = show_problems("<p>now</p>", (warning,), (other,), tmp_path, "<p>before</p>")
    assert html.endswith("<p>now</p>") and "<p>before</p>" not in html
    assert 'class="careleaf-problems careleaf-problems-error"' in html
    assert 'class="careleaf-problems careleaf-problems-warning"' in html
    assert show_problems("<p>now</p>", (), (), tmp_path, None) == "<p>now</p>"


def test_findings_go_to_their_page_or_every_page(tmp_path: Path) -> None:
    docs = tmp_path / "site-docs"
    found = [
        Finding("site-docs/treatments/peel.md", 3, "section-empty", "write it"),
        Finding("site-docs/glossary.yml", 1, "glossary-syntax", "not YAML"),
        Finding("overrides/careleaf/faq.md.j2", 2, "template-syntax", "bad"),
        Finding("mkdocs.yml", 1, "site-url-missing", "set it", "warning"),
    ]
    problems = problems_by_page(found, tmp_path, docs, {"treatments/peel.md", "index.md"})
    assert problems.by_page == {"treatments/peel.md": (found[0],)}
    assert problems.everywhere == tuple(found[1:])
    assert problems.on("index.md") == tuple(found[1:])
    assert problems.on("treatments/peel.md") == tuple(found)
