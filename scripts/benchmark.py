"""What careleaf costs: the same site built by careleaf and by plain Material, side by side.

For each size (10, 100 and 1,000 treatments by default) it generates a library of valid,
varied treatments from the sample (docs/treatments/microdermabrasion.md and mkdocs.yml) in a
temporary folder, builds it once with careleaf to get the Markdown careleaf produces (every
page as the theme receives it, derived pages included, and the nav careleaf makes), and writes
that Markdown out as files for a plain Material site: the same theme, features, extensions and
overrides, without the careleaf plugin. It then builds both, alternating run by run, each run
in a fresh `python -m mkdocs build` process, and times `careleaf check` on the same site.

Measured per run, of the child process: CPU seconds (user + system), wall seconds, peak
memory (ru_maxrss). Also: the size of a treatment page and of the search index, the page's
weight on first load (scripts/page_weight.py, from the files), and, at 100 treatments (or the
size closest to it), the preview's save-to-visible time: `mkdocs serve` runs, one treatment
file gets a new word, and its page is fetched until the word shows; timed for careleaf as
`make serve` runs it (`--dirty`, the target's number), and, to compare, careleaf without
`--dirty` and plain Material with it.

Prints numbers next to the targets; it asserts nothing. Run with `make bench`, or
`.venv/bin/python scripts/benchmark.py --sizes 10,100 --runs 3`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import platform
import random
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from page_weight import static_weight  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "docs/treatments/microdermabrasion.md"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
PYTHON = sys.executable
CARELEAF = str(Path(PYTHON).with_name("careleaf"))

# The targets of issue 7, next to the numbers.
TARGET_RATIO = 1.25  # careleaf / plain CPU at 100 and 1,000 treatments
TARGET_GROWTH = 11.0  # careleaf CPU at 1,000 / at 100
TARGET_CHECK = 0.5  # careleaf check / careleaf build
TARGET_MEMORY = 1.3  # careleaf / plain peak memory at 1,000
TARGET_PREVIEW = 1.5  # seconds from save to the word on the page, at 100
TARGET_PAGE_KB = 70.0  # a treatment page on first load, gzip, kB of 1000 bytes


# --- a library of varied treatments ----------------------------------------------------------

FIRST = ["Gentle", "Light", "Calm", "Soft", "Fresh", "Even", "Cool", "Warm", "Fine", "Mild"]
SECOND = ["polish", "peel", "facial", "glow", "mask", "buff", "rinse", "scrub", "wash", "care"]
CATEGORIES = [
    "Skin resurfacing",
    "Peels",
    "Facials",
    "Laser and light",
    "Injections",
    "Hair removal",
    "Body treatments",
    "Acne care",
]
KEYWORDS = [
    "dark spots",
    "age spots",
    "dull skin",
    "acne scars",
    "large pores",
    "uneven skin tone",
    "rough skin",
    "skin polishing",
    "fine lines",
    "redness",
    "oily skin",
    "dry skin",
]
SUMMARIES = [
    "A gentle skin treatment that removes the top layer of dead skin cells and may make skin "
    "feel a little smoother.",
    "A mild treatment for the surface of the skin. Its effect is small and builds slowly.",
    "A short treatment that polishes the skin. Most people go back to work the same day.",
]


def _title(i: int) -> str:
    """A unique, plain title for treatment number i (1, 2, ...): 'Soft peel', 'Soft peel 3'."""
    a, b, n = FIRST[i % len(FIRST)], SECOND[(i // len(FIRST)) % len(SECOND)], i // 100
    return f"{a} {b}" + (f" {n + 1}" if n else "")


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def _split_sample() -> tuple[dict[str, Any], list[tuple[str, list[str]]], list[str]]:
    """The sample's front matter, its sections (heading, blocks) but the FAQ, and its FAQ
    entries (each '### question' with its answer)."""
    text = SAMPLE.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    sections: list[tuple[str, list[str]]] = []
    faq: list[str] = []
    for part in re.split(r"^## ", body, flags=re.M)[1:]:
        heading, _, rest = part.partition("\n")
        if heading.strip() == "FAQ":
            faq = ["### " + q.strip() for q in re.split(r"^### ", rest, flags=re.M)[1:]]
            continue
        blocks: list[str] = []
        for block in (b.strip() for b in rest.split("\n\n") if b.strip()):
            # A lead-in ("What it may help:") goes with the list after it.
            if blocks and blocks[-1].endswith(":"):
                blocks[-1] += "\n\n" + block
            else:
                blocks.append(block)
        sections.append((heading.strip(), blocks))
    return yaml.safe_load(front), sections, faq


REQUIRED = {
    "What it is",
    "Benefits",
    "How it works",
    "Who should avoid it",
    "Risks and side effects",
}


def treatment_text(
    rng: random.Random, title: str, slugs: list[str], today: dt.date, sample: Any
) -> str:
    """One valid treatment file: the sample's words, varied in title, category, facts,
    keywords, sections (optional ones left out, blocks dropped), FAQ count, sources (those
    cited), related treatments and review dates."""
    front, sections, faq = sample
    front = dict(front)
    body: list[str] = []
    for heading, blocks in sections:
        if heading not in REQUIRED and rng.random() < 0.3:
            continue
        kept = [b for b in blocks if rng.random() < 0.8] or blocks[:1]
        body.append(f"## {heading}\n\n" + "\n\n".join(kept))
    faq_kept = sorted(rng.sample(range(len(faq)), rng.randint(2, len(faq))))
    body.append("## FAQ\n\n" + "\n\n".join(faq[i] for i in faq_kept))
    text = "\n\n".join(body).replace("Microdermabrasion", title)
    text = text.replace("microdermabrasion", title.lower())
    cited = set(re.findall(r"@([\w-]+)", text))
    facts = list(front["facts"].items())
    reviewed = today - dt.timedelta(days=rng.randint(10, 200))
    front.update(
        title=title,
        summary=rng.choice(SUMMARIES),
        category=rng.choice(CATEGORIES),
        keywords=rng.sample(KEYWORDS, rng.randint(2, 8)),
        facts=dict(sorted(rng.sample(facts, rng.randint(3, len(facts))), key=facts.index)),
        review={
            "reviewer": front["review"]["reviewer"],
            "reviewed": reviewed,
            "next_review": reviewed + dt.timedelta(days=365),
        },
        sources=[s for s in front["sources"] if s["id"] in cited],
        related=rng.sample(slugs, min(len(slugs), rng.randint(0, 3))),
    )
    dumped = yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=10_000)
    return f"---\n{dumped}---\n\n{text}\n"


def make_project(project: Path, count: int, seed: int = 7) -> list[str]:
    """A copy of the sample site with `count` treatments (the sample and count - 1 made from
    it); the slugs of the treatments made."""
    for name in ("mkdocs.yml", "docs", "overrides"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, project / name)
    rng = random.Random(seed)
    sample = _split_sample()
    today = dt.date.today()
    titles = [_title(i) for i in range(1, count)]
    slugs = [_slug(t) for t in titles]
    folder = project / "docs/treatments"
    for i, (title, slug) in enumerate(zip(titles, slugs, strict=True)):
        others = slugs[:i] + slugs[i + 1 :]
        (folder / f"{slug}.md").write_text(
            treatment_text(rng, title, others, today, sample), encoding="utf-8"
        )
    return slugs


# --- the same Markdown, built by plain Material ------------------------------------------------

# A MkDocs hook that writes out every page's Markdown as the theme gets it (after careleaf's
# own on_page_markdown) and the nav careleaf makes.
_DUMP_HOOK = """
import json
from pathlib import Path

