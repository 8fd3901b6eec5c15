"""The reading rules in each supported language: numbers, kinds, sentences, outlets, denials.

Every sentence here is made up for the rule it shows; none is taken from the dev set.
"""

from __future__ import annotations

import pytest

from newsfacts.reading import numbers
from newsfacts.reading.casualties import kind_near
from newsfacts.reading.denials import explicit_denials
from newsfacts.reading.language import detect
from newsfacts.reading.lexicon import lexicon, supported_languages
from newsfacts.reading.outlet import find_outlet, headline
from newsfacts.reading.parties import PartyBook
from newsfacts.reading.sentences import split_sentences
from newsfacts.reading.speakers import speaker_in
from newsfacts.reading.trace import Trace
from schemas.contract import Party


def values(lang: str, text: str) -> list[tuple[int | None, int | None, int | None]]:
    return [(q.count, q.min, q.max) for q in numbers.find_quantities(text, lexicon(lang))]


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        # Never merged across a date, a year or a comma.
        ("en", "On March 4 12 people were killed", [(4, 4, 4), (12, 12, 12)]),
        ("en", "In 2023 12 soldiers died", [(2023, 2023, 2023), (12, 12, 12)]),
        ("en", "5, 12 and 40", [(5, 5, 5), (12, 12, 12), (40, 40, 40)]),
        ("fr", "le 4 mars 12 personnes", [(4, 4, 4), (12, 12, 12)]),
        # The contract's quantity table, in each language.
        ("en", "at least five and more than 1,300", [(5, 5, None), (1300, 1301, None)]),
        ("es", "Al menos 17 muertos y más de 2.300 damnificados", [(17, 17, None), (2300, 2301, None)]),
        ("es", "decenas de heridos y tres desaparecidos", [(None, 24, None), (3, 3, 3)]),
        (
            "fr",
            "au moins trois morts, des dizaines de blessés, 12 000 évacués",
            [(3, 3, None), (None, 24, None), (12000, 12000, 12000)],
        ),
        ("fr", "une dizaine de disparus", [(10, 10, 10)]),
        ("de", "mindestens zwölf Tote und Dutzende Verletzte", [(12, 12, None), (None, 24, None)]),
        ("de", "zweiundzwanzig Vermisste", [(22, 22, 22)]),
        ("pt", "pelo menos dois mortos e dezenas de feridos", [(2, 2, None), (None, 24, None)]),
        ("it", "almeno dodici morti, tra 10 e 20 dispersi", [(12, 12, None), (None, 10, 20)]),
        (
            "ru",
            "не менее 12 погибших, двое раненых, десятки пострадавших",
            [(12, 12, None), (2, 2, 2), (None, 24, None)],
        ),
        ("uk", "щонайменше троє загиблих і понад 20 поранених", [(3, 3, None), (20, 21, None)]),
        ("en", "no one was hurt", [(0, 0, 0)]),
        ("es", "nadie resultó herido", [(0, 0, 0)]),
        # A number too long to be a count of people is not a quantity (and never reaches int()).
        ("en", "killed " + "9" * 4400, []),
        # Arabic: number words, and the modifier before or after ("at least" follows the figure).
        ("ar", "قتل عشرة من عمال حقل نفطي وأصيب اثنان آخران", [(10, 10, 10), (2, 2, 2)]),
        ("ar", "مقتل 12 شخصا على الأقل وإصابة نحو 200 آخرين", [(12, 12, None), (200, 200, 200)]),
        # A language without word lists: bare digits only.
        ("tr", "12 kişi öldü", [(12, 12, 12)]),
    ],
)
def test_quantities_in_every_language(lang: str, text: str, expected: list) -> None:
    assert values(lang, text) == expected


@pytest.mark.parametrize(
    ("lang", "sentence", "figure", "proposed", "kind"),
    [
        ("es", "Al menos 17 personas murieron en las inundaciones.", "17", "injured", "killed"),
        ("es", "Otras 64 personas resultaron heridas.", "64", "killed", "injured"),
        ("fr", "Le bilan fait état de trois morts et de 20 blessés.", "20", "killed", "injured"),
        ("de", "Zwei Menschen werden noch vermisst, sagte die Polizei.", "Zwei", "killed", "missing"),
        ("pt", "Pelo menos 30 pessoas foram sequestradas.", "30", "killed", "captured"),
        ("ru", "В результате обстрела погибли 5 мирных жителей.", "5", "injured", "killed"),
        ("it", "Sono 300 gli sfollati dopo la frana.", "300", "killed", "displaced"),
        ("es", "El ejército desplegó 1.300 soldados en la frontera.", "1.300", "killed", None),
        # the harm a figure is "of" names its kind, not the victims' noun after it
        ("de", "Ein Militärsprecher bestätigte den Tod von 20 Geiseln.", "20", "captured", "killed"),
        ("en", "The army confirmed the deaths of 20 hostages.", "20", "captured", "killed"),
        ("es", "La policía confirmó la muerte de 20 rehenes.", "20", "captured", "killed"),
        # Arabic writes "and" as a prefix: "وأصيب" opens the next clause, the verb before the figure counts.
        ("ar", "قتل 10 عمال وأصيب اثنان آخران جراء الهجوم.", "10", "injured", "killed"),
        ("ar", "قتل 10 عمال وأصيب اثنان آخران جراء الهجوم.", "اثنان", "killed", "injured"),
        # verbs of harm as gerunds and in more forms ("uccidendo", "ferendone", "hiriendo", "assassinated")
        (
            "it",
            "L'elicottero ha colpito una scuola uccidendo sette bambini e ferendone tre.",
            "sette",
            "injured",
            "killed",
        ),
        (
            "it",
            "L'elicottero ha colpito una scuola uccidendo sette bambini e ferendone tre.",
            "tre",
            "killed",
            "injured",
        ),
        ("es", "Los atacantes dispararon hiriendo a 12 personas.", "12", "killed", "injured"),
        ("en", "Gunmen assassinated 4 journalists near Kirkuk.", "4", "injured", "killed"),
        # a figure a toll rose to is of that toll, with no casualty noun of its own right after it
        (
            "en",
            "He said the death toll rose to 64 Sunday after missing persons were found dead.",
            "64",
            "missing",
            "killed",
        ),
        ("es", "El saldo subió a 42 personas fallecidas y 27 desaparecidas.", "27", "killed", "missing"),
        # short vowels written over a verb (the passive "قُتلوا", "أُصيب") do not change the word
        ("ar", "قال المكتب إن 12 طفلاً قُتلوا في الهجوم.", "12", "injured", "killed"),
        ("ar", "وأُصيب 44 شخصا في الهجوم.", "44", "killed", "injured"),
        ("ar", "وقُتِلَ 3 جنود وأُصِيبَ 5 آخرون.", "5", "killed", "injured"),
    ],
)
def test_kind_from_the_figures_words_in_every_language(lang, sentence, figure, proposed, kind) -> None:
    lex = lexicon(lang)
    q = next(q for q in numbers.find_quantities(sentence, lex) if figure in q.text)
    assert kind_near(sentence, q, proposed, lex)[0] == kind


