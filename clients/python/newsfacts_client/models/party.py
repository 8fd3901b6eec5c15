from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.party_type import PartyType, check_party_type
from ..types import UNSET, Unset

T = TypeVar("T", bound="Party")


@_attrs_define
class Party:
    """
    Attributes:
        name (str):
        type_ (PartyType):
        aliases (list[str] | Unset):
        affiliation (None | str | Unset):
        role (None | str | Unset):
    """

    name: str
    type_: PartyType
    aliases: list[str] | Unset = UNSET
    affiliation: None | str | Unset = UNSET
    role: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        type_: str = self.type_

        aliases: list[str] | Unset = UNSET
        if not isinstance(self.aliases, Unset):
            aliases = self.aliases

        affiliation: None | str | Unset
        if isinstance(self.affiliation, Unset):
            affiliation = UNSET
        else:
            affiliation = self.affiliation

        role: None | str | Unset
        if isinstance(self.role, Unset):
            role = UNSET
        else:
            role = self.role

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "type": type_,
            }
        )
        if aliases is not UNSET:
            field_dict["aliases"] = aliases
        if affiliation is not UNSET:
            field_dict["affiliation"] = affiliation
        if role is not UNSET:
            field_dict["role"] = role

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        type_ = check_party_type(d.pop("type"))

        aliases = cast(list[str], d.pop("aliases", UNSET))

        def _parse_affiliation(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        affiliation = _parse_affiliation(d.pop("affiliation", UNSET))

        def _parse_role(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        role = _parse_role(d.pop("role", UNSET))

        party = cls(
            name=name,
            type_=type_,
            aliases=aliases,
            affiliation=affiliation,
            role=role,
        )

        return party
