from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="Quote")


@_attrs_define
class Quote:
    """A verbatim span of the article: ``article_text[start:end] == text``.

    Attributes:
        text (str):
        start (int): Offset of the first character, in Unicode code points.
        end (int): Offset one past the last character, in Unicode code points.
    """

    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        text = self.text

        start = self.start

        end = self.end

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "text": text,
                "start": start,
                "end": end,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        text = d.pop("text")

        start = d.pop("start")

        end = d.pop("end")

        quote = cls(
            text=text,
            start=start,
            end=end,
        )

        return quote
