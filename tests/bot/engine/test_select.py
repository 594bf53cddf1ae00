from bot.engine.select import Weights, select
from tests.bot.engine.fakes import FED, RULES, STATUTE, catalogue, ranked


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


def test_plain_rrf_is_available_for_the_ablation():
    r = ranked({"10.1": 0.9, "10.2": 0.5}, {"10.2": 9.0, "10.1": 8.0})
    rrf_only = Weights(sparse=0, dense=0, heading=0, coverage=0, rrf=1, procedural=0, related=0)
    chosen = select("x", "US-CA", r, catalogue(), weights=rrf_only)
    assert {u for u in units(chosen)} <= {(STATUTE, "10.1"), (STATUTE, "10.2")}
