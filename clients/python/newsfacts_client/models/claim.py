from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.quote import Quote


T = TypeVar("T", bound="Claim")


@_attrs_define
class Claim:
    """
    Attributes:
        claimant (str):
        statement (str):
        target (None | str | Unset):
        quote (None | Quote | Unset):
    """

    claimant: str
    statement: str
    target: None | str | Unset = UNSET
    quote: None | Quote | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.quote import Quote  # noqa: PLC0415

        claimant = self.claimant

        statement = self.statement

        target: None | str | Unset
        if isinstance(self.target, Unset):
            target = UNSET
        else:
            target = self.target

        quote: dict[str, Any] | None | Unset
        if isinstance(self.quote, Unset):
            quote = UNSET
        elif isinstance(self.quote, Quote):
            quote = self.quote.to_dict()
        else:
            quote = self.quote

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "claimant": claimant,
                "statement": statement,
            }
        )
        if target is not UNSET:
            field_dict["target"] = target
        if quote is not UNSET:
            field_dict["quote"] = quote

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.quote import Quote  # noqa: PLC0415

        d = dict(src_dict)
        claimant = d.pop("claimant")

        statement = d.pop("statement")

        def _parse_target(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        target = _parse_target(d.pop("target", UNSET))

        def _parse_quote(data: object) -> None | Quote | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                quote_type_0 = Quote.from_dict(data)

                return quote_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Quote | Unset, data)

        quote = _parse_quote(d.pop("quote", UNSET))

        claim = cls(
            claimant=claimant,
            statement=statement,
            target=target,
            quote=quote,
        )

        return claim
