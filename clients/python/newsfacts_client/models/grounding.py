from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="Grounding")


@_attrs_define
class Grounding:
    """
    Attributes:
        quotes_total (int): Quotes the model proposed.
        quotes_verified (int): Quotes found in the article.
        quotes_dropped (int): Quotes removed because they are not in the article.
    """

    quotes_total: int
    quotes_verified: int
    quotes_dropped: int

    def to_dict(self) -> dict[str, Any]:
        quotes_total = self.quotes_total

        quotes_verified = self.quotes_verified

        quotes_dropped = self.quotes_dropped

        field_dict: dict[str, Any] = {}

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

        return grounding
