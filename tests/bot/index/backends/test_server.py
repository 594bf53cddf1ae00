from qdrant_client import models as qm

from bot.index.backends.server import to_filter
from bot.index.schema import Scope


def test_scope_translates_to_a_qdrant_filter():
    assert to_filter(None) is None
    assert to_filter(Scope.all()) is None
    flt = to_filter(Scope(jurisdictions=("US-CA", "US"), section_keys=("7012",)))
    assert flt == qm.Filter(
        must=[
            qm.FieldCondition(key="jurisdiction", match=qm.MatchAny(any=["US-CA", "US"])),
            qm.FieldCondition(key="section_key", match=qm.MatchAny(any=["7012"])),
        ],
        must_not=[qm.FieldCondition(key="kind", match=qm.MatchAny(any=["recital"]))],
    )
    assert to_filter(Scope(exclude_kinds=(), sources=("a.md",))) == qm.Filter(
        must=[qm.FieldCondition(key="source", match=qm.MatchAny(any=["a.md"]))]
    )


def test_metadata_records_round_trip(server_index):
    backend = server_index.backend
    backend.put_meta({"source:a": {"x": 1}, "source:b": {"x": 2}, "other": {"y": 3}})
    assert backend.list_meta("source:") == {"source:a": {"x": 1}, "source:b": {"x": 2}}
    assert backend.get_meta("other") == {"y": 3}
    backend.put_meta({"source:a": None})
    assert set(backend.list_meta("source:")) == {"source:b"}
    assert backend.get_meta("missing") is None
