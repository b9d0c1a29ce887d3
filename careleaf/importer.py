"""A draft treatment file from a clinic's existing treatment information: `careleaf import`.

The source is plain text, Markdown or a saved web page (read by careleaf/leaflet.py). Its
sentences are cut by the same sentence splitter as the content rules (careleaf/checks/prose.py),
and each is placed under the section it belongs to by the cues of careleaf/data/import-cues.yml (and a site's own cue files):
phrases with weights, a heading above the sentence, and the sentence before it in the same
paragraph. A sentence that reaches no section's threshold goes under a note "Not sorted yet".
No sentence is ever left out.

What the editor must still do is marked in the draft with notes that the site never shows:
Markdown reference definitions such as `[import-marked]: # "..."`, which Python-Markdown drops
from the page and careleaf's reader leaves out of the prose. `careleaf check` and the build
report each note by its line (careleaf/checks/drafts.py) until the editor deletes it: a
sentence that makes a claim or is hard to read, the sentences not sorted yet, a required
section the source says nothing about. Front matter fields are left empty, and the content
model reports each one until it is filled.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from careleaf.checks.claims import claims_in, load_claims
from careleaf.checks.drafts import MARKED, MISSING, UNSORTED, note
from careleaf.checks.phrases import PhraseError, Phrases, compile_phrase, tokens
from careleaf.checks.plain_words import load_plain_words
from careleaf.checks.prose import Sentence, prose_blocks
from careleaf.checks.readability import measure
from careleaf.checks.settings import CheckSettings, SettingsError
from careleaf.checks.wordlists import DATA, cached_lists, load_yaml
from careleaf.leaflet import Source, SourceError, decode, read_source, source_kind
from careleaf.model import SECTIONS, SECTIONS_BY_KEY, find_section, slugify

CUES = DATA / "import-cues.yml"
UNSORTED_KEY = "not_sorted"


# --- the cues ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cues:
    """How sentences are sorted: each section's cue phrases with their weights, and the
    weights of a heading above and of the sentence before."""

    phrases: Phrases
    weights: tuple[tuple[str, float], ...]  # by phrase: (section key, weight)
    heading: float
    same_paragraph: float
    threshold: float

    def scores(self, text: str) -> dict[str, float]:
        """Each section's score for a text: the weights of its cues found there, each once."""
        seen: set[int] = set()
        score: dict[str, float] = {}
        for owner, _, _, _ in self.phrases.matches(tokens(text)):
            if owner in seen:
                continue
            seen.add(owner)
            key, weight = self.weights[owner]
            score[key] = score.get(key, 0.0) + weight
        return score


@cached_lists(maxsize=16)
def load_cues(paths: tuple[Path, ...] = ()) -> Cues:
    """careleaf's cues, then each of the site's cue files (a cue given again takes the
    site's weight)."""
    weights: dict[tuple[str, str], float] = {}
    rules: dict[str, float] = {}
    for path in (CUES, *paths):
        data = load_yaml(path) or {}
        if not isinstance(data, dict) or set(data) - {"sections", "weights"}:
            raise SettingsError(f"{path}: write the cues under 'sections:' (and 'weights:')")
        for name, value in (data.get("weights") or {}).items():
            if name not in ("heading", "same_paragraph", "threshold") or not _number(value):
                raise SettingsError(
                    f"{path}: weights: '{name}' must be heading, same_paragraph or threshold, "
                    "with a number"
                )
            rules[name] = float(value)
        sections = data.get("sections") or {}
        if not isinstance(sections, dict):
            raise SettingsError(f"{path}: 'sections:' must map section names to cues")
        for key, cues in sections.items():
            if key not in SECTIONS_BY_KEY:
                raise SettingsError(
                    f"{path}: '{key}' is not a section: "
                    + ", ".join(s.key for s in SECTIONS if s.key != "questions_to_ask")
                )
            if not isinstance(cues, dict) or not all(_number(w) for w in cues.values()):
                raise SettingsError(f"{path}: {key}: write each cue as 'phrase: weight'")
            for phrase, weight in cues.items():
                weights[(key, str(phrase))] = float(weight)
    compiled = []
    owners: list[tuple[str, float]] = []
    for (key, text), weight in weights.items():
        try:
            found = compile_phrase(text)
        except PhraseError as exc:
            raise SettingsError(f"cue '{text}' for {key}: {exc}") from None
        compiled += [(phrase, len(owners)) for phrase in found]
        owners.append((key, weight))
    return Cues(
        Phrases(compiled),
        tuple(owners),
        rules.get("heading", 6.0),
        rules.get("same_paragraph", 2.0),
        rules.get("threshold", 2.0),
    )


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# --- sorting -------------------------------------------------------------------------------


