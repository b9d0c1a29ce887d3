"""`mkdocs serve` as an editor runs it, on a free local port, for the preview's tests."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from conftest import ENV


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str, timeout: float = 2) -> str:
    """The page at `url`, or '' when it does not answer in `timeout` seconds."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return str(response.read().decode())
    except OSError:
        return ""


def wait_for(url: str, text: str, seconds: float = 30, *, gone: bool = False) -> str:
    """The page at `url` once it holds `text` (polled; with `gone`, once it answers without
    it), or as it last was."""
    deadline = time.monotonic() + seconds
    body = ""
    while time.monotonic() < deadline:
        body = get(url)
        if body and (text not in body if gone else text in body):
            return body
        time.sleep(0.3)
    return body


@contextmanager
def serving(project: Path, *options: str, temp: Path | None = None) -> Iterator[str]:
    """`mkdocs serve --livereload [options]` of `project`; yields its address (ending in /)
    once the home page answers. `temp`: the folder for MkDocs' temporary site."""
    port = free_port()
    env = {**ENV, "TMPDIR": str(temp)} if temp is not None else ENV
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
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        # Ctrl-C stops it, even when the tests run as a background job (which ignores it).
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # noqa: PLW1509
    )
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_for(url, "</html>", 60)
        yield url
    finally:
        # Ctrl-C, as an editor stops it: MkDocs then removes its temporary site.
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
