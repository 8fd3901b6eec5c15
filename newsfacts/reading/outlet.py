"""Which outlet's copy this is: request metadata first, then the originator marks in the text.

Every pattern runs over one line at a time, with runs of whitespace folded and the line cut to
300 characters, so no line can make a pattern backtrack; marks that need words (a byline's
"By" / "Por" / "Von", a "Source:" line, "could not independently verify") come from the
article's lexicon, and the marks made of punctuation ("(AFP) —", "— RT Russia", a closing
"AFP" line) hold in every language.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from functools import cache
from pathlib import Path

from newsfacts.reading.lexicon import UPPER, Lexicon, alternation, caseless, lexicon
from newsfacts.reading.trace import Trace
from schemas.contract import Outlet

LINE_CHARS = 300
BODY_CHARS = 20000  # the model's outlet is looked for in the article's first 20,000 characters
HEAD_CHARS = 600  # an outlet's name with its article ("O Globo") is looked for in the first lines
_U = f"[{UPPER}]"
# "MAIDUGURI, Nigeria (AP) —", "KABUL, Afghanistan, Aug. 5 (Xinhua) --", "Bogotá, 30 mar (EFE).-"
_DATELINE = re.compile(
    rf"^(?:{_U}[^()\n]{{0,70}}?)?\((?P<name>[^\W\d][\w .&'/-]{{0,38}}[\w.])\)\.? ?(?:[-—–]|\.-|:)"
)
# "МОСКВА, 14 апр — РИА Новости.", "KYIV, May 3 — Ukrinform.", a repost's hyphen for the dash
_DATELINE_DASH = re.compile(
    rf"^{_U}{{2}}[{UPPER} .'’-]{{0,30}}, [^—–\n]{{1,24}}? [—–-] (?P<name>{_U}[\w.&'’-]{{1,20}}(?: [\w.&'’-]{{1,20}}){{0,2}})\.(?: |$)"
)
# "KYIV/Ukrinform/", "6 мая, Минск /Корр. БЕЛТА/": a correspondent's abbreviation before the name
_SLASH_AGENCY = re.compile(rf"^[{UPPER}\d][^/\n]{{1,60}}/(?:\w{{1,6}}\. )?(?P<name>{_U}[\w .&-]{{1,20}})/")
_ALLCAPS_PREFIX = re.compile(rf"^(?P<name>{_U}[{UPPER}&]{{1,9}}): ")
_TITLE_SUFFIX = re.compile(r"^(?P<title>.{10,250}?) (?:—|–|\||-|::) (?P<suffix>[^—–|]{2,80})$")
_CLOSING = re.compile(
    rf"^[(—–-]*(?P<name>{_U}[\w&]{{1,12}}(?: {_U}[\w&]{{1,12}}){{0,2}})(?:/\w{{1,12}})?\)?$"
)
_CREDIT = re.compile(r"[.!?\"“”»] \(([\w-]{1,12}(?:/[\w-]{1,12}){0,3})\)$")
_LIVE_DASH = re.compile(r"^(?P<name>.{2,40}?) [—–|-] (?P<live>.{2,20})$")
_MASTHEAD = re.compile(
    rf"^(?P<name>{_U}[^|]{{1,40}}?) ?\| ?(?P<section>{_U}[^|]{{1,40}}?)(?: ?\| ?.{{2,60}})?$"
)
_CHROME = {"update", "updated", "breaking", "watch", "exclusive", "analysis", "live", "video", "photos", "opinion",
           "editorial", "read more", "share this story", "source link", "advertisement", "related", "more", "top",
           "ends", "end", "copyright"}  # fmt: skip


@cache
def agencies() -> frozenset[str]:
    """The news agencies of ``agencies.toml``, lower-cased."""
    data = tomllib.loads((Path(__file__).parent / "agencies.toml").read_text(encoding="utf-8"))
    return frozenset(str(n).lower() for n in data["names"])


@cache
def places(code: str) -> frozenset[str]:
    """Country and region names (pycountry's ISO 3166 tables), in English and in the language
    ``code``, lower-cased: "Dhaka (Bangladesch) –" holds a place where an agency could stand."""
    import gettext

    import pycountry

    local: Callable[[str], str]
    try:
        local = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[code]).gettext
    except OSError:
        local = str
    names: set[str] = set()
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                names.update((value.lower(), local(value).lower()))
    names.update(s.name.lower() for s in pycountry.subdivisions)
    return frozenset(names)


def agency_like(name: str, model_name: str | None, lex: Lexicon) -> bool:
    """A name in a dateline's parenthesis is the agency unless it is a place: a known agency, an
    abbreviation in capitals ("AP", "VSNA") or the outlet the model named always count."""
    return (
        name.lower() in agencies()
        or re.fullmatch(rf"{_U}[{UPPER}&.-]{{1,7}}", name) is not None
        or bool(model_name)
        and name.lower() == (model_name or "").lower()
        or name.lower() not in places(lex.code)
    )


def photo_credit(line: str, lex: Lexicon) -> bool:
    """'Photo: Jane Roe / AP', 'Фото - © Иван Петров/РИА Новости': the photo's agency, not the article's."""
    for key_lex in (lex, lexicon("en")):
        p = key_lex.pattern("outlet.photo_credit")
        m = p.match(line) if p is not None else None
        if m and line[m.end() : m.end() + 3].lstrip()[:1] in (":", "-", "—", "–", "©", "/", "|"):
            return True
    return False


def lines_of(text: str, head: int = 8, tail: int = 5) -> tuple[list[str], list[str]]:
    """The first and last non-blank lines, whitespace folded, each cut to 300 characters."""
    first: list[str] = []
    for raw in text.splitlines():
        line = " ".join(raw[: LINE_CHARS * 4].split())[:LINE_CHARS]
        if line:
            first.append(line)
            if len(first) >= head:
                break
    last: list[str] = []
    for raw in reversed(text[-6000:].splitlines()):
        line = " ".join(raw[: LINE_CHARS * 4].split())[:LINE_CHARS]
        if line:
            last.append(line)
            if len(last) >= tail:
                break
    return first, list(reversed(last))


def _clean(name: str) -> str:
    name = name.split(". ", 1)[0]  # "The Associated Press. All rights reserved."
    name = name.strip().strip(".,;:[]—–-").strip()
    if not name.startswith("(") and name.endswith(")") and "(" in name:
        name = name[: name.rfind("(")]  # "Velmoran State News Agency (VSNA)" -> the name
    return name.strip().strip(".,;:()[]—–-").strip()


def _not_a_name(name: str, lex: Lexicon) -> bool:
    low = name.lower().strip()
    return (
        not low
        or low in _CHROME
        or lex.fullmatch("outlet.not_names", low)
        or lexicon("en").fullmatch("outlet.not_names", low)
        or len(name.split()) > 6
        or bool(re.search(r"\d", name))
    )


def title_suffix(line: str) -> tuple[str, str] | None:
    """('Azerbaijan, Armenia accuse…', 'RT Russia & Former Soviet Union') for a suffixed title line."""
    line = " ".join(line.split())[:LINE_CHARS]
    if line.endswith((".", "?", "!")) and not re.search(r"[—–|]", line):
        return None
    m = _TITLE_SUFFIX.match(line)
    if not m:
        return None
    return m.group("title").strip(), m.group("suffix").strip()


def _phrase(lex: Lexicon, key: str) -> re.Pattern[str] | None:
    terms = lex.words(key)
    return re.compile(rf"^{alternation(terms)}", re.IGNORECASE) if terms else None


def _without_rights_marks(rest: str, marks: re.Pattern[str]) -> str:
    """A copyright line's name without the marks around it: a second mark before it ("©
    Copyright LaPresse") and a closing "- Riproduzione Riservata" / "| All rights reserved"."""
    while (again := marks.match(rest)) is not None and again.end() > 0:
        rest = re.sub(r"^\d{4} ", "", rest[again.end() :].lstrip(" :|-—–"))
    for sep in (" - ", " – ", " — ", " | ", ". ", ", "):
        at = rest.rfind(sep)
        if at > 0 and marks.match(rest[at + len(sep) :].strip(" .")) is not None:
            return rest[:at]
    return rest


def _is_source_line(line: str, lex: Lexicon) -> str | None:
    """'Source: AFP', 'Fuente: EFE', 'Copyright 2024 The Times' -> the name."""
    for key in ("outlet.source_line", "outlet.copyright"):
        p = _phrase(lex, key)
        m = p.match(line) if p else None
        if m is None:
            continue
        rest = line[m.end() :].lstrip(" :|-—–")
        rest = re.sub(r"^\d{4} ", "", rest)
        if key == "outlet.copyright" and p is not None:
            rest = _without_rights_marks(rest, p)  # "© Copyright LaPresse - Riproduzione Riservata"
        colon = line[m.end() : m.end() + 2].lstrip().startswith(":")
        # "Джерело ФАКТИ. ICTV" as a short line of its own ("via" needs its colon: "Via Twitter")
        short = len(line.split()) <= 5 and rest[:1].isupper() and m.group(0).lower() != "via"
        if key == "outlet.source_line" and not colon and not short and "published" not in m.group(0).lower():
            continue
        name = _clean(rest)
        if name and not _not_a_name(name, lex):
            return name
    return None


def originator(first: list[str], last: list[str], lex: Lexicon) -> tuple[str, str] | None:
    """The originator a reposting site names in its first or last lines: 'Source: AFP', 'This
    story was originally published by …'."""
    note = _phrase(lex, "outlet.repost_note")
    for line in first[:3] + last[-4:]:
        if note is not None:
            body = re.sub(
                r"^(?:this|the) (?:article|story|piece|report) (?:was )?", "", line, flags=re.IGNORECASE
            )
            m = note.match(body)
            if m:
                name = _clean(body[m.end() :].strip())
                if name and not _not_a_name(name, lex):
                    return name, "repost_source_line"
        source = _is_source_line(line, lex)
        if source:
            return source, "source_line"
    return None


def issuer(first: list[str], lex: Lexicon) -> str | None:
    """The organisation issuing a press release ('FOR IMMEDIATE RELEASE' / 'NEWS RELEASE' first)."""
    release = _phrase(lex, "outlet.release")
    if len(first) < 2 or release is None or not release.match(first[0]):
        return None
    m = re.match(rf"^((?:{_U}[\w&'’.-]*+ ){{0,5}}{_U}[\w&'’.-]*+)", first[1])
    return _clean(m.group(1)) if m else None


def byline(first: list[str], lex: Lexicon) -> tuple[str, str, str | None] | None:
    """'By Marcus Webb | The Riverton Ledger', 'Por María López | El Diario', a masthead line
    'Name | Section | By Author', 'Name — Live', a writer line under a byline."""
    by = _phrase(lex, "outlet.byline")
    by_en = _phrase(lexicon("en"), "outlet.byline")
    writers = lex.pattern("outlet.writer_words") or lexicon("en").pattern("outlet.writer_words")
    live = lex.pattern("outlet.live") or lexicon("en").pattern("outlet.live")
    for i, line in enumerate(first[:6]):
        parts = [p.strip() for p in re.split(r" ?[|/] ?", line) if p.strip()]
        starts_by = [
            bool((by and by.match(p) and p[:1].isupper()) or (by_en and by_en.match(p))) for p in parts
        ]
        if starts_by[:1] == [True] and len(parts) == 1 and ", " in line:
            # "By Kerry Dunne, Crime Reporter, The Daily Blaze": the last part that is not a job title
            for part in reversed([p.strip() for p in line.split(",")[1:]]):
                if writers is not None and writers.search(part):
                    continue
                name = _clean(part)
                if name and name[:1].isupper() and not _not_a_name(name, lex):
                    return name, "byline_with_outlet", None
                break
        if any(re.search(r"\d", p) for p in parts[:2]):
            continue  # "Madrid | 24.11.2017 13:08": a place and a date
        if (
            len(parts) >= 2
            and not starts_by[0]
            and not starts_by[1]
            and (i > 0 or "|" in line)
            and len(parts[1].split()) <= 4
        ):
            name = _clean(parts[0])
            if name and not _not_a_name(name, lex):
                return name, "masthead", _clean(parts[1])
        if any(starts_by) and len(parts) >= 2:
            # the part that is not the byline, nearest to it, is the outlet
            k = starts_by.index(True)
            others = [p for j, p in enumerate(parts) if not starts_by[j]]
            if others:
                name = _clean(others[0] if k > 0 else others[-1])
                if name and not _not_a_name(name, lex):
                    return name, "byline_with_outlet", None
        if len(parts) == 1 and (by and by.match(line) or by_en and by_en.match(line)) and i + 1 < len(first):
            m = re.match(
                r"^(?:[\w ]{0,40}?)(?:writer|correspondent|reporter|editor|staff|redacción|rédaction|redaktion|redazione)s?(?: ?(?:,|\||—|-|for|at|de|für|di|del) ?)(?P<name>.{2,50})$",
                first[i + 1],
                re.IGNORECASE,
            )
            if m and writers is not None:
                name = _clean(m.group("name"))
                if name and not _not_a_name(name, lex):
                    return name, "byline_writer_line", None
        if i > 0 or len(parts) > 2:
            mm = _MASTHEAD.match(line)
            if (
                mm
                and not (by and by.match(mm.group("name")))
                and not (by_en and by_en.match(mm.group("name")))
            ):
                name = _clean(mm.group("name"))
                if name and not _not_a_name(name, lex):
                    return name, "masthead", _clean(mm.group("section"))
        lm = _LIVE_DASH.match(line)
        if lm and live is not None and live.fullmatch(lm.group("live").strip()):
            return _clean(lm.group("name")), "live_masthead", None
    return None


def dateline(first: list[str], lex: Lexicon, model_name: str | None = None) -> tuple[str, str] | None:
    for line in first[:4]:
        for pattern, rule in ((_DATELINE, "dateline_agency"), (_DATELINE_DASH, "dateline_dash_agency"),
                              (_SLASH_AGENCY, "dateline_slash_agency")):  # fmt: skip
            m = pattern.match(line)
            if not m:
                continue
            name = _clean(m.group("name"))
            if rule != "dateline_slash_agency" and not agency_like(name, model_name, lex):
                continue  # "Dhaka (Bangladesch) –": a place in the parenthesis
            if name and not _not_a_name(name, lex) and name.lower() not in {"update", "breaking"}:
                return name, rule
    return None


PARAGRAPH_CHARS = 80  # a line longer than this is a paragraph of the article, not a credit or a heading


def closing(last: list[str], lex: Lexicon) -> str | None:
    """A closing agency line: 'AFP', '(Reuters)', 'Lusa/Fim'."""
    for line in reversed(last[-3:]):
        line = line.strip(" |").strip("\"'«»“”„")  # '"Интерфакс" |'
        m = _CLOSING.match(line)
        if m and not _not_a_name(m.group("name"), lex) and (m.group("name").isupper() or len(line) < 14):
            return _clean(m.group("name"))
        # a script without capitals (Arabic): a known agency's or broadcaster's name alone on the line
        bare = line.strip(" ()-—–.")
        if bare and caseless(bare) and bare.lower() in agencies():
            return bare
        if len(line) > PARAGRAPH_CHARS:
            break  # a paragraph: a short line before it is a crosshead ("Spannungen"), not a closing line
    # the credit that closes the last paragraph, an editor's initials and the agency: "… angefordert. (dw/dpa)"
    credit = _CREDIT.search(last[-1][-60:]) if last else None
    if credit is not None:
        return next((part for part in credit.group(1).split("/") if part.lower() in agencies()), None)
    return None


def writer_bio(last: list[str], lex: Lexicon) -> str | None:
    """An author's note closing the article: "Sheva works as an editor and content writer for
    Khaama Press.", "X es periodista de El Diario.": the outlet the writer writes for."""
    writers, prepositions = lex.words("outlet.writer_words"), lex.words("outlet.writer_for")
    if not writers or not prepositions:
        return None
    pattern = re.compile(
        rf"{alternation(writers)} {alternation(prepositions)} "
        rf"(?P<name>{_U}[\w&'’.-]{{0,30}}+(?: {_U}[\w&'’.-]{{0,30}}+){{0,3}}?)\.?$",
        re.IGNORECASE,
    )
    for line in reversed(last[-3:]):
        if lex.matches("attribution.said", line):
            continue  # "… told a reporter at the scene": whom it was said to, not who writes
        m = pattern.search(line)
        if m and m.group("name")[:1].isupper() and not _not_a_name(m.group("name"), lex):
            return _clean(m.group("name"))
    return None


def self_verifying(text: str, lex: Lexicon) -> str | None:
    """'AFP could not independently verify the footage': the outlet speaks of its own checks."""
    verify = lex.pattern("outlet.self_verify")
    if verify is None:
        return None
    for m in verify.finditer(text[:20000]):
        before = text[max(0, m.start() - 60) : m.start()].split()
        words: list[str] = []
        for w in reversed(before[-4:]):
            if w[:1].isupper() and w.strip(".,;:").isalpha() or w.isupper():
                words.insert(0, w.strip(".,;:"))
            else:
                break
        while len(words) > 1 and len(words[0]) <= 2 and not words[0].isupper():
            words = words[1:]  # "A Reuters não pôde verificar": the article, not the name
        if len(words) > 1 and words[0] in ("A", "O", "La", "Le", "El", "Die", "Der", "Il", "The", "L"):
            words = words[1:]
        name = " ".join(words)
        if name and (name.isupper() or len(words) >= 2) and not _not_a_name(name, lex):
            return name
    return None


def headline(text: str, title: str | None, lex: Lexicon) -> str | None:
    if title:
        split = title_suffix(title)
        return split[0] if split else " ".join(title.split())
    first, _ = lines_of(text, head=4, tail=1)
    # A repost's source line or a release header above the title is not the headline.
    while first and (originator(first[:1], [], lex) or _is_source_line(first[0], lex)):
        first = first[1:]
    if not first:
        return None
    line = first[0]
    if (
        len(line) > 250
        or re.match(r"^(?:By |Updated|UPDATE)", line)
        or _DATELINE.match(line)
        or _DATELINE_DASH.match(line)
    ):
        return None
    split = title_suffix(line)
    if split:
        return split[0]
    if len(first) > 1 and not line.endswith((".", '"', "”", "»")):
        return line
    return None


def _right_before(before: str, end: int) -> bool:
    """Whether a cue ending at ``end`` of ``before`` (lower-cased) stands right before the name, or
    with at most two words of its own between ("l'agenzia di propaganda Amaq", "la agencia de noticias")."""
    between = before[end:].split()
    return (
        len(between) <= 2
        and all(w.isalpha() for w in between)
        and (not between or before[end : end + 1] == " ")
    )


def _names_originator(lines: list[str], name: str, lex: Lexicon) -> bool:
    """The model's outlet counts where the text names it other than as a source: not 'according
    to X', 'told X', 'the daily X', 'X reported' (the cue words are the lexicon's), not a photo credit."""
    low = name.lower()
    cited = lex.pattern("outlet.cited_before") or lexicon("en").pattern("outlet.cited_before")
    speaking = lex.pattern("outlet.speaking_after") or lexicon("en").pattern("outlet.speaking_after")
    mention = re.compile(rf"(?<!\w){re.escape(low)}(?!\w)")
    for line in lines:
        lowered = line.lower()
        if lowered.strip(" |.\"'«»“”") == low:
            return True  # a line that is the name alone: "newsfacts.example" under the title
        for m in mention.finditer(lowered):
            before = lowered[max(0, m.start() - 30) : m.start()].rstrip(" \"'«»“”„")
            before = re.sub(r" (?:the|la|le|les|el|los|die|der|das|dem|des|o|a|il|l'|l’)$", "", before)
            if cited is not None and any(_right_before(before, c.end()) for c in cited.finditer(before)):
                continue
            after = lowered[m.end() : m.end() + 30].lstrip(" \"'«»“”")
            if speaking is not None and speaking.match(after):
                continue
            return True
    return False


def _with_its_article(name: str, text: str, lex: Lexicon) -> str:
    """The outlet's name with the article that is part of it where the article's first lines write
    it so ("O Globo", "Le Monde", "El País" for "Globo", "Monde", "País")."""
    articles = lex.words("parties.articles")
    if not name or not articles or name.split()[0].lower() in {a.lower() for a in articles}:
        return name
    head = text[:HEAD_CHARS]
    for article in articles:
        written = f"{article[:1].upper()}{article[1:]} {name}"
        at = head.find(written)
        if at >= 0 and (at == 0 or not head[at - 1].isalnum()):
            return written
    return name


def find_outlet(
    text: str,
    *,
    requested: str | None,
    url: str | None,
    title: str | None,
    model_name: str | None,
    model_section: str | None,
    lex: Lexicon,
    trace: Trace,
    rules: bool = True,
) -> Outlet | None:
    step = trace.step("outlet", model_name)

    def found(name: str, rule: str, section: str | None = None) -> Outlet:
        name = _with_its_article(name, text, lex) if rules else name
        step.apply(rule, changed=(name or "").lower() != (model_name or "").lower())
        out = Outlet(name=name, section=section, url=url)
        step.output = out
        return out

    if requested and requested.strip():
        return found(requested.strip(), "request_metadata")
    model_name = _clean(model_name or "") or None
    first, last = lines_of(text)
    first = [line for line in first if not photo_credit(line, lex)]
    last = [line for line in last if not photo_credit(line, lex)]
    if not rules:
        if model_name and model_name.lower() in text.lower():
            return found(model_name, "outlet_as_proposed")
        step.drop("outlet_not_in_article")
        return None
    named = originator(first, last, lex)
    if named:
        return found(*named)
    released = issuer(first, lex)
    if released:
        return found(released, "press_release_issuer")
    suffix = title_suffix(title) if title else (title_suffix(first[0]) if first else None)
    if suffix:
        tail = suffix[1]
        words = tail.split()
        if re.fullmatch(r"[A-Z]{2,5}", words[0]) and len(words) >= 4:
            return found(words[0], "title_suffix", " ".join(words[1:]))
        if model_name and tail.lower().startswith(model_name.lower()):
            section = _clean(tail[len(model_name) :]) or None
            return found(tail[: len(model_name)], "title_suffix", section)
        if model_name and model_name.lower() in tail.lower():
            return found(model_name, "title_suffix")
    dated = dateline(first, lex, model_name)
    if dated:
        return found(*dated)
    # "REUTERS: …" on a repost: a capitalised prefix is an agency only when the model names it too
    # (a city is written the same way).
    for line in first[:3]:
        m = _ALLCAPS_PREFIX.match(line)
        if m and model_name and m.group("name").lower() == model_name.lower():
            return found(model_name, "agency_prefix")
    bylined = byline(first, lex)
    if bylined:
        return found(bylined[0], bylined[1], bylined[2])
    # an agency's name alone on a line under the headline ("Angop", "Lusa"), as a repost keeps it
    opened = next((line.strip(" .") for line in first[1:3] if line.strip(" .").lower() in agencies()), None)
    if opened:
        return found(opened, "agency_line_under_the_headline")
    closed = closing(last, lex)
    if closed:
        return found(closed, "closing_agency_line")
    bio = writer_bio(last, lex)
    if bio:
        return found(bio, "writer_bio_at_the_end")
    verifying = self_verifying(text, lex)
    if verifying:
        return found(verifying, "outlet_speaks_of_its_own_checks")
    if (
        suffix
        and not re.search(r"\d", suffix[1])
        and len(suffix[1].split()) <= 4
        and not _not_a_name(suffix[1], lex)
    ):
        return found(suffix[1], "title_suffix")
    body = [" ".join(line.split()) for line in text[:BODY_CHARS].splitlines()]
    body = [line for line in body if line and not photo_credit(line, lex)]
    if model_name and _names_originator(body, model_name, lex):
        section = model_section if model_section and model_section.lower() in text.lower() else None
        return found(model_name, "outlet_named_in_text", section)
    step.drop("no_originator_mark_in_text")
    return None
