"""Print each treatment's handout to a PDF: site/handouts/<slug>.pdf, with headless Chromium.

Serves the built site on 127.0.0.1, opens each handout page (handouts/<slug>/) in Debian's
Chromium through Playwright, prints it on A4 (the PDF written) and on Letter (counted), and
counts the pages of each. Prints one line per handout with its pages; a handout that takes
2 pages on either sheet is a warning line naming its treatment file, and one that takes more
than 2 an error line, and exit status 1.

Usage: python scripts/handouts.py [--site site] [--config-file mkdocs.yml]
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from pypdf import PdfReader

from careleaf.front_matter import read_front_matter

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serve_gzip import serve  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
MOST_PAGES = 2
SHEETS = ("A4", "Letter")


def page_count(pdf: bytes) -> int:
    """The pages of a PDF, as a PDF reader counts them."""
    return len(PdfReader(io.BytesIO(pdf)).pages)


def _too_long(path: Path, pages: int) -> str:
    """One line for a handout longer than a sheet: an error above `MOST_PAGES`, else a
    warning; at the treatment's `handout:` field, where its points are shortened."""
    try:
        front = read_front_matter(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        front = None
    data = front.data if front is not None and isinstance(front.data, dict) else {}
    line = front.line_of(["handout"]) if front is not None and "handout" in data else 1
    rule = "handout-long" if pages > MOST_PAGES else "handout-two-pages"
    fix = (
        "shorten the points under 'handout:' in its front matter"
        if "handout" in data
        else "add short points under 'handout:' in its front matter (see README, Handouts)"
    )
    most = f"at most {MOST_PAGES}, best 1" if pages > MOST_PAGES else "best 1"
    return f"{path.as_posix()}:{line}: {rule}: its handout takes {pages} pages ({most}): {fix}"


def print_handouts(site: Path, treatments: str) -> tuple[dict[str, dict[str, int]], list[str]]:
    """Each handout's pages on each sheet, and one line for each that takes too many; the
    A4 PDF of each is written beside its page (site/handouts/<slug>.pdf)."""
    from playwright.sync_api import sync_playwright

    handouts = sorted(p.parent for p in (site / "handouts").glob("*/index.html"))
    counts: dict[str, dict[str, int]] = {}
    problems = []
    server = serve(site)
    base = f"http://127.0.0.1:{server.server_port}/"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            page = browser.new_page()
            for folder in handouts:
                slug = folder.name
                page.goto(f"{base}handouts/{slug}/", wait_until="load")
                page.emulate_media(media="print")
                counts[slug] = {}
                for sheet in SHEETS:
                    pdf = page.pdf(format=sheet, print_background=True)
                    if sheet == SHEETS[0]:
                        (site / "handouts" / f"{slug}.pdf").write_bytes(pdf)
                    counts[slug][sheet] = page_count(pdf)
                worst = max(counts[slug].values())
                if worst > 1:
                    problems.append(_too_long(Path(treatments) / f"{slug}.md", worst))
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return counts, problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", default="site", type=Path, help="the built site")
    parser.add_argument(
        "--treatments", default="docs/treatments", help="where the treatment files are"
    )
    args = parser.parse_args()
    if not (args.site / "handouts").is_dir():
        print(f"{args.site}/handouts: no handouts: build the site first (make site)")
        return 1
    counts, problems = print_handouts(args.site, args.treatments.rstrip("/"))
    for slug, sheets in counts.items():
        pages = ", ".join(f"{n} on {sheet}" for sheet, n in sheets.items())
        print(f"{args.site}/handouts/{slug}.pdf: {pages}")
    for line in problems:
        print(line)
    too_long = any(max(sheets.values()) > MOST_PAGES for sheets in counts.values())
    return 1 if too_long else 0


if __name__ == "__main__":
    sys.exit(main())
