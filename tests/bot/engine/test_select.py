import pytest

from bot.engine.catalogue import Catalogue
from bot.engine.select import FEATURES, Weights, background, features, select
from bot.index.vocabulary import Vocabulary
from tests.bot.engine.fakes import FED, PAYLOADS, RULES, STATUTE, catalogue, ranked


def units(chosen):
    return [p.unit for p in chosen.picks]


def test_the_cut_follows_the_scores_not_a_fixed_k():
    r = ranked({"700": 0.8, "10.2": 0.7, "10.1": 0.1}, {"700": 20.0, "10.2": 15.0, "10.1": 1.0})
    chosen = select("delete personal information", "US-CA", r, catalogue())
    assert units(chosen) == [(RULES, "700"), (STATUTE, "10.2")]
    assert chosen.best_dense == 0.8 and chosen.best_sparse == 20.0


def test_procedural_units_rank_below_rules():
    r = ranked({"701": 0.8, "10.2": 0.8}, {"701": 10.0, "10.2": 10.0})
    assert units(select("board delete", "US-CA", r, catalogue()))[0] == (STATUTE, "10.2")


def test_federal_law_beside_a_state_only_when_asked_or_clearly_better():
    r = ranked({"10.2": 0.7, "5.1": 0.7}, {"10.2": 12.0, "5.1": 12.0})
    assert (FED, "5.1") not in units(select("what are the rules", "US-CA", r, catalogue()))
    asked = select("what are the rules", "US-CA", r, catalogue(), federal_asked=True)
    assert (FED, "5.1") in units(asked)


SCOPE = Vocabulary({FED: {"children": 4.5, "parent": 2.5}})


@pytest.mark.parametrize(
    ("question", "state", "federal_sparse", "kept"),
    [("what are the rules", 0.7, 12.0, False),  # level with the state, not its vocabulary
     ("what are the rules for children", 0.7, 12.0, True),  # its vocabulary, level
     ("what are the rules for children", 0.7, 6.0, False),  # its vocabulary, far below
     ("what are the rules", 0.1, 60.0, True)],  # far above the state's best: it clearly leads
)  # fmt: skip
def test_federal_law_beside_a_state_when_the_question_speaks_of_it(
    question, state, federal_sparse, kept
):
    r = ranked({"10.2": state, "5.1": 0.7}, {"10.2": 12.0, "5.1": federal_sparse})
    chosen = select(question, "US-CA", r, catalogue(), vocabulary=SCOPE)
    assert ((FED, "5.1") in units(chosen)) is kept
    assert chosen.candidates.features[(FED, "5.1")]["scope"] == (
        4.5 if "children" in question else 0.0
    )


def test_plain_rrf_is_available_for_the_ablation():
    r = ranked({"10.1": 0.9, "10.2": 0.5}, {"10.2": 9.0, "10.1": 8.0})
    rrf_only = Weights(sparse=0, dense=0, heading=0, coverage=0, rrf=1, procedural=0, related=0)
    chosen = select("x", "US-CA", r, catalogue(), weights=rrf_only)
    assert {u for u in units(chosen)} <= {(STATUTE, "10.1"), (STATUTE, "10.2")}


def test_features_of_a_candidate_section():
    r = ranked({"700": 0.8, "10.2": 0.4}, {"700": 10.0, "10.2": 20.0})
    found = features("requests to delete", "US-CA", r, catalogue())
    rules, statute = found.features[(RULES, "700")], found.features[(STATUTE, "10.2")]
    assert (rules["dense"], rules["sparse"], statute["sparse"]) == (1.0, 0.5, 1.0)
    assert (rules["dense_rank"], rules["sparse_rank"]) == (1.0, 0.5)
    assert rules["heading"] == 1.0  # "Requests to delete": every heading term is asked
    # § 700 refers to § 10.2: the one that does not lead is marked as related to the other
    assert sorted([rules["related"], statute["related"]]) == [0.0, 1.0]


