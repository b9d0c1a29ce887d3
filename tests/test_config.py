"""careleaf's options as MkDocs reads them: `careleaf check` loads mkdocs.yml as a build does
(INHERIT, !ENV, every plugin's validation), a wrong option is refused by name, and the
Markdown extensions careleaf's pages need are there without the site listing them."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, MINIMAL_CONFIG, edit
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from careleaf.cli import main

# One claim careleaf forbids (an error) and one word it asks to put plainly (a warning).
MARKETING = "It is painless and reaches the dermis.\n\n"


def check(project: Path, *args: str) -> tuple[int, str, str]:
    """`careleaf check` on a site: its exit code, its output and what it wrote to stderr."""
    result = CliRunner().invoke(main, ["check", "-f", str(project / "mkdocs.yml"), *args])
    return result.exit_code, result.stdout, result.stderr


def mkdocs_build(
    project: Path, caplog: pytest.LogCaptureFixture
) -> tuple[bool, list[logging.LogRecord]]:
    """Build the site in-process as `mkdocs build` does: whether it was built, and what was
    logged at warning level and above."""
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        try:
            build(load_config(config_file=str(project / "mkdocs.yml")))
            built = True
        except Abort:
            built = False
    return built, [r for r in caplog.records if r.levelno >= logging.WARNING]


def plugin_options(project: Path, options: str) -> None:
    """Give the careleaf plugin `options` (YAML lines at the plugin's indentation)."""
    edit(project, "  - careleaf\n", f"  - careleaf:\n{options}", "mkdocs.yml")


def refused(code: int, stderr: str, *words: str) -> None:
    """One 'Error:' line naming what is wrong, exit code 2, no traceback."""
    assert code == 2, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), stderr
    assert all(w in lines[0] for w in words), stderr


# (a) INHERIT: the same site, the same findings.


def test_check_gives_the_findings_of_the_build_for_a_site_that_inherits(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "content" / "guides").mkdir(parents=True)
    (tmp_path / "overrides").mkdir()
    peel = (FIXTURES / "valid.md").read_text()
    assert "## What it is\n\n" in peel
    peel = peel.replace("## What it is\n\n", f"## What it is\n\n{MARKETING}", 1)
    (tmp_path / "content" / "guides" / "test-peel.md").write_text(peel)
    (tmp_path / "content" / "index.md").write_text("# Test Clinic\n\nA test site.\n")
    # The careleaf options and docs_dir live in base.yml only: a check that read mkdocs.yml
    # by itself would look in docs/treatments/ and find nothing.
    base = MINIMAL_CONFIG.replace("  - careleaf\n", "  - careleaf:\n      treatments_dir: guides\n")
    (tmp_path / "base.yml").write_text(base + "docs_dir: content\n")
    (tmp_path / "mkdocs.yml").write_text("INHERIT: base.yml\nsite_name: Inheriting Clinic\n")

    code, out, _ = check(tmp_path, "--format", "json")
    checked = sorted(
        f"{f['path']}:{f['line']}: {f['rule']}: {f['message']}" for f in json.loads(out)
    )
    built, records = mkdocs_build(tmp_path, caplog)
    found_by_build = sorted(
        r.getMessage() for r in records if r.getMessage().startswith("content/guides/")
    )

    assert code == 1 and not built
    assert {line.split(": ")[1] for line in checked} >= {"claim-forbidden", "plain-word"}
    assert checked == found_by_build
    assert not (tmp_path / "site").exists()


# (b) templates_dir: a folder that is not there is refused by name, as is a misspelt option.


