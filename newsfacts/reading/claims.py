"""Claims: an assertion is someone's: the sentence, or a quotation across its neighbours, says who."""

from __future__ import annotations

import re

from newsfacts.reading.lexicon import Lexicon
from newsfacts.reading.parties import PartyBook
from newsfacts.reading.sentences import Sentence, by_index, sentence_quote
from newsfacts.reading.speakers import reporter
from newsfacts.reading.trace import Trace
from schemas.contract import Claim, Grounding
from schemas.extraction import ClaimsForm

_QUOTED = re.compile(r"[“\"«„]([^”\"»“]{12,400}+)[”\"»“]")
_QUOTE_CHARS = re.compile(r"[\"“”«»„]")


def attributed(text: str, lex: Lexicon) -> bool:
    return any(
        lex.matches(k, text)
        for k in ("attribution.said", "attribution.according_to", "attribution.claim_verbs")
    )


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
        if said is not None:
            last_comma = text.rfind(",")
            if last_comma > 0 and said.search(text[last_comma:]):
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
    if not attributed(sentence.text, lex) and not (quoted and any(attributed(s.text, lex) for s in window)):
        return None
    return reporter(book, sentence, proposed)[0]


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
