"""Build-time benchmark: the sample site, and the same site grown to hundreds of treatments.

Prints numbers; it asserts nothing. Run with `make bench` (or `.venv/bin/python scripts/benchmark.py`).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def grow(project: Path, count: int) -> None:
    """Grow the sample to `count` treatments: copies of it, each with its own title and slug."""
    sample = (ROOT / "docs/treatments/microdermabrasion.md").read_text()
    folder = project / "docs/treatments"
    for i in range(1, count):
        text = re.sub(r"^title: .*$", f"title: Treatment {i:03d}", sample, count=1, flags=re.M)
        text = text.replace("category: Skin resurfacing", f"category: Group {i % 7}")
        (folder / f"treatment-{i:03d}.md").write_text(text)


def timed(cmd: list[str], cwd: Path, runs: int) -> list[float]:
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(cmd, cwd=cwd, env=ENV, capture_output=True, text=True)
        seconds.append(time.perf_counter() - start)
        if result.returncode != 0:
            sys.exit(f"failed: {' '.join(cmd)}\n{result.stderr[-2000:]}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1,100,300", help="numbers of treatments to build")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    python = sys.executable
    print(
        f"{'treatments':>10} {'build s (median)':>17} {'check s':>8} {'pages':>6}"
        f" {'site KB':>8} {'search index KB':>16}"
    )
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            project = Path(tmp)
            for name in ("mkdocs.yml", "docs", "overrides"):
                src = ROOT / name
                (shutil.copytree if src.is_dir() else shutil.copy)(src, project / name)
            if size != 1:
                grow(project, size)
            build = timed([python, "-m", "mkdocs", "build", "--strict", "-q"], project, args.runs)
            check = timed([python, "-m", "careleaf.cli", "check"], project, args.runs)
            site = project / "site"
            pages = len(list(site.rglob("index.html")))
            size_kb = sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 1024
            index_kb = (site / "search/search_index.json").stat().st_size / 1024
            print(
                f"{size:>10} {statistics.median(build):>17.2f} {statistics.median(check):>8.2f}"
                f" {pages:>6} {size_kb:>8.0f} {index_kb:>16.0f}"
            )


if __name__ == "__main__":
    main()
