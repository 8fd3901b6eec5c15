"""From what the model filled to contract v1: resolve names, ground quotes, parse figures.

Everything here is deterministic code. The model proposes; this module keeps only what
the article supports: quotes that sit at their offsets, figures that appear in their
quote, references that name a listed party.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import get_args

from newsfacts.quantities import Quantity, find_quantities, locate_figure
from newsfacts.text import Sentence, locate, sentence_quote
from schemas.contract import Casualty, Claim, Denial, Grounding, Party, PartyType
from schemas.extraction import CasualtiesForm, ClaimsForm, DenialsForm, PartiesForm

ANONYMOUS = re.compile(
    r"^(?:an?\s+|the\s+|some\s+|several\s+|two\s+|three\s+)?(?:unnamed\s+|anonymous\s+|local\s+)?"
    r"(?:witness(?:es)?|survivors?|residents?|relatives?|sources?|locals?|neighbou?rs?|"
    r"eyewitness(?:es)?|bystanders?|people|family|families|family members?|passers-by|"
    r"medics?|a medic|doctors?|nurses?|someone|unknown|officials?|authorities|reports?|"
    r"media reports?|social media|unidentified|n/?a|none|null|not (?:stated|specified|mentioned)|"
    r"unspecified|the article|article|the report|journalists?|reporters?|observers?)$",
    re.IGNORECASE,
)

KIND_CUES = {
    "killed": r"kill|dead|die[sd]?\b|dying|death|deaths|lives|fatal|bod(?:y|ies)|perish|toll|murder|slain|casualt|massacre|executed|drown",
    "injured": r"injur|wound|hurt|hospital|casualt|harm|burn|treated|critical condition|maimed",
    "missing": r"missing|unaccounted|trapped|buried|search(?:ing)? for|disappear|lost at sea",
    "captured": r"captur|abduct|kidnap|detain|detention|prisoner|hostage|arrest|seized|taken captive|custody|held",
    "displaced": r"displac|evacuat|homeless|fled|flee|refugee|shelter|forced from|driven from|uproot|relocat",
}
ZERO_BOTH = re.compile(r"casualt|hurt|harm|victim|injur", re.IGNORECASE)
REVISION_CUE = re.compile(
    r"\b(?:rose|risen|rising|climbed|increased|jumped|revised|updated|now stands|has reached|reached|"
    r"lowered|dropped to|fell to|corrected|brings? the (?:death )?toll|raising the|taking the)\b",
    re.IGNORECASE,
)
DENIAL_CUE = re.compile(
    r"\b(?:den(?:y|ies|ied|ial)|reject|refut|dismiss|rebuff|retract|withdr[ae]w|deny|false|untrue|baseless|"
    r"not true|fabricat|lie[sd]?\b|never|no\b|not\b|n't\b|contest|disput|categorically|groundless|"
    r"unfounded|rubbish|nonsense)",
    re.IGNORECASE,
)
TITLE_WORDS = re.compile(
    r"\b(?:governor|mayor|minister|president|prime minister|spokes(?:wo)?man|spokesperson|chief|commander|"
    r"general|secretary|ombudsman|prosecutor|director|head|sheriff|superintendent|chair(?:man|woman|person)?|"
    r"ceo|official|manager|coach|captain|principal|inspector|commissioner|senator|lawmaker|leader|chancellor|"
    r"spokesperson|lawyer|attorney|coroner|chairwoman|vice[- ]president|deputy|ambassador|envoy|mp|mayor)\b",
    re.IGNORECASE,
)
HONORIFIC = re.compile(r"^(?:Dr|Mr|Mrs|Ms|Prof|Gen|Col|Capt|Sgt|Lt|Maj|Rev|Sen|Rep)\.?\s+")
_PERSON = r"(?:[A-Z][\w'’-]+\s+){1,2}[A-Z][\w'’-]+"
MILITARY_WORDS = re.compile(r"\b(?:air force|navy|military|troops|soldiers|defen[cs]e|ministry|guard|brigade)\b", re.IGNORECASE)
ORG_WORDS = re.compile(
    r"\b(?:organi[sz]ation|ministry|department|agency|service|office|council|forces?|army|police|committee|"
    r"authority|union|bank|group|company|corporation|hospital|university|court|party|front|movement|republic|"
    r"states?|nations|province|region|city|association|institute|commission|government|administration|"
    r"network|news|times|post|press|media|federation|league|club|fund|programme|program|mission|cross|crescent)\b",
    re.IGNORECASE,
)


def split_title(name: str) -> tuple[str, str | None] | None:
    """A person named with a title, split: "Infrastructure Minister Viktor Hollis" is
    ("Viktor Hollis", "Infrastructure Minister"), "Dr. Hauwa Musa" is ("Hauwa Musa", None)."""
    name = " ".join(name.split())
    m = HONORIFIC.match(name)
    if m and re.fullmatch(_PERSON, name[m.end() :]):
        return name[m.end() :], None
    words = name.split(" ")
    for n in (3, 2):  # the person is the last three or two capitalised words, the longer first
        if len(words) <= n:
            continue
        title, person = " ".join(words[:-n]), " ".join(words[-n:])
        if (
            re.fullmatch(_PERSON, person)
            and TITLE_WORDS.search(title)
            and not TITLE_WORDS.search(person)
            and not ORG_WORDS.search(person)
            and not re.search(r"\b(?:of|the|for|at|in)$", title, re.IGNORECASE)
            and not HONORIFIC.match(person)
        ):
            return person, HONORIFIC.sub("", title).strip() or None
    return None


SPOKESPERSON = re.compile(
    r"\b(?:spokes(?:wo)?man|spokesperson|press secretary|press service|press office|representative|official)s?$",
    re.IGNORECASE,
)
EVENT_WORDS = re.compile(
    r"\b(?:rocket|missile|drone|air|artillery|mortar)?\s*(?:strikes?|shelling|attacks?|bombings?|bombardment|"
    r"fire|explosions?|blasts?|crash(?:es)?|raids?|offensive|drones|UAVs?|shells?|rockets?|missiles?|airstrikes?)\b",
    re.IGNORECASE,
)
_TYPE_CUES: list[tuple[str, PartyType]] = [
    (r"ministry|office|government|police|department|agency|authorit|council|court|prosecutor|service|"
     r"commission|administration|parliament|cabinet|embassy|mayor's", "government_body"),
    (r"army|forces|military|troops|navy|air force|brigade|battalion|defen[cs]e forces|guard", "military"),
    (r"news|agency|press|times|post|tv|radio|reuters|associated press|afp|bbc|cnn|al jazeera", "media"),
]  # fmt: skip


ABBREVIATED = re.compile(r"^(.{4,}?)\s*\(([A-Z][A-Za-z0-9&.-]{1,11})\)$")


def norm(name: str | None) -> str:
    if not name:
        return ""
    n = name.lower().replace("’", "'")
    n = re.sub(r"[^\w' ]+", " ", n)
    n = re.sub(r"^(?:the|a|an)\s+", "", n.strip())
    n = re.sub(r"'s\b", "", n)
    return re.sub(r"\s+", " ", n).strip()


# A party type or a bare common noun given as a name ("company", "government_body") names no one.
GENERIC = {t.replace("_", " ") for t in get_args(PartyType)} | {
    "company", "firm", "consultancy", "party", "group", "organisation", "organization", "body", "agency",
    "officials", "government body", "armed group", "unknown", "none", "media outlet", "outlet", "newspaper",
}  # fmt: skip
# "MAIDUGURI, Nigeria (AP) —", "ANKARA, March 3 (Reuters) -": the place a wire story was filed from.
DATELINE = re.compile(
    r"(?m)^\s*([A-Z][A-Z'’.-]{2,}(?:\s[A-Z][A-Z'’.-]+){0,2}(?:,\s*[A-Z][\w'’.-]+(?:\s[A-Z][\w'’.-]+){0,2})?)"
    r"(?=(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?\s*\([A-Za-z .]{2,30}\)|\s+[-–—]\s)"
)


def _is_generic(name: str) -> bool:
    return norm(name).replace("_", " ") in GENERIC


def _is_anonymous(name: str | None) -> bool:
    return not name or not name.strip() or bool(ANONYMOUS.match(name.strip()))


def _in_text(name: str, text_norm: str) -> bool:
    n = norm(name)
    return bool(n) and re.search(rf"(?<!\w){re.escape(n)}(?!\w)", text_norm) is not None


_STOP = {"of", "the", "and", "for", "in", "on", "a", "an", "to", "at", "by", "s"}


def _tokens(name: str) -> set[str]:
    return {t for t in norm(name).split() if t not in _STOP and len(t) > 2}


def guess_type(name: str) -> PartyType:
    low = name.lower()
    for pattern, kind in _TYPE_CUES:
        if re.search(pattern, low):
            return kind
    return "other"


@dataclass
class PartyBook:
    """The parties, and resolution of every name the model used to one of them."""

    text: str
    outlet: str | None = None
    parties: list[Party] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._text_norm = norm(self.text)
        self._datelines = [m.span(1) for m in DATELINE.finditer(self.text)]

    def _names(self, party: Party) -> list[str]:
        return [party.name, *party.aliases]

    def find(self, name: str | None, *, demonyms: bool = False) -> Party | None:
        n = norm(name)
        if not n:
            return None
        for party in self.parties:
            if any(norm(x) == n for x in self._names(party)):
                return party
        # "Armenian Defense Ministry spokeswoman" -> "Armenian Defense Ministry"; longest name wins.
        best: tuple[int, Party] | None = None
        for party in self.parties:
            for x in self._names(party):
                nx = norm(x)
                if len(nx) < 3:
                    continue
                if re.search(rf"(?<!\w){re.escape(nx)}(?!\w)", n) or re.search(rf"(?<!\w){re.escape(n)}(?!\w)", nx):
                    extra = n[len(nx) :] if n.startswith(nx + " ") else ""
                    if ORG_WORDS.search(extra) or MILITARY_WORDS.search(extra):
                        continue  # "Velmoran Defence Ministry" is not "Velmoran"; it belongs to it
                    score = min(len(nx), len(n))
                    if best is None or score > best[0]:
                        best = (score, party)
        if best:
            return best[1]
        if not demonyms:
            return None
        # Demonyms: "Armenian rocket strike" -> Armenia, "Azerbaijani shelling" -> Azerbaijan.
        ref_tokens = n.split()
        for party in self.parties:
            for x in self._names(party):
                toks = norm(x).split()
                if toks and all(any(r.startswith(t) and len(t) >= 4 for r in ref_tokens) for t in toks):
                    return party
        return None

    def add(self, name: str, type_: PartyType | None = None, **extra: object) -> Party | None:
        name = re.sub(r"^(?:an?|one)\s+", "", name.strip().strip(".,;:"), flags=re.IGNORECASE)
        if _is_anonymous(name) or _is_generic(name) or not self.grounded(name) or self._dateline_only(name):
            return None
        if self.outlet and norm(name) == norm(self.outlet):
            return None
        abbreviated = ABBREVIATED.match(name)
        if abbreviated:
            # "Jama'at Nusrat al-Islam wal-Muslimin (JNIM)": the name, and its abbreviation as an alias.
            full, short = abbreviated.group(1).strip(), abbreviated.group(2)
            party = self.find(full) or self.find(short) or self.add(full, type_, **extra)
            if party is not None and norm(short) not in (norm(x) for x in self._names(party)):
                party.aliases.append(short)
            return party
        existing = self.find(name)
        if existing is not None and norm(existing.name) == norm(name):
            return existing
        titled = split_title(name)
        if titled is not None:
            # "Infrastructure Minister Viktor Hollis" is Viktor Hollis; the title is his role.
            person, title = titled
            known = self.find(person)
            if known is None:
                known = Party(name=person, type="official", role=title)
                self.parties.append(known)
            if norm(name) not in (norm(a) for a in known.aliases):
                known.aliases.append(name)
            if title and not known.role:
                known.role = title
            return known
        person = self.person_behind(name)
        if person is not None:
            # "Kharkiv regional governor" is the person the article names right after the title.
            known = self.find(person)
            if known is not None:
                if norm(name) not in (norm(a) for a in known.aliases):
                    known.aliases.append(name)
                return known
            party = Party(name=person, type="official", aliases=[name], role=name)
            self.parties.append(party)
            return party
        party = Party(name=name, type=type_ or guess_type(name), **extra)  # type: ignore[arg-type]
        self.parties.append(party)
        return party

    def _dateline_only(self, name: str) -> bool:
        """A place named only in a dateline ("MAIDUGURI, Nigeria (AP) —") is where, not who."""
        hits = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(name.strip())}(?!\w)", self.text, re.IGNORECASE)]
        return bool(hits) and all(any(a <= h < b for a, b in self._datelines) for h in hits)

    def person_behind(self, title: str) -> str | None:
        """The proper name that follows a title in the text: 'governor Oleksandr Hrytsenko'."""
        if not TITLE_WORDS.search(title):
            return None
        pattern = re.escape(title.strip()).replace("\\ ", r"\s+")
        m = re.search(f"(?i:{pattern})" + r",?\s+((?:[A-Z][\w'’-]+\s){0,2}[A-Z][\w'’-]+)", self.text)
        if not m:
            return None
        words = m.group(1).split()
        return " ".join(words) if len(words) >= 2 else None

    def grounded(self, name: str) -> bool:
        """The name, or most of its words, appears in the article."""
        if _in_text(name, self._text_norm):
            return True
        toks = _tokens(name)
        if not toks:
            return False
        present = sum(1 for t in toks if re.search(rf"(?<!\w){re.escape(t[:6])}", self._text_norm))
        return present / len(toks) >= 0.6

    def resolve(self, name: str | None) -> str | None:
        """The party name a reference stands for; adds a grounded new party; None if anonymous.

        An event named in place of its actor ("Armenian rocket strike") resolves to the actor."""
        if _is_anonymous(name):
            return None
        assert name is not None
        role = SPOKESPERSON.search(name)
        if role and role.start() > 0:
            # "Armenian Defense Ministry spokeswoman": the body speaks; its spokesperson is listed too.
            body = name[: role.start()].strip()
            owner = self.resolve(body)
            if owner is not None:
                if self.find(name) is None and self.grounded(name):
                    self.parties.append(
                        Party(name=name.strip(), type="official", affiliation=owner, role=role.group(0).strip())
                    )
                return owner
        party = self.find(name) or self._by_surname(name)
        if party is not None and norm(name) not in (norm(x) for x in self._names(party)) and split_title(name):
            # "IPCA Regional Director Sarah Okonjo" is the person, not the body her title names.
            party = self.add(name) or party
        if party is None:
            actor = EVENT_WORDS.sub(" ", name).strip()
            if actor != name.strip():
                party = (self._state_by_demonym(actor) or self.find(actor, demonyms=True)) if actor else None
                if party is None:
                    return None
        party = party or self.add(name) or self.find(name, demonyms=True)
        if party is None:
            return None
        if self.outlet and norm(party.name) == norm(self.outlet):
            return None
        return party.name

    def _by_surname(self, name: str) -> Party | None:
        """'Interior Minister Vogler' is Katrin Vogler when she is the only listed person of that name."""
        words = name.split()
        if len(words) < 2 or not TITLE_WORDS.search(" ".join(words[:-1])) or not words[-1][:1].isupper():
            return None
        surname = norm(words[-1])
        people = [p for p in self.parties if len(p.name.split()) >= 2 and norm(p.name.split()[-1]) == surname
                  and p.type in ("official", "other") and not ORG_WORDS.search(p.name)]  # fmt: skip
        return people[0] if len(people) == 1 else None

    def _state_by_demonym(self, actor: str) -> Party | None:
        tokens = norm(actor).split()
        for party in self.parties:
            if party.type != "state":
                continue
            for x in self._names(party):
                nx = norm(x)
                if len(nx) >= 4 and any(t.startswith(nx) for t in tokens):
                    return party
        return None

    def family(self, name: str | None) -> str:
        """The root a party speaks for (its affiliation chain), for grouping figures."""
        seen = set()
        party = self.find(name)
        while party is not None and party.affiliation and party.name not in seen:
            seen.add(party.name)
            parent = self.find(party.affiliation)
            if parent is None or parent is party:
                break
            party = parent
        return norm(party.name) if party else norm(name)


def build_parties(form: PartiesForm, book: PartyBook) -> None:
    pending_affiliations: list[tuple[Party, str]] = []
    for item in form.parties:
        party = book.add(item.name, item.type)
        if party is None:
            continue
        aliases = [a.strip() for a in item.aliases if a and a.strip()]
        for alias in aliases:
            if (
                norm(alias) != norm(party.name)
                and alias not in party.aliases
                and _in_text(alias, book._text_norm)
                and book.find(alias) in (None, party)
            ):
                party.aliases.append(alias)
        if item.role and not party.role and party.type in ("official", "other") and book.grounded(item.role):
            party.role = item.role.strip()
        if item.affiliation and norm(item.affiliation) != norm(party.name):
            pending_affiliations.append((party, item.affiliation))
    for party, affiliation in pending_affiliations:
        if party.affiliation is None:
            party.affiliation = book.resolve(affiliation)
            if party.affiliation == party.name:
                party.affiliation = None


def _sentence(sentences: list[Sentence], index: int) -> Sentence | None:
    return sentences[index - 1] if 1 <= index <= len(sentences) else None


def _cues(kind: str, text: str) -> bool:
    return re.search(KIND_CUES[kind], text, re.IGNORECASE) is not None


@dataclass
class _Figure:
    casualty: Casualty
    sentence: int
    family: str
    q: Quantity


def _sentence_at(sentences: list[Sentence], offset: int) -> Sentence | None:
    for s in sentences:
        if s.start <= offset < s.end:
            return s
    return None


def _locate(text: str, sentences: list[Sentence], figure: str, hint: str | None) -> tuple[Sentence, Quantity] | None:
    """Where the article gives ``figure``: the words copied verbatim, else the same number in
    a sentence with a casualty cue (preferring one that names the source)."""
    quote = locate(figure, text)
    if quote is not None:
        sentence = _sentence_at(sentences, quote.start)
        if sentence is not None:
            local = quote.start - sentence.start
            inside = [q for q in find_quantities(sentence.text) if local <= q.start < local + len(quote.text)]
            if inside:
                return sentence, inside[0]
    candidates = []
    for s in sentences:
        if any(_cues(k, s.text) for k in KIND_CUES) and (q := locate_figure(figure, s.text)):
            named = bool(hint) and norm(hint) in norm(s.text)
            candidates.append((not named, s.index, s, q))
    if candidates:
        _, _, s, q = min(candidates, key=lambda c: (c[0], c[1]))
        return s, q
    return None


def _first_cue(text: str) -> tuple[int, str] | None:
    hits = [(m.start(), k) for k in KIND_CUES if (m := re.search(KIND_CUES[k], text, re.IGNORECASE))]
    return min(hits) if hits else None


# Where the words that belong to a figure end: "60 soldiers | and captured three".
_PHRASE_END = re.compile(r"\s+(?:and|or|but|while|as|after|before|when|who|which|that|in|on|at)\b|[,;:.()\u2014\u2013]")
# A verb right before the figure governs it: "killed more than 60", "kills at least 9".
_VERB_BEFORE = re.compile(
    r"\b(kill(?:ed|s|ing)?|injur(?:ed|es|ing)|wound(?:ed|s|ing)?|hurt|abduct(?:ed|s)?|kidnapp?(?:ed|s)?|"
    r"captur(?:ed|es)|detain(?:ed|s)|arrest(?:ed|s)|displac(?:ed|es)|evacuat(?:ed|es)|left|leaving)"
    r"(?:\s+(?:some|about|around|nearly|almost|roughly|at\s+least|more\s+than|over|up\s+to|as\s+many\s+as))?\s*$",
    re.IGNORECASE,
)


def _kind_near(sentence: str, q: Quantity, proposed: str) -> str | None:
    """The kind the figure's own words say: the noun phrase right after it ("17 bodies" is
    killed, "60 soldiers and captured three" stops at "and"), else the verb right before it
    ("killed more than 60"), else the model's kind when the sentence supports it, else the
    nearest cue; None when nothing is a casualty."""
    tail = sentence[q.end : q.end + 40]
    end = _PHRASE_END.search(tail)
    phrase = tail[: end.start()] if end else tail
    after = _first_cue(phrase)
    if after is not None:
        return proposed if _cues(proposed, phrase) else after[1]
    verb = _VERB_BEFORE.search(sentence[max(0, q.start - 40) : q.start])
    if verb is not None:
        word = verb.group(1).lower()
        if not word.startswith(("left", "leaving")):
            hit = _first_cue(word)
            if hit is not None:
                return proposed if _cues(proposed, word) else hit[1]
    window = sentence[max(0, q.start - 30) : q.end + 60]
    if _cues(proposed, window):
        return proposed
    near = _first_cue(window)
    if near is not None:
        return near[1]
    return proposed if _cues(proposed, sentence) else None


_SAID = (r"(?:said|says|say|told|reported|reports|stated|added|claimed|claims|claim|confirmed|confirms|"
         r"announced|wrote|posted|tweeted|put|insisted|alleged)")
_SPEAKER_PATTERNS = [
    # "Dr. Hauwa Musa, medical director of X, told …"
    re.compile(rf"^(?P<x>(?:(?:Dr|Mr|Mrs|Ms|Gen|Col|Capt)\.\s)?[A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+){{0,3}}),\s[^,]{{3,90}},\s+{_SAID}\b"),
    re.compile(r"according to (?:the )?(?P<x>[^,.;:“\"]{2,70})", re.IGNORECASE),
    re.compile(rf"[,“”\"]\s*(?P<x>[^,“”\"]{{2,70}}?),?\s+{_SAID}\b", re.IGNORECASE),
    re.compile(r"\b(?:said|says|added|reported|claimed)\s+(?P<x>(?:the\s+)?[a-zA-Z][^,.;:“\"]{1,60})\s*[.,]?$"),
    re.compile(rf"^(?P<x>[A-Z][^,“\"]{{1,70}}?)\s+{_SAID}\b"),
]
_PRONOUN = re.compile(r"^(?:he|she|they|it|we|i)$", re.IGNORECASE)


_NOT_A_SPEAKER = re.compile(
    r"^(?:and|but|or|which|who|whom|that|this|these|those|it|its|one|some|as|while|when|where|if|so|then|"
    r"there|here|what|all|both|each|many|most|others?|he|she|they|we|i|you|no|none|nobody|neither|nor)\b",
    re.IGNORECASE,
)


# Lower-case names that still name a source: "police said", "the ministry said".
SOURCE_NOUNS = re.compile(
    r"\b(?:police|army|military|government|ministry|officials?|authorities|spokes\w+|governor|mayor|minister|"
    r"president|hospital|agency|department|office|prosecutors?|coroner|rescuers|firefighters|paramedics|"
    r"medics|doctors|troops|forces|militants|rebels|group|council|court|committee|union|company|embassy|"
    r"statement|officers?|investigators|health workers|emergency services)\b",
    re.IGNORECASE,
)


def speaker_in(sentence: str) -> str | None:
    """Who a sentence attributes its content to ("…, police said", "according to X")."""
    for pattern in _SPEAKER_PATTERNS:
        m = pattern.search(sentence)
        if m:
            x = re.sub(r"\s+(?:on|in|at|late|early|earlier|later)\b.*$", "", m.group("x").strip(" ,"))
            x = re.sub(r"(?:\s+(?:has|have|had|was|were|is|are|also|previously|repeatedly|would|will|had))+$", "", x)
            named = bool(re.search(r"[A-Z]", x) or SOURCE_NOUNS.search(x))
            if x and named and not _PRONOUN.match(x) and not _NOT_A_SPEAKER.match(x) and _tokens(x):
                return x
    return None


def add_quoted_speakers(sentences: list[Sentence], book: PartyBook) -> None:
    """Whoever the article quotes by name is a party, whether or not the model listed them."""
    for sentence in sentences:
        speaker = speaker_in(sentence.text)
        if speaker is None or _is_anonymous(speaker) or book.find(speaker) is not None:
            continue
        titled = split_title(speaker)
        if titled is not None or re.fullmatch(_PERSON, speaker):
            book.resolve(speaker)


def _named_in(book: PartyBook, name: str | None, text: str) -> bool:
    """The name, or one of its party's names, appears in ``text`` (word prefixes count)."""
    if not name:
        return False
    party = book.find(name)
    names = [name] + ([party.name, *party.aliases] if party else [])
    window = _tokens(text) | _prefixes(text)
    return any(_tokens(n) and _tokens(n) <= window for n in names)


