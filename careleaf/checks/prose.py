"""The prose a patient reads: Markdown reduced to blocks of sentences, with file lines.

Markdown is read line by line, so every sentence keeps the line it starts on. What a reader
does not read is left out: front matter, code (fenced and inline), HTML tags, link targets,
images, citations `[@id]`, attribute lists `{#id}`, abbreviation and link definitions, and
table rules. Headings, list items and table cells are blocks of their own: each ends a
sentence even without a full stop, as a reader takes them.
"""

from __future__ import annotations

import functools
import html
import re
from bisect import bisect_right
from dataclasses import dataclass, field

from careleaf.model import CITATION, HEADING, in_code

# --- blocks and sentences ------------------------------------------------------------------


@dataclass(frozen=True)
class Sentence:
    """One sentence as a reader reads it, and the sources it cites."""

    text: str
    line: int
    citations: tuple[str, ...] = ()

    @property
    def words(self) -> list[str]:
        return words(self.text)


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

    @property
    def sentences(self) -> list[Sentence]:
        return [s for b in self.blocks for s in b.sentences]


# --- inline Markdown -----------------------------------------------------------------------

_INLINE_CODE = re.compile(r"(`+)(.+?)\1")
_HTML_COMMENT = re.compile(r"<!--.*?-->")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)|!\[([^\]]*)\]\[[^\]]*\]")
_LINK = re.compile(r"(?<!!)\[((?:[^\[\]]|\[[^\]]*\])*)\]\((?:[^()]|\([^)]*\))*\)")
_REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_AUTOLINK = re.compile(r"<(?:https?|mailto|tel):[^>]*>")
_BARE_URL = re.compile(r"\bhttps?://\S+")
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_ATTR_LIST = re.compile(r"\{:?[ \t]*[#.:][^}]*\}")
_FOOTNOTE_REF = re.compile(r"\[\^[^\]]+\]")
_EMPHASIS = re.compile(r"\*\*|\*|~~|==|\^\^|(?<!\w)__?|__?(?!\w)")
# A full stop and citations after it: the citations belong to the sentence before.
_CITATION_AFTER_STOP = re.compile(r"([.!?])((?:[ \t]*" + CITATION.pattern + r")+)")


def strip_inline(text: str) -> str:
    """A line of Markdown as the reader sees it; citations are kept for `sentences`."""
    text = _HTML_COMMENT.sub("", text)
    text = _INLINE_CODE.sub("", text)
    text = _IMAGE.sub("", text)
    text = _LINK.sub(lambda m: m.group(1), text)
    text = _REF_LINK.sub(
        lambda m: m.group(1) if not m.group(1).startswith("@") else m.group(0), text
    )
    text = _AUTOLINK.sub("", text)
    text = _BARE_URL.sub("", text)
    text = _TAG.sub("", text)
    text = _ATTR_LIST.sub("", text)
    text = _FOOTNOTE_REF.sub("", text)
    text = _EMPHASIS.sub("", text)
    text = html.unescape(text)
    return _CITATION_AFTER_STOP.sub(lambda m: m.group(2) + m.group(1), text)


# --- block structure -----------------------------------------------------------------------

_LIST_ITEM = re.compile(r"^([ \t]*)(?:[-*+]|\d{1,9}[.)])[ \t]+(.*)$")
_TABLE_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-{2,}:?[ \t]*(\|[ \t]*:?-{2,}:?[ \t]*)*\|?[ \t]*$")
_ADMONITION = re.compile(
    r'^[ \t]*(?:!!!|\?\?\?\+?)[ \t]+[\w-]+(?:[ \t]+[^"]*)?(?:[ \t]+"(.*)")?[ \t]*$'
)
_DEFINITION = re.compile(r"^[ \t]{0,3}(?:\*\[[^\]]+\]|\[[^\]]+\]):")
_DEF_LIST_ITEM = re.compile(r"^:[ \t]+(.*)$")
_HR = re.compile(r"^[ \t]{0,3}([-*_])([ \t]*\1){2,}[ \t]*$")
_ATTR_ONLY = re.compile(r"^[ \t]*\{:?[^}]*\}[ \t]*$")
_SKIPPED_ELEMENT = re.compile(r"<(script|style)\b", re.IGNORECASE)


