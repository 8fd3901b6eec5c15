"""Who is a party: places named only as where something happened, counts of people, what was
said, events, and the words around a name that are not the name, in every language with lists."""

from __future__ import annotations

import pytest

from newsfacts.reading.lexicon import lexicon
from newsfacts.reading.parties import PartyBook, bare_name, drop_places, keep_actors, not_a_name
from newsfacts.reading.places import only_a_place
from newsfacts.reading.trace import Trace
from schemas.contract import Casualty, Claim, Denial, Party, Quote


@pytest.mark.parametrize(
    ("lang", "text", "name", "place"),
    [
        (
            "en",
            "Shelling in Makiivka killed two. Rescuers reached the town of Makiivka at dawn.",
            "Makiivka",
            True,
        ),
        ("en", "Strikes hit near the border city of Kobani, the monitor said.", "Kobani", True),
        ("en", "Two died in Ethiopia's Amhara region, officials said.", "Ethiopia", True),
        ("en", "He visited the capital of Tigray region, Ethiopia, on Monday.", "Ethiopia", True),
        ("en", "The Gondar city government sent a team.", "Gondar", True),
        ("en", "Russia said the rocket attack on Makiivka killed 89.", "Makiivka", True),
        ("en", "Ukraine denied the report. The strike in Ukraine killed two.", "Ukraine", False),
        ("en", "The army of Nigeria said it fired blanks.", "Nigeria", False),
        ("en", "Kobani said nothing.", "Kobani", False),
        ("es", "Un ataque en el departamento del Putumayo dejó tres muertos.", "Putumayo", True),
        ("es", "Hubo capturas en Puerto Leguízamo (Putumayo), dijo el Ejército.", "Putumayo", True),
        ("es", "El presidente de Colombia anunció la operación.", "Colombia", False),
        ("es", "Madrid | 24.11.2017 13:08\nUn atentado dejó 305 muertos.", "Madrid", True),
        ("fr", "Le raid a eu lieu dans le district de Haska Mina, selon le gouverneur.", "Haska Mina", True),
        ("fr", "Le Togo a rejeté le rapport.", "Togo", False),
        # a sentence or a line ends before the name: the walk back over capitals stops there
        (
            "fr",
            "Les opérations sont terminées au Burkina. Clément Sawadogo a parlé.",
            "Clément Sawadogo",
            False,
        ),
        ("en", "Fighting went on in northern Mali\nAmadou Traore said two died.", "Amadou Traore", False),
        ("en", "The blast hit the U.S. Embassy in Kabul.", "Kabul", True),
        (
            "de",
            "Der italienische Botschafter in Bangladesch bestätigte den Tod von sieben Italienern.",
            "Bangladesch",
            True,
        ),
        ("de", "Dhaka (Bangladesch) – Nacht des Terrors.", "Bangladesch", True),
        ("pt", "Foram mortas no centro de Mianmar na semana passada.", "Mianmar", True),
        ("pt", "O governo de Mianmar negou as acusações.", "Mianmar", False),
        ("it", "Milano, 16 set. (askanews) - Il bilancio è salito a dieci morti.", "Milano", True),
        ("it", "Milano ha chiesto lo stato di emergenza.", "Milano", False),
        ("ru", "В Белгороде погибли два человека. Дроны атаковали окраины Белгорода.", "Белгород", True),
        ("ru", "Белгород объявил траур.", "Белгород", False),
        ("uk", "У Сумській області пролунали вибухи.", "Сумська область", True),
        ("uk", "Росія заявила про удар по Краматорську.", "Краматорськ", True),
        ("uk", "Україна спростувала заяву.", "Україна", False),
        # A name the article never uses as written is not judged; a language without lists is not judged.
        ("en", "Strikes in the north killed two.", "Gaza", False),
        ("ar", "قتل شخصان في غزة.", "غزة", True),
        ("ar", "وقالت حماس إن شخصين قتلا في غزة.", "حماس", False),
        ("tr", "Gazze'de iki kişi öldü.", "Gazze", False),  # no word lists: nothing to judge by
    ],
)
def test_a_name_used_only_for_where_is_a_place(lang: str, text: str, name: str, place: bool) -> None:
    assert only_a_place(name, text, lexicon(lang)) is place


