"""No request leaves the site and no cookie is set, on any page, also while searching."""

from __future__ import annotations

from urllib.parse import urlsplit

from .pagecheck import open_search


def test_pages_and_search_only_talk_to_their_own_site(browser, site_url, site_pages):
    origin = urlsplit(site_url).netloc
    context = browser.new_context(base_url=site_url, service_workers="block")
    requests: list[tuple[str, str]] = []
    current = {"page": ""}
    context.on("request", lambda request: requests.append((current["page"], request.url)))
    # Record, then refuse, anything for another host, so a failing test sends nothing out.
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if urlsplit(route.request.url).netloc == origin
            else route.abort("blockedbyclient")
        ),
    )
    try:
        context.set_default_timeout(10_000)
        page = context.new_page()
        cookies_in_pages = []
        for path in site_pages:
            current["page"] = f"/{path}"
            page.goto(path)
            open_search(page, "acne")
            page.keyboard.press("Escape")
            # The menu on a phone: opened and closed again.
            page.set_viewport_size({"width": 375, "height": 800})
            menu = page.locator("[data-careleaf-drawer]")
            if menu.is_visible():
                menu.click()
                page.keyboard.press("Escape")
            page.set_viewport_size({"width": 1280, "height": 800})
            page.wait_for_load_state("networkidle")
            if page.evaluate("() => document.cookie"):
                cookies_in_pages.append(f"/{path}")
        cookies = context.cookies()
    finally:
        context.close()

    elsewhere = [f"{page}: {url}" for page, url in requests if urlsplit(url).netloc != origin]
    assert not elsewhere, "requests that left the site:\n" + "\n".join(elsewhere)
    assert any(url.endswith("/search/search_index.json") for _, url in requests), (
        "search never loaded its index: was search used at all?"
    )
    assert not cookies and not cookies_in_pages, f"cookies set: {cookies} {cookies_in_pages}"


def test_a_browser_without_resize_observer_fetches_no_polyfill(browser, site_url):
    """Material fetches a ResizeObserver polyfill from unpkg.com where the browser has none;
    careleaf's stand-in, loaded before the theme, keeps that request from leaving."""
    origin = urlsplit(site_url).netloc
    context = browser.new_context(base_url=site_url, service_workers="block")
    elsewhere: list[str] = []
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if urlsplit(route.request.url).netloc == origin
            else (elsewhere.append(route.request.url), route.abort("blockedbyclient"))
        ),
    )
    try:
        page = context.new_page()
        page.add_init_script("delete window.ResizeObserver")
        page.goto("treatments/microdermabrasion/")
        page.set_viewport_size({"width": 375, "height": 800})
        page.wait_for_load_state("networkidle")
        stand_in = page.evaluate("() => typeof window.ResizeObserver")
    finally:
        context.close()
    assert elsewhere == []
    assert stand_in == "function"
