"""Links staff share: short links, QR codes, handouts, and the published addresses that must
keep working (published-urls.txt), as the built site and the commands show them."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ROOT, careleaf, edit, mkdocs

from careleaf.links import ALPHABET, CONTRACT_FILE, short_code

ANSWER = "/treatments/test-peel/#does-it-hurt"


class _Tags(HTMLParser):
    """Every start tag of a page, with its attributes, and its text."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text = ""
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text += data

    def first(self, tag: str, **attrs: str) -> dict[str, str | None]:
        for name, found in self.tags:
            if name == tag and all(found.get(k) == v for k, v in attrs.items()):
                return found
        raise AssertionError(f"no <{tag} {attrs}>")


def contract(project: Path) -> list[str]:
    text = (project / CONTRACT_FILE).read_text()
    return [line for line in text.splitlines() if line and not line.startswith("#")]


def short_link(project: Path, target: str) -> str:
    return next(
        line.split(" -> ")[0] for line in contract(project) if line.endswith(f" -> {target}")
    )


def _answers() -> int:
    """How many answers the sample's treatments give (each has an id: `{#id}`)."""
    return sum(
        1
        for path in (ROOT / "docs/treatments").glob("*.md")
        for line in path.read_text().splitlines()
        if line.startswith("### ") and "{#" in line
    )


def test_every_answer_has_a_short_link_that_forwards_to_it(sample_site):
    lines = contract(ROOT)
    shorts = [line.split(" -> ") for line in lines if line.startswith("/q/")]
    assert len(shorts) == _answers()  # every answer of the sample
    for address, target in shorts:
        code = address.strip("/").split("/")[1]
        assert len(code) == 4 and set(code) <= set(ALPHABET)
        html = (sample_site / address.strip("/") / "index.html").read_text()
        page = _Tags(html)
        relative = "../.." + target
        assert page.first("meta", **{"http-equiv": "refresh"})["content"] == f"0; url={relative}"
        assert page.first("link", rel="canonical")["href"] == "https://clinic.example" + target
        assert page.first("a", href=relative) is not None
        assert page.first("script")["src"] == "../../assets/careleaf/careleaf.js"
        assert "<script>" not in html and "style" not in html
    treatment = _Tags((sample_site / "t/microdermabrasion/index.html").read_text())
    assert treatment.first("link", rel="canonical")["href"] == (
        "https://clinic.example/treatments/microdermabrasion/"
    )


def test_codes_are_unambiguous_and_stable():
    assert not set(ALPHABET) & set("0O1lIi")
    assert short_code("x#is-it-painful") == short_code("x#is-it-painful")
    taken = short_code("x#is-it-painful")
    assert short_code("x#is-it-painful", [taken]) != taken  # another key, the same code


def test_the_staff_page_lists_each_answer_with_its_short_link_and_qr_code(sample_site):
    page = _Tags((sample_site / "staff/links/index.html").read_text())
    assert "Is it painful?" in page.text and "clinic.example/t/microdermabrasion" in page.text
    images = [a["src"] for tag, a in page.tags if tag == "img" and "qr/" in (a["src"] or "")]
    # each treatment and each of its answers
    assert len(images) == len(list((ROOT / "docs/treatments").glob("*.md"))) + _answers()
    for src in images:
        svg = (sample_site / "staff/links" / src).resolve().read_text()
        assert svg.startswith("<svg") and "<title>QR code: https://clinic.example/" in svg


def test_the_handout_is_the_treatment_on_one_printable_page(sample_site):
    html = (sample_site / "handouts/microdermabrasion/index.html").read_text()
    page = _Tags(html)
    for words in (
        "Microdermabrasion",
        "Who should avoid it",
        "What to expect",
        "Aftercare",
        "When to call us",
        "Example Skin Clinic",
        "+1 555 0100 000",
        "1 Sample Street, Exampletown",
        "Last reviewed 25 November 2026",
        "Next review due 25 November 2027",
        "clinic.example/t/microdermabrasion",
    ):
        assert words in page.text, words
    assert "[@" not in page.text and "cl-cite" not in html  # sources are in the full guide
    assert page.first("img", alt="QR code for the full guide")["src"] == (
        "../../qr/t-microdermabrasion.svg"
    )
    treatment = _Tags((sample_site / "treatments/microdermabrasion/index.html").read_text())
    assert treatment.first("a", href="../../handouts/microdermabrasion/") is not None


