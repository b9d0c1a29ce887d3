"""Odd input an editor or a web person will produce: one clear line, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import ENV, FIXTURES, careleaf, edit, mkdocs

from careleaf.model import parse_treatment

VALID = (FIXTURES / "valid.md").read_text()
TREATMENT = "docs/treatments/test-peel.md"


@pytest.mark.parametrize(
    ("old", "new", "line"),
    [
        ("related: []", "related: []\nchecks: [plain-word]", f"{TREATMENT}:22: field-type:"),
        (
            "title: Test Peel",
            'title: "Test <script>alert(1)</script> Peel"',
            f"{TREATMENT}:2: html-unsafe:",
        ),
        (
            "summary: A mild peel used only in careleaf's tests.",
            'summary: "<img src=x onerror=alert(1)> A mild peel."',
            f"{TREATMENT}:3: html-unsafe:",
        ),
    ],
)
def test_bad_front_matter_is_one_line_in_check_and_build(project, old, new, line):
    edit(project, old, new)
    check = careleaf(project, "check", "--format", "json")
    assert check.returncode == 1 and "Traceback" not in check.stderr
    assert line in [f"{f['path']}:{f['line']}: {f['rule']}:" for f in json.loads(check.stdout)]
    build = mkdocs(project, "build", "--strict")
    assert build.returncode == 1 and "Traceback" not in build.stderr
    assert line in build.stderr


def test_a_misspelt_config_is_bad_usage_in_check_and_an_error_in_build(project):
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text().replace(
            "  clinic:\n    name: Test Clinic\n", "  clinic: Test Clinic\n  other:\n"
        )
    )
    check = careleaf(project, "check")
    assert (
        check.returncode == 2 and "extra.clinic" in check.stderr and "Traceback" not in check.stderr
    )
    build = mkdocs(project, "build", "--strict")
    assert build.returncode == 1 and "Traceback" not in build.stderr
    assert "extra.clinic in mkdocs.yml must be" in build.stderr


def test_a_broken_site_claims_list_is_bad_usage_not_a_crash(project):
    (project / "our-claims.yml").write_text('never:\n  - match: "(unclosed"\n')
    edit(
        project,
        "  - careleaf\n",
        "  - careleaf:\n      checks: {claims: [our-claims.yml]}\n",
        "mkdocs.yml",
    )
    check = careleaf(project, "check")
    assert check.returncode == 2 and "our-claims.yml" in check.stderr
    assert "Traceback" not in check.stderr
    build = mkdocs(project, "build", "--strict")
    assert build.returncode == 1 and "Traceback" not in build.stderr
    assert "our-claims.yml" in build.stderr


def test_an_editors_page_where_careleaf_makes_one_is_reported_not_replaced(project):
    (project / "docs/faq.md").write_text("# My FAQ\n\nHand-written answers.\n")
    check = careleaf(project, "check", "--format", "json")
    assert check.returncode == 1
    assert [(f["path"], f["line"], f["rule"]) for f in json.loads(check.stdout)] == [
        ("docs/faq.md", 1, "page-reserved")
    ]


def test_a_treatment_file_name_must_make_a_clean_address(project):
    (project / "docs/treatments/test-peel.md").rename(project / "docs/treatments/Test Peel.md")
    build = mkdocs(project, "build", "--strict")
    assert build.returncode == 1
    assert "docs/treatments/Test Peel.md:1: file-name:" in build.stderr
    assert "'test-peel.md'" in build.stderr


def test_a_byte_order_mark_is_not_text(project):
    path = project / TREATMENT
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    build = mkdocs(project, "build", "--strict")
    assert build.returncode == 0, build.stderr
    assert careleaf(project, "check").returncode == 0


def test_report_to_a_missing_folder_is_bad_usage(project):
    result = careleaf(project, "report", "--output", str(project / "no/such/folder/r.html"))
    assert result.returncode == 2 and "cannot write" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_colon_style_faq_id_is_the_answers_id():
    treatment, findings = parse_treatment(
        VALID.replace("{#does-it-hurt}", "{: #does-it-hurt }"), TREATMENT, "test-peel"
    )
    assert findings == []
    assert treatment.faqs[0].id == "does-it-hurt"


def test_check_follows_env_tags_in_mkdocs_yml(project):
    (project / "content").mkdir()
    (project / "docs").rename(project / "content/docs")
    edit(
        project,
        "site_name: Test Clinic\n",
        "site_name: Test Clinic\ndocs_dir: !ENV [CARELEAF_TEST_DOCS, docs]\n",
        "mkdocs.yml",
    )
    result = subprocess.run(
        [sys.executable, "-m", "careleaf.cli", "check"],
        cwd=project,
        env={**ENV, "CARELEAF_TEST_DOCS": "content/docs"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_models_warning_can_be_turned_off_on_a_page(project):
    edit(project, " {#how-long}", "")
    edit(project, "related: []", "related: []\nchecks: {ignore: [faq-id-missing]}")
    build = mkdocs(project, "build", "--strict")
    assert build.returncode == 0, build.stderr


def test_a_misspelt_rule_in_a_pages_ignore_list_is_reported(project):
    edit(project, "related: []", "related: []\nchecks: {ignore: [plain-wrd]}")
    check = careleaf(project, "check", "--format", "json")
    found = [(f["line"], f["rule"], f["message"]) for f in json.loads(check.stdout)]
    assert found == [
        (22, "field-invalid", "checks.ignore: no rule 'plain-wrd': did you mean \"plain-word\"?")
    ]
    assert check.returncode == 1


def reported(project, *args) -> tuple[str, bool]:
    """What `careleaf check` (as `path:line: rule:` lines) or `mkdocs` says, and whether a
    traceback was printed."""
    if args[0] == "check":
        result = careleaf(project, "check", "--format", "json")
        try:
            said = "\n".join(
                f"{f['path']}:{f['line']}: {f['rule']}: {f['message']}"
                for f in json.loads(result.stdout)
            )
        except ValueError:
            said = result.stdout
    else:
        result = mkdocs(project, *args)
        said = result.stdout + result.stderr
    return said, "Traceback" in result.stdout + result.stderr


def test_a_folder_or_a_broken_link_named_like_a_page_is_one_line(project):
    (project / "docs/treatments/notes.md").mkdir()  # a folder: not a page, passed over
    (project / "docs/treatments/gone.md").symlink_to(project / "nowhere.md")
    for said, traceback in (reported(project, "check"), reported(project, "build", "--strict")):
        assert not traceback
        assert "docs/treatments/gone.md:1: file-unreadable:" in said
        assert "notes.md" not in said


def test_a_page_not_saved_as_utf8_is_named_with_its_line(project):
    (project / "docs/index.md").write_bytes(b"# Home\n\nA sample site.\n\nCaf\xe9 menu.\n")
    for said, traceback in (reported(project, "check"), reported(project, "build", "--strict")):
        assert "docs/index.md:5: file-encoding:" in said
        assert not traceback


def test_bad_front_matter_on_another_page_is_reported_not_shown(project):
    """MkDocs shows front matter it cannot read as text on the page: careleaf stops that."""
    (project / "docs/index.md").write_text("---\ntitle: Test Clinic: home\n---\n\n# Home\n")
    said, _ = reported(project, "check")
    assert "docs/index.md:2: front-matter-syntax:" in said


def test_hidden_files_are_not_pages(project):
    """An editor's lock file (`.#x.md`) or a `.drafts/` folder is never published."""
    (project / "docs/treatments/.#test-peel.md").symlink_to(project / "nowhere")
    (project / "docs/.drafts").mkdir()
    (project / "docs/.drafts/notes.md").write_text("# Notes\n\nIt is painless.\n")
    (project / "docs/templates").mkdir()
    (project / "docs/templates/letter.md").write_text("# Letter\n\nIt is painless.\n")
    result = careleaf(project, "check")
    assert result.returncode == 0, result.stdout


