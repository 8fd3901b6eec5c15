"""Casualty figures: each figure's words found in the article, its value read by code, its kind
from its own words, its source from its sentence, one entry per figure per source per event."""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsfacts.reading.denials import denial_verb, explicit_denials
from newsfacts.reading.lexicon import UPPER, Lexicon
from newsfacts.reading.names import is_anonymous, norm, norm_text
from newsfacts.reading.numbers import Quantity, find_quantities, locate_figure, zero_numeral
from newsfacts.reading.parties import PartyBook
from newsfacts.reading.sentences import (
    LIVE_TIME,
    Sentence,
    analysis_text,
    by_index,
    link_lists,
    locate,
    sentence_at,
    sentence_quote,
    title_lines,
)
from newsfacts.reading.speakers import reporter, speaker_in, speaker_of_the_verb_before
from newsfacts.reading.trace import Step, Trace
from schemas.contract import Casualty, Grounding
from schemas.extraction import CasualtiesForm

KINDS = ("killed", "injured", "missing", "captured", "displaced")


def cues(lex: Lexicon, kind: str, text: str) -> bool:
    p = lex.kinds.get(kind)
    return p is not None and p.search(text) is not None


def first_cue(lex: Lexicon, text: str) -> tuple[int, str] | None:
    hits = [(m.start(), k) for k, p in lex.kinds.items() if (m := p.search(text))]
    return min(hits) if hits else None


def last_cue(lex: Lexicon, text: str) -> str | None:
    """The kind of the casualty word nearest the end of ``text``, or None."""
    hits = [(m.start(), k) for k, p in lex.kinds.items() for m in p.finditer(text)]
    return max(hits)[1] if hits else None


TOLL_WINDOW = 60  # characters before a figure read for the toll it revises
OWN_NOUN_WORDS = 1  # words after a figure before its own casualty noun ("42 personas fallecidas")


def locate_in_article(
    text: str,
    sentences: list[Sentence],
    figure: str,
    hint: str | None,
    lex: Lexicon,
    proposed_kind: str = "killed",
) -> tuple[Sentence, Quantity, str] | None:
    """Where the article gives ``figure``: the words copied verbatim, else the same number in a
    sentence with a casualty cue (preferring one that names the source)."""
    verbatim: tuple[Sentence, Quantity, str] | None = None
    titles = title_lines(sentences)
    quote = locate(figure, text)
    if quote is not None:
        sentence = sentence_at(sentences, quote.start)
        if sentence is not None:
            local = quote.start - sentence.start
            inside = [
                q for q in find_quantities(sentence.text, lex) if local <= q.start < local + len(quote.text)
            ]
            if inside:
                verbatim = sentence, inside[0], "figure_words_found"
                if sentence.index not in titles:
                    return verbatim
    if not lex.supported:
        return verbatim
    candidates = []
    for s in sentences:
        if first_cue(lex, s.text) is not None and (q := locate_figure(figure, s.text, lex)):
            named = bool(hint) and norm(hint) in norm_text(s.text)
            candidates.append((not named, s.index in titles, s.index, s, q))
    # the sentence that names the source, else the first in the body: a headline gives the figure
    # again without its source, so the words copied from it count only where the body has none
    if verbatim is not None:
        # the body's sentence must give the headline's figure: the same value, the same kind of harm
        _, vq, _ = verbatim
        kind = kind_near(verbatim[0].text, vq, proposed_kind, lex)[0]
        body = [
            c for c in candidates
            if not c[1] and c[4].same_value(vq) and kind_near(c[3].text, c[4], proposed_kind, lex)[0] == kind
        ]  # fmt: skip
    else:
        body = candidates
    if body:
        *_, s, q = min(body, key=lambda c: (c[0], c[1], c[2]))
        return s, q, "figure_value_found_in_cue_sentence"
    return verbatim


