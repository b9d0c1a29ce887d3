"""A differential fuzzer for careleaf's reader: small pages an editor might write or paste,
read by careleaf and rendered by Python-Markdown (configured as tests/test_reader.py does),
compared on headings and their ids, link targets, ids and citations. Each disagreement is
minimised to the smallest page that still shows it. Also times the reader on large hostile
pages, at two sizes, to find anything slow or worse than linear.

Not collected by pytest. Run it from the repository's root:

    NO_MKDOCS_2_WARNING=1 .venv/bin/python tests/fuzz_reader.py --cases 20000 --seed 1
    NO_MKDOCS_2_WARNING=1 .venv/bin/python tests/fuzz_reader.py --timing
    NO_MKDOCS_2_WARNING=1 .venv/bin/python tests/fuzz_reader.py --show 'text with \\n escapes'
"""

from __future__ import annotations

import argparse
import random
import re
import signal
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import markdown

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# The renderer as the agreement tests configure it, and what a browser finds in its HTML.
from test_reader import EXTENSIONS  # noqa: E402
from test_reader import rendered as render  # noqa: E402

from careleaf.reader import read_markdown  # noqa: E402


class Timeout(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise Timeout


signal.signal(signal.SIGALRM, _alarm)


def compare(text: str, seconds: int = 5) -> dict[str, tuple[object, object]]:
    """What careleaf reads and what the page shows, where they differ: aspect -> (reader,
    renderer). An aspect of "crash" or "hang" means the reader failed."""
    signal.alarm(seconds)
    try:
        try:
            reading = read_markdown(text)
        except Timeout:
            return {"hang": ("reader", None)}
        except Exception as exc:  # noqa: BLE001 - a crash is a finding
            return {"crash": (f"{type(exc).__name__}: {exc}", traceback.format_exc(limit=-3))}
        try:
            html = render(text)
        except Timeout:
            return {}  # Python-Markdown's own trouble: not ours
        except Exception:  # noqa: BLE001
            return {}
    finally:
        signal.alarm(0)
    out: dict[str, tuple[object, object]] = {}
    mine = [(h.level, h.id) for h in reading.headings]
    if mine != html.headings:
        # Same headings, other ids, or other headings?
        if [lv for lv, _ in mine] == [lv for lv, _ in html.headings]:
            out["heading ids"] = (mine, html.headings)
        else:
            out["headings"] = (mine, html.headings)
    targets = sorted(link.target for link in reading.links)
    definitions = {link.target for link in reading.links if link.kind == "definition"}
    if set(targets) != set(html.links):
        differ = set(targets) ^ set(html.links)
        # A definition no link uses shows nothing: careleaf checks it all the same.
        aspect = "unused definition" if differ <= definitions else "links"
        out[aspect] = (targets, sorted(html.links))
    elif Counter(targets) != Counter(html.links):
        out["link count"] = (targets, sorted(html.links))
    if reading.anchors != html.ids:
        out["ids"] = (sorted(reading.anchors), sorted(html.ids))
    cited = sorted(m.ids for m in reading.citations)
    shown = sorted(html.citations())
    if cited != shown:
        out["citations"] = (cited, shown)
    return out


# --- pages an editor might write -------------------------------------------------------------

WORDS = ["Aspirin", "dose", "Café", "naïve", "side effects", "Q&A", "x", "C#", "a_b", "ÄÖ", "日本"]
TARGETS = ["a.md", "b.md#c", "#top", "../up.md#x-y", "https://e.org/p?q=1&r=2", "c.md#", "d e.md"]
TARGETS += ["mailto:a@b.org", "img.png", "<sp ace.md>", "x.md#Café", "javascript:alert(1)"]
IDS = ["notes", "a", "x_1", "q", "Notes", "top", "c"]


def pick(rng: random.Random, items: list[str]) -> str:
    return rng.choice(items)


def inline(rng: random.Random) -> str:
    """A piece of a line."""
    w, t, i = pick(rng, WORDS), pick(rng, TARGETS), pick(rng, IDS)
    ticks = "`" * rng.randint(1, 3)
    options: list[Callable[[], str]] = [
        lambda: w,
        lambda: f"[{w}]({t})",
        lambda: f'[{w}]({t} "title")',
        lambda: f"[{w}]({t} 'title')",
        lambda: f"![{w}]({t})",
        lambda: f"[{w}][{i}]",
        lambda: f"[{i}][]",
        lambda: f"[{i}]",
        lambda: f"<{t}>",
        lambda: "<a@b.example>",
        lambda: f"[@{i}]",
        lambda: f"[@{i}; @{pick(rng, IDS)}]",
        lambda: f"[@{i}, @{pick(rng, IDS)}]",
        lambda: f"[@ {i}]",
        lambda: f"[@{i}, p. 4]",
        lambda: f"{ticks}{w} [x]({t}) [@{i}]{ticks}",
        lambda: f"{ticks}[@{i}]",
        lambda: f"{ticks}",
        lambda: f'<a href="{t}">{w}</a>',
        lambda: f'<span id="{i}">{w}</span>',
        lambda: f"<!-- [@{i}] [c]({t}) -->",
        lambda: "<!-- open",
        lambda: "-->",
        lambda: f"*{w}*",
        lambda: f"**{w}**",
        lambda: f"_{w}_",
        lambda: "&amp; &copy; &#35; &lt;b&gt;",
        lambda: f"[{w}]({t}){{: #{i} }}",
        lambda: f"[link with [brackets]]({t})",
        lambda: f"[{w}]( {t} )",
        lambda: f"<b>{w}</b>",
        lambda: f"[`code]`]({t})",
        lambda: f"<{w}>",
    ]
    return rng.choice(options)()


def text_line(rng: random.Random) -> str:
    return " ".join(inline(rng) for _ in range(rng.randint(1, 4)))


def attr_list(rng: random.Random) -> str:
    i = pick(rng, IDS)
    return pick(
        rng, [f" {{#{i}}}", f" {{: #{i} .c }}", f" {{ #{i} }}", " {.c}", " {#}", " {: #a #b }"]
    )


def block(rng: random.Random, depth: int = 0) -> str:
    """A block of one or more lines."""
    kind = rng.randrange(44 if depth < 2 else 30)
    w, t, i = pick(rng, WORDS), pick(rng, TARGETS), pick(rng, IDS)
    fence = pick(rng, ["```", "~~~", "````", "``", "~~~~"])
    indent = " " * rng.choice([0, 0, 0, 1, 2, 3, 4])
    if kind == 0:
        marks = "#" * rng.randint(1, 7)
        space = rng.choice([" ", " ", "", "  ", "\t"])
        closing = rng.choice(["", "", " ##", " #", "#"])
        attrs = attr_list(rng) if rng.random() < 0.3 else ""
        return f"{marks}{space}{text_line(rng)}{attrs}{closing}"
    if kind == 1:
        return f"{pick(rng, WORDS)} {i}{attr_list(rng) if rng.random() < 0.3 else ''}\n" + (
            rng.choice(["===", "---", "-", "= =", "  ---", "***"])
        )
    if kind == 2:
        body = "\n".join(
            rng.choice([f"# {w}", f"[x]({t})", f"[@{i}]", "", fence]) for _ in range(2)
        )
        close = rng.choice([fence, fence, fence + " ", "", fence + "`", " " + fence])
        info = rng.choice(["", "python", " md", "`x`", "{ .md }"])
        return f"{indent}{fence}{info}\n{body}\n{close}".rstrip("\n")
    if kind == 3:
        return "\n".join(
            f"    {rng.choice([f'## {w}', f'[y]({t})', f'[@{i}]', '<div>'])}" for _ in range(2)
        )
    if kind == 4:
        return f"<!-- {text_line(rng)} -->"
    if kind == 5:
        return f"<!--\n## {w}\n[c]({t}) [@{i}]\n-->"
    if kind == 6:
        return f"<!-- unclosed\n## {w}"
    if kind == 7:
        return rng.choice(["<!-->", "<!--->", "<!-- -- -->", "<!---->", f"<!-- a --> ## {w}"])
    if kind == 8:
        tag = pick(rng, ["div", "p", "section", "details", "table", "pre", "script", "aside", "ul"])
        md = rng.choice(["", " markdown", ' markdown="1"', ' markdown="block"', ' id="raw"'])
        inner = "\n\n".join(block(rng, depth + 1) for _ in range(rng.randint(1, 2)))
        gap = rng.choice(["\n\n", "\n"])
        end = rng.choice([f"</{tag}>", f"</{tag}>", "", f"</{tag}> trailing"])
        return f"<{tag}{md}>{gap}{inner}{gap}{end}"
    if kind == 9:
        return rng.choice(["<hr>", "<hr/>", "<br>", f'<img src="{t}">', "<hr>\n## after"])
    if kind == 10:
        return f"<div>{w} [x]({t})</div>"
    if kind == 11:
        return f"[{i}]: {t}" + rng.choice(["", ' "T"', " 'T'", '\n  "T"'])
    if kind == 12:
        bullet = pick(rng, ["-", "*", "+", "1."])
        pad = rng.choice(["  ", "    "])
        inner = block(rng, depth + 1).replace("\n", "\n" + pad)
        return f"{bullet} {text_line(rng)}\n\n{pad}{inner}"
    if kind == 13:
        return "\n".join(f"> {line}" if line else ">" for line in block(rng, depth + 1).split("\n"))
    if kind == 14:
        return f"| {w} | b |\n|---|---|\n| {inline(rng)} | {inline(rng)} |"
    if kind == 15:
        title = rng.choice(['"T"', '""', "", f'"[@{i}]"'])
        inner = block(rng, depth + 1).replace("\n", "\n    ")
        return f"!!! note {title}".rstrip() + f"\n\n    {inner}"
    if kind == 16:
        return f"{w}\n:   {text_line(rng)}"
    if kind == 17:
        return f"*[{w}]: {pick(rng, WORDS)}"
    if kind == 18:
        return f"{indent}{text_line(rng)}"
    if kind == 19:
        return "\t" + text_line(rng)
    if kind == 20:
        return "{: #" + i + " .lead }"
    if kind == 21:
        return f"{text_line(rng)}\n{{: #{i} }}"
    if kind == 22:
        return f"{indent}#{rng.choice([' ', ''])}{w}"
    if kind == 23:
        return "---" if rng.random() < 0.5 else "* * *"
    if kind == 24:
        return f"{w}  \n{text_line(rng)}"
    if kind == 25:
        return f"<details markdown>\n<summary>{w}</summary>\n\n## {w}\n\n</details>"
    if kind == 26:
        return f'<p id="{i}">{w}</p> [x]({t})'
    if kind == 27:
        return f"<!-- a -->\n## {w}"
    if kind == 28:
        return f'<a href="{t}">\n## {w}\n</a>'
    if kind == 29:
        return "## " + w + "\n" + text_line(rng)
    # Nesting forms (only at shallow depth).
    if kind == 30:
        return "\n\n".join(block(rng, depth + 1) for _ in range(2))
    if kind == 31:
        return f"1. {w}\n\n    ```\n    [z]({t})\n    ```"
    if kind == 32:
        return f"- {w}\n    - {text_line(rng)}\n        ## {w}"
    if kind == 33:
        return f"> ```\n> [q]({t})\n> ```"
    if kind == 34:
        return f"!!! {rng.choice(['note', 'warning', 'tip'])}\n    ## {w}\n    [a]({t})"
    if kind == 35:
        return f'<div markdown="1">\n{block(rng, depth + 1)}\n</div>'
    if kind == 36:
        return f"Term\n:   {w}\n\n    ## {w}"
    if kind == 37:
        return f"<div>\n{block(rng, depth + 1)}"
    if kind == 38:
        return f"{fence}\n{block(rng, depth + 1)}"
    if kind == 39:
        return f"- {w}\n{block(rng, depth + 1)}"
    if kind == 40:
        return f"<pre>\n{block(rng, depth + 1)}\n</pre>"
    if kind == 41:
        return f"{text_line(rng)}\n{block(rng, depth + 1)}"
    if kind == 42:
        return f"<span>{w}</span>\n{block(rng, depth + 1)}"
    return f"{w} <!-- \n{block(rng, depth + 1)}\n--> {w}"


def page(rng: random.Random) -> str:
    blocks = [block(rng) for _ in range(rng.randint(1, 5))]
    text = ""
    for b in blocks:
        text += b + rng.choice(["\n\n", "\n\n", "\n", "\n\n\n"])
    r = rng.random()
    if r < 0.05:
        text = text.replace("\n", "\r\n")
    elif r < 0.08:
        text = text.replace("    ", "\t")
    elif r < 0.1:
        text = text.rstrip("\n")
    return text


# --- minimising ------------------------------------------------------------------------------


def _ddmin(items: list[str], still: Callable[[list[str]], bool]) -> list[str]:
    """Delta debugging: a smallest list of items (lines or characters) that still fails."""
    n = 2
    while len(items) >= 2:
        chunk = max(1, len(items) // n)
        reduced = False
        for start in range(0, len(items), chunk):
            candidate = items[:start] + items[start + chunk :]
            if candidate and still(candidate):
                items, n, reduced = candidate, max(n - 1, 2), True
                break
        if not reduced:
            if chunk == 1:
                break
            n = min(len(items), n * 2)
    return items


def minimise(text: str, aspect: str) -> str:
    def fails(candidate: str) -> bool:
        return aspect in compare(candidate)

    lines = _ddmin(text.split("\n"), lambda ls: fails("\n".join(ls)))
    text = "\n".join(lines)
    # Then whole words, runs of spaces and single marks, so what is left stays readable.
    tokens = _ddmin(re.findall(r"\s+|\w+|.", text), lambda ts: fails("".join(ts)))
    text = "".join(tokens)
    # Simplify words: try replacing each run of letters with "x".
    for word in sorted(set(re.findall(r"[^\W\d_]{2,}", text)), key=len, reverse=True):
        candidate = re.sub(rf"\b{re.escape(word)}\b", "x", text)
        if candidate != text and fails(candidate):
            text = candidate
    return text


# --- timing ----------------------------------------------------------------------------------

HOSTILE = {
    "open brackets": "[",
    "link openers": "[a](",
    "backticks": "`",
    "backtick pairs": "`` a ",
    "comment openers": "<!--",
    "comment closers": "-->",
    "div openers": "<div>",
    "div markdown openers": "<div markdown>\n\n",
    "lines of div": "<div>\n",
    "lines of </div>": "</div>\n",
    "unclosed fences": "```\n",
    "fence lines": "```\nx\n",
    "tilde fences": "~~~\n",
    "heading lines": "## a\n",
    "headings same text": "## Notes\n\n",
    "headings with attrs": "## a {#x}\n",
    "attr braces": "{",
    "heading of braces": "## {{{{{{{{{{\n",
    "citation openers": "[@",
    "malformed citations": "[@ a] ",
    "citations": "[@a] ",
    "citation lines": "[@a]\n",
    "link lines": "[a](b.md)\n",
    "stars": "*",
    "underscores": "_",
    "list markers": "- ",
    "list lines": "- a\n",
    "nested list lines": "  - a\n",
    "quote markers": "> ",
    "angle a": "<a",
    "angle tags": "<a href='x'>",
    "tag openers": "<",
    "comment text": "<!-- x\n",
    "table rows": "| a | b |\n",
    "table": "| a |\n|---|\n",
    "admonition lines": "!!! note\n    x\n",
    "def list lines": "a\n:   b\n",
    "abbr lines": "*[A]: b\n",
    "reference defs": "[a]: b.md\n",
    "reference uses": "[a][b] ",
    "entities": "&amp;",
    "escapes": "\\[",
    "blank lines": "\n",
    "spaces": " ",
    "indented lines": "    x\n",
    "setext": "a\n---\n",
    "inline html spans": "<span id='a'>x</span>",
    "closing tags": "</span>",
    "links": "[a](b.md) ",
    "autolinks": "<https://a.b/> ",
    "pre openers": "<pre>\n",
    "script lines": "<script>\n",
    "style lines": "<style>\nx\n",
    "unclosed p": "<p>x\n\n",
    "comment in text": "a <!-- b --> ",
}


def time_reader(text: str) -> float:
    start = time.perf_counter()
    signal.alarm(120)
    try:
        read_markdown(text)
    except Timeout:
        return float("inf")
    finally:
        signal.alarm(0)
    return time.perf_counter() - start


def timing(size: int) -> list[tuple[str, float, float]]:
    slow = []
    for name, unit in HOSTILE.items():
        text = unit * (size // len(unit))
        small = time_reader(text)
        large = time_reader(unit * (2 * size // len(unit)))
        ratio = large / small if small else 0.0
        flag = " <-- slow" if large > 1 or ratio > 3 else ""
        print(f"{name:24} {small:8.3f}s {large:8.3f}s  x{ratio:5.1f}{flag}", flush=True)
        if flag:
            slow.append((name, small, large))
    return slow


# --- main ------------------------------------------------------------------------------------


def assume_fixed() -> None:
    """Patch the reader's parser, in this process only, as a fix for the first finding would:
    Python-Markdown's `#` headings, fences and raw HTML start right after a paragraph, list
    or quote line (markdown-it's `Ruler.at` drops a rule's `alt` list unless given again).
    So the fuzzer can look past that finding for others."""
    from careleaf.markdown_rules import parser as _parser

    ruler = _parser().block.ruler
    for name in ("heading", "fence", "html_block"):
        rule = ruler.__rules__[ruler.__find__(name)]
        rule.alt = ["paragraph", "reference", "blockquote", "list"]
    ruler.__cache__ = None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timing", action="store_true")
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--show", help="compare one page (Python escapes allowed)")
    parser.add_argument("--no-minimise", action="store_true")
    parser.add_argument("--assume-fixed", action="store_true", help=assume_fixed.__doc__)
    args = parser.parse_args()
    if args.assume_fixed:
        assume_fixed()

    if args.show is not None:
        text = args.show.encode().decode("unicode_escape")
        for aspect, (mine, shown) in compare(text).items():
            print(f"{aspect}:\n  reader:   {mine}\n  renderer: {shown}")
        print(markdown.markdown(text, extensions=EXTENSIONS))
        return 0
    if args.timing:
        slow = timing(args.size)
        return 1 if slow else 0

    rng = random.Random(args.seed)
    found: dict[tuple[str, str], int] = {}  # (aspect, minimal page) -> how often
    started = time.time()
    for n in range(args.cases):
        text = page(rng)
        for aspect in compare(text):
            if args.no_minimise:
                key = (aspect, text)
            else:
                key = (aspect, minimise(text, aspect))
            if key not in found:
                mine, shown = compare(key[1]).get(aspect, (None, None))
                print(f"[{n}] {aspect}: {key[1]!r}\n    reader:   {mine}\n    renderer: {shown}")
                sys.stdout.flush()
            found[key] = found.get(key, 0) + 1
    print(f"\n{args.cases} pages in {time.time() - started:.0f}s; {len(found)} minimal findings")
    for (aspect, text), count in sorted(found.items(), key=lambda kv: -kv[1]):
        print(f"{count:5}  {aspect:12} {text!r}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