def test_the_committed_contract_lists_everything_the_sample_publishes():
    from careleaf.build import build_content
    from careleaf.config import load_site

    site = load_site(ROOT / "mkdocs.yml")
    assert site is not None
    content = build_content(site)
    assert content.links is not None
    assert not [f for f in content.findings if f.rule in ("url-removed", "contract-syntax")]
    lines = contract(ROOT)
    assert lines == sorted(lines)
    assert "/treatments/microdermabrasion/#is-it-painful" in lines
    assert lines == content.links.contract, f"run `make site` and commit {CONTRACT_FILE}"


def test_a_removed_answer_fails_the_build_until_its_move_is_declared(project):
    assert careleaf(project, "links", "--update", "--quiet").returncode == 0
    first = contract(project)
    code = short_link(project, ANSWER)
    assert mkdocs(project, "build", "--strict").returncode == 0

    edit(project, "{#does-it-hurt}", "{#is-it-painful}")
    bad = mkdocs(project, "build", "--strict")
    assert bad.returncode != 0
    line = first.index(ANSWER) + 1 + _header_lines(project)
    found = [x for x in bad.stderr.splitlines() if "url-removed" in x]
    assert len(found) == 1, bad.stderr
    assert f"{CONTRACT_FILE}:{line}: url-removed: {ANSWER} was published" in found[0]
    assert "moved_answers: {does-it-hurt: new-id}" in found[0]
    assert "docs/treatments/test-peel.md" in found[0]
    check = careleaf(project, "check")
    assert check.returncode == 1 and "url-removed" in check.stdout

    edit(
        project,
        "title: Test Peel\n",
        "title: Test Peel\nmoved_answers: {does-it-hurt: is-it-painful}\n",
    )
    good = mkdocs(project, "build", "--strict")
    assert good.returncode == 0, good.stderr
    # The short link keeps its code and goes to the answer's new id.
    forward = (project / "site" / code.strip("/") / "index.html").read_text()
    assert "../../treatments/test-peel/#is-it-painful" in forward
    moved = (project / "site/assets/careleaf/moved.json").read_text()
    assert (
        '"/treatments/test-peel/":{"does-it-hurt":"/treatments/test-peel/#is-it-painful"}' in moved
    )
    assert careleaf(project, "links", "--update", "--quiet").returncode == 0
    now = contract(project)
    assert set(now) - set(first) == {
        "/treatments/test-peel/#is-it-painful",
        f"{code} -> /treatments/test-peel/#is-it-painful",
    }
    assert set(first) - set(now) == {f"{code} -> {ANSWER}"}


def _header_lines(project: Path) -> int:
    text = (project / CONTRACT_FILE).read_text().splitlines()
    return sum(1 for line in text if line.startswith("#"))


def test_a_renamed_treatment_keeps_its_old_addresses_with_moved_from(project):
    assert careleaf(project, "links", "--update", "--quiet").returncode == 0
    old = project / "docs/treatments/test-peel.md"
    new = project / "docs/treatments/gentle-peel.md"
    new.write_text(old.read_text())
    old.unlink()
    bad = mkdocs(project, "build", "--strict")
    assert bad.returncode != 0
    assert "/treatments/test-peel/ was published and is no longer" in bad.stderr
    assert "'moved_from: [test-peel]'" in bad.stderr

    edit(
        project,
        "title: Test Peel\n",
        "title: Test Peel\nmoved_from: [test-peel]\n",
        "docs/treatments/gentle-peel.md",
    )
    good = mkdocs(project, "build", "--strict")
    assert good.returncode == 0, good.stderr
    for address, target in (
        ("treatments/test-peel", "../gentle-peel/"),
        ("t/test-peel", "../../treatments/gentle-peel/"),
        ("handouts/test-peel", "../gentle-peel/"),
    ):
        page = _Tags((project / "site" / address / "index.html").read_text())
        assert page.first("meta", **{"http-equiv": "refresh"})["content"] == f"0; url={target}"


def test_a_site_wide_move_in_mkdocs_yml(project):
    (project / "docs/old-page.md").write_text("# Old\n\nA page.\n")
    assert careleaf(project, "links", "--update", "--quiet").returncode == 0
    (project / "docs/old-page.md").unlink()
    bad = careleaf(project, "check")
    assert "/old-page/ was published and is no longer" in bad.stdout
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text().replace(
            "  - careleaf\n",
            "  - careleaf:\n      moved:\n        /old-page/: /treatments/test-peel/\n",
        )
    )
    good = mkdocs(project, "build", "--strict")
    assert good.returncode == 0, good.stderr
    assert "url=../treatments/test-peel/" in (project / "site/old-page/index.html").read_text()


