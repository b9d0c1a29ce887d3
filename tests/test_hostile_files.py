"""No file crashes or hangs careleaf: YAML past its limits, values of the wrong kind, 100 kB
lines made to make patterns backtrack, links that loop or leave docs/, templates that run
away, pages at the address of a page careleaf makes. Each is one line, `path:line: rule:
message`, never a traceback, a signal or a wait."""

from __future__ import annotations

import json
import re
import signal
from collections.abc import Iterator

import pytest
from conftest import FIXTURES, careleaf, mkdocs, run_module

VALID = (FIXTURES / "valid.md").read_text()
TREATMENT = "docs/treatments/test-peel.md"
FINDING = re.compile(r"^[^\s:][^:]*:\d+: [a-z0-9-]+: \S.*$")


@pytest.fixture
def hang_guard() -> Iterator[None]:
    """Stops a test that hangs (a guard, not a measure of speed: anything under a minute)."""

    def stop(signum: int, frame: object) -> None:
        raise TimeoutError("still running after 60 s")

    before = signal.signal(signal.SIGALRM, stop)
    signal.alarm(60)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, before)


def found(result) -> list[str]:
    """What `careleaf check --format json` reported, each as its one line."""
    assert "Traceback" not in result.stderr, result.stderr
    lines = [
        f"{f['path']}:{f['line']}: {f['rule']}: {f['message']}" for f in json.loads(result.stdout)
    ]
    assert all(FINDING.match(line) for line in lines), lines
    return lines


def with_front_matter(extra: str) -> str:
    return VALID.replace("related: []", "related: []\n" + extra)


BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)
)
DEEP_BLOCK = "x:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(1000))

# (file, its text, the finding's start)
YAML_PAST_LIMITS = [
    (
        TREATMENT,
        with_front_matter("x: " + "[" * 1000 + "]" * 1000),
        f"{TREATMENT}:22: front-matter-limit:",
    ),
    (TREATMENT, with_front_matter(DEEP_BLOCK), f"{TREATMENT}:"),
    (TREATMENT, with_front_matter(BOMB), f"{TREATMENT}:23: front-matter-limit:"),
    (TREATMENT, VALID.replace("3 to 6", "9" * 4301), f"{TREATMENT}:8: front-matter-limit:"),
    (
        TREATMENT,
        with_front_matter("notes: " + "x" * 200_000),
        f"{TREATMENT}:2: front-matter-limit:",
    ),
    (
        "docs/index.md",
        "---\nx: " + "{a: " * 1000 + "1" + "}" * 1000 + "\n---\n# T\n",
        "docs/index.md:2: front-matter-limit:",
    ),
    ("docs/index.md", "---\n" + BOMB + "---\n# T\n", "docs/index.md:3: front-matter-limit:"),
    (
        "docs/index.md",
        "---\nx: " + "9" * 4301 + "\n---\n# T\n",
        "docs/index.md:2: front-matter-limit:",
    ),
    (
        "docs/glossary.yml",
        "x: " + "[" * 1000 + "]" * 1000 + "\n",
        "docs/glossary.yml:1: glossary-limit:",
    ),
    ("docs/glossary.yml", BOMB, "docs/glossary.yml:2: glossary-limit:"),
]


@pytest.mark.parametrize(("path", "text", "start"), YAML_PAST_LIMITS)
def test_yaml_past_a_limit_is_one_line(project, hang_guard, path, text, start):
    (project / path).write_text(text)
    result = careleaf(project, "check", "--format", "json")
    assert result.returncode == 1
    assert any(line.startswith(start) for line in found(result)), found(result)


@pytest.mark.parametrize(
    ("path", "text", "start"),
    [
        (
            TREATMENT,
            with_front_matter("x: " + "[" * 30_000 + "]" * 30_000),
            f"{TREATMENT}:22: front-matter-limit:",
        ),
        (
            "docs/index.md",
            "---\nx: " + "[" * 30_000 + "]" * 30_000 + "\n---\n# T\n",
            "docs/index.md:2: front-matter-limit:",
        ),
        (
            "docs/glossary.yml",
            "x: " + "{a: " * 30_000 + "1" + "}" * 30_000,
            "docs/glossary.yml:1: glossary-limit:",
        ),
    ],
)
def test_yaml_30000_deep_is_one_line_not_a_crash(project, path, text, start):
    """libyaml's composer recursed on its own stack until the process died (a signal): a
    separate process, so that a crash is this test failing, not the test run ending."""
    (project / path).write_text(text)
    check = run_module(project, "careleaf.cli", "check")
    assert check.returncode == 1, (check.returncode, check.stderr[-500:])
    assert "Traceback" not in check.stderr
    build = run_module(project, "mkdocs", "build")
    assert build.returncode == 1, (build.returncode, build.stderr[-500:])
    assert "Traceback" not in build.stderr
    assert start in build.stderr