@pytest.mark.parametrize(
    ("lang", "name", "bare"),
    [
        ("fr", "Le ministère de l'Intérieur dans un", "ministère de l'Intérieur"),
        # the "of" of the phrase the name was cut from; a capitalised one is the name's own
        ("es", "del ministerio de Salud del enclave palestino", "ministerio de Salud del enclave palestino"),
        ("pt", "da Defensoria Pública", "Defensoria Pública"),
        ("en", "of the Interior Ministry", "Interior Ministry"),
        ("pt", "Da Silva Group", "Da Silva Group"),
        ("fr", "Les forces américaines", "forces américaines"),
        ("fr", "Le Monde", "Le Monde"),
        ("fr", "L'armée", "armée"),
        ("fr", "l'EI", "l'EI"),
        ("es", "El Ejército", "Ejército"),
        ("es", "El País", "El País"),
        ("es", "La Concordia", "La Concordia"),
        ("pt", "O Exército", "Exército"),
        ("it", "La polizia di Stato", "polizia di Stato"),
        ("de", "Die Polizei", "Polizei"),
        ("de", "Der Spiegel", "Der Spiegel"),
        ("ru", "В минобороны ДНР", "минобороны ДНР"),
        ("uk", "У Міноборони РФ", "Міноборони РФ"),
        ("en", "Armed Forces of the", "Armed Forces"),
        ("en", "Kyiv", "Kyiv"),
        # English drops "the" before a body only: "the official" stays as the article writes it.
        ("en", "the Armenian Defense Ministry", "Armenian Defense Ministry"),
        ("en", "The Guardian", "The Guardian"),
        ("en", "the official", "the official"),
        # a news agency before a person's name is whom it was told ("cuenta a Efe José Homero")
        ("es", "Efe José Homero", "José Homero"),
        ("en", "Reuters Ivan Petrov", "Ivan Petrov"),
        ("en", "Reuters Institute", "Reuters Institute"),
        ("en", "AP Photo", "AP Photo"),
    ],
)
def test_the_words_around_a_name_are_not_the_name(lang: str, name: str, bare: str) -> None:
    assert bare_name(name, lexicon(lang)) == bare


@pytest.mark.parametrize(
    ("lang", "name", "refused"),
    [
        ("de", "20 Geiseln", True),
        ("ru", "143 человека", True),
        ("ru", "31 получает помощь амбулаторно", True),
        ("en", "81 Military Intelligence Brigade", False),
        ("en", "4th Infantry Division", False),
        ("fr", "allégations contenues dans ce rapport insultant", True),
        ("en", "claims of a massacre", True),
        ("en", "wild rumours spread on social media", True),  # what was said, behind an adjective
        ("ar", "وكالة الأنباء السورية الرسمية", False),  # "news agency": a body whose name holds "the news"
        ("en", "Reporters Without Borders", False),
        ("es", "versión de los hechos", True),
        ("en", "the shelling", True),
        ("es", "ataque aéreo", True),
        ("en", "Rocket Forces", False),
        (
            "ru",
            "подозреваемые в совершении теракта собирались перейти границу и имели контакты на другой стороне",
            True,
        ),
        ("fr", "Regroupement des jeunes africains pour la démocratie et le développement", False),
        ("en", "Amnesty International", False),
        # a headline's clause: a verb of saying or denying inside, with its object after it
        ("de", "Ministerium dementiert höhere Opfer-Zahlen", True),
        ("en", "the army says fighters crossed", True),
        ("en", "EU member states of the south", False),
        ("en", "Gulf states", False),
        ("en", "United States", False),
    ],
)
def test_what_no_party_is_called(lang: str, name: str, refused: bool) -> None:
    assert not_a_name(name, lexicon(lang)) is refused


def test_a_count_or_a_clause_the_model_lists_is_not_added() -> None:
    text = "Ein Militärsprecher bestätigte den Tod von 20 Geiseln. Die Polizei sperrte das Viertel."
    book = PartyBook(text=text, lex=lexicon("de"))
    assert book.add("20 Geiseln") is None
    party = book.add("Die Polizei", "government_body")
    assert party is not None and party.name == "Polizei"


def _quote(text: str, needle: str) -> Quote:
    at = text.index(needle)
    return Quote(text=needle, start=at, end=at + len(needle))


def test_a_place_is_dropped_with_every_reference_to_it() -> None:
    text = (
        "KRAMATORSK, Ukraine (AFP) — Russia said its strike in Makiivka killed 89 soldiers.\n"
        "Ukraine denied the claim. Officials in Makiivka counted two dead."
    )
    lex = lexicon("en")
    book = PartyBook(text=text, lex=lex, parties=[
        Party(name="Russia", type="state"), Party(name="Ukraine", type="state"),
        Party(name="Makiivka", type="other"), Party(name="KRAMATORSK", type="other"),
        Party(name="Makiivka officials", type="official", affiliation="Makiivka"),
    ])  # fmt: skip
    figure = Casualty(kind="killed", count=2, min=2, max=2, approximate=False, victims="unspecified", location=None,
                      reported_by="Makiivka", caused_by="Russia", quote=_quote(text, "counted two dead"))  # fmt: skip
    claims = [
        Claim(claimant="Makiivka", statement="two dead", target=None, quote=None),
        Claim(claimant="Russia", statement="89 killed", target="Makiivka", quote=None),
    ]
    denials = [Denial(denier="Ukraine", denied="the claim", responds_to="Makiivka", quote=None)]
    claims, denials = drop_places(book, [figure], claims, denials, Trace())
    assert [p.name for p in book.parties] == ["Russia", "Ukraine", "Makiivka officials"]
    assert book.parties[-1].affiliation is None
    assert (figure.reported_by, figure.caused_by) == (None, "Russia")
    assert [(c.claimant, c.target) for c in claims] == [("Russia", None)]
    assert [(d.denier, d.responds_to) for d in denials] == [("Ukraine", None)]