def test_a_language_without_lists_keeps_the_models_kind() -> None:
    lex = lexicon("tr")
    q = numbers.find_quantities("12 kişi öldü", lex)[0]
    assert not lex.supported and kind_near("12 kişi öldü", q, "killed", lex) == ("killed", "kind_as_proposed")


@pytest.mark.parametrize(
    ("lang", "text", "n"),
    [
        ("es", "¿Qué pasó? ¡Nadie lo sabe! «Fue terrible», dijo.", 3),
        ("fr", "« C'est un drame », a déclaré le maire. M. Dupont est arrivé.", 2),
        ("de", "„Es ist schlimm“, sagte er. Dr. Müller kam um 5 Uhr.", 2),
        ("ru", "Погибли трое. Об этом сообщил г. Иванов.", 2),
        ("ar", "قتل 12 شخصا. وأصيب آخرون.", 2),
    ],
)
def test_sentences_in_every_language(lang: str, text: str, n: int) -> None:
    assert len(split_sentences(text, lexicon(lang))) == n


@pytest.mark.parametrize(
    ("lang", "sentence", "speaker"),
    [
        (
            "es",
            "Al menos 17 personas murieron, según el Instituto Nacional de Defensa Civil.",
            "Instituto Nacional de Defensa Civil",
        ),
        ("fr", "Trois personnes ont été tuées, a indiqué la préfecture.", "préfecture"),
        # an object pronoun before the verb of an inverted attribution
        ("it", "Due persone sono rimaste ferite a Visso: lo ha detto il capo della Protezione civile.",
         "capo della Protezione civile"),
        ("es", "Dos personas murieron, lo dijo el ministro Juan Pérez.", "ministro Juan Pérez"),
        # an attribution inserted between spaced dashes
        ("it", '"Le fonti andrebbero verificate - aggiunge Stucchi - perché non vi era alcun allarme".', "Stucchi"),
        ("es", '"No hubo víctimas – dijo el ministro – y no las habrá".', "ministro"),
        # an article before a title and a name opens the speaker; alone it is a pronoun
        ("es", "La presidenta Claudia Sheinbaum dijo que se reunió con los gobernadores.",
         "La presidenta Claudia Sheinbaum"),
        ("it", "Il ministro Matteo Piantedosi ha detto che non ci sono vittime.", "ministro Matteo Piantedosi"),
        ("es", "La dijo ayer en la radio.", None),
        # an article before a word for a source is no pronoun either ("la" is both in Spanish)
        ("es", "La policía dijo que murieron tres personas.", "La policía"),
        # a phrase that opens the sentence with no comma is not part of the subject after it
        ("es", "Tras el ataque la policía dijo que murieron tres.", "la policía"),
        ("en", "After the attack the police said three died.", "the police"),
        ("it", "Dopo l'attacco la polizia ha detto che tre sono morti.", "la polizia"),
        ("en", "The head of the police said three died.", "The head of the police"),
        ("en", "Organizers of the protest outside the Cale County Courthouse say 12 were hurt.",
         "Organizers of the protest outside the Cale County Courthouse"),
        # a name with a post in apposition right after the closing quote of what was said
        ('en', '"This is as true as their other claims," Sergiy Cherevaty, spokesman for the eastern group, '
         'told the Suspilne media outlet.', "Sergiy Cherevaty"),
        ("es", "«No hubo víctimas», Julio Pérez, portavoz del Ejército, dijo a los periodistas.", "Julio Pérez"),
        # German capitalises nouns: the speaker after "laut" ends at the first lowercase word
        ("de", "Laut Polizei starben zwei Menschen.", "Polizei"),
        ("de", "Nach Angaben der Polizei wurden drei Menschen verletzt.", "Polizei"),
        ("de", "Laut dem Gesundheitsministerium im Gazastreifen starben zehn Menschen.", "Gesundheitsministerium"),
        ("de", "Drei Menschen wurden nach Darstellung der Feuerwehr verletzt.", "Feuerwehr"),
        ("ru", "По данным МЧС, погибли три человека.", "МЧС"),
        # "по данным", "по словам" govern the genitive: a source noun in any case is a source.
        ("ru", "По данным российских властей, беспилотники ударили по двум машинам.", "российских властей"),
        ("ru", "По словам губернатора, погибли двое.", "губернатора"),
        ("uk", "За даними поліції, загинули троє людей.", "поліції"),
        ("pt", "Dois morreram, segundo a Defesa Civil.", "Defesa Civil"),
        # a split verb of saying, its particle closing the clause a few words on
        ("de", "Die US-Streitkräfte teilten nun dagegen mit, Koalitionstruppen seien beschossen worden.",
         "US-Streitkräfte"),
        ("de", "Die Armee gab am Montag bekannt, dass zwei Soldaten starben.", "Armee"),
        ("de", "Er gab ihm das Buch, und dann ging er.", None),
        # a German clause opened by "wie" ends with its verb ("Wie die Polizei mitteilte, …")
        ("de", "Wie die Polizei mitteilte, wurden zwölf Menschen getötet.", "Polizei"),
        ("de", "Die Behörden machten keine Angaben.", None),
        # whom an inverted speaker told, right after the speaker's name, is not part of it
        ("de", "Zwölf Menschen seien getötet worden, sagte Gouverneur Ali Khan der Deutschen Presse-Agentur.",
         "Gouverneur Ali Khan"),
        ("en", '"Twelve died," said Governor Ali Khan to the Associated Press.', "Governor Ali Khan"),
        # after a comma the split verb comes first, its subject next and its particle last
        ("de", "30 Zivilisten seien verletzt worden, teilte das Innenministerium mit.", "Innenministerium"),
        ("de", "Eine Bombe sei entschärft worden, teilte das Ministerium weiter mit.", "Ministerium"),
        ("de", "Die Polizei teilte das Ergebnis am Montag mit.", None),
        # an article before a capitalised name is no pronoun, and the name is without it
        ("de", "Die Polizei sagte, drei Menschen seien gestorben.", "Polizei"),
        ("es", "Acerca de los desaparecidos, la CNCP dijo que se mantiene la búsqueda.", "CNCP"),
        # a time phrase of two words opening the sentence is no speaker ("Am Montag hatte …"): the subject is
        ("de", "Am Montag hatte die Regierung erklärt, dass 300 Menschen getötet worden seien.", "Regierung"),
        # a body and the place it sits in, one "in" between them: the place says whose body it is
        ("de", "Am Montag hatte die Regierung in Kinshasa erklärt, dass 300 Menschen getötet wurden.",
         "Regierung in Kinshasa"),
        ("en", "Twelve people were killed, police in Kabul said on Tuesday.", "police in Kabul"),
        ("fr", "Douze personnes ont été tuées, a indiqué le gouvernement à Bamako.", "gouvernement à Bamako"),
        ("en", "Twelve people were killed, the ministry said in Kabul.", "the ministry"),
        ("en", "Twelve people were killed, the ministry in a statement said.", "the ministry"),
        # whom it was said to, a name, then the speaker from its first lowercase word: anonymous here
        ("pt", "Oito policiais morreram, informaram à Agência Efe fontes oficiais.", None),
        ("pt", '"Oito agentes morreram", disse à Efe o porta-voz da polícia.', "porta-voz da polícia"),
        # a phrase that ends in a conjunction is no name: the verb is the second of its clause's subject
        ("es", 'La organización repudió la "acusación" del ministro y dijo que el gobierno miente.', None),
        # a post between commas after a one-word name: the name
        ("en", "Chalachew, the Gondar city spokesperson, said he had visited the burial area.", "Chalachew"),
        ("es", "Gavin, el portavoz, dijo que no hubo muertos.", "Gavin"),
        ("en", "Meanwhile, the ministry, in a statement, said 12 died.", None),
        # "per" and "pour" mean "according to" where they open the sentence, before a name
        ("it", "Per la tv satellitare Al Jazeera, il bilancio sarebbe di quattro soldati morti.",
         "tv satellitare Al Jazeera"),
        ("it", "Per Al Jazeera i feriti sarebbero invece 28, per lo più poliziotti.", "Al Jazeera"),
        ("it", "Per la polizia, tre persone sono morte.", "polizia"),
        ("it", "Per la prima volta, tre persone sono morte.", None),
        ("fr", "Pour l'armée, il s'agit de 12 terroristes tués.", "l'armée"),
        ("fr", "Pour la première fois, trois personnes sont mortes.", None),
        # the Arabic article of a name is no Italian or Spanish "al"
        ("it", "Quattro soldati sono morti, ha detto Al Jazeera.", "Al Jazeera"),
        ("es", "Cuatro soldados murieron, dijo Al Jazeera.", "Al Jazeera"),
        # a plural noun spelt like a verb of saying opens the sentence: no verb before its speaker
        ("en", "Reports periodically surface about unusual troops movements on the border.", None),
        # a name's short form in brackets before the verb comes back with the name
        ("en", "The Syrian Observatory for Human Rights (SOHR) said 12 people were killed.",
         "The Syrian Observatory for Human Rights (SOHR)"),
        ("es", "Murieron 12 personas, informó el Ministerio de Salud (Minsa).", "Ministerio de Salud (Minsa)"),
        ("fr", "L'Observatoire syrien des droits de l'homme (OSDH) a indiqué que douze personnes sont mortes.",
         "L'Observatoire syrien des droits de l'homme (OSDH)"),
        # "As X reported", with a place inside the speaker's title: up to the name.
        ("ru", "Как сообщил начальник ГУ МВД Украины в Донецкой области Вячеслав Аброськин, погибли десять человек.",
         "начальник ГУ МВД Украины в Донецкой области Вячеслав Аброськин"),
        ("uk", "Як повідомив голова Донецької ОВА Павло Кириленко, загинули двоє людей.",
         "голова Донецької ОВА Павло Кириленко"),
        # A time word between the verb and an inverted speaker is not part of the speaker.
        ("es", '"No hubo víctimas", dijo ayer el ministro Juan Pérez.', "ministro Juan Pérez"),
        ("fr", "« Aucune victime », a déclaré samedi Saaz Wali Shinwari, gouverneur du district.", "Saaz Wali Shinwari"),
        # Whom it was said to, after an inverted speaker, is not part of the speaker.
        ("es", '"No hay esperanzas", dijo Gavin a los periodistas en su sede.', "Gavin"),
        ("pt", '"Dois morreram", disse o porta-voz da polícia aos jornalistas.', "porta-voz da polícia"),
        ("it", '"Due sono morti", ha detto il sindaco Mario Rossi ai giornalisti.', "sindaco Mario Rossi"),
        # Arabic: after the Arabic comma, the verb before its speaker.
        ("ar", "قتل عشرة عمال في الهجوم، قال المرصد السوري لحقوق الانسان.", "المرصد السوري لحقوق الانسان"),
        # Arabic: the verb before its speaker, and an "according to what X announced" with its verb.
        ("ar", "وقال مدير المرصد رامي عبد الرحمن لوكالة فرانس برس إن الهجوم بدأ بتفجير.",
         "مدير المرصد رامي عبد الرحمن"),
        ("ar", "قتل عشرة عمال، وفق ما أعلنت وكالة الأنباء السورية الرسمية الجمعة.", "وكالة الأنباء السورية الرسمية"),
    ],
)  # fmt: skip
def test_speaker_in_every_language(lang: str, sentence: str, speaker: str | None) -> None:
    assert speaker_in(sentence, lexicon(lang)) == speaker


