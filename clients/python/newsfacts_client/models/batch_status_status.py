from typing import Literal

BatchStatusStatus = Literal["done", "pending", "running"]

BATCH_STATUS_STATUS_VALUES: set[BatchStatusStatus] = {
    "done",
    "pending",
    "running",
}


def check_batch_status_status(value: str) -> BatchStatusStatus:
    if value in BATCH_STATUS_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {BATCH_STATUS_STATUS_VALUES!r}")