def test_a_place_inside_another_partys_name_is_still_only_a_place() -> None:
    text = "LAGOS, Nigeria (AP) — Nigeria's army has said its troops fired blanks in Lagos."
    book = PartyBook(text=text, lex=lexicon("en"), parties=[
        Party(name="Nigeria", type="state"), Party(name="Nigeria's army", type="military"), Party(name="LAGOS", type="other"),
    ])  # fmt: skip
    drop_places(book, [], [], [], Trace())
    assert [p.name for p in book.parties] == ["Nigeria's army"]


def test_a_word_for_a_kind_of_place_does_not_make_a_name_a_body() -> None:
    text = (
        "The death toll in Mexico City rose to 93, and 69 died in Morelos state. "
        "The Mexico City Council met on Thursday."
    )
    book = PartyBook(text=text, lex=lexicon("en"), parties=[
        Party(name="Mexico City", type="other"), Party(name="Morelos state", type="other"),
        Party(name="Mexico City Council", type="other"),
    ])  # fmt: skip
    drop_places(book, [], [], [], Trace())
    assert [p.name for p in book.parties] == ["Mexico City Council"]


@pytest.mark.parametrize(
    ("lang", "sentence", "speaker"),
    [
        # A name in apposition after an opening clause, not only at the sentence's start.
        (
            "en",
            "Earlier Sunday, Pavlo Kyrylenko, the head of the regional administration, said two buildings burned.",
            "Pavlo Kyrylenko",
        ),
        (
            "es",
            "Por la tarde, María Gómez, portavoz de la alcaldía, dijo que no hubo heridos.",
            "María Gómez",
        ),
        # A titled name of up to six words, a relative or participle clause between the commas, a
        # live blog's time stamp before it.
        (
            "en",
            "Defence Minister Colonel General Radan Vesk, who visited the front line on Thursday, said: "
            '"We will respond."',
            "Defence Minister Colonel General Radan Vesk",
        ),
        (
            "en",
            "11:15 - Transport Minister Pavel Dvorak, speaking on his way to the scene, said it was too early.",
            "Transport Minister Pavel Dvorak",
        ),
        # Nested attribution: the source is the one quoted last.
        (
            "en",
            "CNN reported hospital official Sehrab Khan said seven people died.",
            "hospital official Sehrab Khan",
        ),
        ("en", "State television reported Governor Ada Brenn said the fire was out.", "Governor Ada Brenn"),
        # Inverted order: whom it was said to comes before the speaker; a dash closes direct speech.
        (
            "es",
            "“Dispararon contra la población”, cuenta a Efe José Homero, presidente de la organización.",
            "José Homero",
        ),
        ("pt", "“Não houve feridos”, disse ao Globo Ana Souza, porta-voz da polícia.", "Ana Souza"),
        (
            "uk",
            "– Це нісенітниця, — заявив речник Східного угруповання ЗСУ Сергій Череватий у відповідь на заяву.",
            "речник Східного угруповання ЗСУ Сергій Череватий",
        ),
        (
            "ru",
            "– Это ложь, — заявил представитель МВД Иван Петров в ответ на вопрос журналистов.",
            "представитель МВД Иван Петров",
        ),
        # A time word before a titled speaker is not part of the speaker.
        (
            "ru",
            "Ранее спикер СНБО Андрей Лысенко сообщил, что колонна попала под обстрел.",
            "спикер СНБО Андрей Лысенко",
        ),
        ("uk", "Раніше речник ОВА Олег Коваль повідомив, що загиблих немає.", "речник ОВА Олег Коваль"),
        # Bodies speak in the neuter in Russian and Ukrainian.
        ("ru", "Минобороны России заявило, что сбило два беспилотника.", "Минобороны России"),
        ("uk", "Міноборони України повідомило, що удар був відбитий.", "Міноборони України"),
        # The perfect and the pluperfect: an auxiliary before the verb of saying.
        ("es", "El gobernador de Guaviare, Fabio Acevedo, había dicho que eran 25.", "Fabio Acevedo"),
        ("en", "The governor, Fabio Acevedo, had said 25 were missing.", "Fabio Acevedo"),
        ("it", "Il sindaco Marco Rossi aveva detto che i morti erano due.", "sindaco Marco Rossi"),
        ("pt", "O governador Paulo Lima tinha dito que 25 morreram.", "O governador Paulo Lima"),
        # Arabic, with no capitals: verb, subject, then the "that" of what was said
        ("ar", "وقال المالكى إن قوات التحالف تنسق مع حلفائها", "المالكى"),
        ("ar", "وأكد حزب الله أن المقاومة لا علاقة لها بالحادث", "حزب الله"),
        ("ar", 'وقال حزب الله، السبت، إنه "ينفي بشدة" إطلاق قذائف', "حزب الله"),  # a time set off by commas
    ],
)
def test_speakers_in_more_of_the_ways_news_names_them(lang: str, sentence: str, speaker: str) -> None:
    from newsfacts.reading.speakers import speaker_in

    assert speaker_in(sentence, lexicon(lang)) == speaker