@pytest.mark.parametrize(
    ("lang", "sentence", "speaker"),
    [
        # plural and other persons of the verbs of saying, and the forms news writing uses most
        ("ru", "Двое погибли, уточнили в МЧС.", "МЧС"),
        ("ru", "Спасатели отметили, что погибли двое.", "Спасатели"),
        ("uk", "Двоє загинули, зазначили в ДСНС.", "ДСНС"),
        ("uk", "Рятувальники наголосили, що загинули двоє.", "Рятувальники"),
        ("es", "Dos personas murieron, precisaron los bomberos.", "bomberos"),
        ("pt", "Duas pessoas morreram, ressaltou a Defesa Civil.", "Defesa Civil"),
        ("fr", "Les pompiers ont expliqué que deux personnes étaient mortes.", "Les pompiers"),
        ("it", "Due persone sono morte, ha ribadito il sindaco Mario Rossi.", "sindaco Mario Rossi"),
        ("en", "Two people died, the ministry noted.", "the ministry"),
        ("ar", "وشددت الوزارة على أن شخصين قتلا.", "الوزارة"),
        # "to" after an Arabic verb of saying ends the speaker
        ("ar", "ولفت المتحدث إلى أن شخصين قتلا.", "المتحدث"),
        # French inverts its pronoun: said, by no name here; a German participle closes the clause
        ("fr", "« Deux personnes sont mortes », a-t-il déclaré.", None),
        ("de", "Die Polizei hatte am Freitag mitgeteilt, dass zwei Menschen starben.", "Polizei"),
        # German puts the verb second: an adverb before it is not its subject
        ("de", "Inzwischen behauptet ISIS, 24 Menschen getötet zu haben.", None),
    ],
)  # fmt: skip
def test_verbs_of_saying_in_every_language(lang: str, sentence: str, speaker: str | None) -> None:
    from newsfacts.reading.claims import attributed

    assert attributed(sentence, lexicon(lang))
    assert speaker_in(sentence, lexicon(lang)) == speaker


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        # calls and demands, and claims of responsibility, are someone's assertions
        ("es", "La ONU pidió una investigación independiente."),
        ("es", "El grupo reivindicó el ataque."),
        ("pt", "A ONU exigiu uma investigação independente."),
        ("fr", "Le groupe Etat islamique a revendiqué l'attaque."),
        ("fr", "L'ONU a appelé à une enquête indépendante."),
        ("it", "L'Onu ha chiesto un'indagine indipendente."),
        ("de", "Die UN forderten eine unabhängige Untersuchung."),
        ("ru", "ООН призвала провести независимое расследование."),
        ("ru", "Группировка взяла на себя ответственность за нападение."),
        ("uk", "ООН закликала провести незалежне розслідування."),
        ("ar", "ودعت الأمم المتحدة إلى تحقيق مستقل."),
        ("ar", "وتبنى التنظيم الهجوم."),
    ],
)
def test_calls_and_claims_of_responsibility_are_attributed(lang: str, sentence: str) -> None:
    from newsfacts.reading.claims import attributed

    assert attributed(sentence, lexicon(lang))


