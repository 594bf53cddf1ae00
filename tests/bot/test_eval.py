import json

import pytest

from bot.errors import NOT_ABOUT_LAW, BadQuestion
from bot.eval import Footnote, QuestionResult, Report, evaluate, parse_notes, read_questions

A = ("us-ca/ccpa.md", "1798.100")
B = ("us-ca/regs.md", "7012")
C = ("eu/gdpr.md", "33")


def fn(unit, label="", jurisdiction="US-CA"):
    return Footnote(unit[0], unit[1], label, jurisdiction)


def result(id_, expected, footnotes, declined=False, **kw):
    juris = tuple("EU" if s.startswith("eu/") else "US-CA" for s, _ in expected)
    return QuestionResult(id_, expected, footnotes, declined, expected_jurisdictions=juris, **kw)


def test_recall_precision_and_reciprocal_rank():
    r = result("q", [A, B], [fn(C, jurisdiction="EU"), fn(B), fn(B, "(a)")])
    assert r.recall == 0.5
    assert r.precision == 2 / 3
    assert r.reciprocal_rank == 0.5


def test_false_not_covered_counts_declines_and_dropped_jurisdictions():
    assert result("q", [A], [], declined=True).false_not_covered
    assert result("q", [A, C], [fn(A)], not_covered=("EU",)).false_not_covered
    assert not result("q", [A], [fn(A)], not_covered=("US-TX",)).false_not_covered
    assert not result("q", [], [], declined=True).false_not_covered


def test_pinpoint_agrees_with_noted_subdivisions():
    r = result(
        "q", [A, C], [fn(A, "(a)(2)"), fn(A, "(b)"), fn(C, "", "EU")],
        pinpoints={"1798.100": ["(a)"], "33": ["(1)"]},
    )  # fmt: skip
    assert r.pinpoint_checks() == [True, False, False]


@pytest.mark.parametrize(
    ("cited", "noted", "lenient", "strict"),
    [
        ("(a)(2)", "(a)", True, True),
        ("(a)", "(a)", True, True),
        ("(a)", "(a)(2)(C)", True, False),
        ("(c)(1)–(2)", "(c)", True, True),
        ("(a)–(e)", "(a)", True, False),
        ("(b)", "(a)", False, False),
        ("", "(a)", False, False),
        ("(1)", "(10)", False, False),
    ],
)
def test_pinpoint_lenient_and_strict_readings(cited, noted, lenient, strict):
    r = result("q", [A], [fn(A, cited)], pinpoints={"1798.100": [noted]})
    assert r.pinpoint_checks() == [lenient]
    assert r.pinpoint_checks(strict=True) == [strict]


def test_summary_by_category_and_jurisdiction():
    report = Report(
        results=[
            result("a", [A, C], [fn(A)], category="multi"),
            result("b", [B], [fn(B)], category="single"),
            result("c", [], [], declined=True, category="abstain"),
            result("d", [], [fn(A)], category="abstain"),
        ]
    )
    s = report.summary()
    assert s["recall"] == 0.75 and s["hit"] == 1.0 and s["declines"] == 0.5
    assert s["by_category"]["multi"]["recall"] == 0.5
    assert s["recall_by_jurisdiction"] == {"EU": 0.0, "US-CA": 1.0}


def test_parse_notes_expands_ranges_and_lists():
    text = (
        "- q-1 single — 164.410(a)(2), (b) (without delay), 164.410(c)(1)-(2); Art. 21(2)-(3)\n"
        "- q-2 multi — 59.1-577 B 1 (45 days); 160.103 'Business associate' (1)(ii)\n"
        "- q-3 abstain — not in the corpus\n"
    )
    notes = parse_notes(text)
    assert notes["q-1"] == (
        "single",
        {"164.410": ["(a)(2)", "(b)", "(c)(1)", "(c)(2)"], "21": ["(2)", "(3)"]},
    )
    assert notes["q-2"] == ("multi", {"59.1-577": ["(B)(1)"], "160.103": []})
    assert notes["q-3"] == ("abstain", {})


def test_read_questions_skips_blank_lines(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_text(json.dumps({"id": "x", "question": "q", "expected": []}) + "\n\n")
    assert read_questions(path) == [{"id": "x", "question": "q", "expected": []}]


def test_by_writer_reports_short_answers_on_target_and_sentences_removed():
    def r(writer, on_target, sentences=0, removed=0, expected=(A,)):
        return QuestionResult(
            "q", list(expected), [fn(A)], False, writer=writer, short_on_target=on_target,
            sentences=sentences, removed=removed,
        )  # fmt: skip

    report = Report(
        results=[
            r("extractive", True),
            r("extractive", False),
            r("openai", True, sentences=8, removed=1),
            r("openai", True, sentences=2, removed=1),
            r("openai", False, expected=()),  # unanswerable questions do not count
        ]
    )
    assert report.summary()["by_writer"] == {
        "extractive": {"answers": 2, "short_answer_on_target": 0.5, "sentences_removed": 0.0},
        "openai": {"answers": 2, "short_answer_on_target": 1.0, "sentences_removed": 0.2},
    }


def test_short_on_target_reads_markers_and_pinpoints():
    from bot.eval import short_on_target
    from bot.index.corpus_format import section_key
    from tests.bot.answers import HIPAA, several

    answer = several()
    assert short_on_target(answer, {(HIPAA.source, section_key(HIPAA.section))})
    assert not short_on_target(answer, {("eu/gdpr.md", section_key("Article 33"))})


class RefusingEngine:
    """An engine that refuses every question as not about law, as the real one does for a
    question with no legal words in it."""

    def coverage(self):
        return [{"code": "US", "instruments": [{"source": "us-federal/45-cfr-164.md"}]}]

    def ask(self, question):
        raise BadQuestion(NOT_ABOUT_LAW)


def test_a_refused_question_counts_as_declined_not_as_a_crash():
    questions = [
        {"id": "a", "question": "q?", "expected": [{"source": "us-federal/45-cfr-164.md", "section": "164.524"}]},
        {"id": "b", "question": "q?", "expected": []},
    ]  # fmt: skip
    summary = evaluate(RefusingEngine(), questions).summary()
    assert summary["recall"] == 0.0 and summary["false_not_covered"] == 1.0
    assert summary["declines"] == 1.0
