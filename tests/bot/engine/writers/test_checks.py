import pytest

from bot.engine.writers.checks import Source, check, digits, problem, strip_footnote_list
from tests.bot.engine.writers.nodes import CA, EU, HIPAA, MA, NY

SOURCES = {
    i: Source(n.node.metadata["citation"], n.node.metadata["section"], n.node.get_content())
    for i, n in enumerate([CA, MA, NY, EU, HIPAA], start=1)
}


@pytest.mark.parametrize(
    ("sentence", "why"),
    [
        ("A business must inform consumers at or before the point of collection [1].", ""),
        ("Both states regulate collection [1][2].", ""),
        ("Both states regulate collection [1, 2].", ""),
        ("Several rules apply [2-4].", ""),
        ("A business must inform consumers [9].", "no valid marker"),
        ("A business must inform consumers.", "uncited"),
        ("Residents must be told within 30 days [3].", ""),  # "thirty days" in the source
        ("Residents must be told within thirty days [3].", ""),
        ("Residents must be told within 45 days [3].", "duration 45 days not in the cited sources"),
        ("The authority must be told within 72 hours [4].", ""),
        ("The authority must be told within 72 days [4].", "duration 72 days not in the cited sources"),
        ("The authority must be told within 30 days [4].", "duration 30 days not in the cited sources"),
        ("Individuals must be told within 60 days [5].", ""),  # 60 calendar days
        ("Individuals must be told within 60 calendar days [5].", ""),
        ("Individuals must be told within 60 business days [5].", "duration 60 business days not in the cited sources"[:30]),
        ("A penalty of $1,500 may apply [5].", ""),
        ("A penalty of $7,500 may apply [5].", "number 7500 not in the cited sources"),
        ("A penalty of 4% of turnover may apply [4].", "number 4 not in the cited sources"),
        ("The 72 hours run from awareness [3].", "duration 72 hours not in the cited sources"),  # wrong source
        ("Under Cal. Civ. Code § 1798.100 a business must inform consumers [1].", ""),
        ("Under § 1798.150 a business must inform consumers [1].", "names § 1798.150, which the cited sources are not"),
        ("Under Article 33(1) the controller must notify [4].", ""),
        ("The sources do not address this for Massachusetts.", ""),
        ("The sources do not say whether 30 days apply.", "uncited"),
    ],
)  # fmt: skip
def test_sentence_checks(sentence, why):
    assert problem(sentence, SOURCES).startswith(why) if why else problem(sentence, SOURCES) == ""


def test_number_words_become_digits():
    assert digits("within thirty days, seventy-two hours, one hundred twenty days") == (
        "within 30 days, 72 hours, 120 days"
    )


def test_a_correct_reply_passes_untouched():
    text = (
        "### California\n"
        "- A business must inform consumers at or before the point of collection [1].\n"
        "- It shall not collect additional categories without notice [1].\n\n"
        "### New York\n"
        "Residents must be notified within thirty days [3]."
    )
    checked = check(text, SOURCES)
    assert checked.text == text and checked.removed == () and checked.sentences == 3


def test_failing_sentences_are_removed_and_the_layout_kept():
    text = (
        "### New York\n"
        "Residents must be notified within thirty days [3]. They also get $100 each [3].\n"
        "- Notice is free [7].\n"
        "- Breaches must be disclosed [3].\n"
        "Everyone must comply."
    )
    checked = check(text, SOURCES)
    assert checked.text == (
        "### New York\nResidents must be notified within thirty days [3].\n"
        "- Breaches must be disclosed [3]."
    )
    assert [why for _, why in checked.removed] == [
        "number 100 not in the cited sources",
        "no valid marker",
        "uncited",
    ]
    assert checked.sentences == 5


def test_markers_after_the_full_stop_belong_to_that_sentence():
    checked = check("Residents must be notified. [3] Breaches must be disclosed. [3]", SOURCES)
    assert checked.removed == () and checked.sentences == 2


def test_a_heading_left_empty_is_dropped():
    checked = check("### Massachusetts\nInvented rule [8].\n\n### New York\nNotify [3].", SOURCES)
    assert checked.text == "### New York\nNotify [3]."


@pytest.mark.parametrize(
    "tail",
    [
        "\n\nSources:\n[1] Cal. Civ. Code § 1798.100\n[3] N.Y. Gen. Bus. Law § 899-aa",
        "\n\n**References**\n1. Cal. Civ. Code § 1798.100\n2. Mass. Gen. Laws ch. 93H, § 2",
        "\n\n[1]: Cal. Civ. Code § 1798.100\n[3]: N.Y. Gen. Bus. Law § 899-aa",
        "\n\n## Footnotes\n- [1] Cal. Civ. Code § 1798.100",
    ],
)
def test_a_footnote_list_at_the_end_is_dropped(tail):
    body = "Residents must be notified within thirty days [3]."
    assert strip_footnote_list(body + tail) == body


def test_a_numbered_list_of_claims_is_not_a_footnote_list():
    body = "Steps:\n1. Notify residents within thirty days [3].\n2. Notify the authority [4]."
    assert strip_footnote_list(body) == body