@pytest.mark.parametrize(
    ("lang", "text", "outlet"),
    [
        ("es", "Lluvias dejan 17 muertos\nLima, 3 feb (EFE).- Al menos 17 personas murieron.", "EFE"),
        # an author's note at the end names the outlet the writer works for
        (
            "en",
            "Airstrikes kill 20\nAt least 20 people were killed.\nArif Sheva works as an editor and content writer "
            "for Khaama Press.",
            "Khaama Press",
        ),
        (
            "es",
            "Lluvias dejan 17 muertos\nAl menos 17 personas murieron.\nMaría López es periodista de El Diario.",
            "El Diario",
        ),
        # ... but not whom something was told to
        (
            "en",
            'Airstrikes kill 20\nAt least 20 people were killed.\n"We lost everything," a survivor told a reporter '
            "at Kyiv Central Station.",
            None,
        ),
        (
            "es",
            "Lluvias dejan 17 muertos\nPor María López | El Diario\nAl menos 17 personas murieron.",
            "El Diario",
        ),
        ("ru", "Три человека погибли\nМОСКВА, 14 апр — РИА Новости. Три человека погибли.", "РИА Новости"),
        # the credit closing the last paragraph: an editor's initials and a known agency
        (
            "de",
            "Angriff in Afghanistan\nDie USA bestreiten Berichte über 90 Tote.\n\nDie Streitkräfte teilten "
            "mit, sie seien beschossen worden. (dw/dpa)",
            "dpa",
        ),
        (
            "de",
            "Angriff in Afghanistan\nDie USA bestreiten Berichte über 90 Tote.\n\nDie Streitkräfte teilten "
            "mit, sie seien beschossen worden. (dw/xyz)",
            None,
        ),
        # a crosshead above the last paragraph is no closing line: the credit that ends it is
        (
            "de",
            "Angriff in Afghanistan\nDie USA bestreiten Berichte über 90 Tote.\n\nSpannungen\n\nDie steigende "
            "Zahl ziviler Opfer hat zu wachsenden Spannungen mit der Regierung geführt. (APA/Reuters)",
            "APA",
        ),
        # a repost's hyphen in place of the dash
        ("ru", "Три человека погибли\nМОСКВА, 14 апр - РИА Новости. Три человека погибли.", "РИА Новости"),
        ("en", "Blast kills 3\nKABUL, Afghanistan, Aug. 5 (Xinhua) -- Three people were killed.", "Xinhua"),
        ("en", "Blast kills 3\nANKARA: Three people were killed.", None),
        ("en", "Strike kills 4\nFour people died. AFP could not independently verify the footage.", "AFP"),
        ("de", "Drei Tote bei Unfall\nZum Thema\nDrei Menschen starben.", None),
        # Arabic has no capitals: a known agency's or broadcaster's name alone on the closing line
        ("ar", "هجوم يقتل 10 عمال\nقتل عشرة عمال في هجوم.\n\nسكاي نيوز", "سكاي نيوز"),
        ("ar", "هجوم يقتل 10 عمال\nقتل عشرة عمال في هجوم.\n\nالحكومة السورية", None),
    ],
)
def test_outlet_marks_in_every_language(lang: str, text: str, outlet: str | None) -> None:
    found = find_outlet(text, requested=None, url=None, title=None, model_name=None, model_section=None,
                        lex=lexicon(lang), trace=Trace())  # fmt: skip
    assert (found.name if found else None) == outlet


