from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.quote import Quote


T = TypeVar("T", bound="Claim")


@_attrs_define
class Claim:
    """An assertion attributed to a party.

    Attributes:
        claimant (str): The party that makes the claim (a party's name or alias).
        statement (str): What it claims, paraphrased briefly.
        target (None | str): The party accused or concerned; null when none.
        quote (None | Quote): The span of the article that supports it, or null.
    """

    claimant: str
    statement: str
    target: None | str
    quote: None | Quote
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.quote import Quote  # noqa: PLC0415

        claimant = self.claimant

        statement = self.statement

        target: None | str
        target = self.target

        quote: dict[str, Any] | None
        if isinstance(self.quote, Quote):
            quote = self.quote.to_dict()
        else:
            quote = self.quote

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "claimant": claimant,
                "statement": statement,
                "target": target,
                "quote": quote,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.quote import Quote  # noqa: PLC0415

        d = dict(src_dict)
        claimant = d.pop("claimant")

        statement = d.pop("statement")

        def _parse_target(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        target = _parse_target(d.pop("target"))

        def _parse_quote(data: object) -> None | Quote:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                quote_type_0 = Quote.from_dict(data)

                return quote_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Quote, data)

        quote = _parse_quote(d.pop("quote"))

        claim = cls(
            claimant=claimant,
            statement=statement,
            target=target,
            quote=quote,
        )

        claim.additional_properties = d
        return claim

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
