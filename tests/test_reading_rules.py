"""Code-side reading of figures: which kind of harm a figure's own words say."""

from __future__ import annotations

import pytest

from newsfacts.reading.casualties import kind_near
from newsfacts.reading.lexicon import lexicon
from newsfacts.reading.numbers import find_quantities
from schemas.extraction import FigureItem
from tests.helpers import read_answers

EN = lexicon("en")


def kind_of(sentence: str, figure: str, proposed: str) -> str | None:
    q = next(q for q in find_quantities(sentence, EN) if figure in sentence[q.start : q.end])
    return kind_near(sentence, q, proposed, EN)[0]


@pytest.mark.parametrize(
    ("sentence", "figure", "proposed", "kind"),
    [
        # The verb right before the figure governs it, not a cue later in the sentence.
        (
            "JNIM said its fighters had killed more than 60 soldiers and captured three.",
            "60",
            "killed",
            "killed",
        ),
        (
            "JNIM said its fighters had killed more than 60 soldiers and captured three.",
            "60",
            "captured",
            "killed",
        ),
        (
            "JNIM said its fighters had killed more than 60 soldiers and captured three.",
            "three",
            "killed",
            "captured",
        ),
        ("Suicide bomber kills at least 9 at cattle market; hospital says 17 dead", "9", "injured", "killed"),
        # The noun right after the figure wins over the model's kind.
        ("The morgue received 17 bodies on Monday, the hospital said.", "17", "injured", "killed"),
        (
            "At least 37 people were wounded, including two children, the governor said.",
            "37",
            "injured",
            "injured",
        ),
        ("Nine soldiers were still missing on Tuesday evening.", "Nine", "killed", "missing"),
        # Nothing in the sentence is harm: not a casualty.
        ("The army deployed 1,300 troops to the border.", "1,300", "killed", None),
    ],
)
def test_kind_comes_from_the_figures_own_words(sentence, figure, proposed, kind):
    assert kind_of(sentence, figure, proposed) == kind


@pytest.mark.parametrize(
    ("name", "split"),
    [
        ("Infrastructure Minister Viktor Hollis", ("Viktor Hollis", "Infrastructure Minister")),
        (
            "Kharkiv regional governor Oleksandr Hrytsenko",
            ("Oleksandr Hrytsenko", "Kharkiv regional governor"),
        ),
        ("Dr. Hauwa Musa", ("Hauwa Musa", None)),
        ("Armenian Defense Ministry", None),
        ("Borno state police", None),
        ("President Ilham Aliyev", ("Ilham Aliyev", "President")),
        ("Prime Minister", None),
        ("Director General of the World Health Organization", None),
        ("Chief Inspector of Mines Bwalya Mutale", ("Bwalya Mutale", "Chief Inspector of Mines")),
        # initials written against the surname: one word, the whole name
        ("state police chief O.P.Singh", ("O.P.Singh", "state police chief")),
        ("police chief U.S.Army", None),
    ],
)
def test_split_title(name, split):
    assert split_title(name, EN) == split


def test_a_titled_name_becomes_the_person_with_the_title_as_role():
    text = "Infrastructure Minister Viktor Hollis denied the report. Hollis said it was false."
    book = PartyBook(text=text, lex=EN)
    assert book.resolve("Infrastructure Minister Viktor Hollis") == "Viktor Hollis"
    assert book.resolve("Viktor Hollis") == "Viktor Hollis"
    (party,) = book.parties
    assert (
        party.role == "Infrastructure Minister" and "Infrastructure Minister Viktor Hollis" in party.aliases
    )


# --- explicit denials: the sentence's grammar says who denies what ------------------------------

from newsfacts.reading.denials import explicit_denials  # noqa: E402
from newsfacts.reading.names import split_title  # noqa: E402
from newsfacts.reading.parties import PartyBook  # noqa: E402
from newsfacts.reading.sentences import split_sentences  # noqa: E402
from newsfacts.reading.speakers import speaker_in  # noqa: E402
from schemas.contract import Party  # noqa: E402

