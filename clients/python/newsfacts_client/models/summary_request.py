from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.summary_request_format import SummaryRequestFormat, check_summary_request_format
from ..types import UNSET, Unset

T = TypeVar("T", bound="SummaryRequest")


@_attrs_define
class SummaryRequest:
    """An article to summarise. Only ``text`` is required.

    Attributes:
        text (str): The article text, as published.
        title (None | str | Unset): The headline, when known.
        url (None | str | Unset): Where the article was published.
        outlet (None | str | Unset): The publishing outlet; when given it is the response's outlet.
        published_at (datetime.datetime | None | Unset): Publication time, ISO 8601.
        language (None | str | Unset): ISO 639-1 code of the article's language, when known; otherwise it is identified
            from the text.
        format_ (SummaryRequestFormat | Unset): 'html': ``text`` is a whole HTML page; the article is extracted from it,
            its metadata fills title, outlet, url and published_at when they are not given, and quote offsets refer to the
            extracted text, returned as ``article_text``. Default: 'text'.
    """

    text: str
    title: None | str | Unset = UNSET
    url: None | str | Unset = UNSET
    outlet: None | str | Unset = UNSET
    published_at: datetime.datetime | None | Unset = UNSET
    language: None | str | Unset = UNSET
    format_: SummaryRequestFormat | Unset = "text"

    def to_dict(self) -> dict[str, Any]:
        text = self.text

        title: None | str | Unset
        if isinstance(self.title, Unset):
            title = UNSET
        else:
            title = self.title

        url: None | str | Unset
        if isinstance(self.url, Unset):
            url = UNSET
        else:
            url = self.url

        outlet: None | str | Unset
        if isinstance(self.outlet, Unset):
            outlet = UNSET
        else:
            outlet = self.outlet

        published_at: None | str | Unset
        if isinstance(self.published_at, Unset):
            published_at = UNSET
        elif isinstance(self.published_at, datetime.datetime):
            published_at = self.published_at.isoformat()
        else:
            published_at = self.published_at

        language: None | str | Unset
        if isinstance(self.language, Unset):
            language = UNSET
        else:
            language = self.language

        format_: str | Unset = UNSET
        if not isinstance(self.format_, Unset):
            format_ = self.format_

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "text": text,
            }
        )
        if title is not UNSET:
            field_dict["title"] = title
        if url is not UNSET:
            field_dict["url"] = url
        if outlet is not UNSET:
            field_dict["outlet"] = outlet
        if published_at is not UNSET:
            field_dict["published_at"] = published_at
        if language is not UNSET:
            field_dict["language"] = language
        if format_ is not UNSET:
            field_dict["format"] = format_

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        text = d.pop("text")

        def _parse_title(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        title = _parse_title(d.pop("title", UNSET))

        def _parse_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        url = _parse_url(d.pop("url", UNSET))

        def _parse_outlet(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        outlet = _parse_outlet(d.pop("outlet", UNSET))

        def _parse_published_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                published_at_type_0 = datetime.datetime.fromisoformat(data)

                return published_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        published_at = _parse_published_at(d.pop("published_at", UNSET))

        def _parse_language(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        language = _parse_language(d.pop("language", UNSET))

        _format_ = d.pop("format", UNSET)
        format_: SummaryRequestFormat | Unset
        if isinstance(_format_, Unset):
            format_ = UNSET
        else:
            format_ = check_summary_request_format(_format_)

        summary_request = cls(
            text=text,
            title=title,
            url=url,
            outlet=outlet,
            published_at=published_at,
            language=language,
            format_=format_,
        )

        return summary_request
