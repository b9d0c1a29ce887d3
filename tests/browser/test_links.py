"""Links staff share, in a real browser: copying an answer's link, short links landing on the
answer, QR codes that a reader decodes, one-page handouts, and old addresses that still work."""

from __future__ import annotations

import io
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
from pypdf import PdfReader

from careleaf.links import CONTRACT_FILE

from .conftest import REPO, SCREENSHOTS, served
from .pagecheck import TREATMENT


def _short_links() -> dict[str, str]:
    """Target -> short address, as the committed contract file lists them."""
    lines = (REPO / CONTRACT_FILE).read_text().splitlines()
    return {
        target: address
        for address, _, target in (line.partition(" -> ") for line in lines)
        if address.startswith("/q/")
    }


def test_copy_link_puts_the_answers_address_on_the_clipboard_and_says_so(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=site_url)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    try:
        page = context.new_page()
        page.goto(TREATMENT)
        copy = page.locator("#is-it-painful + .cl-link-bar button", has_text="Copy link")
        assert copy.is_visible()
        box = copy.bounding_box()
        assert box is not None and box["width"] >= 24 and box["height"] >= 24
        # By keyboard: the button takes focus and Enter copies.
        copy.focus()
        page.keyboard.press("Enter")
        status = page.locator(".cl-announce[role=status]")
        status.filter(has_text="Link copied").wait_for()
        assert status.is_visible()
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == "https://clinic.example/treatments/microdermabrasion/#is-it-painful"
        # Every section has one too.
        assert page.locator("#aftercare + .cl-link-bar button").count() == 1
    finally:
        context.close()


