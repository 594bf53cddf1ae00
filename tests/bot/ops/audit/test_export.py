"""Reading the audit files back and writing CSV (bot.ops.audit.export)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.ops.audit import CSV_COLUMNS, csv_row, export_csv, parse_since
from tests.bot.ops.audit.clock import make_log
from tests.fixtures.web import sample_answer


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
