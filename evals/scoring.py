"""Scoring of one ``ArticleSummary`` against its label, as ``shared/CONTRACT.md`` specifies.

Pure functions, no I/O. Conventions:

- Names are normalised: case-folded, apostrophes removed ("Russia's" -> "russias"), other
  punctuation turned into spaces, whitespace collapsed, a leading "the" dropped. A name a
  prediction uses (``reported_by``, ``denier``, ``claimant``) also stands for the predicted party
  it names: that party's name and aliases are accepted too (the contract lets a reference use
  any of a party's names).
- Matching is one-to-one and a *maximum bipartite matching* (Kuhn's augmenting paths). Labels
  are processed required-first, so the number of required labels matched (true positives) is
  the largest possible, and the total matched is too: every prediction matched to an optional
  label is then neither a true nor a false positive. Candidates are tried best-first (for
  casualties: equal count, then agreeing source), which only decides ties between partners.
- Precision is 1 when nothing was predicted, recall is 1 when nothing was required; F1 is
  2PR/(P+R) (0 when both are 0). A negative article answered with nothing scores 1.
- Content overlap (denials, claims): a label keyword occurs in the predicted text at a word start
  ("civilian" matches "civilians"), or at least 30 % of the label text's content words (stop
  words removed, light suffix stemming) occur in the predicted text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence

from pydantic import BaseModel, ConfigDict, computed_field

from evals.labels import Label, LabelCasualty
from schemas.contract import ArticleSummary, Casualty, Party, Quote

TOKEN_OVERLAP = 0.3

# Higher is better for every field except those listed in LOWER_IS_BETTER.
FIELDS = (
    "casualties_precision",
    "casualties_recall",
    "casualties_f1",
    "attribution",
    "parties_precision",
    "parties_recall",
    "parties_f1",
    "denials_precision",
    "denials_recall",
    "denials_f1",
    "claims_recall",
    "claims_precision",
    "outlet",
    "grounding_exact",
    "dropped_rate",
    "macro",
)
LOWER_IS_BETTER = frozenset({"dropped_rate"})
# The five fields of the macro score, and the columns of the per-article heat map.
MACRO_FIELDS = ("casualties_f1", "attribution", "denials_f1", "parties_f1", "outlet")
CASE_FIELDS = (*MACRO_FIELDS, "claims_recall", "grounding_exact")

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "from",
        "with",
        "without",
        "into",
        "onto",
        "over",
        "under",
        "about",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "he",
        "she",
        "they",
        "them",
        "his",
        "her",
        "their",
        "there",
        "has",
        "have",
        "had",
        "do",
        "does",
        "did",
        "not",
        "no",
        "nor",
        "any",
        "all",
        "some",
        "than",
        "then",
        "so",
        "such",
        "which",
        "who",
        "whom",
        "whose",
        "what",
        "when",
        "where",
        "while",
        "also",
        "just",
        "only",
        "very",
        "can",
        "could",
        "would",
        "should",
        "will",
        "may",
        "might",
        "must",
        "shall",
        "said",
        "says",
        "say",
        "saying",
        "that's",
        "it's",
        "we",
        "our",
        "us",
        "you",
        "your",
        "i",
        "me",
        'my".',
    ]
)


# --- names and text --------------------------------------------------------------------------


def normalize_name(name: str) -> str:
    """Case, punctuation and a leading "the" do not matter: ``"The Kremlin's"`` -> ``"kremlins"``."""
    text = re.sub(r"['’‘`´]", "", name.casefold())
    text = " ".join(re.sub(r"[\W_]+", " ", text).split())
    if text.startswith("the "):
        text = text[4:]
    return text


def names_match(predicted: Iterable[str | None], accepted: Iterable[str]) -> bool:
    wanted = {normalize_name(a) for a in accepted} - {""}
    return any(p and normalize_name(p) in wanted for p in predicted)


def party_names(name: str | None, parties: Sequence[Party]) -> list[str]:
    """``name`` plus the name and aliases of every predicted party it refers to."""
    if not name:
        return []
    key = normalize_name(name)
    names = [name]
    for party in parties:
        own = [party.name, *party.aliases]
        if key in {normalize_name(n) for n in own}:
            names.extend(own)
    return names


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _tokens(text: str) -> list[str]:
    return re.findall(r"\w+", re.sub(r"['’‘`´]", "", text.casefold()))


def content_words(text: str) -> set[str]:
    return {_stem(t) for t in _tokens(text) if t not in STOPWORDS and not (len(t) == 1 and t.isalpha())}


def content_overlaps(predicted: str, label_text: str, keywords: Sequence[str]) -> bool:
    """A keyword starts a word of ``predicted``, or enough of ``label_text``'s content words occur."""
    joined = " ".join(_tokens(predicted))
    for keyword in keywords:
        key = " ".join(_tokens(keyword))
        if key and re.search(rf"(?<!\w){re.escape(key)}", joined):
            return True
    wanted = content_words(label_text)
    if not wanted:
        return False
    return len(wanted & content_words(predicted)) / len(wanted) >= TOKEN_OVERLAP


