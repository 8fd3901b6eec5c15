"""Who a sentence attributes its content to: "…, police said", "according to X", "selon X"."""

from __future__ import annotations

import re
from collections.abc import Callable, Set

from newsfacts.reading.lexicon import UPPER, Lexicon, caseless
from newsfacts.reading.names import CAPITALISED, PERSON, is_anonymous, norm, split_title, tokens
from newsfacts.reading.parties import PartyBook
from newsfacts.reading.sentences import Sentence, analysis_text, by_index

# with the Arabic comma and semicolon, and a spaced hyphen or en dash around an inserted attribution
# ("… verificate - aggiunge Stucchi - anche …"); an em dash also closes a wire dateline ("RIVERTON — ")
_DELIMS = re.compile(r"[,;:،؛“”\"«»„()\[\]]|(?<= )[-–](?= )")
# "Dr. Hauwa Musa, medical director of X, told …", at the sentence's start or after a comma.
# A live blog's time stamp may open the line ("11:15 - Transport Minister Pavel Dvorak, speaking …, said").
_APPOSITION = re.compile(
    rf"(?:\d{{1,2}}[:.]\d{{2}} ?[-–—] ?)?((?:\w{{1,4}}\. )?{CAPITALISED}(?: {CAPITALISED}){{1,5}}), [^,]{{3,90}}+, "
)
MAX_APPOSITION_SCAN = 400
_CLAUSE_START = re.compile(r"(?:,|[,.!?]?[\"”»]) ")
MAX_CLAUSES = 12
# "cuenta a Efe José Homero", "told Reuters Ivan Petrov": whom it was said to, before the speaker.
_SAID_TO = re.compile(rf"^(?i:to|a|à|ao|al|an|dem|der|для) \S{{1,40}}+ ({PERSON.pattern})$")
# "disse à Efe o porta-voz …", "informaram à Agência Efe fontes oficiais": whom it was said to, a name,
# then the speaker from its first lowercase word
_RECIPIENT = re.compile(
    rf"^(?i:to|a|à|ao|al|an|dem|der|для) (?:[{UPPER}][^\s{UPPER}]{{0,40}} ){{1,3}}(?=[^\W\d{UPPER}])"
)
# whom it was said to, right after an inverted speaker's name ("… der Deutschen Presse-Agentur")
_RECIPIENT_AFTER = re.compile(rf" (?:to|a|à|ao|al|an|dem|der|для) (?:the |la |el |l'|o )?[{UPPER}]")
_HAS_CAPITAL = re.compile(rf"[{UPPER}]")
# An article before a name ("the ministry", "la Fiscalía", "o Exército"), not part of it.
_LEADING_ARTICLE = re.compile(
    r"^(?:the|la|el|le|les|los|las|die|der|das|dem|den|des|o|a|os|as|il|lo) ", re.IGNORECASE
)
MAX_SPEAKER = 70
_CLITIC_BEFORE = re.compile(r"(?<!\w)(\w{1,3}['’]?) ?$")
MAX_APPOSITION_ROLE = 90


_STAMP_TAIL = re.compile(r"^\d{1,2} ?[-–—] ?")  # "18:47 - Police said": the minutes left after the colon


def _clean(x: str, lex: Lexicon) -> str:
    x = _STAMP_TAIL.sub("", x.strip(" ,.")).strip(" ,.—–-")
    trailing = lex.lowered("attribution.trailing")
    words = x.split()
    # "…, the ministry said on Tuesday" / "the ministry has said": cut the tail words.
    for i, w in enumerate(words):
        if _place_of_the_body(words, i, lex):
            continue  # "Officials in Baku", "die Regierung in Kinshasa": the place says whose they are
        if i and w.lower() in trailing and not _ARABIC_ARTICLE.match(" ".join(words[i : i + 2])):
            words = words[:i]
            break
    return " ".join(words)


def _place_of_the_body(words: list[str], i: int, lex: Lexicon) -> bool:
    """Whether ``words[i]`` is a one-word "in" of place between a body or its officials and a
    capitalised name ("Officials in Baku", "die Regierung in Kinshasa", "le gouvernement à Bamako"):
    part of the body's name, not a tail to cut."""
    if not 0 < i < len(words) - 1 or not words[i + 1][:1].isupper():
        return False
    if words[i].lower() not in lex.lowered("places.before"):  # a one-word "in": a word of the list
        return False
    body = words[i - 1].lower().strip(",")
    return any(
        lex.fullmatch(key, body)
        for key in ("anonymous.terms", "attribution.source_nouns", "parties.org_words")
    )


_RELATIVE = {"which", "who", "whom", "whose", "that", "qui", "dont", "lequel", "cual", "quien", "quienes", "welche",
             "welcher", "который", "которая", "которые", "який", "яка", "які", "cui"}  # fmt: skip


