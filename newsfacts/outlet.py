"""Which outlet's copy this is: request metadata first, then the originator marks in the text."""

from __future__ import annotations

import re

from schemas.contract import Outlet

_DATELINE = re.compile(
    r"^[A-Z][A-Za-z .,'’-]{1,60}?(?:,\s*[A-Z][a-z]{2,9}\.?\s+\d{1,2})?\s*\((?P<name>[A-Z][A-Za-z .&'-]{1,40})\)\s*[-—–]",
    re.MULTILINE,
)
_SOURCE_LINE = re.compile(r"^\s*(?:Source|Via|Originally published by|Copyright|©)\s*:?\s*(?P<name>[^\n]{2,60})$",
                          re.IGNORECASE | re.MULTILINE)  # fmt: skip
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


def _clean(name: str) -> str:
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


def masthead(text: str) -> tuple[str, str] | None:
    """(outlet, section) from a 'Name | Section | By Author' line among the first lines."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()][:5]
    for line in lines[1:] if lines and not lines[0].count("|") >= 1 else lines:
        m = _MASTHEAD.match(line)
        if m and not m.group("name").lower().startswith("by "):
            return _clean(m.group("name")), _clean(m.group("section"))
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
    tail = [ln.strip() for ln in text.strip().splitlines() if ln.strip()][-3:]
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
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
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
