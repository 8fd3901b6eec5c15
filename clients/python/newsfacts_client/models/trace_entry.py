from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.trace_entry_field import TraceEntryField, check_trace_entry_field
from ..models.trace_entry_outcome import TraceEntryOutcome, check_trace_entry_outcome

T = TypeVar("T", bound="TraceEntry")


@_attrs_define
class TraceEntry:
    """Why one entry looks as it does: the reading rules that shaped, added or dropped it.

    Attributes:
        field (TraceEntryField): The answer's field the entry belongs to.
        index (int | None): Position of the entry in its output list; null when it was dropped.
        outcome (TraceEntryOutcome): kept: the model's entry as proposed; changed: a rule rewrote part of it; added:
            read from the text by a rule, not proposed by the model; dropped: not passed on.
        rules (list[str]): Names of the rules that applied, in order.
        proposed (None | str): The model's proposal, briefly, when there was one.
    """

    field: TraceEntryField
    index: int | None
    outcome: TraceEntryOutcome
    rules: list[str]
    proposed: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        field: str = self.field

        index: int | None
        index = self.index

        outcome: str = self.outcome

        rules = self.rules

        proposed: None | str
        proposed = self.proposed

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "field": field,
                "index": index,
                "outcome": outcome,
                "rules": rules,
                "proposed": proposed,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        field = check_trace_entry_field(d.pop("field"))

        def _parse_index(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        index = _parse_index(d.pop("index"))

        outcome = check_trace_entry_outcome(d.pop("outcome"))

        rules = cast(list[str], d.pop("rules"))

        def _parse_proposed(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        proposed = _parse_proposed(d.pop("proposed"))

        trace_entry = cls(
            field=field,
            index=index,
            outcome=outcome,
            rules=rules,
            proposed=proposed,
        )

        trace_entry.additional_properties = d
        return trace_entry

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
