from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Grounding")


@_attrs_define
class Grounding:
    """How many of the model's quotes were found in the article.

    Attributes:
        quotes_total (int): Quotes the model proposed.
        quotes_verified (int): Quotes found in the article.
        quotes_dropped (int): Quotes removed because they are not in the article.
    """

    quotes_total: int
    quotes_verified: int
    quotes_dropped: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        quotes_total = self.quotes_total

        quotes_verified = self.quotes_verified

        quotes_dropped = self.quotes_dropped

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "quotes_total": quotes_total,
                "quotes_verified": quotes_verified,
                "quotes_dropped": quotes_dropped,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        quotes_total = d.pop("quotes_total")

        quotes_verified = d.pop("quotes_verified")

        quotes_dropped = d.pop("quotes_dropped")

        grounding = cls(
            quotes_total=quotes_total,
            quotes_verified=quotes_verified,
            quotes_dropped=quotes_dropped,
        )

        grounding.additional_properties = d
        return grounding

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
