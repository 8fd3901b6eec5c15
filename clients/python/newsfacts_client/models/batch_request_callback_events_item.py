from typing import Literal

BatchRequestCallbackEventsItem = Literal["article.finished", "batch.finished"]

BATCH_REQUEST_CALLBACK_EVENTS_ITEM_VALUES: set[BatchRequestCallbackEventsItem] = {
    "article.finished",
    "batch.finished",
}


def check_batch_request_callback_events_item(value: str) -> BatchRequestCallbackEventsItem:
    if value in BATCH_REQUEST_CALLBACK_EVENTS_ITEM_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {BATCH_REQUEST_CALLBACK_EVENTS_ITEM_VALUES!r}")
