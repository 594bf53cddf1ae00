from bot.engine.similarity import DenseSimilarity


class FakeEmbedding:
    """Two-dimensional vectors: how much a text is about storing, and about owning."""

    def __init__(self):
        self.embedded: list[str] = []

    def _vector(self, text):
        return [float(text.count("store")), float(text.count("own"))]

    def get_query_embedding(self, query):
        return self._vector(query)

    def get_text_embedding_batch(self, texts):
        self.embedded.extend(texts)
        return [self._vector(t) for t in texts]


def test_cosine_to_the_question_with_vectors_kept_between_questions():
    fake = FakeEmbedding()
    similar = DenseSimilarity(embedding=fake)
    texts = ["we store it", "we own it"]
    first = similar.for_question("who may store data")(texts)
    assert first[0] > 0.99 and abs(first[1]) < 1e-6
    second = similar.for_question("who may own data")(texts)
    assert second[1] > 0.99
    assert fake.embedded == texts  # each text embedded once


def test_the_store_is_bounded():
    fake = FakeEmbedding()
    similar = DenseSimilarity(embedding=fake, max_texts=2)
    ask = similar.for_question("store")
    ask(["store a", "store b", "store c"])
    ask(["store a"])
    assert fake.embedded == ["store a", "store b", "store c", "store a"]
