import pytest

from bot.engine.jurisdictions import canonical_code, detect, name_of, parse_codes, strip_places


@pytest.mark.parametrize(
    ("question", "codes"),
    [
        ("Can I collect personal information from customers in California and Massachusetts?",
         ("US-CA", "US-MA")),
        ("Does the CCPA apply?", ("US-CA",)),
        ("CPRA amendments", ("US-CA",)),
        ("What about Calif. law?", ("US-CA",)),
        ("Are Californian residents covered?", ("US-CA",)),
        ("We are based in CA", ("US-CA",)),
        ("Cal. Civ. Code § 1798.100", ("US-CA",)),
        ("Mass. residents after a breach", ("US-MA",)),
        ("201 CMR 17 requirements", ("US-MA",)),
        ("New York SHIELD Act", ("US-NY",)),
        ("Is our NYDFS CISO allowed to be a contractor?", ("US-NY",)),
        ("the 23 NYCRR Part 500 program", ("US-NY",)),
        ("customers in NY", ("US-NY",)),
        ("VCDPA consumer rights", ("US-VA",)),
        ("Virginia consumers", ("US-VA",)),
        ("GDPR consent", ("EU",)),
        ("customers in Europe", ("EU",)),
        ("European customers", ("EU",)),
        ("EU customers", ("EU",)),
        ("HIPAA breach", ("US",)),
        ("COPPA parental consent", ("US",)),
        ("Explain 45 CFR 164.404", ("US",)),
        ("minimum wage in Oregon", ("US-OR",)),
        ("non-compete in Texas", ("US-TX",)),
        ("UK GDPR transfers", ("GB",)),
        ("PIPEDA in Canada", ("CA-CANADA",)),
        # false friends
        ("CAN-SPAM opt-out requests", ("US",)),
        ("mass email campaigns", ()),
        ("a massive data set", ()),
        ("Is this neutral?", ()),
        ("the eulogy and Europa", ()),
        ("West Virginia breach law", ("US-WV",)),
        ("a caveat about data", ()),
        ("How should we handle this?", ()),
    ],
)  # fmt: skip
def test_detect(question, codes):
    assert detect(question) == codes


@pytest.mark.parametrize(
    ("value", "code"),
    [("us-ca", "US-CA"), ("CA", "US-CA"), ("california", "US-CA"), ("federal", "US"),
     ("EU", "EU"), ("Europe", "EU"), (" ma ", "US-MA"), ("us-tx", "US-TX"), ("NY", "US-NY")],
)  # fmt: skip
def test_canonical_code(value, code):
    assert canonical_code(value) == code


def test_parse_codes_and_names():
    assert parse_codes("CA, MA,US-CA") == ("US-CA", "US-MA")
    assert parse_codes(["EU"]) == ("EU",)
    assert parse_codes(None) == ()
    assert name_of("US-MA") == "Massachusetts" and name_of("US") == "United States (federal)"


@pytest.mark.parametrize(
    ("question", "stripped"),
    [
        ("Can I collect personal information from customers in California and Massachusetts?",
         "Can I collect personal information from customers ?"),
        ("What rights do Virginia consumers have?", "What rights do consumers have?"),
        ("Breach rules in CA and NY", "Breach rules"),
        ("Transfers from the EU to the US", "Transfers from the EU to the US"),
        ("West Virginia law", "West Virginia law"),
        ("mass email campaigns", "mass email campaigns"),
        ("California", "California"),
    ],
)  # fmt: skip
def test_strip_places(question, stripped):
    assert strip_places(question) == stripped