def _reporter(book: PartyBook, sentences: list[Sentence], sentence: Sentence, proposed: str | None) -> str | None:
    """The figure's source: the model's answer when the sentence (or the one before, for "he
    said") names it; else the speaker the sentence itself names; else the model's answer."""
    window = sentence.text
    if sentence.index > 1:
        window = sentences[sentence.index - 2].text + " " + window
    if book.outlet and norm(proposed) == norm(book.outlet):
        proposed = None  # the outlet carries the figure; the source is whom it quotes
    if proposed and not _is_anonymous(proposed) and _named_in(book, proposed, window):
        return book.resolve(proposed)
    speaker = speaker_in(sentence.text)
    if speaker is not None:
        if _is_anonymous(speaker) or re.match(r"^(?:an?|one|two|some)\s", speaker, re.IGNORECASE):
            return None
        resolved = book.resolve(speaker)
        if resolved is not None:
            return resolved
    return book.resolve(proposed)


def _prefixes(text: str) -> set[str]:
    return {t[:6] for t in _tokens(text)}


CIVILIAN = re.compile(r"civilian|child|women|resident|villager|passenger|worker|student|pupil|patient|shopper|worshipper|"
                      r"protester|demonstrator|famil|people|journalist|bystander|pedestrian|miner|spectator", re.IGNORECASE)  # fmt: skip
