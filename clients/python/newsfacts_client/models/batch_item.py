from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.batch_item_status import BatchItemStatus, check_batch_item_status

if TYPE_CHECKING:
    from ..models.article_summary import ArticleSummary
    from ..models.item_error import ItemError


T = TypeVar("T", bound="BatchItem")


@_attrs_define
class BatchItem:
    """One article of a batch.

    Attributes:
        index (int): The article's position in the request, from 0.
        status (BatchItemStatus): pending, running, done (see result) or failed (see error).
        result (ArticleSummary | None): The article's facts once it is done.
        error (ItemError | None): Why it failed, once it has failed.
    """

    index: int
    status: BatchItemStatus
    result: ArticleSummary | None
    error: ItemError | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.article_summary import ArticleSummary  # noqa: PLC0415
        from ..models.item_error import ItemError  # noqa: PLC0415

        index = self.index

        status: str = self.status

        result: dict[str, Any] | None
        if isinstance(self.result, ArticleSummary):
            result = self.result.to_dict()
        else:
            result = self.result

        error: dict[str, Any] | None
        if isinstance(self.error, ItemError):
            error = self.error.to_dict()
        else:
            error = self.error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "index": index,
                "status": status,
                "result": result,
                "error": error,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.article_summary import ArticleSummary  # noqa: PLC0415
        from ..models.item_error import ItemError  # noqa: PLC0415

        d = dict(src_dict)
        index = d.pop("index")

        status = check_batch_item_status(d.pop("status"))

        def _parse_result(data: object) -> ArticleSummary | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                result_type_0 = ArticleSummary.from_dict(data)

                return result_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ArticleSummary | None, data)

        result = _parse_result(d.pop("result"))

        def _parse_error(data: object) -> ItemError | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                error_type_0 = ItemError.from_dict(data)

                return error_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ItemError | None, data)

        error = _parse_error(d.pop("error"))

        batch_item = cls(
            index=index,
            status=status,
            result=result,
            error=error,
        )

        batch_item.additional_properties = d
        return batch_item

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