@dataclass
class Placed:
    """A sentence of the source, where it goes, and what the editor must look at in it."""

    sentence: Sentence
    section: str  # a section key, or UNSORTED_KEY
    paragraph: int  # the source block it came from
    marks: list[str] = field(default_factory=list)


@dataclass
class Faq:
    question: str
    line: int
    answer: list[Placed] = field(default_factory=list)


@dataclass
class Draft:
    """A source sorted into sections."""

    title: str
    placed: list[Placed]
    faqs: list[Faq]

    def in_section(self, key: str) -> list[Placed]:
        return [p for p in self.placed if p.section == key]

    @property
    def sentences(self) -> list[Placed]:
        return self.placed + [p for faq in self.faqs for p in faq.answer]


def _heading_section(text: str, cues: Cues) -> str | None:
    """The section a source's heading names: by the section's name or alias, else its cues."""
    spec = find_section(text)
    if spec is not None:
        return spec.key
    scores = cues.scores(text)
    if scores:
        best = max(scores, key=lambda k: scores[k])
        if scores[best] >= cues.threshold:
            return best
    return None


def sort_source(source: Source, cues: Cues) -> Draft:
    """Every sentence of the source, each in the section its cues, its heading and the
    sentence before it point to; questions with their answers as FAQ pairs."""
    placed: list[Placed] = []
    faqs: list[Faq] = []
    heading: str | None = None
    faq: Faq | None = None
    order = [s.key for s in SECTIONS]
    for number, block in enumerate(prose_blocks(source.blocks)):
        text = " ".join(s.text for s in block.sentences)
        if block.kind == "heading":
            if source.title and text == source.title and not placed and not faqs:
                continue  # the title: it becomes the page's title
            heading = _heading_section(text, cues)
            faq = None
            if heading is not None:
                continue
        if block.kind == "question" or (block.kind == "heading" and text.endswith("?")):
            faq = Faq(text, block.line)
            faqs.append(faq)
            continue
        before: str | None = None
        for sentence in block.sentences:
            if not sentence.words:
                continue  # a citation or a sign alone: no words to place
            if faq is not None:
                faq.answer.append(Placed(sentence, "faq", number))
                continue
            own = cues.scores(sentence.text)
            scores = dict(own)
            if heading is not None:
                scores[heading] = scores.get(heading, 0.0) + cues.heading
            if before is not None and before != UNSORTED_KEY:
                scores[before] = scores.get(before, 0.0) + cues.same_paragraph
            # A tie goes to the section the sentence's own words point to, then to the first.
            best = max(order, key=lambda k: (scores.get(k, 0.0), own.get(k, 0.0), -order.index(k)))
            section = best if scores.get(best, 0.0) >= cues.threshold else UNSORTED_KEY
            placed.append(Placed(sentence, section, number))
            before = section
    return Draft(source.title, placed, faqs)


# --- marking what the quality gate would flag ----------------------------------------------


def mark(draft: Draft, settings: CheckSettings, known: Iterable[str] = ()) -> None:
    """Note on each sentence what the content rules would say of it: a claim (any claim: an
    imported sentence cites nothing), too many words, a hard word, a reading grade above the
    error level."""
    claims = load_claims(settings.claims)
    plain = load_plain_words(settings.plain_words)
    easy = frozenset(w.lower() for w in known)
    for placed in draft.sentences:
        sentence = placed.sentence
        for claim, words in claims_in(sentence, claims):
            kind = "a claim the clinic may not make" if claim.kind == "never" else "needs a source"
            placed.marks.append(f"{kind}: '{words}'")
        count = len(sentence.words)
        if count > settings.sentence_words:
            placed.marks.append(f"too long: {count} words (at most {settings.sentence_words})")
        for entry, used in plain.found_in(sentence.text):
            placed.marks.append(f"a hard word: '{used}' (say '{entry.plainer}')")
        grade = measure([sentence], easy).fk_adjusted
        if count >= 8 and grade > settings.grade_error:
            placed.marks.append(
                f"hard to read: grade {grade:.0f} (aim for {settings.grade_warning:g})"
            )


