from bot.index import sparse


def test_tokenize_stems_drops_stop_words_and_keeps_section_numbers():
    assert sparse.tokenize("The consumer's requests under § 1798.100") == [
        "consum",
        "s",
        "request",
        "under",
        "1798.100",
    ]


def test_documents_saturate_term_frequency_and_queries_count_terms():
    once, _ = sparse.encode_document("breach")
    ids, weights = sparse.encode_document("breach breach breach notice")
    assert set(once) <= set(ids)
    by_id = dict(zip(ids, weights, strict=True))
    breach = sparse.term_id("breach")
    assert by_id[breach] > by_id[sparse.term_id("notic")]
    assert by_id[breach] < 3 * by_id[sparse.term_id("notic")]  # saturated, not linear
    q_ids, q_values = sparse.encode_query("breach notice breach")
    assert dict(zip(q_ids, q_values, strict=True)) == {breach: 2.0, sparse.term_id("notic"): 1.0}
    assert q_ids == sorted(q_ids)


def test_empty_text_has_no_terms():
    assert sparse.encode_query("the of and") == ([], [])


def test_tokenize_remembers_texts_and_hands_out_fresh_lists():
    text = "Notice of a breach of security to the Attorney General"
    first = sparse.tokenize(text)
    first.append("changed by the caller")
    again = sparse.tokenize(text)
    assert again == ["notic", "breach", "secur", "attorney", "general"]
    assert again is not first
    assert sparse.tokenize(text.upper()) == again  # another text, tokenized afresh