def test_an_agency_prefix_counts_when_the_model_names_it_too() -> None:
    text = "Blast kills 3\nREUTERS: Three people were killed."
    found = find_outlet(text, requested=None, url=None, title=None, model_name="Reuters", model_section=None,
                        lex=lexicon("en"), trace=Trace())  # fmt: skip
    assert found is not None and found.name == "Reuters"


@pytest.mark.parametrize(
    ("lang", "text", "model_name", "outlet"),
    [
        ("pt", "O Globo\nRIO - Sete homens morreram, disse o Globo.", "Globo", "O Globo"),
        ("fr", "Le Monde | International\nTrois morts à Kaboul, selon Le Monde.", "Monde", "Le Monde"),
    ],
)
def test_the_outlet_keeps_the_article_its_name_is_written_with(lang, text, model_name, outlet) -> None:
    found = find_outlet(text, requested=None, url=None, title=None, model_name=model_name, model_section=None,
                        lex=lexicon(lang), trace=Trace())  # fmt: skip
    assert found is not None and found.name == outlet


def test_a_repost_line_is_not_the_headline() -> None:
    text = "Source : AFP\nUn séisme fait trois morts\nTrois personnes sont mortes."
    assert headline(text, None, lexicon("fr")) == "Un séisme fait trois morts"


@pytest.mark.parametrize(
    ("lang", "text", "denier"),
    [
        ("es", "El Ejército negó que sus soldados dispararan contra civiles.", "Ejército"),
        # an opening phrase is no one: the subject follows it, before the verb or after it
        (
            "en",
            "Meanwhile, the Ministry of Defense denied civilian casualties in a statement.",
            "Ministry of Defense",
        ),
        (
            "es",
            "Por su parte, el Ministerio de Defensa negó que hubiera víctimas civiles.",
            "Ministerio de Defensa",
        ),
        (
            "ar",
            "من جانبه، نفى الدكتور محمد سلطان، رئيس هيئة الإسعاف وقوع أي حالات وفاة.",
            "محمد سلطان",  # the honorific is no part of the name, as "Dr." is not
        ),
        # an aside between dashes before the verb is not who denies; a verb inside one names no one
        ("en", "The army – which holds the town – denied the report of civilian deaths.", "The army"),
        (
            "it",
            "Poco dopo la scossa si era diffusa la notizia – poi smentita – che ci fossero delle vittime.",
            None,
        ),
        # repudiating an accusation is rejecting it
        (
            "es",
            "Voluntad Popular repudió en un comunicado la irresponsable acusación del ministro.",
            "Voluntad Popular",
        ),
        ("pt", "O partido repudiou as acusações do ministro.", "partido"),
        # an adverb before the verb is not who denies
        (
            "en",
            "The Chinese government generally denies that it forcibly returns migrants.",
            "Chinese government",
        ),
        ("es", "El Ejército negó públicamente que sus soldados dispararan.", "Ejército"),
        ("es", "El Ejército siempre ha negado que sus soldados dispararan.", "Ejército"),
        ("it", "Il Viminale ha sempre smentito che ci fossero vittime.", "Il Viminale"),
        ("fr", "L'armée a démenti avoir visé des civils.", "armée"),
        ("de", "Die Armee bestritt, Zivilisten angegriffen zu haben.", "Armee"),
        ("pt", "O Exército negou que militares tenham disparado.", "Exército"),
        ("ru", "Минобороны опровергло сообщения об ударе по больнице.", "Минобороны"),
        ("ar", "ونفى الجيش الاتهامات بقصف المدرسة.", "الجيش"),
        # The denial verb after the verb that carries it ("volvió a negar", "continue de nier").
        ("es", "El Ejército volvió a negar que sus soldados dispararan contra civiles.", "Ejército"),
        ("pt", "O Exército voltou a negar que militares tenham disparado.", "Exército"),
        ("fr", "L'armée continue de nier avoir visé des civils.", "armée"),
        ("it", "L'esercito continua a negare di aver colpito civili.", "esercito"),
        # The verb as a participle: the sentence's speaker, or the subject it opens with, denies.
        ("en", '"They attacked first," Kabalu said, disputing the army\'s account.', "Kabalu"),
        ("pt", "O Exército divulgou nota rejeitando as acusações.", "Exército"),
        ("fr", "Le ministère a publié un communiqué, rejetant les accusations.", "ministère"),
        ("es", "El Ejército emitió un comunicado rechazando las acusaciones.", "Ejército"),
        ("ar", "وقال الجيش في بيان إن قواته ردت على مصادر النيران، نافيا استهداف المدنيين.", "الجيش"),
        # Calling what was said a falsehood.
        ("en", 'The air force called that claim "a cynical lie".', "The air force"),
        ("es", "El Ministerio de Defensa calificó de falsas las acusaciones.", "Ministerio de Defensa"),
        ("de", "Das Ministerium bezeichnete die Berichte als Falschmeldungen.", "Ministerium"),
        ("ru", "Минобороны назвало эти сообщения дезинформацией.", "Минобороны"),
        ("pt", "O Ministério qualificou de caluniosas as informações sobre valas comuns.", "Ministério"),
        ("es", "El Gobierno calificó de calumniosas las versiones sobre la masacre.", "Gobierno"),
        ("en", "The ministry called the report an important step.", None),  # no falsehood
        ("en", "The ministry did not call the report false.", None),
        # A pronoun that denies is the sentence's own speaker (Arabic "إنه", "that he")
        ("ar", 'وقال حزب الله، السبت، إنه "ينفي بشدة" إطلاق قذائف على القرية.', "حزب الله"),
        # the subject of a denial verb after a "that" is the one after it
        (
            "pt",
            "Quatro pessoas morreram, números que o Movimento desmente, apontando para 15 mortos.",
            "Movimento",
        ),
        ("en", "Officials said that the army denied the report.", "the army"),
        # a capitalised preposition opening the sentence is no one
        (
            "pt",
            "Pelo menos quatro pessoas morreram, números que o líder desmente, apontando para 15 mortos.",
            "líder",
        ),
        # a participle's subject in a clause of its own, between a comma and the participle
        (
            "fr",
            "Le groupe a affirmé avoir tué 10 soldats, le gouvernement démentant une fausse information.",
            "gouvernement",
        ),
        ("en", "Rebels said they killed 10 soldiers, the army denying any clash there.", "the army"),
        # the quote mark that opens a quoted denial is not part of who denies
        ("fr", '"L\'armée dément avoir tiré sur des protestataires", dit un communiqué.', "armée"),
        # an adverb in quote marks is not who denies
        (
            "en",
            'Sunrise Organics said it would cooperate, and "categorically" denied that it broke rules.',
            "Sunrise Organics",
        ),
    ],
)
def test_explicit_denials_in_every_language(lang: str, text: str, denier: str | None) -> None:
    lex = lexicon(lang)
    book = PartyBook(text=text, lex=lex, parties=[])
    found = explicit_denials(split_sentences(text, lex), book)
    assert (next(iter(found.values()))[0] if found else None) == denier