@pytest.mark.parametrize(
    ("lang", "sentence", "claimant"),
    [
        (
            "en",
            "In their statement, Tigrayan forces called for an independent investigation.",
            "Tigrayan forces",
        ),
        (
            "en",
            "Meanwhile the Ministry of Defense denied civilian casualties in a statement.",
            "the Ministry of Defense",
        ),
        (
            "en",
            "The Chinese military maintains normal combat readiness on the border.",
            "The Chinese military",
        ),
        (
            "pt",
            "Moradores do Complexo do Alemão denunciam um ataque desmesurado.",
            "Moradores do Complexo do Alemão",
        ),
        ("it", "Lo Stato Islamico ha rivendicato l'attentato.", "Stato Islamico"),
        # an article opens the name where the words after it are none ("sedicente" is lowercase), and
        # a short form in brackets is no delimiter: it comes back with the name
        (
            "it",
            "Il sedicente Stato Islamico (Daesh) ha rivendicato l'attentato.",
            "Il sedicente Stato Islamico (Daesh)",
        ),
        ("es", "El Gobierno acusó a los rebeldes del ataque.", "Gobierno"),
        ("ru", "Между тем в МВД Грузии опровергли информацию.", "МВД Грузии"),
        # a verb of saying names the speaker first; an opening phrase is no one
        ("en", "The army accused the rebels of the attack, a spokesman said.", "a spokesman"),
        ("en", "In response, it denied the report.", None),
    ],
)
def test_the_subject_of_a_verb_that_makes_a_claim_is_its_claimant(
    lang: str, sentence: str, claimant: str | None
) -> None:
    """With no verb of saying, the subject of a verb that makes a claim speaks for claims; it does
    not become the source of a figure (``speaker_in`` without ``claims``)."""
    from newsfacts.reading.speakers import speaker_in

    lex = lexicon(lang)
    assert speaker_in(sentence, lex, claims=True) == claimant
    if claimant != "a spokesman":
        assert speaker_in(sentence, lex) is None


@pytest.mark.parametrize(
    "sentence",
    [
        "وقال إنه لم يصب أحد",  # a pronoun in the verb: no subject between it and "that"
        "وقال في بيان إن الهجوم أسفر عن مقتل 12 شخصا",  # where it was said, not who
        "وقال مسؤولون في المدينة والسكان المحليون إن الهجوم وقع ليلا",  # more words than a name
    ],
)
def test_an_arabic_report_with_no_subject_before_that_names_no_speaker(sentence: str) -> None:
    from newsfacts.reading.speakers import speaker_in

    assert speaker_in(sentence, lexicon("ar")) is None


@pytest.mark.parametrize(
    ("lang", "name", "split"),
    [
        ("uk", "Східного угруповання ЗСУ Сергій Череватий", ("Сергій Череватий", "Східного угруповання ЗСУ")),
        (
            "en",
            "National Civil Defense Coordinator Luis Felipe Puente",
            ("Luis Felipe Puente", "National Civil Defense Coordinator"),
        ),
        ("en", "Ministry of Foreign Affairs", None),
        ("en", "UN Security Council", None),
        ("en", "Bangladesh Red Crescent Society", None),
        ("en", "US Central Command", None),
        # a preposition before the last words: a place, not a person named with a title
        ("pt", "Delegação do Ministério do Interior na Lunda Norte", None),
        ("it", "Prefettura di Roma nella Città Metropolitana", None),
        ("de", "Polizeipräsidium am Rhein Erft", None),
        # Arabic: the title's last noun takes the article, the name that follows does not
        ("ar", "المتحدث باسم الجيش أرى شاليكار", ("أرى شاليكار", "المتحدث باسم الجيش")),
        ("ar", "مدير المرصد رامي عبد الرحمن", ("رامي عبد الرحمن", "مدير المرصد")),
        ("ar", "وزير الخارجية الإيراني محمد جواد ظريف", ("محمد جواد ظريف", "وزير الخارجية الإيراني")),
        ("ar", "الدكتور عبد الإله العزى", ("عبد الإله العزى", None)),
        ("ar", "المرصد السوري لحقوق الانسان", None),
        ("ar", "قوات التحالف العربى", None),
        ("ar", "وزير الخارجية في حكومة الوحدة", None),
    ],
)
def test_the_body_a_person_speaks_for_stands_for_a_title(
    lang: str, name: str, split: tuple[str, str] | None
) -> None:
    from newsfacts.reading.names import split_title

    assert split_title(name, lexicon(lang)) == split


def test_quoted_speakers_of_a_listed_body_are_parties_of_their_own() -> None:
    from newsfacts.reading.sentences import split_sentences
    from newsfacts.reading.speakers import add_quoted_speakers

    text = "Moro Islamic Liberation Front spokesman Eid Kabalu said the rebels were attacked first."
    lex = lexicon("en")
    book = PartyBook(
        text=text, lex=lex, parties=[Party(name="Moro Islamic Liberation Front", type="armed_group")]
    )
    add_quoted_speakers(split_sentences(text, lex), book)
    assert [p.name for p in book.parties] == ["Moro Islamic Liberation Front", "Eid Kabalu"]


