from typing import Literal

TraceEntryField = Literal["casualties", "claims", "denials", "outlet", "parties"]

TRACE_ENTRY_FIELD_VALUES: set[TraceEntryField] = {
    "casualties",
    "claims",
    "denials",
    "outlet",
    "parties",
}


def check_trace_entry_field(value: str) -> TraceEntryField:
    if value in TRACE_ENTRY_FIELD_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {TRACE_ENTRY_FIELD_VALUES!r}")