def test_a_rejected_offer_is_not_a_denial() -> None:
    lex = lexicon("es")
    text = "La empresa rechazó la oferta de su rival."
    assert (
        explicit_denials(
            split_sentences(text, lex),
            PartyBook(text=text, lex=lex, parties=[Party(name="empresa", type="organization")]),
        )
        == {}
    )


def test_language_identification_and_declared_language() -> None:
    assert detect("Al menos 17 personas murieron en las inundaciones, según Indeci.") == "es"
    assert detect("Mindestens zwölf Menschen sind ums Leben gekommen, sagte die Polizei.") == "de"
    assert detect("anything", "PT") == "pt"
    assert {"en", "es", "fr", "de", "pt", "it", "ru", "uk"} <= set(supported_languages())


def test_the_trace_names_the_rules_behind_every_entry() -> None:
    from schemas.extraction import FigureItem
    from tests.helpers import read_answers

    text = "Lluvias dejan muertos\nLima, 3 feb (EFE).- Al menos 17 personas murieron, según Indeci. El Gobierno negó que faltara ayuda."
    reading = read_answers(
        text, "es", parties=["Indeci", "un testigo"],
        figures=[FigureItem(figure="17 personas", kind="injured", reported_by="Indeci", caused_by=None),
                 FigureItem(figure="99 muertos", kind="killed", reported_by=None, caused_by=None)],
    )  # fmt: skip
    assert reading.outlet is not None and reading.outlet.name == "EFE"
    (figure,) = reading.casualties
    assert (figure.kind, figure.count, figure.min, figure.max, figure.reported_by) == (
        "killed",
        17,
        17,
        None,
        "Indeci",
    )
    by_field = {(t.field, t.outcome): t for t in reading.trace}
    assert "dateline_agency" in by_field[("outlet", "changed")].rules
    assert "kind_from_words_after_figure" in by_field[("casualties", "changed")].rules
    assert by_field[("casualties", "dropped")].rules == ["figure_not_in_article"]
    assert by_field[("parties", "dropped")].rules == ["name_not_in_article_or_anonymous"]
    assert by_field[("denials", "added")].rules == ["explicit_denial_in_the_text"]
    assert by_field[("denials", "added")].index == 0


@pytest.mark.parametrize(
    ("lang", "text", "model", "outlet"),
    [
        # A place in a dateline's parenthesis is not an agency; an agency is, known or named by the model.
        ("de", "Brand in Fabrik\nLagos (Nigeria) – Drei Menschen starben.", None, None),
        ("de", "Brand in Fabrik\nLagos (dpa) – Drei Menschen starben.", None, "dpa"),
        (
            "en",
            "Fire at plant\nTORVIK (Northwind Wire) — Three people died.",
            "Northwind Wire",
            "Northwind Wire",
        ),
        # A place and a time under the title are a dateline, not a masthead.
        (
            "es",
            "Incendio en Lima\nlimadiario.pe\nLima | 03.02.2021 10:15\nTres personas murieron.",
            None,
            None,
        ),
        # A photo credit names the photo's agency.
        ("ru", "Пожар в Омске\nФото: Иван Петров / ТАСС\nТри человека погибли.", None, None),
        ("en", "Fire at plant\nPhoto: Jane Roe/AP\nThree people died.", "AP", None),
        # A date-first slash dateline with a correspondent's abbreviation.
        ("ru", "Пожар в Омске\n6 мая, Омск /Корр. ОМСКИНФО/. Три человека погибли.", None, "ОМСКИНФО"),
        # A closing line in quotes with a bar; a short source line without its colon.
        ("ru", 'Пожар в Омске\nТри человека погибли.\n"Сибинформ" |', None, "Сибинформ"),
        ("uk", "Пожежа в Омську\nТри людини загинули.\nДжерело СІБНОВИНИ. Онлайн", None, "СІБНОВИНИ"),
    ],
)
def test_outlet_marks_that_look_alike(lang: str, text: str, model: str | None, outlet: str | None) -> None:
    found = find_outlet(text, requested=None, url=None, title=None, model_name=model, model_section=None,
                        lex=lexicon(lang), trace=Trace())  # fmt: skip
    assert (found.name if found else None) == outlet


