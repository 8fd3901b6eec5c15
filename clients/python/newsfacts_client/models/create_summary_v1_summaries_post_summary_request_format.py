from typing import Literal

CreateSummaryV1SummariesPostSummaryRequestFormat = Literal["html", "text"]

CREATE_SUMMARY_V1_SUMMARIES_POST_SUMMARY_REQUEST_FORMAT_VALUES: set[
    CreateSummaryV1SummariesPostSummaryRequestFormat
] = {
    "html",
    "text",
}


def check_create_summary_v1_summaries_post_summary_request_format(
    value: str,
) -> CreateSummaryV1SummariesPostSummaryRequestFormat:
    if value in CREATE_SUMMARY_V1_SUMMARIES_POST_SUMMARY_REQUEST_FORMAT_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {CREATE_SUMMARY_V1_SUMMARIES_POST_SUMMARY_REQUEST_FORMAT_VALUES!r}"
    )
