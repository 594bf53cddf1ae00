import json

from bot.eval import QuestionResult, Report, read_questions, round_robin

A = ("us-ca/ccpa.md", "1798.100")
B = ("us-ca/regs.md", "7012")
C = ("eu/gdpr.md", "33")


def result(id_, expected, retrieved, abstained=False, total=0, valid=0):
    return QuestionResult(id_, expected, retrieved, abstained, total, valid)


def test_recall_and_reciprocal_rank():
    r = result("q", [A, B], [C, B])
    assert r.recall == 0.5
    assert r.reciprocal_rank == 0.5
    assert result("q", [A], [C]).reciprocal_rank == 0.0


def test_summary_separates_answerable_and_unanswerable():
    report = Report(
        results=[
            result("a", [A, C], [A], total=2, valid=1),
            result("b", [B], [B]),
            result("c", [], [], abstained=True),
            result("d", [], [A]),
        ],
        jurisdiction_of={"us-ca/ccpa.md": "US-CA", "us-ca/regs.md": "US-CA", "eu/gdpr.md": "EU"},
    )
    s = report.summary()
    assert s["recall_at_k"] == 0.75
    assert s["hit_at_k"] == 1.0
    assert s["abstention"] == 0.5
    assert s["citation_validity"] == 0.5
    assert s["by_jurisdiction"] == {"EU": 0.0, "US-CA": 1.0}
    assert s["n"] == 4


def test_round_robin_interleaves_groups_without_repeats():
    assert round_robin([[A, B], [C, A]]) == [A, C, B]


def test_read_questions_skips_blank_lines(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_text(json.dumps({"id": "x", "question": "q", "expected": []}) + "\n\n")
    assert read_questions(path) == [{"id": "x", "question": "q", "expected": []}]
