from bot.index.schema import Hit, Ranked, Scope


def test_default_scope_leaves_recitals_out_and_nothing_else():
    scope = Scope()
    assert scope.must() == []
    assert scope.must_not() == [("kind", ("recital",))]
    assert not scope.is_everything()
    assert Scope.all().is_everything()


def test_scope_conditions_in_a_fixed_order_with_extra_keys():
    scope = Scope(
        jurisdictions=("US-CA", "US"),
        section_keys=("1798.100",),
        where=(("unit_kind", ("definition",)),),
        where_not=(("instrument_type", ("guidance",)),),
    )
    assert scope.must() == [
        ("jurisdiction", ("US-CA", "US")),
        ("section_key", ("1798.100",)),
        ("unit_kind", ("definition",)),
    ]
    assert scope.must_not() == [("kind", ("recital",)), ("instrument_type", ("guidance",))]


def test_ranked_best_scores_are_the_raw_first_scores():
    ranked = Ranked(dense=[Hit("a", 0.8, {}), Hit("b", 0.5, {})], sparse=[])
    assert (ranked.best_dense, ranked.best_sparse) == (0.8, 0.0)
