import pytest

from bot.index.coverage import SourceRecord, catalogue_fields, ordered_units

DOC = {"source": "a.md", "jurisdiction": "US-CA", "title": "A", "complete": True, "root": "c"}


def chunk(key: str, labels: list[str], **unit) -> dict:
    return DOC | {"section_key": key, "section": f"§ {key}", "paragraph_labels": labels} | unit


def test_catalogue_fields_one_entry_per_unit_with_the_union_of_its_labels():
    instrument, units = catalogue_fields(
        [
            ("id-9", chunk("2", ["(a)"], heading="Two", refs=["1"])),
            ("id-3", chunk("2", ["(b)", "(a)"], heading="Two", refs=["1"])),
            ("id-5", chunk("1", [], unit_kind="definition")),
            ("id-1", DOC | {"section_key": ""}),  # a chunk of no unit
        ]
    )
    assert instrument == {"source": "a.md", "jurisdiction": "US-CA", "title": "A",
                          "complete": True}  # fmt: skip
    assert units == [
        {"section_key": "2", "section": "§ 2", "heading": "Two", "refs": ["1"],
         "paragraph_labels": ["(a)", "(b)"], "first_chunk": "id-3"},
        {"section_key": "1", "section": "§ 1", "unit_kind": "definition",
         "paragraph_labels": [], "first_chunk": "id-5"},
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("ids", "expected"),
    [
        ((["b-1"], ["a-2"]), ["§ 2", "§ 1"]),  # the order of the chunk ids, not of the files
        ((["a-1"], ["b-2"]), ["§ 1", "§ 2"]),
    ],
)
def test_ordered_units_follow_the_first_chunk_ids_across_files(ids, expected):
    records = []
    for n, (source, first) in enumerate([("a.md", ids[0]), ("b.md", ids[1])], start=1):
        instrument, units = catalogue_fields([(i, chunk(str(n), []) | {"source": source})
                                              for i in first])  # fmt: skip
        records.append(SourceRecord(root="c", source=source, jurisdiction="US-CA", title="",
                                    sections=1, chunks={first[0]: "h"}, instrument=instrument,
                                    units=units))  # fmt: skip
    empty = SourceRecord(root="c", source="gone.md", jurisdiction="US-CA", title="", sections=0,
                         instrument={"source": "gone.md"}, units=[{"first_chunk": "0"}])  # fmt: skip
    payloads = ordered_units([*records, empty])  # a record without chunks has no units
    assert [p["section"] for p in payloads] == expected
    assert {p["source"] for p in payloads} == {"a.md", "b.md"}


def test_records_round_trip_with_and_without_the_catalogue_fields():
    instrument, units = catalogue_fields([("id-1", chunk("1", ["(a)"]))])
    record = SourceRecord(root="c", source="a.md", jurisdiction="US-CA", title="A", sections=1,
                          chunks={"id-1": "h"}, instrument=instrument, units=units)  # fmt: skip
    assert SourceRecord.from_json(record.to_json()) == record
    assert record.unit_payloads() == [instrument | units[0]]
    older = {k: v for k, v in record.to_json().items() if k not in ("instrument", "units")}
    assert SourceRecord.from_json(older).units is None