@pytest.mark.parametrize(
    ("old", "new", "start"),
    [
        ("  sessions:", "  5:", f"{TREATMENT}:8: field-type: a name here is read as a number"),
        ("  sessions:", "  ~:", f"{TREATMENT}:8: field-type: a name here is read as nothing"),
        ("  sessions:", "  yes:", f"{TREATMENT}:8: field-type: a name here is read as yes or no"),
        ("  sessions:", "  1.5:", f"{TREATMENT}:8: field-type: a name here is read as a number"),
        ("title: Test Peel", "5: Test Peel", f"{TREATMENT}:2: field-type:"),
        (
            "reviewer: Clinic nurse (test role)",
            "true: x",
            f"{TREATMENT}:11: field-type: a name here is read as yes or no",
        ),
        (
            "sources:\n  - id: guide",
            "sources: 5\nx:\n  - id: guide",
            f"{TREATMENT}:14: field-type:",
        ),
        ("facts:\n", "facts: 5\nx:\n", f"{TREATMENT}:6: field-type: facts should be"),
        (
            "keywords: [dull skin, dark spots]",
            "keywords: 5",
            f"{TREATMENT}:5: field-type: keywords should be a list",
        ),
        (
            "keywords: [dull skin, dark spots]",
            "keywords: [[a], {b: c}]",
            f"{TREATMENT}:5: field-type: keywords[1] should be text",
        ),
        ("related: []", "related: 5", f"{TREATMENT}:21: field-type:"),
        ("related: []", "related: []\nchecks: {ignore: 5}", f"{TREATMENT}:22: field-type:"),
        ("title: Test Peel", "title: [Test, Peel]", f"{TREATMENT}:2: field-type:"),
        ("  - id: guide", "  - 5\n  - id: guide", f"{TREATMENT}:15: field-type:"),
        ("  - id: guide", "  - id: 5", f"{TREATMENT}:15: field-type:"),
        ("review:\n", "review: [a]\nx:\n", f"{TREATMENT}:10: field-type: review should be"),
    ],
)
def test_a_value_of_the_wrong_kind_is_one_line(project, old, new, start):
    text = (project / TREATMENT).read_text()
    assert old in text
    (project / TREATMENT).write_text(text.replace(old, new, 1))
    result = careleaf(project, "check", "--format", "json")
    assert result.returncode == 1
    assert any(line.startswith(start) for line in found(result)), found(result)


N = 100_000

