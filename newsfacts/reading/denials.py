"""Denials: the model's proposals where the sentence denies something, and the denials whose
grammar is explicit ("X denied that …", "X rejected the claims …") read from the text itself."""

from __future__ import annotations

import re
from functools import cache

import prompts
from newsfacts.reading.lexicon import Lexicon
from newsfacts.reading.names import norm_text, tokens
from newsfacts.reading.parties import PartyBook
from newsfacts.reading.sentences import (
    LIVE_TIME,
    Sentence,
    analysis_text,
    by_index,
    sentence_quote,
    title_lines,
)
from newsfacts.reading.speakers import QUOTES, speaker_in
from newsfacts.reading.trace import Trace
from schemas.contract import Denial, Grounding
from schemas.extraction import DenialsForm

MAX_SUBJECT_WORDS = 12


def _words(text: str, n: int) -> str:
    return " ".join(text.split()[:n])


def denial_verb(text: str, lex: Lexicon) -> re.Match[str] | None:
    """An explicit denial verb; "rejected" and the like only with what they reject ("the claims")."""
    m = lex.search("denials.deny", text)
    if m is not None:
        return m
    reject = lex.pattern("denials.reject")
    objects = lex.pattern("denials.reject_objects")
    if reject is None or objects is None:
        return called_false(text, lex)
    for m in reject.finditer(text):
        if objects.search(" ".join(text[m.end() : m.end() + 80].split()[:7])):
            return m
    return called_false(text, lex)


def called_false(text: str, lex: Lexicon) -> re.Match[str] | None:
    """A verb of calling with a word for a falsehood in the words after it ("called that claim a
    cynical lie", "назвал данную информацию дезинформацией"): a denial of what it calls so."""
    call, falsehoods = lex.pattern("denials.call"), lex.pattern("denials.falsehoods")
    if call is None or falsehoods is None:
        return None
    for m in call.finditer(text):
        if falsehoods.search(" ".join(text[m.end() : m.end() + 120].split()[:10])):
            return m
    return None


def negated(text: str, m: re.Match[str], lex: Lexicon) -> bool:
    """ "did not deny", "declined to deny", "n'a pas démenti": not a denial."""
    neg = lex.pattern("denials.negated")
    if neg is None:
        return False
    before = text[max(0, m.start() - 30) : m.start()]
    return any(hit.end() >= len(before) - 20 for hit in neg.finditer(before))


def passive(text: str, m: re.Match[str], lex: Lexicon) -> bool:
    """ "The report was denied", "è stato smentito", "fue desmentido": the verb in the passive, its
    auxiliary the word before it or the word before an adverb ("was quickly denied")."""
    words = [w.strip(",").lower() for w in text[max(0, m.start() - 40) : m.start()].split()[-2:]]
    if not words:
        return False
    if lex.fullmatch("denials.passive", words[-1]):
        return True
    adverb = words[-1].endswith(("ly", "mente", "ment"))
    return adverb and len(words) == 2 and lex.fullmatch("denials.passive", words[0])


def agent_after(text: str, m: re.Match[str], lex: Lexicon) -> str | None:
    """The agent of a passive denial ("was denied by the army", "smentito dal Viminale"): the words
    after "by" up to the next delimiter, at most eight."""
    by = lex.pattern("denials.by")
    tail = text[m.end() : m.end() + 160].lstrip()
    hit = by.match(tail) if by is not None else None
    if hit is None:
        return None
    rest = tail[hit.end() :]
    stop = re.search(r"[,;:.()\"“”«»]", rest)
    trailing = lex.lowered("attribution.trailing")
    words: list[str] = []
    for w in (rest[: stop.start()] if stop else rest).split():
        if words and w.lower() in trailing:
            break  # "by the Defence Ministry on Tuesday"
        words.append(w)
    return " ".join(words) if 0 < len(words) <= 8 else None


def subject_of(parts: list[str]) -> str | None:
    """The one who denies among the parts of the words before the verb (``subject_parts_before``):
    the first when it is alone or capitalised ("The army, which …"), else the last."""
    if not parts:
        return None
    return parts[0] if len(parts) == 1 or any(ch.isupper() for ch in parts[0]) else parts[-1]


_DASHED_ASIDE = re.compile(r" [–—] [^–—]{1,160}+[–—](?= )")
_SPACED_DASH = re.compile(r" [–—] ")