def test_a_move_to_an_address_that_does_not_exist_is_one_line(project):
    edit(project, "title: Test Peel\n", "title: Test Peel\nmoved_answers: {old-id: no-such-id}\n")
    result = mkdocs(project, "build", "--strict")
    assert result.returncode != 0
    assert (
        "docs/treatments/test-peel.md:3: move-target-unknown: /treatments/test-peel/#old-id is "
        "declared moved to /treatments/test-peel/#no-such-id" in result.stderr
    )


@pytest.mark.parametrize(
    ("front", "what"),
    [
        ("moved_answers: {old id: new}\n", "moved_answers 'old id' is not an id"),
        ("moved_from: [Old Name]\n", "moved_from[1] 'Old Name' is not an id"),
    ],
)
def test_a_malformed_move_is_a_field_finding(project, front, what):
    edit(project, "title: Test Peel\n", "title: Test Peel\n" + front)
    result = careleaf(project, "check", "--format", "json")
    assert result.returncode == 1
    found = [f for f in json.loads(result.stdout) if f["rule"] == "field-invalid"]
    assert len(found) == 1 and found[0]["line"] == 3 and what in found[0]["message"]


def test_a_contract_line_that_is_not_an_address_is_one_line(project):
    (project / CONTRACT_FILE).write_text("/\nnot an address\n")
    result = careleaf(project, "check")
    assert f"{CONTRACT_FILE}\n" in result.stdout
    assert "contract-syntax" in result.stdout and "'not an address'" in result.stdout


def test_without_a_site_url_no_qr_code_is_made_and_the_build_says_so(project):
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("site_url: https://test.example/\n", ""))
    result = mkdocs(project, "build")  # not strict: a missing site_url is a warning too
    assert result.returncode == 0, result.stderr
    assert "no site_url in mkdocs.yml, so no QR codes were made" in result.stderr
    assert not (project / "site/qr").exists()
    assert (project / "site/handouts/test-peel/index.html").is_file()


def test_a_qr_code_of_the_build_before_is_kept_only_for_the_same_address(project):
    assert mkdocs(project, "build", "--strict").returncode == 0
    qr = project / "site/qr/t-test-peel.svg"
    made = qr.read_text()
    assert "<title>QR code: https://test.example/t/test-peel/</title>" in made
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("https://test.example/", "https://new.example/"))
    assert mkdocs(project, "build", "--strict").returncode == 0
    assert "<title>QR code: https://new.example/t/test-peel/</title>" in qr.read_text()


def test_careleaf_links_lists_the_short_links_and_writes_the_contract_only_with_update(project):
    listed = careleaf(project, "links")
    assert listed.returncode == 0, listed.stderr
    assert "https://test.example/t/test-peel/  Test Peel\n" in listed.stdout
    assert "  Does it hurt? · Test Peel\n" in listed.stdout
    assert not (project / CONTRACT_FILE).exists()
    updated = careleaf(project, "links", "--update", "--quiet")
    assert updated.returncode == 0 and updated.stdout == f"wrote {CONTRACT_FILE}\n"
    assert (project / CONTRACT_FILE).read_text().startswith("# Every address this site")
    assert careleaf(project, "links", "--update", "--quiet").stdout == ""


HANDOUT = """handout:
  who_should_avoid:
    - "Not while you have a **cold sore** on the face [@guide]."
  aftercare:
    - Keep the skin clean and dry for a day.
    - Use sunscreen each day [@guide].
  when_to_call:
    - "**Call us the same day** if the redness spreads."
"""


def test_the_handout_prints_its_own_short_points_and_sections_without_them_in_full(project):
    aftercare = "## Aftercare\n\nA long paragraph of aftercare that only the full guide shows.\n\n"
    edit(project, "## Risks and side effects", aftercare + "## Risks and side effects")
    edit(project, "related: []\n", "related: []\n" + HANDOUT)
    result = mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    html = (project / "site/handouts/test-peel/index.html").read_text()
    page = _Tags(html)
    assert "<strong>cold sore</strong>" in html
    for words in (
        "Not while you have a cold sore on the face.",
        "Keep the skin clean and dry for a day.",
        "Use sunscreen each day.",
        "Call us the same day if the redness spreads.",
        # 'What to expect' has no points: the section would be printed in full (it has none).
        "Call us on +1 555 0100 if your skin does not settle",
    ):
        assert words in " ".join(page.text.split()), words
    # The shortened sections' own words stay on the full guide only.
    assert "People with a cold sore on the face." not in page.text
    assert "only the full guide shows" not in page.text
    assert "[@" not in page.text and "cl-cite" not in html
    guide = (project / "site/treatments/test-peel/index.html").read_text()
    assert "only the full guide shows" in guide and "Keep the skin clean and dry" not in guide


