"""Mistakes in a site's templates and mkdocs.yml: one clear line, never a traceback, and a
failed build never replaces the site that was there."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import careleaf, mkdocs
from jinja2 import TemplateError

from careleaf.clinic import Clinic, ClinicError
from careleaf.render import make_environment, template_finding


def plugin_options(project: Path, options: str) -> None:
    """Give the careleaf plugin `options` (YAML lines at the plugin's indentation)."""
    config = project / "mkdocs.yml"
    text = config.read_text()
    assert "  - careleaf\n" in text
    config.write_text(text.replace("  - careleaf\n", f"  - careleaf:\n{options}", 1))


def edit_config(project: Path, old: str, new: str) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text()
    assert old in text
    config.write_text(text.replace(old, new, 1))


def site_files(project: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}


def check_lines(result) -> list[str]:
    return [
        f"{f['path']}:{f['line']}: {f['rule']}: {f['message']}" for f in json.loads(result.stdout)
    ]


# 1 and 2. Template overrides that fail: the file and line, in `careleaf check` and the build.

FRONT = "---\ndescription: x\n---\n"

BROKEN_TEMPLATES = [
    ("treatment.md.j2", FRONT + "{{ t.title + 1 }}\n", 4, "can only concatenate"),
    ("treatment.md.j2", FRONT + "{{ t.title | long_date }}\n", 4, "long_date needs a date"),
    ("faq.md.j2", FRONT + "{{ 1 / 0 }}\n", 4, "division by zero"),
    ("faq.md.j2", FRONT + '{% include "faq.md.j2" %}\n', 4, "includes or extends itself"),
    ("treatment.md.j2", '{% extends "treatment.md.j2" %}\n', 1, "includes or extends itself"),
    ("faq.md.j2", FRONT + "{% macro m() %}{{ m() }}{% endmacro %}\n{{ m() }}\n", 4, "macro"),
    ("compare.md.j2", FRONT + "{% if %}\n", 4, ""),
]


@pytest.mark.parametrize(("name", "text", "line", "words"), BROKEN_TEMPLATES)
def test_a_failing_template_is_one_line_in_check_and_build(project, name, text, line, words):
    assert mkdocs(project, "build", "--strict").returncode == 0
    before = site_files(project)
    override = project / "overrides/careleaf" / name
    override.parent.mkdir(parents=True)
    override.write_text(text)
    rule = "template-syntax" if "{% if %}" in text else "template-error"
    where = f"overrides/careleaf/{name}:{line}: {rule}: "

    check = careleaf(project, "check", "--format", "json")
    assert check.returncode == 1, check.stderr
    assert "Traceback" not in check.stderr
    found = [x for x in check_lines(check) if x.startswith(where)]
    assert len(found) == 1 and words in found[0], check.stdout

    build = mkdocs(project, "build", "--strict")
    assert build.returncode == 1
    assert "Traceback" not in build.stderr
    lines = [x for x in build.stderr.splitlines() if "overrides/careleaf/" in x]
    assert len(lines) == 1 and where in lines[0] and words in lines[0], build.stderr
    assert site_files(project) == before
    assert not list(project.glob(".site*"))


def test_a_template_not_saved_as_utf8_names_its_line(project):
    override = project / "overrides/careleaf/compare.md.j2"
    override.parent.mkdir(parents=True)
    override.write_bytes((FRONT + "Prices in the café\n").encode("latin-1"))
    check = careleaf(project, "check", "--format", "json")
    assert check.returncode == 1 and "Traceback" not in check.stderr
    assert [x for x in check_lines(check) if "UTF-8" in x][0].startswith(
        "overrides/careleaf/compare.md.j2:4: template-error: "
    )
    build = mkdocs(project, "build", "--strict")
    assert build.returncode == 1 and "Traceback" not in build.stderr
    assert "overrides/careleaf/compare.md.j2:4: template-error: " in build.stderr


def test_a_failing_file_a_template_includes_is_named_itself(project):
    folder = project / "overrides/careleaf"
    folder.mkdir(parents=True)
    (folder / "faq.md.j2").write_text(FRONT + "{% include 'snippet.md' %}\n")
    (folder / "snippet.md").write_text("Hello\n{{ 1 / 0 }}\n")
    check = careleaf(project, "check", "--format", "json")
    assert check.returncode == 1 and "Traceback" not in check.stderr
    assert check_lines(check) == [
        "overrides/careleaf/snippet.md:2: template-error: division by zero"
    ]


def test_an_error_outside_any_template_is_not_blamed_on_one(tmp_path):
    try:
        raise ValueError("a bug in careleaf")
    except ValueError as exc:
        assert template_finding(exc, tmp_path, tmp_path) is None


def test_check_finds_templates_where_the_plugin_does(project):
    plugin_options(project, "      templates_dir: layouts\n")
    (project / "layouts").mkdir()
    (project / "layouts/faq.md.j2").write_text("# FAQ\n\n{{ library.nothing_here }}\n")
    check = careleaf(project, "check", "--format", "json")
    assert check.returncode == 1
    assert [x.split(": ")[0] + ": " + x.split(": ")[1] for x in check_lines(check)] == [
        "layouts/faq.md.j2:3: template-error"
    ]


def test_a_working_override_passes_check(project):
    override = project / "overrides/careleaf/faq.md.j2"
    override.parent.mkdir(parents=True)
    override.write_text(FRONT + "# Our answers\n\n{{ clinic.name }} answers.\n")
    check = careleaf(project, "check")
    assert check.returncode == 0, check.stdout + check.stderr


@pytest.mark.parametrize(
    ("template", "words"),
    [
        ("{{ 'Test Peel' | long_date }}", "long_date needs a date"),
        ("{{ 5 | indent_md }}", "indent_md needs text"),
        ("{{ 'x' | cite(5) }}", "cite needs a treatment"),
        ("{{ 'x' | json_ld }}", "json_ld needs"),
    ],
)
def test_careleafs_filters_say_what_they_need(template, words):
    with pytest.raises(TemplateError, match=words):
        make_environment().from_string(template).render()


# 3. Settings: numbers that are numbers, and a site's claims list of the right shape.


# (Each setting's own validation is tested with MkDocs' loading, in test_config.py.)


@pytest.mark.parametrize(
    ("options", "files", "words"),
    [
        ("      checks: {min_sentences: .nan}\n", {}, "'min_sentences': Expected a number of 0"),
        ("      checks: {grade_warning: .inf}\n", {}, "'grade_warning': Expected a number of 0"),
        (
            "      checks: {claims: [our-claims.yml]}\n",
            {"our-claims.yml": "never: 5\n"},
            "our-claims.yml: 'never:' must be a list",
        ),
    ],
)
def test_a_bad_setting_is_bad_usage_in_check_and_one_line_in_build(project, options, files, words):
    plugin_options(project, options)
    for name, text in files.items():
        (project / name).write_text(text)
    check = careleaf(project, "check")
    assert check.returncode == 2 and "Traceback" not in check.stderr
    assert words in check.stderr
    build = mkdocs(project, "build", "--strict")
    assert build.returncode == 1 and "Traceback" not in build.stderr
    assert [x for x in build.stderr.splitlines() if words in x], build.stderr


# 4. extra.clinic: text that is text, a real true or false, a booking link that is a web address.


@pytest.mark.parametrize(
    ("clinic", "words"),
    [
        (
            {"name": "A", "fictional": "false"},
            "extra.clinic.fictional in mkdocs.yml must be true or false",
        ),
        ({"name": ["A", "B"]}, "extra.clinic.name in mkdocs.yml must be text"),
        ({"name": "A", "phone": 5550100}, "extra.clinic.phone in mkdocs.yml must be text"),
        ({"name": "A", "booking_url": "javascript:alert(1)"}, "extra.clinic.booking_url"),
        ({"name": "A", "booking_url": "clinic.example/book"}, "extra.clinic.booking_url"),
        ({"name": "A", "booking_url": "https://"}, "extra.clinic.booking_url"),
        ({"name": "A", "booking_url": "https://clinic.example/a b"}, "extra.clinic.booking_url"),
    ],
)
def test_a_clinic_setting_of_the_wrong_kind_is_refused(clinic, words):
    with pytest.raises(ClinicError, match=words):
        Clinic.from_config({"clinic": clinic}, "Site")


def test_a_good_clinic_is_read_as_written():
    clinic = Clinic.from_config(
        {"clinic": {"name": "A", "booking_url": "http://a.example/b?c=1", "fictional": False}}, "S"
    )
    assert (clinic.name, clinic.booking_url, clinic.fictional) == (
        "A",
        "http://a.example/b?c=1",
        False,
    )
    assert Clinic.from_config(None, "Site").name == "Site"


def test_extra_that_is_not_a_mapping_is_refused():
    with pytest.raises(ClinicError, match="extra in mkdocs.yml must be"):
        Clinic.from_config(["a", "b"], "Site")


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("    fictional: true\n", '    fictional: "false"\n', "extra.clinic.fictional"),
        (
            "    fictional: true\n",
            "    fictional: true\n    booking_url: clinic.example/book\n",
            "extra.clinic.booking_url",
        ),
        ("    name: Test Clinic\n", "    name: [A, B]\n", "extra.clinic.name"),
    ],
)
def test_a_bad_clinic_is_bad_usage_in_check_and_one_line_in_build(project, old, new, words):
    edit_config(project, old, new)
    check = careleaf(project, "check")
    assert check.returncode == 2 and words in check.stderr and "Traceback" not in check.stderr
    build = mkdocs(project, "build", "--strict")
    assert build.returncode == 1 and "Traceback" not in build.stderr
    assert [x for x in build.stderr.splitlines() if words in x], build.stderr