DENIALS_TEXT = (
    "The army denied that any soldiers had been captured. "
    "Police spokesman Peter Odanga denied that officers had used live rounds. "
    "It also denied that any aircraft had been lost. "
    "Louw dismissed suggestions that the pitch had been doctored. "
    "The company rejected the offer from its rival. "
    "The minister did not deny that the meeting took place. "
    "He neither confirmed nor denied the report."
)


def test_explicit_denials_name_the_subject_and_what_is_denied() -> None:
    book = PartyBook(
        text=DENIALS_TEXT,
        lex=EN,
        parties=[
            Party(name="Burkina Faso army", type="military"),
            Party(name="Pieter Louw", type="official", aliases=["Louw"]),
        ],
    )
    found = explicit_denials(split_sentences(DENIALS_TEXT, EN), book)
    assert found == {
        1: ("Burkina Faso army", "any soldiers had been captured"),
        2: ("Peter Odanga", "officers had used live rounds"),
        3: ("Peter Odanga", "any aircraft had been lost"),  # "It": the one who denied before
        4: ("Pieter Louw", "suggestions that the pitch had been doctored"),
    }  # rejecting an offer, "did not deny" and "neither confirmed nor denied" are not denials


@pytest.mark.parametrize(
    ("name", "person"),
    [
        ("Zamfara police spokesman Mohammed Sani Bello", "Mohammed Sani Bello"),
        ("regional Gov. Oleh Marchenko", "Oleh Marchenko"),  # the abbreviated title of wire copy
        ("Infrastructure Minister Viktor Hollis", "Viktor Hollis"),
        ("principal Hadiza Umar", "Hadiza Umar"),
        ("Strikers coach Anil Desai", "Anil Desai"),
        ("Dr. Hauwa Musa", "Hauwa Musa"),
        ("Ministry of Defence", None),
    ],
)
def test_titled_names_split_into_the_person(name: str, person: str | None) -> None:
    split = split_title(name, EN)
    assert (split[0] if split else None) == person


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        ("Nine people died, police said.", "police"),
        ("No group has claimed responsibility.", None),
        ("The ministry has said 12 died.", "The ministry"),
        ("The fire spread quickly, which officials said was unusual.", None),
    ],
)
def test_speaker_in(sentence: str, speaker: str | None) -> None:
    assert speaker_in(sentence, EN) == speaker


def test_live_blog_denial_by_titled_surname_is_the_listed_person() -> None:
    text = (
        "07:08 - State Interior Minister Katrin Vogler has given the first figures.\n"
        "07:58 - Interior Minister Vogler has rejected accusations from the opposition that the warning system failed."
    )
    book = PartyBook(text=text, lex=EN, parties=[Party(name="Katrin Vogler", type="official")])
    found = explicit_denials(split_sentences(text, EN), book)
    assert list(found.values()) == [
        ("Katrin Vogler", "accusations from the opposition that the warning system failed")
    ]


def test_a_clause_is_not_a_speaker() -> None:
    assert speaker_in("Meanwhile, the monitor which first reported the raid said 31 people died.", EN) is None


def test_a_document_names_its_issuer() -> None:
    text = "The Velmoran defence ministry said in a statement that 14 soldiers died."
    book = PartyBook(text=text, lex=EN)
    assert book.resolve("Velmoran defence ministry statement") == "Velmoran defence ministry"


def test_a_name_deep_in_a_long_paragraph_is_in_the_article() -> None:
    """Real articles run a paragraph to one line of thousands of characters: a source named past
    the first few hundred is still named, and still resolves to a party."""
    from newsfacts.reading.parties import PartyBook

    filler = "The town's market was busy on Monday morning and traders had set out their stalls. " * 8
    text = f"Blast in market\n\n{filler}At least 10 people were killed, according to Harbour Relief Society, which runs clinics."
    book = PartyBook(text=text, lex=EN)
    assert len(text.splitlines()[-1]) > 600
    assert book.resolve("Harbour Relief Society") == "Harbour Relief Society"
    assert book.named_in("Harbour Relief Society", text.splitlines()[-1])