# "Al Jazeera", "Al-Shabaab": the Arabic article of a name, not the Italian or Spanish "al" ("to the")
_ARABIC_ARTICLE = re.compile(rf"Al[- ][{UPPER}]")
_TWO_LETTERS = re.compile(rf"[{UPPER}]{{2}}")  # "the UN said": a name too short to hold a content word


def _acceptable(x: str, lex: Lexicon) -> bool:
    if not x or len(x) > MAX_SPEAKER or len(x.split()) > 9:
        return False
    relative = _RELATIVE | lex.lowered("denials.that")
    if any(w.lower().strip(",") in relative for w in x.split()[1:]):
        return False  # "the rights group which first …": a clause, not a name
    if len(x.split()) > 1 and x.split()[-1].lower() in lex.words("denials.clause_joiners"):
        return False  # "… la acusación del ministro y dijo": the verb's subject is before, not these words
    first = x.split()[0].lower()
    is_article = first in lex.lowered("parties.articles")
    opens_a_name = len(x.split()) > 1 and is_article
    if (
        first in lex.lowered("attribution.trailing") and not opens_a_name and not _ARABIC_ARTICLE.match(x)
    ) or first in (
        "on",
        "in",
        "at",
        "late",
        "early",
    ):
        return False
    # "la", "die" are pronouns alone ("se la dijo", "…, die sagte") and articles before a title and
    # the name it goes with ("La presidenta Claudia Sheinbaum dijo")
    words = x.split()
    article = is_article and (
        len(words) > 2
        and split_title(x.split(" ", 1)[1], lex) is not None
        or words[1:2] != []
        and (
            words[1][:1].isupper()  # "Die Polizei sagte": an article before a name, not a pronoun
            or lex.fullmatch("attribution.source_nouns", words[1].lower())  # "La policía dijo"
        )
    )
    if lex.fullmatch("attribution.pronouns", x) or (
        first in lex.lowered("attribution.not_speakers")
        and not article
        and spoken_for(x, lex) is None  # "Um porta-voz da KNDF"
    ):
        return False
    named = bool(_HAS_CAPITAL.search(x) or lex.matches("attribution.source_nouns", x))
    return named and (bool(tokens(x, lex)) or _TWO_LETTERS.fullmatch(_LEADING_ARTICLE.sub("", x)) is not None)


def spoken_for(speaker: str, lex: Lexicon) -> str | None:
    """The body an unnamed spokesperson speaks for: "An army spokesman" -> "army", "a spokesman for
    the ministry" -> "the ministry", "Um porta-voz da KNDF" -> "KNDF"; None for anyone else."""
    words = speaker.split()
    if len(words) < 3 or not lex.fullmatch("anonymous.determiners", words[0].lower()):
        return None
    rest = " ".join(words[1:])
    role = lex.search("parties.spokesperson", rest)
    if role is None:
        return None
    before, after = rest[: role.start()].strip(), rest[role.end() :].split()
    if after and lex.fullmatch("parties.speaks_for", after[0].lower()) and len(after) > 1:
        return " ".join(after[1:])
    return before if before and not after else None


def _body_behind(x: str, lex: Lexicon) -> str:
    """'un último balance de la Fiscalía General' -> 'Fiscalía General': a report's issuer, when
    the phrase opens with common nouns and a capitalised name follows the lexicon's "of"."""
    of, by = lex.pattern("attribution.of"), lex.pattern("denials.by")
    if of is None or not x[:1].islower():
        return x
    hits = sorted([*of.finditer(x), *(by.finditer(x) if by is not None else [])], key=lambda m: m.start())
    for m in hits:
        if len(x[: m.start()].split()) > 4:
            break
        if lex.matches("parties.org_words", x[: m.start()]):
            return x  # "ministerio de Salud del enclave": the body's own name, not a report of it
        rest = _LEADING_ARTICLE.sub("", x[m.end() :].lstrip())
        # "un balance actualizado por el ejército": by a body the language writes in lowercase too
        if rest[:1].isupper() or lex.matches("attribution.source_nouns", rest):
            return rest
    return x


def _titled_person_in(x: str, lex: Lexicon) -> str | None:
    """The phrase up to the end of a person's name that follows a title in it, or None."""
    for m in PERSON.finditer(x):
        head = x[: m.end()]
        if split_title(head, lex) is not None:
            return head
    return None


