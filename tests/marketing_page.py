"""The clinic's own treatment information wrapped as a treatment page, for the tests.

`python tests/marketing_page.py` rewrites tests/fixtures/marketing.md from
../shared/treatment-information/microdermabrasion.txt.
"""

from __future__ import annotations

from pathlib import Path

SHARED_TEXT = (
    Path(__file__).resolve().parents[2] / "shared/treatment-information/microdermabrasion.txt"
)
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "marketing.md"

FRONT_MATTER = """\
---
title: Microdermabrasion
summary: The clinic's own treatment information, as it was given to us.
review:
  reviewer: Not reviewed yet
  reviewed: 2026-01-01
  next_review: 2027-06-01
sources:
  - id: clinic
    title: The clinic's treatment information
    further_reading: true
---
"""

# The text's paragraphs in their order, under the sections they belong to.
SECTIONS = (
    ("What it is", 1),
    ("How it works", 2),
    ("Benefits", 2),
    ("Who should avoid it", 1),
)
TAIL = """\
## Risks and side effects

The treatment information does not list them.

## FAQ

### Does it hurt? {#does-it-hurt}

The treatment information does not say.
"""


def build_marketing_page(text: str) -> str:
    """The treatment information's paragraphs, word for word, under a treatment's headings."""
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    out = [FRONT_MATTER]
    for title, count in SECTIONS:
        out.append(f"## {title}\n")
        for _ in range(count):
            out.append(paragraphs.pop(0) + "\n")
    assert not paragraphs, "the text has more paragraphs than the layout expects"
    out.append(TAIL)
    return "\n".join(out)


if __name__ == "__main__":
    FIXTURE.write_text(
        build_marketing_page(SHARED_TEXT.read_text(encoding="utf-8")), encoding="utf-8"
    )
    print(f"wrote {FIXTURE}")