def test_a_figure_the_headline_repeats_is_read_in_the_body() -> None:
    """The model's words for a figure are not in the article: of the sentences that give its value
    with a casualty word, the body's counts, not the headline's (which gives it without a source)."""
    text = "Floods kill 12 in northern town\nAt least 12 people died when the river burst its banks, police said."
    given = FigureItem(figure="12 dead", kind="killed", reported_by=None, caused_by=None)
    reading = read_answers(text, parties=["police"], figures=[given])
    [figure] = reading.casualties
    assert figure.quote is not None and figure.quote.text.startswith("At least 12 people died")
    assert (figure.count, figure.min, figure.reported_by) == (12, 12, "police")


@pytest.mark.parametrize(
    ("body", "in_body"),
    [
        ("The death toll rose to 12 on Monday, police said.", True),
        # another figure of the same value, or another kind of harm, is not the headline's figure
        ("Police said 12 people were injured.", False),
        ("Police said 14 people had died.", False),
    ],
)
def test_a_figure_copied_from_the_headline_is_read_where_the_body_gives_it(body: str, in_body: bool) -> None:
    copied = FigureItem(figure="kill 12", kind="killed", reported_by=None, caused_by=None)
    reading = read_answers("Floods kill 12 in northern town\n" + body, parties=["police"], figures=[copied])
    figure = next(f for f in reading.casualties if f.count == 12 and f.kind == "killed")
    assert figure.quote is not None and figure.quote.text.startswith(
        body[:10] if in_body else "Floods kill 12"
    )
    assert figure.reported_by == ("police" if in_body else None)


def test_a_figure_of_an_age_is_dropped_as_counting_no_one_and_its_words_are_the_articles() -> None:
    text = "Shelling hit Halkor overnight, where a 62-year-old woman was wounded, the regional governor said."
    reading = read_answers(
        text,
        figures=[
            FigureItem(
                figure="62-year-old woman", kind="injured", reported_by="regional governor", caused_by=None
            )
        ],
    )
    assert [c.count for c in reading.casualties if c.count == 62] == []
    step = next(t for t in reading.trace if t.field == "casualties" and t.proposed and "62" in t.proposed)
    assert (step.outcome, step.rules[-1]) == ("dropped", "figure_counts_no_one")
    assert (reading.grounding.quotes_verified, reading.grounding.quotes_dropped) == (1, 0)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        (
            "en",
            "The Zambara Human Rights Commission said police killed at least 31 people. "
            "Hundreds more were injured, it said.",
        ),
        (
            "ru",
            "Правозащитная комиссия Замбары сообщила, что полиция убила 31 человека. "
            "Еще 200 человек были ранены, сообщила она.",
        ),
    ],
)
def test_a_pronoun_speaks_for_the_speaker_named_just_before(lang, text) -> None:
    reading = read_answers(text, lang)
    injured = [c for c in reading.casualties if c.kind == "injured"]
    assert len(injured) == 1
    assert injured[0].reported_by is not None
    assert "Zambar" in injured[0].reported_by or "Замбар" in injured[0].reported_by
    step = next(
        t
        for t in reading.trace
        if t.field == "casualties" and t.index == reading.casualties.index(injured[0])
    )
    assert "pronoun_speaker_named_before" in step.rules


@pytest.mark.parametrize(
    ("line", "speaker"),
    [
        ("At least 21 killed as jihadists storm Bamako hotel: police", "police"),
        ("Flood toll rises to 40: Interior Minister Selim Arikan", "Interior Minister Selim Arikan"),
        ("Ukraine war: Russia strikes Kyiv", None),  # the second half of a headline, not a source
        ("Rescuers reached the village at dawn: police.", None),  # a sentence with its closing stop
    ],
)
def test_a_headline_names_its_source_after_a_closing_colon(line, speaker) -> None:
    from newsfacts.reading.speakers import speaker_in

    assert speaker_in(line, lexicon("en")) == speaker