def kind_near(sentence: str, q: Quantity, proposed: str, lex: Lexicon) -> tuple[str | None, str]:
    """The kind the figure's own words say: the noun phrase right after it ("17 bodies" is killed,
    "60 soldiers and captured three" stops at "and"), else the word right before it ("killed
    more than 60"), else the model's kind when the sentence supports it, else the nearest cue;
    None when nothing in the sentence is a casualty."""
    if not lex.supported or not lex.kinds:
        return proposed, "kind_as_proposed"
    if (own := first_cue(lex, q.text)) is not None:
        # a count of none that names its harm ("sin heridos", "погибших нет", "لا إصابات")
        return (proposed if cues(lex, proposed, q.text) else own[1]), "kind_from_the_figures_own_words"
    tail = sentence[q.end : q.end + 40]
    ends = lex.pattern("denials.clause_joiners")
    cut = len(tail)
    for ch in ",;:.()—–":
        i = tail.find(ch)
        if i >= 0:
            cut = min(cut, i)
    if ends is not None and (m := ends.search(tail)) and m.start() > 0:
        cut = min(cut, m.start())
    phrase = tail[:cut]
    words = phrase.split()
    for i, w in enumerate(words[1:], start=1):
        if lex.fullmatch("places.of", w.lower()):
            # "25 oficiales del cuerpo de seguridad": the figure's noun, not the noun it is "of"
            phrase = " ".join(words[:i])
            break
    before_words = sentence[max(0, q.start - 40) : q.start].split()
    if len(before_words) >= 2 and lex.fullmatch("places.of", before_words[-1].lower()):
        # "den Tod von 20 Geiseln", "the deaths of 20 hostages": the harm the figure is "of"
        # names the kind, not the victims' noun after it
        hit = first_cue(lex, before_words[-2])
        if hit is not None:
            return (
                proposed if cues(lex, proposed, before_words[-2]) else hit[1]
            ), "kind_from_noun_the_figure_is_of"
    after = first_cue(lex, phrase)
    toll = re.split(r"[,;:()]", sentence[max(0, q.start - TOLL_WINDOW) : q.start])[-1]
    if (
        (after is None or len(phrase[: after[0]].split()) > OWN_NOUN_WORDS)
        and lex.matches("revision.terms", toll)
        and (revised := last_cue(lex, toll)) is not None
    ):
        # "the death toll rose to 64 Sunday after missing persons were found": with no casualty noun
        # of its own right after it, the figure is of the toll it revises
        return revised, "kind_from_the_toll_it_revises"
    if after is not None:
        return (proposed if cues(lex, proposed, phrase) else after[1]), "kind_from_words_after_figure"
    before = sentence[max(0, q.start - 30) : q.start].rstrip()
    last = before.rsplit(" ", 1)[-1] if before else ""
    hit = first_cue(lex, last) if last else None
    if hit is not None:
        return (proposed if cues(lex, proposed, last) else hit[1]), "kind_from_word_before_figure"
    window = sentence[max(0, q.start - 30) : q.end + 60]
    if cues(lex, proposed, window):
        return proposed, "kind_as_proposed"
    near = first_cue(lex, window)
    if near is not None:
        return near[1], "kind_from_nearest_cue"
    return (proposed, "kind_as_proposed") if cues(lex, proposed, sentence) else (None, "no_casualty_words")


def victims_of(window: str, lex: Lexicon) -> str:
    civ = lex.matches("victims.civilians", window)
    com = lex.matches("victims.combatants", window)
    return "mixed" if civ and com else "civilians" if civ else "combatants" if com else "unspecified"


def self_blame(sentence: str, lex: Lexicon) -> bool:
    """The source speaks of its own action ("the army said it killed …")."""
    said = lex.pattern("attribution.said")
    own = lex.pattern("attribution.self_agent")
    if said is None or own is None:
        return False
    for m in said.finditer(sentence[:2000]):
        after = sentence[m.end() : m.end() + 24]
        if own.search(after):
            return True
    return False


@dataclass
class _Figure:
    casualty: Casualty
    sentence: int
    family: str
    q: Quantity
    step: Step