import yaml
from mkdocs.plugins import event_priority

OUT = Path(__file__).with_name("plain")


@event_priority(-100)
def on_page_markdown(markdown, page, config, files):
    path = OUT / "docs" / page.file.src_uri
    path.parent.mkdir(parents=True, exist_ok=True)
    meta = dict(page.meta)
    front = f"---\\n{yaml.safe_dump(meta, sort_keys=False, allow_unicode=True)}---\\n\\n" if meta else ""
    path.write_text(front + markdown, encoding="utf-8")
    return markdown


@event_priority(-100)
def on_nav(nav, config, files):
    OUT.mkdir(exist_ok=True)
    (OUT / "nav.json").write_text(json.dumps(config.nav), encoding="utf-8")
"""


def _is_careleaf(plugin: Any) -> bool:
    return plugin == "careleaf" or (isinstance(plugin, dict) and "careleaf" in plugin)


def make_plain(project: Path, plain: Path) -> None:
    """Build `project` once with careleaf (strict: the library must build clean), and write
    the Markdown it produced, with the site's other files, as a plain Material site in
    `plain`."""
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    (project / "dump_hook.py").write_text(_DUMP_HOOK, encoding="utf-8")
    derive = {**config, "hooks": ["dump_hook.py"]}
    (project / "mkdocs.derive.yml").write_text(yaml.safe_dump(derive, sort_keys=False))
    done = subprocess.run(
        [PYTHON, "-m", "mkdocs", "build", "-q", "--strict", "-f", "mkdocs.derive.yml"],
        cwd=project,
        env=ENV,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        sys.exit(f"the generated library does not build clean:\n{done.stderr[-4000:]}")
    dumped = project / "plain"
    shutil.copytree(project / "overrides", plain / "overrides")
    shutil.copytree(dumped / "docs", plain / "docs")
    for path in (project / "docs").rglob("*"):  # images and other files, but the glossary
        if path.is_file() and path.suffix != ".md" and path.name != "glossary.yml":
            target = plain / "docs" / path.relative_to(project / "docs")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)
    css = "assets/careleaf/careleaf.css"
    (plain / "docs" / css).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(project / "site" / css, plain / "docs" / css)
    config["plugins"] = [p for p in config.get("plugins", []) if not _is_careleaf(p)]
    # Without careleaf, `strict: true` would stop plain `mkdocs serve --dirty` on MkDocs' own
    # warning about dirty builds: the plain site is timed as it was before the sample set it.
    config.pop("strict", None)
    config["nav"] = json.loads((dumped / "nav.json").read_text(encoding="utf-8"))
    config["extra_css"] = [*config.get("extra_css", []), css]
    (plain / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True))
    for leftover in (project / "plain", project / "dump_hook.py", project / "mkdocs.derive.yml"):
        shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()


# --- measuring ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """One process: its CPU seconds (user + system), wall seconds and peak memory in MB."""

    cpu: float
    wall: float
    peak_mb: float


def run(cmd: list[str], cwd: Path) -> Run:
    """Run a command to its end in a fresh process and measure it (it must succeed)."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(cmd, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            err.seek(0)
            sys.exit(f"failed: {' '.join(cmd)}\n{err.read().decode()[-4000:]}")
    # ru_maxrss is in kilobytes on Linux (bytes on macOS).
    peak = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return Run(usage.ru_utime + usage.ru_stime, wall, peak)


