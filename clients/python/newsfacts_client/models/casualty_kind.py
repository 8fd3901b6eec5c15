from typing import Literal

CasualtyKind = Literal["captured", "displaced", "injured", "killed", "missing"]

CASUALTY_KIND_VALUES: set[CasualtyKind] = {
    "captured",
    "displaced",
    "injured",
    "killed",
    "missing",
}


def check_casualty_kind(value: str) -> CasualtyKind:
    if value in CASUALTY_KIND_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CASUALTY_KIND_VALUES!r}")
