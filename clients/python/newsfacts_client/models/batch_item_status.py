from typing import Literal

BatchItemStatus = Literal["done", "failed", "pending", "running"]

BATCH_ITEM_STATUS_VALUES: set[BatchItemStatus] = {
    "done",
    "failed",
    "pending",
    "running",
}


def check_batch_item_status(value: str) -> BatchItemStatus:
    if value in BATCH_ITEM_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {BATCH_ITEM_STATUS_VALUES!r}")