def test_every_kind_of_markdown_file_is_checked(project):
    (project / "docs/about.markdown").write_text("# About\n\nOur care is 100% guaranteed.\n")
    (project / "docs/treatments/light-peel.markdown").write_text(VALID)
    (project / "docs/treatments/peels").mkdir()
    (project / "docs/treatments/peels/deep-peel.md").write_text(VALID)
    said, _ = reported(project, "check")
    assert "docs/about.markdown:3: claim-forbidden:" in said
    assert "docs/treatments/light-peel.markdown:1: file-name: " in said
    assert "'light-peel.md'" in said
    assert "docs/treatments/peels/deep-peel.md:1: file-name: " in said


def test_a_file_name_suggestion_is_plain_letters(project):
    (project / "docs/treatments/peeling-à-froid.md").write_text(VALID)
    result = careleaf(project, "check")
    assert "e.g. 'peeling-a-froid.md'" in result.stdout


def test_a_misspelt_checks_key_is_reported(project):
    edit(project, "related: []", "related: []\nchecks: {ignores: [plain-word]}")
    said, _ = reported(project, "check")
    assert f"{TREATMENT}:22: field-unknown:" in said, said


def test_the_models_warning_takes_the_sites_severity(project):
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text().replace(
            "  - careleaf\n", "  - careleaf:\n      checks: {severity: {faq-id-missing: error}}\n"
        )
    )
    edit(project, " {#how-long}", "")
    result = careleaf(project, "check", "--format", "json")
    assert result.returncode == 1
    [finding] = json.loads(result.stdout)
    assert (finding["rule"], finding["severity"]) == ("faq-id-missing", "error")


def test_a_list_item_is_reported_on_its_own_line(project):
    edit(project, "related: []", "related:\n  - test-peel-2\nchecks:\n  ignore:\n    - plian-word")
    said, _ = reported(project, "check")
    assert f"{TREATMENT}:22: related-unknown:" in said, said
    assert f"{TREATMENT}:25: field-invalid: checks.ignore: no rule 'plian-word'" in said, said


def test_front_matter_mkdocs_cannot_read_is_reported(project):
    """MkDocs reads dates in front matter; a date that is not real makes it show the front
    matter as text."""
    (project / "docs/index.md").write_text("---\nupdated: 2026-02-30\n---\n\n# Home\n")
    said, _ = reported(project, "check")
    assert "docs/index.md:1: front-matter-syntax:" in said, said


def test_env_tags_are_typed_as_mkdocs_types_them(project):
    """`!ENV [CL_FICT, false]` with CL_FICT=true is the boolean true, as in the build."""
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text().replace("fictional: true", "fictional: !ENV [CL_FICT, false]")
    )
    for value in ("true", "false"):
        result = subprocess.run(
            [sys.executable, "-m", "careleaf.cli", "check"],
            cwd=project,
            env={**ENV, "CL_FICT": value},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stdout + result.stderr
