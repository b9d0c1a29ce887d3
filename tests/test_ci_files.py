"""The CI workflow and the pre-commit hooks a clinic's repository can use run real commands."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import yaml
from conftest import ROOT, careleaf, edit


def test_the_workflow_checks_strictly_then_builds_strictly() -> None:
    workflow = yaml.safe_load((ROOT / ".github/workflows/site.yml").read_text())
    runs = [step.get("run", "") for step in workflow["jobs"]["build"]["steps"]]
    assert runs.index(".venv/bin/careleaf check --strict") < runs.index("make site")
    make_site = re.search(r"^site:.*\n((?:\t.+\n)+)", (ROOT / "Makefile").read_text(), re.M)
    assert make_site and "\t$(BIN)/mkdocs build --strict\n" in make_site.group(1)
    assert workflow["jobs"]["deploy"]["needs"] == "build"


def test_the_pre_commit_hooks_run_careleaf_check(project: Path) -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"careleaf-check", "careleaf-check-errors"}
    files = re.compile(hooks["careleaf-check"]["files"])
    assert files.search("docs/treatments/peel.md") and files.search("mkdocs.yml")
    assert not files.search("README.md")

    def run(hook: str) -> int:
        program, *args = shlex.split(hooks[hook]["entry"])
        assert program == "careleaf"
        return careleaf(project, *args).returncode

    assert (run("careleaf-check"), run("careleaf-check-errors")) == (0, 0)
    edit(project, " {#how-long}", "")  # a warning
    assert (run("careleaf-check"), run("careleaf-check-errors")) == (1, 0)
    edit(project, "## Benefits", "## Benfits")  # an error
    assert (run("careleaf-check"), run("careleaf-check-errors")) == (1, 1)