def build(project: Path) -> Run:
    return run([PYTHON, "-m", "mkdocs", "build", "-q", "-f", "mkdocs.yml"], project)


def check(project: Path) -> Run:
    return run([CARELEAF, "check", "-f", "mkdocs.yml"], project)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8", "replace"))
    except (urllib.error.URLError, OSError):
        return None


def _until(condition: Callable[[], bool], timeout: float, poll: float = 0.02) -> bool:
    end = time.perf_counter() + timeout
    while time.perf_counter() < end:
        if condition():
            return True
        time.sleep(poll)
    return False


def save_to_visible(
    project: Path, slug: str, saves: int = 5, options: tuple[str, ...] = ()
) -> list[float]:
    """Seconds from saving an edited treatment file to its page showing the edit, in
    `mkdocs serve` (livereload on, as `make serve` runs it) with `options`, for each of
    `saves` saves."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}/treatments/{slug}/"
    log = tempfile.TemporaryFile()
    server = subprocess.Popen(
        [PYTHON, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", "-f", "mkdocs.yml", *options],
        cwd=project,
        env=ENV,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    file = project / "docs/treatments" / f"{slug}.md"
    seconds: list[float] = []
    try:
        if not _until(lambda: _fetch(url) is not None, timeout=600, poll=0.2):
            log.seek(0)
            sys.exit(f"mkdocs serve did not start:\n{log.read().decode()[-4000:]}")
        time.sleep(2)  # let the first build settle (the watcher starts after it)
        for _ in range(saves):
            word = f"Zebrafinch{secrets.token_hex(6)}"  # new on every save of every run
            text = file.read_text(encoding="utf-8")
            start = time.perf_counter()
            # A paragraph of its own: the plain site's page may end in an HTML block or an
            # attribute list, where a word added to the last line would not show.
            file.write_text(f"{text.rstrip()}\n\n{word}.\n", encoding="utf-8")
            if not _until(lambda w=word: w in (_fetch(url) or ""), timeout=120):  # type: ignore[misc]
                log.seek(0)
                sys.exit(f"the edit never showed:\n{log.read().decode()[-4000:]}")
            seconds.append(time.perf_counter() - start)
            time.sleep(1.5)  # the rebuild that showed it may still be writing other pages
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
    return seconds


# The previews timed: (name, project folder, `mkdocs serve` options). The first is the target's:
# careleaf as `make serve` runs it.
PREVIEWS = [
    ("careleaf, mkdocs serve --dirty (make serve)", "careleaf", ("--dirty",)),
    ("careleaf, mkdocs serve", "careleaf", ()),
    ("plain Material, mkdocs serve --dirty", "plain", ("--dirty",)),
]


def _gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


@dataclass
class Sizes:
    """Bytes of one treatment page and the search index, raw and gzip, and the page's first
    load (gzip, what its HTML pulls in before search is opened)."""

    page: int
    page_gzip: int
    index: int
    index_gzip: int
    first_load: int


def sizes(site: Path, slug: str) -> Sizes:
    page = (site / "treatments" / slug / "index.html").read_bytes()
    index = (site / "search/search_index.json").read_bytes()
    first = static_weight(site, f"treatments/{slug}/")
    return Sizes(
        len(page), _gzip_size(page), len(index), _gzip_size(index), sum(s for _, s in first)
    )


@dataclass
class Result:
    size: int
    careleaf: list[Run]
    plain: list[Run]
    check: list[Run]
    sizes: Sizes
    # Seconds from save to visible: careleaf as `make serve` runs it, careleaf with
    # `--dirty`, plain Material with `--dirty` (what the preview could be at best).
    preview: dict[str, list[float]] = field(default_factory=dict)


def bench(size: int, runs: int, preview: bool, saves: int = 5) -> Result:
    """Generate, derive, build both ways alternating, check, weigh, and time the preview."""
    with tempfile.TemporaryDirectory(prefix=f"careleaf-bench-{size}-") as tmp:
        project, plain = Path(tmp) / "careleaf", Path(tmp) / "plain"
        project.mkdir()
        make_project(project, size)
        print(f"  {size}: deriving the plain site ...", file=sys.stderr, flush=True)
        make_plain(project, plain)
        careleaf_runs: list[Run] = []
        plain_runs: list[Run] = []
        check_runs: list[Run] = []
        for n in range(runs):
            print(f"  {size}: run {n + 1} of {runs}", file=sys.stderr, flush=True)
            careleaf_runs.append(build(project))
            plain_runs.append(build(plain))
            check_runs.append(check(project))
        measured = sizes(project / "site", "microdermabrasion")
        seconds: dict[str, list[float]] = {}
        if preview:
            for name, folder, options in PREVIEWS:
                print(f"  {size}: preview, {name} ...", file=sys.stderr, flush=True)
                seconds[name] = save_to_visible(
                    Path(tmp) / folder, "microdermabrasion", saves, options
                )
        return Result(size, careleaf_runs, plain_runs, check_runs, measured, seconds)


# --- the table --------------------------------------------------------------------------------


def _spread(values: list[float], digits: int = 2) -> str:
    return f"{statistics.median(values):.{digits}f} ({min(values):.{digits}f}-{max(values):.{digits}f})"


def _median(values: list[float]) -> float:
    return statistics.median(values)


def _target(value: float, limit: float) -> str:
    return f"{'ok' if value <= limit else 'MISSED'} (target <= {limit:g})"


def machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cores, {model}, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )


def report(results: list[Result]) -> str:
    """The table of every size and the lines against the targets, as Markdown."""
    lines = [
        f"Machine: {machine()}",
        "",
        "| treatments | careleaf CPU s | plain CPU s | careleaf/plain CPU | careleaf wall s "
        "| plain wall s | check CPU s | check/build | careleaf MB | plain MB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        cpu = [x.cpu for x in r.careleaf]
        plain_cpu = [x.cpu for x in r.plain]
        check_cpu = [x.cpu for x in r.check]
        lines.append(
            f"| {r.size:,} | {_spread(cpu)} | {_spread(plain_cpu)} "
            f"| {_median(cpu) / _median(plain_cpu):.2f} "
            f"| {_spread([x.wall for x in r.careleaf])} | {_spread([x.wall for x in r.plain])} "
            f"| {_spread(check_cpu)} | {_median(check_cpu) / _median(cpu):.2f} "
            f"| {max(x.peak_mb for x in r.careleaf):.0f} | {max(x.peak_mb for x in r.plain):.0f} |"
        )
    lines.append("")
    by_size = {r.size: r for r in results}
    for r in results:
        if r.size in (100, 1000):
            ratio = _median([x.cpu for x in r.careleaf]) / _median([x.cpu for x in r.plain])
            lines.append(
                f"- careleaf/plain CPU at {r.size:,}: {ratio:.2f} {_target(ratio, TARGET_RATIO)}"
            )
    if 100 in by_size and 1000 in by_size:
        growth = _median([x.cpu for x in by_size[1000].careleaf]) / _median(
            [x.cpu for x in by_size[100].careleaf]
        )
        lines.append(
            f"- growth 100 -> 1,000 (careleaf CPU): {growth:.1f}x {_target(growth, TARGET_GROWTH)}"
        )
    for r in results:
        ratio = _median([x.cpu for x in r.check]) / _median([x.cpu for x in r.careleaf])
        lines.append(
            f"- careleaf check / build at {r.size:,}: {ratio:.2f} {_target(ratio, TARGET_CHECK)}"
        )
    largest = results[-1]
    memory = max(x.peak_mb for x in largest.careleaf) / max(x.peak_mb for x in largest.plain)
    lines.append(
        f"- peak memory at {largest.size:,}: careleaf {max(x.peak_mb for x in largest.careleaf):.0f}"
        f" MB, plain {max(x.peak_mb for x in largest.plain):.0f} MB: {memory:.2f}x "
        f"{_target(memory, TARGET_MEMORY)}"
    )
    for r in results:
        for n, (name, seconds) in enumerate(r.preview.items()):
            target = _target(_median(seconds), TARGET_PREVIEW) if n == 0 else "(for comparison)"
            lines.append(
                f"- preview save-to-visible at {r.size:,}, {name}: median {_median(seconds):.2f} s "
                f"(of {len(seconds)}: {', '.join(f'{s:.2f}' for s in seconds)}) {target}"
            )
    for r in results:
        s = r.sizes
        lines.append(
            f"- at {r.size:,}: treatment page {s.page / 1000:.1f} kB ({s.page_gzip / 1000:.1f} kB "
            f"gzip), first load {s.first_load / 1000:.1f} kB gzip "
            f"{_target(s.first_load / 1000, TARGET_PAGE_KB)}; search index "
            f"{s.index / 1000:.0f} kB ({s.index_gzip / 1000:.0f} kB gzip)"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000", help="numbers of treatments, e.g. 10,100")
    parser.add_argument("--runs", type=int, default=3, help="builds of each kind per size")
    parser.add_argument("--saves", type=int, default=5, help="edits timed in the preview")
    parser.add_argument("--no-preview", action="store_true", help="skip the preview's timing")
    args = parser.parse_args()
    sizes_asked = sorted({int(s) for s in args.sizes.split(",")})
    if min(sizes_asked) < 1 or args.runs < 1:
        parser.error("sizes and runs must be 1 or more")
    # The preview is timed at 100 treatments, or at the size nearest to it.
    preview_at = min(sizes_asked, key=lambda n: abs(n - 100))
    print(machine(), file=sys.stderr)
    results = [
        bench(size, args.runs, not args.no_preview and size == preview_at, args.saves)
        for size in sizes_asked
    ]
    print(report(results))


if __name__ == "__main__":
    main()
