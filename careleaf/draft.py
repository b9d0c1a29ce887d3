"""A new treatment's draft: front matter to fill and every section with one line of guidance.

`careleaf new` writes it. Every part left to fill is written so that the content rules
report it at its line until it is done: a required field is empty (`field-empty`), a review
date is not a date yet (`date-invalid`), a section holds only its guidance, which readers do
not see (`section-empty`), the FAQ has no question yet (`faq-empty`). Optional fields are
written as YAML comments, so nothing half-filled is published.
"""

from __future__ import annotations

import unicodedata

from careleaf.model import SECTIONS, slugify
from careleaf.render import yaml_str

# One line for each section: what patients need to find there.
GUIDANCE: dict[str, str] = {
    "what_it_is": "In two or three plain sentences: what the treatment is and what it is used for.",
    "benefits": "What it can honestly do for a patient, each benefit with its source, e.g. [@id].",
    "how_it_works": "What is done to the skin and why that helps, in everyday words.",
    "what_to_expect": "On the day and after: how long a session takes, how it feels, how many "
    "sessions. Optional: delete this section if there is nothing to say.",
    "who_should_avoid": "Who should not have it, or should ask a doctor first (for example "
    "pregnancy, some medicines, skin conditions).",
    "risks": "The common side effects and the rare risks, said plainly, with how long they last.",
    "aftercare": "What to do and what to avoid in the days after, such as sun protection. "
    "Optional: delete this section if there is nothing to say.",
    "questions_to_ask": "Questions a patient may want to ask the clinic before booking. "
    "Optional: delete this section if there is nothing to say.",
    "faq": "Each question patients ask as '### Is it painful? {#is-it-painful}' (the id stays "
    "the same when the question is reworded), with its answer under it.",
}

_FRONT_MATTER = """\
---
title: {title}
# One plain sentence a patient understands: what it is and what it is for.
summary: ""
# Optional (remove the '# ' to use one):
# category: Skin resurfacing        # its group on the treatments page
# keywords: [dark spots, acne scars] # words patients search for, in their own words
# facts:                             # the "At a glance" box and the comparison table
#   session_length: 30 to 40 minutes
#   sessions: 3 to 6
#   downtime: A day or two of redness
#   discomfort: Mild
# related: [microdermabrasion]       # other treatments' file names, without .md
# handout:                           # short points that fit the printed handout on one sheet
#   who_should_avoid: ["Not while you have a cold sore there [@its-id]."]
#   what_to_expect: [...]            # also aftercare and when_to_call; a list left out
#                                    # prints the whole section
review:
  reviewer: ""       # the reviewer's role, e.g. Clinic dermatologist
  reviewed: ""       # the day of the review, YYYY-MM-DD
  next_review: ""    # when the next review is due, YYYY-MM-DD
sources:             # at least one; cite it in the text as [@its-id]
  - id: ""           # a short id: lower-case letters, digits and '-'
    title: ""        # the source's title, as a reader would look it up
    url: ""          # its web address (https://...); remove the line for a printed source
---
"""


def slug_of(title: str) -> str:
    """A treatment's address from its title: 'Crème peel' -> 'creme-peel' ('' when the title
    has no letters or digits)."""
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return slugify(plain)


def draft(title: str) -> str:
    """The text of a new treatment file titled `title`, every part to fill marked."""
    parts = [_FRONT_MATTER.format(title=yaml_str(title))]
    for spec in SECTIONS:
        parts.append(f"\n## {spec.title}\n\n<!-- {GUIDANCE[spec.key]} -->\n")
    return "".join(parts)
