import pytest

from bot.engine.query import SectionRef, check_question, is_about_law, section_refs
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
     ("What must we do after a breach?", True), ("hi, what are the CCPA rules?", True)],
)  # fmt: skip
def test_is_about_law(text, legal):
    assert is_about_law(text) is legal


def test_tidies_whitespace():
    assert check_question("  what   about\n CCPA? ", max_chars=100) == "what about CCPA?"


@pytest.mark.parametrize(
    ("question", "refs"),
    [
        ("What does GDPR Art. 33 say?", [SectionRef("EU", "33")]),
        ("Article 17 GDPR", [SectionRef("EU", "17")]),
        ("Explain 45 CFR 164.404", [SectionRef("US", "164.404")]),
        ("45 C.F.R. § 164.308(a)", [SectionRef("US", "164.308")]),
        ("16 CFR 312.5", [SectionRef("US", "312.5")]),
        ("Cal. Civ. Code § 1798.100", [SectionRef("US-CA", "1798.100")]),
        ("section 1798.81.5", [SectionRef("US-CA", "1798.81.5")]),
        ("11 CCR 7012", [SectionRef("US-CA", "7012")]),
        ("Section 3A of chapter 93H", [SectionRef("US-MA", "3a")]),
        ("M.G.L. c. 93H, § 2", [SectionRef("US-MA", "2")]),
        ("GBL 899-bb", [SectionRef("US-NY", "899-bb")]),
        ("Va. Code § 59.1-578", [SectionRef("US-VA", "59.1-578")]),
        ("What must a business tell consumers?", []),
        ("within 72 hours", []),
    ],
)  # fmt: skip
def test_section_refs(question, refs):
    assert [r for r in section_refs(question) if r in refs] == refs
    if not refs:
        assert section_refs(question) == ()