# --- figures ----------------------------------------------------------------------------------


def figure_range(count: int | None, low: int | None, high: int | None) -> tuple[float, float]:
    """A figure as a closed range: a null max is +inf, a null min is the count (or 0)."""
    lo = low if low is not None else (count if count is not None else 0)
    hi = high if high is not None else math.inf
    return float(lo), float(hi)


def figures_agree(pred: Casualty, label: LabelCasualty) -> bool:
    if pred.count is not None and pred.count == label.count:
        return True
    p_lo, p_hi = figure_range(pred.count, pred.min, pred.max)
    l_lo, l_hi = figure_range(label.count, label.min, label.max)
    return p_lo <= l_hi and l_lo <= p_hi


def casualty_matches(pred: Casualty, label: LabelCasualty) -> bool:
    return pred.kind == label.kind and figures_agree(pred, label)


# --- one-to-one matching ----------------------------------------------------------------------


def max_matching(
    optional: Sequence[bool],
    n_pred: int,
    edge: Callable[[int, int], bool],
    preference: Callable[[int, int], tuple] | None = None,
) -> dict[int, int]:
    """Maximum one-to-one matching of labels to predictions, as ``{label index: prediction index}``.

    Required labels are augmented first, so they keep the largest possible share of the matching.
    """
    candidates: list[list[int]] = []
    for i in range(len(optional)):
        found = [j for j in range(n_pred) if edge(i, j)]
        if preference is not None:
            found.sort(key=lambda j, i=i: preference(i, j), reverse=True)
        candidates.append(found)
    owner: dict[int, int] = {}  # prediction -> label

    def augment(i: int, seen: set[int]) -> bool:
        for j in candidates[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    order = sorted(range(len(optional)), key=lambda i: optional[i])
    for i in order:
        augment(i, set())
    return {i: j for j, i in owner.items()}


# --- scores -----------------------------------------------------------------------------------


class PRF(BaseModel):
    """Counts of one field; precision, recall and F1 follow from them.

    Precision is None when nothing was predicted and recall None when nothing was expected: there is
    nothing to measure, and 1.0 would let a run in which every article failed look perfect. F1 is
    1.0 when both are empty (a negative article read as one) and 0.0 when only one side is.
    """

    model_config = ConfigDict(extra="ignore")

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def f1(self) -> float:
        if not (self.tp + self.fp or self.tp + self.fn):
            return 1.0
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn)

    def __add__(self, other: PRF) -> PRF:
        return PRF(tp=self.tp + other.tp, fp=self.fp + other.fp, fn=self.fn + other.fn)


def _mean(values: Iterable[float | None]) -> float:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else 0.0


class _Counts(BaseModel):
    """What CaseScore and RunScores share: summed counts, and the metrics derived from them."""

    model_config = ConfigDict(extra="ignore")

    casualties: PRF = PRF()
    attribution_correct: int = 0
    attribution_total: int = 0
    parties: PRF = PRF()
    denials: PRF = PRF()
    claims: PRF = PRF()
    quotes_checked: int = 0
    quotes_exact: int = 0
    quotes_total: int = 0
    quotes_dropped: int = 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def attribution(self) -> float | None:
        """Share of matched, sourced casualty labels whose source the prediction names; None: none."""
        return self.attribution_correct / self.attribution_total if self.attribution_total else None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def grounding_exact(self) -> float:
        """Share of returned quotes found exactly at their offsets (must be 1.0)."""
        return self.quotes_exact / self.quotes_checked if self.quotes_checked else 1.0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def dropped_rate(self) -> float:
        """quotes_dropped / quotes_total: the model's rate of invented quotes."""
        return self.quotes_dropped / self.quotes_total if self.quotes_total else 0.0

    def _outlet(self) -> float:
        raise NotImplementedError

    def fields(self) -> dict[str, float | None]:
        """Every metric of FIELDS, flat."""
        values: dict[str, float | None] = {}
        for name in ("casualties", "parties", "denials", "claims"):
            prf: PRF = getattr(self, name)
            values[f"{name}_precision"] = prf.precision
            values[f"{name}_recall"] = prf.recall
            values[f"{name}_f1"] = prf.f1
        values["attribution"] = self.attribution
        values["outlet"] = self._outlet()
        values["grounding_exact"] = self.grounding_exact
        values["dropped_rate"] = self.dropped_rate
        values["macro"] = _mean(values[f] for f in MACRO_FIELDS)
        return {f: values[f] for f in FIELDS}


