"""Whatever an editor's files hold, `careleaf check` ends with findings, one line each.

A bounded property-based test: Hypothesis mutates the sample site's files (bytes, lines,
the front matter's YAML, long lines) with a fixed seed and a fixed number of examples, and
`careleaf check` runs on each, in this process: no traceback, no signal, every finding
`path:line: rule-id: message`, and the check ends (a guard stops one that runs on).
"""

from __future__ import annotations

import json
import re
import shutil
import signal
from pathlib import Path

import pytest
from conftest import ROOT, careleaf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FILES = ("docs/index.md", "docs/glossary.yml", "docs/treatments/microdermabrasion.md")
ORIGINAL = {name: (ROOT / name).read_bytes() for name in FILES}
FINDING = re.compile(r"^[^\s:][^:]*:\d+: [a-z0-9-]+: \S.*$")
EXAMPLES = 60

# What YAML and Markdown make something of: pieces to build hostile text from.
PIECES = [
    *"[]{}()<>!*_#:;@.,-|&`'\"\\~?%=\t ",
    "\n",
    "---",
    "- ",
    ": ",
    "&a ",
    "*a",
    "~",
    "yes",
    "5",
    "9" * 50,
    "!!binary ",
    "!!python/object:os.system ",
    "? ",
    "<a ",
    "<!--",
    "[@",
    "{#",
    "{: ",
    "!!! note",
    "## ",
    "### ",
    "javascript:",
    "e.g.",
    "é",
    "\u2028",
    "\x00",
    "\ufeff",
]
text_piece = st.one_of(st.sampled_from(PIECES), st.text(max_size=8))
hostile_text = st.lists(text_piece, max_size=12).map("".join)
YAML_VALUES = st.one_of(
    # Nesting, closed (read to the end, so deep it recursed) or left open.
    st.builds(
        lambda n, pair, closed: pair[0] * n + (pair[1] * n if closed else ""),
        st.sampled_from([3000, 1000, 30, 2]),
        st.sampled_from([("[", "]"), ("{a: ", "}"), ("[{a: ", "}]")]),
        st.sampled_from([True, False]),
    ),
    st.sampled_from(["~", "yes", "5", "1.5", "[]", "{}", "[a, [b]]", "*a", "&a x", "2026-02-30"]),
    st.builds(lambda n: "9" * n, st.sampled_from([20, 4301])),
    hostile_text,
)


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def _is_yaml_name(text: bytes) -> bool:
    """Whether a line's text before its first `:` is a YAML name (`  session_length`)."""
    name = text.strip().removeprefix(b"- ")
    return bool(name) and name.replace(b"_", b"").replace(b"-", b"").isalnum()


@st.composite
def mutation(draw: st.DrawFn, data: bytes) -> bytes:
    """One change to a file's bytes, of one of four kinds."""
    kind = draw(st.sampled_from(["yaml", "bytes", "lines", "yaml", "long line"]))
    if kind == "bytes":
        at = draw(st.integers(0, len(data)))
        cut = draw(st.integers(0, 8))
        return data[:at] + draw(st.binary(max_size=8)) + data[at + cut :]
    lines = _lines(data)
    at = draw(st.integers(0, max(len(lines) - 1, 0)))
    if kind == "lines":
        how = draw(st.sampled_from(["drop", "repeat", "swap", "insert"]))
        if how == "drop":
            del lines[at]
        elif how == "repeat":
            lines.insert(at, lines[at])
        elif how == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        else:
            lines.insert(at, draw(hostile_text).encode("utf-8", "surrogatepass"))
        return b"\n".join(lines)
    if kind == "yaml":
        # A `name: value` line (front matter or glossary) gets another value, or another name.
        named = [i for i, line in enumerate(lines) if _is_yaml_name(line.partition(b":")[0])]
        if not named:
            return data
        i = draw(st.sampled_from(named))
        name, _, value = lines[i].partition(b":")
        new = draw(YAML_VALUES).encode("utf-8", "surrogatepass")
        lines[i] = new + b":" + value if draw(st.booleans()) else name + b": " + new
        return b"\n".join(lines)
    unit = draw(st.lists(text_piece, min_size=1, max_size=12).map("".join).filter(bool))
    length = draw(st.sampled_from([1_000, 10_000, 50_000]))
    lines.insert(at, (unit * (length // len(unit) + 1))[:length].encode("utf-8", "surrogatepass"))
    return b"\n".join(lines)


@st.composite
def mutated_site(draw: st.DrawFn) -> dict[str, bytes]:
    files = dict(ORIGINAL)
    for name in FILES:
        for _ in range(draw(st.integers(0, 2))):
            files[name] = draw(mutation(files[name]))
    return files


@pytest.fixture(scope="module")
def sample_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample site, copied once; each example writes its own versions of the files."""
    copy = tmp_path_factory.mktemp("sample")
    shutil.copy(ROOT / "mkdocs.yml", copy)
    shutil.copytree(ROOT / "docs", copy / "docs")
    shutil.copytree(ROOT / "overrides", copy / "overrides")
    return copy


def _stop(signum: int, frame: object) -> None:
    raise TimeoutError("careleaf check was still running after 20 s")


@settings(
    max_examples=EXAMPLES,
    derandomize=True,  # the same examples on every run: a failure is there again next time
    database=None,
    deadline=None,  # a slow machine is not a failure; the guard below catches a hang
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)
@given(files=mutated_site())
def test_any_mutation_of_the_sample_gives_findings_not_a_crash(sample_copy, files):
    for name, data in files.items():
        (sample_copy / name).write_bytes(data)
    before = signal.signal(signal.SIGALRM, _stop)
    signal.alarm(20)  # a guard against a hang, far above what a check takes
    try:
        result = careleaf(sample_copy, "check", "--format", "json")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, before)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode in (0, 1), (result.returncode, result.stderr)
    for finding in json.loads(result.stdout):
        line = f"{finding['path']}:{finding['line']}: {finding['rule']}: {finding['message']}"
        assert FINDING.match(line), line
        assert finding["line"] >= 1
