import pytest

from bot.engine.query import check_question, is_about_law, other_field, section_refs
from bot.errors import BadQuestion


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_question(text):
    with pytest.raises(BadQuestion, match="Please type a question"):
        check_question(text, max_chars=2000)


def test_oversized_question_says_how_long():
    with pytest.raises(BadQuestion, match="2,001 characters"):
        check_question("a" * 2001, max_chars=2000)


@pytest.mark.parametrize(
    "text", ["hi", "Hello!", "hey reggi", "thanks", "Good morning", "thank you so much"]
)
def test_greetings(text):
    with pytest.raises(BadQuestion, match="Hello"):
        check_question(text, max_chars=2000)


@pytest.mark.parametrize(
    ("text", "legal"),
    [("What's the weather like?", False), ("tell me a joke", False),
     ("Who won the game last night?", False),
     ("Do we need consent to send marketing emails?", True),
     ("What must we do after a breach?", True), ("hi, what are the CCPA rules?", True),
     ("Can the doctor tell my husband about my treatment?", True),
     ("Does the clinic need my permission first?", True)],
)  # fmt: skip
def test_is_about_law(text, legal):
    assert is_about_law(text) is legal


def test_tidies_whitespace():
    assert check_question("  what   about\n CCPA? ", max_chars=100) == "what about CCPA?"


@pytest.mark.parametrize(
    ("question", "refs"),
    [
        ("What does GDPR Art. 33 say?", [("EU", "33", "")]),
        ("Article 17 GDPR", [("EU", "17", "")]),
        ("Art. 28(3)(a) processors", [("EU", "28", "(3)(a)")]),
        ("Explain 45 CFR 164.404", [("US", "164.404", "")]),
        ("45 C.F.R. § 164.308(a)", [("US", "164.308", "(a)")]),
        ("16 CFR 312.5", [("US", "312.5", "")]),
        ("16 CFR Part 314", [("US", "314", "")]),
        ("Cal. Civ. Code § 1798.100", [(None, "1798.100", "")]),
        ("section 1798.81.5", [(None, "1798.81.5", "")]),
        ("11 CCR 7012", [("US-CA", "7012", "")]),
        ("CCPA regulation § 7400", [("US-CA", "7400", "")]),
        ("23 NYCRR 500.12", [("US-NY", "500.12", "")]),
        ("201 CMR 17.03(2)(f)", [("US-MA", "17.03", "(2)(f)")]),
        ("Section 3A of chapter 93H", [("US-MA", "3a", "")]),
        ("M.G.L. c. 93H, § 2", [("US-MA", "2", "")]),
        ("GBL 899-bb", [("US-NY", "899-bb", "")]),
        ("Va. Code § 59.1-578", [("US-VA", "59.1-578", "")]),
        ("does 164.404(c) apply", [(None, "164.404", "(c)")]),
        ("What must a business tell consumers?", []),
        ("within 72 hours, a $1.5 cap, 12.5% of 2016/679", []),
    ],
)  # fmt: skip
def test_section_refs(question, refs):
    found = [(r.jurisdiction, r.section_key, r.subdivision) for r in section_refs(question)]
    assert found == refs


@pytest.mark.parametrize(
    ("question", "field"),
    [("Must we file a Form 8-K for a cyber incident?", "securities law"),
     ("Is our limitation-of-liability clause enforceable?", "contract law"),
     ("Do we owe overtime to on-call engineers?", "employment and wage law"),
     ("What are the OSHA rules for ladders?", "workplace safety law"),
     ("Must we notify customers of a data breach?", None)],
)  # fmt: skip
def test_other_field(question, field):
    assert other_field(question) == field