def test_a_title_listed_alone_is_the_person_named_with_it() -> None:
    from newsfacts.reading.parties import merge_titles

    text = "National Civil Defense Coordinator Luis Felipe Puente said 230 died. National Civil Defense sent teams."
    book = PartyBook(text=text, lex=lexicon("en"), parties=[
        Party(name="National Civil Defense Coordinator", type="government_body"),
        Party(name="National Civil Defense", type="government_body"),
    ])  # fmt: skip
    assert book.resolve("National Civil Defense Coordinator Luis Felipe Puente") == "Luis Felipe Puente"
    merge_titles(book, Trace())
    names = {p.name: p.aliases for p in book.parties}
    assert set(names) == {"Luis Felipe Puente", "National Civil Defense"}
    assert "National Civil Defense Coordinator" in names["Luis Felipe Puente"]


@pytest.mark.parametrize(
    ("lang", "text", "listed", "mention", "name"),
    [
        # The model put together a name the article never writes; a denial named the party as written.
        ("en", "Gunmen stormed a hotel in Mali's capital. The army denied the reports.", "Mali army", "The army",
         "The army"),
        ("es", "El Ejército negó las acusaciones en Colombia.", "Ejército colombiano", "Ejército", "Ejército"),
        # A name the article writes keeps it, whatever the other answers called it.
        ("en", "The Malian army denied the reports. The army said nothing more.", "Malian army", "The army",
         "Malian army"),
        # No written name for it: the listed one stays.
        ("en", "Gunmen stormed a hotel in Mali's capital, and army posts fell. Soldiers denied the reports.",
         "Mali army", "Mali army", "Mali army"),
        # Arabic: the article the model put on a construct noun the text writes without it
        ("ar", "نفت قوات التحالف العربى استهداف منزل في صعدة.", "القوات التحالف العربى", "القوات التحالف العربى",
         "قوات التحالف العربى"),
    ],
)  # fmt: skip
def test_a_party_takes_the_name_the_article_writes(lang: str, text: str, listed: str, mention: str,
                                                   name: str) -> None:  # fmt: skip
    from newsfacts.reading.parties import written_names

    book = PartyBook(text=text, lex=lexicon(lang))
    trace = Trace()
    party = book.add(listed)
    assert party is not None
    denier = book.resolve(mention)
    assert denier == listed
    quote = Quote(text=text[:10], start=0, end=10)
    denial = Denial(denier=denier, denied="the reports", responds_to=None, quote=quote)
    casualty = Casualty(kind="killed", count=2, min=2, max=2, approximate=False, victims="unspecified",
                        location=None, reported_by=denier, caused_by=None, quote=quote)  # fmt: skip
    written_names(book, [casualty], [], [denial], trace)
    assert party.name == name
    assert denial.denier == casualty.reported_by == name
    if name != listed:
        assert listed in party.aliases


def test_the_parties_are_the_actors_of_the_facts() -> None:
    """A listed name that no figure, claim or denial names is not passed on, and the trace says why."""
    from schemas.extraction import DenialItem, FigureItem
    from tests.helpers import read_answers

    text = (
        "Police said the blast killed 12 people in the Karvala market. "
        "Doctors at Karvala Hospital treated the wounded through the night. "
        "The National Liberation Front denied that it had planted the bomb."
    )
    reading = read_answers(
        text,
        parties=["Police", "National Liberation Front", "Karvala Hospital"],
        figures=[FigureItem(figure="killed 12 people", kind="killed", reported_by="Police", caused_by=None)],
        denials=[
            DenialItem(
                sentence=3,
                denier="National Liberation Front",
                denied="planting the bomb",
                responds_to="Police",
            )
        ],
    )
    assert [p.name for p in reading.parties] == ["Police", "National Liberation Front"]
    dropped = [t for t in reading.trace if t.field == "parties" and t.proposed == "Karvala Hospital"]
    assert [(t.outcome, t.rules[-1]) for t in dropped] == [("dropped", "in_no_figure_claim_or_denial")]


@pytest.mark.parametrize(
    ("lang", "text", "person", "kept"),
    [
        (
            "en",
            "Officials said Information Minister Mian Iftikhar Hussain was not home.",
            "Mian Iftikhar Hussain",
            True,
        ),
        (
            "pt",
            "O Presidente brasileiro, Jair Bolsonaro, já reagiu ao acontecimento.",
            "Jair Bolsonaro",
            True,
        ),
        (
            "pt",
            "O coronel Rogério Lobasso, responsável da polícia militar, rejeitou responsabilidades.",
            "Rogério Lobasso",
            True,
        ),
        (
            "es",
            "El general Freddy Padilla de León, comandante de las fuerzas militares, confió en el rescate.",
            "Freddy Padilla de León",
            True,
        ),
        (
            "ru",
            "Глава Министерства здравоохранения РФ Михаил Мурашко взял под контроль помощь.",
            "Михаил Мурашко",
            True,
        ),
        # a photo credit, a byline or a name with no post is no official
        ("ru", "Фото: Павел Головкин / Associated Press", "Павел Головкин", False),
        ("en", "Muhammad Arif Sheva holds a B.A degree in Journalism.", "Muhammad Arif Sheva", False),
        ("en", "Fans cheered as Declan Shaw, who scored twice, left the pitch.", "Declan Shaw", False),
    ],
)
def test_a_person_the_article_names_with_a_post_is_an_actor(
    lang: str, text: str, person: str, kept: bool
) -> None:
    """An official the article presents with a title or a post is a party even when no figure,
    claim or denial names them; a name with no post (a photo credit, an author) is not."""
    book = PartyBook(text=text, lex=lexicon(lang))
    book.parties = [Party(name=person, type="other")]
    keep_actors(book, [], [], [], Trace())
    assert [p.name for p in book.parties] == ([person] if kept else [])


