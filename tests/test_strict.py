"""Nothing with a warning is published: strict builds, `check --strict`, `report`'s exit status,
and a missing `site_url`."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import MINIMAL_CONFIG, ROOT, careleaf, edit, mkdocs
from mkdocs.config import load_config


def warn_once(project: Path) -> None:
    """An FAQ answer without a fixed id: a warning, and nothing else."""
    edit(project, " {#how-long}", "")


def test_check_strict_fails_on_a_warning(project: Path) -> None:
    assert careleaf(project, "check", "--strict").returncode == 0
    warn_once(project)
    relaxed = careleaf(project, "check")
    assert relaxed.returncode == 0 and "faq-id-missing" in relaxed.stdout
    strict = careleaf(project, "check", "--strict")
    assert strict.returncode == 1
    assert strict.stdout.rstrip().splitlines()[-1] == (
        "0 errors, 1 warning in 1 file (2 pages checked)"
    )


def test_report_exits_as_check_does(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    assert careleaf(project, "report", "-o", str(out)).returncode == 0
    warn_once(project)
    assert careleaf(project, "report", "-o", str(out)).returncode == 0
    assert careleaf(project, "report", "--strict", "-o", str(out)).returncode == 1
    edit(project, "## Benefits", "## Benfits")
    result = careleaf(project, "report", "-o", str(out))
    assert result.returncode == 1 and out.is_file()
    assert "section-unknown" in out.read_text()


def test_a_clean_check_says_how_many_pages_it_checked(project: Path) -> None:
    result = careleaf(project, "check")
    assert (result.returncode, result.stdout) == (0, "2 pages checked: no problems\n")


def test_a_missing_site_url_is_a_warning_saying_what_it_breaks(project: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(MINIMAL_CONFIG.replace("site_url: https://test.example/\n", ""))
    result = careleaf(project, "check")
    assert result.returncode == 0
    assert "mkdocs.yml\n     1:1   warning site-url-missing  site_url is not set" in result.stdout
    for broken in ("canonical link", "sitemap.xml", "JSON-LD"):
        assert broken in result.stdout
    strict = mkdocs(project, "build", "--strict")
    assert strict.returncode != 0
    assert "mkdocs.yml:1: site-url-missing:" in strict.stderr
    assert not (project / "site").exists()
    # A site that means it (a preview copied to a laptop) turns the rule off.
    config.write_text(
        config.read_text().replace(
            "  - careleaf\n", "  - careleaf:\n      checks: {disable: [site-url-missing]}\n"
        )
    )
    assert careleaf(project, "check", "--strict").returncode == 0


def test_the_sample_publishes_nothing_with_a_warning() -> None:
    assert load_config(str(ROOT / "mkdocs.yml")).strict is True


def test_strict_in_mkdocs_yml_keeps_the_site_when_a_warning_stands(project: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text() + "strict: true\n")
    assert mkdocs(project, "build").returncode == 0
    index = (project / "site/index.html").read_bytes()
    warn_once(project)
    build = mkdocs(project, "build")
    assert build.returncode != 0 and "faq-id-missing" in build.stderr
    assert (project / "site/index.html").read_bytes() == index


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_gh_deploy_publishes_nothing_while_a_warning_stands(project: Path) -> None:
    """`mkdocs gh-deploy` commits the site to gh-pages, then pushes: with a warning it
    commits nothing. (There is no remote here: the push itself always fails.)"""
    config = project / "mkdocs.yml"
    config.write_text(config.read_text() + "strict: true\n")

    def git(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["git", "-c", "user.name=Test", "-c", "user.email=t@example.org", *args],
            cwd=project,
            capture_output=True,
            text=True,
            check=False,
        )

    git("init", "-q")
    git("add", ".")
    git("commit", "-qm", "site")
    warn_once(project)
    deploy = mkdocs(project, "gh-deploy")
    assert deploy.returncode != 0 and "faq-id-missing" in deploy.stderr
    assert git("rev-parse", "--verify", "-q", "gh-pages").returncode != 0
    edit(project, "### How long does it take?", "### How long does it take? {#how-long}")
    mkdocs(project, "gh-deploy")  # the push fails, but only once gh-pages has the site
    assert git("rev-parse", "--verify", "-q", "gh-pages").returncode == 0
