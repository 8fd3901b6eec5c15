"""Claims: an assertion is someone's: the sentence, or a quotation across its neighbours, says who."""

from __future__ import annotations

import re

from newsfacts.reading.lexicon import Lexicon
from newsfacts.reading.names import norm
from newsfacts.reading.parties import PartyBook
from newsfacts.reading.sentences import Sentence, by_index, link_lists, sentence_quote, title_lines
from newsfacts.reading.speakers import attributed, back_speaker, points_back, reporter, speaker_in, spoken_for
from newsfacts.reading.trace import Trace
from schemas.contract import Claim, Denial, Grounding
from schemas.extraction import ClaimsForm

_QUOTED = re.compile(r"[“\"«„]([^”\"»“]{12,400}+)[”\"»“]")
_QUOTE_CHARS = re.compile(r"[\"“”«»„]")


def _attribution_tail(rest: str, lex: Lexicon) -> bool:
    """Whether the words after a closing attribution verb only say when or how it was said ("on
    Tuesday", "in a statement", "reporters"), not what was said ("14 people died")."""
    words = rest.strip(' .,;:!?"”»').split()
    if len(words) <= 2:
        return True
    trailing = lex.lowered("attribution.trailing")
    return len(words) <= 5 and words[0].lower() in trailing


def statement_of(sentence: str, lex: Lexicon, max_words: int = 30) -> str:
    """What a sentence asserts, in its own words: the quoted speech if there is some, else the
    sentence without its attribution ("…, the ministry said")."""
    sentence = sentence[:2000]
    quoted = [m.group(1).strip(" ,.") for m in _QUOTED.finditer(sentence)]
    if quoted and len(" ".join(quoted).split()) >= 4:
        text = " … ".join(quoted)
    else:
        text = sentence
        according = lex.pattern("attribution.according_to")
        if according is not None and (m := according.match(text)):
            comma = text.find(",", m.end())
            if 0 < comma < m.end() + 80:
                text = text[comma + 1 :].strip()
        said = lex.pattern("attribution.said")
        last_comma = text.rfind(",")
        # "…, the ministry said on Tuesday.": the attribution closes the sentence and is cut. In
        # "…, Kyrylenko, the head of …, said Russian forces had launched …" what was said follows
        # the verb, and the whole sentence stays.
        if (
            said is not None
            and last_comma > 0
            and (m := said.search(text, last_comma))
            and _attribution_tail(text[m.end() :], lex)
        ):
            stripped = text[:last_comma].strip()
            text = stripped if len(stripped.split()) >= 4 else text
    words = text.split()
    return " ".join(words[:max_words]) + (" …" if len(words) > max_words else "")


def claimant(
    book: PartyBook, sentences: list[Sentence], sentence: Sentence, proposed: str | None
) -> str | None:
    """Who makes the claim in a sentence, or None when the sentence attributes it to no one."""
    lex = book.lex
    window = [
        s
        for s in (by_index(sentences, sentence.index - 1), sentence, by_index(sentences, sentence.index + 1))
        if s
    ]
    quoted = bool(_QUOTE_CHARS.search(sentence.text))
    after = by_index(sentences, sentence.index + 1)
    if (
        not attributed(sentence.text, lex)
        and not (quoted and any(attributed(s.text, lex) for s in window))
        and not (after is not None and back_speaker(after.text, book) is not None)
    ):
        return None
    who = reporter(book, sentence, proposed, sentences)[0]
    # "…, said the US forces' spokesman Bob Purtiman": the person who speaks makes the claim, not
    # the body the model named for it.
    person = book.listed(speaker_in(sentence.text, lex))
    if person is not None and person.type == "official" and who is not None and person.name != who:
        return book.resolve(person.name) or who
    return who


