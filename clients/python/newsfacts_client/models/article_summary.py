from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

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
        schema_version (Literal['1']): The contract's version. Default: '1'.
        outlet (None | Outlet): The media outlet that published the article; null when none is named.
        headline (None | str): The article's headline, when it has one.
        summary (str): A neutral summary of one to three sentences; contested facts are attributed.
        parties (list[Party]): Every actor that claims, denies, attacks, is attacked or is counted.
        claims (list[Claim]): Assertions attributed to a party.
        casualties (list[Casualty]): Each reported figure of people harmed.
        denials (list[Denial]): Each denial of a claim or allegation.
        grounding (Grounding): How many of the model's quotes were found in the article.
        model (str): The litellm model string that produced the answer.
        prompt_version (str): The version of the prompt templates.
        service_version (str): The newsfacts package version that produced the answer (a cached answer keeps the version
            that produced it; 'unknown' only for an answer stored by a version that did not record it). Default: 'unknown'.
        usage (Usage): What the answer cost.
        article_text (None | str): The text that quote offsets refer to, when it differs from the submitted text (for
            example text extracted from HTML).
        language (None | str): ISO 639-1 code of the article's language (declared in the request or identified).
        trace (list[TraceEntry] | None): Only when asked for (explain=true): the reading rules behind every entry,
            dropped ones included.
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
    article_text: None | str
    language: None | str
    trace: list[TraceEntry] | None
    schema_version: Literal["1"] = "1"
    service_version: str = "unknown"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.outlet import Outlet  # noqa: PLC0415

        schema_version = self.schema_version

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

        service_version = self.service_version

        usage = self.usage.to_dict()

        article_text: None | str
        article_text = self.article_text

        language: None | str
        language = self.language

        trace: list[dict[str, Any]] | None
        if isinstance(self.trace, list):
            trace = []
            for trace_type_0_item_data in self.trace:
                trace_type_0_item = trace_type_0_item_data.to_dict()
                trace.append(trace_type_0_item)

        else:
            trace = self.trace

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "schema_version": schema_version,
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
                "service_version": service_version,
                "usage": usage,
                "article_text": article_text,
                "language": language,
                "trace": trace,
            }
        )

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
        schema_version = cast(Literal["1"], d.pop("schema_version"))
        if schema_version != "1":
            raise ValueError(f"schema_version must match const '1', got '{schema_version}'")

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

        service_version = d.pop("service_version")

        usage = Usage.from_dict(d.pop("usage"))

        def _parse_article_text(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        article_text = _parse_article_text(d.pop("article_text"))

        def _parse_language(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        language = _parse_language(d.pop("language"))

        def _parse_trace(data: object) -> list[TraceEntry] | None:
            if data is None:
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
            return cast(list[TraceEntry] | None, data)

        trace = _parse_trace(d.pop("trace"))

        article_summary = cls(
            schema_version=schema_version,
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
            service_version=service_version,
            usage=usage,
            article_text=article_text,
            language=language,
            trace=trace,
        )

        article_summary.additional_properties = d
        return article_summary

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
