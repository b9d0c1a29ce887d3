"""What the browser tests ask of a loaded page: axe results, focus, tap targets, overflow."""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe

# WCAG 2.0, 2.1 and 2.2 A and AA, and Deque's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
TREATMENT = "treatments/microdermabrasion/"

_axe = Axe()


def open_search(page: Any, words: str) -> None:
    """Open search as a reader would (the header button on a phone, the field on a laptop),
    type the words and wait for the first results."""
    button = page.locator(".md-header__button[for=__search]")
    if button.is_visible():
        button.click()
    else:
        page.locator(".md-search__input").click()
    page.keyboard.type(words)
    page.wait_for_function(
        "(words) => document.querySelector('.md-search__input').value === words"
        " && document.querySelector('.md-search-result__item')",
        arg=words,
    )


def axe_violations(page: Any, label: str) -> list[str]:
    """One line per failing element: 'label rule (impact): selector -- what to fix'."""
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    results = _axe.run(page, options=options).response
    lines = []
    for violation in results["violations"]:
        for node in violation["nodes"]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(
                f"{label} {violation['id']} ({violation['impact']}): "
                f"{' '.join(map(str, node['target']))} -- {summary}"
            )
    return lines


# The state of each element before anything has focus, to compare with its focused state.
REMEMBER_REST_STYLES = """() => {
  const props = ["outlineStyle", "outlineWidth", "outlineColor", "boxShadow", "backgroundColor",
                 "borderBottomColor", "color", "textDecorationLine", "opacity"];
  window.__careleafRest = new Map();
  for (const el of document.querySelectorAll("*")) {
    const cs = getComputedStyle(el);
    window.__careleafRest.set(el, props.map((p) => cs[p]).join("|"));
  }
}"""

# Where focus is now and whether a sighted keyboard user can see it: null if nothing has focus.
DESCRIBE_FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const props = ["outlineStyle", "outlineWidth", "outlineColor", "boxShadow", "backgroundColor",
                 "borderBottomColor", "color", "textDecorationLine", "opacity"];
  const cs = getComputedStyle(el);
  // An outline, or a change of look of the element or its box (a search field's form).
  const style = (e) => { const c = getComputedStyle(e); return props.map((p) => c[p]).join("|"); };
  const boxes = [el, el.parentElement, el.parentElement && el.parentElement.parentElement];
  const indicated = (cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) > 0)
    || boxes.some((box) => box && style(box) !== window.__careleafRest.get(box));
  let opacity = 1;
  for (let a = el; a; a = a.parentElement) opacity *= parseFloat(getComputedStyle(a).opacity);
  const r = el.getClientRects()[0] || el.getBoundingClientRect();
  const x = r.left + r.width / 2, y = r.top + r.height / 2;
  const inView = r.width > 0 && r.height > 0 && x >= 0 && y >= 0 && x < innerWidth && y < innerHeight;
  const hit = inView ? document.elementFromPoint(x, y) : null;
  const name = (el.getAttribute("aria-label") || el.textContent || el.value || "").trim();
  return {
    element: `${el.tagName.toLowerCase()}.${[...el.classList].join(".")} "${name.slice(0, 40)}"`
      + (el.getAttribute("href") ? ` href=${el.getAttribute("href")}` : ""),
    indicated,
    visible: cs.visibility === "visible" && opacity > 0.5,
    inView,
    onTop: !!hit && (hit === el || el.contains(hit)),
  };
}"""

# Navigation and controls smaller than 24 x 24 CSS px (WCAG 2.5.8). Links in running text are
# left to axe's target-size rule, which knows the inline and spacing exceptions.
SMALL_CONTROLS = """() => {
  const controls = [
    "button", "input:not([type=hidden])", "select", "textarea", "summary", "label[for]",
    "[role=button]", "[tabindex]:not([tabindex='-1'])", ".md-header a[href]", ".md-nav a[href]",
    ".md-tabs a[href]", ".md-footer__link", ".md-search-result a[href]", ".md-typeset .headerlink",
  ].join(",");
  const small = [];
  for (const el of document.querySelectorAll(controls)) {
    if (el.matches(".md-skip")) continue;  // shown only while focused, and 24 px tall then
    const cs = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || cs.visibility !== "visible" || cs.display === "none") continue;
    let opacity = 1;
    for (let a = el; a; a = a.parentElement) opacity *= parseFloat(getComputedStyle(a).opacity);
    if (opacity === 0) continue;  // not shown yet, like the search field's clear button
    if (r.width < 24 || r.height < 24) {
      const name = (el.getAttribute("aria-label") || el.textContent || "").trim().slice(0, 30);
      small.push(`${el.tagName.toLowerCase()}.${[...el.classList].join(".")} "${name}" `
        + `${r.width.toFixed(1)}x${r.height.toFixed(1)}`);
    }
  }
  return small;
}"""

# Elements that stick out sideways past the viewport (content would need a horizontal scroll).
# Inside a box that scrolls or clips on its own (a wide table, a code block) is fine.
OVERFLOWING = """() => {
  const out = [];
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > width) {
    out.push(`page scrolls sideways: ${document.documentElement.scrollWidth}px wide in ${width}px`);
  }
  const clips = (el) => ["auto", "scroll", "hidden", "clip"].includes(getComputedStyle(el).overflowX);
  for (const el of document.body.querySelectorAll("*")) {
    const cs = getComputedStyle(el);
    if (cs.visibility !== "visible" || cs.position === "fixed") continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (r.right <= width + 1 && r.left >= -1) continue;
    let a = el.parentElement, inside = false;
    for (; a && a !== document.body; a = a.parentElement) if (clips(a)) { inside = true; break; }
    if (inside) continue;
    out.push(`${el.tagName.toLowerCase()}.${[...el.classList].join(".")} spans `
      + `${Math.round(r.left)}..${Math.round(r.right)}px`);
  }
  return out;
}"""