def subject_parts_before(sentence: str, at: int, lex: Lexicon) -> list[str]:
    """The comma-separated parts of the words before the verb at ``at``, back to the clause's
    start ("Meanwhile, the Ministry of Defense"), in order; none when they are too many words."""
    head = sentence[max(0, at - 160) : at].replace("،", ",")  # the Arabic comma
    # An aside between dashes before the verb is not the subject ("The army – which holds the town –
    # denied"); a verb inside one has its subject in it ("la notizia – poi smentita – che …").
    head = _DASHED_ASIDE.sub(" ", head)
    cut = max(head.rfind(";"), head.rfind(":"), head.rfind("”,"), head.rfind('",'), head.rfind("»,"))
    cut = max(cut, head.rfind(" – ") + 2, head.rfind(" — ") + 2) if _SPACED_DASH.search(head) else cut
    joiners = lex.pattern("denials.clause_joiners")
    if joiners is not None:
        for m in joiners.finditer(head):
            if m.start() > cut:
                cut = m.end() - 1
    subject = head[cut + 1 :].strip(" ,") if cut >= 0 else head.strip(" ,")
    subject = LIVE_TIME.sub("", subject)
    last = lex.last("denials.that", subject)
    if last is not None and subject[last.end() :].strip():
        # "números que o líder do movimento desmente", "he said that the army denied": the subject
        # of the verb is the one after the "that"
        subject = subject[last.end() :].strip(" ,")
    adverbs = lex.lowered("denials.adverbs")
    words = subject.split()
    while words and words[-1].lower().strip(QUOTES) in adverbs:  # and "categorically" denied
        words.pop()
    subject = " ".join(words)
    # an opening quote mark is not part of the subject ('"L'armée dément …", dit un communiqué')
    parts = [p.strip(' "“”«»„') for p in subject.split(",") if p.strip(' "“”«»„')]
    if not parts or len(subject.split()) > MAX_SUBJECT_WORDS:
        return []
    return parts


MAX_INVERTED_SUBJECT_WORDS = 6


def subject_after(sentence: str, m: re.Match[str], lex: Lexicon, *, unnamed: bool = False) -> str | None:
    """The one who denies where the verb opens its clause ("ونفى الجيش الاتهامات", "Negó el
    Ejército que …"): the words after the verb up to what is denied (a "that", an object of the
    denial such as "the claims", a comma), when they name a source ("the army", "the ministry"),
    or whatever they name when ``unnamed`` (only an opening phrase stands before the verb)."""
    head = sentence[: m.start()].strip(" ,")
    if head and not head.endswith((":", ";", ",", "،")):
        return None
    tail = sentence[m.end() : m.end() + 200].replace("،", ",").split(",")[0]
    stops = {
        w.lower() for key in ("denials.that", "parties.stop", "attribution.trailing") for w in lex.words(key)
    }
    objects = lex.pattern("denials.reject_objects")
    words: list[str] = []
    for w in tail.split()[: MAX_INVERTED_SUBJECT_WORDS + 1]:
        core = w.strip('.;:"“”«»')
        if not core or core.lower() in stops or (objects is not None and objects.fullmatch(core)):
            break
        words.append(core)
        if core != w:
            break
    subject = " ".join(words)
    if not words or len(words) > MAX_INVERTED_SUBJECT_WORDS:
        return None
    named = lex.matches("attribution.source_nouns", subject) or lex.matches("parties.org_words", subject)
    return subject if named or unnamed else None


_POSSESSIVE_END = re.compile(r"(?:'s|’s|'|’)$")


def possessor(subject: str, lex: Lexicon) -> str:
    """Who a denial given as a noun is by: the possessor before it ("Despite Tehran's" -> Tehran,
    "the army's" -> the army), without the words that lead into it; the subject as it is when it
    ends in no possessive ("The army issued a denial")."""
    words = subject.split()
    if not words or not _POSSESSIVE_END.search(words[-1]):
        return subject
    words[-1] = _POSSESSIVE_END.sub("", words[-1])
    leads = lex.lowered("denials.before_possessor")
    while len(words) > 1 and words[0].lower().strip(",") in leads:
        words = words[1:]
    return " ".join(words)


def lead_subject(text: str, lex: Lexicon | None = None) -> str | None:
    """The capitalised noun phrase a sentence opens with: "The Velmoran Defence Ministry, in a …";
    none where the word it opens with is a preposition capitalised only for where it stands
    ("Pelo menos quatro pessoas …", "In the north …")."""
    first = text.split(maxsplit=1)[0].lower().strip(",") if text.strip() else ""
    if lex is not None and any(lex.fullmatch(key, first) for key in ("denials.by", "places.before")):
        return None
    words: list[str] = []
    for w in text.split()[:7]:
        core = w.strip(",.;:")
        if core[:1].isupper() or (
            not words and core.lower() in ("the", "la", "el", "le", "die", "der", "il", "o", "a")
        ):
            words.append(core)
            if core != w:
                break
        else:
            break
    return " ".join(words) if words and any(c.isupper() for c in "".join(words)) else None


MAX_ABSOLUTE_SUBJECT_WORDS = 5