def blocks(markdown: str, first_line: int) -> list[Block]:
    """The readable blocks of some Markdown whose first line is file line `first_line`."""
    found: list[Block] = []
    current: Block | None = None
    skip_until: str | None = None

    def start(kind: str, number: int, text: str) -> Block:
        block = Block(kind, number)
        if text.strip():
            block.parts.append((number, text))
        found.append(block)
        return block

    lines = markdown.splitlines()
    for offset, (raw, code) in enumerate(zip(lines, in_code(lines), strict=True)):
        number = first_line + offset
        if code:
            current = None
            continue
        if skip_until is not None:
            if skip_until in raw.lower():
                skip_until = None
            continue
        skipped = _SKIPPED_ELEMENT.search(raw)
        if skipped and f"</{skipped.group(1).lower()}" not in raw.lower():
            skip_until = f"</{skipped.group(1).lower()}"
            current = None
            continue
        line = _SKIPPED_ELEMENT.sub("", raw) if skipped else raw
        if not line.strip() or _HR.match(line):
            current = None
            continue
        if _DEFINITION.match(line) or _TABLE_RULE.match(line) or _ATTR_ONLY.match(line):
            continue
        if heading := HEADING.match(line):
            start("heading", number, strip_inline(heading.group(2)))
            current = None
            continue
        if admonition := _ADMONITION.match(line):
            if admonition.group(1):
                start("heading", number, strip_inline(admonition.group(1)))
            current = None
            continue
        if line.lstrip().startswith("|") or (current is None and line.count("|") >= 2):
            for cell in line.strip().strip("|").split("|"):
                if strip_inline(cell).strip():
                    start("cell", number, strip_inline(cell))
            current = None
            continue
        if item := _LIST_ITEM.match(line):
            current = start("item", number, strip_inline(item.group(2)))
            continue
        if term := _DEF_LIST_ITEM.match(line):
            current = start("item", number, strip_inline(term.group(1)))
            continue
        text = strip_inline(line)
        if not text.strip():
            continue
        if current is None:
            current = start("paragraph", number, text)
        else:
            current.parts.append((number, text))
    for block in found:
        block.sentences = _sentences(block)
    return [b for b in found if b.sentences]


# --- sentences -----------------------------------------------------------------------------

# Words that end in a full stop without ending a sentence.
_ABBREVIATIONS = frozenset(
    "e.g i.e etc vs dr mr mrs ms prof st no approx incl fig cf al jr sr mt ft".split()
)
_STOP = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s|$)")


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
        before = text[begin : stop.start()].split()
        last = before[-1].lower().rstrip(".") if before else ""
        if stop.group().startswith(".") and (
            last in _ABBREVIATIONS or re.fullmatch(r"[a-z]", last)
        ):
            continue
        out.append(_sentence(text, begin, stop.end(), starts, lines))
        begin = stop.end()
    if text[begin:].strip():
        out.append(_sentence(text, begin, len(text), starts, lines))
    return [s for s in out if s.words or s.citations]


def _sentence(text: str, begin: int, end: int, starts: list[int], lines: list[int]) -> Sentence:
    raw = text[begin:end]
    lead = len(raw) - len(raw.lstrip())
    line = lines[bisect_right(starts, begin + lead) - 1]
    cited = tuple(
        sid for m in CITATION.finditer(raw) for sid in re.findall(r"@([A-Za-z0-9_-]+)", m.group(1))
    )
    clean = " ".join(CITATION.sub("", raw).split())
    clean = re.sub(r"\s+([.,;:!?])", r"\1", clean)
    return Sentence(clean, line, cited)


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