def _after_time_words(phrase: str, trailing: Set[str], *, keep: frozenset[str] = frozenset()) -> str:
    """``phrase`` without the words of ``trailing`` (time words, auxiliaries) it opens with, but
    never without its last word, nor without a word of ``keep`` and what follows it."""
    words = phrase.split()
    while len(words) > 1:
        if len(words) > 2 and " ".join(words[:2]).lower() in trailing:
            words = words[2:]  # "Am Montag hatte die Regierung …": a time phrase of two words
        elif (
            words[0].lower() in trailing
            and words[0].lower() not in keep
            and not _ARABIC_ARTICLE.match(" ".join(words[:2]))
        ):
            words = words[1:]
        else:
            break
    return " ".join(words)


def _after_an_opening_phrase(x: str, lex: Lexicon) -> str:
    """The subject after a phrase that opens the sentence with no comma ("After the attack the police",
    "Dopo l'attacco la polizia"): from the last article that no "of", "and" or preposition joins to
    the words before it ("the head of the police", "Organizers of the protest outside the courthouse"
    stay whole); ``x`` itself where there is none."""
    words = x.split()
    articles = lex.lowered("parties.articles", "parties.articles_before_bodies")
    joiners = lex.lowered(
        "parties.connectors", "denials.clause_joiners", "places.before", "places.of", "denials.by"
    )
    for i in range(len(words) - 2, 0, -1):
        if words[i].lower() in articles and words[i - 1].lower() not in joiners | articles:
            return " ".join(words[i:])
    return x


def _opening_subject(head: str, lex: Lexicon, trailing: Set[str], good: Callable[[str], bool]) -> str | None:
    """The subject that opens a clause before its verb: without the time words before it, or with
    its article where the words after the article alone are no name ("Il sedicente Stato Islamico")."""
    opening = _after_time_words(head, trailing)
    x = _clean(opening, lex)
    if (after := _clean(_after_an_opening_phrase(opening, lex), lex)) != x and good(after):
        return after
    if good(x):
        return x
    kept = _clean(_after_time_words(head, trailing, keep=lex.lowered("parties.articles")), lex)
    return kept if kept != x and good(kept) else None


def _headline_source(text: str, lex: Lexicon) -> str | None:
    """The source a headline names after a closing colon, as news headlines do ("At least 21 killed
    as gunmen storm hotel: police"): a line with no closing stop whose last words, at most four,
    follow ": " and name a source (a source noun, a person's name, a titled person)."""
    if not text or text[-1] in '.!?…"”»' or ": " not in text:
        return None
    tail = text.rsplit(": ", 1)[1].strip()
    if not tail or len(tail.split()) > 4 or _DELIMS.search(tail):
        return None
    tail = _LEADING_ARTICLE.sub("", tail)
    # a source, not the second half of a headline ("Ukraine war: Russia strikes Kyiv")
    source = lex.matches("attribution.source_nouns", tail) or PERSON.fullmatch(tail) or split_title(tail, lex)
    return tail if source and _acceptable(tail, lex) else None


_NAME_RUN = re.compile(rf"{CAPITALISED}(?: {CAPITALISED}){{0,5}}")


def _opening_according_to(text: str, lex: Lexicon) -> str | None:
    """A preposition that means "according to" only where it opens the sentence ("Per la polizia,
    …", "Per Al Jazeera i feriti sarebbero 28", "Pour l'armée, …"): the name after it, up to its
    comma, or else its capitalised words; never a phrase with no name in it ("Per la prima volta")."""
    opening = lex.pattern("attribution.according_to_opening")
    m = opening.match(text) if opening is not None else None
    if m is None:
        return None
    tail = text[m.end() : m.end() + MAX_SPEAKER + 10].lstrip()
    d = _DELIMS.search(tail)
    if (run := _NAME_RUN.match(tail)) is not None:
        x = run.group(0)
    elif d is not None and tail[d.start()] == ",":
        x = _clean(_LEADING_ARTICLE.sub("", tail[: d.start()].strip()), lex)
    else:
        return None
    return x if _acceptable(x, lex) else None


def _to_delimiter(tail: str) -> str:
    """``tail`` up to its first delimiter or sentence-ending full stop."""
    d = _DELIMS.search(tail) or re.search(r"\.(?: |$)", tail)
    return tail[: d.start()] if d else tail


def _up_to_lowercase(phrase: str, lex: Lexicon) -> str:
    """In a language that capitalises its nouns (``attribution.name_joiners`` set), the phrase up
    to its first lowercase word that joins no name: "Polizei wurden drei …" -> "Polizei"."""
    joiners = lex.lowered("attribution.name_joiners")
    if not joiners:
        return phrase
    words = phrase.split()
    for i, w in enumerate(words):
        if w[:1].islower() and w not in joiners:
            return " ".join(words[:i])
    return phrase


# a capital first, or a letter of a script without case ("(SOHR)", "(سانا)"); not "(officers)"
_ONE_NAME = re.compile(rf"[{UPPER}][^\W\d_]{{2,30}}")
_SHORT_FORM = re.compile(rf"(?<=\w) \(((?:[{UPPER}]|[\u0590-\u08ff])[^()\s]{{0,14}})\)")


