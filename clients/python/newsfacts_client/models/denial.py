from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.quote import Quote


T = TypeVar("T", bound="Denial")


@_attrs_define
class Denial:
    """An explicit denial, refutation or rejection of a claim or allegation.

    Attributes:
        denier (str): The party that denies.
        denied (str): What is denied, paraphrased.
        responds_to (None | str): The party whose claim is denied; null when the accuser is not named.
        quote (None | Quote): The span of the article that gives it, or null.
    """

    denier: str
    denied: str
    responds_to: None | str
    quote: None | Quote
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.quote import Quote  # noqa: PLC0415

        denier = self.denier

        denied = self.denied

        responds_to: None | str
        responds_to = self.responds_to

        quote: dict[str, Any] | None
        if isinstance(self.quote, Quote):
            quote = self.quote.to_dict()
        else:
            quote = self.quote

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "denier": denier,
                "denied": denied,
                "responds_to": responds_to,
                "quote": quote,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.quote import Quote  # noqa: PLC0415

        d = dict(src_dict)
        denier = d.pop("denier")

        denied = d.pop("denied")

        def _parse_responds_to(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        responds_to = _parse_responds_to(d.pop("responds_to"))

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

        denial = cls(
            denier=denier,
            denied=denied,
            responds_to=responds_to,
            quote=quote,
        )

        denial.additional_properties = d
        return denial

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