@pytest.mark.parametrize(
    ("lang", "text", "model", "outlet"),
    [
        # The model's outlet named in the text as the originator, even mid-article …
        (
            "en",
            "Fire at plant\nThree people died.\nThe Harbour Courier has asked the company for comment.",
            "The Harbour Courier",
            "The Harbour Courier",
        ),
        ("es", "Incendio en Lima\nlimadiario.pe\nTres personas murieron.", "limadiario.pe", "limadiario.pe"),
        # … but not where the text cites it as a source, in any language.
        ("fr", "Incendie à Lyon\nTrois morts, selon le quotidien Le Rhône ce mardi.", "Le Rhône", None),
        (
            "de",
            "Brand in Köln\nDrei Tote, berichtete die Zeitung Rheinblatt am Dienstag.",
            "Rheinblatt",
            None,
        ),
        ("en", "Fire at plant\nThree people died, the Harbour Courier reported.", "Harbour Courier", None),
        # A name is a whole word: "AP" is not inside "Japan".
        ("en", "Fire in Japan\nThree people died in a plant near Osaka.", "AP", None),
        # a cue with words of its own before the name still cites it
        (
            "it",
            "Attentato a Kabul\nLo Stato Islamico ha rivendicato l'attentato tramite l'agenzia di propaganda Amaq.",
            "Amaq",
            None,
        ),
        # an agency that asked a source its questions is the channel, not the originator
        (
            "fr",
            "Incendie à Lyon\n« Il n’y a aucun mort », a déclaré le préfet, interrogé par l’AFP.",
            "AFP",
            None,
        ),
        ("en", "Fire at plant\nNo one died, the mayor said when contacted by Reuters.", "Reuters", None),
        ("it", "Incendio a Roma\nNessun morto, ha detto il sindaco, contattato dall'Ansa.", "Ansa", None),
        ("pt", "Incêndio em Lisboa\nNão houve mortos, disse o autarca, ouvido pela Lusa.", "Lusa", None),
        ("es", "Incendio en Lima\nNo hubo muertos, dijo el alcalde, consultado por Efe.", "Efe", None),
        (
            "de",
            "Brand in Köln\nEs gab keine Toten, sagte der Bürgermeister im Gespräch mit Rheinblatt.",
            "Rheinblatt",
            None,
        ),
    ],
)
def test_the_models_outlet_counts_where_the_text_names_it_other_than_as_a_source(
    lang: str, text: str, model: str, outlet: str | None
) -> None:
    found = find_outlet(text, requested=None, url=None, title=None, model_name=model, model_section=None,
                        lex=lexicon(lang), trace=Trace())  # fmt: skip
    assert (found.name if found else None) == outlet


@pytest.mark.parametrize(
    ("lang", "sentence", "speaker"),
    [
        # A report's issuer, not the report: "según un balance de la Fiscalía".
        (
            "es",
            "Al menos 40 personas murieron, según un último balance de la Fiscalía Regional.",
            "Fiscalía Regional",
        ),
        (
            "en",
            "Nine people were killed, according to a tally by Harbour Relief Society.",
            "Harbour Relief Society",
        ),
        ("fr", "Trois morts, selon un bilan de la Préfecture du Nord.", "Préfecture du Nord"),
        # A title, then the name between commas, then the verb.
        ("es", "El alcalde de Lima, Jorge Muñoz, anunció que tres personas murieron.", "Jorge Muñoz"),
        ("en", "The governor of the province, Ada Brenn, said nine people died.", "Ada Brenn"),
        # "according to" a role the speaker lists cannot hold, then the name in apposition to it
        (
            "en",
            "Forty people were taken to hospital, according to the district's civil surgeon, Dr Hasina Akter.",
            "Dr Hasina Akter",
        ),
        ("en", "Two died, according to the civil surgeon, Ada Brenn, who said more could die.", "Ada Brenn"),
        # a two-letter name holds no content word of three letters, and still speaks
        ("en", "Twenty people were killed, the UN said.", "the UN"),
        ("en", "The EU said 20 people were killed in the strike.", "The EU"),
    ],
)
def test_the_speaker_behind_a_report_or_a_title(lang: str, sentence: str, speaker: str) -> None:
    assert speaker_in(sentence, lexicon(lang)) == speaker


def test_the_sentences_own_speaker_beats_a_name_from_the_sentence_before() -> None:
    from newsfacts.reading.parties import PartyBook
    from newsfacts.reading.sentences import split_sentences
    from newsfacts.reading.speakers import reporter

    text = "The army said it fired only blanks. The government says two people died."
    lex = lexicon("en")
    sentences = split_sentences(text, lex)
    book = PartyBook(text=text, lex=lex)
    assert reporter(book, sentences[1], "army") == ("The government", "speaker_named_by_sentence")
    assert reporter(book, sentences[0], "army")[0] == "army"


def test_officials_of_a_place_and_a_listed_body_of_officials_are_parties() -> None:
    from newsfacts.reading.names import is_anonymous
    from newsfacts.reading.parties import PartyBook
    from schemas.contract import Party

    lex = lexicon("en")
    assert (
        not is_anonymous("local officials", lex)
        and is_anonymous("officials", lex)
        and is_anonymous("a local official", lex)
    )
    text = "Seven people died, Velmoran officials said. Velmoran Interior Minister Ada Brenn condemned the attack."
    book = PartyBook(text=text, lex=lex, parties=[
        Party(name="Ada Brenn", type="official", aliases=["Velmoran Interior Minister Ada Brenn"]),
        Party(name="Velmoran officials", type="official"),
    ])  # fmt: skip
    assert book.resolve("Velmoran officials") == "Velmoran officials"


def _figures(
    lang: str, text: str, model: list[tuple[str, str, str | None]]
) -> list[tuple[str, int | None, int | None, str | None]]:
    from newsfacts.reading.casualties import build_casualties
    from newsfacts.reading.trace import Trace
    from schemas.contract import Grounding
    from schemas.extraction import CasualtiesForm, FigureItem

    lex = lexicon(lang)
    form = CasualtiesForm(
        figures=[FigureItem(figure=f, kind=k, reported_by=by, caused_by=None) for f, k, by in model]
    )  # type: ignore[arg-type]
    book = PartyBook(text=text, lex=lex)
    out = build_casualties(
        form,
        text,
        split_sentences(text, lex),
        book,
        Grounding(quotes_total=0, quotes_verified=0, quotes_dropped=0),
        Trace(),
    )
    return sorted((c.kind, c.count, c.min, c.reported_by) for c in out)


