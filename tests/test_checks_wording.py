"""Plain words and risky claims."""

from __future__ import annotations

from pathlib import Path

import pytest
from sitekit import line_of, rules, site, treatment, with_section

from careleaf.checks import CheckSettings, SettingsError
from careleaf.checks.claims import load_claims
from careleaf.checks.plain_words import load_plain_words


def test_the_shipped_lists_load() -> None:
    assert len(load_plain_words(())) >= 60
    assert {c.kind for c in load_claims(())} == {"never", "cited"}


def test_a_hard_word_is_flagged_on_first_use_only(tmp_path: Path) -> None:
    text = treatment(with_section("It reaches the dermis.\n\nThe dermis heals."))
    found = [f for f in site(tmp_path, text).findings if f.rule == "plain-word"]
    assert [(f.line, f.column, f.severity) for f in found] == [
        (line_of(text, "reaches the dermis"), 16, "warning")
    ]
    assert "deeper layer of skin" in found[0].message


def test_word_forms_are_matched(tmp_path: Path) -> None:
    text = treatment(with_section("We utilised a tool."))
    assert "plain-word" in rules(site(tmp_path, text).findings)


def test_a_word_the_glossary_defines_is_fine(tmp_path: Path) -> None:
    text = treatment(with_section("It reaches the dermis."))
    found = site(tmp_path, text, files={"glossary.yml": "Dermis: The deeper layer of skin.\n"})
    assert "plain-word" not in rules(found.findings)


@pytest.mark.parametrize(
    "sentence",
    [
        "It reaches the dermis, then the epidermis and the DERMAL layer.",
        "The dermis's cells, the dermis_x field and an anti-inflammatory cream.",
        "Post-inflammatory marks fade; inflammation settles.",
        "We utilised it, utilising less, and it minimises and minimizes redness.",
        "Initially, the initial visit comes prior to the peel; prior visits help.",
        "Do not wait 'til the skin heals, or till then.",
        "A procedure, procedures, and a pre-procedure check.",
        "Nothing hard here at all.",
        "",
    ],
)
def test_one_pass_finds_what_each_words_own_pattern_finds(tmp_path: Path, sentence: str) -> None:
    """The plain-words rule reads a sentence once for all words; it finds exactly what each
    word's own pattern finds, first use and all, in the list's order."""
    (tmp_path / "words.yml").write_text(
        'prior: before\n"\'til": until\ninitially: at first\npre-procedure: before\n'
    )
    entries = load_plain_words((tmp_path / "words.yml",))
    one_by_one = [
        (e.word, m.group(0)) for e in entries if (m := e.pattern.search(sentence)) is not None
    ]
    assert [(e.word, used) for e, used in entries.found_in(sentence)] == one_by_one


def test_a_site_adds_its_own_plain_words(tmp_path: Path) -> None:
    (tmp_path / "words.yml").write_text("acid: a strong liquid\n")
    settings = CheckSettings(plain_words=(tmp_path / "words.yml",))
    assert "plain-word" in rules(site(tmp_path, settings=settings).findings)


@pytest.mark.parametrize(
    "sentence",
    [
        "It is painless.",
        "The treatment is completely non-invasive.",
        "There are no side effects.",
        "Results are permanent.",
        "Results are guaranteed.",
        "The device is FDA approved.",
        "It is safe for all skin types.",
        "It is just as effective as laser resurfacing.",
        "There is no downtime.",
        "It works 100% of the time.",
        "A miracle for your skin.",
        "Treat yourself to a day at the spa.",
    ],
)
def test_forbidden_claims_are_errors(tmp_path: Path, sentence: str) -> None:
    text = treatment(with_section(sentence + " [@guide]"))
    found = [f for f in site(tmp_path, text).findings if f.rule == "claim-forbidden"]
    assert found, sentence
    assert found[0].severity == "error"
    assert found[0].line == line_of(text, sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "It is not painless.",
        "Results are not permanent.",
        "Results do not last forever.",
        "We cannot guarantee results.",
        "It is not FDA approved.",
        "It is not as effective as a laser.",
        "Is it painless?",
        "Most people feel a mild scratchy feeling.",
    ],
)
def test_honest_negations_and_questions_are_not_claims(tmp_path: Path, sentence: str) -> None:
    found = site(tmp_path, treatment(with_section(sentence))).findings
    assert not [f for f in found if f.rule.startswith("claim-")], sentence


def test_not_only_does_not_negate(tmp_path: Path) -> None:
    found = site(tmp_path, treatment(with_section("It is not only painless but quick.")))
    assert "claim-forbidden" in rules(found.findings)


def test_a_negation_in_another_clause_does_not_count(tmp_path: Path) -> None:
    found = site(tmp_path, treatment(with_section("It is not harsh, and it is painless.")))
    assert "claim-forbidden" in rules(found.findings)