COMBATANT = re.compile(r"soldier|troop|militant|fighter|servicem|insurgent|rebel|combatant|gunm[ae]n|attacker|"
                       r"officer|policem|police|militia|jihadist|guards?\b|commander", re.IGNORECASE)  # fmt: skip


SELF_AGENT = re.compile(r"\b(?:said|says|claimed|claims|added|reported)\s+(?:that\s+)?(?:it|its|they|their|we|our)\b|"
                        r"\b(?:we|our)\s", re.IGNORECASE)


def victims_of(window: str) -> str:
    civ, com = bool(CIVILIAN.search(window)), bool(COMBATANT.search(window))
    return "mixed" if civ and com else "civilians" if civ else "combatants" if com else "unspecified"


def build_casualties(form: CasualtiesForm, text: str, sentences: list[Sentence], book: PartyBook, grounding: Grounding) -> list[Casualty]:
    figures: list[_Figure] = []
    for item in form.figures:
        grounding.quotes_total += 1
        found = _locate(text, sentences, item.figure, item.reported_by)
        if found is None:
            grounding.quotes_dropped += 1
            continue
        sentence, q = found
        grounding.quotes_verified += 1
        # The words around the figure decide its kind when the model's kind has no cue there.
        window = sentence.text[max(0, q.start - 30) : q.end + 60]
        kind = _kind_near(sentence.text, q, item.kind)
        if kind is None:
            continue
        if q.count == 0 and q.min == 0:
            kinds = ["killed", "injured"] if ZERO_BOTH.search(window) else [kind]
        else:
            kinds = [kind]
        reported_by = _reporter(book, sentences, sentence, item.reported_by)
        caused_by = book.resolve(item.caused_by)
        if caused_by is not None and caused_by == reported_by and not SELF_AGENT.search(sentence.text):
            # A source blames itself only in its own words ("the army said it killed…"); otherwise the
            # model has copied the source into the blame.
            caused_by = None
        for k in kinds:
            casualty = Casualty(
                kind=k,  # type: ignore[arg-type]
                count=q.count,
                min=q.min,
                max=q.max,
                approximate=q.approximate,
                victims=victims_of(window),  # type: ignore[arg-type]
                location=None,
                reported_by=reported_by,
                caused_by=caused_by,
                quote=sentence_quote(sentence),
            )
            figures.append(_Figure(casualty, sentence.index, book.family(reported_by), q))
    return [f.casualty for f in _merge(figures, sentences)]