def speaker_in(sentence: str, lex: Lexicon, *, claims: bool = False) -> str | None:
    """The speaker a sentence names, or None. Every scan is bounded: the phrase before or after
    an attribution verb runs to the nearest delimiter, at most 70 characters. ``claims``: with no
    verb of saying, the subject of a verb that makes a claim ("accused", "called for", "denied")
    is the speaker too; it is the claimant of what it says, not the source of a figure in it.

    A name's short form in brackets ("The Syrian Observatory for Human Rights (SOHR) said") is no
    delimiter between the name and its verb; it comes back with the name, which the party book
    reads as the name and its abbreviation."""
    if not lex.supported:
        return None
    text = analysis_text(sentence)
    speaker = _speaker(_SHORT_FORM.sub("", text), lex, claims=claims)
    if (
        speaker is not None
        and len(words := speaker.split()) > 1
        and words[1][:1].isupper()
        and words[0].lower() in lex.lowered("parties.articles")
    ):
        speaker = " ".join(words[1:])  # "Die Polizei", "la CNCP": the name without its article
    if speaker is None or "(" not in text:
        return speaker
    for m in _SHORT_FORM.finditer(text):
        if text.endswith(speaker, 0, m.start()):
            return f"{speaker} ({m.group(1)})"
    return speaker