def test_an_actor_keeps_the_party_it_speaks_for_and_its_spokesperson() -> None:
    book = PartyBook(text="x", lex=lexicon("en"))
    book.parties = [
        Party(name="Velmoran Defence Ministry", type="government_body", affiliation="Velmoran"),
        Party(name="Velmoran", type="state"),
        Party(name="Ministry spokeswoman", type="official", affiliation="Velmoran Defence Ministry"),
        Party(name="Harbour Fire Service", type="organization"),
    ]
    claim = Claim(claimant="Velmoran Defence Ministry", statement="s", target=None, quote=None)
    keep_actors(book, [], [claim], [], Trace())
    assert [p.name for p in book.parties] == ["Velmoran Defence Ministry", "Velmoran", "Ministry spokeswoman"]


def test_a_place_named_only_in_a_slashed_dateline_reports_nothing() -> None:
    from schemas.extraction import FigureItem
    from tests.helpers import read_answers

    text = "GAZA/TEL AVIV (dpa-AFX) - Ten people were killed in strikes on Beit Lahia.\n\nThe army called the report false."
    reading = read_answers(
        text,
        figures=[
            FigureItem(
                figure="Ten people were killed", kind="killed", reported_by="GAZA/TEL AVIV", caused_by=None
            )
        ],
    )
    assert [(c.count, c.reported_by) for c in reading.casualties] == [(10, None)]


@pytest.mark.parametrize(
    ("lang", "text", "name", "resolved"),
    [
        (
            "en",
            "Two were wounded despite the Russian-brokered ceasefire.",
            "Russian-brokered ceasefire",
            None,
        ),
        ("en", "Both sides broke the truce. Five died.", "the truce", None),
        ("en", "The war in Ukraine has displaced millions.", "the war in Ukraine", None),
        (
            "en",
            "The International Crisis Group counted 40 dead.",
            "International Crisis Group",
            "International Crisis Group",
        ),
        (
            "en",
            "The Ceasefire Monitoring Commission said four died.",
            "Ceasefire Monitoring Commission",
            "Ceasefire Monitoring Commission",
        ),
        ("en", "Armenian rocket strike killed 12.", "Armenian rocket strike", None),
        ("en", "Officer John Deal said two were hurt.", "John Deal", "John Deal"),
        ("es", "La tregua se rompió y murieron cinco.", "la tregua", None),
        ("fr", "Le cessez-le-feu n'a pas tenu : cinq morts.", "cessez-le-feu", None),
        ("de", "Trotz der Waffenruhe starben fünf Menschen.", "Waffenruhe", None),
        ("pt", "O conflito deixou cinco mortos.", "O conflito", None),
        ("ru", "Несмотря на перемирие, погибли пять человек.", "перемирие", None),
        ("ar", "قتل خمسة رغم الهدنة.", "الهدنة", None),
    ],
)
def test_a_truce_a_war_or_talks_is_no_party(lang: str, text: str, name: str, resolved: str | None) -> None:
    book = PartyBook(text=text, lex=lexicon(lang))
    assert book.resolve(name) == resolved


@pytest.mark.parametrize(
    ("lang", "text", "name", "resolved"),
    [
        # a document named before its issuer is the issuer; a document alone is no one
        ("es", "Según reportes de autoridades federales y locales, hay 42 muertos.",
         "reportes de autoridades federales y locales", "autoridades federales y locales"),
        ("en", "Reports from the ministry said three died.", "Reports from the ministry", "the ministry"),
        ("es", "Un comunicado del Ejército dijo que hubo tres muertos.", "comunicado del Ejército", "Ejército"),
        ("en", "The army said in a statement that 30 died.", "statement", None),
        ("en", "The army said in a statement that 30 died.", "a statement", None),
        # a wire dateline that opened the subject's sentence is not part of the name
        ("fr", "LE CAIRE (Reuters) - L'armée égyptienne a démenti avoir tiré.", "LE CAIRE (Reuters) - L'armée égyptienne",
         "armée égyptienne"),
        # a document after its issuer's possessive is the issuer
        ("en", "The department's statement said one man had been killed.", "The department's statement",
         "The department"),
        # a name that opens with such a word stays
        ("en", "The Reporters Committee said three died.", "Reporters Committee", "Reporters Committee"),
    ],
)  # fmt: skip
def test_a_document_stands_for_its_issuer(lang: str, text: str, name: str, resolved: str | None) -> None:
    book = PartyBook(text=text, lex=lexicon(lang))
    assert book.resolve(name) == resolved


