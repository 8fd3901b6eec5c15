from typing import Literal

CreateBatchV1BatchesPostBodySummaryRequestFormat = Literal["html", "text"]

CREATE_BATCH_V1_BATCHES_POST_BODY_SUMMARY_REQUEST_FORMAT_VALUES: set[
    CreateBatchV1BatchesPostBodySummaryRequestFormat
] = {
    "html",
    "text",
}


def check_create_batch_v1_batches_post_body_summary_request_format(
    value: str,
) -> CreateBatchV1BatchesPostBodySummaryRequestFormat:
    if value in CREATE_BATCH_V1_BATCHES_POST_BODY_SUMMARY_REQUEST_FORMAT_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {CREATE_BATCH_V1_BATCHES_POST_BODY_SUMMARY_REQUEST_FORMAT_VALUES!r}"
    )