@pytest.mark.parametrize(
    "sentence",
    [
        "It is clinically proven.",
        "It reduces wrinkles.",
        "It stimulates collagen.",
        "You will see results after one session.",
        "It can help heal mild cases of acne.",
        "It shrinks pores.",
    ],
)
def test_claims_that_need_a_source(tmp_path: Path, sentence: str) -> None:
    text = treatment(with_section(sentence))
    found = [f for f in site(tmp_path, text).findings if f.rule == "claim-uncited"]
    assert [f.line for f in found] == [line_of(text, sentence)], sentence
    cited = treatment(with_section(sentence[:-1] + " [@guide]."))
    assert "claim-uncited" not in rules(site(tmp_path, cited).findings)


def test_a_citation_in_another_sentence_does_not_count(tmp_path: Path) -> None:
    text = treatment(with_section("It reduces wrinkles. Studies are small [@guide]."))
    assert "claim-uncited" in rules(site(tmp_path, text).findings)


def _claim_findings(tmp_path: Path, text: str) -> list[tuple[str, str, int]]:
    found = site(tmp_path, treatment(with_section(text))).findings
    return [(f.rule, f.message.split("'")[1], f.line) for f in found if f.rule.startswith("claim-")]


@pytest.mark.parametrize(
    "sentence",
    [
        "A glycolic acid peel worked better than a dummy treatment [@guide].",
        "In a review of 24 studies, glycolic acid peels were the safest [@guide].",
        "Peels are thought to be safe in pregnancy [@guide].",
        "Microneedling may be as effective as laser for acne scars [@guide].",
        "Insurance does not pay for peels done for looks [@guide].",
        "Sun at this time can leave your skin an uneven colour for good.",
    ],
)
def test_a_finding_hedged_or_reported_and_cited_passes(tmp_path: Path, sentence: str) -> None:
    """What an honest page does: a comparison or a safety finding, hedged or reported from a
    study, with its source; a payment that is not a promise; lasting harm said plainly."""
    assert _claim_findings(tmp_path, sentence) == []


def test_a_hedged_finding_without_a_source_needs_one(tmp_path: Path) -> None:
    text = treatment(with_section("Peels are thought to be safe in pregnancy."))
    found = [f for f in site(tmp_path, text).findings if f.rule.startswith("claim-")]
    assert [(f.rule, f.severity) for f in found] == [("claim-uncited", "warning")]
    assert "'safe in pregnancy' is a finding that needs a source" in found[0].message
    assert "this sentence or the next" in found[0].message


def test_a_hedged_findings_source_may_close_the_next_sentence(tmp_path: Path) -> None:
    two = "Peels are thought to be safe in pregnancy. Strong peels call for care [@guide]."
    assert _claim_findings(tmp_path, two) == []
    # a plain claim that needs a source still needs it in its own sentence
    plain = "It reduces wrinkles. Strong peels call for care [@guide]."
    assert [rule for rule, _, _ in _claim_findings(tmp_path, plain)] == ["claim-uncited"]


@pytest.mark.parametrize(
    ("sentence", "words"),
    [
        ("It is the safest treatment [@guide].", "the safest"),
        ("Our peel works better than surgery [@guide].", "better than surgery"),
        ("Our peels are safe in pregnancy [@guide].", "safe in pregnancy"),
        ("Smooth skin for good [@guide].", "for good"),
        # a hedging word after the claim hedges nothing
        ("Better results than any cream could ever give you [@guide].", "Better results than"),
        ("It can leave you blemish-free for good.", "for good"),
        ("If you do not see results, you do not pay.", "you do not pay"),
    ],
)
def test_marketing_absolutes_stay_forbidden_even_cited(
    tmp_path: Path, sentence: str, words: str
) -> None:
    assert [(r, w) for r, w, _ in _claim_findings(tmp_path, sentence)] == [
        ("claim-forbidden", words)
    ]


def test_a_negated_claim_needs_no_source(tmp_path: Path) -> None:
    text = treatment(with_section("It does not reduce wrinkles."))
    assert "claim-uncited" not in rules(site(tmp_path, text).findings)


def test_claims_on_other_pages_are_checked(tmp_path: Path) -> None:
    found = site(tmp_path, files={"index.md": "# Home\n\nOur peels are painless.\n"})
    assert [(f.path, f.line) for f in found.findings] == [("docs/index.md", 3)]


def test_a_site_adds_claims_and_severities(tmp_path: Path) -> None:
    (tmp_path / "claims.yml").write_text(
        "never:\n  - match: stings a little\n    why: say how much\n"
        "cited:\n  - match: smoother\n    severity: error\n"
    )
    settings = CheckSettings(claims=(tmp_path / "claims.yml",))
    found = site(tmp_path, settings=settings).findings
    assert ("claim-forbidden", "error") in [(f.rule, f.severity) for f in found]
    # "smoother" is cited in the sample body, so it passes
    assert "claim-uncited" not in rules(found)


