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


def test_by_writer_reports_short_answers_on_target_and_sentences_removed():
    def r(writer, on_target, sentences=0, removed=0, expected=(A,)):
        return QuestionResult(
            "q", list(expected), [A], False, 0, 0, writer, on_target, sentences, removed
        )

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
