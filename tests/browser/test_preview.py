"""The preview in a real browser: a broken file shows its panel in the open tab, by itself
(MkDocs' live reload), and every other page keeps loading.

The time from the save to the panel on screen is printed and written to
test-artifacts/preview.txt; the test waits for it up to 10 s and asserts no time."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from serving import serving

from .conftest import REPO

ERROR_PANEL = "div.careleaf-problems.careleaf-problems-error"
SAVES = 3


def test_a_broken_file_shows_its_panel_and_other_pages_load(browser, project: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text() + "strict: true\n")  # as the sample's
    treatment = project / "docs/treatments/test-peel.md"
    good = treatment.read_text()
    context = browser.new_context(service_workers="block")
    context.set_default_timeout(10_000)
    shown, fixed = [], []
    try:
        with serving(project, "--dirty") as base:  # as `make serve`
            tab = context.new_page()
            tab.goto(f"{base}treatments/test-peel/")
            tab.get_by_text("A mild peel that takes off dead skin").wait_for()
            for save in range(SAVES):
                time.sleep(1)  # the server's reload of the save before has settled
                start = time.monotonic()
                treatment.write_text(good.replace("## Benefits", f"## Benfits{save}"))
                tab.wait_for_selector(ERROR_PANEL)
                shown.append(time.monotonic() - start)
                panel = tab.locator(ERROR_PANEL)
                assert panel.is_visible()
                text = panel.inner_text()
                assert (
                    f"docs/treatments/test-peel.md:28: section-unknown: unknown section 'Benfits{save}'"
                    in text
                )
                assert f"28 | ## Benfits{save}" in text

                other = context.new_page()
                for address in ("", "faq/", "treatments/", "compare/"):
                    response = other.goto(base + address)
                    assert response is not None and response.status == 200, address
                    assert other.locator("div.careleaf-problems").count() == 0, address
                other.close()

                start = time.monotonic()
                treatment.write_text(good)
                tab.wait_for_selector(ERROR_PANEL, state="detached")
                fixed.append(time.monotonic() - start)
                tab.get_by_text("Skin may feel smoother").wait_for()
    finally:
        context.close()
    report = (
        f"preview (mkdocs serve --dirty, strict: true), {SAVES} saves: save to panel on screen "
        f"median {statistics.median(shown):.2f} s (max {max(shown):.2f}); fix to panel gone "
        f"median {statistics.median(fixed):.2f} s (max {max(fixed):.2f})"
    )
    print(report)
    artifacts = REPO / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "preview.txt").write_text(report + "\n")
