import subprocess
import sys
import tarfile
import textwrap

import pytest
import qdrant_edge as qe

from bot.errors import IndexBusy, user_message
from bot.index import sparse
from bot.index.backends.edge import EdgeBackend, to_filter
from bot.index.config import open_edge
from bot.index.schema import Scope
from bot.index.store import RegulationIndex
from tests.bot.index.helpers import embedding, nodes


def test_scope_translates_to_an_edge_filter():
    assert to_filter(None) is None and to_filter(Scope.all()) is None
    flt = to_filter(Scope(jurisdictions=("US-CA",), section_keys=("7012",)))
    assert isinstance(flt, qe.Filter)
    assert [c.key for c in flt.must] == ["jurisdiction", "section_key"]
    assert [c.key for c in flt.must_not] == ["kind"]


def test_points_and_records_survive_a_reopen(tmp_path):
    index = RegulationIndex(backend=open_edge(tmp_path, "t"), embedding=embedding())
    assert not index.exists() and index.count() == 0 and list(index.scroll()) == []
    index.ensure_collection()
    index.add(nodes())
    index.write_meta(version="v1", chunks=6, complete=True, ingestion_version=1)
    index.backend.put_meta({"source:a": {"x": 1}})
    index.close()
    again = EdgeBackend(folder=tmp_path, collection="t")
    assert again.count(None) == 6 and again.get_meta("index")["version"] == "v1"
    assert again.list_meta("source:") == {"source:a": {"x": 1}}
    again.drop()
    assert not (tmp_path / "t.edge").exists()


def test_an_index_from_qdrant_client_local_mode_is_replaced_with_a_notice(tmp_path):
    from qdrant_client import QdrantClient

    old = QdrantClient(path=str(tmp_path))
    old.create_collection("reggi", vectors_config={})
    old.close()
    assert (tmp_path / "collection").is_dir()
    backend = open_edge(tmp_path, "reggi")
    assert "older format" in backend.notice and str(tmp_path) in backend.notice
    assert not (tmp_path / "collection").exists() and not (tmp_path / "meta.json").exists()
    assert open_edge(tmp_path, "other").notice == ""


def test_a_folder_held_by_another_process_is_a_plain_error(tmp_path):
    """A real second process holds the shard; opening it here names the folder."""
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys
            from bot.index.config import open_edge
            b = open_edge(__import__("pathlib").Path({str(tmp_path)!r}), "t")
            b.create(dimension=4)
            print("ready", flush=True)
            sys.stdin.read()
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(IndexBusy) as caught:
            open_edge(tmp_path, "t")
        assert str(tmp_path) in user_message(caught.value)
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    open_edge(tmp_path, "t").close()  # released when the holder exits


def test_a_replica_folder_is_brought_up_to_date_from_a_shard_snapshot(tmp_path):
    """qdrant-edge-py's `update_from_snapshot` between two Edge folders. No Qdrant server runs
    here, so the snapshot is folder A's shard archived as a tar in the layout a server's shard
    snapshot unpacks to (segments/, wal/, the shard's config); folder B, an older copy holding
    other points, takes A's points, vectors and payload indexes, and ranks as A does."""
    source = RegulationIndex(backend=open_edge(tmp_path / "a", "t"), embedding=embedding())
    source.ensure_collection()
    source.add(nodes())
    source.close()
    snapshot = tmp_path / "shard.snapshot"
    with tarfile.open(snapshot, "w") as tar:
        tar.add(tmp_path / "a" / "t.edge" / "shard", arcname=".")

    replica = RegulationIndex(backend=open_edge(tmp_path / "b", "t"), embedding=embedding())
    replica.ensure_collection()
    stale = nodes()[:2]
    stale[0].id_ = "00000000-0000-4000-8000-000000000000"  # a chunk the source no longer has
    replica.add(stale)
    replica.backend.shard.update_from_snapshot(str(snapshot))
    source = RegulationIndex(backend=open_edge(tmp_path / "a", "t"), embedding=embedding())
    assert replica.count() == source.count() == len(nodes())
    assert {h.id for h in replica.scroll()} == {h.id for h in source.scroll()}
    query = {"dense": [1.0, 0.0, 0.0, 0.0], "limit": 5,
             "sparse": sparse.encode_query("deletion of personal information")}  # fmt: skip
    for scope in (Scope(), Scope(jurisdictions=("US-CA",))):  # filtered: the payload index
        a, b = source.search(scope, **query), replica.search(scope, **query)
        assert [(h.id, h.score) for h in b.dense] == [(h.id, h.score) for h in a.dense]
        assert [(h.id, h.score) for h in b.sparse] == [(h.id, h.score) for h in a.sparse]
        assert b.dense and b.sparse
    replica.close()
    source.close()

    # A new replica starts from the snapshot alone: unpacked into an empty folder, it opens.
    qe.EdgeShard.unpack_snapshot(str(snapshot), str(tmp_path / "c" / "t.edge" / "shard"))
    assert EdgeBackend(folder=tmp_path / "c", collection="t").count(None) == len(nodes())