class CaseScore(_Counts):
    """The score of one article. An errored case has ``error`` set and scores 0 everywhere."""

    case_id: str
    error: str | None = None
    outlet_correct: bool = False
    notes: list[str] = []

    def _outlet(self) -> float:
        return 1.0 if self.outlet_correct else 0.0

    def fields(self) -> dict[str, float | None]:
        if self.error is not None:
            return dict.fromkeys(FIELDS, 0.0)
        return super().fields()

    @computed_field  # type: ignore[prop-decorator]
    @property
    def macro(self) -> float:
        return self.fields()["macro"] or 0.0


class RunScores(_Counts):
    """Micro-averaged scores over many cases (errored cases included, as misses)."""

    n_cases: int = 0
    n_errors: int = 0
    outlet_correct: int = 0

    def _outlet(self) -> float:
        return self.outlet_correct / self.n_cases if self.n_cases else 0.0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def outlet_accuracy(self) -> float:
        return self._outlet()

    @computed_field  # type: ignore[prop-decorator]
    @property
    def macro(self) -> float:
        return self.fields()["macro"] or 0.0


# --- scoring one case -------------------------------------------------------------------------


def _prf(matching: dict[int, int], optional: Sequence[bool], n_pred: int) -> PRF:
    tp = sum(1 for i in matching if not optional[i])
    absorbed = len(matching) - tp
    required = sum(1 for o in optional if not o)
    return PRF(tp=tp, fp=n_pred - tp - absorbed, fn=required - tp)


def _quotes(summary: ArticleSummary) -> list[Quote]:
    items = [*summary.claims, *summary.casualties, *summary.denials]
    return [item.quote for item in items if item.quote is not None]


def _figure(c: LabelCasualty | Casualty) -> str:
    return f"{c.kind} count={c.count} min={c.min} max={c.max}"