def test_a_section_without_handout_points_is_printed_in_full(project):
    edit(
        project,
        "## Risks and side effects",
        "## Aftercare\n\nRest well.\n\n## Risks and side effects",
    )
    edit(project, "related: []\n", 'related: []\nhandout:\n  aftercare: ["Rest."]\n')
    result = mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    text = _Tags((project / "site/handouts/test-peel/index.html").read_text()).text
    assert "People with a cold sore on the face." in text and "Rest." in text


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        (
            "handout:\n  aftercare:\n    - Use sunscreen [@nowhere].\n",
            "docs/treatments/test-peel.md:24: source-unknown: [@nowhere] cites a source",
        ),
        (
            "handout:\n  after_care: [Rest.]\n",
            "docs/treatments/test-peel.md:23: field-unknown: unknown field 'after_care' in "
            'handout: did you mean "aftercare"?',
        ),
        (
            "handout:\n  aftercare: Rest.\n",
            "docs/treatments/test-peel.md:23: field-type: handout.aftercare should be a list",
        ),
        (
            "handout:\n  aftercare: []\n",
            "docs/treatments/test-peel.md:23: field-empty: handout.aftercare is empty",
        ),
        (
            'handout:\n  aftercare:\n    - Rest.\n    - "<script>alert(1)</script>"\n',
            "docs/treatments/test-peel.md:25: html-unsafe: a <script> element",
        ),
        (
            'handout:\n  aftercare:\n    - Rest.\n    - "[Call](javascript:alert(1))"\n',
            "docs/treatments/test-peel.md:25: html-unsafe: a javascript: link",
        ),
        (
            # The same claim rules as the page: a promise on the handout is refused there.
            "handout:\n  aftercare:\n    - Rest.\n    - This peel is guaranteed to work.\n",
            "docs/treatments/test-peel.md:25: claim-forbidden: 'guaranteed'",
        ),
        (
            # A point folded over lines: the line its text starts on.
            "handout:\n  aftercare:\n    - Rest.\n    - |\n      Rest\n      <script>x</script>\n",
            "docs/treatments/test-peel.md:26: html-unsafe: a <script> element",
        ),
        (
            "handout:\n  aftercare:\n    - Rest.\n    - '   '\n",
            "docs/treatments/test-peel.md:25: field-empty: handout.aftercare[2] is empty",
        ),
        (
            "handout:\n  aftercare:\n    - Rest.\n    - See [the guide](test-peel.md).\n",
            "docs/treatments/test-peel.md:25: handout-point: a link cannot be followed on paper",
        ),
        (
            "handout:\n  aftercare:\n    - Rest.\n    - '# Big words'\n",
            "docs/treatments/test-peel.md:25: handout-point: a handout point is one line of text",
        ),
        (
            # The test page has no 'What to expect': a warning, which strict mode refuses.
            "handout:\n  what_to_expect:\n    - Rest.\n",
            "docs/treatments/test-peel.md:23: handout-no-section: the handout's "
            "'what_to_expect' shortens a section this page does not have",
        ),
    ],
)
def test_handout_points_are_checked_like_the_page_at_their_line(project, front, expected):
    edit(project, "related: []\n", "related: []\n" + front)
    result = mkdocs(project, "build", "--strict")
    assert result.returncode == 1
    assert expected in result.stderr, result.stderr


def test_a_treatment_file_that_cannot_be_read_is_one_line_not_one_per_address(project):
    """A typo in one treatment's YAML: its file's line says what to fix; what it published and
    what links to it are not also each reported missing."""
    second = project / "docs/treatments/second-peel.md"
    second.write_text(
        (project / "docs/treatments/test-peel.md")
        .read_text()
        .replace("title: Test Peel", "title: Second Peel")
        .replace("related: []", "related: [test-peel]")
    )
    assert careleaf(project, "links", "--update", "--quiet").returncode == 0
    assert len(contract(project)) > 10
    edit(project, "summary: A mild peel used only", "summary: Note: a mild peel used only")
    result = mkdocs(project, "build", "--strict")
    assert result.returncode == 1
    errors = [x for x in result.stderr.splitlines() if x.startswith("ERROR") and ".md:" in x]
    assert errors == [
        "ERROR   -  docs/treatments/test-peel.md:3: front-matter-syntax: the front matter is "
        "not valid YAML (mapping values are not allowed in this context): check indentation "
        "and quotes"
    ], result.stderr
    assert "url-removed" not in result.stderr and "related-unknown" not in result.stderr
    # The file itself gone is another matter: every address it published is one line.
    (project / "docs/treatments/test-peel.md").unlink()
    gone = mkdocs(project, "build", "--strict")
    assert gone.stderr.count("url-removed") > 5 and "related-unknown" in gone.stderr
