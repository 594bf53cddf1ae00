import pytest

from bot.engine.thesaurus import expand


@pytest.mark.parametrize(
    ("question", "added"),
    [("How do I let people unsubscribe from our emails?", "opt-out request"),
     ("Can a customer sue us?", "civil action"),
     ("What must our vendor contract say?", "service provider processor contractor"),
     ("What is the deadline?", "days time period")],
)  # fmt: skip
def test_expand_adds_statutory_words(question, added):
    expanded = expand(question)
    assert expanded.startswith(question) and added in expanded


def test_expand_leaves_plain_questions_alone():
    assert expand("What is personal information?") == "What is personal information?"


@pytest.mark.parametrize(
    ("question", "added"),
    [("Is a DPIA needed for this?", "data protection impact assessment"),
     ("Our BA lost a laptop", "business associate"),
     ("Do our BAAs cover this?", "business associate agreement"),
     ("Which SCCs apply?", "standard contractual clauses"),
     ("Must we honor GPC?", "opt-out preference signal"),
     ("Who can be our DPO?", "data protection officer"),
     ("the right to delete", "erasure")],
)  # fmt: skip
def test_expand_spells_out_acronyms_of_the_field(question, added):
    expanded = expand(question)
    assert expanded.startswith(question) and added in expanded


@pytest.mark.parametrize("question", ["what is a ba?", "the dpo of the BAND", "PIANO lessons"])
def test_acronyms_match_only_as_written_and_as_whole_words(question):
    assert expand(question) == question


def _added(question: str) -> str:
    expanded = expand(question)
    assert expanded.startswith(question)
    return expanded[len(question) :]


@pytest.mark.parametrize(
    ("question", "added"),
    [("Our clinic got a records request", "health care provider"),
     ("Can the hospitals share this?", "health care providers"),
     ("A patient asked for a copy", "individual"),
     ("Who keeps the medical records?", "protected health information designated record set"),
     ("Do we have to tell the credit bureaus?", "consumer reporting agencies"),
     ("Do we call Equifax?", "consumer reporting agency"),
     ("We fired a manager yesterday", "terminated employees"),
     ("We let go of three people", "terminated employees"),
     ("Our vendor hosts the files", "maintains"),
     ("A cloud company is hosting our data", "maintains"),
     ("How long can we keep customer data?", "retain retention period"),
     ("We store logs - for how long is that allowed?", "retain retention period"),
     ("Can we hang on to old résumés?", "retain retention"),
     ("Do we have to shred old files?", "dispose destroy"),
     ("A laptop was stolen", "unauthorized acquisition"),
     ("We were hit by ransomware", "cybersecurity event"),
     ("Can we show targeted ads?", "targeted advertising"),
     ("Is anonymized data covered?", "deidentified"),
     ("Do apps for teens need consent?", "minors"),
     ("Is 2FA required?", "multi-factor authentication"),
     ("Can we collect GPS data?", "precise geolocation")],
)  # fmt: skip
def test_expand_reads_everyday_words_as_terms_of_art(question, added):
    assert added in _added(question)


@pytest.mark.parametrize(
    ("question", "absent"),
    [("Does this apply to a clinical trial?", "health care provider"),  # not "clinic"
     ("We run a doctoral program", "health care provider"),
     ("A hostile takeover of the company", "maintains"),
     ("Our firewall logs", "terminated"),
     ("Keep it secure: what safeguards?", "retention"),  # keep, but not for how long
     ("How long do we have to notify? We keep the logs.", "retention"),  # another sentence
     ("Where do we send the addresses?", "advertising"),  # "ads" inside a word
     ("Is a warning label enough?", "notify"),
     ("Patients' rights under the CCPA", "health care provider"),
     ("Do we need permission to email them?", "authorization")],
)  # fmt: skip
def test_expand_has_no_false_friends(question, absent):
    assert absent not in _added(question)
