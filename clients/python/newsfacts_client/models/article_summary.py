from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.casualty import Casualty
    from ..models.claim import Claim
    from ..models.denial import Denial
    from ..models.grounding import Grounding
    from ..models.outlet import Outlet
    from ..models.party import Party
    from ..models.trace_entry import TraceEntry
    from ..models.usage import Usage


T = TypeVar("T", bound="ArticleSummary")


@_attrs_define
class ArticleSummary:
    """Attributed, verifiable facts extracted from one article (contract v1).

    Attributes:
        outlet (None | Outlet):
        headline (None | str):
        summary (str):
        parties (list[Party]):
        claims (list[Claim]):
        casualties (list[Casualty]):
        denials (list[Denial]):
        grounding (Grounding):
        model (str):
        prompt_version (str):
        usage (Usage):
        schema_version (Literal['1'] | Unset):  Default: '1'.
        article_text (None | str | Unset): The text that quote offsets refer to, when it differs from the submitted text
            (for example text extracted from HTML).
        language (None | str | Unset): ISO 639-1 code of the article's language (declared in the request or identified).
        trace (list[TraceEntry] | None | Unset): Only when asked for (explain=true): the reading rules behind every
            entry, dropped ones included.
    """

    outlet: None | Outlet
    headline: None | str
    summary: str
    parties: list[Party]
    claims: list[Claim]
    casualties: list[Casualty]
    denials: list[Denial]
    grounding: Grounding
    model: str
    prompt_version: str
    usage: Usage
    schema_version: Literal["1"] | Unset = "1"
    article_text: None | str | Unset = UNSET
    language: None | str | Unset = UNSET
    trace: list[TraceEntry] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.outlet import Outlet  # noqa: PLC0415

        outlet: dict[str, Any] | None
        if isinstance(self.outlet, Outlet):
            outlet = self.outlet.to_dict()
        else:
            outlet = self.outlet

        headline: None | str
        headline = self.headline

        summary = self.summary

        parties = []
        for parties_item_data in self.parties:
            parties_item = parties_item_data.to_dict()
            parties.append(parties_item)

        claims = []
        for claims_item_data in self.claims:
            claims_item = claims_item_data.to_dict()
            claims.append(claims_item)

        casualties = []
        for casualties_item_data in self.casualties:
            casualties_item = casualties_item_data.to_dict()
            casualties.append(casualties_item)

        denials = []
        for denials_item_data in self.denials:
            denials_item = denials_item_data.to_dict()
            denials.append(denials_item)

        grounding = self.grounding.to_dict()

        model = self.model

        prompt_version = self.prompt_version

        usage = self.usage.to_dict()

        schema_version = self.schema_version

        article_text: None | str | Unset
        if isinstance(self.article_text, Unset):
            article_text = UNSET
        else:
            article_text = self.article_text

        language: None | str | Unset
        if isinstance(self.language, Unset):
            language = UNSET
        else:
            language = self.language

        trace: list[dict[str, Any]] | None | Unset
        if isinstance(self.trace, Unset):
            trace = UNSET
        elif isinstance(self.trace, list):
            trace = []
            for trace_type_0_item_data in self.trace:
                trace_type_0_item = trace_type_0_item_data.to_dict()
                trace.append(trace_type_0_item)

        else:
            trace = self.trace

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "outlet": outlet,
                "headline": headline,
                "summary": summary,
                "parties": parties,
                "claims": claims,
                "casualties": casualties,
                "denials": denials,
                "grounding": grounding,
                "model": model,
                "prompt_version": prompt_version,
                "usage": usage,
            }
        )
        if schema_version is not UNSET:
            field_dict["schema_version"] = schema_version
        if article_text is not UNSET:
            field_dict["article_text"] = article_text
        if language is not UNSET:
            field_dict["language"] = language
        if trace is not UNSET:
            field_dict["trace"] = trace

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.casualty import Casualty  # noqa: PLC0415
        from ..models.claim import Claim  # noqa: PLC0415
        from ..models.denial import Denial  # noqa: PLC0415
        from ..models.grounding import Grounding  # noqa: PLC0415
        from ..models.outlet import Outlet  # noqa: PLC0415
        from ..models.party import Party  # noqa: PLC0415
        from ..models.trace_entry import TraceEntry  # noqa: PLC0415
        from ..models.usage import Usage  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_outlet(data: object) -> None | Outlet:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                outlet_type_0 = Outlet.from_dict(data)

                return outlet_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Outlet, data)

        outlet = _parse_outlet(d.pop("outlet"))

        def _parse_headline(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        headline = _parse_headline(d.pop("headline"))

        summary = d.pop("summary")

        parties = []
        _parties = d.pop("parties")
        for parties_item_data in _parties:
            parties_item = Party.from_dict(parties_item_data)

            parties.append(parties_item)

        claims = []
        _claims = d.pop("claims")
        for claims_item_data in _claims:
            claims_item = Claim.from_dict(claims_item_data)

            claims.append(claims_item)

        casualties = []
        _casualties = d.pop("casualties")
        for casualties_item_data in _casualties:
            casualties_item = Casualty.from_dict(casualties_item_data)

            casualties.append(casualties_item)

        denials = []
        _denials = d.pop("denials")
        for denials_item_data in _denials:
            denials_item = Denial.from_dict(denials_item_data)

            denials.append(denials_item)

        grounding = Grounding.from_dict(d.pop("grounding"))

        model = d.pop("model")

        prompt_version = d.pop("prompt_version")

        usage = Usage.from_dict(d.pop("usage"))

        schema_version = cast(Literal["1"] | Unset, d.pop("schema_version", UNSET))
        if schema_version != "1" and not isinstance(schema_version, Unset):
            raise ValueError(f"schema_version must match const '1', got '{schema_version}'")

        def _parse_article_text(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        article_text = _parse_article_text(d.pop("article_text", UNSET))

        def _parse_language(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        language = _parse_language(d.pop("language", UNSET))

        def _parse_trace(data: object) -> list[TraceEntry] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                trace_type_0 = []
                _trace_type_0 = data
                for trace_type_0_item_data in _trace_type_0:
                    trace_type_0_item = TraceEntry.from_dict(trace_type_0_item_data)

                    trace_type_0.append(trace_type_0_item)

                return trace_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[TraceEntry] | None | Unset, data)

        trace = _parse_trace(d.pop("trace", UNSET))

        article_summary = cls(
            outlet=outlet,
            headline=headline,
            summary=summary,
            parties=parties,
            claims=claims,
            casualties=casualties,
            denials=denials,
            grounding=grounding,
            model=model,
            prompt_version=prompt_version,
            usage=usage,
            schema_version=schema_version,
            article_text=article_text,
            language=language,
            trace=trace,
        )

        return article_summary
