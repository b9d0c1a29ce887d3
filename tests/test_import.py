"""`careleaf import`: a draft treatment file from a clinic's existing treatment information."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, careleaf, mkdocs

from careleaf.build import Site, build_content
from careleaf.checks.claims import claims_in, load_claims
from careleaf.checks.prose import blocks
from careleaf.importer import import_source, load_cues, read_source, sort_source
from careleaf.reader import read_front_matter

SOURCE = FIXTURES / "microdermabrasion.txt"


def _source_sentences(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    source = read_source(text, "text")
    return [p.sentence.text for p in sort_source(source, load_cues()).sentences]


def _draft_sentences(markdown: str) -> list[str]:
    front = read_front_matter(markdown)
    assert front is not None and front.body_start
    body = "\n".join(markdown.split("\n")[front.body_start - 1 :])
    return [s.text for b in blocks(body, front.body_start) for s in b.sentences]


def _import(project: Path, *args: str) -> tuple[int, str, str]:
    result = careleaf(project, "import", *args)
    return result.returncode, result.stdout, result.stderr


def test_no_sentence_is_dropped() -> None:
    """Every sentence of the source, read by careleaf's own reader from the draft, is there."""
    source = [line for para in SOURCE.read_text().split("\n\n") for line in [para]]
    assert source  # the text has paragraphs
    wanted = _source_sentences(SOURCE)
    assert len(wanted) == 20
    found = _draft_sentences(import_source(SOURCE).markdown)
    for sentence in wanted:
        assert sentence in found, sentence


def test_each_claim_is_marked_in_place_and_reported(project: Path) -> None:
    """A sentence the claim rules flag has a note right above it; `careleaf check` reports
    the note at its line, as well as the claim itself."""
    shutil.copy(SOURCE, project / "source.txt")
    code, out, err = _import(project, "source.txt", "--slug", "micro")
    assert code == 0, err
    assert "wrote docs/treatments/micro.md from source.txt (plain text, UTF-8): 20 sentences" in out
    lines = (project / "docs/treatments/micro.md").read_text().split("\n")
    claims = load_claims(())
    flagged = [s for s in _source_sentences(SOURCE) if claims_in(_sentence(s), claims)]
    assert len(flagged) >= 12
    for sentence in flagged:
        at = lines.index(sentence.replace("*", "\\*"))
        assert lines[at - 1].startswith("[import-marked]: # "), sentence
    check = careleaf(project, "check")
    assert check.returncode == 1
    reported = [ln for ln in check.stdout.split("\n") if "import-marked" in ln]
    assert len(reported) >= len(flagged)
    assert "claim-forbidden" in check.stdout and "'painless'" in check.stdout


def _sentence(text: str):  # type: ignore[no-untyped-def]
    from careleaf.checks.prose import Sentence

    return Sentence(text, 1)


def test_the_draft_reports_each_open_part_by_line(project: Path) -> None:
    shutil.copy(SOURCE, project / "source.txt")
    _import(project, "source.txt", "--slug", "micro")
    text = (project / "docs/treatments/micro.md").read_text()
    found = build_content(Site(project / "docs", project)).findings
    mine = {(f.rule, f.line) for f in found if f.path.endswith("micro.md")}
    lines = text.split("\n")

    def line(start: str) -> int:
        return next(i for i, ln in enumerate(lines, 1) if ln.startswith(start))

    # review fields and the source, left for the editor
    assert ("field-empty", line("summary:")) in mine
    assert ("field-empty", line("  reviewed:")) in mine
    assert ("field-empty", line("    title:")) in mine
    # the required sections the source says nothing about
    assert (
        "import-missing",
        line('[import-missing]: # "the source says nothing about this section (Risks'),
    ) in mine
    assert ("section-empty", line("## Risks and side effects")) in mine
    assert ("import-missing", line('[import-missing]: # "the source asks no questions')) in mine


