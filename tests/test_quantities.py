import pytest

from newsfacts.reading import numbers
from newsfacts.reading.lexicon import lexicon

EN = lexicon("en")


def find_quantities(text):
    return numbers.find_quantities(text, EN)


def locate_figure(figure, sentence):
    return numbers.locate_figure(figure, sentence, EN)


def words_to_int(text):
    q = numbers.parse_quantity(text, EN)
    return q.count if q is not None and q.text.lower() == text.lower() else None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12 people", (12, 12, 12, False)),
        ("twelve people", (12, 12, 12, False)),
        ("a firefighter", (1, 1, 1, False)),
        ("one man", (1, 1, 1, False)),
        ("about 30 people", (30, 30, 30, True)),
        ("around 30", (30, 30, 30, True)),
        ("nearly 30", (30, 30, 30, True)),
        ("at least 5", (5, 5, None, True)),
        ("at least five", (5, 5, None, True)),
        ("more than 100", (100, 101, None, True)),
        ("over 100", (100, 101, None, True)),
        ("up to 30", (30, None, 30, True)),
        ("as many as 30", (30, None, 30, True)),
        ("between 10 and 20", (None, 10, 20, True)),
        ("10-20 dead", (None, 10, 20, True)),
        ("several soldiers", (None, 3, None, True)),
        ("dozens more wounded", (None, 24, None, True)),
        ("scores of civilians", (None, 40, None, True)),
        ("hundreds displaced", (None, 200, None, True)),
        ("no one was hurt", (0, 0, 0, False)),
        ("1,300 troops", (1300, 1300, 1300, False)),
        ("twenty-one killed", (21, 21, 21, False)),
        ("two dozen wounded", (24, 24, 24, False)),
    ],
)
def test_contract_quantity_table(text, expected):
    q = find_quantities(text)[0]
    assert (q.count, q.min, q.max, q.approximate) == expected


def test_words_to_int():
    assert words_to_int("two hundred and five") == 205
    assert words_to_int("1,300") == 1300
    assert words_to_int("forty") == 40
    assert words_to_int("banana") is None


def test_locate_figure_reads_value_and_modifier_from_the_article():
    sentence = "The toll rose to twelve, with at least 40 wounded."
    q = locate_figure("12", sentence)
    assert (q.text, q.count) == ("twelve", 12)
    q = locate_figure("40", sentence)
    assert (q.text, q.min, q.max) == ("at least 40", 40, None)
    assert locate_figure("7", sentence) is None


@pytest.mark.parametrize(
    ("lang", "text", "counts"),
    [
        ("en", "A 62-year-old woman and 12 soldiers were wounded 3 km from the border.", [1, 12]),
        ("en", "Two years after the blast, 40% of the 300 displaced have returned.", [300]),
        ("es", "Un niño de 12 años y 5 soldados murieron.", [1, 5]),
        ("fr", "Un homme de 35 ans et 4 policiers ont été blessés.", [1, 4]),
        ("de", "Ein 62-jähriger Mann und 3 Soldaten wurden verletzt.", [1, 3]),
        ("it", "Un 62enne e 7 agenti sono rimasti feriti.", [1, 7]),
        ("pt", "Um menino de 9 anos e 6 adultos morreram.", [1, 6]),
        ("ru", "62-летняя женщина и 5 военных получили ранения.", [5]),
        ("uk", "62-річна жінка та 5 військових отримали поранення.", [5]),
        ("ar", "وقال شهود إن خمس قذائف سقطت على المدرسة.", []),  # five shells
        ("en", "Rs 50,000 and $300 were paid to each of the 12 injured, 40 euros a day.", [12]),  # money
        ("ru", "Семьи 5 погибших получат по 1 000 000 рублей.", [5]),
        ("en", "The fund paid $5 million to the families of 12 people killed.", [12]),  # money, scaled
        ("es", "El costo fue de 3,5 millones de euros; 4 muertos.", [4]),
    ],
)
def test_a_number_that_measures_an_age_a_time_a_distance_or_money_counts_no_one(lang, text, counts):
    found = numbers.find_quantities(text, lexicon(lang))
    assert [q.count for q in found] == counts


@pytest.mark.parametrize(
    ("lang", "text", "quantities"),
    [
        ("en", "2.5 million people were displaced", [("2.5 million", 2_500_000, 2_500_000, 2_500_000)]),
        (
            "en",
            "at least 1.5 million fled; 300 thousand stayed",
            [
                ("at least 1.5 million", 1_500_000, 1_500_000, None),
                ("300 thousand", 300_000, 300_000, 300_000),
            ],
        ),
        (
            "es",
            "2,5 millones de desplazados y 3.000 muertos",
            [("2,5 millones", 2_500_000, 2_500_000, 2_500_000), ("3.000", 3_000, 3_000, 3_000)],
        ),
        ("fr", "1,2 million de déplacés", [("1,2 million", 1_200_000, 1_200_000, 1_200_000)]),
        ("de", "1,2 Millionen Menschen auf der Flucht", [("1,2 Millionen", 1_200_000, 1_200_000, 1_200_000)]),
        ("ru", "более 1,5 млн человек эвакуированы", [("более 1,5 млн", 1_500_000, 1_500_001, None)]),
        ("ar", "نزوح 2.5 مليون شخص", [("2.5 مليون", 2_500_000, 2_500_000, 2_500_000)]),
        ("en", "2 millionaires died", [("2", 2, 2, 2)]),
        # the scale word written onto the digits
        ("it", "altre 5mila arrestate", [("5mila", 5_000, 5_000, 5_000)]),
        ("es", "10mil desplazados", [("10mil", 10_000, 10_000, 10_000)]),
        ("it", "5milanesi feriti", [("5", 5, 5, 5)]),
    ],
)
def test_a_scale_word_after_digits_multiplies_them(lang, text, quantities):
    found = numbers.find_quantities(text, lexicon(lang))
    assert [(q.text, q.count, q.min, q.max) for q in found] == quantities
