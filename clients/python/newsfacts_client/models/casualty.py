from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.casualty_kind import CasualtyKind, check_casualty_kind
from ..models.casualty_victims import CasualtyVictims, check_casualty_victims
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.quote import Quote


T = TypeVar("T", bound="Casualty")


@_attrs_define
class Casualty:
    """
    Attributes:
        kind (CasualtyKind):
        count (int | None): The figure; null when only vague.
        min_ (int | None):
        max_ (int | None):
        approximate (bool):
        quote (Quote): A verbatim span of the article: ``article_text[start:end] == text``.
        victims (CasualtyVictims | Unset):  Default: 'unspecified'.
        location (None | str | Unset):
        reported_by (None | str | Unset):
        caused_by (None | str | Unset):
    """

    kind: CasualtyKind
    count: int | None
    min_: int | None
    max_: int | None
    approximate: bool
    quote: Quote
    victims: CasualtyVictims | Unset = "unspecified"
    location: None | str | Unset = UNSET
    reported_by: None | str | Unset = UNSET
    caused_by: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        kind: str = self.kind

        count: int | None
        count = self.count

        min_: int | None
        min_ = self.min_

        max_: int | None
        max_ = self.max_

        approximate = self.approximate

        quote = self.quote.to_dict()

        victims: str | Unset = UNSET
        if not isinstance(self.victims, Unset):
            victims = self.victims

        location: None | str | Unset
        if isinstance(self.location, Unset):
            location = UNSET
        else:
            location = self.location

        reported_by: None | str | Unset
        if isinstance(self.reported_by, Unset):
            reported_by = UNSET
        else:
            reported_by = self.reported_by

        caused_by: None | str | Unset
        if isinstance(self.caused_by, Unset):
            caused_by = UNSET
        else:
            caused_by = self.caused_by

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "kind": kind,
                "count": count,
                "min": min_,
                "max": max_,
                "approximate": approximate,
                "quote": quote,
            }
        )
        if victims is not UNSET:
            field_dict["victims"] = victims
        if location is not UNSET:
            field_dict["location"] = location
        if reported_by is not UNSET:
            field_dict["reported_by"] = reported_by
        if caused_by is not UNSET:
            field_dict["caused_by"] = caused_by

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

        quote = Quote.from_dict(d.pop("quote"))

        _victims = d.pop("victims", UNSET)
        victims: CasualtyVictims | Unset
        if isinstance(_victims, Unset):
            victims = UNSET
        else:
            victims = check_casualty_victims(_victims)

        def _parse_location(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        location = _parse_location(d.pop("location", UNSET))

        def _parse_reported_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reported_by = _parse_reported_by(d.pop("reported_by", UNSET))

        def _parse_caused_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        caused_by = _parse_caused_by(d.pop("caused_by", UNSET))

        casualty = cls(
            kind=kind,
            count=count,
            min_=min_,
            max_=max_,
            approximate=approximate,
            quote=quote,
            victims=victims,
            location=location,
            reported_by=reported_by,
            caused_by=caused_by,
        )

        return casualty