def test_a_figure_in_a_headline_takes_the_source_after_its_colon() -> None:
    reading = read_answers(
        "At least 21 killed as gunmen storm Bamako hotel: police\n\nThe siege ended at dawn."
    )
    assert [(c.kind, c.min, c.reported_by) for c in reading.casualties] == [("killed", 21, "police")]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (
            "No one was hurt in the blast, the army said.",
            [("killed", 0, "the army"), ("injured", 0, "the army")],
        ),
        ("Nobody was killed, the governor said.", [("killed", 0, "the governor")]),
        ("No casualties were reported.", []),  # a count of none is a party's word
        ("The ministry gave no casualty figures.", []),  # words about the count
        ("No arrests have been made, police said.", []),  # none captured is no entry
        ("The army denied that no one was hurt.", []),
    ],
)
def test_a_count_of_none_in_so_many_words_is_read_with_the_party_that_gives_it(text, found) -> None:
    reading = read_answers(text)
    assert [(c.kind, c.count, c.reported_by) for c in reading.casualties] == found


def test_a_figure_in_a_clause_of_its_own_takes_that_clauses_speaker() -> None:
    reading = read_answers(
        "Earlier, the Defense Ministry said drones crossed the border, while a Foreign Ministry statement "
        "later alleged the drones hit targets, inflicting no casualties."
    )
    assert {(c.kind, c.count, c.reported_by) for c in reading.casualties} == {
        ("killed", 0, "Foreign Ministry"),
        ("injured", 0, "Foreign Ministry"),
    }
    steps = [t for t in reading.trace if t.field == "casualties"]
    assert all("speaker_of_the_figures_clause" in t.rules for t in steps)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Gunmen shot dead a security guard at the gate, police said.", [("killed", 1, "police")]),
        ("A 34-year-old man died on Tuesday, police said.", [("killed", 1, "police")]),
        ("A man was injured.", []),  # one person with no party that gives it
        ("One of the leaders was captured, the army said.", []),  # not a person's word after "one"
    ],
)
def test_one_person_harmed_is_read_with_the_party_that_gives_it(text, found) -> None:
    assert [(c.kind, c.count, c.reported_by) for c in read_answers(text).casualties] == found


@pytest.mark.parametrize(
    ("lang", "text", "counts"),
    [
        (
            "en",
            "Police said 7 people were killed in the blast. Earlier, police said 5 people were killed.",
            [7],
        ),
        ("ru", "Ранее МЧС сообщало о шести погибших. По данным МЧС, погибли семь человек.", [7]),
    ],
)
def test_a_figure_told_earlier_gives_way_to_the_one_told_without_it(lang, text, counts) -> None:
    reading = read_answers(text, lang)
    assert [c.count for c in reading.casualties if c.kind == "killed"] == counts
    assert any("earlier_figure_superseded" in t.rules for t in reading.trace if t.field == "casualties")


def test_a_live_blogs_time_stamp_is_not_part_of_the_speaker() -> None:
    from newsfacts.reading.speakers import speaker_in

    assert speaker_in("18:47 - Police said the water was still rising.", lexicon("en")) == "Police"


@pytest.mark.parametrize(
    ("lang", "text", "model", "counts"),
    [
        # a figure said not to be: by the model or read by code, it is not passed on
        (
            "fr",
            "Il n'y a jamais eu 100 victimes lors des manifestations, a dit le ministre.",
            "100 victimes",
            [],
        ),
        ("en", "There were never 100 dead, the minister said.", None, []),
        # a negation that belongs to the figure's modifier ("no fewer than", "не менее") is no denial
        ("ru", "Не менее 20 человек погибли, сообщило МЧС.", None, [20]),
        ("es", "No menos de 20 personas murieron, informó la Policía.", None, [20]),
    ],
)
def test_a_figure_said_not_to_be_is_not_a_figure(lang, text, model, counts) -> None:
    figures = [FigureItem(figure=model, kind="killed", reported_by=None, caused_by=None)] if model else []
    reading = read_answers(text, lang, figures=figures)
    assert [c.min for c in reading.casualties] == counts


