import json
import re

import pytest

from bot.answer import Answer, Turn
from bot.engine.writers import markers
from bot.errors import BadQuestion, ServiceUnavailable, user_message
from bot.eval import evaluate, parse_notes, read_questions
from tests.fixtures.index import REPO

DEV2_SET = REPO / "data" / "eval" / "dev2.jsonl"
DEV2_NOTES = REPO / "data" / "eval" / "dev2-notes.md"


def cited(answer: Answer) -> set[int]:
    return {n for t in [answer.answer, *(p.text for p in answer.parts)] for n in markers(t)}


def test_multi_jurisdiction_question_cites_both(corpus_engine):
    answer = corpus_engine.ask(
        "Can I collect personal information from customers in California and Massachusetts? "
        "What are the requirements?"
    )
    assert {"US-CA", "US-MA"} <= set(answer.jurisdictions)
    names = [p.name for p in answer.parts]
    assert names[:2] == ["California", "Massachusetts"]
    assert {c.jurisdiction for c in answer.citations} >= {"US-CA", "US-MA"}
    assert any(c.source == "us-ma/mgl-93h.md" for c in answer.citations)
    assert "US" not in {c.jurisdiction for c in answer.citations}  # adults: no COPPA
    assert cited(answer) == {c.n for c in answer.citations}
    assert not answer.abstained and answer.writer == "extractive"
    assert set(answer.timings_ms) >= {"retrieval", "writing", "total"}


def test_each_instrument_has_the_vocabulary_of_its_scope(corpus_engine):
    terms = corpus_engine.vocabulary().terms
    assert {"children", "parent"} <= set(terms["us-federal/16-cfr-312.md"])
    assert {"health", "cover", "entiti"} <= set(terms["us-federal/45-cfr-164.md"])
    assert {"sender", "commerci"} <= set(terms["us-federal/can-spam-15-usc-7701.md"])
    assert corpus_engine.vocabulary() is corpus_engine.vocabulary()  # once per index version


def test_federal_law_a_state_question_speaks_of_without_naming_it(corpus_engine):
    answer = corpus_engine.ask(
        "Our California drawing app is used by children under 13. What do we need from "
        "their parents first?"
    )
    assert "us-federal/16-cfr-312.md" in {c.source for c in answer.citations}


def test_every_quote_is_verbatim_from_the_index(corpus_engine, corpus_index):
    answer = corpus_engine.ask(
        "Under the GDPR, by when does a controller have to report a personal data breach to the regulator?"
    )
    texts = " ".join(
        p.payload["_node_content"] for p in corpus_index.scroll(fields=["_node_content"])
    )
    texts = json.loads("[" + ",".join(json.dumps(t) for t in [texts]) + "]")[0]
    for c in answer.citations:
        for piece in c.quote.split(" … "):
            assert json.dumps(piece)[1:-1] in texts
    for part in answer.parts:
        for q in re.findall(r"“(.+?)” ?(?:…|\[)", part.text):
            assert json.dumps(q)[1:-1] in texts


def test_out_of_corpus_place_abstains_and_lists_the_closest_sections(corpus_engine):
    answer = corpus_engine.ask("Which breach notice rules apply to our shops in Oregon?")
    assert answer.abstained and not answer.parts
    assert answer.answer.startswith("The indexed regulations don't cover this question for Oregon.")
    assert answer.missing_jurisdictions == ("US-OR",)
    assert answer.citations and "for reference only" in answer.answer


def test_out_of_corpus_topic_abstains(corpus_engine):
    answer = corpus_engine.ask("What are the OSHA requirements for ladders?")
    assert answer.abstained
    assert "don't cover this question" in answer.answer


def test_covered_and_uncovered_jurisdiction(corpus_engine):
    answer = corpus_engine.ask(
        "What are the data breach notification rules in California and Texas?"
    )
    assert "US-CA" in answer.jurisdictions and answer.missing_jurisdictions == ("US-TX",)
    assert "don't cover this question for Texas" in answer.answer


@pytest.mark.parametrize(
    ("question", "citation"),
    [
        ("What does GDPR Art. 33 say?", "GDPR Art. 33"),
        ("Explain 45 CFR 164.404", "45 C.F.R. § 164.404"),
        ("Section 3A of chapter 93H", "Mass. Gen. Laws ch. 93H, § 3A"),
        ("What does Cal. Civ. Code § 1798.82 require?", "Cal. Civ. Code § 1798.82"),
    ],
)
def test_named_section_is_fetched_directly(corpus_engine, question, citation):
    answer = corpus_engine.ask(question)
    assert list(dict.fromkeys(c.citation for c in answer.citations)) == [citation]


def test_explicit_jurisdictions_override_detection(corpus_engine):
    answer = corpus_engine.ask("What are the breach notification rules?", jurisdictions=["MA"])
    assert answer.jurisdictions == ("US-MA",) or set(answer.jurisdictions) <= {"US-MA", "US"}
    assert "US-MA" in answer.jurisdictions


def test_question_without_jurisdiction_reports_where_sources_came_from(corpus_engine):
    answer = corpus_engine.ask(
        "In which cases is an impact assessment of high-risk processing mandatory?"
    )
    assert answer.jurisdictions and set(answer.jurisdictions) == {
        c.jurisdiction for c in answer.citations
    }
    assert answer.jurisdiction_names["EU"] == "European Union"