@pytest.mark.parametrize(
    ("lang", "text", "title", "person"),
    [
        ("en", "The governor Oleksandr Hrytsenko said two died.", "governor", "Oleksandr Hrytsenko"),
        # the title's own "of" phrase, then the name in apposition
        ("es", "Lo informó el ministro de Defensa, Juan Manuel Santos, en Bogotá. El ministro dijo que hubo dos muertos.",
         "ministro", "Juan Manuel Santos"),
        ("en", "The minister of the interior, Katrin Vogler, spoke. Later the minister said three died.",
         "minister", "Katrin Vogler"),
        # a later use names the person when the first does not
        ("fr", "Le ministre a parlé. Selon le ministre Clément Sawadogo, il y a eu 16 morts.", "ministre",
         "Clément Sawadogo"),
        ("en", "The minister of the interior, who spoke, said three died.", "minister", None),
        # an elided article in the "of" phrase, and a rank of the person's own in the apposition
        ("it", "Il portavoce dell'Esercito libico, il maggiore Mohamed Hegazy, ha detto che sono morti in 64. "
               "Il portavoce ha negato.", "portavoce", "Mohamed Hegazy"),
        ("fr", "Le porte-parole de l'armée, le colonel Jean Dupont, a parlé.", "porte-parole", "Jean Dupont"),
        ("en", "The spokesman of the army, Major Ali Khan, said two died.", "spokesman", "Ali Khan"),
    ],
)  # fmt: skip
def test_a_bare_title_is_the_person_the_article_names_with_it(lang, text, title, person) -> None:
    assert PartyBook(text=text, lex=lexicon(lang)).person_behind(title) == person


@pytest.mark.parametrize(
    ("lang", "parties", "merged"),
    [
        ("fr", ["l'EI", "Etat islamique"], {"Etat islamique": ["l'EI"]}),
        (
            "en",
            ["ISWAP", "Islamic State West Africa Province"],
            {"Islamic State West Africa Province": ["ISWAP"]},
        ),
        ("en", ["the UN", "United Nations"], {"United Nations": ["the UN"]}),
        ("ru", ["МВД", "Министерство внутренних дел"], {"Министерство внутренних дел": ["МВД"]}),
        # initials that spell another acronym, or letters that are no one's initials, merge nothing
        ("en", ["IS", "ISIS"], {"IS": [], "ISIS": []}),
        ("en", ["UN", "United States"], {"UN": [], "United States": []}),
    ],
)
def test_an_acronym_is_the_party_whose_words_it_abbreviates(
    lang: str, parties: list[str], merged: dict
) -> None:
    from newsfacts.reading.parties import merge_acronyms

    book = PartyBook(
        text=" ".join(parties), lex=lexicon(lang), parties=[Party(name=n, type="other") for n in parties]
    )
    claims = [Claim(claimant=n, statement="s", target=parties[0], quote=None) for n in parties]
    denials = [Denial(denier=parties[0], denied="d", responds_to=parties[-1], quote=None)]
    merge_acronyms(book, [], claims, denials, Trace())
    assert {p.name: p.aliases for p in book.parties} == merged
    # every entry names a party by its name
    names = {p.name for p in book.parties}
    assert {c.claimant for c in claims} | {c.target for c in claims} <= names
    assert {d.denier for d in denials} | {d.responds_to for d in denials} <= names


@pytest.mark.parametrize(
    ("lang", "text", "parties", "merged"),
    [
        (
            "en",
            "Al Qaeda-linked group Jama'at Nusrat al-Islam wal-Muslimin (JNIM) claimed the attack.",
            ["JNIM", "Jama'at Nusrat al-Islam wal-Muslimin"],
            {"Jama'at Nusrat al-Islam wal-Muslimin": ["JNIM"]},
        ),
        (
            "ar",
            "قتل عشرة عمال، وفق ما أعلنت وكالة الأنباء السورية الرسمية (سانا) الجمعة.",
            ["سانا", "وكالة الأنباء السورية الرسمية"],
            {"وكالة الأنباء السورية الرسمية": ["سانا"]},
        ),
        # without the brackets in the text, a word that is no one's initials merges nothing
        (
            "en",
            "JNIM claimed the attack. Jama'at Nusrat al-Islam wal-Muslimin is active in the north.",
            ["JNIM", "Jama'at Nusrat al-Islam wal-Muslimin"],
            {"JNIM": [], "Jama'at Nusrat al-Islam wal-Muslimin": []},
        ),
    ],
)
def test_a_short_form_the_text_gives_in_brackets_is_the_party_it_follows(
    lang: str, text: str, parties: list[str], merged: dict
) -> None:
    from newsfacts.reading.parties import merge_acronyms

    book = PartyBook(text=text, lex=lexicon(lang), parties=[Party(name=n, type="other") for n in parties])
    claims = [Claim(claimant=parties[0], statement="s", target=None, quote=None)]
    merge_acronyms(book, [], claims, [], Trace())
    assert {p.name: p.aliases for p in book.parties} == merged
    assert claims[0].claimant in merged


