"""Weigh a page as a patient's phone downloads it: gzip-compressed bytes before search is opened.

Builds the site (or takes --site DIR), serves it with gzip on 127.0.0.1, loads the page in
Debian's Chromium with an empty cache, and sums the bytes transferred (response headers and
compressed bodies) until the network is idle. Exits 1 above the budget. What opening search
adds (its worker and index) is printed too, but is not counted: most readers never search.

Without Chromium (or with --static), the page is weighed from the files: its HTML and every
stylesheet, script, icon and image its HTML loads from the site, each gzip-compressed as the
server compresses it (headers and what the stylesheets themselves load are not counted).

Usage: python scripts/page_weight.py [--site DIR] [--page treatments/microdermabrasion/]
                                     [--budget-kb 70]
"""

from __future__ import annotations

import argparse
import gzip
import os
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serve_gzip import COMPRESSIBLE, serve  # noqa: E402

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


class _Loads(HTMLParser):
    """The addresses a page's HTML loads at once: stylesheets, scripts, icons and images."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        rel = (a.get("rel") or "").lower().split()
        if tag == "link" and {"stylesheet", "icon", "preload"} & set(rel) and a.get("href"):
            self.urls.append(a["href"] or "")
        elif tag in ("script", "img") and a.get("src") and a.get("loading") != "lazy":
            self.urls.append(a["src"] or "")


def static_weight(site: Path, page_path: str) -> list[tuple[str, int]]:
    """(url path, gzip bytes) of a page's HTML and of each file of the site it loads at once,
    read from the built files; a file loaded twice counts once, other hosts' files not at all."""
    html = site / page_path / "index.html" if not page_path.endswith(".html") else site / page_path
    parser = _Loads()
    parser.feed(html.read_text(encoding="utf-8"))
    base = "/" + page_path
    found: list[tuple[str, int]] = [(base, _served_size(html))]
    seen = {base}
    for url in parser.urls:
        parts = urlsplit(urljoin(base, url))
        if parts.scheme or parts.netloc or parts.path in seen:
            continue
        seen.add(parts.path)
        path = site / unquote(parts.path).lstrip("/")
        if path.is_file():
            found.append((parts.path, _served_size(path)))
    return found


def _served_size(path: Path) -> int:
    """A file's bytes as serve_gzip sends them: gzip level 6 for text, as it is otherwise."""
    data = path.read_bytes()
    return len(gzip.compress(data, 6, mtime=0)) if path.suffix in COMPRESSIBLE else len(data)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one now)")
    parser.add_argument("--page", default="treatments/microdermabrasion/")
    parser.add_argument("--budget-kb", type=float, default=70)
    parser.add_argument(
        "--static", action="store_true", help="weigh from the files, without a browser"
    )
    args = parser.parse_args()
    static = args.static or not Path(CHROMIUM).exists()

    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            build(site)
        if static:
            before, search = static_weight(site, args.page), []
            print(f"weighed from the files ({'--static' if args.static else 'no ' + CHROMIUM})")
        else:
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