def _figure(
    kind: str,
    q: Quantity,
    sentence: Sentence,
    reported_by: str | None,
    caused_by: str | None,
    book: PartyBook,
    step: Step,
) -> _Figure:
    """One contract entry for the quantity ``q`` of ``sentence``, its victims from the words around it."""
    window = sentence.text[max(0, q.start - 30) : q.end + 60]
    casualty = Casualty(
        kind=kind,
        count=q.count,
        min=q.min,
        max=q.max,
        approximate=q.approximate,
        victims=victims_of(window, book.lex),
        location=None,
        reported_by=reported_by,
        caused_by=caused_by,
        quote=sentence_quote(sentence),
    )
    step.output = casualty
    return _Figure(casualty, sentence.index, book.family(reported_by), q, step)


def build_casualties(
    form: CasualtiesForm,
    text: str,
    sentences: list[Sentence],
    book: PartyBook,
    grounding: Grounding,
    trace: Trace,
) -> list[Casualty]:
    lex, rules = book.lex, book.rules
    figures: list[_Figure] = []
    links = link_lists(sentences, lex) if rules else set()
    for item in form.figures:
        step = trace.step("casualties", f"{item.kind} {item.figure!r} by {item.reported_by}")
        grounding.quotes_total += 1
        found = locate_in_article(
            text, sentences, item.figure, item.reported_by, lex if rules else Lexicon("und", {}), item.kind
        )
        if found is None:
            if rules and locate(item.figure, text) is not None:
                # the words are the article's, but no number in them counts people ("62-year-old")
                grounding.quotes_verified += 1
                step.drop("figure_counts_no_one")
                continue
            grounding.quotes_dropped += 1
            step.drop("figure_not_in_article")
            continue
        sentence, q, how = found
        grounding.quotes_verified += 1
        step.apply(how, changed=how != "figure_words_found")
        if rules and sentence.index in links:
            step.drop("figure_in_a_list_of_links")  # another article's headline
            continue
        if rules and _denied_figure(sentence.text, q, lex):
            step.drop("figure_said_not_to_be")
            continue
        window = sentence.text[max(0, q.start - 30) : q.end + 60]
        if rules:
            kind, why = kind_near(sentence.text, q, item.kind, lex)
            if kind is None:
                step.drop(why)
                continue
            if kind != item.kind:
                step.apply(why)
        else:
            kind = item.kind
        if q.count == 0 and q.min == 0 and rules:
            if not lex.supported:
                step.drop("zero_needs_language_rules")
                continue
            kinds = ["killed", "injured"] if lex.matches("zero_rules_out_injuries.terms", window) else [kind]
        else:
            kinds = [kind]
        if rules:
            reported_by, why = reporter(book, sentence, item.reported_by, sentences)
            if (verb := _verb_speaker(book, sentence.text, q)) is not None and verb != reported_by:
                reported_by, why = verb, "speaker_of_the_verb_before_the_figure"
            elif reported_by is None and why != "anonymous_speaker" and (denier := _denier(book, sentence)):
                reported_by, why = denier, "the_denier_reports_the_figures_of_its_sentence"
            if why != "source_as_proposed":
                step.apply(why)
        else:
            reported_by = book.resolve(item.reported_by)
        caused_by = book.resolve(item.caused_by)
        if (
            rules
            and caused_by is not None
            and caused_by == reported_by
            and not self_blame(sentence.text, lex)
        ):
            caused_by = None  # a source blames itself only in its own words
            step.apply("source_is_not_its_own_culprit")
        for k in kinds:
            figures.append(_figure(k, q, sentence, reported_by, caused_by, book, step))
    if rules and lex.supported:
        figures += figures_the_model_missed(sentences, book, figures, trace, links)
    kept = merge(figures, sentences, lex, book) if rules else dedupe(figures)
    return [f.casualty for f in kept]


_FIGURE_TAIL_CUT = re.compile(r"[,;:.()—–]")


def _not_a_count(sentence: str, q: Quantity) -> bool:
    """A year, a clock time, a percentage, a decimal: digits that count no one."""
    after = sentence[q.end : q.end + 2]
    before = sentence[max(0, q.start - 1) : q.start]
    return (
        (q.text.isdigit() and len(q.text) == 4 and 1900 <= int(q.text) <= 2100)
        or after[:1] in (":", "%", "/")
        or before in (":", "/", "#", "№")
        or after[:1] in (".", ",")
        and after[1:2].isdigit()
        or q.count == 0
    )


