from typing import Literal

PartyType = Literal[
    "armed_group", "government_body", "media", "military", "official", "organization", "other", "population", "state"
]

PARTY_TYPE_VALUES: set[PartyType] = {
    "armed_group",
    "government_body",
    "media",
    "military",
    "official",
    "organization",
    "other",
    "population",
    "state",
}


def check_party_type(value: str) -> PartyType:
    if value in PARTY_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {PARTY_TYPE_VALUES!r}")
