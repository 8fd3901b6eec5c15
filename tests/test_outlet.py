from newsfacts.outlet import find_outlet, headline


def outlet(text, model=None, requested=None):
    return find_outlet(text, requested=requested, url=None, title=None, model_name=model, model_section=None)


def test_title_suffix_with_section():
    text = "Something happened today — RT Russia & Former Soviet Union\n\nBody."
    o = outlet(text, model="RT")
    assert (o.name, o.section) == ("RT", "Russia & Former Soviet Union")
    assert headline(text, None) == "Something happened today"


def test_dateline_names_the_agency():
    text = "KYIV, March 3 (Reuters) - Shelling killed four people, officials said."
    assert outlet(text).name == "Reuters"


def test_agency_cited_as_source_is_not_the_outlet():
    text = "Four people were killed, according to the Associated Press.\nOfficials said more may have died."
    assert outlet(text, model="Associated Press") is None


def test_request_metadata_wins():
    assert outlet("KYIV (Reuters) - text", requested="Kyiv Independent").name == "Kyiv Independent"


def test_source_line():
    assert outlet("Flood kills two.\nMore text here.\nSource: AFP").name == "AFP"


def test_masthead_line_names_outlet_and_section():
    text = ("Minister denies taking bribes\n\nCapital Observer | Politics | By Lena Marsh\n\n"
            "The minister denied the report first published by The Ledger Project.\n"
            "The Ledger Project said it stood by its reporting.")
    o = outlet(text, model="The Ledger Project")
    assert (o.name, o.section) == ("Capital Observer", "Politics")


def test_a_source_speaking_in_the_last_line_is_not_the_originator():
    text = "Minister denies taking bribes\n\nThe minister denied it.\nThe Ledger Project said it stood by its reporting."
    assert outlet(text, model="The Ledger Project") is None
