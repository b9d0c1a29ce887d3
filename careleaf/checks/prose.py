"""The prose a patient reads: each block of a page's reading as sentences, with file lines.

The reader (careleaf/reader.py) has already left out what a patient does not read: front
matter, code, HTML, link targets, images, attribute lists, abbreviation and link definitions.
Headings, list items and table cells are blocks of their own: each ends a sentence even
without a full stop, as a reader takes them. Citations `[@id]` stay in the text until the
sentences are made, so each sentence knows what it cites.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from dataclasses import dataclass, field

from careleaf.reader import CITATION, DEFAULT_TOC, TextBlock, TocStyle, read_markdown

# --- blocks and sentences ------------------------------------------------------------------


@dataclass(frozen=True)
class Sentence:
    """One sentence as a reader reads it, its words, and the sources it cites."""

    text: str
    line: int
    citations: tuple[str, ...] = ()
    words: tuple[str, ...] = ()


@dataclass
class Block:
    """A paragraph, list item, heading or table cell."""

    kind: str
    line: int
    parts: list[tuple[int, str]] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)


@dataclass
class Section:
    """Part of a page a reader takes as one: a section, the summary, an FAQ answer."""

    title: str
    line: int
    blocks: list[Block]
    # On the page itself (not the handout's points): the page's own reading grade counts it.
    on_page: bool = True

    @property
    def sentences(self) -> list[Sentence]:
        return [s for b in self.blocks for s in b.sentences]


# A full stop and citations after it: the citations belong to the sentence before.
_CITATION_AFTER_STOP = re.compile(r"([.!?])((?:[ \t]*" + CITATION.pattern + r")+)")


def prose_blocks(read: list[TextBlock]) -> list[Block]:
    """The blocks of a reading as the rules read them: each with its sentences."""
    found = []
    for text_block in read:
        kind = "heading" if text_block.kind == "title" else text_block.kind
        parts = [
            (number, _CITATION_AFTER_STOP.sub(lambda m: m.group(2) + m.group(1), text))
            for number, text in text_block.parts
        ]
        block = Block(kind, text_block.line, parts)
        block.sentences = _sentences(block)
        if block.sentences:
            found.append(block)
    return found


def blocks(markdown: str, first_line: int, toc: TocStyle = DEFAULT_TOC) -> list[Block]:
    """The readable blocks of some Markdown whose first line is file line `first_line`."""
    return prose_blocks(read_markdown(markdown, toc, first_line).blocks)


# --- sentences -----------------------------------------------------------------------------

# Words that end in a full stop without ending a sentence.
_ABBREVIATIONS = frozenset(
    "e.g i.e etc vs dr mr mrs ms prof st no approx incl fig cf al jr sr mt ft".split()
)
# Initials with full stops inside (a.m., U.S., e.g., N.H.S.) end no sentence.
_INITIALS = re.compile(r"(?:[a-z]\.)+[a-z]")
# Tried from the start of a run of stops only (a match starts there anyway): a run of
# 100,000 dots is one try, not 100,000 tries of up to 100,000 steps.
_STOP = re.compile(r"(?<![.!?])[.!?]+[\"'”’)\]]*(?=\s|$)")


def _sentences(block: Block) -> list[Sentence]:
    starts: list[int] = []
    lines: list[int] = []
    text = ""
    for number, part in block.parts:
        if text:
            text += " "
        starts.append(len(text))
        lines.append(number)
        text += part.strip()
    if not text:
        return []
    out: list[Sentence] = []
    begin = 0
    for stop in _STOP.finditer(text):
        last = _last_word(text, begin, stop.start()).lower().rstrip(".")
        if stop.group().startswith(".") and (
            last in _ABBREVIATIONS or re.fullmatch(r"[a-z]", last) or _INITIALS.fullmatch(last)
        ):
            continue
        out.append(_sentence(text, begin, stop.end(), starts, lines))
        begin = stop.end()
    if text[begin:].strip():
        out.append(_sentence(text, begin, len(text), starts, lines))
    return [s for s in out if s.words or s.citations]


def _last_word(text: str, begin: int, end: int) -> str:
    """The last word of `text[begin:end]`, read back from its end: a sentence that goes on
    past many stops (`e.g. e.g. ...`) is not split again at each one."""
    while end > begin and text[end - 1].isspace():
        end -= 1
    start = end
    while start > begin and not text[start - 1].isspace():
        start -= 1
    return text[start:end]


def _sentence(text: str, begin: int, end: int, starts: list[int], lines: list[int]) -> Sentence:
    raw = text[begin:end]
    lead = len(raw) - len(raw.lstrip())
    line = lines[bisect_right(starts, begin + lead) - 1]
    cited = tuple(
        sid for m in CITATION.finditer(raw) for sid in re.findall(r"@([A-Za-z0-9_-]+)", m.group(1))
    )
    clean = " ".join(CITATION.sub("", raw).split())
    clean = re.sub(r"\s+([.,;:!?])", r"\1", clean)
    return Sentence(clean, line, cited, tuple(words(clean)))


# --- words and syllables -------------------------------------------------------------------

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-]*")


def words(text: str) -> list[str]:
    """The words of a text: letters or digits, with inner apostrophes and hyphens."""
    return [w.strip("'’-") for w in _WORD.findall(text) if w.strip("'’-")]


# Words the rules below count wrongly; checked against a dictionary's syllable count.
_SYLLABLE_EXCEPTIONS = {
    "area": 3,
    "areas": 3,
    "being": 2,
    "every": 2,
    "everyone": 3,
    "idea": 3,
    "ideas": 3,
    "people": 2,
    "science": 2,
    "skincare": 2,
    "aftercare": 3,
    "sunscreen": 2,
    "someone": 2,
    "something": 2,
    "sometimes": 2,
    "anyone": 3,
    "whole": 1,
    "clothes": 1,
    "business": 2,
    "evening": 2,
    "orange": 2,
    "really": 2,
    "poem": 2,
    "quiet": 2,
    "diet": 2,
    "create": 2,
    "created": 3,
    "video": 3,
    "via": 2,
    "medium": 3,
    "period": 3,
    "serious": 3,
    "various": 3,
    "previous": 3,
    "obvious": 3,
    "tissue": 2,
    "issue": 2,
    "continue": 3,
    "ointment": 2,
    "vitamin": 3,
    "dermatologist": 5,
    "isotretinoin": 5,
    "retinoid": 3,
    "retinoids": 3,
    "moisturiser": 4,
    "moisturizer": 4,
    "eczema": 3,
    "acne": 2,
    "spf": 3,
    "aha": 3,
    "fda": 3,
    "us": 1,
}
_VOWEL_GROUP = re.compile(r"[aeiouy]+")


@functools.lru_cache(maxsize=65536)
def syllables(word: str) -> int:
    """How many syllables an English word has: a rule-of-thumb count, at least 1.

    Vowel groups, less a silent final -e, -es and -ed, plus a consonant + -le ending and a
    few vowel pairs read as two (-ia, -io, -eo, -ua). Hyphenated words add up their parts;
    numbers count as one.
    """
    word = word.lower().strip("'’")
    if not word:
        return 0
    if "-" in word:
        return sum(syllables(part) for part in word.split("-") if part) or 1
    if word in _SYLLABLE_EXCEPTIONS:
        return _SYLLABLE_EXCEPTIONS[word]
    if any(ch.isdigit() for ch in word):
        return 1
    word = re.sub(r"['’]s$", "", word)
    if len(word) <= 3:
        return 1
    count = len(_VOWEL_GROUP.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    elif word.endswith("le") and len(word) > 2 and word[-3] not in "aeiouy" and count == 1:
        count += 1
    if word.endswith("es") and not re.search(r"(ss|sh|ch|x|z|[cgs])es$|[aeiouy]{2}es$", word):
        count -= 1 if count > 1 else 0
    if word.endswith("ed") and not re.search(r"[td]ed$", word) and count > 1:
        count -= 1
    count += len(
        re.findall(
            r"[^aeioucstg]ia|[^aeioutscgx]io|[^aeioug]eo|[^aeiouqg]ua|[^aeiou](?:uo|ii|iu)", word
        )
    )
    if re.search(r"[^aeiouy]ism$", word):
        count += 1
    return max(count, 1)