def score_case(label: Label, summary: ArticleSummary, text: str) -> CaseScore:
    """Score ``summary`` (the pipeline's answer for ``text``) against ``label``."""
    parties = summary.parties
    notes: list[str] = []

    # Casualties and attribution.
    c_opt = [c.optional for c in label.casualties]
    preds = summary.casualties

    def source_ok(i: int, j: int) -> bool:
        return names_match(party_names(preds[j].reported_by, parties), label.casualties[i].reported_by)

    c_match = max_matching(
        c_opt,
        len(preds),
        lambda i, j: casualty_matches(preds[j], label.casualties[i]),
        lambda i, j: (preds[j].count == label.casualties[i].count, source_ok(i, j)),
    )
    casualties = _prf(c_match, c_opt, len(preds))
    attribution_total = attribution_correct = 0
    for i, j in c_match.items():
        lab = label.casualties[i]
        if lab.optional or not lab.reported_by:
            continue
        attribution_total += 1
        if source_ok(i, j):
            attribution_correct += 1
        else:
            notes.append(
                f"casualty source: {preds[j].reported_by!r} for {_figure(lab)}, want {lab.reported_by[:3]}"
            )
    for i, lab in enumerate(label.casualties):
        if i not in c_match and not lab.optional:
            notes.append(f"casualty missed: {_figure(lab)} ({lab.evidence[:80]!r})")
    matched_preds = set(c_match.values())
    for j, pred in enumerate(preds):
        if j not in matched_preds:
            notes.append(f"casualty extra: {_figure(pred)} ({pred.quote.text[:80]!r})")

    # Parties.
    p_opt = [p.optional for p in label.parties]
    p_match = max_matching(
        p_opt,
        len(parties),
        lambda i, j: names_match(
            [parties[j].name, *parties[j].aliases], [label.parties[i].name, *label.parties[i].aliases]
        ),
    )
    parties_prf = _prf(p_match, p_opt, len(parties))
    notes.extend(
        f"party missed: {p.name}" for i, p in enumerate(label.parties) if i not in p_match and not p.optional
    )

    # Denials.
    d_opt = [d.optional for d in label.denials]
    denials = summary.denials
    d_match = max_matching(
        d_opt,
        len(denials),
        lambda i, j: (
            names_match(party_names(denials[j].denier, parties), label.denials[i].denier)
            and content_overlaps(denials[j].denied, label.denials[i].denied, label.denials[i].keywords)
        ),
    )
    denials_prf = _prf(d_match, d_opt, len(denials))
    notes.extend(
        f"denial missed: {d.denier[0]} denies {d.denied!r}"
        for i, d in enumerate(label.denials)
        if i not in d_match and not d.optional
    )
    d_used = set(d_match.values())
    notes.extend(
        f"denial extra: {d.denier} denies {d.denied!r}" for j, d in enumerate(denials) if j not in d_used
    )

    # Claims (labels list key claims only: recall counts, precision is informative).
    claims = summary.claims
    k_opt = [False] * len(label.claims)
    k_match = max_matching(
        k_opt,
        len(claims),
        lambda i, j: (
            names_match(party_names(claims[j].claimant, parties), label.claims[i].claimant)
            and content_overlaps(claims[j].statement, label.claims[i].statement, label.claims[i].keywords)
        ),
    )
    claims_prf = _prf(k_match, k_opt, len(claims))
    notes.extend(
        f"claim missed: {c.claimant[0]}: {c.statement!r}"
        for i, c in enumerate(label.claims)
        if i not in k_match
    )

    # Outlet.
    if label.outlet is None:
        outlet_correct = summary.outlet is None
    else:
        outlet_correct = summary.outlet is not None and names_match(
            [summary.outlet.name], [label.outlet.name, *label.outlet.aliases]
        )
    if not outlet_correct:
        got = summary.outlet.name if summary.outlet else None
        notes.append(f"outlet: got {got!r}, want {label.outlet.name if label.outlet else None!r}")

    # Grounding.
    article = summary.article_text if summary.article_text is not None else text
    quotes = _quotes(summary)
    exact = 0
    for q in quotes:
        if q.start <= q.end <= len(article) and article[q.start : q.end] == q.text:
            exact += 1
        else:
            notes.append(f"misplaced quote [{q.start}:{q.end}] {q.text[:60]!r}")

    return CaseScore(
        case_id=label.id,
        casualties=casualties,
        attribution_correct=attribution_correct,
        attribution_total=attribution_total,
        parties=parties_prf,
        denials=denials_prf,
        claims=claims_prf,
        outlet_correct=outlet_correct,
        quotes_checked=len(quotes),
        quotes_exact=exact,
        quotes_total=summary.grounding.quotes_total,
        quotes_dropped=summary.grounding.quotes_dropped,
        notes=notes,
    )


def error_score(label: Label, message: str) -> CaseScore:
    """A case whose pipeline call failed: every required label entry is a miss."""
    required_casualties = [c for c in label.casualties if not c.optional]
    return CaseScore(
        case_id=label.id,
        error=message,
        casualties=PRF(fn=len(required_casualties)),
        attribution_total=sum(1 for c in required_casualties if c.reported_by),
        parties=PRF(fn=sum(1 for p in label.parties if not p.optional)),
        denials=PRF(fn=sum(1 for d in label.denials if not d.optional)),
        claims=PRF(fn=len(label.claims)),
        outlet_correct=False,
        notes=[f"error: {message}"],
    )


def aggregate(case_scores: Iterable[CaseScore]) -> RunScores:
    """Micro-average: counts are summed over cases, then turned into scores."""
    run = RunScores()
    for s in case_scores:
        run = RunScores(
            n_cases=run.n_cases + 1,
            n_errors=run.n_errors + (s.error is not None),
            outlet_correct=run.outlet_correct + s.outlet_correct,
            casualties=run.casualties + s.casualties,
            attribution_correct=run.attribution_correct + s.attribution_correct,
            attribution_total=run.attribution_total + s.attribution_total,
            parties=run.parties + s.parties,
            denials=run.denials + s.denials,
            claims=run.claims + s.claims,
            quotes_checked=run.quotes_checked + s.quotes_checked,
            quotes_exact=run.quotes_exact + s.quotes_exact,
            quotes_total=run.quotes_total + s.quotes_total,
            quotes_dropped=run.quotes_dropped + s.quotes_dropped,
        )
    return run
