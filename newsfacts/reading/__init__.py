"""The reading layer: from what the model filled to contract v1, by rules with names.

One module per field (``parties``, ``casualties``, ``claims``, ``denials``, ``outlet``) and the
shared pieces (``numbers``, ``sentences``, ``names``, ``speakers``); word lists per language are
data in ``lexicons/<code>.toml``, chosen by the article's language (``language``). Where no list
exists for the language, the rules that need words step aside and the model's grounded answers
pass through: quotes are still verified, figures must still appear in their quote, every name
must still be a party. ``rules=False`` keeps only that grounding (the eval's rules-off line).

Every rule that shapes, adds or drops an entry is named in the optional trace (``explain``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from newsfacts.reading.casualties import build_casualties
from newsfacts.reading.claims import add_attributed_claims, build_claims
from newsfacts.reading.denials import build_denials
from newsfacts.reading.lexicon import Lexicon
from newsfacts.reading.outlet import find_outlet, headline
from newsfacts.reading.parties import (
    PartyBook,
    build_parties,
    dictionary_forms,
    drop_places,
    keep_actors,
    merge_acronyms,
    merge_titles,
    written_names,
)
from newsfacts.reading.sentences import Sentence
from newsfacts.reading.speakers import add_quoted_speakers
from newsfacts.reading.trace import Trace
from schemas.contract import Casualty, Claim, Denial, Grounding, Outlet, Party, TraceEntry
from schemas.extraction import CasualtiesForm, ClaimsForm, DenialsForm, OverviewForm, PartiesForm


@dataclass
class Reading:
    outlet: Outlet | None
    headline: str | None
    parties: list[Party]
    casualties: list[Casualty]
    claims: list[Claim]
    denials: list[Denial]
    grounding: Grounding
    trace: list[TraceEntry]


def read(
    *,
    text: str,
    sentences: list[Sentence],
    lex: Lexicon,
    overview: OverviewForm,
    parties: PartiesForm,
    casualties: CasualtiesForm,
    claims: ClaimsForm,
    denials: DenialsForm,
    requested_outlet: str | None = None,
    url: str | None = None,
    title: str | None = None,
    rules: bool = True,
) -> Reading:
    """Every field of the contract from the model's forms and the article's own words."""
    trace = Trace()
    outlet = find_outlet(
        text, requested=requested_outlet, url=url, title=title, model_name=overview.outlet,
        model_section=overview.section, lex=lex, trace=trace, rules=rules,
    )  # fmt: skip
    book = PartyBook(text=text, lex=lex, outlet=outlet.name if outlet else None, rules=rules)
    build_parties(parties, book, trace)
    if rules:
        add_quoted_speakers(sentences, book)
    grounding = Grounding(quotes_total=0, quotes_verified=0, quotes_dropped=0)
    casualty_list = build_casualties(casualties, text, sentences, book, grounding, trace)
    denial_list = build_denials(denials, sentences, book, grounding, trace)
    claim_list = build_claims(claims, sentences, book, grounding, trace)
    claim_list = add_attributed_claims(sentences, book, claim_list, denial_list, trace)
    claim_list, denial_list = drop_places(book, casualty_list, claim_list, denial_list, trace)
    merge_titles(book, trace)
    merge_acronyms(book, casualty_list, claim_list, denial_list, trace)
    written_names(book, casualty_list, claim_list, denial_list, trace)
    keep_actors(book, casualty_list, claim_list, denial_list, trace)
    dictionary_forms(book, casualty_list, claim_list, denial_list, trace)
    outputs: dict[str, list[object]] = {
        "parties": list(book.parties), "casualties": list(casualty_list), "claims": list(claim_list),
        "denials": list(denial_list), "outlet": [outlet] if outlet else [],
    }  # fmt: skip
    return Reading(
        outlet=outlet,
        headline=headline(text, title, lex),
        parties=book.parties,
        casualties=casualty_list,
        claims=claim_list,
        denials=denial_list,
        grounding=grounding,
        trace=trace.entries(outputs),
    )


__all__ = ["Reading", "read"]


@cache
def code_version() -> str:
    """A digest of the reading rules and word lists: results cached under another digest are stale."""
    root = Path(__file__).parent
    digest = hashlib.sha256()
    for path in sorted([*root.glob("*.py"), *root.glob("*.toml"), *root.glob("lexicons/*.toml")]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def cache_version(prompt_version: str, *, rules: bool = True, mode: str | None = None) -> str:
    """What a cached result depends on besides the request and the model: the prompts, the reading
    code, whether its rules ran, and the instructor mode when one is forced (the same model answers
    another request shape otherwise)."""
    version = f"{prompt_version}/{code_version()}/{'rules' if rules else 'grounding-only'}"
    return f"{version}/{mode}" if mode else version
