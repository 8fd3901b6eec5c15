from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.batch_item_status import BatchItemStatus, check_batch_item_status
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.article_summary import ArticleSummary
    from ..models.item_error import ItemError


T = TypeVar("T", bound="BatchItem")


@_attrs_define
class BatchItem:
    """
    Attributes:
        index (int): The article's position in the request, from 0.
        status (BatchItemStatus):
        result (ArticleSummary | None | Unset):
        error (ItemError | None | Unset):
    """

    index: int
    status: BatchItemStatus
    result: ArticleSummary | None | Unset = UNSET
    error: ItemError | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.article_summary import ArticleSummary  # noqa: PLC0415
        from ..models.item_error import ItemError  # noqa: PLC0415

        index = self.index

        status: str = self.status

        result: dict[str, Any] | None | Unset
        if isinstance(self.result, Unset):
            result = UNSET
        elif isinstance(self.result, ArticleSummary):
            result = self.result.to_dict()
        else:
            result = self.result

        error: dict[str, Any] | None | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        elif isinstance(self.error, ItemError):
            error = self.error.to_dict()
        else:
            error = self.error

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "index": index,
                "status": status,
            }
        )
        if result is not UNSET:
            field_dict["result"] = result
        if error is not UNSET:
            field_dict["error"] = error

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.article_summary import ArticleSummary  # noqa: PLC0415
        from ..models.item_error import ItemError  # noqa: PLC0415

        d = dict(src_dict)
        index = d.pop("index")

        status = check_batch_item_status(d.pop("status"))

        def _parse_result(data: object) -> ArticleSummary | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                result_type_0 = ArticleSummary.from_dict(data)

                return result_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ArticleSummary | None | Unset, data)

        result = _parse_result(d.pop("result", UNSET))

        def _parse_error(data: object) -> ItemError | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                error_type_0 = ItemError.from_dict(data)

                return error_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ItemError | None | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        batch_item = cls(
            index=index,
            status=status,
            result=result,
            error=error,
        )

        return batch_item