@pytest.mark.parametrize(
    ("lang", "text", "model", "expected"),
    [
        # A figure in so many words that the model left out is added, with its sentence's source …
        (
            "en",
            "The blast killed 23 people and 40 were injured, the Harbour Fire Service said.",
            [("23 people", "killed", "Harbour Fire Service")],
            [("injured", 40, 40, "Harbour Fire Service"), ("killed", 23, 23, "Harbour Fire Service")],
        ),
        (
            "it",
            "Il bilancio è di dieci morti e una cinquantina di feriti, secondo la Protezione Civile.",
            [("dieci morti", "killed", "Protezione Civile")],
            [("injured", 50, 50, "Protezione Civile"), ("killed", 10, 10, "Protezione Civile")],
        ),
        ("ru", "По данным МЧС, десять человек погибли.", [], [("killed", 10, 10, "МЧС")]),
        # a passive's auxiliary takes no place of the three words after the figure
        ("fr", "Neuf personnes ont été tuées, selon la préfecture.", [], [("killed", 9, 9, "préfecture")]),
        ("it", "Tre persone sono state uccise, secondo la polizia.", [], [("killed", 3, 3, "polizia")]),
        # … but not a year, a time, a percentage, an article, a cue that is not the figure's own word,
        # the numeral zero, or a figure the model already gave as a bound.
        ("en", "In 2019 the plant was hit. At 19:30 police said 40% of homes were damaged.", [], []),
        ("en", "One of the leaders was captured after ten hours of a hostage siege.", [], []),
        ("en", "Towns shelled with scores of civilians killed & injured", [], []),
        ("fr", "L'armée vise zéro victime civile.", [], []),  # the numeral zero: a goal, not a count
        # an article inside a figure's phrase counts no one ("15 Mitglieder einer Familie")
        (
            "de",
            "Ein Anwohner namens Latif sagte, 15 Mitglieder einer Familie seien getötet worden, als ihr Haus "
            "getroffen worden sei.",
            [("15 Mitglieder einer Familie seien getötet worden", "killed", "Latif")],
            [("killed", 15, 15, "Latif")],
        ),
        # A count of none in so many words, with the party that gives it ("no one was hurt").
        ("fr", "Aucun mort n'a été signalé, selon la préfecture.", [], [("killed", 0, 0, "préfecture")]),
        (
            "it",
            "Non risultano morti, secondo la Protezione Civile.",
            [],
            [("killed", 0, 0, "Protezione Civile")],
        ),
        ("es", "No hubo muertos, según la Cruz Roja.", [], [("killed", 0, 0, "Cruz Roja")]),
        # … or one that names its harm itself, before or after
        ("ru", "Погибших нет, сообщили в МЧС.", [], [("killed", 0, 0, "МЧС")]),
        ("es", "El incendio se saldó sin heridos, según los bomberos.", [], [("injured", 0, 0, "bomberos")]),
        (
            "es",
            "Al menos 305 personas murieron. La cifra de 305 muertos fue confirmada.",
            [("Al menos 305 personas", "killed", None)],
            [("killed", 305, 305, None)],
        ),
    ],
)
def test_figures_the_model_missed(lang: str, text: str, model: list, expected: list) -> None:
    assert _figures(lang, text, model) == expected


SAMPLES = [
    "The ministry said twelve people were killed in the shelling overnight.",
    "El ministerio dijo que doce personas murieron en el bombardeo.",
    "Министерство заявило, что двенадцать человек погибли при обстреле.",
    "قالت الوزارة إن اثني عشر شخصا قتلوا في القصف.",
    "Le ministère a déclaré que douze personnes avaient été tuées.",
]


def test_the_identifier_read_from_its_unpacked_copy_is_py3langids_own(tmp_path, monkeypatch) -> None:
    """The model unpacked once into the user cache gives the identifier py3langid loads itself, and
    where that cache cannot be written the identifier is py3langid's own."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from newsfacts.reading import language

    own = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    unpacked = language._identifier.__wrapped__()
    [copy] = (tmp_path / "cache" / "newsfacts" / "langid").iterdir()
    assert copy.suffix == ".npz" and not list(copy.parent.glob("*.part"))
    again = language._identifier.__wrapped__()  # read from the copy, not unpacked again
    assert list(copy.parent.iterdir()) == [copy]
    (tmp_path / "blocked").write_text("a file where the cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "blocked"))
    fallback = language._identifier.__wrapped__()
    for text in SAMPLES:
        expected = own.classify(text)
        for identifier in (unpacked, again, fallback):
            code, prob = identifier.classify(text)
            assert code == expected[0] and prob == pytest.approx(expected[1])


def test_arabic_spellings_of_one_name_are_one_name() -> None:
    from newsfacts.reading.names import norm

    # hamza seat, final yaa and taa marbuta, short-vowel marks and the elongation mark
    assert norm("الجيش الإسرائيلى") == norm("الجيش الاسرائيلي") == norm("الجيشُ الإسـرائيلي")
    assert norm("وزارة الصحة") == norm("وزاره الصحه")
    assert norm("Ministry") == "ministry"


@pytest.mark.parametrize(
    ("lang", "name", "anonymous"),
    [
        # sources qualified only by lowercase words: no name says whose
        ("en", "diplomatic sources", True),
        ("en", "Diplomatic sources", True),
        ("es", "Fuentes diplomáticas", True),
        ("fr", "des sources diplomatiques", True),
        ("it", "fonti della polizia", True),
        ("ru", "источники в силовых структурах", True),
        # a name says whose
        ("en", "Syrian Observatory sources", False),
        ("en", "sources close to the Kremlin", False),
        ("en", "Open Source Center", False),
        ("es", "fuentes del Ministerio de Salud", False),
    ],
)
def test_qualified_sources_are_anonymous(lang: str, name: str, anonymous: bool) -> None:
    from newsfacts.reading.names import is_anonymous

    assert is_anonymous(name, lexicon(lang)) is anonymous


@pytest.mark.parametrize(
    ("lang", "sentence", "body"),
    [
        ("en", "An army spokesman said two soldiers were killed.", "army"),
        ("en", "A spokesman for the ministry said two soldiers were killed.", "the ministry"),
        ("pt", "Um porta-voz da KNDF disse que dois soldados morreram.", "KNDF"),
        ("es", "Un portavoz del Ejército dijo que dos soldados murieron.", "Ejército"),
        ("fr", "Un porte-parole de l'armée a déclaré que deux soldats étaient morts.", "armée"),
        # a spokesperson of no one named is anonymous
        ("en", "A spokesman said two soldiers were killed.", None),
    ],
)
def test_an_unnamed_spokesperson_speaks_for_the_body(lang: str, sentence: str, body: str | None) -> None:
    from newsfacts.reading.sentences import split_sentences
    from newsfacts.reading.speakers import reporter

    lex = lexicon(lang)
    book = PartyBook(text=sentence, lex=lex, parties=[])
    assert reporter(book, split_sentences(sentence, lex)[0], None)[0] == body