def _absolute_subject(text: str, m: re.Match[str], lex: Lexicon) -> str | None:
    """The subject of a participle in a clause of its own, between a comma and the participle ("…,
    le gouvernement démentant de son côté …", "…, the army denying any role"): a short phrase that
    opens with an article."""
    head = text[max(0, m.start() - 80) : m.start()]
    comma = max(head.rfind(","), head.rfind("،"))
    words = head[comma + 1 :].split() if comma >= 0 else []
    articles = lex.lowered("parties.articles", "parties.articles_before_bodies")
    if not 2 <= len(words) <= MAX_ABSOLUTE_SUBJECT_WORDS or words[0].lower() not in articles:
        return None
    return " ".join(words)


def _known(book: PartyBook, name: str | None) -> str | None:
    party = book.listed(name)
    return party.name if party else None


def explicit_denials(sentences: list[Sentence], book: PartyBook) -> dict[int, tuple[str, str]]:
    """Sentence index -> (denier, what is denied) for every sentence whose grammar says who denies what."""
    lex = book.lex
    pronouns = lex.pattern("attribution.pronouns")
    found: dict[int, tuple[str, str]] = {}
    previous: str | None = None  # who the preceding sentence is about, for "It denied …"
    titles = title_lines(sentences)
    for sentence in sentences:
        text = analysis_text(sentence.text)
        m = denial_verb(text, lex)
        speaker = speaker_in(text, lex)
        if m is None or negated(text, m, lex) or sentence.index in titles:
            previous = _known(book, speaker or lead_subject(text, lex))
            continue
        is_passive = False
        if lex.fullmatch("denials.participles", m.group(0)):
            # "…, Kabalu said, disputing the army's account", "O Exército divulgou nota rejeitando …":
            # the one who speaks, or the subject the sentence opens with, denies
            subject = _absolute_subject(text, m, lex) or speaker or lead_subject(text, lex)
        elif is_passive := passive(text, m, lex) or agent_after(text, m, lex) is not None:
            # what comes before a passive verb is what was denied; its agent, if named, denies
            subject = _known(book, agent_after(text, m, lex))
            if subject is None:
                previous = _known(book, speaker or lead_subject(text, lex))
                continue
        else:
            parts = subject_parts_before(text, m.start(), lex)
            # an opening phrase ("Por su parte,", "من جانبه،", "Meanwhile,") is no one: the subject
            # follows it, before the verb or after it
            opened = bool(parts) and lex.fullmatch("attribution.openers", parts[0])
            parts = parts[1:] if opened else parts
            after = subject_after(text, m, lex, unnamed=opened and not parts)
            # a verb inside an aside between dashes has its subject there or none ("la notizia –
            # poi smentita – che …"): not the words the sentence opens with
            aside = len(_SPACED_DASH.findall(text[max(0, m.start() - 160) : m.start()])) % 2 == 1
            subject = subject_of(parts) or (None if aside or opened else lead_subject(text, lex)) or after
            # an opening word or phrase is not who denies when a party is named in the clause
            # ("Meanwhile, the Ministry of Defense denied …", "من جانبه، نفى الدكتور محمد سلطان …")
            if _known(book, subject) is None:
                listed = [c for c in (*parts, after) if _known(book, c) is not None]
                subject = listed[0] if listed else subject
        if subject and lex.fullmatch("denials.nouns", m.group(0)):
            subject = possessor(subject, lex)  # "Despite Tehran's denial, …": Tehran denies
        if subject and lex.fullmatch("parties.stop", subject.lower()):
            subject = None  # "La smentita arriva …": an article, not who denies
        is_pronoun = bool(subject and pronouns is not None and pronouns.fullmatch(subject.strip(' "“”«»„')))
        denier: str | None = None
        if is_pronoun:
            # "The ministry said it denied …": the sentence's own speaker; else whom the one before is about
            denier = (book.resolve(speaker) if speaker else None) or previous
        elif subject:
            denier = book.resolve(subject)
        if denier is None and speaker and not is_pronoun:
            denier = book.resolve(speaker)
        if is_passive:  # what was denied stands before the verb and its auxiliaries
            before = text[max(0, m.start() - 240) : m.start()].split()
            while before and (
                lex.fullmatch("denials.passive", before[-1].lower()) or before[-1].endswith(("ly", "mente"))
            ):
                before.pop()
            content = _without_that(" ".join(before).strip(' ,."“”«»'), lex)
        else:
            content = _without_that(text[m.end() :].strip(' ,."“”«»'), lex)
        if denier is not None and len(content.split()) >= 2:
            found[sentence.index] = (denier, _words(content, 40))
        previous = denier or _known(book, speaker or lead_subject(text, lex))
    return found


