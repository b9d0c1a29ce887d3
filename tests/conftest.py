"""Shared fixtures: the sample site built once, and small throwaway sites for bad input."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
# Review dates are judged as of this day, so tests of real content do not expire.
os.environ.setdefault("CARELEAF_TODAY", "2026-11-25")
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}

MINIMAL_CONFIG = """\
site_name: Test Clinic
site_url: https://test.example/
theme:
  name: material
  font: false
  custom_dir: overrides
plugins:
  - search
  - careleaf
markdown_extensions: [toc, attr_list, md_in_html, admonition, abbr, tables, def_list]
validation:
  anchors: warn
  unrecognized_links: warn
extra:
  clinic:
    name: Test Clinic
    phone: "+1 555 0100"
    fictional: true
"""


def run_module(project: Path, module: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `python -m module args` as a user would run the command, in `project`."""
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=project,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=120,
    )


def edit(project: Path, old: str, new: str, path: str = "docs/treatments/test-peel.md") -> None:
    """Change the first `old` in one of a small site's files (it must be there) to `new`."""
    file = project / path
    text = file.read_text()
    assert old in text
    file.write_text(text.replace(old, new, 1))


def mkdocs(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `mkdocs` as a user would, in `project`."""
    return run_module(project, "mkdocs", *args)


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample site of this repository, built once with --strict."""
    out = tmp_path_factory.mktemp("sample") / "site"
    result = mkdocs(ROOT, "build", "--strict", "--site-dir", str(out))
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A small site with one valid treatment, ready to build or break."""
    (tmp_path / "docs" / "treatments").mkdir(parents=True)
    (tmp_path / "overrides").mkdir()
    (tmp_path / "mkdocs.yml").write_text(MINIMAL_CONFIG)
    (tmp_path / "docs" / "index.md").write_text("# Test Clinic\n\nA test site.\n")
    shutil.copy(FIXTURES / "valid.md", tmp_path / "docs" / "treatments" / "test-peel.md")
    return tmp_path
