"""`careleaf check`, `report` and `schema`, as an editor runs them."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import MINIMAL_CONFIG
from marketing_page import FIXTURE

from careleaf import model
from careleaf.cli import main

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def marketing_site(tmp_path: Path) -> Path:
    (tmp_path / "docs" / "treatments").mkdir(parents=True)
    (tmp_path / "overrides").mkdir()  # MINIMAL_CONFIG's custom_dir: MkDocs needs it to exist
    (tmp_path / "mkdocs.yml").write_text(MINIMAL_CONFIG)
    (tmp_path / "docs" / "index.md").write_text("# Test Clinic\n\nA test site.\n")
    shutil.copy(FIXTURE, tmp_path / "docs" / "treatments" / "microdermabrasion.md")
    return tmp_path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_the_sample_site_has_no_findings() -> None:
    code, out = run("check", "--config-file", str(ROOT / "mkdocs.yml"))
    pages = len(list((ROOT / "docs").rglob("*.md")))  # every page an editor wrote
    assert (code, out.strip()) == (0, f"{pages} pages checked: no problems")


def test_the_marketing_text_fails_with_lines(marketing_site: Path) -> None:
    code, out = run("check", "-f", str(marketing_site / "mkdocs.yml"))
    assert code == 1
    assert out.splitlines()[0] == "docs/treatments/microdermabrasion.md"
    assert "claim-forbidden  'painless'" in out
    assert "\x1b[" not in out  # no colour when not on a terminal
    assert out.rstrip().splitlines()[-1].endswith("warnings in 1 file (2 pages checked)")


def test_json_lists_every_finding(marketing_site: Path) -> None:
    code, out = run("check", "-f", str(marketing_site / "mkdocs.yml"), "--format", "json")
    assert code == 1
    findings = json.loads(out)
    assert findings and set(findings[0]) == {
        "path",
        "line",
        "column",
        "rule",
        "severity",
        "message",
    }
    assert {"claim-forbidden", "claim-uncited", "reading-grade"} <= {f["rule"] for f in findings}


def test_model_findings_are_included(marketing_site: Path) -> None:
    page = marketing_site / "docs" / "treatments" / "microdermabrasion.md"
    page.write_text(page.read_text().replace("## FAQ", "## Frequently asked things"))
    code, out = run("check", "-f", str(marketing_site / "mkdocs.yml"), "--format", "json")
    assert "section-unknown" in {f["rule"] for f in json.loads(out)}


def test_warnings_alone_exit_0(marketing_site: Path) -> None:
    page = marketing_site / "docs" / "treatments" / "microdermabrasion.md"
    (marketing_site / "mkdocs.yml").write_text(
        MINIMAL_CONFIG.replace(
            "  - careleaf\n",
            "  - careleaf:\n      checks:\n        grade_error: 20\n"
            "        severity: {claim-forbidden: warning}\n",
        )
    )
    assert page.exists()
    code, out = run("check", "-f", str(marketing_site / "mkdocs.yml"))
    assert code == 0 and "0 errors" in out
    warnings = re.search(r"0 errors, (\d+) warnings", out)
    assert warnings and int(warnings.group(1)) > 0, out


@pytest.mark.parametrize(
    "args",
    [
        ("check", "--config-file", "no-such-file.yml"),
        ("check", "--format", "xml"),
        ("check", "--no-such-option"),
    ],
)
def test_bad_usage_exits_2(args: tuple[str, ...]) -> None:
    assert run(*args)[0] == 2


def test_a_bad_checks_option_exits_2(marketing_site: Path) -> None:
    (marketing_site / "mkdocs.yml").write_text(
        MINIMAL_CONFIG.replace("  - careleaf\n", "  - careleaf:\n      checks: {grade_wrning: 7}\n")
    )
    code, out = run("check", "-f", str(marketing_site / "mkdocs.yml"))
    assert code == 2 and "grade_wrning" in out


def test_mkdocs_yml_is_read_as_mkdocs_reads_it(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: !ENV [SITE_NAME, 'Clinic']\n"
        "site_url: https://clinic.example/\n"
        "docs_dir: docs\n"
        "markdown_extensions:\n"
        "  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "plugins:\n  - search\n  - careleaf:\n      treatments_dir: guides\n"
        "      checks: {grade_warning: 6}\n"
        "extra:\n  clinic: {name: Test}\n"
    )
    assert run("check", "-f", str(tmp_path / "mkdocs.yml")) == (
        0,
        "0 pages checked: no problems\n",
    )


def test_schema_prints_the_front_matter_schema() -> None:
    code, out = run("schema")
    assert code == 0 and json.loads(out) == model.FRONT_MATTER_SCHEMA
    assert out == (ROOT / "schema" / "treatment.schema.json").read_text()


def test_schema_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("schema", "--write")[0] == 0
    written = (tmp_path / "schema" / "treatment.schema.json").read_text()
    assert json.loads(written) == model.FRONT_MATTER_SCHEMA


def test_the_command_runs_as_a_program(marketing_site: Path) -> None:
    env = {**os.environ, "NO_COLOR": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "careleaf.cli", "check", "--format", "json"],
        cwd=marketing_site,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    assert any(f["rule"] == "claim-forbidden" for f in json.loads(result.stdout))
    sample = subprocess.run(
        [sys.executable, "-m", "careleaf.cli", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    pages = len(list((ROOT / "docs").rglob("*.md")))
    assert (sample.returncode, sample.stdout.strip()) == (0, f"{pages} pages checked: no problems")