def _same_value(a: Quantity, b: Quantity) -> bool:
    return (a.count, a.min, a.max) == (b.count, b.min, b.max)


def _merge(figures: list[_Figure], sentences: list[Sentence]) -> list[_Figure]:
    """One figure per kind per source family per event: drop duplicates, superseded vague
    figures and figures revised later in the article."""
    kept: list[_Figure] = []
    for fig in sorted(figures, key=lambda f: f.sentence):
        drop_new = False
        for old in list(kept):
            if old.casualty.kind != fig.casualty.kind:
                continue
            same_family = old.family == fig.family or not old.family or not fig.family
            if not same_family:
                continue
            if _same_value(old.q, fig.q):
                # Same figure twice: keep the one with the more specific named source.
                if _specificity(fig) > _specificity(old):
                    kept.remove(old)
                else:
                    drop_new = True
                break
            if old.q.count is None and fig.q.count is not None and old.q.overlaps(fig.q):
                kept.remove(old)  # "dozens" superseded by "40"
                continue
            if fig.q.count is None and old.q.count is not None and old.q.overlaps(fig.q):
                drop_new = True
                break
            later = _sentence(sentences, fig.sentence)
            if (
                later is not None
                and REVISION_CUE.search(later.text)
                and old.q.count is not None
                and fig.q.count is not None
                and (fig.casualty.reported_by == old.casualty.reported_by or same_family)
            ):
                kept.remove(old)  # "rose to 12" replaces the earlier toll
        if not drop_new:
            kept.append(fig)
    return kept