def test_notes_never_reach_the_built_site(project: Path) -> None:
    """A note is a Markdown reference definition: the site shows the sentence, not the note."""
    page = project / "docs/treatments/test-peel.md"
    text = page.read_text()
    text = text.replace(
        "## How it works\n\n",
        '## How it works\n\n[import-marked]: # "NOTE-TEXT: rewrite this sentence"\n',
        1,
    )
    page.write_text(text)
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text().replace(
            "  - careleaf\n", "  - careleaf:\n      checks: {disable: [import-marked]}\n"
        )
    )
    assert careleaf(project, "check").returncode == 0
    result = mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    html = (project / "site/treatments/test-peel/index.html").read_text()
    assert "NOTE-TEXT" not in html and "import-marked" not in html
    assert "How it works" in html
    config.write_text(config.read_text().replace("      checks: {disable: [import-marked]}\n", ""))
    check = careleaf(project, "check")
    assert (
        check.returncode == 1 and "import-marked  NOTE-TEXT: rewrite this sentence" in check.stdout
    )


def test_it_never_overwrites_without_force(project: Path) -> None:
    shutil.copy(SOURCE, project / "source.txt")
    page = project / "docs/treatments/test-peel.md"
    before = page.read_text()
    code, out, err = _import(project, "source.txt", "--slug", "test-peel")
    assert code == 2 and out == ""
    assert "docs/treatments/test-peel.md already exists: nothing written" in err
    assert page.read_text() == before
    code, out, err = _import(project, "source.txt", "--slug", "test-peel", "--force")
    assert code == 0, err
    assert "Medical microdermabrasion" in page.read_text()


def test_the_title_and_slug(project: Path) -> None:
    shutil.copy(SOURCE, project / "leaflet.txt")
    code, out, err = _import(project, "leaflet.txt", "--title", "Skin polishing")
    assert code == 0, err
    made = project / "docs/treatments/skin-polishing.md"
    assert 'title: "Skin polishing"' in made.read_text()
    code, out, err = _import(project, "leaflet.txt", "--slug", "Not A Slug")
    assert code == 2 and "cannot be a treatment's address" in err


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("Café peels.\n\nIt’s gentle.\n".encode(), "UTF-8"),
        (b"\xef\xbb\xbf" + "Café peels.\n\nIt’s gentle.\n".encode(), "UTF-8"),
        ("Café peels.\n\nIt’s gentle.\n".encode("cp1252"), "Windows-1252"),
        ("Café peels.\r\n\r\nIt’s gentle.\r\n".encode("utf-16"), "UTF-16"),
    ],
)
def test_it_reads_utf8_and_windows_1252(project: Path, data: bytes, encoding: str) -> None:
    (project / "source.txt").write_bytes(data)
    code, out, err = _import(project, "source.txt", "--title", "Café peel")
    assert code == 0, err
    assert f"(plain text, {encoding}): 2 sentences" in out
    made = (project / "docs/treatments/cafe-peel.md").read_text(encoding="utf-8")
    assert "Café peels." in made and "It’s gentle." in made and "\ufeff" not in made


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b"Fine text.\n\nThen \x81\x8d bytes.\n",
            "source.txt:3: byte 0x81 is neither UTF-8 nor Windows-1252",
        ),
        (b"%PDF-1.7\n...", "a PDF file: save it as plain text"),
        (b"PK\x03\x04....", "a Word document or another zipped file"),
        (b"text\x00with\x00nul", "not a text file"),
        (b"\n\n   \n", "no sentences found in it"),
    ],
)
def test_it_says_clearly_what_it_cannot_read(project: Path, data: bytes, message: str) -> None:
    (project / "source.txt").write_bytes(data)
    code, out, err = _import(project, "source.txt", "--slug", "x")
    assert code == 2 and message in err and "Traceback" not in err
    assert not (project / "docs/treatments/x.md").exists()


def test_a_missing_source_is_named(project: Path) -> None:
    code, out, err = _import(project, "nothing.txt")
    assert code == 2 and "nothing.txt" in err and "Traceback" not in err


PAGE = """<!DOCTYPE html>
<html><head><title>Laser hair removal | Clinic</title>
<script>var tracker = "SCRIPT-TEXT";</script><style>p { color: red }</style></head>
<body>
<header><a href="/">Home</a> NAV-HEADER</header>
<nav><ul><li>Treatments</li><li>NAV-MENU</li></ul></nav>
<main>
<h1>Laser hair removal</h1>
<p>Laser hair removal is a treatment that uses light to slow hair growth.</p>
<h2>Aftercare</h2>
<p>Wear sunscreen every day. Do not shave for two days.</p>
<h2>Does it hurt?</h2>
<p>Most people feel a snapping feeling.</p>
<div hidden>HIDDEN-TEXT</div>
</main>
<aside>ASIDE-TEXT</aside>
<footer>FOOTER-TEXT &copy; 2026</footer>
</body></html>
"""


