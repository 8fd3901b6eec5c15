from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.batch_status_status import BatchStatusStatus, check_batch_status_status

if TYPE_CHECKING:
    from ..models.batch_item import BatchItem


T = TypeVar("T", bound="BatchStatus")


@_attrs_define
class BatchStatus:
    """A batch's progress and, unless left out, each article's result or error.

    Attributes:
        id (str): The batch's id, for GET /v1/batches/{batch_id}.
        status (BatchStatusStatus): done once every article is done or failed
        created_at (datetime.datetime): When the batch was accepted.
        total (int): Articles in the batch.
        pending (int): Articles waiting for a worker.
        running (int): Articles being summarised now.
        done (int): Articles summarised.
        failed (int): Articles that failed (each item says why).
        items (list[BatchItem] | None): Per article, in request order (null with ?items=false).
    """

    id: str
    status: BatchStatusStatus
    created_at: datetime.datetime
    total: int
    pending: int
    running: int
    done: int
    failed: int
    items: list[BatchItem] | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        status: str = self.status

        created_at = self.created_at.isoformat()

        total = self.total

        pending = self.pending

        running = self.running

        done = self.done

        failed = self.failed

        items: list[dict[str, Any]] | None
        if isinstance(self.items, list):
            items = []
            for items_type_0_item_data in self.items:
                items_type_0_item = items_type_0_item_data.to_dict()
                items.append(items_type_0_item)

        else:
            items = self.items

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "status": status,
                "created_at": created_at,
                "total": total,
                "pending": pending,
                "running": running,
                "done": done,
                "failed": failed,
                "items": items,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.batch_item import BatchItem  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        status = check_batch_status_status(d.pop("status"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        total = d.pop("total")

        pending = d.pop("pending")

        running = d.pop("running")

        done = d.pop("done")

        failed = d.pop("failed")

        def _parse_items(data: object) -> list[BatchItem] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                items_type_0 = []
                _items_type_0 = data
                for items_type_0_item_data in _items_type_0:
                    items_type_0_item = BatchItem.from_dict(items_type_0_item_data)

                    items_type_0.append(items_type_0_item)

                return items_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[BatchItem] | None, data)

        items = _parse_items(d.pop("items"))

        batch_status = cls(
            id=id,
            status=status,
            created_at=created_at,
            total=total,
            pending=pending,
            running=running,
            done=done,
            failed=failed,
            items=items,
        )

        batch_status.additional_properties = d
        return batch_status

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