def _specificity(fig: _Figure) -> tuple[int, int]:
    name = fig.casualty.reported_by or ""
    return (1 if name else 0, len(name))


def _content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) > 3 and w not in _STOP}


def best_sentence(sentences: list[Sentence], index: int, *texts: str | None) -> Sentence | None:
    """The cited sentence, unless a nearby one shares clearly more words with what the
    model wrote about it (small models are often off by one)."""
    words: set[str] = set()
    for t in texts:
        words |= _content_words(t or "")
    if not words:
        return _sentence(sentences, index)

    def score(s: Sentence) -> float:
        overlap = len(words & _content_words(s.text)) / len(words)
        return overlap + (0.15 if s.index == index else 0.0) - 0.01 * abs(s.index - index)

    best = max(sentences, key=score, default=None)
    if best is None or score(best) < 0.2:
        return _sentence(sentences, index)
    return best


_QUOTED = re.compile(r"[“\"]([^”\"]{12,}?)[”\"]")
_ATTRIBUTION_TAIL = re.compile(
    r",?\s*(?:according to|said|says|claimed|claims|told|reported|stated|added|alleged|insisted|wrote)\b[^,;]*[.!?]?$",
    re.IGNORECASE,
)
_ATTRIBUTION_HEAD = re.compile(r"^(?:according to [^,]+,\s*)", re.IGNORECASE)


