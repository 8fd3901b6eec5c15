from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.create_batch_v1_batches_post_body_summary_request import CreateBatchV1BatchesPostBodySummaryRequest


T = TypeVar("T", bound="CreateBatchV1BatchesPostBody")


@_attrs_define
class CreateBatchV1BatchesPostBody:
    """
    Attributes:
        articles (list[CreateBatchV1BatchesPostBodySummaryRequest]): The articles, each as for POST /v1/summaries.
    """

    articles: list[CreateBatchV1BatchesPostBodySummaryRequest]

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
        from ..models.create_batch_v1_batches_post_body_summary_request import (
            CreateBatchV1BatchesPostBodySummaryRequest,  # noqa: PLC0415
        )

        d = dict(src_dict)
        articles = []
        _articles = d.pop("articles")
        for articles_item_data in _articles:
            articles_item = CreateBatchV1BatchesPostBodySummaryRequest.from_dict(articles_item_data)

            articles.append(articles_item)

        create_batch_v1_batches_post_body = cls(
            articles=articles,
        )

        return create_batch_v1_batches_post_body