# --- writing the draft ---------------------------------------------------------------------

# Characters that Markdown would read as formatting: written with a backslash, so the page
# shows them as the source had them.
_ESCAPED = {c: "\\" + c for c in "\\`*_{}[]#|"}
_ESCAPED["<"] = "&lt;"


def escape(text: str) -> str:
    """A sentence as Markdown text that shows it as it is."""
    escaped = "".join(
        "&amp;" if c == "&" and _entity_follows(text, i) else _ESCAPED.get(c, c)
        for i, c in enumerate(text)
    )
    digits = len(escaped) - len(escaped.lstrip("0123456789"))
    if digits and escaped[digits : digits + 1] in (".", ")"):
        # "1. " would start a numbered list: the stop after the number is escaped
        return escaped[:digits] + "\\" + escaped[digits:]
    if escaped[:1] in "-+>=":
        return "\\" + escaped
    if escaped[:1] == ":":
        return "&#58;" + escaped[1:]  # ": text" after a line would be a definition
    return escaped


def _entity_follows(text: str, at: int) -> bool:
    """Whether `&` at `at` starts what Markdown reads as an entity (`&amp;`, `&#38;`)."""
    end = at + 1
    while end < len(text) and (text[end].isalnum() or text[end] == "#") and end - at < 33:
        end += 1
    return end > at + 1 and text[end : end + 1] == ";"


def draft_markdown(draft: Draft, source_name: str) -> str:
    """The draft treatment file."""
    lines = [
        "---",
        f"# Drafted by `careleaf import` from {source_name}. `careleaf check` names, by line,",
        "# each part left for the editor: fill each empty field, rewrite or move each marked",
        "# sentence and delete its note, then write what the source did not say.",
        f"title: {_yaml_text(draft.title)}",
        'summary: ""',
        "review:",
        '  reviewer: ""  # a role, such as "Clinic dermatologist"',
        '  reviewed: ""  # YYYY-MM-DD',
        '  next_review: ""',
        "sources:",
        "  - id: source",
        '    title: ""  # a medical source for what the page says; cite it as [@source]',
        "    # url: https://...",
        "---",
    ]
    for spec in SECTIONS:
        if spec.key == "faq":
            lines += _faq_lines(draft)
            continue
        found = draft.in_section(spec.key)
        unsorted = draft.in_section(UNSORTED_KEY) if spec.key == "what_it_is" else []
        if not found and not unsorted and not spec.required:
            continue
        lines += ["", f"## {spec.title}"]
        if not found:
            lines += [
                "",
                note(
                    MISSING,
                    f"the source says nothing about this section ({spec.title}): write it from a medical source, then delete this line",
                ),
            ]
        lines += _paragraphs(found)
        if unsorted:
            lines += [
                "",
                note(
                    UNSORTED,
                    "Not sorted yet: move each sentence below to the section it belongs to (or delete it), then delete this line",
                ),
            ]
            lines += _paragraphs(unsorted, joined=True)
    return "\n".join(lines) + "\n"


def _faq_lines(draft: Draft) -> list[str]:
    lines = ["", "## FAQ"]
    if not draft.faqs:
        lines += [
            "",
            note(
                MISSING,
                "the source asks no questions: add the questions patients ask, each as a ### heading with an id and its answer, then delete this line",
            ),
        ]
    used: set[str] = set()
    for faq in draft.faqs:
        base = slugify(faq.question) or "question"
        anchor, n = base, 1
        while anchor in used:
            n += 1
            anchor = f"{base}-{n}"
        used.add(anchor)
        lines += ["", f"### {escape(faq.question)} {{#{anchor}}}"]
        if not faq.answer:
            lines += [
                "",
                note(MISSING, "the source gives no answer: write one, then delete this line"),
            ]
        lines += _paragraphs(faq.answer)
    return lines


def _paragraphs(placed: list[Placed], joined: bool = False) -> list[str]:
    """Sentences one to a line, a blank line between the source's paragraphs; a marked
    sentence starts a paragraph under its note, so the note is a block of its own."""
    lines: list[str] = []
    previous: int | None = None
    for p in placed:
        if p.marks:
            lines += [
                "",
                note(MARKED, "; ".join(p.marks) + ": rewrite this sentence, then delete this line"),
            ]
        elif previous in (None, -1) or (p.paragraph != previous and not joined):
            lines.append("")
        lines.append(escape(p.sentence.text))
        # After a marked sentence, or one without a full stop (a list item, a heading's
        # words), a new paragraph: the next sentence is read as a sentence of its own.
        previous = p.paragraph if not p.marks and _ends_sentence(p.sentence.text) else -1
    return lines


