"""`mkdocs serve` as an editor uses it: an edit to a template override shows without a restart."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from conftest import ENV


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode()
    except OSError:
        return ""


def _wait_for(url: str, text: str, seconds: float = 30) -> str:
    deadline = time.monotonic() + seconds
    body = ""
    while time.monotonic() < deadline:
        body = _get(url)
        if text in body:
            return body
        time.sleep(0.3)
    return body


@pytest.mark.parametrize("options", [(), ("--dirty",)], ids=["serve", "serve --dirty"])
def test_serve_reloads_an_edited_template_override(project, options):
    """`make serve` runs `mkdocs serve --dirty`: only what changed is built again, and every
    page an edit changes (a treatment's page, the questions page) shows it."""
    override = project / "overrides/careleaf/faq.md.j2"
    override.parent.mkdir(parents=True)
    override.write_text("# Answers\n\nFirst version.\n")
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "serve",
            "--dev-addr",
            f"127.0.0.1:{port}",
            "--livereload",
            *options,
        ],
        cwd=project,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/faq/"
        assert "First version." in _wait_for(url, "First version.")
        override.write_text("# Answers\n\nSecond version.\n")
        assert "Second version." in _wait_for(url, "Second version.")
        treatment = project / "docs/treatments/test-peel.md"
        treatment.write_text(
            treatment.read_text().replace("About 30 minutes.", "About 45 minutes.")
        )
        page = _wait_for(f"http://127.0.0.1:{port}/treatments/test-peel/", "About 45 minutes.")
        assert "About 45 minutes." in page
        override.unlink()  # careleaf's own questions page again, listing each question
        assert "Does it hurt?" in _wait_for(url, "Does it hurt?")
        treatment.write_text(treatment.read_text().replace("Does it hurt?", "Will it sting?"))
        assert "Will it sting?" in _wait_for(url, "Will it sting?")
    finally:
        server.terminate()
        server.wait(timeout=10)