def build_claims(
    form: ClaimsForm, sentences: list[Sentence], book: PartyBook, grounding: Grounding, trace: Trace
) -> list[Claim]:
    lex, rules = book.lex, book.rules and book.lex.supported
    claims: list[Claim] = []
    seen: set[tuple[str, int]] = set()
    for item in form.claims:
        step = trace.step("claims", f"{item.claimant}: sentence {item.sentence}")
        grounding.quotes_total += 1
        sentence = by_index(sentences, item.sentence)
        if sentence is None:
            grounding.quotes_dropped += 1
            step.drop("no_such_sentence")
            continue
        grounding.quotes_verified += 1
        if rules and points_back(sentence.text, lex) is not None:
            before = by_index(sentences, sentence.index - 1)
            if before is not None and not attributed(before.text, lex):
                sentence = before  # "… Об этом сообщает ТАСС.": what was said is the sentence before
                step.apply("said_in_the_sentence_before")
        if rules:
            who = claimant(book, sentences, sentence, item.claimant)
            if who is None:
                step.drop("claim_needs_an_attribution")
                continue
            statement = statement_of(sentence.text, lex)
            step.apply("statement_in_the_article_words", changed=False)
        else:
            who = book.resolve(item.claimant)
            statement = " ".join(sentence.text.split()[:30])
        if who is None:
            step.drop("claimant_not_a_party")
            continue
        if (who, sentence.index) in seen:
            step.drop("same_claim_twice")
            continue
        seen.add((who, sentence.index))
        target = book.resolve(item.target)
        claim = Claim(claimant=who, statement=statement, target=target if target != who else None,
                      quote=sentence_quote(sentence))  # fmt: skip
        step.output = claim
        claims.append(claim)
    return claims


def add_attributed_claims(
    sentences: list[Sentence], book: PartyBook, claims: list[Claim], denials: list[Denial], trace: Trace
) -> list[Claim]:
    """Claims the model left out: a sentence that attributes what it says to a speaker its own
    grammar names ("…, the ministry said", "according to X"), and that speaker is already a party
    (the grammar alone finds too many phrases that are no one's name to add new ones). Read from
    the text, not proposed by the model, so they do not count in the grounding tally of model
    quotes. A sentence that holds a denial is the denial's, not a claim."""
    lex = book.lex
    if not (book.rules and lex.supported):
        return claims
    taken = {c.quote.start for c in claims if c.quote} | {d.quote.start for d in denials if d.quote}
    said = {(c.claimant, norm(c.statement)) for c in claims}
    out = list(claims)
    skipped = title_lines(sentences) | link_lists(sentences, lex)
    for sentence in sentences:
        pointing = points_back(sentence.text, lex) is not None
        if (
            sentence.start in taken
            or sentence.index in skipped
            or not (pointing or attributed(sentence.text, lex))
        ):
            continue
        rule = "attributed_sentence_in_the_text"
        if pointing:
            # "… 7 killed. Об этом сообщает ТАСС.": what the sentence before says is the speaker's,
            # when that sentence names no speaker of its own
            before = by_index(sentences, sentence.index - 1)
            speaker = back_speaker(sentence.text, book)
            if before is None or before.start in taken or before.index in skipped or speaker is None:
                continue
            if attributed(before.text, lex):
                continue
            sentence, rule = before, "said_in_the_sentence_before"
        else:
            speaker = speaker_in(sentence.text, lex, claims=True)
        party = book.listed(spoken_for(speaker, lex) or speaker if speaker else None)
        if party is None or (book.outlet and norm(party.name) == norm(book.outlet)):
            continue
        who = book.resolve(party.name)
        if who is None:
            continue
        statement = statement_of(sentence.text, lex)
        if (who, norm(statement)) in said:
            continue  # a live blog repeats its updates: the same words by the same party are one claim
        said.add((who, norm(statement)))
        claim = Claim(claimant=who, statement=statement, target=None, quote=sentence_quote(sentence))
        step = trace.step("claims", None, added=True)
        step.apply(rule, changed=False)
        step.output = claim
        out.append(claim)
    out.sort(key=lambda c: c.quote.start if c.quote else 0)
    return out
