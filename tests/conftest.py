"""Shared fixtures: the sample site built once, and small throwaway sites for bad input."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import traceback
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
# Review dates are judged as of this day, so tests of real content do not expire.
os.environ.setdefault("CARELEAF_TODAY", "2026-11-25")
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
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
    """Run `python -m module args` as a user would run the command, in `project`: for the
    tests of the command itself (its start-up, its exit status as a program)."""
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=project,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=120,
    )


def run_command(project: Path, command: Any, *args: str) -> subprocess.CompletedProcess[str]:
    """Run a click command (`mkdocs` or `careleaf`) in this process, in `project`, as its
    user would: the same options, output and exit status, a second or so faster than a new
    Python each time. A traceback the command lets out is in its stderr, as on a terminal."""
    logger = logging.getLogger("mkdocs")
    handlers, level = list(logger.handlers), logger.level
    cwd = os.getcwd()
    os.chdir(project)
    try:
        result = CliRunner().invoke(command, list(args), catch_exceptions=True)
    finally:
        os.chdir(cwd)
        # The mkdocs command adds a handler writing to this run's stderr: take it away.
        for handler in logger.handlers[:]:
            if handler not in handlers:
                logger.removeHandler(handler)
        logger.setLevel(level)
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(*result.exc_info))  # type: ignore[misc]
    return subprocess.CompletedProcess(list(args), result.exit_code, result.stdout, stderr)


def careleaf(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `careleaf args` in `project`, in this process."""
    from careleaf.cli import main

    return run_command(project, main, *args)


def edit(project: Path, old: str, new: str, path: str = "docs/treatments/test-peel.md") -> None:
    """Change the first `old` in one of a small site's files (it must be there) to `new`."""
    file = project / path
    text = file.read_text()
    assert old in text
    file.write_text(text.replace(old, new, 1))


def mkdocs(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `mkdocs args` as a user would, in `project`, in this process."""
    from mkdocs.__main__ import cli

    return run_command(project, cli, *args)


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