def test_follow_up_uses_the_thread(corpus_engine):
    first = corpus_engine.ask(
        "What must a company do after a security breach affecting California residents?"
    )
    follow = corpus_engine.ask(
        "what about Massachusetts?",
        history=[Turn(first.question, first.answer, first.jurisdictions)],
    )
    assert "US-MA" in follow.jurisdictions
    assert any(c.citation.startswith("Mass. Gen. Laws ch. 93H, § 3") for c in follow.citations)


@pytest.mark.parametrize(
    ("question", "phrase"),
    [("", "Please type a question"), ("hi", "Hello"), ("x" * 2500, "2,500 characters"),
     ("What's the weather like today?", "I can only answer questions about the regulations")],
)  # fmt: skip
def test_bad_questions_get_a_polite_reply(corpus_engine, question, phrase):
    with pytest.raises(BadQuestion) as caught:
        corpus_engine.ask(question)
    assert phrase in user_message(caught.value)


def test_empty_index_says_so(tmp_path, embedding):
    from bot.engine.core import Engine
    from bot.engine.writers.extractive import ExtractiveWriter
    from tests.fixtures.index import open_index

    index = open_index(tmp_path / "empty", embedding)
    engine = Engine(index=index, writer=ExtractiveWriter())
    with pytest.raises(ServiceUnavailable) as caught:
        engine.ask("What are the CCPA deletion rules?")
    assert "run the ingestion again" in user_message(caught.value)
    index.close()


def test_qdrant_going_away_is_a_service_error(tmp_path, embedding):
    from bot.engine.core import Engine
    from bot.engine.writers.extractive import ExtractiveWriter
    from ingestion.pipeline import ingest
    from tests.fixtures.index import CORPUS, open_index

    index = open_index(tmp_path / "gone", embedding)
    ingest(index, [CORPUS / "us-ma"])
    engine = Engine(index=index, writer=ExtractiveWriter())
    assert engine.ask("What must a company do after a breach in Massachusetts?").citations
    index.close()
    with pytest.raises(ServiceUnavailable) as caught:
        engine.ask("What must a company do after a breach in Massachusetts?")
    assert user_message(caught.value).startswith("Sorry — I couldn't reach the regulation index")


# Regression guard: the figures reached on the dev2 questions (see docs/retrieval.md); dev2 is
# a proxy for unseen questions, so these are floors with a margin, not targets.
DEV2_FLOORS = {"recall": 0.72, "precision": 0.44, "declines": 0.95, "pinpoint": 0.69}
DEV2_CEILINGS = {"false_not_covered": 0.03}
# dev (tuned on long ago) must keep its recall while dev2 moves
DEV_FLOORS = {"recall": 0.94, "precision": 0.50, "declines": 0.95}
SHORT_ANSWER_ON_TARGET = 0.72  # the extractive short answer quotes or cites an expected section


def test_eval_regression_guard(corpus_engine):
    notes = parse_notes(DEV2_NOTES.read_text())
    summary = evaluate(corpus_engine, read_questions(DEV2_SET), notes).summary()
    for key, floor in DEV2_FLOORS.items():
        assert summary[key] >= floor, (key, summary)
    for key, ceiling in DEV2_CEILINGS.items():
        assert summary[key] <= ceiling, (key, summary)
    on_target = summary["by_writer"]["extractive"]["short_answer_on_target"]
    assert on_target >= SHORT_ANSWER_ON_TARGET, summary["by_writer"]


def test_eval_regression_guard_on_dev(corpus_engine):
    summary = evaluate(corpus_engine, read_questions(DEV2_SET.with_name("dev.jsonl"))).summary()
    for key, floor in DEV_FLOORS.items():
        assert summary[key] >= floor, (key, summary)


def test_a_named_section_off_the_question_s_topic_is_cited_with_the_closest_ones(corpus_engine):
    answer = corpus_engine.ask(
        "Under HIPAA 164.404, what must our notice of privacy practices contain?"
    )
    cited = [c.section for c in answer.citations]
    assert "§ 164.404" in cited[-1] or cited[-1].endswith("164.404")
    assert any(s.endswith("164.520") for s in cited[:-1])
    assert "which the question names, may not be the provision" in answer.answer


def test_a_definitional_question_leads_with_the_definition(corpus_engine):
    answer = corpus_engine.ask("What does 'controller' mean under the Virginia privacy law?")
    assert answer.citations[0].section.endswith("59.1-575")


def test_a_state_crowded_out_of_its_search_by_federal_law_is_searched_alone(tmp_path, embedding):
    """A state's search shares its candidates with federal law; when every candidate is
    federal, the state gets a search of its own instead of being reported "not covered"."""
    from bot.engine.core import Engine
    from bot.engine.writers.extractive import ExtractiveWriter
    from ingestion.pipeline import ingest
    from tests.fixtures.index import CORPUS, open_index

    index = open_index(tmp_path / "crowded", embedding)
    ingest(index, [CORPUS / "us-ma", CORPUS / "us-federal" / "45-cfr-164.md"])
    engine = Engine(index=index, writer=ExtractiveWriter(), candidates=2)
    question = (
        "A covered entity's breach of unsecured protected health information of individuals "
        "in Massachusetts: what notification is required?"
    )
    found = engine.retrieve(question)
    crowded = found.scores[0].picks
    assert crowded and all(p.jurisdiction == "US" for p in crowded)  # the situation tested
    answer = engine.ask(question)
    assert "US-MA" not in answer.missing_jurisdictions
    assert any(c.jurisdiction == "US-MA" for c in answer.citations)
    index.close()
