from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.compose import build_audit_log
from bot.ops.audit import (
    CSV_COLUMNS,
    AuditLog,
    audit_files,
    csv_row,
    export_csv,
    parse_since,
    question_hash,
)
from bot.settings import Settings
from tests.fixtures.web import sample_answer

QUESTION = "Do we have to honour a deletion request from a California employee?"


def ticking(start: datetime, step: timedelta = timedelta(minutes=1)) -> Iterator[datetime]:
    now = start
    while True:
        yield now
        now += step


def make_log(
    path: Path, *, start: datetime = datetime(2026, 3, 1, 9, 0, tzinfo=UTC), **kwargs
) -> AuditLog:
    clock = ticking(start)
    return AuditLog(path=path, clock=lambda: next(clock), **kwargs)


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-01-31", datetime(2026, 1, 31, tzinfo=UTC)),
        (" 2026-01-31 ", datetime(2026, 1, 31, tzinfo=UTC)),
        ("2026-01-31T09:30", datetime(2026, 1, 31, 9, 30, tzinfo=UTC)),
        ("2026-01-31T09:30:00Z", datetime(2026, 1, 31, 9, 30, tzinfo=UTC)),
        ("2026-01-31T10:30:00+01:00", datetime(2026, 1, 31, 9, 30, tzinfo=UTC)),
    ],
)
def test_parse_since(text: str, expected: datetime) -> None:
    assert parse_since(text) == expected


@pytest.mark.parametrize("text", ["yesterday", "31/01/2026", "2026-13-01", ""])
def test_parse_since_refuses_with_a_sentence(text: str) -> None:
    with pytest.raises(ValueError, match="--since must be a date like 2026-01-31"):
        parse_since(text)


def write_history(path: Path) -> None:
    log = make_log(path, start=datetime(2026, 3, 1, 23, 59, tzinfo=UTC))
    log.answered(
        channel="slack",
        user="U1",
        team="T1",
        question="old question",
        answer=sample_answer().with_changes(id="old"),
        latency_ms=5,
    )
    log.answered(
        channel="web",
        user="ada",
        team="",
        question='=HYPERLINK("http://evil")',
        answer=sample_answer(),
        latency_ms=7,
    )
    log.answered(
        channel="teams",
        user="29:x",
        team="t",
        question="q3",
        answer=sample_answer().with_changes(id="third", cached=True),
        latency_ms=1,
    )
    log.feedback(channel="web", user="ada", answer_id="ans-0001", vote="up")
    log.feedback(channel="web", user="ada", answer_id="ans-0001", vote="down", reason="-1 wrong")
    log.feedback(channel="slack", user="U1", answer_id="old", vote="up")
    log.close()


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_export_csv_since_a_date(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    write_history(path)
    out = io.StringIO()
    count = export_csv(path, date(2026, 3, 2), out)
    rows = read_csv(out.getvalue())
    assert count == len(rows) == 5  # the 23:59 answer of March 1 is left out
    assert out.getvalue().splitlines()[0] == ",".join(CSV_COLUMNS)
    web = rows[0]
    assert (web["time"], web["event"], web["channel"], web["user"]) == (
        "2026-03-02T00:00:00.000Z",
        "answer",
        "web",
        "ada",
    )
    assert web["question"].startswith("'=HYPERLINK")  # a spreadsheet will not run it
    assert web["jurisdictions"] == "US-CA EU"
    assert (
        web["citations"]
        == "[1] Cal. Civ. Code § 1798.130; [2] GDPR Art. 12(3); [3] GDPR Art. 12(3)"
    )
    assert web["cached"] == "no" and web["writer"] == "extractive"
    assert web["feedback"] == "down"  # the latest vote on that answer
    assert rows[1]["cached"] == "yes" and rows[1]["feedback"] == ""
    assert [r["event"] for r in rows[2:]] == ["feedback"] * 3
    assert rows[3]["reason"] == "'-1 wrong"


def test_export_includes_rotated_files_and_folders_of_replicas(tmp_path: Path) -> None:
    folder = tmp_path / "audit"
    a = make_log(
        folder / "bot-a.jsonl",
        max_bytes=1024,
        backup_count=5,
        start=datetime(2026, 3, 2, tzinfo=UTC),
    )
    b = make_log(folder / "bot-b.jsonl", start=datetime(2026, 3, 2, 0, 0, 30, tzinfo=UTC))
    for i in range(12):
        a.feedback(channel="web", user="u", answer_id=f"a{i}", vote="up", reason="y" * 150)
        b.feedback(channel="web", user="u", answer_id=f"b{i}", vote="up")
    a.close()
    b.close()
    assert (folder / "bot-a.jsonl.1").exists()
    out = io.StringIO()
    assert export_csv(folder, datetime(2026, 3, 1, tzinfo=UTC), out) == 24
    ids = [r["answer_id"] for r in read_csv(out.getvalue())]
    assert ids[:4] == ["a0", "b0", "a1", "b1"]  # merged in time order


def test_export_skips_damaged_lines(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "audit.jsonl"
    write_history(path)
    with open(path, "a", encoding="utf-8") as f:
        f.write('{"time": "2026-03-05T00:00:00Z", "event": "ans')  # a write cut short
    out = io.StringIO()
    assert export_csv(path, date(2026, 1, 1), out) == 6
    assert "skipping a damaged audit line" in caplog.text


def test_export_of_a_missing_log_writes_only_the_header(tmp_path: Path) -> None:
    out = io.StringIO()
    assert export_csv(tmp_path / "none.jsonl", date(2026, 1, 1), out) == 0
    assert out.getvalue().strip() == ",".join(CSV_COLUMNS)


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20", "'+44 20"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-2", "'-2"),
        ("plain", "plain"),
        ("", ""),
    ],
)
def test_csv_cells_cannot_become_formulas(value: str, cell: str) -> None:
    assert csv_row({"event": "feedback", "reason": value})["reason"] == cell
