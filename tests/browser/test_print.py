"""A treatment page printed as a handout: where it is from, web addresses, no screen clutter."""

from __future__ import annotations

from .pagecheck import TREATMENT


def test_a_printed_treatment_page_is_a_handout(open_page):
    page = open_page(800)
    page.goto(TREATMENT)
    page.emulate_media(media="print")
    origin = page.locator(".cl-print-only")
    assert origin.is_visible()
    assert "Example Skin Clinic" in origin.inner_text() and "/treatments/" in origin.inner_text()
    # The screen's own aids are not printed.
    assert not page.locator(".cl-contents").is_visible()
    assert not page.locator(".md-header").is_visible()
    # A source prints with its address, and the sheet uses print-sized text.
    after = page.evaluate(
        """() => getComputedStyle(
             document.querySelector('.cl-sources a[href^="http"]'), '::after').content"""
    )
    assert "http" in after
    size = page.evaluate("() => getComputedStyle(document.querySelector('.md-typeset')).fontSize")
    assert float(size.removesuffix("px")) >= 15  # 12pt


def test_on_screen_the_print_line_is_not_shown(open_page):
    page = open_page(375)
    page.goto(TREATMENT)
    assert not page.locator(".cl-print-only").is_visible()
    assert page.locator(".cl-contents").is_visible()