def _speaker(text: str, lex: Lexicon, *, claims: bool) -> str | None:
    if points_back(text, lex) is not None:
        return None  # "Об этом сообщил …", "Así lo informó …": see ``back_speaker``
    if (headline := _headline_source(text, lex)) is not None:
        return headline
    # "Dr. Hauwa Musa, medical director of X, told …": the name before the apposition.
    said = lex.pattern("attribution.said")
    if said is None:
        return None
    # after a comma, or after the closing quote of what was said ('"…," Sergiy Cherevaty, spokesman …, told')
    starts = [0] + [c.end() for c in _CLAUSE_START.finditer(text[:MAX_APPOSITION_SCAN])]
    for at in starts[:MAX_CLAUSES]:
        person = _APPOSITION.match(text, at)
        if person and said.match(text, person.end()):
            return person.group(1)  # "Earlier Sunday, Pavlo Kyrylenko, the head of …, said"
    if (opened := _opening_according_to(text, lex)) is not None:
        return opened
    according = lex.pattern("attribution.according_to")
    if according is not None:
        for m in according.finditer(text):
            tail = text[m.end() : m.end() + MAX_SPEAKER + 10].lstrip()
            d = _DELIMS.search(tail)
            phrase = _up_to_lowercase(tail[: d.start()] if d else tail, lex)
            x = _clean(phrase, lex)
            if x != phrase.strip(" ,.—–-") and (named := _titled_person_in(phrase.strip(), lex)):
                x = named  # "как сообщил начальник ГУ МВД в Донецкой области Вячеслав Аброськин": up to the name
            x = _LEADING_ARTICLE.sub("", x)
            unarticled = _LEADING_ARTICLE.sub("", phrase.strip())
            # "un balance actualizado por el ejército este viernes": the issuer, then its tail cut
            behind = _body_behind(unarticled, lex)
            x = _clean(behind, lex) if behind != unarticled else _body_behind(x, lex)
            if _acceptable(x, lex):
                return x
            if d is not None and tail[d.start()] == ",":
                # "according to the civil surgeon, Dr Hasina Akter": the name in apposition to a role
                name = _to_delimiter(tail[d.end() :]).strip()
                if PERSON.fullmatch(name) and _acceptable(name, lex):
                    return name
    verbs = sorted([*list(said.finditer(text))[:4], *_split_verbs(text, lex)], key=lambda v: v.start())[:4]
    determiner = re.compile(
        r"^(?:the|a|an|la|el|le|les|los|las|die|der|das|o|os|il|lo|i|gli) ", re.IGNORECASE
    )

    def good(x: str) -> bool:
        return _acceptable(x, lex) and (
            not x[:1].islower()
            or bool(determiner.match(x))
            or lex.matches("attribution.source_nouns", x)
            or split_title(x, lex) is not None  # "спикер СНБО Андрей Лысенко"
        )

    # First a speaker set off by a delimiter ("…, AFAD said"), then one that opens the sentence
    # ("The ministry said …"), then the inverted order ("…, said the ministry").
    for m in verbs:
        head = text[max(0, m.start() - MAX_SPEAKER - 10) : m.start()]
        cuts = list(_DELIMS.finditer(head))
        if cuts and (x := _clean(head[cuts[-1].end() :], lex)) and good(x):
            return x
        if len(cuts) >= 2 and not head[cuts[-1].end() :].strip() and head[cuts[-1].start()] == ",":
            # "The president of Colombia, Iván Duque, announced …": the name between the commas
            x = head[cuts[-2].end() : cuts[-1].start()].strip()
            if PERSON.fullmatch(x):
                return x
            # "Chalachew, the Gondar city spokesperson, said": a post between the commas, the name
            # before them (at the sentence's start or after a delimiter)
            whole = m.start() <= MAX_SPEAKER + 10 or len(cuts) >= 3
            name = head[cuts[-3].end() if len(cuts) >= 3 else 0 : cuts[-2].start()].strip()
            if (
                whole
                and determiner.match(x)
                and head[cuts[-2].start()] == ","
                and (PERSON.fullmatch(name) or _ONE_NAME.fullmatch(name))
                and good(name)
                and not lex.fullmatch("attribution.openers", name.lower())
            ):
                return name
    for first, second in zip(verbs, verbs[1:], strict=False):
        # "CNN reported hospital official Sehrab Khan said …": the source is the one quoted last
        inner = text[first.end() : second.start()]
        if first.start() <= MAX_SPEAKER + 10 and len(inner) <= MAX_SPEAKER and not _DELIMS.search(inner):
            x = _clean(inner, lex)
            if good(x) and (split_title(x, lex) is not None or PERSON.fullmatch(x)):
                return x
    trailing = lex.lowered("attribution.trailing")
    for m in verbs:
        # "Ранее спикер СНБО Андрей Лысенко сообщил": not "earlier"
        if (
            m.start() <= MAX_SPEAKER + 10
            and not _DELIMS.search(text[: m.start()])
            and (subject := _opening_subject(text[: m.start()], lex, trailing, good)) is not None
        ):
            return subject
    for m in verbs:
        # "…: lo ha detto il capo della Protezione civile": an object pronoun before the verb
        at = m.start()
        if (clitic := _CLITIC_BEFORE.search(text, max(0, at - 6), at)) is not None and lex.fullmatch(
            "attribution.clitics", clitic.group(1)
        ):
            at = clitic.start()
        if at == 0 or text[max(0, at - 2) : at].strip() in (
            ",",
            "،",
            "»",
            "”",
            '"',
            "—",
            "–",
            "-",
            ":",
        ):
            phrase = _to_delimiter(text[m.end() : m.end() + MAX_SPEAKER].lstrip())
            if lex.fullmatch("attribution.said_split", m.group(0)):
                phrase = _before_particle(phrase, lex)  # "…, teilte das Innenministerium mit."
            if at == 0 and not _opens_a_noun_phrase(phrase, determiner, lex):
                continue  # "Reports periodically surface about …": a noun, not a verb before its speaker
            if (to := _SAID_TO.match(_clean(phrase, lex))) is not None:
                x = to.group(1)  # "cuenta a Efe José Homero": whom it was told, then the speaker
            elif (recipient := _RECIPIENT.match(phrase)) is not None:
                x = _clean(_after_time_words(phrase[recipient.end() :], trailing), lex)
            else:  # "a déclaré samedi Saaz Wali Shinwari", "dijo ayer el ministro"
                x = _clean(_after_time_words(phrase, trailing), lex)
            x = determiner.sub("", x)
            if (named := _titled_person_in(x, lex)) and _RECIPIENT_AFTER.match(x[len(named) :]):
                x = named  # "sagte Gouverneur Ali Khan der Deutschen Presse-Agentur": whom he told, after him
            if not _acceptable(x, lex) and (named := _titled_person_in(x, lex)):
                x = named  # "— заявив речник … ЗСУ Сергій Череватий у відповідь на заяву": up to the name
            if _acceptable(x, lex):
                return x
            if (
                at == 0
                and (subject := _subject_before_that(text[m.end() : m.end() + MAX_SPEAKER], lex)) is not None
            ):
                return subject
    # No verb of saying: the subject of a verb that makes a claim ("Tigrayan forces called for …",
    # "Meanwhile, the Ministry of Defense denied …", "Il sedicente Stato Islamico ha rivendicato …"),
    # set off by a delimiter or opening the sentence.
    claiming = lex.pattern("attribution.claim_verbs") if claims and not verbs else None
    openers = lex.pattern("attribution.openers")
    for m in list(claiming.finditer(text))[:4] if claiming is not None else []:
        head = text[max(0, m.start() - MAX_SPEAKER - 10) : m.start()]
        if openers is not None and (opening := openers.match(head)) is not None:
            head = head[opening.end() :]  # "Между тем в МВД …", "Meanwhile the army …"
        cuts = list(_DELIMS.finditer(head))
        if cuts and (x := _clean(head[cuts[-1].end() :], lex)) and good(x):
            return x
        if (
            not cuts
            and m.start() <= MAX_SPEAKER + 10
            and (subject := _opening_subject(head, lex, trailing, good)) is not None
        ):
            return subject
    return None


