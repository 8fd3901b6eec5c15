"""Claims: what a sentence says in its own words, and the attributed sentences the model left out."""

from __future__ import annotations

import pytest

from newsfacts.reading.claims import statement_of
from newsfacts.reading.lexicon import lexicon
from schemas.extraction import ClaimItem, DenialItem
from tests.helpers import read_answers


@pytest.mark.parametrize(
    ("lang", "sentence", "statement"),
    [
        # The attribution closes the sentence: what was said is before it.
        ("en", "Shelling killed 14 people overnight, the governor said on Tuesday.",
         "Shelling killed 14 people overnight"),
        ("en", "Nine soldiers were still missing on Tuesday evening, the army said in a statement.",
         "Nine soldiers were still missing on Tuesday evening"),
        ("es", "Las lluvias dejaron 14 muertos en la región, informó el Gobierno el lunes.",
         "Las lluvias dejaron 14 muertos en la región"),
        # What was said follows the verb: the sentence stays whole, not cut down to the speaker.
        ("en", "Earlier Sunday, Pavlo Kyrylenko, the head of the regional administration, said Russian forces "
               "had launched seven rocket attacks on the city.",
         "Earlier Sunday, Pavlo Kyrylenko, the head of the regional administration, said Russian forces had "
         "launched seven rocket attacks on the city."),
        ("en", "Dr. Hauwa Musa, medical director of the hospital, told reporters that 17 bodies had been brought in.",
         "Dr. Hauwa Musa, medical director of the hospital, told reporters that 17 bodies had been brought in."),
        ("es", "Pero ante la pregunta, el presidente aseguró que las diez víctimas estaban armadas.",
         "Pero ante la pregunta, el presidente aseguró que las diez víctimas estaban armadas."),
    ],
)  # fmt: skip
def test_a_statement_keeps_what_was_said(lang: str, sentence: str, statement: str) -> None:
    assert statement_of(sentence, lexicon(lang)) == statement


ARTICLE = (
    "The interior ministry said floods had cut off 40 villages in the north. "
    "Deutsche Bahn says the line between the two cities will remain closed until Monday. "
    "The ministry denied that the warnings had come too late. "
    "A resident said the water rose within minutes. "
    "Deutsche Bahn says the line between the two cities will remain closed until Monday. "
    "Forecasters said more rain was coming. "
    "Rescue crews worked through the night."
)


def _read(parties: list[str], claims: list[ClaimItem], denials: list[DenialItem] | None = None):
    return read_answers(ARTICLE, parties=parties, claims=claims, denials=denials or [])


def test_attributed_sentences_the_model_left_out_are_claims() -> None:
    reading = _read(
        ["interior ministry", "Deutsche Bahn"],
        [ClaimItem(sentence=1, claimant="interior ministry", target=None)],
        [
            DenialItem(
                sentence=3, denier="interior ministry", denied="the warnings came too late", responds_to=None
            )
        ],
    )
    said = [(c.claimant, c.quote.text if c.quote else None) for c in reading.claims]
    assert said == [
        ("interior ministry", "The interior ministry said floods had cut off 40 villages in the north."),
        (
            "Deutsche Bahn",
            "Deutsche Bahn says the line between the two cities will remain closed until Monday.",
        ),
    ]
    # the repeated update is one claim; the denial is the denial's; the resident is no party
    added = [t for t in reading.trace if t.field == "claims" and t.outcome == "added"]
    assert [t.rules for t in added] == [["attributed_sentence_in_the_text"]]
    assert [d.denier for d in reading.denials] == ["interior ministry"]


def test_a_speaker_who_is_no_party_adds_no_claim_and_no_party() -> None:
    # The grammar finds "Forecasters" as the speaker of a sentence, but no one listed them.
    reading = _read(["interior ministry"], [])
    assert "Forecasters" not in [c.claimant for c in reading.claims]
    assert "Forecasters" not in [p.name for p in reading.parties]
    assert "interior ministry" in [c.claimant for c in reading.claims]


def test_the_headline_adds_no_claim_of_its_own() -> None:
    text = "Floods cut off 40 villages, ministry says\nThe interior ministry said floods had cut off 40 villages."
    reading = read_answers(text, parties=["interior ministry"])
    assert [c.quote.text if c.quote else None for c in reading.claims] == [
        "The interior ministry said floods had cut off 40 villages."
    ]


def test_the_person_who_speaks_for_a_body_makes_the_claim() -> None:
    text = "Police spokesman Mark Hale said the officers had acted lawfully."
    reading = read_answers(
        text, parties=["Police"], claims=[ClaimItem(sentence=1, claimant="Police", target=None)]
    )
    assert [c.claimant for c in reading.claims] == ["Mark Hale"]


