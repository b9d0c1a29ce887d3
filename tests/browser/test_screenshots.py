"""Screenshots of the home and treatment pages on a phone and a laptop, for people to look at."""

from __future__ import annotations

import pytest

from .conftest import SCREENSHOTS
from .pagecheck import TREATMENT


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize(("name", "path"), [("home", ""), ("treatment", TREATMENT)])
def test_screenshot(open_page, name, path, width):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = open_page(width)
    response = page.goto(path)
    assert response is not None and response.ok, f"/{path}: {response and response.status}"
    page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True, animations="disabled")
