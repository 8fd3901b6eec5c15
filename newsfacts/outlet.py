"""Which outlet's copy this is: request metadata first, then the originator marks in the text."""

from __future__ import annotations

import re

from schemas.contract import Outlet

_DATELINE = re.compile(
    r"^[A-Z][A-Za-z .,'’-]{1,60}?(?:,\s*(?:[A-Z][a-z]{2,9}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,9}\.?))?"
    r"\s*\((?P<name>[A-Z][A-Za-z .&'-]{1,40})\)\s*[-—–]",
    re.MULTILINE,
)
# "By Marcus Webb" then "Staff Writer, The Riverton Ledger" on the next line.
_BYLINE_BLOCK = re.compile(
    r"^\s*By\s+[A-Z][\w.'’ -]{2,60}\s*\n\s*[A-Z][\w ]{0,40}?(?:Writer|Correspondent|Reporter|Editor|Staff)s?\s*"
    r"(?:,|\||—|-|for|at)\s*(?P<name>(?:The\s+)?[A-Z][\w .&'’-]{1,50}?)\s*$",
    re.MULTILINE,
)
# "The Meridian — Live": a live blog's masthead.
_LIVE_MASTHEAD = re.compile(r"^\s*(?P<name>[A-Z][\w.&'’ -]{1,40}?)\s+[—–|-]\s+Live(?:\s+blog|\s+updates)?\s*$", re.IGNORECASE)
# "Midlands Business Post | By Amira Haddad, Industry Correspondent"
_MASTHEAD_BY = re.compile(r"^\s*(?P<name>[A-Z][\w.&'’ -]{1,40}?)\s*\|\s*By\s+[A-Z][^|]{2,80}$")
_RELEASE = re.compile(r"^\s*(?:FOR IMMEDIATE RELEASE|(?:NEWS|PRESS|MEDIA) RELEASE|STATEMENT)\b.*$", re.IGNORECASE)
# The issuer at the head of a release's title: "Halvorsen Chemicals statement on …".
_ISSUER = re.compile(
    r"^(?P<name>(?:[A-Z][\w&'’.-]*\s+){0,5}[A-Z][\w&'’.-]*)(?:\s+\([A-Z]{2,8}\))?\s*(?:$|(?:statement|announces|says|"
    r"confirms|update|reports|responds|welcomes|launches|opens|issues)\b)"
)
_SOURCE_LINE = re.compile(r"^\s*(?:(?:Source|Via|Originally published by)\s*:|Copyright\b|©)\s*(?P<name>[^\n]{2,60})$",
                          re.IGNORECASE | re.MULTILINE)  # fmt: skip
# A repost's note on where the copy comes from, as a line of its own.
_REPOST_NOTE = re.compile(
    r"^\s*(?:(?:This|The)\s+(?:article|story|piece|report)\s+(?:was\s+)?)?(?:originally|first)\s+"
    r"(?:published|appeared)\s+(?:by|in|on)\s+(?P<name>(?:the\s+)?[A-Z][\w .&'-]{1,50}?)[.,]?\s*$",
    re.IGNORECASE | re.MULTILINE,
)
_ORIGINALLY = re.compile(
    r"(?:originally (?:published|appeared) (?:by|in|on)|first published (?:by|in|on))\s+(?P<name>(?:the\s+)?[A-Z][\w .&'-]{1,50}?)[.,\n]",
)
_BYLINE = re.compile(r"^\s*By\s+[A-Z][\w.' -]{2,60}?\s*(?:\||,|/|—|-)\s*(?P<name>[A-Z][\w .&'-]{1,50})\s*$", re.MULTILINE)
# "Capital Observer | Politics | By Lena Marsh" near the top: outlet, section, byline.
_MASTHEAD = re.compile(
    r"^\s*(?P<name>[A-Z][\w.&'’ -]{1,40}?)\s*\|\s*(?P<section>[A-Z][\w&'’ -]{1,40}?)\s*"
    r"(?:\|\s*(?:By\s+)?[A-Z][\w.'’ -]{2,60})?\s*$"
)
_TITLE_SUFFIX = re.compile(r"^(?P<title>.{10,}?)\s+(?:—|–|\||-|::)\s+(?P<suffix>[^—–|]{2,80})$")
_CLOSING = re.compile(r"^[\s(—–-]*(?P<name>[A-Z][A-Za-z&]{1,12}(?: [A-Z][A-Za-z&]{1,12}){0,2})[)\s]*$")
_NOT_NAMES = {"source link", "share this story", "also on", "related", "read more", "advertisement", "photos",
              "video", "update", "updated", "ends", "end", "more", "top", "copyright"}  # fmt: skip


def _lines(text: str) -> list[str]:
    """The text's non-blank lines, stripped."""
    return [ln.strip() for ln in text.splitlines() if ln.strip()]


def _clean(name: str) -> str:
    name = name.strip().strip(".,;:[]—–-").strip()
    if not name.startswith("("):
        name = re.sub(r"\s*\([^)]*\)?$", "", name)  # "Velmoran State News Agency (VSNA)" -> the name
    return name.strip().strip(".,;:()[]—–-").strip()


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return ""


def title_suffix(text: str, title: str | None = None) -> tuple[str, str] | None:
    """('Azerbaijan, Armenia accuse…', 'RT Russia & Former Soviet Union') for a suffixed title line."""
    line = (title or _first_line(text)).strip()
    if len(line) > 300 or line.endswith((".", "?", "!")) and not re.search(r"[—–|]", line):
        return None
    m = _TITLE_SUFFIX.match(line)
    if not m:
        return None
    return m.group("title").strip(), m.group("suffix").strip()


