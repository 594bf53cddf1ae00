import pytest

from bot.engine.catalogue import Catalogue
from bot.errors import IndexMismatch, ServiceUnavailable, user_message
from bot.index import sparse
from bot.index.coverage import INSTRUMENT_FIELDS, UNIT_FIELDS, SourceRecord
from bot.index.schema import Scope
from bot.index.store import RegulationIndex
from tests.bot.index.helpers import CHUNKS


def test_count_and_scroll_follow_the_scope(server_index):
    assert server_index.count() == len(CHUNKS)
    assert server_index.count(Scope()) == len(CHUNKS) - 1  # the recital is left out
    ca = list(server_index.scroll(Scope(jurisdictions=("US-CA",))))
    assert {h.payload["section"] for h in ca} == {"§ 1", "§ 2", "§ 7001"}
    both = Scope(jurisdictions=("US-CA", "EU"), section_keys=("17", "1"))
    assert {h.payload["section"] for h in server_index.scroll(both)} == {"§ 1", "Article 17"}
    assert {h.payload["section"] for h in server_index.scroll(Scope.all())} >= {"Recital 65"}
    where = Scope(where=(("source", ("ma.md",)),))
    assert [h.payload["section"] for h in server_index.scroll(where)] == ["Section 3"]
    fields = next(iter(server_index.scroll(fields=["source"]))).payload
    assert set(fields) == {"source"}


def test_search_returns_raw_dense_and_sparse_rankings(server_index):
    ranked = server_index.search(
        Scope(),
        dense=[1.0, 0.0, 0.0, 0.0],
        sparse=sparse.encode_query("deletion of personal information"),
        limit=3,
    )
    assert ranked.dense[0].payload["section"] == "§ 1"
    assert ranked.best_dense == pytest.approx(1.0)
    assert all(h.payload["kind"] != "recital" for h in ranked.dense + ranked.sparse)
    assert ranked.sparse[0].payload["section"] == "§ 1" and ranked.best_sparse > 1.0
    only_ma = server_index.search(
        Scope(jurisdictions=("US-MA",)), dense=[1.0, 0, 0, 0], sparse=None, limit=5
    )
    assert [h.payload["section"] for h in only_ma.dense] == ["Section 3"]
    assert only_ma.sparse == []


def test_retrieve_by_id(server_index):
    first = next(iter(server_index.scroll()))
    [again] = server_index.retrieve([first.id], fields=["section"])
    assert again.id == first.id and set(again.payload) == {"section"}


def test_coverage_counts_sections_until_records_exist(server_index):
    counted = server_index.coverage()
    assert counted.codes == {"US-CA", "US-MA", "EU"}
    ca = next(j for j in counted.jurisdictions if j.code == "US-CA")
    assert [(i.source, i.sections) for i in ca.instruments] == [("ca-regs.md", 1), ("ca.md", 2)]
    assert counted.as_dicts(str.lower)[0]["name"] == "eu"

    record = SourceRecord(
        root="corpus", source="ca.md", jurisdiction="US-CA", title="CA", sections=2,
        version="2026", complete=True, chunks={"id-1": "h1"},
    )  # fmt: skip
    server_index.put_sources({record.key: record})
    server_index.write_meta(
        version="v2", chunks=6, complete=True, ingestion_version=1
    )  # a new version: re-read
    recorded = server_index.coverage()
    assert recorded.codes == {"US-CA"}
    assert recorded.jurisdictions[0].instruments[0].complete is True
    assert server_index.sources()[record.key] == record
    server_index.put_sources({record.key: None})
    assert server_index.sources() == {}


def test_another_embedding_model_is_refused(server_index):
    from llama_index.core.embeddings import MockEmbedding

    server_index.write_meta(version="v1", chunks=6, complete=True, ingestion_version=1)
    other = RegulationIndex(backend=server_index.backend, embedding=MockEmbedding(embed_dim=8))
    with pytest.raises(IndexMismatch, match="Re-ingest"):
        other.check_model()


class BrokenBackend:
    description = "a broken backend"

    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise RuntimeError(f"connection refused in {name}")

        return fail


@pytest.mark.parametrize(
    "call",
    [
        lambda i: i.count(),
        lambda i: i.version(),
        lambda i: list(i.scroll()),
        lambda i: i.search(Scope(), dense=[1.0], sparse=None, limit=1),
        lambda i: i.retrieve(["x"]),
        lambda i: i.coverage(),
    ],
)
def test_every_backend_failure_is_a_service_error(call):
    from llama_index.core.embeddings import MockEmbedding

    index = RegulationIndex(backend=BrokenBackend(), embedding=MockEmbedding(embed_dim=4))
    with pytest.raises(ServiceUnavailable) as caught:
        call(index)
    assert caught.value.service == "qdrant" and "connection refused" in caught.value.detail
    assert "couldn't reach the regulation index" in user_message(caught.value)


def test_the_catalogue_from_the_records_is_the_one_a_scan_builds(corpus_index):
    """The bundled corpus: units from the records written at ingest time give the catalogue a
    scan of every chunk gives, in the same order (plan and select read it in order)."""
    fields = [*INSTRUMENT_FIELDS, *UNIT_FIELDS]
    scanned = Catalogue.from_payloads(h.payload for h in corpus_index.scroll(fields=fields))
    payloads = list(corpus_index.unit_payloads())
    assert all("first_chunk" in p for p in payloads)  # from the records
    recorded = Catalogue.from_payloads(payloads)
    assert recorded == scanned
    assert list(recorded.units) == list(scanned.units)
    assert list(recorded.instruments) == list(scanned.instruments)
    assert len(payloads) == len(scanned.units) < corpus_index.count()


def test_units_come_from_the_chunks_until_records_keep_them(server_index):
    scanned = list(server_index.unit_payloads())  # no records: the chunks' payloads
    assert {p["section"] for p in scanned} >= {"§ 1", "Article 17", "Recital 65"}
    record = SourceRecord(
        root="corpus", source="ca.md", jurisdiction="US-CA", title="CA", sections=2,
        chunks={"id-1": "h1"},
    )  # fmt: skip
    server_index.put_sources({record.key: record})  # a record without the catalogue's fields
    assert list(server_index.unit_payloads()) == scanned
