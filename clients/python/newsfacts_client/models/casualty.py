from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.casualty_kind import CasualtyKind, check_casualty_kind
from ..models.casualty_victims import CasualtyVictims, check_casualty_victims

if TYPE_CHECKING:
    from ..models.quote import Quote


T = TypeVar("T", bound="Casualty")


@_attrs_define
class Casualty:
    """One reported figure of people harmed, per reporting source per event.

    Attributes:
        kind (CasualtyKind): What happened to them.
        count (int | None): The figure; null when only vague.
        min_ (int | None): The least the figure can be ('at least 5': 5); null when open.
        max_ (int | None): The most the figure can be ('up to 30': 30); null when open.
        approximate (bool): False only for an exact figure.
        victims (CasualtyVictims): Who was harmed. Default: 'unspecified'.
        location (None | str): Where, when the text says; else null.
        reported_by (None | str): The party giving the figure; null for an anonymous source.
        caused_by (None | str): The party the reporter blames; null when it blames no one.
        quote (Quote): A verbatim span of the article: ``article_text[start:end] == text``.
    """

    kind: CasualtyKind
    count: int | None
    min_: int | None
    max_: int | None
    approximate: bool
    location: None | str
    reported_by: None | str
    caused_by: None | str
    quote: Quote
    victims: CasualtyVictims = "unspecified"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        kind: str = self.kind

        count: int | None
        count = self.count

        min_: int | None
        min_ = self.min_

        max_: int | None
        max_ = self.max_

        approximate = self.approximate

        victims: str = self.victims

        location: None | str
        location = self.location

        reported_by: None | str
        reported_by = self.reported_by

        caused_by: None | str
        caused_by = self.caused_by

        quote = self.quote.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "count": count,
                "min": min_,
                "max": max_,
                "approximate": approximate,
                "victims": victims,
                "location": location,
                "reported_by": reported_by,
                "caused_by": caused_by,
                "quote": quote,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.quote import Quote  # noqa: PLC0415

        d = dict(src_dict)
        kind = check_casualty_kind(d.pop("kind"))

        def _parse_count(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        count = _parse_count(d.pop("count"))

        def _parse_min_(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        min_ = _parse_min_(d.pop("min"))

        def _parse_max_(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        max_ = _parse_max_(d.pop("max"))

        approximate = d.pop("approximate")

        victims = check_casualty_victims(d.pop("victims"))

        def _parse_location(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        location = _parse_location(d.pop("location"))

        def _parse_reported_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reported_by = _parse_reported_by(d.pop("reported_by"))

        def _parse_caused_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        caused_by = _parse_caused_by(d.pop("caused_by"))

        quote = Quote.from_dict(d.pop("quote"))

        casualty = cls(
            kind=kind,
            count=count,
            min_=min_,
            max_=max_,
            approximate=approximate,
            victims=victims,
            location=location,
            reported_by=reported_by,
            caused_by=caused_by,
            quote=quote,
        )

        casualty.additional_properties = d
        return casualty

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
