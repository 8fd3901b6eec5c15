from typing import Literal

SummaryRequestFormat = Literal["html", "text"]

SUMMARY_REQUEST_FORMAT_VALUES: set[SummaryRequestFormat] = {
    "html",
    "text",
}


def check_summary_request_format(value: str) -> SummaryRequestFormat:
    if value in SUMMARY_REQUEST_FORMAT_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {SUMMARY_REQUEST_FORMAT_VALUES!r}")