@pytest.mark.parametrize(
    ("question", "kind", "feature"),
    [("what does consumer mean", "10.1", "definition_asked"),
     ("what are the rules", "10.1", "definition"),
     ("what is the fine", "10.3", "enforcement_asked"),
     ("what are the rules", "10.3", "enforcement"),
     ("what are the rules", "701", "procedural")],
)  # fmt: skip
def test_unit_kind_features(question, kind, feature):
    r = ranked({kind: 0.5}, {kind: 5.0})
    feats = features(question, "US-CA", r, catalogue()).features
    assert feats[(RULES if kind == "701" else STATUTE, kind)][feature] == 1.0


def test_federal_law_beside_a_state_is_marked_unless_asked():
    r = ranked({"10.2": 0.7, "5.1": 0.7}, {"10.2": 12.0, "5.1": 12.0})
    assert features("rules", "US-CA", r, catalogue()).features[(FED, "5.1")]["federal_unasked"]
    asked = features("rules", "US-CA", r, catalogue(), federal_asked=True)
    assert not asked.features[(FED, "5.1")]["federal_unasked"]


def test_a_named_instrument_ranks_above_an_unnamed_one():
    titled = [{**p, "title": "Rules (XRULES)"} if p["source"] == RULES else p for p in PAYLOADS]
    cat = Catalogue.from_payloads(titled)
    r = ranked({"700": 0.7, "10.2": 0.7}, {"700": 10.0, "10.2": 10.0})
    assert units(select("XRULES on deletion", "US-CA", r, cat))[0] == (RULES, "700")
    assert features("deletion", "US-CA", r, cat).features[(RULES, "700")]["named"] == 0.0


def test_weights_score_is_the_weighted_sum_of_the_features():
    w = Weights(bias=0.5).with_coefficients({f: 0.0 for f in FEATURES} | {"sparse": 2.0})
    assert w.score({"sparse": 0.25, "dense": 1.0}) == 1.0


def _recitals(dense, sparse):
    from bot.index.schema import Hit, Ranked
    from tests.bot.engine.fakes import payload

    def hits(scores):
        return [
            Hit(id=k, score=v, payload=payload("eu/recitals.md", k, jurisdiction="US-CA",
                                               kind="recital", section=f"Recital ({k})"))
            for k, v in sorted(scores.items(), key=lambda kv: -kv[1])
        ]  # fmt: skip

    return Ranked(dense=hits(dense), sparse=hits(sparse))


@pytest.mark.parametrize(
    ("dense", "sparse", "kept"),
    [(0.9, 25.0, ["47"]),  # matches the question at least as well as the best article
     (0.9, 15.0, []),  # weaker on BM25
     (0.5, 25.0, [])],  # weaker on the dense score
)  # fmt: skip
def test_a_recital_is_background_only_when_it_matches_as_well_as_the_articles(dense, sparse, kept):
    main = select("delete", "US-CA", ranked({"10.2": 0.8}, {"10.2": 20.0}), catalogue())
    recitals = select("delete", "US-CA", _recitals({"47": dense}, {"47": sparse}), catalogue())
    assert [p.unit[1] for p in background(recitals, main, Weights())] == kept


def test_a_recital_is_never_the_only_support():
    main = select("delete", "US-CA", ranked({}, {}), catalogue())
    recitals = select("delete", "US-CA", _recitals({"47": 0.9}, {"47": 30.0}), catalogue())
    assert background(recitals, main, Weights()) == []


def test_the_heading_share_of_the_question_is_idf_weighted():
    r = ranked({"700": 0.5, "10.2": 0.5}, {"700": 5.0, "10.2": 5.0})
    feats = features("requests to delete", "US-CA", r, catalogue()).features
    # "Requests to delete" holds both terms of the question, "Right to delete" only one
    assert feats[(RULES, "700")]["heading_idf"] == pytest.approx(1.0)
    assert 0 < feats[(STATUTE, "10.2")]["heading_idf"] < 1