@pytest.mark.parametrize(
    ("lang", "text", "sources"),
    [
        (
            "en",
            "The health ministry says 31 killed in the crackdown, police say seven died.",
            {31: "health ministry", 7: "police"},
        ),
        (
            "en",
            "The Red Cross said 20 people were killed, while Hamas said 30 died.",
            {20: "Red Cross", 30: "Hamas"},
        ),
        (
            "es",
            "La Fiscalía dijo que 12 personas murieron, mientras la policía dijo que 9 murieron.",
            {12: "Fiscalía", 9: "policía"},
        ),
    ],
)
def test_a_figure_takes_the_speaker_whose_verb_runs_into_it(lang, text, sources) -> None:
    reading = read_answers(text, lang)
    assert {c.count: c.reported_by for c in reading.casualties if c.kind == "killed"} == sources


@pytest.mark.parametrize(
    ("lang", "text", "parties", "found"),
    [
        ("en", "The army denied any civilian deaths, saying 12 militants were killed.", ["army"],
         [("killed", 12, "army")]),
        ("ar", "من جانبه، نفى الدكتور محمد سلطان، رئيس هيئة الإسعاف وقوع أي حالات وفاة، مشيرا إلى سقوط 12 مصابا.",
         ["محمد سلطان"], [("injured", 12, "محمد سلطان")]),
        ("en", "The army denied any civilian deaths, saying 12 militants were killed.", [], [("killed", 12, "The army")]),
    ],
)  # fmt: skip
def test_the_denier_gives_the_figures_of_its_sentence(lang, text, parties, found) -> None:
    reading = read_answers(text, lang, parties=parties)
    assert [(c.kind, c.count, c.reported_by) for c in reading.casualties if c.count] == found


def test_a_clause_opener_without_a_comma_opens_the_speakers_clause() -> None:
    from newsfacts.reading.speakers import speaker_of_the_verb_before

    text = "The death toll rose to 15 though the state police chief confirmed only nine deaths."
    assert speaker_of_the_verb_before(text, text.index("nine"), EN) == "state police chief"


def test_a_figure_given_twice_keeps_the_source_its_sentence_names() -> None:
    text = (
        "Ambassador John Gavin said many more may have died. "
        "Two thousand people died in the quake in the latest count of the interior ministry."
    )
    reading = read_answers(
        text,
        figures=[
            FigureItem(
                figure="Two thousand people died",
                kind="killed",
                reported_by="interior ministry",
                caused_by=None,
            ),
            FigureItem(
                figure="Two thousand people died", kind="killed", reported_by="John Gavin", caused_by=None
            ),
        ],
    )
    assert [(c.count, c.reported_by) for c in reading.casualties] == [(2000, "interior ministry")]
    assert any(
        "source_not_in_the_figures_sentence" in t.rules for t in reading.trace if t.field == "casualties"
    )


@pytest.mark.parametrize(
    ("lang", "text", "parties", "found"),
    [
        # the passive: what stands before the verb was denied, the agent after it denies
        ("en", "The report was swiftly denied by the Defence Ministry on Tuesday.", ["Defence Ministry"],
         [("Defence Ministry", "The report")]),
        ("it", "La notizia è stata smentita dal Viminale in serata.", ["Viminale"], [("Viminale", "La notizia")]),
        # no agent, or one the article does not make a party: no one to name as the denier
        ("it", "Quanto scritto dal quotidiano tedesco Bild è stato smentito nel giro di poche ore.", ["Bild"], []),
        ("en", "The claim was denied by people close to the matter.", [], []),
        # an article is not a denier ("La smentita arriva …": the noun, not the verb)
        ("it", "La smentita arriva da più parti, e la notizia resta senza conferme.", [], []),
        ("en", "The army denied that it fired on protesters.", ["army"], [("army", "it fired on protesters")]),
    ],
)  # fmt: skip
def test_a_passive_denial_is_denied_by_its_agent(lang, text, parties, found) -> None:
    reading = read_answers(text, lang, parties=parties)
    assert [(d.denier.removeprefix("The "), d.denied) for d in reading.denials] == found


