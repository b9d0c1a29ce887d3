"""`careleaf report`: one self-contained HTML page."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

from click.testing import CliRunner
from conftest import MINIMAL_CONFIG
from marketing_page import FIXTURE

from careleaf.build import Site, build_content
from careleaf.cli import main
from careleaf.report import build_report, render_report

ROOT = Path(__file__).resolve().parents[1]


def test_the_report_is_written_and_self_contained(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = CliRunner().invoke(
        main, ["report", "--config-file", str(ROOT / "mkdocs.yml"), "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    html = out.read_text()
    assert html.startswith("<!doctype html>")
    assert "<script" not in html
    assert not re.search(r"""(href|src)=["']?(https?:)?//""", html)
    assert "@import" not in html and "url(" not in html
    assert "Microdermabrasion" in html and "Medical review" in html


def test_the_report_shows_grades_findings_and_reviews(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "treatments").mkdir(parents=True)
    (tmp_path / "mkdocs.yml").write_text(MINIMAL_CONFIG)
    shutil.copy(FIXTURE, docs / "treatments" / "microdermabrasion.md")
    (docs / "index.md").write_text("# Home <b>&</b>\n\nA <script>x</script> page.\n")
    site = build_content(Site(docs, tmp_path), today=dt.date(2027, 5, 20))
    data = build_report(site, today=dt.date(2027, 5, 20))
    page = next(p for p in data["pages"] if p.path.endswith("microdermabrasion.md"))
    assert page.status == "error" and page.grade.smog > page.grade.smog_adjusted
    assert [b.label for b in page.bars] == [
        "SMOG",
        "SMOG raw",
        "Flesch-Kincaid",
        "Flesch-Kincaid raw",
    ]
    assert data["reviews"][0].status == "warning" and data["reviews"][0].days == 12
    html = render_report(site, {"clinic": {"name": "Test <Clinic>"}}, today=dt.date(2027, 5, 20))
    assert "Test &lt;Clinic&gt;" in html
    assert "<script>x" not in html  # findings are escaped
    assert "claim-forbidden" in html and "in 12 days" in html