@pytest.mark.parametrize(
    ("lang", "text", "speaker", "said", "claimant"),
    [
        ("ru", "Число погибших в Белгородской области увеличилось до семи. Об этом сообщает ТАСС.", "ТАСС",
         "Число погибших в Белгородской области увеличилось до семи.", "ТАСС"),
        ("uk", "ЗСУ не обстрілювали ринок у Донецьку. Про це йдеться в повідомленні прес-центру Сил оборони.",
         "Сил оборони", "ЗСУ не обстрілювали ринок у Донецьку.", "Сили оборони"),  # named in the nominative
        ("es", "Al menos cuatro militares murieron en el Guaviare. Así lo informó hoy en Bogotá el ministro de "
               "Defensa, Juan Manuel Santos.", "Juan Manuel Santos",
         "Al menos cuatro militares murieron en el Guaviare.", "Juan Manuel Santos"),
        ("de", "Bei dem Brand starben zwei Menschen. Das teilte die Polizei am Freitag mit.", "Polizei",
         "Bei dem Brand starben zwei Menschen.", "Polizei"),
        ("it", "Gli studenti rapiti sono trenta. Lo ha riferito all'Afp un portavoce della polizia, Gambo Isah.",
         "Gambo Isah", "Gli studenti rapiti sono trenta.", "Gambo Isah"),
        # a cleft whose infinitive is the verb of saying
        ("it", "Gli studenti rapiti sono trenta. A darne notizia è stato un portavoce della polizia, Gambo Isah.",
         "Gambo Isah", "Gli studenti rapiti sono trenta.", "Gambo Isah"),
    ],
)  # fmt: skip
def test_a_sentence_pointing_back_says_who_said_the_one_before(
    lang: str, text: str, speaker: str, said: str, claimant: str
) -> None:
    """ "… 7 killed. Об этом сообщает ТАСС.": the claim is the sentence before, the speaker's, whether
    the model left it out or gave the pointing sentence."""
    for claims in ([], [ClaimItem(sentence=2, claimant=speaker, target=None)]):
        reading = read_answers(text, lang, parties=[speaker], claims=claims)
        assert [(c.claimant, c.quote.text if c.quote else None) for c in reading.claims] == [(claimant, said)]


@pytest.mark.parametrize(
    ("lang", "text", "figure", "speaker"),
    [
        ("ru", "Число погибших увеличилось до 7. Об этом сообщает ТАСС.", "7", "ТАСС"),
        (
            "de",
            "Bei dem Brand starben 2 Menschen. Das teilte die Polizei am Freitag mit.",
            "2 Menschen",
            "Polizei",
        ),
        (
            "it",
            "Nell'incendio sono morte 2 persone. A renderlo noto è stata la Prefettura.",
            "2 persone",
            "Prefettura",
        ),
        ("pt", "Duas pessoas morreram no incêndio. A informação é do Corpo de Bombeiros.", "Duas pessoas",
         "Corpo de Bombeiros"),
        ("en", "Two people died in the fire. That's according to the Fire Department.", "Two people",
         "Fire Department"),
    ],
)  # fmt: skip
def test_a_figure_is_reported_by_whom_the_sentence_after_names(
    lang: str, text: str, figure: str, speaker: str
) -> None:
    from schemas.extraction import FigureItem

    item = FigureItem(figure=figure, kind="killed", reported_by=None, caused_by=None)
    reading = read_answers(text, lang, parties=[speaker], figures=[item])
    assert [c.reported_by for c in reading.casualties] == [speaker]


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        # the sentence before names its own speaker: the pointing one names who passed it on
        ("ru", "Губернатор заявил, что погибли семь человек. Об этом сообщает ТАСС."),
        # a pronoun speaks: no one is named after the verb
        ("ru", "Погибли семь человек. Об этом он сообщил в Facebook, пишет УНН."),
        # "Das Ministerium sagte": the subject comes first, nothing points back
        ("de", "Zwei Menschen starben. Das Ministerium sagte, es gebe keine weiteren Opfer."),
    ],
)
def test_a_sentence_that_does_not_point_back_gives_the_one_before_no_speaker(lang: str, text: str) -> None:
    reading = read_answers(text, lang, parties=["ТАСС", "УНН", "Ministerium"])
    first = text.split(". ")[0] + "."
    assert [
        c for c in reading.claims if c.quote and c.quote.text == first and c.claimant != "Губернатор"
    ] == []


@pytest.mark.parametrize(
    ("lang", "text", "speaker", "reporter"),
    [
        # Portuguese "A" is the definite article: "A polícia diz" names the police
        (
            "pt",
            "A polícia diz que os manifestantes causaram ferimentos a dois oficiais, tendo sido mortas quatro "
            "pessoas e outras cinco ficado feridas.",
            "polícia",
            "polícia",
        ),
        # an indefinite speaker is no one in particular, in each language's own words
        ("pt", "Um policial disse que cinco pessoas ficaram feridas.", "policial", None),
    ],
)
def test_an_indefinite_speaker_is_the_languages_own(
    lang: str, text: str, speaker: str, reporter: str | None
) -> None:
    from schemas.extraction import FigureItem

    item = FigureItem(figure="cinco pessoas", kind="injured", reported_by=None, caused_by=None)
    reading = read_answers(text, lang, parties=[speaker], figures=[item])
    assert {c.reported_by for c in reading.casualties} == {reporter}