def statement_of(sentence: str, max_words: int = 30) -> str:
    """What a sentence asserts, in its own words: the quoted speech if there is some, else the
    sentence without its attribution ("…, the ministry said")."""
    quoted = [m.group(1).strip(" ,.") for m in _QUOTED.finditer(sentence)]
    if quoted and len(" ".join(quoted).split()) >= 4:
        text = " … ".join(quoted)
    else:
        text = _ATTRIBUTION_HEAD.sub("", sentence)
        stripped = _ATTRIBUTION_TAIL.sub("", text).strip()
        text = stripped if len(stripped.split()) >= 4 else text
    words = text.split()
    return " ".join(words[:max_words]) + (" …" if len(words) > max_words else "")


ATTRIBUTION = re.compile(
    r"\b(?:said|says|say|told|tells|according to|claim(?:s|ed)?|alleg(?:e|es|ed)|accus(?:e|es|ed)|insist(?:s|ed)?|"
    r"stat(?:es|ed)|announc(?:es|ed)|report(?:s|ed)|add(?:s|ed)|blam(?:e|es|ed)|warn(?:s|ed)?|argu(?:es|ed)|"
    r"assert(?:s|ed)?|maintain(?:s|ed)?|wrote|writes|posted|tweeted|called|calls|condemn(?:s|ed)?|vow(?:s|ed)|"
    r"promis(?:es|ed)|admit(?:s|ted)|concede[sd]?|confirm(?:s|ed)?|den(?:y|ies|ied)|described|statement)\b",
    re.IGNORECASE,
)
_QUOTE_CHARS = re.compile(r"[\"“”«»]")