def test_a_misspelt_templates_dir_is_refused_by_check_and_build(
    project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (project / "overrides" / "careleaf").mkdir()
    plugin_options(project, "      templates_dir: overides/careleaf\n")
    code, _, stderr = check(project)
    refused(code, stderr, "option 'templates_dir'", "overides/careleaf", "isn't an existing")
    built, records = mkdocs_build(project, caplog)
    assert not built
    assert any("option 'templates_dir'" in r.getMessage() for r in records), records


def test_a_misspelt_option_name_is_refused_with_the_name_meant(
    project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (project / "overrides" / "careleaf").mkdir()
    plugin_options(project, "      template_dir: overrides/careleaf\n")
    code, _, stderr = check(project)
    refused(code, stderr, "option 'template_dir'", "did you mean 'templates_dir'?")
    built, records = mkdocs_build(project, caplog)
    assert not built and any("'template_dir'" in r.getMessage() for r in records)


def test_an_existing_templates_dir_is_used(project: Path) -> None:
    (project / "layouts").mkdir()
    (project / "layouts" / "faq.md.j2").write_text("# {{ clinic.name }} questions\n")
    plugin_options(project, "      templates_dir: layouts\n")
    assert check(project)[0] == 0
    build(load_config(config_file=str(project / "mkdocs.yml")))
    assert "Test Clinic questions" in (project / "site" / "faq" / "index.html").read_text()


# (c) glossary: a folder is refused; a file that is not there is no glossary.


def test_a_glossary_that_names_a_folder_is_refused(
    project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (project / "docs" / "terms").mkdir()
    plugin_options(project, "      glossary: terms\n")
    code, _, stderr = check(project)
    refused(code, stderr, "glossary", "names the folder terms")
    built, records = mkdocs_build(project, caplog)
    assert not built and any("names the folder terms" in r.getMessage() for r in records)


def test_a_missing_glossary_file_is_no_glossary(project: Path) -> None:
    plugin_options(project, "      glossary: words.yml\n")
    assert check(project)[0] == 0


@pytest.mark.parametrize("value", ["../glossary.yml", "/etc/glossary.yml", "."])
def test_a_glossary_outside_docs_is_refused(project: Path, value: str) -> None:
    plugin_options(project, f"      glossary: {value}\n")
    refused(*check(project)[::2], "option 'glossary'", "inside docs/")


# (d) checks: MkDocs' validation, with its message naming the setting.


@pytest.mark.parametrize(
    ("checks", "files", "words"),
    [
        ("{grade_warning: seven}", {}, ("Sub-option 'grade_warning'", "not 'seven'")),
        ("{grade_warn: 7}", {}, ("Sub-option 'grade_warn'", "did you mean 'grade_warning'?")),
        ("{grade_warning: .nan}", {}, ("Sub-option 'grade_warning'", "number of 0 or more")),
        ("{min_sentences: .inf}", {}, ("Sub-option 'min_sentences'", "number of 0 or more")),
        ("{grade_error: -1}", {}, ("Sub-option 'grade_error'", "number of 0 or more")),
        ("{review_due_days: true}", {}, ("Sub-option 'review_due_days'", "not True")),
        ("{sentence_words: 2.5}", {}, ("Sub-option 'sentence_words'", "whole number")),
        ("{grade_warning: 10, grade_error: 9}", {}, ("Sub-option 'grade_error'", "at least")),
        ("{grade_measure: gunning}", {}, ("Sub-option 'grade_measure'", "'gunning'")),
        ("{severity: {no-such-rule: error}}", {}, ("Sub-option 'severity'", "no-such-rule")),
        ("{severity: {plain-word: fatal}}", {}, ("Sub-option 'severity'", "'fatal'")),
        ("{disable: [plain-wrd]}", {}, ("Sub-option 'disable'", "did you mean 'plain-word'?")),
        ("{plain_words: [missing.yml]}", {}, ("Sub-option 'plain_words'", "missing.yml")),
        ("{plain_words: words.yml}", {"words.yml": "- a list\n"}, ("'plain_words'", "word:")),
        ("{claims: [ours.yml]}", {"ours.yml": "never: 5\n"}, ("ours.yml: 'never:' must be",)),
        ("{claims: [ours.yml]}", {"ours.yml": "- match: x\n"}, ("under 'never:' and 'cited:'",)),
        ("{claims: [ours.yml]}", {"ours.yml": "never:\n  - painless\n"}, ("needs 'match:",)),
        ("{claims: [ours.yml]}", {"ours.yml": "never:\n  - match: '(x'\n"}, ("not a phrase",)),
        ("[grade_warning]", {}, ("option 'checks'",)),
    ],
)
def test_a_wrong_checks_setting_is_refused_naming_it(
    project: Path, checks: str, files: dict[str, str], words: tuple[str, ...]
) -> None:
    for name, text in files.items():
        (project / name).write_text(text)
    plugin_options(project, f"      checks: {checks}\n")
    refused(*check(project)[::2], "Plugin 'careleaf' option", *words)


def test_good_checks_settings_are_used(project: Path) -> None:
    (project / "words.yml").write_text("stings: hurts a bit\n")
    peel = project / "docs" / "treatments" / "test-peel.md"
    edit(project, "## What it is\n\n", "## What it is\n\nIt stings.\n\n")
    plugin_options(
        project,
        "      checks:\n        plain_words: words.yml\n"
        "        severity: {plain-word: error}\n        grade_measure: smog\n",
    )
    code, out, _ = check(project, "--format", "json")
    assert code == 1, out
    assert [(f["rule"], f["severity"]) for f in json.loads(out)] == [("plain-word", "error")]
    assert "stings" in peel.read_text()


# (e) The Markdown extensions careleaf's pages need, without the site listing them.


def test_a_site_without_attr_list_still_gets_its_faq_ids(project: Path) -> None:
    edit(
        project,
        "markdown_extensions: [toc, attr_list, md_in_html, admonition, abbr, tables, def_list]\n",
        "",
        "mkdocs.yml",
    )
    build(load_config(config_file=str(project / "mkdocs.yml")))
    page = (project / "site" / "treatments" / "test-peel" / "index.html").read_text()
    assert 'id="does-it-hurt"' in page and 'id="how-long"' in page
    assert "{#does-it-hurt}" not in page and "{#how-long}" not in page
    assert '<div class="admonition' in page  # "Who should avoid it" is a callout


def test_the_sites_own_extension_settings_are_kept(project: Path) -> None:
    edit(
        project,
        "markdown_extensions: [toc, attr_list, md_in_html, admonition, abbr, tables, def_list]\n",
        "markdown_extensions:\n  - extra\n  - toc:\n      permalink: '#'\n",
        "mkdocs.yml",
    )
    build(load_config(config_file=str(project / "mkdocs.yml")))
    page = (project / "site" / "treatments" / "test-peel" / "index.html").read_text()
    assert 'id="does-it-hurt"' in page and 'class="headerlink"' in page


# (f) !ENV, and loading that builds nothing.


def test_env_in_mkdocs_yml_works_in_check(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.move(project / "docs", project / "pages")
    edit(
        project,
        "site_name: Test Clinic\n",
        "site_name: Test Clinic\ndocs_dir: !ENV [CARELEAF_TEST_DOCS, docs]\n",
        "mkdocs.yml",
    )
    plugin_options(project, "      checks:\n        grade_error: !ENV [CARELEAF_TEST_GRADE, 9]\n")
    monkeypatch.setenv("CARELEAF_TEST_DOCS", "pages")
    monkeypatch.setenv("CARELEAF_TEST_GRADE", "20")
    edit(
        project,
        "## What it is\n\n",
        f"## What it is\n\n{MARKETING}",
        "pages/treatments/test-peel.md",
    )
    code, out, _ = check(project, "--format", "json")
    found = json.loads(out)
    assert code == 1 and {f["path"] for f in found} == {"pages/treatments/test-peel.md"}
    monkeypatch.setenv("CARELEAF_TEST_DOCS", "nowhere")
    refused(*check(project)[::2], "Config value 'docs_dir'", "nowhere")


def test_check_builds_nothing_and_leaves_site_alone(project: Path) -> None:
    (project / "site").mkdir()
    (project / "site" / "keep.txt").write_text("mine")
    assert check(project)[0] == 0
    assert [p.name for p in (project / "site").iterdir()] == ["keep.txt"]
    assert sorted(p.name for p in project.iterdir()) == ["docs", "mkdocs.yml", "overrides", "site"]


def test_a_site_without_the_plugin_is_told_so(project: Path) -> None:
    edit(project, "  - careleaf\n", "", "mkdocs.yml")
    refused(*check(project)[::2], "careleaf is not among the plugins")


def test_a_site_that_turns_careleaf_off_is_not_checked(project: Path) -> None:
    plugin_options(project, "      enabled: false\n")
    code, out, _ = check(project)
    assert code == 0 and "turned off" in out


@pytest.mark.parametrize(
    ("value", "folder"),
    [("treatments/", "treatments"), ("./guides/skin/", "guides/skin")],
)
def test_a_treatments_folder_is_read_without_its_slashes(
    project: Path, value: str, folder: str
) -> None:
    (project / "docs" / folder).mkdir(parents=True, exist_ok=True)
    shutil.move(project / "docs/treatments/test-peel.md", project / "docs" / folder / "peel.md")
    edit(project, "## What it is\n\n", f"## What it is\n\n{MARKETING}", f"docs/{folder}/peel.md")
    plugin_options(project, f"      treatments_dir: {value}\n")
    code, out, _ = check(project, "--format", "json")
    assert {f["path"] for f in json.loads(out)} == {f"docs/{folder}/peel.md"}
    assert "claim-forbidden" in {f["rule"] for f in json.loads(out)}


@pytest.mark.parametrize("value", ["''", "'  '", ".", "/", "../treatments", "/srv/treatments", "5"])
def test_a_treatments_folder_outside_docs_is_refused(project: Path, value: str) -> None:
    plugin_options(project, f"      treatments_dir: {value}\n")
    refused(*check(project)[::2], "option 'treatments_dir'")


def test_a_yaml_mistake_in_mkdocs_yml_is_one_line(project: Path) -> None:
    edit(project, "site_name: Test Clinic\n", "site_name: [Test Clinic\n", "mkdocs.yml")
    refused(*check(project)[::2], "mkdocs.yml")


def test_heading_ids_follow_the_sites_toc_settings(project: Path) -> None:
    edit(
        project,
        "markdown_extensions: [toc, attr_list,",
        "markdown_extensions: [{toc: {separator: _}}, attr_list,",
        "mkdocs.yml",
    )
    index = project / "docs" / "index.md"
    index.write_text("# Test Clinic\n\n## Opening hours\n\nSee [our hours](#opening_hours).\n")
    code, out, _ = check(project, "--format", "json")
    assert (code, json.loads(out)) == (0, [])
    index.write_text("# Test Clinic\n\n## Opening hours\n\nSee [our hours](#opening-hours).\n")
    code, out, _ = check(project, "--format", "json")
    assert [(f["line"], f["rule"]) for f in json.loads(out)] == [(5, "anchor-broken")]
