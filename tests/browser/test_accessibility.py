"""WCAG 2.2 AA in a real browser: axe on every page, and what axe cannot see (keyboard, focus,
tap targets at phone size, reflow at 320 px)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import NO_TRANSITIONS
from .pagecheck import (
    DESCRIBE_FOCUS,
    OVERFLOWING,
    REMEMBER_REST_STYLES,
    SMALL_CONTROLS,
    TREATMENT,
    axe_violations,
    open_search,
)


@pytest.mark.parametrize("width", [375, 1280])
def test_every_page_has_no_axe_violations(open_page, site_pages, width):
    page = open_page(width)
    violations = []
    for path in site_pages:
        page.goto(path)
        violations += axe_violations(page, f"/{path} at {width}px:")
    assert not violations, f"{len(violations)} axe violations:\n" + "\n".join(violations)


@pytest.mark.parametrize("width", [375, 1280])
def test_open_search_and_navigation_have_no_axe_violations(open_page, width):
    page = open_page(width)
    page.goto(TREATMENT)
    page.add_style_tag(content=NO_TRANSITIONS)  # axe must see colours after the fade-in
    open_search(page, "acne scars")
    violations = axe_violations(page, f"search results at {width}px:")
    if width < 1220:  # narrower than 76.25em the navigation is a drawer
        page.keyboard.press("Escape")
        page.locator("[data-careleaf-drawer]").click()
        page.locator(".md-sidebar--primary .md-nav__link").first.wait_for()
        violations += axe_violations(page, f"navigation drawer at {width}px:")
    assert not violations, f"{len(violations)} axe violations:\n" + "\n".join(violations)


def test_every_page_declares_its_language(site_dir: Path, site_pages):
    missing = []
    for path in site_pages:
        file = site_dir / path if path.endswith(".html") else site_dir / path / "index.html"
        html = file.read_text(encoding="utf-8")
        if not re.search(r'<html[^>]*\slang="[a-z]{2,3}(-[A-Za-z0-9]+)*"', html):
            missing.append(f"/{path}")
    assert not missing, "pages without <html lang=...>: " + ", ".join(missing)


def test_skip_link_is_first_and_moves_past_the_header(open_page):
    page = open_page(375)
    page.goto(TREATMENT)
    page.add_style_tag(content=NO_TRANSITIONS)
    page.keyboard.press("Tab")
    skip = page.evaluate(DESCRIBE_FOCUS.replace("window.__careleafRest.get(el)", "''"))
    assert skip and "skip to content" in skip["element"].lower(), f"first Tab stop: {skip}"
    assert skip["visible"] and skip["inView"] and skip["onTop"], f"skip link not seen: {skip}"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    inside = page.evaluate("() => !!document.activeElement.closest('article')")
    assert inside, "after the skip link, Tab does not go into the page's content"


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("path", ["", TREATMENT])
def test_every_tab_stop_is_visible_and_not_hidden(open_page, width, path):
    """WCAG 2.4.7 and 2.4.11: each stop shows focus, on screen, not under the sticky header."""
    page = open_page(width)
    page.goto(path)
    page.add_style_tag(content=NO_TRANSITIONS)
    page.evaluate(REMEMBER_REST_STYLES)
    problems, stops = [], 0
    for _ in range(200):
        page.keyboard.press("Tab")
        focus = page.evaluate(DESCRIBE_FOCUS)
        if focus is None:
            break
        stops += 1
        for _ in range(5):  # Material reacts to some focus changes a frame or two later
            failing = [key for key in ("indicated", "visible", "inView", "onTop") if not focus[key]]
            if not failing:
                break
            page.wait_for_timeout(50)
            focus = page.evaluate(DESCRIBE_FOCUS)
        if failing:
            problems.append(f"{focus['element']}: not {', not '.join(failing)}")
    assert stops > 3, f"only {stops} Tab stops on /{path}"
    assert not problems, f"/{path} at {width}px, focus not visible:\n" + "\n".join(problems)


def _tab_to(page, test: str, limit: int = 80) -> None:
    """Press Tab until the focused element passes the JS predicate `test` (el => bool)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return !!({test})(el); }}"):
            return
    raise AssertionError(f"Tab never reached an element with {test} on {page.url}")


def test_keyboard_alone_opens_a_treatment_then_finds_an_answer(open_page, site_url):
    page = open_page(375)
    page.goto("treatments/")
    _tab_to(page, "el => el.href && el.href.endsWith('/" + TREATMENT + "')")
    page.keyboard.press("Enter")
    page.wait_for_url(site_url + TREATMENT)

    _tab_to(page, "el => el.matches('.md-search__input')", limit=10)
    page.keyboard.type("is it painful")
    page.locator(".md-search-result__item").first.wait_for()
    for _ in range(30):
        page.keyboard.press("ArrowDown")
        href = page.evaluate("() => document.activeElement.getAttribute('href') || ''")
        if TREATMENT in href and href.endswith("#is-it-painful"):
            break
    else:
        raise AssertionError("arrow keys never reached the 'Is it painful?' answer in results")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(TREATMENT) + r".*#is-it-painful$"))
    answer = page.locator("#is-it-painful")
    assert answer.is_visible() and answer.bounding_box()["y"] >= 0


def test_keyboard_opens_and_closes_the_navigation_drawer(open_page, site_url):
    page = open_page(375)
    page.goto("")
    page.add_style_tag(content=NO_TRANSITIONS)
    _tab_to(page, "el => el.matches('[data-careleaf-drawer]')", limit=5)
    button = page.locator("[data-careleaf-drawer]")
    assert button.get_attribute("aria-expanded") == "false"

    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    assert page.evaluate("() => !!document.activeElement.closest('.md-sidebar--primary')")
    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false"
    assert page.evaluate("() => document.activeElement.matches('[data-careleaf-drawer]')")

    page.keyboard.press(" ")
    _tab_to(page, "el => el.matches('.md-nav__link') && el.href.endsWith('/treatments/')", 20)
    page.keyboard.press("Enter")
    page.wait_for_url(site_url + "treatments/")


def test_controls_are_at_least_24px_on_a_phone(open_page, site_pages):
    page = open_page(375)
    small = []
    for path in site_pages:
        page.goto(path)
        small += [f"/{path}: {item}" for item in page.evaluate(SMALL_CONTROLS)]
    page.goto(TREATMENT)
    page.add_style_tag(content=NO_TRANSITIONS)
    page.locator("[data-careleaf-drawer]").click()
    small += [f"drawer open: {item}" for item in page.evaluate(SMALL_CONTROLS)]
    page.keyboard.press("Escape")
    open_search(page, "dark spots")
    small += [f"search open: {item}" for item in page.evaluate(SMALL_CONTROLS)]
    assert not small, "tap targets under 24 x 24 px at 375 px wide:\n" + "\n".join(small)


def test_no_page_scrolls_sideways_at_320px(open_page, site_pages):
    page = open_page(320, 640)
    overflowing = []
    for path in site_pages:
        page.goto(path)
        overflowing += [f"/{path}: {item}" for item in page.evaluate(OVERFLOWING)]
    assert not overflowing, "content wider than 320 px:\n" + "\n".join(overflowing)
