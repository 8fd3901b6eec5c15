from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.party_type import PartyType, check_party_type

T = TypeVar("T", bound="Party")


@_attrs_define
class Party:
    """An actor that claims, denies, attacks, is attacked or is counted.

    Attributes:
        name (str): The name other entries refer to it by.
        type_ (PartyType): What kind of actor it is.
        aliases (list[str]): Other names the text uses for it, e.g. 'Baku' for Azerbaijan.
        affiliation (None | str): The party it speaks for or belongs to, by name; null when none.
        role (None | str): Its role, e.g. 'assistant to President Ilham Aliyev'; null when not stated.
    """

    name: str
    type_: PartyType
    aliases: list[str]
    affiliation: None | str
    role: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        type_: str = self.type_

        aliases = self.aliases

        affiliation: None | str
        affiliation = self.affiliation

        role: None | str
        role = self.role

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "type": type_,
                "aliases": aliases,
                "affiliation": affiliation,
                "role": role,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        type_ = check_party_type(d.pop("type"))

        aliases = cast(list[str], d.pop("aliases"))

        def _parse_affiliation(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        affiliation = _parse_affiliation(d.pop("affiliation"))

        def _parse_role(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        role = _parse_role(d.pop("role"))

        party = cls(
            name=name,
            type_=type_,
            aliases=aliases,
            affiliation=affiliation,
            role=role,
        )

        party.additional_properties = d
        return party

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