# Lines made to make a pattern try again and again: each once took minutes (or more).
LONG_LINES = {
    "a heading and 100,000 spaces": ("## Benefits", "## Benefits" + " " * N + "."),
    "a heading, spaces, then an attribute list": (
        "## Benefits",
        "## Benefits" + " " * N + "x {#a}",
    ),
    "a heading of ' {'": ("## Benefits", "## Benefits" + " {" * (N // 2) + "}"),
    "100,000 dots": ("Redness for a day.", "Redness" + "." * N + "x"),
    "100,000 stops": ("Redness for a day.", "Redness" + "!?" * (N // 2) + "x"),
    "e.g. again and again": ("Redness for a day.", "Redness e.g. " + "e.g. " * (N // 5)),
    "single letters": ("Redness for a day.", "Redness " + "a. " * (N // 3)),
    "100,000 spaces": ("Redness for a day.", "Redness " + " " * N + "for a day."),
    "<a  again and again": (
        "Redness for a day.",
        "Redness for a day.\n\n" + "<a " * 1_900 + "x " * (N // 2),
    ),
    "an id and spaces": ("Redness for a day.", "Redness for a day.\n\n<p id" + " " * N),
    "comments never closed": (
        "Redness for a day.",
        "Redness.\n\n" + "<!--" * 1_900 + "x " * (N // 2),
    ),
    "an address of a-a-a-": ("Redness for a day.", "Redness [x](http://" + "a-" * (N // 2) + ")."),
    "a bare address of a-a-a-": ("Redness for a day.", "Redness http://" + "a-" * (N // 2)),
    "a mail address never closed": ("Redness for a day.", "Redness <" + "a" * N + "@"),
    "citations never closed": ("Redness for a day.", "Redness [@a" + ";@a" * (N // 3)),
    "an abbreviation never closed": ("Redness for a day.", "Redness.\n\n*[" + "x" * N),
    "an admonition and spaces": ("Redness for a day.", "Redness.\n\n!!! note" + " " * N + "."),
    "a word of 100,000 letters": ("Redness for a day.", "Redness " + "a" * N + "es."),
    "a stop, spaces and a citation": ("Redness for a day.", "Redness." + " \t" * (N // 2) + "[@a"),
    "a glossary term again and again": ("Redness for a day.", "Redness " + "peel-" * (N // 5)),
    "a link target with no scheme": ("Redness for a day.", "Redness [x](" + "a" * N + ")."),
    "an attribute list never closed": ("Redness for a day.", "Redness{: " + "a=b " * (N // 4)),
}


@pytest.mark.parametrize("name", LONG_LINES)
def test_a_100kb_line_ends(project, hang_guard, name):
    old, new = LONG_LINES[name]
    (project / "docs/glossary.yml").write_text("Peel: A liquid that takes off dead skin.\n")
    page = project / TREATMENT
    page.write_text(page.read_text().replace(old, new, 1))
    (project / "docs/index.md").write_text(
        "# Home\n\n" + new.replace("## Benefits", "Benefits") + "\n"
    )
    result = careleaf(project, "check", "--format", "json")
    assert result.returncode in (0, 1)
    found(result)


def test_a_symlink_loop_or_a_link_out_of_docs_is_one_line(project, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (elsewhere / "secret.md").write_text("# Not for the site\n")
    (project / "docs/loop").symlink_to("loop")
    (project / "docs/up").symlink_to("..")
    (project / "docs/secret.md").symlink_to(elsewhere / "secret.md")
    (project / "docs/elsewhere").symlink_to(elsewhere)
    (project / "docs/inside.md").symlink_to("index.md")  # a link within docs/ is fine
    expected = [
        "docs/elsewhere:1: file-link:",
        "docs/loop:1: file-link: this link leads back to itself",
        "docs/secret.md:1: file-link:",
        "docs/up:1: file-link:",
    ]
    check = careleaf(project, "check", "--format", "json")
    assert check.returncode == 1
    assert sorted(
        line.split(" ", 2)[0] + " " + line.split(" ", 2)[1]
        for line in found(check)
        if "file-link" in line
    ) == sorted(" ".join(e.split(" ")[:2]) for e in expected)
    build = mkdocs(project, "build")
    assert build.returncode == 1 and "Traceback" not in build.stderr
    assert all(e in build.stderr for e in expected)
    assert not (project / "site").exists()


RUNAWAY_TEMPLATES = [
    "{{ 'x' * 10**10 }}",
    "{{ 2 ** 1000000000 }}",
    "{{ ([1] * 10**8) | length }}",
    "{% for i in range(10**9) %}{{ i }}{% endfor %}",
    "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}",
    "{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
    "{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = [ns.s, ns.s] | join %}{% endfor %}",
    "{% macro d(s, n) %}{{ d(s ~ s, n - 1) if n else s | length }}{% endmacro %}{{ d('x', 64) }}",
    "{{ 'x' | center(10**9) }}",
    "{{ 'x'.ljust(10**9) }}",
    "{{ '{:>999999999}'.format(1) }}",
    "{{ '%999999999d' % 1 }}",
    "{{ '%*d' % (10**9, 1) }}",
    "{{ '{:{}}'.format(1, 10**9) }}",
    "{% set s = 'x' * 1000000 %}{{ s.replace('x', s) }}",
    "{% for i in range(1000000) %}{{ 'x' * 1000 }}{% endfor %}",
]


@pytest.mark.parametrize("template", RUNAWAY_TEMPLATES)
def test_a_runaway_template_is_stopped_with_one_line(project, hang_guard, template):
    (project / "overrides/careleaf").mkdir()
    (project / "overrides/careleaf/faq.md.j2").write_text("# Questions\n\n" + template + "\n")
    result = careleaf(project, "check", "--format", "json")
    assert result.returncode == 1
    lines = found(result)
    assert [line for line in lines if "template" in line] == [
        next(
            line
            for line in lines
            if line.startswith("overrides/careleaf/faq.md.j2:3: template-limit: the template ")
        )
    ]


def test_a_runaway_template_stops_the_build_with_its_line(project, hang_guard):
    (project / "overrides/careleaf").mkdir()
    (project / "overrides/careleaf/faq.md.j2").write_text("# Questions\n\n{{ 'x' * 10**10 }}\n")
    build = mkdocs(project, "build")
    assert build.returncode == 1 and "Traceback" not in build.stderr
    assert "overrides/careleaf/faq.md.j2:3: template-limit: the template multiplies" in build.stderr


def test_an_ordinary_template_is_within_the_limits(project):
    (project / "overrides/careleaf").mkdir()
    (project / "overrides/careleaf/faq.md.j2").write_text(
        "# Questions\n\n{% for t in library.treatments %}{% for faq in t.faqs %}"
        "- {{ faq.question ~ ' (' ~ t.title ~ ')' }} {{ '%s' % loop.index }} "
        "{{ '{}'.format(loop.length) }} {{ 'ab' * 3 }} {{ 2 ** 10 }}\n"
        "{% endfor %}{% endfor %}\n"
    )
    assert careleaf(project, "check").returncode == 0
    assert mkdocs(project, "build", "--strict").returncode == 0
    assert (
        "How long does it take? (Test Peel) 2 2 ababab 1024"
        in (project / "site/faq/index.html").read_text()
    )


@pytest.mark.parametrize(
    ("path", "address"),
    [
        ("docs/faq.md", "faq/"),
        ("docs/faq.markdown", "faq/"),
        ("docs/faq/index.md", "faq/"),
        ("docs/faq/README.md", "faq/"),
        ("docs/treatments.md", "treatments/"),
        ("docs/treatments/index.md", "treatments/"),
        ("docs/glossary.mdown", "glossary/"),
        ("docs/compare/index.html", "compare/"),
        ("docs/who-should-avoid/index.md", "who-should-avoid/"),
        ("docs/handouts/test-peel.md", "handouts/test-peel/"),
        ("docs/q/ABCD/index.md", "q/ABCD/"),
        ("docs/staff/links.md", "staff/links/"),
    ],
)
def test_a_page_at_the_address_of_a_page_careleaf_makes_is_reported(project, path, address):
    (project / path).parent.mkdir(parents=True, exist_ok=True)
    (project / path).write_text("# Mine\n\nHand-written.\n")
    check = careleaf(project, "check", "--format", "json")
    assert check.returncode == 1
    assert any(
        line.startswith(f"{path}:1: page-reserved: careleaf makes the page at /{address} ")
        for line in found(check)
    )
    build = mkdocs(project, "build")
    assert build.returncode == 1 and f"{path}:1: page-reserved:" in build.stderr


def test_pages_at_other_addresses_are_not_reserved(project):
    for path in ("docs/faqs.md", "docs/about/faq.md", "docs/treatment.md", "docs/faq.html"):
        (project / path).parent.mkdir(parents=True, exist_ok=True)
        (project / path).write_text("# Other\n\nHand-written.\n")
    result = careleaf(project, "check", "--format", "json")
    assert not [line for line in found(result) if "page-reserved" in line]


def test_the_limits_leave_ordinary_yaml_alone(project):
    """Anchors without aliases, dates, quoted numbers and nesting of a few levels are read."""
    (project / "docs/index.md").write_text(
        "---\ntitle: &t Home\nx: {a: {b: [1, '99999']}}\n---\n# Home\n"
    )
    (project / "docs/glossary.yml").write_text("Peel: A liquid that takes off dead skin.\n")
    assert careleaf(project, "check").returncode == 0


def test_a_glossary_that_cannot_be_read_is_one_line(project):
    (project / "docs/glossary.yml").write_bytes(b"Peel: \xff\n")
    assert found(careleaf(project, "check", "--format", "json")) == [
        "docs/glossary.yml:1: file-encoding: save the file as UTF-8 (invalid start byte)"
    ]


def test_check_limits_are_what_the_build_keeps_to(project):
    """The YAML limits are errors: the build stops before MkDocs reads the page itself."""
    (project / "docs/index.md").write_text("---\nx: " + "[" * 1000 + "]" * 1000 + "\n---\n# T\n")
    build = mkdocs(project, "build")
    assert build.returncode == 1 and "Traceback" not in build.stderr
    assert "docs/index.md:2: front-matter-limit: the front matter nests" in build.stderr


@pytest.mark.parametrize(
    ("text", "mark", "line"),
    [
        ("[" * N, "[", 5),
        ("[a " * 3_000, "[", 5),
        ("<a " * (N // 3), "<", 5),
        ("<a \n\n" * 3_000, "<", 4 + 2 * 2_000 + 1),  # the line of the 2,001st
    ],
)
def test_a_page_the_renderer_would_take_minutes_on_is_stopped(
    project, hang_guard, text, mark, line
):
    """Python-Markdown tries each `[` opening no link, each `<` opening no tag, to the end of
    the text: 100,000 took it hours. The page is stopped, at the line past the limit."""
    (project / "docs/index.md").write_text("# Home\n\nWelcome.\n\n" + text + "\n")
    check = careleaf(project, "check", "--format", "json")
    assert check.returncode == 1
    said = next(x for x in found(check) if x.startswith("docs/index.md:"))
    assert said.startswith(f"docs/index.md:{line}: page-limit: the page has more than 2,000 ")
    assert f"'{mark}'" in said
    build = mkdocs(project, "build")
    assert build.returncode == 1 and f"docs/index.md:{line}: page-limit:" in build.stderr


def test_escaped_brackets_and_a_few_openers_are_within_the_limit(project):
    (project / "docs/index.md").write_text("# Home\n\n" + "\\[" * 3_000 + " [a" * 1_000 + "\n")
    assert not [
        x for x in found(careleaf(project, "check", "--format", "json")) if "page-limit" in x
    ]
