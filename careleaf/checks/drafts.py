"""Notes `careleaf import` leaves in a draft for the editor, reported until deleted.

A note is a Markdown reference definition whose target is `#`, such as

    [import-marked]: # "a claim the clinic may not make: 'painless': rewrite this sentence, then delete this line"

Python-Markdown keeps reference definitions out of the page, and careleaf's reader leaves them
out of the prose, so a note never shows on the site; this rule reports each one, at its line,
with its text, until the editor deletes it.
"""

from __future__ import annotations

from careleaf.checks.pages import Page
from careleaf.checks.settings import CheckSettings
from careleaf.findings import Finding

MARKED = "import-marked"  # a sentence the quality gate would flag
UNSORTED = "import-unsorted"  # sentences that fit no section
MISSING = "import-missing"  # a section or answer the source says nothing about
NOTES = (MARKED, UNSORTED, MISSING)


def note(rule: str, text: str) -> str:
    """A note line for the editor (the text with no double quote, so the title stays whole)."""
    clean = " ".join(text.replace('"', "'").replace("\\", "/").split())
    return f'[{rule}]: # "{clean}"'


def check_drafts(page: Page, settings: CheckSettings) -> list[Finding]:
    """Each note a draft still holds, at its line."""
    found = []
    for link in page.links:
        if link.kind != "definition" or link.target != "#" or link.line > len(page.lines):
            continue
        line = page.lines[link.line - 1].strip()
        label, _, rest = line.partition("]:")
        rule = label.lstrip("[").strip()
        if rule not in NOTES:
            continue
        text = rest.strip()[1:].strip()
        if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
            text = text[1:-1]
        found.append(
            Finding(
                page.path,
                link.line,
                rule,
                text or "a note from careleaf import: see to it, then delete this line",
                settings.level(rule),
            )
        )
    return found
