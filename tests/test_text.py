import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsfacts.reading import sentences as _s
from newsfacts.reading.lexicon import lexicon
from newsfacts.reading.sentences import locate


def split_sentences(text):
    return _s.split_sentences(text, lexicon("en"))


def test_sentences_sit_at_their_offsets():
    text = "Headline here — Outlet\n\nMr. Smith said 3 died. Dr. Jones disagreed!\n“Quoted,” she said. U.S. forces left."
    sentences = split_sentences(text)
    assert all(text[s.start : s.end] == s.text for s in sentences)
    assert [s.text for s in sentences][1] == "Mr. Smith said 3 died."
    assert sentences[-1].text == "U.S. forces left."


def test_locate_forgives_quote_marks_and_spaces_but_returns_article_characters():
    text = "He said “no fire was  opened” on Friday."
    quote = locate('"no fire was opened"', text)
    assert quote is not None
    assert text[quote.start : quote.end] == quote.text
    assert quote.text == "no fire was  opened"


@pytest.mark.parametrize(
    ("text", "needle", "found"),
    [
        ("Officials said 16 people were killed, including seven children, on Monday.",
         "16 people were killed, including seven children.", "16 people were killed, including seven children"),
        ("قال إن 16 فلسطينيا قتلوا، من بينهم سبعة أطفال، إلا أن", "16 فلسطينيا قتلوا، من بينهم سبعة أطفال.",
         "16 فلسطينيا قتلوا، من بينهم سبعة أطفال"),
        # where the article has the stop, it is part of the quote
        ("Twelve died. Forty were hurt.", "Twelve died.", "Twelve died."),
    ],
)  # fmt: skip
def test_locate_forgives_a_closing_stop_the_article_does_not_have(text, needle, found):
    quote = locate(needle, text)
    assert quote is not None and quote.text == found == text[quote.start : quote.end]


def test_locate_returns_none_for_text_not_in_article():
    assert locate("an invented quote", "The article says something else.") is None


@given(
    st.text(alphabet=st.sampled_from(list("aZ .\n\t\u00a0\u202f\u2028“”«»‘’—–İẞΣσςǅ\u0130Ωω")), max_size=60)
)
@settings(max_examples=300, deadline=None)
def test_the_folded_text_is_folded_one_character_at_a_time(text):
    """What ``locate`` compares: each character folded on its own (Σ is σ wherever it stands, İ is
    kept), each run of whitespace one space, and each folded character mapped to its original."""
    folded, index = _s._normalise(text)
    expected, where, space = [], [], False
    for i, ch in enumerate(text.translate(_s._QUOTE_MARKS)):
        if ch.isspace():
            if not space:
                expected.append(" ")
                where.append(i)
            space = True
            continue
        space = False
        expected.append(ch.lower() if len(ch.lower()) == 1 else ch)
        where.append(i)
    assert folded == "".join(expected)
    assert list(index) == where


@pytest.mark.parametrize(
    ("text", "titles"),
    [
        ("Floods kill 12\nThe toll rose to 12, police said.", {1}),
        ("Disaster\nFloods kill 12 in the north\nThe toll rose to 12, police said.", {1, 2}),
        ("The toll rose to 12, police said. It may rise.", set()),
        ("A\nB\nC\nD\nThe toll rose.", {1, 2, 3}),  # at most three lines before the body
    ],
)
def test_the_lines_before_the_body_are_its_titles(text, titles):
    from newsfacts.reading.sentences import title_lines

    assert title_lines(split_sentences(text)) == titles