def test_extra_that_is_not_a_mapping_is_bad_usage_in_check(project):
    edit_config(project, "extra:\n  clinic:\n", "extra: [a, b]\nnot_extra:\n  clinic:\n")
    check = careleaf(project, "check")
    assert check.returncode == 2 and "Traceback" not in check.stderr
    assert "Config value 'extra'" in check.stderr


# 5. A warning from another plugin's on_config fails a strict build without touching site/.


def test_another_plugins_early_warning_keeps_the_earlier_site(project):
    assert mkdocs(project, "build", "--strict").returncode == 0
    before = site_files(project)
    edit_config(project, "  - search\n", "  - search:\n      jieba_dict: missing.txt\n")
    (project / "docs/new-page.md").write_text("# New page\n\nA new page.\n")
    build = mkdocs(project, "build", "--strict")
    assert build.returncode == 1
    assert "jieba_dict" in build.stderr or "missing.txt" in build.stderr, build.stderr
    assert site_files(project) == before
    assert not list(project.glob(".site*"))


# 6. treatments_dir: the same folder for check and build, whichever way it is written.


# (How treatments_dir is read is tested in test_config.py.)


def test_a_trailing_slash_on_treatments_dir_changes_nothing(project):
    plugin_options(project, "      treatments_dir: treatments/\n")
    (project / "docs/index.md").write_text(
        "# Test Clinic\n\nSee [our treatments](treatments/index.md) and "
        "[the peel](treatments/test-peel.md).\n"
    )
    check = careleaf(project, "check")
    assert check.returncode == 0, check.stdout + check.stderr
    build = mkdocs(project, "build", "--strict")
    assert build.returncode == 0, build.stderr
    assert (project / "site/treatments/test-peel/index.html").is_file()


def test_an_empty_treatments_dir_is_refused_by_check_and_build(project):
    plugin_options(project, '      treatments_dir: ""\n')
    check = careleaf(project, "check")
    assert check.returncode == 2 and "treatments_dir" in check.stderr
    assert "Traceback" not in check.stderr
    build = mkdocs(project, "build", "--strict")
    assert build.returncode == 1 and "Traceback" not in build.stderr
    assert [x for x in build.stderr.splitlines() if "treatments_dir" in x], build.stderr


# 7. A summary with quotes is the whole meta description.


class _Meta(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.description: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "meta" and found.get("name") == "description":
            self.description = found.get("content")


def test_quotes_in_a_summary_stay_in_the_meta_description(project):
    summary = 'A "gentle" peel & more <b>, used only in tests.'
    treatment = project / "docs/treatments/test-peel.md"
    text = treatment.read_text()
    old = "summary: A mild peel used only in careleaf's tests."
    assert old in text
    treatment.write_text(text.replace(old, f"summary: '{summary}'", 1))
    build = mkdocs(project, "build", "--strict")
    assert build.returncode == 0, build.stderr
    meta = _Meta()
    meta.feed((project / "site/treatments/test-peel/index.html").read_text())
    assert meta.description == summary