def _opens_a_noun_phrase(phrase: str, determiner: re.Pattern[str], lex: Lexicon) -> bool:
    """Whether ``phrase`` opens as a speaker does after a verb that opens its sentence ("Dijo el
    ministro", "Сообщил губернатор", "وقال المرصد"): with a determiner, a capital or a word without
    case, a source noun or a title; not with an adverb or a verb ("Reports periodically surface …")."""
    first = phrase.split()[0] if phrase.split() else ""
    return (
        not first[:1].islower()
        or determiner.match(phrase) is not None
        or lex.fullmatch("attribution.source_nouns", first.lower())
        or split_title(phrase, lex) is not None
        or _SAID_TO.match(phrase) is not None
        or _RECIPIENT.match(phrase) is not None
    )


MAX_SPLIT_GAP = 3  # words between a split verb and its particle ("teilte nun dagegen mit")
MAX_INVERTED_SPLIT_GAP = 7  # with the subject between them ("teilte ein Sprecher des Ministeriums mit")


def _split_verbs(text: str, lex: Lexicon) -> list[re.Match[str]]:
    """A verb of saying whose particle closes its clause a few words on, before a comma or colon
    ("Die Polizei teilte mit, …", "Die Armee gab am Montag bekannt, …"): the verb, as a verb of saying."""
    split, particles = lex.pattern("attribution.said_split"), lex.pattern("attribution.split_particles")
    if split is None or particles is None:
        return []
    out = []
    final = text.rstrip().rsplit(maxsplit=1)[-1] if text.strip() else ""  # the sentence's last word
    for m in list(split.finditer(text))[:4]:
        # after a delimiter the verb comes before its subject and the particle closes the sentence
        # ("…, teilte das Innenministerium mit.")
        inverted = text[max(0, m.start() - 2) : m.start()].strip() in (",", "»", "”", '"', "“")
        gap = MAX_INVERTED_SPLIT_GAP if inverted else MAX_SPLIT_GAP
        for word in text[m.end() : m.end() + 120].split()[: gap + 1]:
            if word[-1:] in ",:" and particles.fullmatch(word[:-1]):
                out.append(m)
                break
            if inverted and word == final and particles.fullmatch(word.rstrip(".!")):
                out.append(m)
                break
            if word[-1:] in ",:;.":
                break
    return out


def _before_particle(phrase: str, lex: Lexicon) -> str:
    """The words between an inverted split verb and its particle ("das Innenministerium mit." ->
    "das Innenministerium")."""
    words = phrase.split()
    if len(words) > 1 and lex.fullmatch("attribution.split_particles", words[-1].rstrip(".!")):
        return " ".join(words[:-1])
    return phrase


def _subject_before_that(tail: str, lex: Lexicon) -> str | None:
    """In a script without capitals, the words between a sentence-opening verb of saying and the
    "that" of what was said ("وقال المالكى إن …": "المالكى"; "وقال حزب الله، السبت، إنه …": up to
    the comma, a time follows it): verb, subject, that, as Arabic orders a report. Nothing else
    marks a name there; the "that" closes it."""
    words = tail.split()[: MAX_SUBJECT_WORDS + 3]
    that = set(lex.words("denials.that"))
    k = next((i for i, w in enumerate(words) if w.strip(QUOTES) in that), 0)
    if not k:
        return None
    words = words[:k]
    end = next((i + 1 for i, w in enumerate(words) if _DELIMS.search(w)), len(words))
    subject = " ".join(words[:end]).strip(" ,،")
    if end > MAX_SUBJECT_WORDS or not subject:
        return None
    if not caseless(subject) or lex.fullmatch("attribution.pronouns", subject):
        return None
    if words[0].lower() in lex.lowered("attribution.trailing"):
        return None
    return subject if tokens(subject, lex) else None


MAX_SUBJECT_WORDS = 4
QUOTES = "\"“”«»„'"  # quote marks around a word ('"categorically" denied')


def attributed(text: str, lex: Lexicon) -> bool:
    """Whether a text attributes what it says: a verb of saying, "according to", a claim verb."""
    return any(
        lex.matches(k, text)
        for k in ("attribution.said", "attribution.according_to", "attribution.claim_verbs")
    )


# whom it was told, right after the verb: "told Reuters", "ha riferito all'Afp", "dijo a Efe"
_TOLD_TO = re.compile(r"^ ?(?:to|a|à|ao|al|all['’]|alla|an|dem|der|для) ?[^\W\d_]++(?: |$)", re.IGNORECASE)
MAX_POINTER_GAP = 3  # characters between the words pointing back and their verb ("C'est ce qu'a annoncé")


