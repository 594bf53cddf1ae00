import pytest
from qdrant_client import QdrantClient

from bot.index.backends.server import ServerBackend
from bot.index.store import RegulationIndex
from tests.bot.index.helpers import embedding, nodes


@pytest.fixture
def server_index():
    """The small index through qdrant-client's in-process implementation (the server path)."""
    backend = ServerBackend(client=QdrantClient(":memory:"), collection="t", description="memory")
    index = RegulationIndex(backend=backend, embedding=embedding())
    index.ensure_collection()
    index.add(nodes())
    yield index
    index.close()