def _claimant(book: PartyBook, sentences: list[Sentence], sentence: Sentence, proposed: str | None) -> str | None:
    """Who makes the claim in a sentence, or None when the sentence attributes it to no one.

    A claim is someone's: the sentence, or a quotation running across its neighbours, says who
    ("…, the ministry said", "according to X"). Narration is not a claim, whoever the model names."""
    window = [s for s in (_sentence(sentences, sentence.index - 1), sentence, _sentence(sentences, sentence.index + 1)) if s]
    quoted = bool(_QUOTE_CHARS.search(sentence.text))
    if not ATTRIBUTION.search(sentence.text) and not (quoted and any(ATTRIBUTION.search(s.text) for s in window)):
        return None
    return _reporter(book, sentences, sentence, proposed)


def build_claims(form: ClaimsForm, sentences: list[Sentence], book: PartyBook, grounding: Grounding) -> list[Claim]:
    claims: list[Claim] = []
    seen: set[tuple[str, int]] = set()
    for item in form.claims:
        grounding.quotes_total += 1
        sentence = _sentence(sentences, item.sentence)
        if sentence is None:
            grounding.quotes_dropped += 1
            continue
        grounding.quotes_verified += 1
        claimant = _claimant(book, sentences, sentence, item.claimant)
        statement = statement_of(sentence.text) if sentence else ""
        if claimant is None or not statement or (claimant, sentence.index) in seen:
            continue
        seen.add((claimant, sentence.index))
        target = book.resolve(item.target)
        claims.append(
            Claim(
                claimant=claimant,
                statement=statement,
                target=target if target != claimant else None,
                quote=sentence_quote(sentence),
            )
        )
    return claims


# An explicit denial: "X denied (that) …", "X rejected the union's claim …", "X dismissed suggestions …".
_DENY = re.compile(r"\b(?:denied|denies|deny|denying)\b", re.IGNORECASE)
_REJECT = re.compile(
    r"\b(?:rejected|rejects|rejecting|dismissed|dismisses|dismissing|refuted|refutes|rebuffed|rebuts|rebutted|"
    r"disputed|disputes|contested|contests)\b(?=(?:\W+\w+){0,6}?\W+(?:claims?|allegations?|accusations?|reports?|"
    r"suggestions?|charges?|rumou?rs?|assertions?|account|criticism|version|findings?|as\s+(?:false|baseless|untrue|"
    r"propaganda|fake|lies|nonsense|groundless|unfounded))\b)",
    re.IGNORECASE,
)
_NOT_A_DENIAL = re.compile(
    r"\b(?:not|n't|never|neither|nor|without|declined to|refused to)\s+(?:\w+\s+){0,2}(?:den|reject|dismiss|refut|disput)",
    re.IGNORECASE,
)
_CLAUSE_START = re.compile(r"(?:^|;|(?<!\d):(?!\d)|,\s+(?:but|and|while|although|though)\s+|\b(?:but|while|although|though|and)\s+|[”\"],\s*)")


