import pytest

from bot.engine.jurisdictions import detect


@pytest.mark.parametrize(
    ("question", "codes"),
    [("Who is our lead authority if we are based in Dublin?", ("EU",)),
     ("May we read German employees' work e-mail?", ("EU",)),
     ("Does a WISP apply to a Mass. landscaping firm?", ("US-MA",)),
     ("Virgina rules on sensitive data", ("US-VA",)),
     ("Our clinic in Worcester lost a laptop", ("US-MA",)),
     ("We have a small London office", ("GB",)),
     ("Indian employees' records", ("IN",)),
     ("a mass email campaign", ()),
     ("we polish the draft", ())],
)  # fmt: skip
def test_cities_demonyms_and_typos(question, codes):
    assert detect(question) == codes