def _ends_sentence(text: str) -> bool:
    return text.rstrip("\"'”’)]").endswith((".", "!", "?"))


def _yaml_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# --- the whole import ----------------------------------------------------------------------


@dataclass
class Imported:
    """A draft written: its Markdown, and what was sorted where."""

    markdown: str
    draft: Draft
    encoding: str
    kind: str


def import_source(
    path: Path,
    settings: CheckSettings | None = None,
    cue_files: tuple[Path, ...] = (),
    title: str | None = None,
) -> Imported:
    """The draft treatment file for a source file. Raises SourceError when it cannot be read
    or holds no sentence."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    text, encoding = decode(data, str(path))
    kind = source_kind(path, text)
    source = read_source(text, kind)
    draft = sort_source(source, load_cues(cue_files))
    if not draft.sentences and not draft.faqs:
        raise SourceError(f"{path}: no sentences found in it ({kind})")
    draft.title = (
        title or source.title or path.stem.replace("-", " ").replace("_", " ").capitalize()
    )
    mark(draft, settings or CheckSettings(), tokens_of(draft.title))
    return Imported(draft_markdown(draft, path.name), draft, encoding, kind)


def tokens_of(text: str) -> list[str]:
    return [t.word for t in tokens(text)]


def draft_path(docs_dir: Path, treatments_folder: str, title: str, slug: str | None) -> Path:
    """Where a draft goes: docs/<treatments>/<slug>.md, the slug from the title unless given.
    Raises SourceError for a slug that cannot be a treatment's address."""
    chosen = slug if slug is not None else slugify(title)
    if not chosen or not all(
        c.isascii() and (c.islower() or c.isdigit() or c == "-") for c in chosen
    ):
        raise SourceError(
            f"'{chosen}' cannot be a treatment's address: choose one with --slug, in lower-case "
            "letters, digits and -, such as --slug chemical-peel"
        )
    return docs_dir / treatments_folder / f"{chosen}.md"


def write_draft(markdown: str, target: Path, force: bool, shown: str = "") -> None:
    """Write a draft; an existing file only with `force`. Raises SourceError."""
    if target.exists() and not force:
        raise SourceError(
            f"{shown or target} already exists: nothing written (choose another --slug, or add "
            "--force to replace it)"
        )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(markdown, encoding="utf-8")
    except OSError as exc:
        raise SourceError(f"{target}: cannot be written ({exc.strerror or exc})") from None


_KINDS = {"html": "web page", "markdown": "Markdown", "text": "plain text"}


def _count(n: int, thing: str) -> str:
    return f"{n} {thing}{'' if n == 1 else 's'}"


def summary(imported: Imported, target: str, source: str) -> str:
    """What an import did, for the editor: where each sentence went and what is left."""
    draft = imported.draft
    counts = [
        f"{spec.title}: {len(draft.in_section(spec.key))}"
        for spec in SECTIONS
        if draft.in_section(spec.key)
    ]
    if draft.faqs:
        counts.append(f"FAQ: {_count(len(draft.faqs), 'question')}")
    unsorted = len(draft.in_section(UNSORTED_KEY))
    counts.append(f"not sorted yet: {unsorted}")
    marked = sum(1 for p in draft.sentences if p.marks)
    missing = [
        spec.title
        for spec in SECTIONS
        if spec.required and spec.key != "faq" and not draft.in_section(spec.key)
    ] + (["FAQ"] if not draft.faqs else [])
    lines = [
        f"wrote {target} from {source} ({_KINDS[imported.kind]}, {imported.encoding}): "
        + _count(len(draft.sentences), "sentence"),
        "  " + ", ".join(counts),
        f"  {_count(marked, 'sentence')} marked for the editor (a claim, or hard to read)",
    ]
    if missing:
        lines.append("  the source says nothing about: " + ", ".join(missing))
    lines.append("Next: `careleaf check` (or the preview) lists, by line, each part left to do.")
    return "\n".join(lines)
