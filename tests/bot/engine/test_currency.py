import pytest

from bot.engine.currency import as_of, currency, dates_in, display_date


@pytest.mark.parametrize(
    ("version", "retrieved", "expected"),
    [
        ("as amended through March 26, 2013 (HHS OCR unofficial compilation, June 2013)", "", "2013-03-26"),
        ("eCFR text as amended through 90 FR 16977 (Apr. 22, 2025), eCFR point-in-time 2025-11-17", "", "2025-04-22"),
        ("effective 2026-01-01 (CPPA compilation, December 2025)", "", "2026-01-01"),
        ("text as amended by St. 2018, c. 444 (effective April 11, 2019) and later; (February 2026)", "", "2026-02"),
        ("text as published in the Official Journal", "2026-03-25 (date retrieved)", "2026-03-25"),
        ("", "", ""),
    ],
)  # fmt: skip
def test_as_of_reads_the_front_matter(version, retrieved, expected):
    assert as_of(version, retrieved) == expected


def test_ingest_date_is_the_last_resort_and_incomplete_is_carried():
    fields = currency(
        {"version": "current text", "ingested": "2026-12-01T10:00:00", "complete": False}
    )
    assert fields == {
        "version": "current text",
        "as_of": "2026-12-01",
        "ingested": "2026-12-01",
        "complete": False,
    }
    assert currency({})["complete"] is True


def test_dates_and_display():
    assert dates_in("on 4 May 2016 and 2018-05-25") == ["2016-05-04", "2018-05-25"]
    assert display_date("2013-03-26") == "26 March 2013"
    assert display_date("2026-02") == "February 2026"
