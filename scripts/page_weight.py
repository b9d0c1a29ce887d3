"""Weigh a page as a patient's phone downloads it: gzip-compressed bytes before search is opened.

Builds the site (or takes --site DIR), serves it with gzip on 127.0.0.1, loads the page in
Debian's Chromium with an empty cache, and sums the bytes transferred (response headers and
compressed bodies) until the network is idle. Exits 1 above the budget. What opening search
adds (its worker and index) is printed too, but is not counted: most readers never search.

Usage: python scripts/page_weight.py [--site DIR] [--page treatments/microdermabrasion/]
                                     [--budget-kb 70]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serve_gzip import serve  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
KB = 1000  # budgets are in kB of 1000 bytes: the stricter reading


def build(out: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(out)],
        cwd=REPO,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=True,
    )


def weigh(site: Path, page_path: str) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """(url path, bytes) of each response before search is opened, and of those it adds."""
    from playwright.sync_api import sync_playwright

    server = serve(site)
    base = f"http://127.0.0.1:{server.server_port}/"
    loaded: list[tuple[str, int]] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(
                viewport={"width": 375, "height": 800}, service_workers="block"
            )
            page = context.new_page()

            def record(request):  # type: ignore[no-untyped-def]
                sizes = request.sizes()
                body = sizes["responseBodySize"]
                if not body:  # Chromium reports no body size for a worker's script
                    response = request.response()
                    body = int(response.headers.get("content-length", 0)) if response else 0
                size = body + sizes["responseHeadersSize"]
                loaded.append((urlsplit(request.url).path, size))

            page.on("requestfinished", record)
            page.goto(base + page_path, wait_until="networkidle")
            before = list(loaded)
            page.locator(".md-header__button[for=__search]").click()
            page.keyboard.type("acne")
            page.locator(".md-search-result__item").first.wait_for()
            page.wait_for_load_state("networkidle")
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return before, loaded[len(before) :]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one now)")
    parser.add_argument("--page", default="treatments/microdermabrasion/")
    parser.add_argument("--budget-kb", type=float, default=70)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            build(site)
        before, search = weigh(site, args.page)

    total = sum(size for _, size in before)
    for path, size in before:
        print(f"{size / KB:8.1f} kB  {path}")
    print(
        f"{total / KB:8.1f} kB  total for /{args.page} before search (budget {args.budget_kb:g} kB)"
    )
    if search:
        added = sum(size for _, size in search)
        names = ", ".join(path.rsplit("/", 1)[-1] for path, _ in search)
        print(f"{added / KB:8.1f} kB  more when search is opened ({names})")
    if total > args.budget_kb * KB:
        print(f"over budget by {(total - args.budget_kb * KB) / KB:.1f} kB", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