@pytest.mark.parametrize(
    ("lang", "text", "proposed", "kind"),
    [
        # the figure's own noun, not the noun it is "of": "cuerpo de seguridad" is no body count
        ("es", "causó múltiples heridas a 25 oficiales del cuerpo de seguridad", "injured", "injured"),
        ("es", "Hallaron 12 cuerpos de mineros", "killed", "killed"),
        ("en", "17 bodies of migrants were found", "killed", "killed"),
    ],
)
def test_the_kind_comes_from_the_figures_own_noun(lang, text, proposed, kind) -> None:
    lex = lexicon(lang)
    q = find_quantities(text, lex)[0]
    assert kind_near(text, q, proposed, lex)[0] == kind


def test_a_conjunction_ends_the_clause_before_a_denier() -> None:
    text = "Veinticuatro personas murieron en los bombardeos, si bien Israel negó haber realizado un nuevo ataque."
    reading = read_answers(text, "es", parties=["Israel"])
    assert [d.denier for d in reading.denials] == ["Israel"]


@pytest.mark.parametrize(
    ("lang", "sentence", "speaker"),
    [
        ("es", "Murieron 24 personas, según el ministerio de Salud de Gaza.", "ministerio de Salud de Gaza"),
        (
            "es",
            "Al menos 40 personas murieron, según un último balance de la Fiscalía Regional.",
            "Fiscalía Regional",
        ),
        # a report "by" its issuer, which the language may write in lowercase
        (
            "es",
            "Dos militares murieron, según un balance actualizado por el ejército este viernes.",
            "ejército",
        ),
        ("en", "Two soldiers died, according to a tally by the health ministry.", "health ministry"),
        ("fr", "Deux soldats sont morts, selon un bilan établi par l'armée.", "l'armée"),
        ("es", "Dos militares murieron, según un balance por la tarde.", None),
    ],
)
def test_a_body_named_with_of_is_the_speaker_whole(lang, sentence, speaker) -> None:
    from newsfacts.reading.speakers import speaker_in

    assert speaker_in(sentence, lexicon(lang)) == speaker


@pytest.mark.parametrize(
    ("text", "parties", "deniers"),
    [
        # a denial given as a noun is its possessor's, without the words that lead into it
        ("Despite Tehran's denial, the United States blamed Iran for the attack.", ["United States", "Iran"],
         ["Tehran"]),
        ("In spite of the army's denial, witnesses said troops fired on the crowd.", ["army"], ["army"]),
        # no possessive: the subject as before
        ("The army issued a denial of the report that it shelled the village.", ["army"], ["army"]),
        ("The denial came late, and no one else spoke.", [], []),
    ],
)  # fmt: skip
def test_a_denial_as_a_noun_is_its_possessors(text, parties, deniers) -> None:
    reading = read_answers(text, "en", parties=parties)
    assert [d.denier for d in reading.denials] == deniers
    assert all("'" not in p.name and "’" not in p.name for p in reading.parties)


@pytest.mark.parametrize(
    ("lang", "text", "parties", "deniers"),
    [
        # an opening word is not who denies when a party is named in the clause
        ("en", "Meanwhile, the Ministry of Defense denied civilian casualties in a statement.",
         ["Ministry of Defense"], ["Ministry of Defense"]),
        ("en", "However, police denied that officers fired on the crowd.", ["police"], ["police"]),
        # nor before a verb that opens its clause, after the Arabic comma
        ("ar", "من جانبه، نفى الجيش المصري إطلاق النار على المتظاهرين.", ["الجيش المصري"], ["الجيش المصري"]),
        # a subject that is a party stays
        ("en", "Russia, which holds the city, denied the report.", ["Russia"], ["Russia"]),
    ],
)  # fmt: skip
def test_an_opening_phrase_is_not_the_denier(lang, text, parties, deniers) -> None:
    reading = read_answers(text, lang, parties=parties)
    assert [d.denier for d in reading.denials] == deniers