def _denied_figure(sentence: str, q: Quantity, lex: Lexicon) -> bool:
    """Whether a negation stands in the three words before the figure ("Il n'y a jamais eu 100
    victimes", "there were never 100 dead"): a figure said not to be, not a reported one."""
    negated = lex.pattern("denials.negated")
    if negated is None or q.count == 0:
        return False
    before = " ".join(sentence[max(0, q.start - 60) : q.start].split()[-3:])
    return negated.search(before) is not None


OF_A_FIGURE = 30  # characters between a figure and an article that belongs to its phrase


def _of_a_figure(sentence: str, q: Quantity, ends: list[int]) -> bool:
    """Whether "a" / "einer" belongs to the phrase of a figure just before it ("15 Mitglieder einer
    Familie", "15 members of a family"): no delimiter between them. ``ends``: where the sentence's
    figures end (those after the article's start are not before it)."""
    return any(
        0 <= q.start - end <= OF_A_FIGURE and not re.search(r"[,;:.()]", sentence[end : q.start])
        for end in ends
    )


def _one_person(sentence: str, q: Quantity, lex: Lexicon) -> bool:
    """Whether "a" or "one" counts a person: a word for a person follows it within two words ("a
    security guard", "a 34-year-old man", "one officer"), not "one of the leaders" or "a day"."""
    people = [lex.pattern("victims.civilians"), lex.pattern("victims.combatants")]
    words = [w.strip(",.;:!?\"'()") for w in sentence[q.end : q.end + 60].split()[:2]]
    return any(p is not None and p.fullmatch(w) for p in people for w in words if w)


_INDEFINITE_BEFORE_NAME = re.compile(rf"^(?:an?|un|una|une|ein|eine|um|uma) (?=[{UPPER}])")


def _verb_speaker(book: PartyBook, sentence: str, q: Quantity) -> str | None:
    """The party whose attribution verb runs straight into the figure ("rights body says 31
    killed"), resolved; None when no verb does or its speaker is anonymous."""
    named = speaker_of_the_verb_before(sentence, q.start, book.lex)
    if named is None or is_anonymous(named, book.lex):
        return None
    return book.resolve(named)


def _clause_speaker(book: PartyBook, sentence: str, q: Quantity) -> str | None:
    """The speaker named in the clause that holds the figure, when a clause of its own ("…, while
    a Foreign Ministry statement later alleged the drones hit targets, inflicting no casualties")
    follows another speaker's."""
    openers = book.lex.pattern("attribution.clause_openers")
    if openers is None:
        return None
    start = None
    for m in openers.finditer(sentence[: q.start]):
        if sentence[max(0, m.start() - 4) : m.start()].rstrip(' ”"»’').endswith((",", ";", "،")):
            start = m.end()
    if start is None:
        return None
    named = speaker_in(sentence[start : q.start], book.lex)
    if named is None:
        return None
    named = _INDEFINITE_BEFORE_NAME.sub("", named)  # "a Foreign Ministry statement"
    return book.resolve(named) if not is_anonymous(named, book.lex) else None


def _denier(book: PartyBook, sentence: Sentence) -> str | None:
    """Who denies in the figure's sentence, by its grammar: the one who gives its figures too ("X
    denied any deaths, pointing to 12 injured", "نفى الدكتور محمد سلطان …، مشيرا إلى سقوط 12 مصابا")."""
    if denial_verb(analysis_text(sentence.text), book.lex) is None:
        return None
    found = explicit_denials([sentence], book)
    return found[sentence.index][0] if sentence.index in found else None