def headline(text: str, title: str | None) -> str | None:
    if title:
        split = title_suffix(title, title)
        return split[0] if split else title.strip()
    line = _first_line(text)
    if not line or len(line) > 250 or re.match(r"^(By |Updated|UPDATE|[A-Z]{2,}[, ]+\w+ \d{1,2} \()", line):
        return None
    split = title_suffix(text)
    if split:
        return split[0]
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if len(lines) > 1 and not line.endswith((".", "\"", "”")):
        return line
    return None


def masthead(text: str) -> tuple[str, str | None] | None:
    """(outlet, section) from a masthead line among the first lines: 'Name | Section | By Author',
    'Name | By Author', 'Name — Live'."""
    lines = _lines(text)[:5]
    for line in lines[1:] if lines and not lines[0].count("|") >= 1 else lines:
        if m := _MASTHEAD_BY.match(line):
            return _clean(m.group("name")), None
        if (m := _MASTHEAD.match(line)) and not m.group("name").lower().startswith("by "):
            return _clean(m.group("name")), _clean(m.group("section"))
        if m := _LIVE_MASTHEAD.match(line):
            return _clean(m.group("name")), None
    return None


def issuer(text: str) -> str | None:
    """The organisation issuing a press release ('FOR IMMEDIATE RELEASE' / 'NEWS RELEASE' first)."""
    lines = _lines(text)[:3]
    if len(lines) < 2 or not _RELEASE.match(lines[0]):
        return None
    m = _ISSUER.match(lines[1])
    return _clean(m.group("name")) if m else None


def originator(text: str) -> str | None:
    """The originator a reposting site names in its first or last lines: 'Source: AFP',
    'This story was originally published by …' (not a report 'first published by' someone)."""
    lines = _lines(text)
    edges = "\n".join(lines[:3] + lines[3:][-4:])
    if m := _REPOST_NOTE.search(edges):
        return _clean(m.group("name"))
    for m in _SOURCE_LINE.finditer(edges):
        name = _clean(m.group("name"))
        if name and name.lower() not in _NOT_NAMES and len(name.split()) <= 6 and not re.search(r"\d", name):
            return name
    return None


def _marked(text: str) -> str | None:
    """An originator named by a dateline, 'Source:' line, 'originally published by' or byline."""
    head = text[:600]
    if m := _DATELINE.search(head):
        return _clean(m.group("name"))
    if m := _ORIGINALLY.search(text):
        return _clean(m.group("name"))
    for m in _SOURCE_LINE.finditer(text):
        name = _clean(m.group("name"))
        if name and name.lower() not in _NOT_NAMES and len(name.split()) <= 6:
            return name
    if m := _BYLINE.search(text[:800]):
        return _clean(m.group("name"))
    if m := _BYLINE_BLOCK.search(text[:800]):
        return _clean(m.group("name"))
    tail = _lines(text)[-3:]
    for line in reversed(tail):
        m = _CLOSING.match(line)
        if m and m.group("name").lower() not in _NOT_NAMES and (m.group("name").isupper() or len(line) < 12):
            return _clean(m.group("name"))
    return None


def find_outlet(
    text: str,
    *,
    requested: str | None,
    url: str | None,
    title: str | None,
    model_name: str | None,
    model_section: str | None,
) -> Outlet | None:
    if requested and requested.strip():
        return Outlet(name=requested.strip(), section=None, url=url)
    model_name = _clean(model_name or "") or None
    # A reposting site's own name is not the outlet: an explicit originator line wins.
    named = originator(text)
    if named:
        return Outlet(name=named, section=None, url=url)
    released = issuer(text)
    if released:
        return Outlet(name=released, section=None, url=url)
    suffix = title_suffix(text, title)
    if suffix:
        tail = suffix[1]
        # "RT Russia & Former Soviet Union": an acronym followed by a multi-word section.
        words = tail.split()
        if re.fullmatch(r"[A-Z]{2,5}", words[0]) and len(words) >= 4:
            return Outlet(name=words[0], section=" ".join(words[1:]), url=url)
        if model_name and tail.lower().startswith(model_name.lower()):
            section = _clean(tail[len(model_name) :]) or None
            return Outlet(name=tail[: len(model_name)], section=section, url=url)
        if model_name and model_name.lower() in tail.lower():
            return Outlet(name=model_name, section=None, url=url)
    mast = masthead(text)
    if mast:
        return Outlet(name=mast[0], section=mast[1], url=url)
    marked = _marked(text)
    if marked:
        return Outlet(name=marked, section=None, url=url)
    if suffix and not re.search(r"\d", suffix[1]) and len(suffix[1].split()) <= 4:
        return Outlet(name=suffix[1], section=None, url=url)
    if model_name and _names_originator(text, model_name):
        section = model_section if model_section and model_section.lower() in text.lower() else None
        return Outlet(name=model_name, section=section, url=url)
    return None


def _names_originator(text: str, name: str) -> bool:
    """The model's outlet counts only where the text names it as the originator: the
    first line or the last lines, not 'according to X' in the body."""
    lines = _lines(text)
    edges = lines[:1] + lines[-3:]
    low = name.lower()
    for line in edges:
        i = line.lower().find(low)
        if i < 0:
            continue
        before = line[:i].lower()
        if re.search(r"(according to|told|reported by|said|cited|citing|via)\s*(the\s*)?$", before):
            continue
        after = line[i + len(low) :].lower()
        if re.match(r"\s*(said|says|reported|reports|told|added|stood|stands|claimed|denied|published)\b", after):
            continue  # "The Ledger Project said it stood by its reporting": a source, not the originator
        return True
    return False
