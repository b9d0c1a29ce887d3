"""Where things are on a 375 px phone: booking and the review line on the first screen of
every treatment page, the comparison with no column cut, hub headings that are not links."""

from __future__ import annotations

import re

import pytest

from .pagecheck import open_search

PHONE = {"width": 375, "height": 667}  # an iPhone SE / 8: the smallest common first screen

# Where an element starts and ends, in px from the top of the page, and how it looks.
PLACE = """(selector) => {
  const el = document.querySelector(selector);
  if (!el) return null;
  const r = el.getBoundingClientRect();
  const cs = getComputedStyle(el);
  return { top: Math.round(r.top + scrollY), bottom: Math.round(r.bottom + scrollY),
           width: r.width, fontSize: parseFloat(cs.fontSize), color: cs.color,
           visible: cs.visibility !== "hidden" && cs.display !== "none" && r.height > 0 };
}"""


def _treatment_pages(site_pages: list[str]) -> list[str]:
    return [p for p in site_pages if re.fullmatch(r"treatments/[\w-]+/", p)]


def test_booking_and_review_are_on_the_first_screen_of_every_treatment_page(open_page, site_pages):
    page = open_page(**PHONE)
    measured, problems = [], []
    treatments = _treatment_pages(site_pages)
    assert treatments
    for path in treatments:
        page.goto(path)
        book = page.evaluate(PLACE, ".cl-book a[href^='http']")
        call = page.evaluate(PLACE, ".cl-book a[href^='tel:']")
        review = page.evaluate(PLACE, ".cl-review")
        measured.append(f"/{path}: booking link {book}, call {call}, review line {review}")
        for name, where in (("booking link", book), ("call link", call), ("review", review)):
            if where is None or not where["visible"] or where["bottom"] > PHONE["height"]:
                problems.append(f"/{path}: the {name} is not on the first screen: {where}")
        if review and review["fontSize"] < 14:
            problems.append(f"/{path}: the review line is {review['fontSize']} px: too small")
        # And again at the end, after the answers.
        end = page.evaluate(PLACE, "#contact ~ .cl-contact a[href^='http']")
        if end is None or end["top"] < page.evaluate(PLACE, "#faq")["top"]:
            problems.append(f"/{path}: no booking link after the answers: {end}")
    print("\n".join(measured))
    assert not problems, "\n".join(problems)


def test_the_comparison_cuts_no_column_on_a_phone(open_page):
    # The sample's three treatments, each with every fact (axe on every page is in
    # test_accessibility.py).
    page = open_page(**PHONE)
    page.goto("compare/")
    cut = page.evaluate(
        """() => {
      const view = document.documentElement.clientWidth;
      const out = [];
      for (const el of document.querySelectorAll(".cl-compare th, .cl-compare td")) {
        const r = el.getBoundingClientRect();
        const hidden = getComputedStyle(el.closest("thead") || el).position === "absolute";
        if (hidden) continue;  // the column heads, for screen readers: each card names them
        if (r.left < 0 || r.right > view + 0.5 || el.scrollWidth > el.clientWidth + 1)
          out.push(`${el.textContent.trim().slice(0, 40)}: ${r.left}..${r.right} of ${view}`);
      }
      return { out, cells: document.querySelectorAll(".cl-compare td").length,
               wide: document.documentElement.scrollWidth > view };
    }"""
    )
    assert cut["cells"] >= 3 * 3  # three treatments, three facts or more
    assert not cut["wide"], "the comparison makes the page scroll sideways"
    assert cut["out"] == [], "cells cut on a 375 px phone:\n" + "\n".join(cut["out"])
    # Each value says which treatment it is about.
    label = page.evaluate(
        "() => getComputedStyle(document.querySelector('.cl-compare td'), '::before').content"
    )
    assert label.strip('"').endswith(": ") and len(label) > 4, label


def test_hub_headings_do_not_look_like_links(open_page):
    page = open_page(**PHONE)
    page.goto("faq/")
    styles = page.evaluate(
        """() => [...document.querySelectorAll("article :is(h1, h2, h3) abbr")].map((el) => {
      const cs = getComputedStyle(el);
      return [el.textContent, cs.textDecorationLine, cs.borderBottomStyle, cs.cursor];
    })"""
    )
    assert styles, "no glossary word in a heading of the FAQ hub to check"
    for text, decoration, border, cursor in styles:
        assert (decoration, border) == ("none", "none") and cursor != "help", text


@pytest.mark.parametrize("words", ["book", "price", "cost"])
def test_a_search_for_booking_or_price_finds_the_treatment_page(open_page, words):
    page = open_page(**PHONE)
    page.goto("")
    open_search(page, words)
    page.wait_for_timeout(150)
    hrefs = page.eval_on_selector_all(
        ".md-search-result__item a[href]", "(links) => links.map((a) => a.href)"
    )
    assert any("/treatments/" in h for h in hrefs), hrefs