def points_back(sentence: str, lex: Lexicon) -> re.Match[str] | None:
    """The verb of saying of a sentence that only says who said the sentence before it ("Об этом
    сообщает ТАСС.", "Про це йдеться в повідомленні …", "Así lo informó el ministro …", "Das teilte
    die Polizei mit."): it opens with words pointing back (``attribution.back_pointers``) followed
    by the verb, or with a cleft that holds both (``attribution.back_clefts``: "A darne notizia è
    stato …"). None for any other sentence."""
    at = len(sentence) - len(sentence.lstrip())
    cleft = lex.pattern("attribution.back_clefts")
    if cleft is not None and (whole := cleft.match(sentence, at)) is not None:
        return whole  # "A darne notizia è stato Nasrat Rahimi": the words pointing back hold the verb
    pointer = lex.pattern("attribution.back_pointers")
    if pointer is None:
        return None
    opening = pointer.match(sentence, at)
    if opening is None:
        return None
    at = opening.end()
    for key in ("attribution.said", "attribution.said_split"):
        # "Das teilte die Polizei mit": a verb whose particle closes the clause
        said = lex.pattern(key)
        verb = said.search(sentence, at, at + MAX_POINTER_GAP + MAX_SPEAKER) if said is not None else None
        if verb is not None and not sentence[at : verb.start()].strip():
            return verb
    return None


def back_speaker(sentence: str, book: PartyBook) -> str | None:
    """The listed party a sentence pointing back (``points_back``) names as the speaker: the first
    one named after its verb, up to the clause's end ("Об этом сообщил во вторник Совет
    национальной безопасности и обороны Украины …"). None when it names no listed party or is no
    such sentence."""
    verb = points_back(sentence, book.lex)
    if verb is None:
        return None
    tail = _TOLD_TO.sub("", sentence[verb.end() : verb.end() + 2 * MAX_SPEAKER])  # "Lo ha riferito all'Afp …"
    # the clause, then the name in apposition to it ("Así lo informó el ministro de Defensa, Juan Manuel Santos")
    for i, phrase in enumerate(re.split(r"[,;:،]", tail)[:2]):
        if i and attributed(phrase, book.lex):
            break  # "Об этом сообщил X, пишет УНН": a second speaker, not a name in apposition
        low = phrase.lower()
        best: tuple[int, str] | None = None
        for party in book.parties:
            if not book.named_in(party.name, phrase):
                continue
            starts = [low.find(t[:6]) for t in tokens(party.name, book.lex)]
            at = min((x for x in starts if x >= 0), default=len(low))
            if best is None or at < best[0]:
                best = (at, party.name)
        if best is not None:
            return best[1]
    return None


VERB_TO_FIGURE = 40  # characters: "says 31 killed", "said at least 12 people were"


def speaker_of_the_verb_before(sentence: str, at: int, lex: Lexicon) -> str | None:
    """The speaker of the attribution verb that opens the clause holding position ``at`` ("rights
    body says 31 killed …, government says seven": "rights body" for the 31): the verb no more
    than a few words before it, with no delimiter between them, and its subject back to the
    delimiter before it. None when no verb does."""
    said = lex.pattern("attribution.said")
    if said is None or not lex.supported:
        return None
    text = sentence  # offsets as in the sentence; every scan below is bounded
    window_start = max(0, at - VERB_TO_FIGURE - MAX_SPEAKER - 10)
    verbs = [m for m in said.finditer(text, window_start, at) if at - m.end() <= VERB_TO_FIGURE]
    if not verbs or _DELIMS.search(text, verbs[-1].end(), at):
        return None
    verb = verbs[-1]
    head = text[max(0, verb.start() - MAX_SPEAKER - 10) : verb.start()]
    cuts = list(_DELIMS.finditer(head))
    clause = head[cuts[-1].end() :] if cuts else head
    last = lex.last("attribution.clause_openers", clause)
    if last is not None:
        # "…, while Hamas said 30 died", "… rose to 15 though the police chief confirmed only nine"
        clause = clause[last.end() :]
    x = _clean(clause, lex)
    x = _LEADING_ARTICLE.sub("", x)
    if not _acceptable(x, lex) or (x[:1].islower() and not lex.matches("attribution.source_nouns", x)):
        return None
    return x


