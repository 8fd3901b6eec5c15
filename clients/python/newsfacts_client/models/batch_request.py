from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.batch_request_callback_events_item import (
    BatchRequestCallbackEventsItem,
    check_batch_request_callback_events_item,
)
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.summary_request import SummaryRequest


T = TypeVar("T", bound="BatchRequest")


@_attrs_define
class BatchRequest:
    """Many articles to summarise in the background.

    Attributes:
        articles (list[SummaryRequest]): The articles, each as for POST /v1/summaries.
        callback_url (None | str | Unset): An http(s) URL the service POSTs signed events to (see callback_events). Its
            host must resolve only to public addresses, unless NEWSFACTS_WEBHOOK_ALLOW_NETWORKS allows it.
        callback_events (list[BatchRequestCallbackEventsItem] | Unset): Which events go to callback_url:
            'batch.finished' (once, when every article is done or failed) and/or 'article.finished' (once per article).
    """

    articles: list[SummaryRequest]
    callback_url: None | str | Unset = UNSET
    callback_events: list[BatchRequestCallbackEventsItem] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        articles = []
        for articles_item_data in self.articles:
            articles_item = articles_item_data.to_dict()
            articles.append(articles_item)

        callback_url: None | str | Unset
        if isinstance(self.callback_url, Unset):
            callback_url = UNSET
        else:
            callback_url = self.callback_url

        callback_events: list[str] | Unset = UNSET
        if not isinstance(self.callback_events, Unset):
            callback_events = []
            for callback_events_item_data in self.callback_events:
                callback_events_item: str = callback_events_item_data
                callback_events.append(callback_events_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "articles": articles,
            }
        )
        if callback_url is not UNSET:
            field_dict["callback_url"] = callback_url
        if callback_events is not UNSET:
            field_dict["callback_events"] = callback_events

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.summary_request import SummaryRequest  # noqa: PLC0415

        d = dict(src_dict)
        articles = []
        _articles = d.pop("articles")
        for articles_item_data in _articles:
            articles_item = SummaryRequest.from_dict(articles_item_data)

            articles.append(articles_item)

        def _parse_callback_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        callback_url = _parse_callback_url(d.pop("callback_url", UNSET))

        _callback_events = d.pop("callback_events", UNSET)
        callback_events: list[BatchRequestCallbackEventsItem] | Unset = UNSET
        if _callback_events is not UNSET:
            callback_events = []
            for callback_events_item_data in _callback_events:
                callback_events_item = check_batch_request_callback_events_item(callback_events_item_data)

                callback_events.append(callback_events_item)

        batch_request = cls(
            articles=articles,
            callback_url=callback_url,
            callback_events=callback_events,
        )

        return batch_request
