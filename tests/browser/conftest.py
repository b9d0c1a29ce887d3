"""A real build of the site, served on 127.0.0.1, and one headless Chromium for the whole session."""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"

# Material's page transitions (search overlay, drawer, permalink fade-in) make a just-focused
# element look hidden for ~250 ms; checks of what is on screen run without them.
NO_TRANSITIONS = (
    "*, *::before, *::after { transition: none !important; animation: none !important; }"
)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="session")
def site_dir(sample_site: Path) -> Path:
    """The site as `mkdocs build --strict` makes it from this repository (built once)."""
    return sample_site


@contextmanager
def served(site_dir: Path) -> Iterator[str]:
    """The base URL (ending in /) of a built site served on a free local port meanwhile."""
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="session")
def site_url(site_dir: Path) -> Iterator[str]:
    """The base URL (ending in /) of the built site served on a free local port."""
    with served(site_dir) as url:
        yield url


@pytest.fixture(scope="session")
def site_pages(site_dir: Path) -> list[str]:
    """Every page of the built site, as paths relative to the site root ("" is the home page).

    Found from the build, so a new treatment is checked without touching the tests. The 404 page is one too. Redirect
    stubs (a meta refresh to a page that moved) are left out: their target is a page too.
    """
    pages = []
    for index in sorted(site_dir.rglob("index.html")):
        rel = index.parent.relative_to(site_dir).as_posix()
        if rel.split("/")[0] in {"search", "404"}:
            continue
        if 'http-equiv="refresh"' in index.read_text(encoding="utf-8", errors="replace"):
            continue
        pages.append("" if rel == "." else rel + "/")
    assert pages, f"no pages found in {site_dir}"
    # The page a reader sees at an address that does not exist (a mistyped link).
    if (site_dir / "404.html").is_file():
        pages.append("404.html")
    return pages


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Chromium (Debian's) for the session."""
    if not CHROMIUM.exists():
        message = (
            f"{CHROMIUM} is missing: the browser tests (axe, keyboard, privacy, search) need "
            "Debian's Chromium. Install it with `apt-get install chromium`."
        )
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(f"!!! BROWSER TESTS NOT RUN: {message}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser, site_url: str):  # type: ignore[no-untyped-def]
    """A factory: open_page(width) gives a fresh page (own context: no shared cookies) that
    width; every context is closed after the test."""
    contexts = []

    def _open(width: int = 1280, height: int = 800):  # type: ignore[no-untyped-def]
        context = browser.new_context(
            viewport={"width": width, "height": height}, base_url=site_url, service_workers="block"
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield _open
    for context in contexts:
        context.close()


def pytest_terminal_summary(terminalreporter) -> None:  # type: ignore[no-untyped-def]
    if SCREENSHOTS.is_dir() and any(SCREENSHOTS.iterdir()):
        terminalreporter.write_line(f"browser screenshots: {SCREENSHOTS}")
