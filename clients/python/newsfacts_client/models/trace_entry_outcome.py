from typing import Literal

TraceEntryOutcome = Literal["added", "changed", "dropped", "kept"]

TRACE_ENTRY_OUTCOME_VALUES: set[TraceEntryOutcome] = {
    "added",
    "changed",
    "dropped",
    "kept",
}


def check_trace_entry_outcome(value: str) -> TraceEntryOutcome:
    if value in TRACE_ENTRY_OUTCOME_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {TRACE_ENTRY_OUTCOME_VALUES!r}")
