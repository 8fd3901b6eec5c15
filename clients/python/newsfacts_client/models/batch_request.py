from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.summary_request import SummaryRequest


T = TypeVar("T", bound="BatchRequest")


@_attrs_define
class BatchRequest:
    """Many articles to summarise in the background.

    Attributes:
        articles (list[SummaryRequest]): The articles, each as for POST /v1/summaries.
    """

    articles: list[SummaryRequest]

    def to_dict(self) -> dict[str, Any]:
        articles = []
        for articles_item_data in self.articles:
            articles_item = articles_item_data.to_dict()
            articles.append(articles_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "articles": articles,
            }
        )

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

        batch_request = cls(
            articles=articles,
        )

        return batch_request