def _source_of_found(
    book: PartyBook, sentences: list[Sentence], sentence: Sentence, q: Quantity, figures: list[_Figure]
) -> tuple[str | None, list[str]]:
    """The source of a figure code found, and the rules that chose it: the speaker of the figure's
    own clause, else the sentence's (``reporter``), else the source of the model's figure in the
    same sentence ("… killed 23 and injured 40, the fire service said", split by the model)."""
    reported_by, how = reporter(book, sentence, None, sentences)
    rules = [how] if how != "source_as_proposed" else []
    verb = _verb_speaker(book, sentence.text, q)
    if verb is not None and verb != reported_by:
        return verb, ["speaker_of_the_verb_before_the_figure"]
    local = _clause_speaker(book, sentence.text, q)
    if local is not None and local != reported_by:
        return local, ["speaker_of_the_figures_clause"]
    if reported_by is None and how != "anonymous_speaker" and (denier := _denier(book, sentence)):
        return denier, [*rules, "the_denier_reports_the_figures_of_its_sentence"]
    if reported_by is None and how != "anonymous_speaker":
        same = [
            f.casualty.reported_by for f in figures if f.sentence == sentence.index and f.casualty.reported_by
        ]
        if same:
            return same[0], [*rules, "source_of_a_figure_in_the_same_sentence"]
    return reported_by, rules


def figures_the_model_missed(
    sentences: list[Sentence], book: PartyBook, figures: list[_Figure], trace: Trace, links: set[int]
) -> list[_Figure]:
    """A figure the article gives in so many words ("20 were injured", "killed seven people",
    "una cinquantina di feriti") that the model left out: its kind from the words right after
    or right before the number, its source from its sentence, no one blamed. Zero only as a zero
    word followed by the harm ("no one was hurt", "no casualties"), outside a denial: "zero
    chance of civilian casualties" is a policy. "A" or "one" only before a word for a person ("a
    security guard"). Both only with the party that gives them. None from ``links``, the sentences
    of a list of links (``link_lists``)."""
    lex = book.lex
    out: list[_Figure] = []
    for sentence in sentences:
        if first_cue(lex, sentence.text) is None or sentence.index in links:
            continue
        quantities = find_quantities(sentence.text, lex)
        ends = [p.end for p in quantities]
        for q in quantities:
            zero = q.count == 0 and q.min == 0 and not zero_numeral(q.text, lex)
            if _not_a_count(sentence.text, q) and not zero:
                continue
            if _denied_figure(sentence.text, q, lex):
                continue  # "Il n'y a jamais eu 100 victimes"
            one = q.count == 1 and not any(c.isdigit() for c in q.text)
            if one and (not _one_person(sentence.text, q, lex) or _of_a_figure(sentence.text, q, ends)):
                continue  # "a" / "un" / "one of the leaders": an article as often as a figure
            kind, why = kind_near(sentence.text, q, "", lex)
            if kind is None or why not in (
                "kind_from_words_after_figure",
                "kind_from_word_before_figure",
                "kind_from_the_figures_own_words",
            ):
                continue
            words = _FIGURE_TAIL_CUT.split(sentence.text[q.end : q.end + 60], maxsplit=1)[0].split()
            # a passive's auxiliary takes no place of the three ("Neuf personnes ont été tuées")
            after = " ".join([w for w in words[:4] if not lex.fullmatch("denials.passive", w.lower())][:3])
            if why == "kind_from_words_after_figure" and first_cue(lex, after) is None:
                continue  # the cue is not in the figure's own words: "ten hours of hostage-taking"
            if zero and (
                why not in ("kind_from_words_after_figure", "kind_from_the_figures_own_words")
                or kind not in ("killed", "injured")
                or denial_verb(sentence.text, lex) is not None
                or lex.matches("zero_rules_out_injuries.about_the_count", after)
            ):
                continue  # "no one was hurt" in so many words; not "no casualty figures", "no arrests"
            phrase = " ".join(words[:5])
            if not zero and sum(1 for p in lex.kinds.values() if p.search(phrase)) > 1:
                continue  # "scores of civilians killed & injured": one number for two kinds
            kinds = (
                ["killed", "injured"]
                if zero and lex.matches("zero_rules_out_injuries.terms", after)
                else [kind]
            )
            kinds = [
                k for k in kinds if not any(f.casualty.kind == k and f.q.overlaps(q) for f in figures + out)
            ]
            if not kinds:
                continue  # the model has it, or a range or bound that holds it
            reported_by, how = _source_of_found(book, sentences, sentence, q, figures)
            if (zero or one) and reported_by is None:
                continue  # "no casualties were reported": a count of none is a party's word, or nothing
            step = trace.step("casualties", None, added=True)
            step.apply("figure_found_by_code")
            step.apply(why)
            for rule in how:
                step.apply(rule)
            out += [_figure(k, q, sentence, reported_by, None, book, step) for k in kinds]
    return out


