from typing import Literal

CasualtyVictims = Literal["civilians", "combatants", "mixed", "unspecified"]

CASUALTY_VICTIMS_VALUES: set[CasualtyVictims] = {
    "civilians",
    "combatants",
    "mixed",
    "unspecified",
}


def check_casualty_victims(value: str) -> CasualtyVictims:
    if value in CASUALTY_VICTIMS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CASUALTY_VICTIMS_VALUES!r}")
