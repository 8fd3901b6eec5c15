"""Parties: every name the model used resolved to one listed party, grounded in the article."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from newsfacts.reading.lexicon import UPPER, Lexicon, alternation, caseless
from newsfacts.reading.morphology import nominative
from newsfacts.reading.names import (
    PERSON,
    guess_type,
    in_text,
    is_anonymous,
    is_generic,
    norm,
    norm_text,
    split_title,
    tokens,
)
from newsfacts.reading.outlet import agencies
from newsfacts.reading.places import only_a_place, place_reader
from newsfacts.reading.trace import Trace
from schemas.contract import Casualty, Claim, Denial, Party, PartyType
from schemas.extraction import PartiesForm

# "Jama'at Nusrat al-Islam wal-Muslimin (JNIM)": a name and its abbreviation.
ABBREVIATED = re.compile(rf"^(.{{4,200}}?) ?\(([{UPPER}][\w&.-]{{1,11}})\)$")
# "MAIDUGURI, Nigeria (AP) —", "ANKARA, March 3 (Reuters) -", "GAZA/TEL AVIV (dpa-AFX) -": the place a wire story was filed from.
DATELINE = re.compile(
    rf"(?m)^[ \t]{{0,8}}([{UPPER}][{UPPER}'’./-]{{2,30}}(?: [{UPPER}][{UPPER}'’./-]{{1,30}}){{0,2}}"
    rf"(?:, ?[{UPPER}][\w'’.-]{{1,30}}(?: [{UPPER}][\w'’.-]{{1,30}}){{0,2}})?)"
    rf"(?=(?:, ?[{UPPER}]\w{{2,8}}\.? \d{{1,2}})? ?\([^()\n]{{2,30}}\)|,? ?\d{{0,2}} ?\w{{0,8}}\.? ?[-–—] )"
)


# A document named in place of its issuer: "the ministry statement", "el comunicado del ministerio" is not.
_DOCUMENT = re.compile(
    r" (?:statement|statements|report|communiqu[eé]|press release|release|bulletin|comunicado|erklärung|mitteilung|"
    r"заявление|сообщение|заява|повідомлення|comunicato|nota)$",
    re.IGNORECASE,
)

# ... and a document named before its issuer: "reports from local authorities", "reportes de autoridades
# federales", "un comunicado del Ejército" are the issuer; a document alone ("a statement") is no one.
_DOCUMENT_LEAD = re.compile(
    r"^(?:(?:the|a|an|el|la|los|las|un|una|le|les|l'|l’|une|des|die|der|das|ein|eine|il|lo|o|os|um|uma) )?"
    r"(?:statements?|reports?|communiqu[eé]s?|press releases?|bulletins?|reportes?|informes?|comunicados?|"
    r"rapports?|berichte?|erklärung|mitteilung|comunicato|rapporto|relatórios?|заявлени[ея]|сообщени[ея]|"
    r"заяв[аи]|повідомлення)"
    r"(?: (?:of|from|by|de|del|de la|de los|de las|des|du|de l'|de l’|d'|d’|von|vom|der|des|di|della|dello|dei|"
    r"do|da|dos|das) |$)",
    re.IGNORECASE,
)

_EVENT_LED = re.compile(r"^(?:[^\W\d_]{1,2}['’])?([^\W\d_]+) (.{1,200})$")  # "L'attentato a Kabul"
MAX_NAME_WORDS = 12  # longer is a clause the model copied, not a name
MAX_TITLE_USES = 20  # uses of a bare title read for the name that follows it
_COUNT = re.compile(r"^\d[\d.,\u00a0\u202f]*+$")


def bare_name(name: str, lex: Lexicon) -> str:
    """A party's name without the words around it that are not the name: a leading preposition
    ("В минобороны ДНР"), a leading article before a common noun or a body ("Les forces
    américaines", "El Ejército", but "El País", "La Concordia" keep theirs), and trailing
    prepositions and articles ("ministère de l'Intérieur dans un")."""
    words = name.split()
    if len(words) >= 2 and lex.fullmatch("places.before", words[0]):
        words = words[1:]
    if len(words) >= 3 and words[0].lower() in agencies() and PERSON.fullmatch(" ".join(words[1:])):
        words = words[1:]  # "Efe José Homero" ("cuenta a Efe José Homero"): the agency is whom it was told
    if len(words) >= 2 and words[0].islower() and lex.fullmatch("places.of", words[0]):
        words = words[1:]  # "del ministerio de Salud": the "of" of the phrase the name was cut from
    articles = lex.lowered("parties.articles")

    def common(rest: str) -> bool:
        return (
            rest[:1].islower()
            or lex.matches("parties.org_words", rest)
            or lex.matches("parties.military_words", rest)
        )

    if len(words) >= 2 and words[0].lower() in articles and common(" ".join(words[1:])):
        words = words[1:]
    elif (
        len(words) >= 3
        and lex.fullmatch("parties.articles_before_bodies", words[0])
        and words[1][:1].isupper()
    ):
        rest = " ".join(words[1:])
        if lex.matches("parties.org_words", rest) or lex.matches("parties.military_words", rest):
            words = words[1:]  # "the Armenian Defense Ministry"; "The Guardian", "the official" keep theirs
    elided = next((a for a in articles if a[-1:] in "'’" and words and words[0].lower().startswith(a)), None)
    if elided and len(words[0]) > len(elided) and common(" ".join([words[0][len(elided) :], *words[1:]])):
        words = [words[0][len(elided) :], *words[1:]]  # "L'armée", but "l'EI" keeps its article
    trailing = lex.lowered("parties.stop") | articles
    while len(words) >= 2 and (words[-1].lower() in trailing or lex.fullmatch("places.before", words[-1])):
        words = words[:-1]
    return " ".join(words)


def not_a_name(name: str, lex: Lexicon) -> bool:
    """What no party is called: a clause ("подозреваемые … собирались перейти границу …"), a count
    of people ("20 Geiseln", "143 человека"; "81 Military Intelligence Brigade" is a body), what
    someone said ("les allégations contenues dans ce rapport"), or an event ("the shelling")."""
    words = name.split()
    if not words or len(words) > MAX_NAME_WORDS:
        return bool(words)
    body = lex.matches("parties.org_words", name) or lex.matches("parties.military_words", name)
    if _COUNT.match(words[0]) and not body:
        return True
    head = " ".join(words[:3])
    if lex.fullmatch("denials.reject_objects", words[0].strip(",.;:")) or (
        not (lex.matches("parties.org_words", head) or lex.matches("parties.military_words", head))
        and any(lex.fullmatch("denials.reject_objects", w.strip(",.;:")) for w in words[1:3])
    ):
        return True  # "les allégations …", "wild rumours spread on social media"; not "وكالة الأنباء"
    events, stop = _events_only(lex), lex.lowered("parties.stop", "parties.articles")
    if _verb_inside(words, lex, stop):
        return True  # "Ministerium dementiert höhere Opfer-Zahlen": a headline's clause
    content = " ".join(w.strip(",.;:") for w in words if w.lower() not in stop)
    if events is None or not content:
        return False
    return events.fullmatch(content) is not None


def _verb_inside(words: list[str], lex: Lexicon, stop: frozenset[str]) -> bool:
    """A lowercase verb of saying or denying after the name's first word, with a word after it that
    is no connector ("Ministerium dementiert höhere Opfer-Zahlen", "the army says fighters …"): a
    clause. A plural noun spelt like a verb before a connector stays a name ("member states of …")."""
    for i in range(1, len(words) - 1):
        w = words[i].strip(",.;:")
        verb = lex.fullmatch("attribution.said", w) or lex.fullmatch("denials.deny", w)
        if verb and w.islower() and words[i + 1].lower() not in stop:
            return True
    return False


@cache
def _events_only(lex: Lexicon) -> re.Pattern[str] | None:
    """Event words one after another ("the shelling"), compiled once per language; the names it
    reads have at most MAX_NAME_WORDS words, so the repeat is bounded."""
    events = lex.words("parties.event_words")
    if not events:
        return None
    one = alternation(events)
    return re.compile(rf"{one}(?: {one})*+", re.IGNORECASE)


_PLACE_TYPES = ("state", "other", "government_body", "population")


def _body_words(name: str, lex: Lexicon) -> bool:
    """Whether a name holds a word for a body ("ministry", "army", "City Council"); a word for a
    kind of place ("Mexico City", "Morelos state", "the Donetsk region") is not one."""
    place_nouns = lex.pattern("places.nouns")
    rest = place_nouns.sub(" ", name) if place_nouns is not None else name
    return lex.matches("parties.org_words", rest) or lex.matches("parties.military_words", rest)


def drop_places(book: PartyBook, casualties: list[Casualty], claims: list[Claim], denials: list[Denial],
                trace: Trace) -> tuple[list[Claim], list[Denial]]:  # fmt: skip
    """Parties the article names only as where something happened ("in Kramatorsk", "the town of
    Dabat", a dateline): a place, not a party. A place does not report, claim, deny or cause
    anything, so a figure's source or culprit that names it becomes null, a claim or a denial it
    would make goes, and an affiliation or a target to it is dropped. Returns the claims and
    denials that remain."""
    if not book.rules or not place_reader(book.lex).supported:
        return claims, denials
    text = book.text.replace("’", "'")
    reader = place_reader(book.lex)
    gone: list[Party] = []
    for party in book.parties:
        names = book.names_of(party)
        if (
            party.type not in _PLACE_TYPES
            or party.role
            or party.name[:1].islower()
            or any(_body_words(x, book.lex) for x in names)
        ):
            continue
        inside = list(book._datelines)
        for other in book.parties:
            if other is not party:
                for x in book.names_of(other):
                    if len(x) > len(party.name) and norm(party.name) in norm(x):
                        inside += reader.uses(x.replace("’", "'"), text)
        used = [x.replace("’", "'") for x in names if reader.uses(x.replace("’", "'"), text)]
        if used and all(only_a_place(x, text, book.lex, inside=inside) for x in used):
            gone.append(party)
    if not gone:
        return claims, denials
    gone_names = {norm(x) for p in gone for x in book.names_of(p)}

    def place(x: str | None) -> bool:
        return bool(x) and norm(x) in gone_names

    book.remove(gone, trace, "only_a_place_where_it_happened")
    for party in book.parties:
        if place(party.affiliation):
            party.affiliation = None
    for c in casualties:
        c.reported_by = None if place(c.reported_by) else c.reported_by
        c.caused_by = None if place(c.caused_by) else c.caused_by
    for claim in claims:
        claim.target = None if place(claim.target) else claim.target
    for d in denials:
        d.responds_to = None if place(d.responds_to) else d.responds_to
    for step in trace.steps:
        out = step.output
        if (isinstance(out, Claim) and place(out.claimant)) or (
            isinstance(out, Denial) and place(out.denier)
        ):
            step.drop("a_place_says_nothing")
    return [c for c in claims if not place(c.claimant)], [d for d in denials if not place(d.denier)]


def written_names(book: PartyBook, casualties: list[Casualty], claims: list[Claim], denials: list[Denial],
                  trace: Trace) -> None:  # fmt: skip
    """A party whose name the article never writes ("Mali army", put together from "Mali" and "the
    army") takes the first name for it that the article does write, among its aliases and the names
    the other answers used for it ("The army"); the name it had becomes an alias, and every entry
    that named it names it so."""
    if not book.rules:
        return
    renamed: dict[str, str] = {}
    gone: list[Party] = []
    for party in book.parties:
        if in_text(party.name, book._text_norm):
            continue
        written = next(
            (
                x
                for x in [
                    *party.aliases,
                    *(name for p, name in book.mentions if p is party),
                    *_article_toggled(party.name),
                ]
                if in_text(x, book._text_norm) and not is_anonymous(x, book.lex) and not is_generic(x)
            ),
            None,
        )
        if written is None:
            continue
        written = " ".join(written.split())
        if _merged_into_namesake(book, party, written, gone, renamed):
            continue  # a party listed by that name already takes this one in
        renamed[party.name] = written
        _rename(party, written, trace, "named_as_the_article_writes_it")
    if gone:
        book.remove(gone, trace, "the_same_name_as_written")
    rename_entries(book, casualties, claims, denials, renamed)


def _merged_into_namesake(
    book: PartyBook, party: Party, name: str, gone: list[Party], renamed: dict[str, str]
) -> bool:
    """Whether another party is named ``name`` already: it takes in ``party``'s names, ``party`` goes
    (into ``gone``) and its entries name the other (``renamed``)."""
    same = next(
        (p for p in book.parties if p is not party and p not in gone and norm(p.name) == norm(name)), None
    )
    if same is None:
        return False
    same.aliases.extend(x for x in book.names_of(party) if norm(x) not in map(norm, book.names_of(same)))
    gone.append(party)
    renamed[party.name] = same.name
    return True


def _rename(party: Party, name: str, trace: Trace, rule: str) -> None:
    """``party`` named ``name``, the name it had an alias; its steps in ``trace`` record ``rule``."""
    party.aliases = [a for a in party.aliases if norm(a) != norm(name)] + [party.name]
    party.name = name
    for step in trace.steps:
        if step.field == "parties" and step.output is party:
            step.apply(rule)


def dictionary_forms(book: PartyBook, casualties: list[Casualty], claims: list[Claim], denials: list[Denial],
                     trace: Trace) -> None:  # fmt: skip
    """In a language that inflects names, a party named in an oblique case ("российских властей")
    takes its name in the nominative ("российские власти", ``morphology.nominative``); the name
    it had becomes an alias, a party already listed by that name takes it in, and every entry that
    named it names it so."""
    if not book.rules or not book.lex.get("morphology"):
        return
    renamed: dict[str, str] = {}
    gone: list[Party] = []
    for party in book.parties:
        nom = nominative(party.name, book.lex)
        if nom is None:
            continue
        if _merged_into_namesake(book, party, nom, gone, renamed):
            continue
        renamed[party.name] = nom
        _rename(party, nom, trace, "named_in_the_nominative")
    if gone:
        book.remove(gone, trace, "the_same_name_in_another_case")
    rename_entries(book, casualties, claims, denials, renamed)


def _article_toggled(name: str) -> list[str]:
    """An Arabic name with its first word's article dropped or added ("القوات التحالف" and "قوات
    التحالف"): a model often writes a construct noun with the article the article's text has not."""
    first, _, rest = name.partition(" ")
    if not first or not caseless(first):
        return []
    other = first[2:] if first.startswith("ال") and len(first) > 3 else "ال" + first
    return [f"{other} {rest}".strip()]


def rename_entries(book: PartyBook, casualties: list[Casualty], claims: list[Claim], denials: list[Denial],
                   renamed: dict[str, str]) -> None:  # fmt: skip
    """Every entry that names a party by a name in ``renamed`` names it by its new name."""
    if not renamed:
        return

    def new(name: str) -> str:
        return renamed.get(name, name)

    def new_or_none(name: str | None) -> str | None:
        return new(name) if name else name

    for party in book.parties:
        party.affiliation = new_or_none(party.affiliation)
    for c in casualties:
        c.reported_by, c.caused_by = new_or_none(c.reported_by), new_or_none(c.caused_by)
    for claim in claims:
        claim.claimant, claim.target = new(claim.claimant), new_or_none(claim.target)
    for d in denials:
        d.denier, d.responds_to = new(d.denier), new_or_none(d.responds_to)


def keep_actors(book: PartyBook, casualties: list[Casualty], claims: list[Claim], denials: list[Denial],
                trace: Trace) -> None:  # fmt: skip
    """The parties are the actors of the facts: each one a figure, a claim or a denial names (as its
    source, culprit, claimant, target, denier or the one it answers), the party such an actor
    speaks for or belongs to, and who speaks for such an actor (its spokesperson). A name listed
    but tied to no fact (a place, a thing, a bystander) is not passed on."""
    if not book.rules:
        return
    named = {c.reported_by for c in casualties} | {c.caused_by for c in casualties}
    named |= {c.claimant for c in claims} | {c.target for c in claims}
    named |= {d.denier for d in denials} | {d.responds_to for d in denials}
    keep = {norm(x) for x in named if x}
    grew = True
    while grew:
        grew = False
        for party in book.parties:
            name, parent = norm(party.name), norm(party.affiliation)
            if name in keep and parent and parent not in keep:
                keep.add(parent)
                grew = True
            elif parent in keep and name not in keep:
                keep.add(name)
                grew = True
    gone = [p for p in book.parties if norm(p.name) not in keep and not named_with_post(p.name, book)]
    if not gone:
        return
    book.remove(gone, trace, "in_no_figure_claim_or_denial")


MAX_POST = 90  # characters of a post written before or after a person's name


def named_with_post(name: str, book: PartyBook) -> bool:
    """Whether the article names this person with a post: a title right before the name
    ("Information Minister Mian Iftikhar Hussain", "deputado Raul Danda"), a post set off by commas
    before it ("O Presidente brasileiro, Jair Bolsonaro,") or after it ("Rogério Lobasso, responsável
    da polícia militar,"). An official the article presents so is an actor even when no figure,
    claim or denial names them."""
    titles = book.lex.pattern("parties.titles")
    # "Freddy Padilla de León": a name's lowercase particles are no words of its own
    particles_out = " ".join(w for w in name.split() if not (w.islower() and len(w) <= 3))
    if titles is None or not PERSON.fullmatch(particles_out):
        return False
    text = book.text
    at = text.find(name)
    if at < 0:
        return False
    before = text[max(0, at - MAX_POST) : at]
    after = text[at + len(name) : at + len(name) + MAX_POST]
    clause = re.split(r"[.;:!?\n]", before)[-1]
    pieces = clause.split(",")
    posts = [pieces[-1]]
    if len(pieces) >= 2 and not pieces[-1].strip():
        posts.append(pieces[-2])  # "O Presidente brasileiro, Jair Bolsonaro"
    if after.startswith(", "):
        # "Rogério Lobasso, responsável da polícia militar,"
        posts.append(re.split(r"[,.;:!?\n]", after[2:])[0])
    return any(titles.search(post) and len(post.split()) <= 8 for post in posts)


def merge_titles(book: PartyBook, trace: Trace) -> None:
    """A title listed on its own ("National Civil Defense Coordinator") and the person the article
    names with it ("National Civil Defense Coordinator Luis Felipe Puente") are one party: the
    title becomes the person's alias. A body the person speaks for stays a party of its own."""
    if not book.rules:
        return
    gone: list[Party] = []
    for title in book.parties:
        key = norm(title.name)
        last = title.name.split()[-1] if title.name.split() else ""
        if title.type == "official" and title.role or not key:
            continue
        if not book.lex.matches("parties.titles", title.name) and (
            book.lex.matches("parties.org_words", last) or book.lex.matches("parties.military_words", last)
        ):
            continue  # a body, not a title
        for person in book.parties:
            if person is title or person in gone or norm(person.role) != key:
                continue
            if any(norm(a) == f"{key} {norm(person.name)}" for a in person.aliases):
                person.aliases.append(title.name)
                gone.append(title)
                break
    if gone:
        book.remove(gone, trace, "a_title_is_the_person_named_with_it")


# An acronym, after an article or an elided one: "EI", "l'EI", "the UN", "МВД".
_ACRONYM_NAME = re.compile(
    rf"(?:(?i:the|la|le|el|die|der|das|il|lo|o|a) |[^\W\d_]{{1,2}}['’])?([{UPPER}]{{2,8}})"
)
_WORD = re.compile(r"[^\W\d_]+")


_WIRE_DATELINE = re.compile(rf"^[{UPPER}][^()\n]{{0,60}}\([^()\n]{{1,30}}\) ?[-–—]{{1,2}} ")
_ELIDED = re.compile(r"^[^\W\d_]{1,5}['’]")


def initials(name: str, lex: Lexicon) -> str:
    """The capitals of a name's words, its stop words left out: 'Etat islamique' -> 'EI'."""
    stop = lex.lowered("parties.stop")
    return "".join(w[0] for w in _WORD.findall(name[:200]) if w.lower() not in stop).upper()


def merge_acronyms(book: PartyBook, casualties: list[Casualty], claims: list[Claim], denials: list[Denial],
                   trace: Trace) -> None:  # fmt: skip
    """A party named by an acronym ("l'EI", "МВД") and a party whose words it abbreviates ("Etat
    islamique", "Министерство внутренних дел") or which the text gives it after are one party: the acronym becomes an alias, and
    every entry that named it names the party."""
    if not book.rules:
        return
    gone: list[Party] = []
    renamed: dict[str, str] = {}
    for short in book.parties:
        m = _ACRONYM_NAME.fullmatch(short.name)
        key = m.group(1) if m is not None else short.name
        if m is None and " " in short.name:
            continue
        for full in book.parties:
            if full is short or full in gone or _ACRONYM_NAME.fullmatch(full.name):
                continue
            # its initials, or the text gives it in brackets after the name ("… wal-Muslimin (JNIM)",
            # "وكالة الأنباء السورية الرسمية (سانا)")
            if (
                m is not None and initials(full.name, book.lex) == key
            ) or f"{full.name} ({key})" in book.text:
                full.aliases.extend(x for x in book.names_of(short) if norm(x) not in map(norm, full.aliases))
                gone.append(short)
                renamed[short.name] = full.name
                break
    if gone:
        book.remove(gone, trace, "an_acronym_is_the_party_it_abbreviates")
        rename_entries(book, casualties, claims, denials, renamed)


@dataclass
class PartyBook:
    """The parties, and resolution of every name the model used to one of them."""

    text: str
    lex: Lexicon
    outlet: str | None = None
    rules: bool = True
    parties: list[Party] = field(default_factory=list)
    # Each name the other answers used, with the party it resolved to, in the order they came.
    mentions: list[tuple[Party, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._text_norm = " ".join(norm_text(line) for line in self.text.splitlines())
        self._datelines = [m.span(1) for m in DATELINE.finditer(self.text)] if self.rules else []

    @staticmethod
    def names_of(party: Party) -> list[str]:
        return [party.name, *party.aliases]

    def find(self, name: str | None, *, demonyms: bool = False) -> Party | None:
        n = norm(name)
        if not n:
            return None
        for party in self.parties:
            if any(norm(x) == n for x in self.names_of(party)):
                return party
        if not self.rules:
            return None
        # "Armenian Defense Ministry spokeswoman" -> "Armenian Defense Ministry"; longest name wins.
        best: tuple[int, Party] | None = None
        padded = f" {n} "
        for party in self.parties:
            for x in self.names_of(party):
                nx = norm(x)
                if len(nx) < 3:
                    continue
                if f" {nx} " in padded or f" {n} " in f" {nx} ":
                    extra = n[len(nx) :] if n.startswith(nx + " ") else ""
                    if self.lex.matches("parties.org_words", extra) or self.lex.matches(
                        "parties.military_words", extra
                    ):
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
            for x in self.names_of(party):
                toks = norm(x).split()
                if toks and all(any(r.startswith(t) and len(t) >= 4 for r in ref_tokens) for t in toks):
                    return party
        return None

    def remove(self, gone: list[Party], trace: Trace, rule: str) -> None:
        """Take ``gone`` out of the parties; their steps in ``trace`` are dropped by ``rule``."""
        self.parties = [p for p in self.parties if p not in gone]
        trace.drop_outputs("parties", gone, rule)

    def listed(self, name: str | None) -> Party | None:
        """The listed party a reference stands for, or None (an anonymous reference is no one's);
        unlike ``resolve``, it never adds a party."""
        return self.find(name) if name and not is_anonymous(name, self.lex) else None

    def add(self, name: str, type_: PartyType | None = None, **extra: object) -> Party | None:
        name = re.sub(r"^(?:an?|one) ", "", " ".join(name.split()).strip(".,;:")[:200], flags=re.IGNORECASE)
        if self.rules:
            name = bare_name(name, self.lex)
            if not_a_name(name, self.lex):
                return None
        if is_anonymous(name, self.lex) or is_generic(name) or not self.grounded(name):
            return None
        if self.rules and self._dateline_only(name):
            return None
        if self.outlet and norm(name) == norm(self.outlet):
            return None
        abbreviated = ABBREVIATED.match(name) if self.rules else None
        if abbreviated:
            full, short = abbreviated.group(1).strip(), abbreviated.group(2)
            party = self.find(full) or self.find(short) or self.add(full, type_, **extra)
            if party is not None and norm(short) not in (norm(x) for x in self.names_of(party)):
                party.aliases.append(short)
            return party
        existing = self.find(name)
        if existing is not None and norm(existing.name) == norm(name):
            return existing
        titled = split_title(name, self.lex) if self.rules else None
        if titled is not None:
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
        behind = self.person_behind(name) if self.rules else None
        if behind is not None:
            known = self.find(behind)
            if known is not None:
                if norm(name) not in (norm(a) for a in known.aliases):
                    known.aliases.append(name)
                return known
            party = Party(name=behind, type="official", aliases=[name], role=name)
            self.parties.append(party)
            return party
        party = Party(name=name, type=type_ or guess_type(name, self.lex), **extra)
        self.parties.append(party)
        return party

    def _dateline_only(self, name: str) -> bool:
        """A place named only in a dateline ("MAIDUGURI, Nigeria (AP) —") is where, not who."""
        if not self._datelines:
            return False
        low, needle = self.text.lower(), name.strip().lower()
        hits: list[int] = []
        at = low.find(needle)
        while at >= 0 and len(hits) < 200:
            hits.append(at)
            at = low.find(needle, at + 1)
        return bool(hits) and all(any(a <= h < b for a, b in self._datelines) for h in hits)

    def person_behind(self, title: str) -> str | None:
        """The proper name that follows a title in the text: 'governor Oleksandr Hrytsenko'."""
        if not self.lex.matches("parties.titles", title):
            return None
        low = self.text.lower()
        needle = " ".join(title.split()).lower()
        if not needle:
            return None
        connectors = self.lex.lowered("parties.connectors")
        at = low.find(needle)
        for _ in range(MAX_TITLE_USES):
            if at < 0:
                return None
            rest = self.text[at + len(needle) : at + len(needle) + 120]
            m = PERSON.match(rest.lstrip(", "))
            first = rest.split(None, 1)[0].lower() if rest[:1].isspace() and rest.strip() else ""
            elided = _ELIDED.match(first)  # "dell'Esercito": the connector with its article elided
            if (
                m is None
                and (first in connectors or (elided and elided.group(0) in connectors))
                and "," in rest[:60]
            ):
                # the title's own "of" phrase, then the name in apposition: "el ministro de Defensa, Juan Manuel Santos",
                # with a rank of its own: "il portavoce dell'Esercito, il maggiore Mohamed Hegazy"
                apposed = rest[rest.index(",") + 1 :].lstrip()
                m = PERSON.match(apposed)
                # split_title takes a leading article into the title ("il maggiore")
                ranked = split_title(apposed.split(",")[0], self.lex) if m is None else None
                if ranked is not None and len(ranked[0].split()) >= 2:
                    return ranked[0]
            if m is not None and len(m.group(0).split()) >= 2:
                ranked = split_title(m.group(0), self.lex)  # "Major Ali Khan": the rank is no name
                return ranked[0] if ranked is not None and len(ranked[0].split()) >= 2 else m.group(0)
            at = low.find(needle, at + len(needle))
        return None

    def grounded(self, name: str) -> bool:
        """The name, or most of its words, appears in the article."""
        if in_text(name, self._text_norm):
            return True
        toks = tokens(name, self.lex)
        if not toks:
            return False
        present = sum(1 for t in toks if f" {t[:6]}" in f" {self._text_norm}")
        return present / len(toks) >= 0.6

    def resolve(self, name: str | None) -> str | None:
        """The party name a reference stands for; adds a grounded new party; None if anonymous.

        An event named in place of its actor ("Armenian rocket strike") resolves to the actor."""
        if is_anonymous(name, self.lex):
            return None
        assert name is not None
        name = " ".join(name.split())[:200]
        if self.rules:
            # "LE CAIRE (Reuters) - L'armée égyptienne": a wire dateline opened the subject's sentence
            name = _WIRE_DATELINE.sub("", name) or name
            if (lead := _DOCUMENT_LEAD.match(name)) is not None:
                name = name[lead.end() :].strip()
                if not name:
                    return None  # "a statement": no one named
            # "the defence ministry statement" is the ministry, "the department's statement" the department
            issuer = _DOCUMENT.sub("", name)
            name = (re.sub(r"(?:'s|’s)$", "", issuer) if issuer != name else issuer) or name
        listed = any(norm(x) == norm(name) for party in self.parties for x in self.names_of(party))
        role = self.lex.search("parties.spokesperson", name) if self.rules and not listed else None
        body = name[: role.start()].strip() if role else ""
        if (
            role
            and role.end() == len(name)
            and tokens(body, self.lex)
            and (
                (found := self.find(body)) is not None
                and found.type != "official"
                or _body_words(body, self.lex)
            )
        ):
            # "Armenian Defense Ministry spokeswoman": the body speaks; its spokesperson is listed too.
            # ("El portavoz" names no body: an article is not one; nor do "Pakistani officials" name
            # a body "Pakistani", even where a person's title holds the word ("Pakistani Interior
            # Minister Rehman Malik"): the officials are the party.)
            owner = self.resolve(body)
            if owner is not None:
                if self.find(name) is None and self.grounded(name):
                    self.parties.append(
                        Party(name=name, type="official", affiliation=owner, role=role.group(0).strip())
                    )
                return owner
        party = self.find(name) or (self._by_surname(name) if self.rules else None)
        if (
            self.rules
            and party is not None
            and norm(name) not in (norm(x) for x in self.names_of(party))
            and split_title(name, self.lex)
        ):
            party = self.add(name) or party  # "IPCA Regional Director Sarah Okonjo" is the person
        if party is None and self.rules and self._names_no_one(name):
            return None
        bare = bare_name(name, self.lex) if party is None and self.rules else name
        if party is None and bare != name:
            # "L'armée", "la policía": the listed party whose name holds the words after the article
            party = self.find(bare)
        if party is None and self.rules and (led := _EVENT_LED.match(bare)) is not None:
            # an event named first ("L'attentato a Kabul", "el ataque del Ejército"): its actor is
            # the one it is "of"; where it happened or whom it hit is no one
            event, rest = led.group(1), led.group(2).split()
            # a common noun: lowercase, after an article, or before a lowercase word ("Ataque contra
            # la mezquita"); "Strike Force Command" is a name
            common = event[:1].islower() or bare != name.strip() or rest[0][:1].islower()
            if common and self.lex.fullmatch("parties.event_words", event):
                if len(rest) >= 2 and self.lex.fullmatch("places.of", rest[0].lower()):
                    return self.resolve(" ".join(rest[1:]))
                return None
        if party is None and self.rules:
            event = self.lex.pattern("parties.event_words")
            # the event is the head of the phrase ("Armenian rocket strike"), not a word inside a
            # name ("Harbour Fire Service")
            head = name.split()[-1] if name.split() else ""
            actor = event.sub(" ", name).strip() if event is not None and event.fullmatch(head) else name
            if actor != name.strip():
                party = (self._state_by_demonym(actor) or self.find(actor, demonyms=True)) if actor else None
                if party is None:
                    return None
        party = party or self.add(name) or (self.find(name, demonyms=True) if self.rules else None)
        if party is None:
            return None
        if self.outlet and norm(party.name) == norm(self.outlet):
            return None
        self.mentions.append((party, name))
        return party.name

    def _names_no_one(self, name: str) -> bool:
        """A truce, a war or talks named where a party belongs ("the Russian-brokered ceasefire" as
        whom a figure's source blames): its head, the first or the last word of the phrase, is one of
        the language's ``parties.not_agents``, and no word of a body ("Crisis Group") is in it."""
        p = self.lex.pattern("parties.not_agents")
        if p is None or self.lex.matches("parties.org_words", name):
            return False
        words = name.strip(" \t\"'“”«»()").split()
        stop = self.lex.lowered("parties.stop")
        while len(words) > 1 and words[0].lower() in stop:
            words = words[1:]  # "the war", "la tregua"
        core = " ".join(words)
        if (first := p.match(core)) is not None and (
            first.end() == len(core) or not core[first.end()].isalnum()
        ):
            return True
        # at the end, in lowercase: "John Deal" is a name
        return any(m.end() == len(core) and not m.group(0)[:1].isupper() for m in p.finditer(core))

    def _by_surname(self, name: str) -> Party | None:
        """'Interior Minister Vogler' is Katrin Vogler when she is the only listed person of that name."""
        words = name.split()
        if (
            len(words) < 2
            or not self.lex.matches("parties.titles", " ".join(words[:-1]))
            or not words[-1][:1].isupper()
        ):
            return None
        surname = norm(words[-1])
        people = [p for p in self.parties if len(p.name.split()) >= 2 and norm(p.name.split()[-1]) == surname
                  and p.type in ("official", "other") and not self.lex.matches("parties.org_words", p.name)]  # fmt: skip
        return people[0] if len(people) == 1 else None

    def _state_by_demonym(self, actor: str) -> Party | None:
        """The state an adjective stands for ("Azerbaijani" -> Azerbaijan): a party of type state, or
        else one named in one word whose type is not known (the model lists parties by name only)."""
        toks = norm(actor).split()
        states = [p for p in self.parties if p.type == "state"]
        states += [p for p in self.parties if p.type == "other" and len(norm(p.name).split()) == 1]
        for party in states:
            for x in self.names_of(party):
                nx = norm(x)
                if len(nx) >= 4 and any(t.startswith(nx) for t in toks):
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

    def named_in(self, name: str | None, text: str) -> bool:
        """The name, or one of its party's names, appears in ``text`` (word prefixes count)."""
        if not name:
            return False
        party = self.find(name)
        names = [name] + ([party.name, *party.aliases] if party else [])
        window = tokens(text, self.lex, whole=True)
        window |= {t[:6] for t in window}
        return any(tokens(n, self.lex) and tokens(n, self.lex) <= window for n in names)


def build_parties(form: PartiesForm, book: PartyBook, trace: Trace) -> None:
    """The parties the model named that the article names too. The model gives names only; each
    party's type, aliases, role and affiliation come from the article (``PartyBook.add``) and from
    the names the other answers use for it."""
    for name in form.parties:
        step = trace.step("parties", name)
        before = len(book.parties)
        party = book.add(name)
        if party is None:
            step.drop("name_not_in_article_or_anonymous")
            continue
        if len(book.parties) == before and norm(party.name) != norm(name):
            step.apply("same_party_as_listed")
        elif norm(party.name) != norm(name):
            step.apply("titled_name_is_the_person")
        step.output = party


__all__ = [
    "PERSON", "PartyBook", "bare_name", "build_parties", "dictionary_forms", "drop_places", "keep_actors", "merge_acronyms", "merge_titles", "not_a_name", "written_names",
]  # fmt: skip
