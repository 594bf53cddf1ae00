"""The audit records (bot.ops.audit.records) as the sink writes them (bot.ops.audit.sink)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.compose import build_audit_log
from bot.ops.audit import audit_files, question_hash
from bot.settings import Settings
from tests.bot.ops.audit.clock import QUESTION, lines, make_log
from tests.fixtures.web import sample_answer


def test_an_answer_record_says_what_was_told_to_whom(tmp_path: Path) -> None:
    log = make_log(tmp_path / "audit" / "audit.jsonl")
    log.answered(
        channel="slack",
        user="U123",
        team="T9",
        question=QUESTION,
        answer=sample_answer(),
        latency_ms=16.04,
    )
    [record] = lines(tmp_path / "audit" / "audit.jsonl")
    assert record == {
        "time": "2026-03-01T09:00:00.000Z",
        "event": "answer",
        "channel": "slack",
        "user": "U123",
        "team": "T9",
        "answer_id": "ans-0001",
        "question": QUESTION,
        "jurisdictions": ["US-CA", "EU"],
        "missing_jurisdictions": [],
        "citations": [
            {
                "n": 1,
                "citation": "Cal. Civ. Code § 1798.130",
                "jurisdiction": "US-CA",
                "url": sample_answer().citations[0].url,
            },
            {
                "n": 2,
                "citation": "GDPR Art. 12(3)",
                "jurisdiction": "EU",
                "url": sample_answer().citations[1].url,
            },
            {
                "n": 3,
                "citation": "GDPR Art. 12(3)",
                "jurisdiction": "EU",
                "url": sample_answer().citations[2].url,
            },
        ],
        "writer": "extractive",
        "cached": False,
        "abstained": False,
        "latency_ms": 16.0,
    }


def test_questions_can_be_recorded_as_hashes(tmp_path: Path) -> None:
    log = make_log(tmp_path / "a.jsonl", hash_questions=True)
    log.answered(
        channel="web",
        user="u",
        team="",
        question=QUESTION,
        answer=sample_answer(),
        latency_ms=1,
    )
    [record] = lines(tmp_path / "a.jsonl")
    assert "question" not in record
    assert record["question_sha256"] == question_hash(QUESTION)
    assert QUESTION not in (tmp_path / "a.jsonl").read_text(encoding="utf-8")


def test_feedback_is_appended(tmp_path: Path) -> None:
    log = make_log(tmp_path / "a.jsonl")
    log.answered(
        channel="teams",
        user="29:1",
        team="t",
        question="q",
        answer=sample_answer(),
        latency_ms=1,
    )
    log.feedback(
        channel="teams",
        user="29:1",
        answer_id="ans-0001",
        vote="down",
        reason="wrong section",
    )
    log.cache("hit")
    log.error(channel="teams", kind="bad_question")
    records = lines(tmp_path / "a.jsonl")
    assert [r["event"] for r in records] == ["answer", "feedback"]
    assert records[1] == {
        "time": "2026-03-01T09:01:00.000Z",
        "event": "feedback",
        "channel": "teams",
        "user": "29:1",
        "answer_id": "ans-0001",
        "vote": "down",
        "reason": "wrong section",
    }


def test_the_log_is_appended_to_across_restarts(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    first = make_log(path)
    first.feedback(channel="web", user="u", answer_id="a", vote="up")
    first.close()
    make_log(path).feedback(channel="web", user="u", answer_id="b", vote="up")
    assert [r["answer_id"] for r in lines(path)] == ["a", "b"]


def test_rotation_keeps_backup_count_files(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    log = make_log(path, max_bytes=1024, backup_count=2)
    for i in range(40):
        log.feedback(
            channel="web",
            user="u",
            answer_id=f"id-{i:03d}",
            vote="up",
            reason="x" * 100,
        )
    log.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "audit.jsonl",
        "audit.jsonl.1",
        "audit.jsonl.2",
    ]
    for p in tmp_path.iterdir():
        assert p.stat().st_size <= 1024
    kept = [r["answer_id"] for f in audit_files(path) for r in lines(f)]
    assert kept == sorted(kept)  # oldest first, nothing reordered
    assert kept[-1] == "id-039"


def test_a_disk_error_is_logged_not_raised(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    log = make_log(blocker / "audit.jsonl")
    log.feedback(channel="web", user="u", answer_id="a", vote="up")
    assert "could not write the audit log" in caplog.text


def test_built_from_settings(tmp_path: Path) -> None:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        audit_log_path=tmp_path / "x.jsonl",
        audit_hash_questions=True,
        audit_max_bytes=2048,
        audit_backup_count=3,
    )
    log = build_audit_log(settings)
    assert (log.path, log.hash_questions, log.max_bytes, log.backup_count) == (
        tmp_path / "x.jsonl",
        True,
        2048,
        3,
    )