def _subject_before(sentence: str, at: int) -> str | None:
    """The words before the verb at ``at``, back to the clause's start: the one who denies."""
    head = sentence[:at]
    starts = [m.end() for m in _CLAUSE_START.finditer(head)]
    subject = head[starts[-1] if starts else 0 :].strip(" ,")
    subject = re.sub(r"^\d{1,2}[:.]\d{2}\s*(?:[-–—]\s*)?", "", subject)  # a live blog's "07:58 - "
    subject = re.sub(r"(?:\s+(?:also|has|have|had|again|flatly|firmly|strongly|categorically|quickly|later|on \w+))+$",
                     "", subject)  # fmt: skip
    # "Peter Odanga, the police spokesman," / "A spokesman, Peter Odanga,": either part names them.
    parts = [p.strip() for p in subject.split(",") if p.strip()]
    if not parts or len(subject.split()) > 12:
        return None
    return parts[0] if len(parts) == 1 or re.search(r"[A-Z]", parts[0]) else parts[-1]


def explicit_denials(sentences: list[Sentence], book: PartyBook) -> dict[int, tuple[str, str]]:
    """Sentence index -> (denier, what is denied) for every sentence whose grammar says who denies what."""
    found: dict[int, tuple[str, str]] = {}
    previous: str | None = None  # who the preceding sentence is about, for "It denied …"
    for sentence in sentences:
        text = sentence.text
        m = _DENY.search(text) or _REJECT.search(text)
        speaker = speaker_in(text)
        if m is None or _NOT_A_DENIAL.search(text[max(0, m.start() - 40) : m.end()]) or _is_headline(sentence):
            previous = _known(book, speaker or _lead_subject(text))
            continue
        subject = _subject_before(text, m.start()) or _lead_subject(text)
        denier: str | None = None
        if subject and _PRONOUN.match(subject):
            denier = previous
        elif subject:
            denier = book.resolve(subject)
        if denier is None and speaker and not (subject and _PRONOUN.match(subject)):
            denier = book.resolve(speaker)
        content = re.sub(r"^(?:that\s+)", "", text[m.end() :].strip(" ,.\"“”"))
        if denier is not None and len(content.split()) >= 2:
            found[sentence.index] = (denier, content)
        previous = denier or _known(book, speaker or _lead_subject(text))
    return found


def _is_headline(sentence: Sentence) -> bool:
    return sentence.index == 1 and not sentence.text.rstrip("\"”’'").endswith((".", "!", "?"))


def _lead_subject(text: str) -> str | None:
    """The capitalised noun phrase a sentence opens with: "The Velmoran Defence Ministry, in a …"."""
    m = re.match(r"^((?:The\s+)?(?:[A-Z][\w'’.-]*\s+){0,5}[A-Z][\w'’.-]*)(?=[\s,])", text)
    return m.group(1) if m else None


def _known(book: PartyBook, name: str | None) -> str | None:
    party = book.find(name) if name and not _is_anonymous(name) else None
    return party.name if party else None


def build_denials(form: DenialsForm, sentences: list[Sentence], book: PartyBook, grounding: Grounding) -> list[Denial]:
    denials: list[Denial] = []
    seen: set[tuple[str, int]] = set()
    explicit = explicit_denials(sentences, book)
    for item in form.denials:
        grounding.quotes_total += 1
        sentence = best_sentence(sentences, item.sentence, item.denied, item.denier)
        if sentence is None:
            grounding.quotes_dropped += 1
            continue
        grounding.quotes_verified += 1
        if not DENIAL_CUE.search(sentence.text):
            continue
        denier = book.resolve(item.denier)
        denied = item.denied.strip()
        if sentence.index in explicit and not _named_in(book, denier, sentence.text):
            # The sentence's own grammar names who denies what ("the army denied that …").
            denier, denied = explicit[sentence.index]
        if denier is None or (denier, sentence.index) in seen or not denied:
            continue
        seen.add((denier, sentence.index))
        responds_to = book.resolve(item.responds_to)
        denials.append(
            Denial(
                denier=denier,
                denied=denied,
                responds_to=responds_to if responds_to != denier else None,
                quote=sentence_quote(sentence),
            )
        )
    # Explicit denials the model left out. They are read from the text, not proposed by the model,
    # so they do not count in the grounding tally of model quotes.
    for index, (denier, denied) in explicit.items():
        if any(d.denier == denier or (d.quote and d.quote.start == sentences[index - 1].start) for d in denials):
            continue
        denials.append(Denial(denier=denier, denied=denied, responds_to=None, quote=sentence_quote(sentences[index - 1])))
    denials.sort(key=lambda d: d.quote.start if d.quote else 0)
    return denials


def quantities_in(text: str) -> list[Quantity]:
    return find_quantities(text)