def test_a_saved_web_page_gives_its_main_text(project: Path) -> None:
    (project / "page.html").write_text(PAGE)
    code, out, err = _import(project, "page.html")
    assert code == 0, err
    assert "(web page, UTF-8): 4 sentences" in out
    made = (project / "docs/treatments/laser-hair-removal.md").read_text()
    for left_out in ("SCRIPT", "NAV-", "ASIDE", "FOOTER", "HIDDEN", "color: red"):
        assert left_out not in made
    assert 'title: "Laser hair removal"' in made
    after = made.index("## Aftercare")
    assert made.index("Wear sunscreen every day.") > after
    assert "### Does it hurt? {#does-it-hurt}\n\nMost people feel a snapping feeling." in made


def test_markdown_headings_and_questions_are_followed(project: Path) -> None:
    (project / "leaflet.md").write_text(
        "# Chemical peel\n\n## Side effects\n\nYour skin will flake for a week.\n\n"
        "## Can I wear make-up?\n\nWait one day.\n\nThe sky is blue.\n"
    )
    code, out, err = _import(project, "leaflet.md")
    assert code == 0, err
    made = (project / "docs/treatments/chemical-peel.md").read_text()
    risks = made.index("## Risks and side effects")
    assert made.index("Your skin will flake for a week.") > risks
    assert "### Can I wear make-up? {#can-i-wear-make-up}\n\nWait one day." in made


def test_a_sentence_that_fits_nowhere_is_not_sorted_yet(project: Path) -> None:
    (project / "odd.txt").write_text("Our building has a red door.\n")
    code, out, err = _import(project, "odd.txt", "--slug", "odd")
    assert code == 0, err
    assert "not sorted yet: 1" in out
    made = (project / "docs/treatments/odd.md").read_text()
    note = made.index('[import-unsorted]: # "Not sorted yet:')
    assert made.index("Our building has a red door.") > note
    check = careleaf(project, "check")
    assert "import-unsorted  Not sorted yet" in check.stdout


def test_a_site_adds_its_own_cues(project: Path) -> None:
    (project / "odd.txt").write_text("Our building has a red door.\n")
    (project / "cues.yml").write_text("sections:\n  aftercare:\n    red door: 5\n")
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text().replace(
            "  - careleaf\n", "  - careleaf:\n      import_cues: [cues.yml]\n"
        )
    )
    code, out, err = _import(project, "odd.txt", "--slug", "odd")
    assert code == 0, err
    assert "Aftercare: 1" in out and "not sorted yet: 0" in out


@pytest.mark.parametrize(
    ("cues", "message"),
    [
        ("sections:\n  benefit:\n    helps: 2\n", "'benefit' is not a section"),
        ("sections:\n  benefits:\n    helps: lots\n", "write each cue as 'phrase: weight'"),
        ("sections:\n  benefits:\n    '[a b]': 2\n", "cue '[a b]' for benefits"),
        ("weights:\n  heading: high\n", "weights: 'heading' must be"),
    ],
)
def test_a_bad_cue_file_is_refused(project: Path, cues: str, message: str) -> None:
    (project / "cues.yml").write_text(cues)
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text().replace(
            "  - careleaf\n", "  - careleaf:\n      import_cues: [cues.yml]\n"
        )
    )
    check = careleaf(project, "check")
    assert check.returncode == 2 and message in check.stderr


MESSY = """1. Numbered lines stay text.
*Stars*, _lines_, a|b pipes, {braces} and [brackets] stay as they are.
Tom &amp; Jerry &copy; write entities; <b>tags</b> too.
- A bullet without a full stop
# Not a heading in plain text
: Not a definition.
> Not a quote.
"""


def test_text_that_looks_like_markdown_shows_as_written(project: Path) -> None:
    """Plain text with Markdown's signs in it: every sentence reads back as the source had it
    (one that ends without a full stop is a paragraph of its own, so it stays a sentence)."""
    (project / "messy.txt").write_text(MESSY)
    code, out, err = _import(project, "messy.txt", "--slug", "messy")
    assert code == 0, err
    found = _draft_sentences((project / "docs/treatments/messy.md").read_text())
    for sentence in _source_sentences(project / "messy.txt"):
        assert sentence in found, sentence
