from newsfacts.reading import outlet as _outlet
from newsfacts.reading.lexicon import lexicon
from newsfacts.reading.trace import Trace


def find_outlet(text, **kw):
    return _outlet.find_outlet(text, lex=lexicon("en"), trace=Trace(), **kw)


def headline(text, title):
    return _outlet.headline(text, title, lexicon("en"))


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


def test_a_source_line_that_names_only_agencies_names_no_outlet():
    assert outlet("Flood kills two.\nMore text here.\nSource: agencies") is None
    ar = "قتل شخصان في الفيضان.\nوقالت الشرطة إن الأمطار مستمرة.\nالمصدر: وكالات"
    found = _outlet.find_outlet(ar, lex=lexicon("ar"), trace=Trace(), requested=None, url=None, title=None,
                                model_name=None, model_section=None)  # fmt: skip
    assert found is None


def test_masthead_line_names_outlet_and_section():
    text = (
        "Minister denies taking bribes\n\nCapital Observer | Politics | By Lena Marsh\n\n"
        "The minister denied the report first published by The Ledger Project.\n"
        "The Ledger Project said it stood by its reporting."
    )
    o = outlet(text, model="The Ledger Project")
    assert (o.name, o.section) == ("Capital Observer", "Politics")


def test_a_source_speaking_in_the_last_line_is_not_the_originator():
    text = "Minister denies taking bribes\n\nThe minister denied it.\nThe Ledger Project said it stood by its reporting."
    assert outlet(text, model="The Ledger Project") is None


def test_dateline_with_day_before_month_and_any_agency():
    text = "Border clash\n\nDORVAL, 12 June (VSNA) — Units repelled an attack.\n\n© Velmoran State News Agency (VSNA)"
    assert outlet(text).name in ("VSNA", "Velmoran State News Agency")


def test_byline_block_names_the_paper():
    text = "Rally turns tense\n\nBy Marcus Webb\nStaff Writer, The Riverton Ledger\n\nProtesters gathered on Monday."
    assert outlet(text).name == "The Riverton Ledger"


def test_live_blog_and_by_mastheads():
    live = "War live: toll revised\n\nThe Meridian — Live\nLast updated 18:05\n\n17:30 — Welcome to our coverage."
    assert outlet(live).name == "The Meridian"
    by = "Plant to close\n\nMidlands Business Post | By Amira Haddad, Industry Correspondent\n\nJobs will go."
    assert outlet(by).name == "Midlands Business Post"


def test_press_release_issuer():
    text = "FOR IMMEDIATE RELEASE\n\nHalvorsen Chemicals statement on ammonia release\n\nA leak occurred."
    assert outlet(text).name == "Halvorsen Chemicals"
    text = "NEWS RELEASE\nIndependent Police Complaints Authority (IPCA)\n3 April\n\nAn investigation began."
    assert outlet(text).name == "Independent Police Complaints Authority"


def test_a_source_line_beats_the_reposting_site():
    text = (
        "GlobalWire Digest - World - Reposted 2 hours ago by the GlobalWire editors\n\nFerry capsizes\n\n"
        "DHAKA — A ferry capsized.\n\nSource: AFP\n\nGlobalWire Digest aggregates stories."
    )
    assert outlet(text, model="GlobalWire").name == "AFP"
    # "Source link" (a share footer) names no one; a report "first published by" someone is a source.
    assert outlet("Flood kills two in the north — RT\n\nText.\n\nSource link").name == "RT"


def test_a_copyright_line_names_the_outlet_without_its_marks():
    from newsfacts.reading.outlet import _is_source_line

    lines = {
        ("it", "© Copyright LaPresse - Riproduzione Riservata"): "LaPresse",
        ("en", "© 2024 Meridian Wire | All rights reserved"): "Meridian Wire",
        ("fr", "© Agence Nord - Tous droits réservés"): "Agence Nord",
        ("en", "Copyright 2024 The Times"): "The Times",
        ("it", "© Riproduzione riservata"): None,
    }
    for (lang, line), name in lines.items():
        assert _is_source_line(line, lexicon(lang)) == name, line


def test_an_agency_line_under_the_headline_names_the_outlet():
    body = "\n".join(f"Paragraph {i} of the story, in which officials said more." for i in range(12))
    assert outlet(f"Government denies mass graves\n\nAngop\n\n{body}").name == "Angop"
    # a line that is no agency's name is not taken for one
    assert outlet(f"Government denies mass graves\n\nPolitics\n\n{body}") is None