@pytest.mark.parametrize(
    ("lang", "text", "listed", "expected"),
    [
        (
            "en",
            "Ismatullah Muradi, spokesman for the Kunduz Governor, told Khaama Press the airstrikes hit the village.",
            [],
            ("Ismatullah Muradi", "official", "spokesman for the Kunduz Governor"),
        ),
        # a person the model listed untyped takes the post the article gives them
        (
            "en",
            "Zabiullah Mujahid, the Taliban spokesman, claimed all 23 killed are civilians.",
            ["Zabiullah Mujahid"],
            ("Zabiullah Mujahid", "official", "Taliban spokesman"),
        ),
        (
            "es",
            "Julio Pérez, portavoz del Ejército, dijo que dos soldados murieron.",
            [],
            ("Julio Pérez", "official", "portavoz del Ejército"),
        ),
    ],
)
def test_a_person_quoted_with_a_post_in_apposition_is_an_official(lang, text, listed, expected) -> None:
    from newsfacts.reading.sentences import split_sentences
    from newsfacts.reading.speakers import add_quoted_speakers

    lex = lexicon(lang)
    book = PartyBook(text=text, lex=lex, parties=[Party(name=n, type="other") for n in listed])
    add_quoted_speakers(split_sentences(text, lex), book)
    assert [(p.name, p.type, p.role) for p in book.parties] == [expected]


@pytest.mark.parametrize(
    ("lang", "text", "name", "resolved"),
    [
        # an event named first: its actor is the one it is "of"; where it happened or whom it hit is no one
        ("it", "L'attentato a Kabul ha ucciso 40 persone.", "L'attentato a Kabul", None),
        ("es", "El ataque contra la mezquita mató a 40 personas.", "Ataque contra la mezquita", None),
        ("es", "El ataque del Ejército mató a 40 personas.", "El ataque del Ejército", "Ejército"),
        # a name that starts with an event word is a name
        ("en", "Strike Force Command said 40 people died.", "Strike Force Command", "Strike Force Command"),
    ],
)
def test_an_event_named_first_is_its_actor_or_no_one(
    lang: str, text: str, name: str, resolved: str | None
) -> None:
    book = PartyBook(text=text, lex=lexicon(lang))
    assert book.resolve(name) == resolved


def test_an_article_before_a_spokesperson_names_no_body() -> None:
    book = PartyBook(text="El portavoz dijo que 73 personas murieron.", lex=lexicon("es"))
    book.resolve("El portavoz")
    assert "El" not in [p.name for p in book.parties]


@pytest.mark.parametrize(
    ("text", "name", "resolved"),
    [
        # officials qualified by a demonym are the party: "Pakistani" is no body they speak for
        ("Pakistani officials said seven people died.", "Pakistani officials", "Pakistani officials"),
        # a body's spokesperson speaks for the body
        ("The Armenian Defense Ministry spokeswoman said.", "Armenian Defense Ministry spokeswoman",
         "Armenian Defense Ministry"),
    ],
)  # fmt: skip
def test_a_spokesperson_speaks_for_a_body_only_where_one_is_named(
    text: str, name: str, resolved: str
) -> None:
    book = PartyBook(text=text, lex=lexicon("en"))
    assert book.resolve(name) == resolved


def test_officials_do_not_speak_for_a_person_whose_title_holds_their_demonym() -> None:
    text = (
        "Pakistani officials said seven people died. Pakistani Interior Minister Rehman Malik was in Pabbi."
    )
    book = PartyBook(text=text, lex=lexicon("en"))
    book.add("Pakistani Interior Minister Rehman Malik")
    assert [p.name for p in book.parties] == ["Rehman Malik"]
    assert book.resolve("Pakistani officials") == "Pakistani officials"


@pytest.mark.parametrize(
    ("lang", "listed", "reference"),
    [
        ("fr", "armée égyptienne", "L'armée"),
        ("es", "Policía Nacional", "la Policía"),
        ("it", "esercito libico", "l'esercito"),
        ("de", "Polizei Köln", "Die Polizei"),
    ],
)
def test_a_reference_with_its_article_is_the_listed_party_named_by_the_rest(lang, listed, reference) -> None:
    text = f"{listed} a parlé. {reference} a parlé."
    book = PartyBook(text=text, lex=lexicon(lang))
    book.add(listed)
    assert book.resolve(reference) == listed
    assert [p.name for p in book.parties] == [listed]


def test_a_party_renamed_as_the_article_writes_it_joins_a_party_of_that_name() -> None:
    from newsfacts.reading.parties import written_names
    from newsfacts.reading.trace import Trace
    from schemas.contract import Party

    text = "وأعلنت لجنة الأطباء المركزية في بيان لها أن عدد القتلى 3."
    listed = [Party(name="اللجنة الأطباء المركزية", type="government_body"),
              Party(name="لجنة الأطباء المركزية", type="government_body")]  # fmt: skip
    book = PartyBook(text=text, lex=lexicon("ar"), parties=listed)
    written_names(book, [], [], [], Trace())
    assert [p.name for p in book.parties] == ["لجنة الأطباء المركزية"]
    assert "اللجنة الأطباء المركزية" in book.parties[0].aliases