def add_quoted_speakers(sentences: list[Sentence], book: PartyBook) -> None:
    """Whoever the article quotes by name is a party, whether or not the model listed them."""
    lex = book.lex
    for sentence in sentences:
        speaker = speaker_in(sentence.text, lex)
        if speaker is None or is_anonymous(speaker, lex) or spoken_for(speaker, lex) is not None:
            continue  # an unnamed spokesperson is the body they speak for, not a party of their own
        titled = split_title(speaker, lex)
        person = titled[0] if titled is not None else speaker if PERSON.fullmatch(speaker) else None
        role = apposed_role(analysis_text(sentence.text), speaker, lex) if titled is None and person else None
        known = book.find(person) if person is not None else None
        if role is not None and (known is None or known.type == "other"):
            # "Ismatullah Muradi, spokesman for the Kunduz Governor, told …": a person with a post
            party = known or book.add(speaker, "official", role=role)
            if party is not None:
                party.type, party.role = "official", party.role or role
        # "MILF spokesman Eid Kabalu" is a person of his own, not the MILF the name begins with
        elif person is not None and known is None:
            book.resolve(speaker)


def apposed_role(text: str, name: str, lex: Lexicon) -> str | None:
    """The post set off by commas right after ``name`` ("Ismatullah Muradi, spokesman for the
    Kunduz Governor, told …"), when it holds a title; else None."""
    at = text.find(f"{name}, ")
    if at < 0:
        return None
    rest = text[at + len(name) + 2 : at + len(name) + 2 + MAX_APPOSITION_ROLE]
    end = rest.find(", ")
    role = rest[:end] if end > 0 else ""
    if not role or _DELIMS.search(role) or not lex.matches("parties.titles", role):
        return None
    return _LEADING_ARTICLE.sub("", role)


def said_by_pronoun(sentence: str, lex: Lexicon) -> bool:
    """Whether a pronoun is the subject of the sentence's attribution verb ("…, it said", "he told
    reporters", "— заявил он"), outside quoted speech."""
    said = lex.pattern("attribution.said")
    if said is None or not lex.words("attribution.pronouns"):
        return False
    text = _QUOTED_SPEECH.sub(" ", analysis_text(sentence))
    for m in list(said.finditer(text))[:4]:
        before = text[max(0, m.start() - 12) : m.start()].split()
        after = text[m.end() : m.end() + 12].strip(" ,.—–-").split()
        if (before and lex.fullmatch("attribution.pronouns", before[-1].strip(",—–-"))) or (
            after and lex.fullmatch("attribution.pronouns", after[0].strip(",."))
        ):
            return True
    return False


_QUOTED_SPEECH = re.compile(r"[“\"«„][^”\"»“]{0,400}+[”\"»“]")
PRONOUN_LOOKBACK = 3  # sentences


def reporter(
    book: PartyBook, sentence: Sentence, proposed: str | None, sentences: list[Sentence] | None = None
) -> tuple[str | None, str]:
    """The figure's or claim's source and the rule that chose it: the model's answer when the
    sentence names it; else the speaker the sentence names; else, when a pronoun speaks ("…, it
    said") and the model named no one, the speaker named in the nearest sentence before it
    (``sentences``: the article's, to look back in); else the model's answer."""
    lex = book.lex
    outlet = book.outlet
    rule = "source_as_proposed"
    if outlet and norm(proposed) == norm(outlet):
        proposed, rule = None, "outlet_is_not_a_source"
    anonymous = not proposed or is_anonymous(proposed, lex)
    if not anonymous and book.named_in(proposed, sentence.text):
        return book.resolve(proposed), rule
    # The sentence's own speaker beats a name the model found only in the sentence before it.
    speaker = speaker_in(sentence.text, lex)
    if speaker is not None:
        if (body := spoken_for(speaker, lex)) is not None and (owner := book.resolve(body)) is not None:
            return owner, "spokesperson_speaks_for_body"  # "An army spokesman said"
        words = speaker.split(maxsplit=1)
        if is_anonymous(speaker, lex) or (len(words) > 1 and lex.fullmatch("anonymous.indefinite", words[0])):
            # the language's own indefinite words: Portuguese "A polícia" is "the police"
            return None, "anonymous_speaker"
        resolved = book.resolve(speaker)
        if resolved is not None:
            return resolved, "speaker_named_by_sentence"
    elif (
        sentences
        and not attributed(sentence.text, lex)
        and (after := by_index(sentences, sentence.index + 1)) is not None
        and (named := back_speaker(after.text, book)) is not None
        and not (outlet and norm(named) == norm(outlet))
    ):
        # "… 7 killed. Об этом сообщает ТАСС."
        return book.resolve(named), "source_named_in_the_sentence_after"
    elif anonymous and sentences and said_by_pronoun(sentence.text, lex):
        for back in range(1, PRONOUN_LOOKBACK + 1):
            earlier = by_index(sentences, sentence.index - back)
            named = speaker_in(earlier.text, lex) if earlier is not None else None
            if named is not None:
                if is_anonymous(named, lex):
                    break
                resolved = book.resolve(named)
                if resolved is not None:
                    return resolved, "pronoun_speaker_named_before"
                break
    return book.resolve(proposed), rule