def test_without_javascript_an_answers_address_is_a_plain_link(browser, site_url):
    context = browser.new_context(base_url=site_url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(TREATMENT)
        assert page.locator("#is-it-painful a.headerlink[href='#is-it-painful']").count() == 1
        assert page.locator(".cl-link-bar").count() == 0
    finally:
        context.close()


@pytest.mark.parametrize("width", [375, 1280])
def test_a_short_link_lands_on_the_answer_in_view(open_page, site_url, width):
    target = "/treatments/microdermabrasion/#is-it-painful"
    page = open_page(width, 740)
    page.goto(_short_links()[target].lstrip("/"))
    page.wait_for_url("**/treatments/microdermabrasion/#is-it-painful")
    answer = page.locator("#is-it-painful")
    answer.wait_for()
    page.wait_for_function(
        "() => { const r = document.getElementById('is-it-painful').getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= window.innerHeight; }"
    )
    # The answer's text shows below its question.
    assert page.get_by_text("It should not hurt much").is_visible()


def test_the_treatment_short_link_lands_on_its_page(open_page):
    page = open_page(375)
    page.goto("t/microdermabrasion/")
    page.wait_for_url("**/treatments/microdermabrasion/")
    assert page.locator("h1").inner_text().startswith("Microdermabrasion")


def _decode(page, src: str) -> str:  # type: ignore[no-untyped-def]
    """The text a QR code reader finds in an image of the site, drawn as a browser draws it."""
    import zxingcpp

    pixels = page.evaluate(
        """async (src) => {
            const img = new Image();
            img.src = src;
            await img.decode();
            const size = 330, canvas = document.createElement('canvas');
            canvas.width = canvas.height = size;
            const ctx = canvas.getContext('2d');
            ctx.fillStyle = '#fff';
            ctx.fillRect(0, 0, size, size);
            ctx.drawImage(img, 0, 0, size, size);
            const rgba = ctx.getImageData(0, 0, size, size).data;
            const grey = [];
            for (let i = 0; i < rgba.length; i += 4) grey.push(rgba[i]);
            return grey;
        }""",
        src,
    )
    size = int(len(pixels) ** 0.5)
    image = memoryview(bytes(pixels)).cast("B", (size, size))
    found = zxingcpp.read_barcodes(image)
    assert len(found) == 1, f"{src}: {len(found)} codes found"
    return str(found[0].text)


def _same_address(decoded: str, expected: str) -> bool:
    """Scheme and host are the same in any case; the path is not."""
    a, b = urlsplit(decoded), urlsplit(expected)
    return (a.scheme.lower(), a.netloc.lower(), a.path) == (b.scheme, b.netloc, b.path)


def test_qr_codes_decode_to_the_short_links(open_page):
    page = open_page(1280)
    page.goto("staff/links/")
    target = "/treatments/microdermabrasion/#is-it-painful"
    short = _short_links()[target]
    code = short.strip("/").split("/")[1]
    answer = _decode(page, f"../../qr/q-{code}.svg")
    assert _same_address(answer, f"https://clinic.example{short}"), answer
    treatment = _decode(page, "../../qr/t-microdermabrasion.svg")
    assert _same_address(treatment, "https://clinic.example/t/microdermabrasion/"), treatment


def _pages(page, sheet: str) -> int:
    page.emulate_media(media="print")
    return len(PdfReader(io.BytesIO(page.pdf(format=sheet, print_background=True))).pages)


@pytest.mark.parametrize("sheet", ["A4", "Letter"])
def test_each_handout_prints_on_one_sheet(open_page, site_dir, sheet):
    slugs = sorted(p.parent.name for p in (site_dir / "handouts").glob("*/index.html"))
    assert slugs
    page = open_page(1280)
    for slug in slugs:
        page.goto(f"handouts/{slug}/")
        assert _pages(page, sheet) == 1, f"{slug} on {sheet}"
        if sheet == "A4":
            # The sheet as printed: A4 less its 8 mm margins is 733 px wide at 96 px an inch.
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.set_viewport_size({"width": 733, "height": 1000})
            page.screenshot(path=SCREENSHOTS / f"handout-{slug}.png", full_page=True)
        # The QR code is at least 25 mm wide on paper, with its quiet zone.
        width = page.locator(".cl-handout__qr img").evaluate(
            "img => img.getBoundingClientRect().width"
        )
        assert width * 25.4 / 96 >= 25
        # Black on white, and no text under 12 pt (16 px) on paper.
        sizes = page.locator(".cl-handout :is(p, li, dt, dd, strong, span)").evaluate_all(
            "els => els.map(e => [parseFloat(getComputedStyle(e).fontSize),"
            " getComputedStyle(e).color])"
        )
        assert min(size for size, _ in sizes) >= 16, f"{slug}: {min(sizes)}"
        assert {color for _, color in sizes} == {"rgb(0, 0, 0)"}, slug


def test_old_links_land_on_a_renamed_answer_and_a_renamed_treatment(browser, project):
    from conftest import careleaf, edit, mkdocs

    assert careleaf(project, "links", "--update", "--quiet").returncode == 0
    old = project / "docs/treatments/test-peel.md"
    new = project / "docs/treatments/gentle-peel.md"
    text = old.read_text().replace("{#does-it-hurt}", "{#is-it-painful}")
    new.write_text(text)
    old.unlink()
    edit(
        project,
        "title: Test Peel\n",
        "title: Test Peel\nmoved_from: [test-peel]\nmoved_answers: {does-it-hurt: is-it-painful}\n",
        "docs/treatments/gentle-peel.md",
    )
    result = mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    with served(project / "site") as base:
        context = browser.new_context(viewport={"width": 375, "height": 700}, base_url=base)
        try:
            page = context.new_page()
            # The old page and the old id: forwarded to the new page, then to the new id.
            page.goto("treatments/test-peel/#does-it-hurt")
            page.wait_for_url("**/treatments/gentle-peel/#is-it-painful")
            assert page.locator("#is-it-painful").is_visible()
            # The old id on the page as it is now.
            page.goto("treatments/gentle-peel/#how-long")
            page.goto("treatments/gentle-peel/#does-it-hurt")
            page.wait_for_url("**/treatments/gentle-peel/#is-it-painful")
            # The old page's own address, and its short link.
            page.goto("t/test-peel/")
            page.wait_for_url("**/treatments/gentle-peel/")
        finally:
            context.close()


def test_make_handouts_names_a_treatment_whose_handout_is_too_long(browser, project):
    from conftest import edit, mkdocs

    steps = "".join(f"- Step {n}: rest, and keep the skin clean and dry.\n" for n in range(400))
    edit(
        project, "## Risks and side effects", f"## Aftercare\n\n{steps}\n## Risks and side effects"
    )
    result = mkdocs(project, "build")
    assert result.returncode == 0, result.stderr
    printed = subprocess.run(
        [sys.executable, str(REPO / "scripts/handouts.py"), "--site", "site"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert printed.returncode == 1, printed.stdout + printed.stderr
    lines = printed.stdout.splitlines()
    assert lines[-1].startswith("docs/treatments/test-peel.md:1: handout-long: its handout takes ")
    assert (project / "site/handouts/test-peel.pdf").is_file()