@pytest.mark.parametrize(
    ("phrase", "sentence", "words"),
    [
        ("tingles a little", "It tingles a little.", "tingles a little"),
        ("tingl* a little", "It TINGLED a little.", "TINGLED a little"),
        ("soothing|calming", "It is calming.", "calming"),
        ("[very] gentle", "It is very gentle.", "very gentle"),
        ("[very] gentle", "It is gentle.", "gentle"),
        (
            "results ~3 one visit",
            "Results come after just one visit.",
            "Results come after just one visit",
        ),
        ("pain-free", "It is pain free.", "pain free"),
        ("pain free", "It is pain-free.", "pain-free"),
        ("10 % better", "It is 10% better.", "10% better"),
    ],
)
def test_a_sites_phrases_match_whole_words(
    tmp_path: Path, phrase: str, sentence: str, words: str
) -> None:
    """A site's claim is a phrase: words, `word*`, `a|b`, `[optional]`, `~N` words between."""
    (tmp_path / "claims.yml").write_text(f"never:\n  - match: '{phrase}'\n    why: say how\n")
    settings = CheckSettings(claims=(tmp_path / "claims.yml",))
    text = treatment(with_section(sentence))
    found = [f for f in site(tmp_path, text, settings=settings).findings]
    assert [f.message.split("'")[1] for f in found if f.rule == "claim-forbidden"] == [words]


@pytest.mark.parametrize(
    ("phrase", "sentence"),
    [
        ("tingles a little", "It tingles quite a little."),
        ("tingle", "It is tingling."),
        ("results ~1 one visit", "Results come after just one visit."),
        ("[very] gentle", "It is gently done."),
    ],
)
def test_a_phrase_does_not_match_other_words(tmp_path: Path, phrase: str, sentence: str) -> None:
    (tmp_path / "claims.yml").write_text(f"never:\n  - match: '{phrase}'\n")
    settings = CheckSettings(claims=(tmp_path / "claims.yml",))
    found = site(tmp_path, treatment(with_section(sentence)), settings=settings).findings
    assert "claim-forbidden" not in rules(found)


@pytest.mark.parametrize(
    "phrase", ["(unclosed", "[two words]", "~3 start", "end ~2", "a ~x b", "[maybe]"]
)
def test_a_bad_claims_file_is_a_settings_error(tmp_path: Path, phrase: str) -> None:
    (tmp_path / "claims.yml").write_text(f"never:\n  - match: '{phrase}'\n")
    settings = CheckSettings(claims=(tmp_path / "claims.yml",))
    with pytest.raises(SettingsError, match="not a phrase careleaf can read"):
        site(tmp_path, settings=settings)


def test_a_site_replaces_careleafs_claims(tmp_path: Path) -> None:
    """`replace: [never]` leaves out careleaf's own never: list; its cited: list stays."""
    (tmp_path / "claims.yml").write_text("replace: [never]\nnever:\n  - match: tingles a little\n")
    settings = CheckSettings(claims=(tmp_path / "claims.yml",))
    text = treatment(with_section("It is painless. It tingles a little. It reduces wrinkles."))
    found = [f for f in site(tmp_path, text, settings=settings).findings]
    assert sorted(f.message.split("'")[1] for f in found if f.rule.startswith("claim-")) == [
        "reduces wrinkles",
        "tingles a little",
    ]
    (tmp_path / "none.yml").write_text("replace: true\n")
    settings = CheckSettings(claims=(tmp_path / "none.yml",))
    found = [f for f in site(tmp_path, text, settings=settings).findings]
    assert not [f for f in found if f.rule.startswith("claim-")]


def test_the_built_in_explanations_name_no_treatment() -> None:
    """Each `why`/`instead` speaks of treatments in general, never of one treatment's ways."""
    treatment_words = {
        "microdermabrasion",
        "scrape",
        "scrapes",
        "crystals",
        "peel",
        "peels",
        "laser",
    }
    for claim in load_claims(()):
        said = set((claim.why + " " + claim.instead).lower().replace(",", " ").split())
        assert not said & treatment_words, claim.why


@pytest.mark.parametrize(
    ("field", "needle"),
    [
        ("title: Painless Peel\n", "title:"),
        ("facts:\n  session_length: 30 minutes\n  downtime: No downtime at all\n", "downtime:"),
        ("keywords: [dull skin, permanent results]\n", "keywords:"),
    ],
)
def test_forbidden_claims_in_front_matter_are_errors(
    tmp_path: Path, field: str, needle: str
) -> None:
    """The title, the "At a glance" facts and the keywords reach readers too."""
    text = treatment(extra=field) if not field.startswith("title") else treatment()
    if field.startswith("title"):
        text = text.replace("title: Test Peel\n", field)
    found = [f for f in site(tmp_path, text).findings if f.rule == "claim-forbidden"]
    assert [(f.line, f.severity) for f in found] == [(line_of(text, needle), "error")]


def test_front_matter_facts_need_no_citation(tmp_path: Path) -> None:
    """A fact cannot cite; the page's body gives the sources for it."""
    text = treatment(extra="facts:\n  results: May reduce wrinkles a little\n")
    assert "claim-uncited" not in rules(site(tmp_path, text).findings)
