import math

import pytest

from bot.index.vocabulary import NO_VOCABULARY, Vocabulary, distinctive


def corpus(**instruments: list[str]) -> dict[tuple[str, str], list[str]]:
    """{source: [section text, ...]} → {(source, key): tokens} (whitespace tokens)."""
    return {
        (source, str(i)): text.split()
        for source, texts in instruments.items()
        for i, text in enumerate(texts)
    }


KIDS = ["children parent consent collect", "children operator notice collect",
        "parent review children collect", "operator security collect"]  # fmt: skip
STATE = [f"consumer business collect right {w}" for w in ("delete", "correct", "know", "opt",
         "notice", "sale", "share", "limit")]  # fmt: skip


@pytest.mark.parametrize(
    ("term", "kept"),
    [("children", True),  # 3 of 4 sections here, none elsewhere
     ("parent", True),
     ("operator", True),  # half of its sections
     ("collect", False),  # every section of the index uses it
     ("notice", False),  # one of four here, one of eight elsewhere: not 8 times as often
     ("security", False),  # one section of four, none elsewhere: under 8 times once smoothed
     ("consumer", False)],  # the other instrument's word
)  # fmt: skip
def test_distinctive_terms_are_frequent_inside_and_rare_outside(term, kept):
    vocabulary = distinctive(corpus(kids=KIDS, state=STATE))
    assert (term in vocabulary.terms["kids"]) is kept


def test_weights_are_log_ratios_of_the_shares_of_sections():
    vocabulary = distinctive(corpus(kids=KIDS, state=STATE))
    # 3 of 4 sections (smoothed 3.5 / 5) against 0 of 8 (0.5 / 9)
    assert vocabulary.terms["kids"]["children"] == pytest.approx(
        math.log(3.5 / 5) - math.log(0.5 / 9), abs=1e-3
    )
    assert set(vocabulary.terms["state"]) >= {"consumer", "business", "right"}


@pytest.mark.parametrize(
    "sections",
    [corpus(only=["children parent", "children operator"]),  # nothing else to compare with
     corpus(kids=["s1 2003 164.502 children", "x 68 children"], state=["a b"] * 4)],
)  # fmt: skip
def test_no_numbers_and_no_instrument_without_others(sections):
    terms = distinctive(sections).terms
    assert all(w.isalpha() and len(w) > 2 for t in terms.values() for w in t)
    assert terms.get("only", {}) == {}


@pytest.mark.parametrize(
    ("words", "expected"),
    [(["children", "parent", "children"], 5.0),  # each distinct term once
     (["collect", "customers"], 0.0),
     ([], 0.0)],
)  # fmt: skip
def test_score_sums_the_distinctive_terms_used(words, expected):
    vocabulary = Vocabulary({"kids": {"children": 3.0, "parent": 2.0}})
    assert vocabulary.score("kids", words) == expected
    assert vocabulary.score("other", words) == 0.0
    assert NO_VOCABULARY.score("kids", words) == 0.0


def test_ingest_stores_the_vocabulary_of_the_version_it_writes(tmp_path, embedding):
    from bot.index.vocabulary import scan, stored
    from ingestion.pipeline import ingest
    from tests.fixtures.index import CORPUS, open_index

    index = open_index(tmp_path / "vocabulary", embedding)
    ingest(index, [CORPUS / "us-ma", CORPUS / "us-federal" / "16-cfr-312.md"])
    version = index.version()
    kept = stored(index, version)
    assert kept is not None and kept == scan(index)
    assert any("child" in terms for terms in kept.terms.values())  # the COPPA Rule's
    assert stored(index, "another version") is None  # an older version's is not used
    index.close()