def best_sentence(sentences: list[Sentence], index: int, lex: Lexicon, *texts: str | None) -> Sentence | None:
    """The cited sentence, unless a nearby one shares clearly more words with what the model
    wrote about it (small models are often off by one)."""
    words: set[str] = set()
    for t in texts:
        words |= {w for w in tokens(t or "", lex, whole=True) if len(w) > 3}
    if not words:
        return by_index(sentences, index)
    lo, hi = max(1, index - 3), min(len(sentences), index + 3)
    candidates = [s for s in sentences[lo - 1 : hi]] or sentences[:1]

    def score(s: Sentence) -> float:
        overlap = len(words & tokens(s.text, lex, whole=True)) / len(words)
        return overlap + (0.15 if s.index == index else 0.0) - 0.01 * abs(s.index - index)

    best = max(candidates, key=score, default=None)
    if best is None or score(best) < 0.2:
        return by_index(sentences, index)
    return best


@cache
def _question() -> str:
    return " ".join(norm_text(prompts.task_source("denials.j2")).split())


def echoes_the_question(denied: str) -> bool:
    """Whether the model's ``denied`` is words of the denials question itself (three or more)."""
    words = " ".join(norm_text(denied).split())
    return len(words.split()) >= 3 and f" {words} " in f" {_question()} "


def denied_in(sentence: str, lex: Lexicon) -> str:
    """What a sentence denies: its words after the denial verb, else the whole sentence."""
    text = analysis_text(sentence)
    m = denial_verb(text, lex)
    content = _without_that(text[m.end() :].strip(' ,."“”«»'), lex) if m is not None else ""
    return _words(content if len(content.split()) >= 2 else text.strip(), 40)


def _without_that(content: str, lex: Lexicon) -> str:
    """What is denied without the "that" it opens with ("denied that …")."""
    that = lex.pattern("denials.that")
    if that is not None and (t := that.match(content)):
        return content[t.end() :].strip()
    return content


def build_denials(
    form: DenialsForm, sentences: list[Sentence], book: PartyBook, grounding: Grounding, trace: Trace
) -> list[Denial]:
    lex = book.lex
    rules = book.rules and lex.supported
    denials: list[Denial] = []
    seen: set[tuple[str, int]] = set()
    explicit = explicit_denials(sentences, book) if rules else {}
    for item in form.denials:
        step = trace.step("denials", f"{item.denier}: {item.denied}")
        grounding.quotes_total += 1
        sentence = (
            best_sentence(sentences, item.sentence, lex, item.denied, item.denier)
            if rules
            else by_index(sentences, item.sentence)
        )
        if sentence is None:
            grounding.quotes_dropped += 1
            step.drop("no_such_sentence")
            continue
        grounding.quotes_verified += 1
        if rules and sentence.index != item.sentence:
            step.apply("nearby_sentence_matches_better")
        if rules and not lex.matches("denials.cues", sentence.text):
            step.drop("sentence_denies_nothing")
            continue
        denier = book.resolve(item.denier)
        denied = item.denied.strip()
        if rules and echoes_the_question(denied):
            # "the number of the sentence with the denial": the model copied the question; what is
            # denied is in the sentence, after its verb
            denied = denied_in(sentence.text, lex)
            step.apply("denied_read_from_the_sentence")
        if sentence.index in explicit and not book.named_in(denier, sentence.text):
            denier, denied = explicit[sentence.index]
            step.apply("denier_from_the_sentence_grammar")
        if denier is None:
            step.drop("denier_not_a_party")
            continue
        if (denier, sentence.index) in seen or not denied:
            step.drop("same_denial_twice")
            continue
        seen.add((denier, sentence.index))
        responds_to = book.resolve(item.responds_to)
        denial = Denial(denier=denier, denied=denied, responds_to=responds_to if responds_to != denier else None,
                        quote=sentence_quote(sentence))  # fmt: skip
        step.output = denial
        denials.append(denial)
    # Explicit denials the model left out: read from the text, not proposed by the model, so they
    # do not count in the grounding tally of model quotes.
    explicit_starts = {sentences[i - 1].start for i in explicit}
    for index, (denier, denied) in explicit.items():
        s = sentences[index - 1]
        if any(d.quote and d.quote.start == s.start for d in denials):
            continue
        same = [d for d in denials if d.denier == denier]
        if any(d.quote and d.quote.start in explicit_starts for d in same):
            continue
        responds_to = None
        if same:
            # the model's denial by the same denier, in a sentence whose grammar denies nothing ("were not
            # able to get more details"), gives way to the one the text states
            denials.remove(same[0])
            responds_to = same[0].responds_to
            trace.drop_outputs("denials", [same[0]], "explicit_denial_elsewhere")
        denial = Denial(denier=denier, denied=denied, responds_to=responds_to, quote=sentence_quote(s))
        trace.step("denials", None, added=True).apply("explicit_denial_in_the_text", changed=False)
        trace.steps[-1].output = denial
        denials.append(denial)
    denials.sort(key=lambda d: d.quote.start if d.quote else 0)
    return denials
