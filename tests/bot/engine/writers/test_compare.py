"""Comparison-table cells: who a rule binds, and which deadline or amount a row shows."""

import pytest

from bot.engine.writers.compare import NOT_IN_RULE, NOT_STATED, figure_cell, subject_of


@pytest.mark.parametrize(
    ("sentence", "bound"),
    [
        # The subject of "shall", after an opening clause and without an aside.
        (
            "2. Where the controller has made the data public and is obliged to erase it, the "
            "controller, taking account of available technology, shall take reasonable steps.",
            "the controller",
        ),
        (
            "Except as provided in § 1.2, a covered entity shall notify the agency.",
            "a covered entity",
        ),
        ("A. A controller shall conduct a data protection assessment.", "A controller"),
        ("No person shall sell the list.", "No person"),
        # A restrictive clause is part of who is bound; a list of parties stays whole.
        (
            "(a) (1) A firm that conducts business in the state, and that owns data, shall "
            "disclose a breach.",
            "A firm that conducts business in the state, and that owns data",
        ),
        (
            "(a) Any business, service provider, or other person that violates this title shall "
            "be liable for a fine.",
            "Any business, service provider, or other person that violates this title",
        ),
        ("A controller and a processor shall be jointly liable.", "A controller and a processor"),
        # A duty inside the subject's relative clause qualifies it; the sentence's own follows.
        (
            "(f) A firm that is required to notify more than 500 residents shall send a copy.",
            "A firm that is required to notify more than 500 residents",
        ),
        ("(g) A firm that is required to register.", "A firm"),
        (
            "(b) A business that, acting as a third party, controls data shall post it.",
            "A business",
        ),
        # An opening clause without the usual first word.
        (
            "(c) As practicable and as not to hinder an investigation, the office of consumer "
            "affairs shall: (i) post the notice.",
            "the office of consumer affairs",
        ),
        # A right binds the party it is exercised against, as written.
        (
            "1. The data subject shall have the right to obtain from the controller the erasure of "
            "personal data.",
            "the controller",
        ),
        (
            "(a) A consumer shall have the right to request that a business delete their data.",
            "a business",
        ),
        ("A consumer has the right to direct a business not to sell the data.", "a business"),
        (
            "The member shall have the right to be heard, and the agency shall reply within a "
            "month.",
            "the agency",
        ),
        ("It shall be unlawful for any person to send the message.", "any person"),
        # No one named: a passive rule, a thing as subject, a right with no counterparty, a
        # pronoun, a permission.
        ("(A) Subject to subparagraph (B), the disclosure shall be made in 30 days.", ""),
        ("The notice to the attorney general shall include, but not be limited to:", ""),
        ("4. Infringements of the following provisions shall be subject to fines.", ""),
        ("The withdrawal of consent shall not affect the lawfulness of processing.", ""),
        ("The data subject shall have the right to lodge a complaint.", ""),
        ("(b) The security program shall be based on the entity's risk assessment.", ""),
        ("(h) In responding to a request, a business may present a choice.", ""),
        ("(e) If an agency is within the executive department, it shall notify the office.", ""),
    ],
)
def test_who_a_rule_binds_is_the_duty_bearer_as_written(sentence: str, bound: str) -> None:
    assert subject_of(sentence) == bound
    assert bound in sentence  # verbatim


OTHERS = [
    ("Code § 5(f) [2]", "A copy shall be sent to the Attorney General within 15 calendar days."),
    ("Code § 6 [3]", "The person shall offer credit monitoring for 18 months."),
    ("Code § 7 [4]", "Definitions apply to this chapter."),
]


@pytest.mark.parametrize(
    ("rule", "others", "point", "cell"),
    [
        # The rule sentence's own figures, never another rule's.
        (
            "A business shall notify residents without unreasonable delay.",
            OTHERS,
            "deadline",
            "without unreasonable delay",
        ),
        (
            "The agency shall reply within 30 days or, if complex, 60 days.",
            OTHERS,
            "deadline",
            "30 days; 60 days",
        ),
        # None in the rule: the others', each with the pinpoint of the rule it belongs to.
        (
            "A business shall notify residents of a breach.",
            OTHERS,
            "deadline",
            f"{NOT_IN_RULE}; 15 calendar days in Code § 5(f) [2]; 18 months in Code § 6 [3]",
        ),
        ("A business shall notify residents of a breach.", OTHERS[2:], "deadline", NOT_STATED),
        ("A business shall notify residents of a breach.", [], "penalty", NOT_STATED),
        (
            "A civil action shall be commenced within four years.",
            [("Code § 9(a) [5]", "A fine of not more than $2,500 for each violation.")],
            "penalty",
            f"{NOT_IN_RULE}; $2,500 in Code § 9(a) [5]",
        ),
    ],
)
def test_a_rows_deadline_is_its_rules_or_says_whose(
    rule: str, others: list[tuple[str, str]], point: str, cell: str
) -> None:
    assert figure_cell(rule, others, point) == cell
