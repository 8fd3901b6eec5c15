from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.quote import Quote


T = TypeVar("T", bound="Denial")


@_attrs_define
class Denial:
    """
    Attributes:
        denier (str):
        denied (str):
        responds_to (None | str | Unset):
        quote (None | Quote | Unset):
    """

    denier: str
    denied: str
    responds_to: None | str | Unset = UNSET
    quote: None | Quote | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.quote import Quote  # noqa: PLC0415

        denier = self.denier

        denied = self.denied

        responds_to: None | str | Unset
        if isinstance(self.responds_to, Unset):
            responds_to = UNSET
        else:
            responds_to = self.responds_to

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
                "denier": denier,
                "denied": denied,
            }
        )
        if responds_to is not UNSET:
            field_dict["responds_to"] = responds_to
        if quote is not UNSET:
            field_dict["quote"] = quote

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.quote import Quote  # noqa: PLC0415

        d = dict(src_dict)
        denier = d.pop("denier")

        denied = d.pop("denied")

        def _parse_responds_to(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        responds_to = _parse_responds_to(d.pop("responds_to", UNSET))

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

        denial = cls(
            denier=denier,
            denied=denied,
            responds_to=responds_to,
            quote=quote,
        )

        return denial
