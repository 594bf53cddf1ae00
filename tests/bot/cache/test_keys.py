from __future__ import annotations

import pytest

from bot.cache.keys import (
    content_signature,
    entry_id,
    normalise_question,
    scope_id,
    signatures_match,
)


@pytest.mark.parametrize(
    ("question", "normalised"),
    [
        ("What is the CCPA deadline?", "what is the ccpa deadline"),
        ("WHAT IS THE CCPA DEADLINE", "what is the ccpa deadline"),
        ("  what   is\tthe\nccpa deadline  ", "what is the ccpa deadline"),
        ("what is the CCPA deadline???!", "what is the ccpa deadline"),
        ("What’s the CCPA deadline?", "what is the ccpa deadline"),
        ("What's the CCPA deadline, please?", "what is the ccpa deadline"),
        ("Please, what is the CCPA deadline", "what is the ccpa deadline"),
        ("Hey Reggi, what is the CCPA deadline?", "what is the ccpa deadline"),
        ("hi reggi: please what is the ccpa deadline", "what is the ccpa deadline"),
        ("@Reggi what is the CCPA deadline", "what is the ccpa deadline"),
        ("<@U0REGGI> what is the CCPA deadline", "what is the ccpa deadline"),
        ("<at>Reggi</at> what is the CCPA deadline", "what is the ccpa deadline"),
        (
            "Reggi, can you tell me what is the CCPA deadline? Thanks!",
            "what is the ccpa deadline",
        ),
        ("Quick question: what is the CCPA deadline", "what is the ccpa deadline"),
        ("opt-out under CPRA", "opt out under cpra"),
        ("§ 1798.100 of the CCPA", "section 1798.100 of the ccpa"),
        ("Article 17(3)(b) GDPR", "article 17 3 b gdpr"),
        ("When isn't consent required?", "when is not consent required"),
        ("We can't sell data?", "we can not sell data"),
        ("please", ""),
        ("Hey Reggi!", ""),
        ("", ""),
    ],
)
def test_normalise_question(question: str, normalised: str) -> None:
    assert normalise_question(question) == normalised


@pytest.mark.parametrize(
    ("question", "signature"),
    [
        (
            "What is the deadline to delete under the CCPA?",
            ("deadlin", "to", "delet", "ccpa"),
        ),
        ("deadline for deletion, CCPA", ("deadlin", "for", "delet", "ccpa")),
        ("When is consent not required?", ("when", "consent", "not", "requir")),
        (
            "Can only controllers delete data",
            ("can", "only", "control", "delet", "data"),
        ),
    ],
)
def test_content_signature(question: str, signature: tuple[str, ...]) -> None:
    assert content_signature(normalise_question(question)) == signature


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        # the same question in other words: may share an answer
        (
            "What is the deadline to delete under CCPA?",
            "deadline to delete under the CCPA",
            True,
        ),
        (
            "What's the CCPA deadline to delete?",
            "What is the deadline to delete under CCPA",
            True,
        ),
        (
            "What are the fines for a breach under GDPR?",
            "What are the GDPR fines for a breach?",
            True,
        ),
        ("Does the GDPR apply to a processor?", "does GDPR apply to processors", True),
        # near-misses: must never share an answer
        ("deadline to delete under CCPA", "deadline to correct under CCPA", False),
        ("When must we notify individuals?", "When must we notify the media?", False),
        (
            "Can a controller transfer data to a processor?",
            "Can a processor transfer data to a controller?",
            False,
        ),
        (
            "Can we transfer data from the EU to the US?",
            "Can we transfer data from the US to the EU?",
            False,
        ),
        ("When is consent required?", "When is consent not required?", False),
        (
            "Can only controllers delete data?",
            "Can controllers only delete data?",
            False,
        ),
        ("Do we need opt-in consent?", "Do we need opt-out consent?", False),
        (
            "Must the business notify the consumer?",
            "Must the consumer notify the business?",
            False,
        ),
        (
            "How long can we keep data after a request?",
            "How long can we keep data before a request?",
            False,
        ),
        ("Does Article 15 apply?", "Does Article 17 apply?", False),
        ("respond within 30 days", "respond within 45 days", False),
        (
            "Who is liable, the controller or the processor?",
            "Who is liable, the processor or the controller?",
            False,
        ),
        ("deadline to delete", "deadline to delete data", False),
    ],
)
def test_signatures_match(a: str, b: str, same: bool) -> None:
    sa = content_signature(normalise_question(a))
    sb = content_signature(normalise_question(b))
    assert signatures_match(sa, sb) is same
    assert signatures_match(sb, sa) is same


@pytest.mark.parametrize(
    ("left", "right", "same"),
    [
        (
            (("US-CA", "EU"), "v1", "extractive"),
            (("EU", "US-CA"), "v1", "extractive"),
            True,
        ),
        ((("us-ca",), "v1", "extractive"), (("US-CA",), "v1", "extractive"), True),
        ((("US-CA",), "v1", "extractive"), (("EU",), "v1", "extractive"), False),
        (
            (("US-CA",), "v1", "extractive"),
            (("US-CA", "EU"), "v1", "extractive"),
            False,
        ),
        ((("US-CA",), "v1", "extractive"), (("US-CA",), "v2", "extractive"), False),
        (
            (("US-CA",), "v1", "extractive"),
            (("US-CA",), "v1", "openai:gpt-4o-mini"),
            False,
        ),
        (((), "v1", "extractive"), (("US",), "v1", "extractive"), False),
    ],
)
def test_scope_id(left: tuple, right: tuple, same: bool) -> None:
    assert (scope_id(*left) == scope_id(*right)) is same


def test_entry_id_depends_on_scope_and_words() -> None:
    s1, s2 = scope_id(("EU",), "v1", "w"), scope_id(("US-CA",), "v1", "w")
    assert entry_id(s1, "a question") == entry_id(s1, "a question")
    assert entry_id(s1, "a question") != entry_id(s2, "a question")
    assert entry_id(s1, "a question") != entry_id(s1, "another question")
