"""Search finds the treatment or answer from the words patients use."""

from __future__ import annotations

import re

import pytest

from .pagecheck import TREATMENT, open_search

# Material opens the best-scoring link of the first result when Enter is pressed.
BEST_LINK = """() => {
  const first = document.querySelector(".md-search-result__item");
  let best = null, score = -Infinity;
  for (const a of first.querySelectorAll(":scope > a[href], :scope > details > a[href]")) {
    const s = parseFloat(a.firstElementChild.getAttribute("data-md-score"));
    if (s > score) { best = a; score = s; }
  }
  return best.getAttribute("href");
}"""


def _search(page, words: str) -> None:
    open_search(page, words)
    # Results arrive per keystroke; let the last query's results replace the earlier ones.
    page.wait_for_timeout(150)


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        # A patient's words open the exact answer, not just the page.
        ("dark spots", re.escape(TREATMENT) + r".*#dark-spots$"),
        ("acne scars", re.escape(TREATMENT) + r".*#acne-scars$"),
        ("is it painful", r"treatments/[\w-]+/.*#is-it-painful$"),
        ("pregnant", re.escape(TREATMENT) + r".*#pregnant$"),
    ],
)
def test_patients_words_find_the_right_page_first(open_page, words, expected):
    page = open_page(375)
    page.goto("")
    _search(page, words)
    best = page.evaluate(BEST_LINK)
    assert re.search(expected, best), f"{words!r}: first result is {best}, expected {expected}"


def test_an_answer_is_found_and_opened_by_its_question(open_page, site_url):
    page = open_page(375)
    page.goto("")
    _search(page, "is it painful")
    links = page.locator(".md-search-result a[href]").evaluate_all(
        "links => links.map((a) => a.getAttribute('href'))"
    )
    answer = [href for href in links if TREATMENT in href and href.endswith("#is-it-painful")]
    assert answer, f"no result links to {TREATMENT}#is-it-painful; results: {links}"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#is-it-painful$"))
    assert page.locator("#is-it-painful").is_visible()


def test_no_result_says_what_to_do_in_plain_words(open_page):
    page = open_page(1280)
    page.goto("")
    page.locator(".md-search__input").click()
    page.keyboard.type("xyzzy")
    page.wait_for_function(
        "() => document.querySelector('.md-search-result__meta').textContent.includes('Nothing')"
    )
    assert "Try other words" in page.locator(".md-search-result__meta").inner_text()