def test_the_denial_the_text_states_replaces_the_models_for_the_same_denier_elsewhere() -> None:
    from schemas.extraction import DenialItem

    text = (
        "Security forces were not able to get more details on the victims, the Ministry of Defense said. "
        "Meanwhile, the Ministry of Defense denied civilian casualties in a statement. The Taliban spoke of 23 dead."
    )
    reading = read_answers(
        text,
        parties=["Ministry of Defense", "Taliban"],
        denials=[
            DenialItem(sentence=1, denier="Ministry of Defense", denied="more details", responds_to="Taliban")
        ],
    )
    assert [(d.denier, d.denied, d.quote.start > 0, d.responds_to) for d in reading.denials] == [
        ("Ministry of Defense", "civilian casualties in a statement", True, "Taliban")
    ]
    dropped = [t for t in reading.trace if t.field == "denials" and t.outcome == "dropped"]
    assert [t.rules[-1] for t in dropped] == ["explicit_denial_elsewhere"]
    # in the sentence the text's grammar denies in, the model's denial stays
    reading = read_answers(
        text,
        parties=["Ministry of Defense"],
        denials=[
            DenialItem(sentence=2, denier="Ministry of Defense", denied="civilian deaths", responds_to=None)
        ],
    )
    assert [(d.denier, d.denied) for d in reading.denials] == [("Ministry of Defense", "civilian deaths")]


@pytest.mark.parametrize(
    ("lang", "text", "denier", "echo", "expected"),
    [
        (
            "es",
            "Un bombardeo mató a 73 civiles. El Ejército paquistaní negó que hubiera civiles entre las víctimas.",
            "Ejército paquistaní",
            "the number of the sentence with the denial",
            "hubiera civiles entre las víctimas",
        ),
        (
            "en",
            "A strike killed 12 people. The army denied that it had fired on the village.",
            "army",
            "What is denied",
            "it had fired on the village",
        ),
    ],
)
def test_a_denied_that_copies_the_question_is_read_from_the_sentence(
    lang, text, denier, echo, expected
) -> None:
    """The model sometimes answers `denied` with words of the question itself."""
    from schemas.extraction import DenialItem
    from tests.helpers import read_answers

    reading = read_answers(
        text,
        lang,
        parties=[denier],
        denials=[DenialItem(sentence=2, denier=denier, denied=echo, responds_to=None)],
    )
    assert [d.denied for d in reading.denials] == [expected]


def test_a_denial_verb_followed_by_its_agent_is_passive_however_far_its_auxiliary() -> None:
    from newsfacts.reading.denials import explicit_denials
    from newsfacts.reading.lexicon import lexicon
    from newsfacts.reading.parties import PartyBook
    from newsfacts.reading.sentences import split_sentences
    from schemas.contract import Party

    text = (
        "Reports surface about troop movements on the border, which are hard to verify and generally quickly "
        "denied by the Chinese government."
    )
    lex = lexicon("en")
    book = PartyBook(text=text, lex=lex, parties=[Party(name="Chinese government", type="government_body")])
    found = explicit_denials(split_sentences(text, lex), book)
    assert [denier for denier, _ in found.values()] == ["Chinese government"]


@pytest.mark.parametrize(
    ("lang", "text", "counts"),
    [
        (
            "es",
            "Al menos 73 muertos en un bombardeo.\nEl Gobierno dijo que murieron 73 civiles.\nMás información\n"
            "- Al menos siete muertos en Afganistán\n- Casi medio centenar de muertos en un atentado\n"
            "Los testigos dijeron que 20 personas resultaron heridas.",
            [73, 20],
        ),
        (
            "en",
            "Strike kills 12\nPolice said 12 people were killed.\nRead more:\n- Floods kill 30 in the north\n",
            [12],
        ),
        # list items with no heading over them are the article's own
        ("en", "Strike kills 12\nPolice said:\n- 12 people were killed\n", [12]),
    ],
)
def test_figures_in_a_list_of_links_are_other_articles(lang: str, text: str, counts: list[int]) -> None:
    from tests.helpers import read_answers

    reading = read_answers(text, lang)
    assert sorted({c.count or c.min or 0 for c in reading.casualties}) == sorted(counts)