def dedupe(figures: list[_Figure]) -> list[_Figure]:
    """Without the rules: the same figure from the same source in the same sentence once."""
    seen: set[tuple[object, ...]] = set()
    out = []
    for f in figures:
        key = (f.casualty.kind, f.q.count, f.q.min, f.q.max, f.casualty.reported_by, f.sentence)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def _specificity(fig: _Figure) -> tuple[int, int]:
    name = fig.casualty.reported_by or ""
    return (1 if name else 0, len(name))


def _told_earlier(sentence: Sentence, lex: Lexicon) -> bool:
    """Whether the sentence opens by saying it was told earlier ("Earlier, officials said …",
    "Ранее сообщалось о шести жертвах"): its figure is older than one told without it."""
    earlier = lex.pattern("revision.earlier")
    opening = LIVE_TIME.sub("", " ".join(sentence.text[:80].split()))
    return earlier is not None and earlier.match(opening) is not None


def merge(figures: list[_Figure], sentences: list[Sentence], lex: Lexicon, book: PartyBook) -> list[_Figure]:
    """One figure per kind per source family per event: drop duplicates, superseded vague
    figures and figures revised later in the article."""
    kept: list[_Figure] = []
    told_earlier = {
        s.index for s in sentences if s.index in {f.sentence for f in figures} and _told_earlier(s, lex)
    }

    def named(fig: _Figure) -> bool:
        sentence = by_index(sentences, fig.sentence)
        return sentence is not None and book.named_in(fig.casualty.reported_by, sentence.text)

    for fig in sorted(figures, key=lambda f: f.sentence):
        drop_new = False
        for old in list(kept):
            if old.casualty.kind != fig.casualty.kind:
                continue
            if old.family and fig.family and old.family != fig.family:
                if (
                    old.sentence == fig.sentence
                    and old.q.same_value(fig.q)
                    and (old_named := named(old)) != named(fig)
                ):
                    # One figure given twice, by the source its sentence names and by a name from
                    # elsewhere in the article: the sentence's source gives it.
                    loser = fig if old_named else old
                    loser.step.drop("source_not_in_the_figures_sentence")
                    if loser is fig:
                        drop_new = True
                        break
                    kept.remove(old)
                continue  # another source family
            if old.q.same_value(fig.q):
                if _specificity(fig) > _specificity(old):
                    kept.remove(old)
                    old.step.drop("same_figure_twice")
                else:
                    drop_new = True
                    fig.step.drop("same_figure_twice")
                break
            if old.q.count is None and fig.q.count is not None and old.q.overlaps(fig.q):
                kept.remove(old)
                old.step.drop("vague_figure_superseded_by_exact")
                continue
            if fig.q.count is None and old.q.count is not None and old.q.overlaps(fig.q):
                drop_new = True
                fig.step.drop("vague_figure_superseded_by_exact")
                break
            earlier_new, earlier_old = fig.sentence in told_earlier, old.sentence in told_earlier
            if earlier_new != earlier_old and old.q.count is not None and fig.q.count is not None:
                if earlier_new:
                    drop_new = True
                    fig.step.drop("earlier_figure_superseded")
                    break
                kept.remove(old)
                old.step.drop("earlier_figure_superseded")
                continue
            later = by_index(sentences, fig.sentence)
            if (
                later is not None
                and lex.matches("revision.terms", later.text)
                and old.q.count is not None
                and fig.q.count is not None
            ):
                kept.remove(old)
                old.step.drop("toll_revised_later")
        if not drop_new:
            kept.append(fig)
    return kept
