"""Publishing keeps what is not careleaf's: site/ itself, its dot-entries, and a good site
when a build fails or is interrupted."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ENV, edit, mkdocs, run_module

from careleaf import publish


def _site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def _web_persons_files(site: Path) -> None:
    (site / ".htaccess").write_text("Header set X-Frame-Options DENY\n")
    (site / ".well-known").mkdir()
    (site / ".well-known" / "security.txt").write_text("Contact: mailto:web@test.example\n")
    (site / ".git").mkdir()
    (site / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")


def test_a_rebuild_keeps_site_its_inode_and_its_dot_entries(project):
    assert mkdocs(project, "build", "--strict").returncode == 0
    site = project / "site"
    _web_persons_files(site)
    (site / "stale.html").write_text("a page that no longer exists")
    inode = site.stat().st_ino
    # A web server holding site/ open, as a bind mount does: it must see the new site.
    held = os.open(site, os.O_RDONLY)
    try:
        edit(project, "Redness for a day.", "Redness for a day or two.")
        result = mkdocs(project, "build", "--strict")
        assert result.returncode == 0, result.stderr
        assert site.stat().st_ino == inode
        assert "stale.html" not in os.listdir(held)
        assert "day or two" in (site / "treatments" / "test-peel" / "index.html").read_text()
    finally:
        os.close(held)
    assert (site / ".htaccess").read_text().startswith("Header set")
    assert (site / ".well-known" / "security.txt").is_file()
    assert (site / ".git" / "HEAD").is_file()
    assert not (site / publish.OLD).exists()
    assert sorted(p.name for p in project.iterdir()) == ["docs", "mkdocs.yml", "overrides", "site"]


def test_a_failed_build_leaves_site_exactly_as_it_was(project):
    assert mkdocs(project, "build").returncode == 0
    site = project / "site"
    _web_persons_files(site)
    before, inode = _site_files(site), site.stat().st_ino
    edit(project, "## Benefits", "## Benefitz")
    result = mkdocs(project, "build")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert _site_files(site) == before and site.stat().st_ino == inode
    assert sorted(p.name for p in project.iterdir()) == ["docs", "mkdocs.yml", "overrides", "site"]


@pytest.mark.parametrize("args", [("--dirty",), ("--dirty", "--strict")])
def test_a_dirty_build_is_refused_with_one_line_and_writes_nothing(project, args):
    assert mkdocs(project, "build").returncode == 0
    site = project / "site"
    before = _site_files(site)
    edit(project, "Redness for a day.", "Redness for a day or two.")
    result = run_module(project, "mkdocs", "build", *args)  # its output as a terminal shows it
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert [line for line in result.stderr.splitlines() if "ERROR" in line] == [
        "ERROR   -  careleaf: --dirty would write into the published site before the build is "
        "known to be good: build without --dirty (careleaf replaces the site only when a "
        "build succeeds)"
    ]
    assert _site_files(site) == before


def test_a_site_folder_that_cannot_be_replaced_is_filled_in_place(tmp_path, monkeypatch):
    """A mount point cannot be renamed or removed; only what is in it is moved."""
    site, staging = tmp_path / "site", tmp_path / ".site.careleaf-new"
    site.mkdir()
    (site / "old.html").write_text("old")
    (site / ".htaccess").write_text("kept")
    (staging / "assets").mkdir(parents=True)
    (staging / "index.html").write_text("new")
    (staging / "assets" / "x.css").write_text("css")
    real_replace = os.replace

    def replace(source, target):
        if Path(source) == site or Path(target) == site:
            raise OSError(16, "Device or resource busy")
        return real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    publish.publish(staging, site)
    assert sorted(p.name for p in site.iterdir()) == [".htaccess", "assets", "index.html"]
    assert not staging.exists()


def test_entries_cross_file_systems_by_copy(tmp_path, monkeypatch):
    """site/ on another file system than the staging folder (a mount point): rename fails
    with EXDEV, and the entry is copied instead."""
    site, staging = tmp_path / "site", tmp_path / ".site.careleaf-new"
    (staging / "treatments").mkdir(parents=True)
    (staging / "treatments" / "index.html").write_text("new")
    real_replace = os.replace

    def replace(source, target):
        if Path(source).parent == staging:
            raise OSError(18, "Invalid cross-device link")
        return real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    publish.publish(staging, site)
    assert (site / "treatments" / "index.html").read_text() == "new"
    assert not staging.exists()


_BUILD_WITH_PAUSES = """
import signal, sys, time
# Ctrl-C as at a terminal, even when the tests run in a background job (which ignores SIGINT,
# and a child keeps that).
signal.signal(signal.SIGINT, signal.default_int_handler)
from careleaf import publish
from careleaf.plugin import CareleafPlugin
moment = sys.argv[1]
real_move, real_page = publish._move, CareleafPlugin.on_post_page
def move(source, target):
    # Tell the test the move has begun, then give it time to send a signal right there.
    if moment == "moving":
        print("MOVING", flush=True)
        time.sleep(0.3)
    return real_move(source, target)
def page(self, output, **kwargs):
    # The same, while the pages are being written: however slow the machine, the signal
    # comes before the move.
    if moment == "building":
        print("BUILDING", flush=True)
        time.sleep(0.3)
    return real_page(self, output, **kwargs)
publish._move, CareleafPlugin.on_post_page = move, page
from mkdocs.__main__ import cli
sys.argv = ["mkdocs", "build"]
cli()
"""


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.parametrize("moment", ["building", "moving"])
def test_an_interrupted_build_leaves_a_whole_site_and_nothing_the_next_cannot_clean(
    project, sig, moment
):
    assert mkdocs(project, "build").returncode == 0
    site = project / "site"
    _web_persons_files(site)
    old = _site_files(site)
    edit(project, "Redness for a day.", "Redness for a day or two.")
    build = subprocess.Popen(
        [sys.executable, "-c", _BUILD_WITH_PAUSES, moment],
        cwd=project,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert build.stdout is not None
    assert build.stdout.readline().strip() == moment.upper()
    build.send_signal(sig)
    build.communicate(timeout=120)
    now = _site_files(site)
    # Either the old site or the new one, whole, with the web person's files.
    assert set(now) == set(old)
    page = now["treatments/test-peel/index.html"].decode()
    assert ("day or two" in page) == (moment == "moving")
    assert now[".htaccess"] == old[".htaccess"]
    # The next build clears whatever the interrupted one left.
    assert mkdocs(project, "build").returncode == 0
    assert sorted(p.name for p in project.iterdir()) == ["docs", "mkdocs.yml", "overrides", "site"]
    assert not (site / publish.OLD).exists()
    assert "day or two" in (site / "treatments/test-peel/index.html").read_text()
