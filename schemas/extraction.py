"""The forms the model fills: short, capped, described for the model.

They are not the public contract (``schemas.contract``): the model names sentences by
number and writes figures as they appear; code computes quotes, offsets and values.
List caps end the loops small models fall into. Strings carry no length bounds: a
grammar-constrained server expands each bound into rules that slow sampling many times over.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from schemas.contract import CasualtyKind


class _Form(BaseModel):
    model_config = ConfigDict(extra="ignore")


class OverviewForm(_Form):
    """Who published the article and what it says."""

    outlet: str | None = Field(
        description="The news outlet that published the article (from a title suffix, byline, dateline or "
        "'Source:' line), or null. Not an agency cited as a source.",
    )
    section: str | None = Field(description="The outlet's section, if named, or null.")
    summary: str = Field(
        description="One neutral sentence of at most 30 words; contested facts are attributed ('X says').",
    )


class PartiesForm(_Form):
    """The parties by name only: code works out each one's type, aliases, role and affiliation."""

    parties: list[str] = Field(max_length=10, description="Each party's name as the article gives it.")


class FigureItem(_Form):
    figure: str = Field(
        description="The article's words giving the figure, copied exactly: '12 people dead'."
    )
    kind: CasualtyKind
    reported_by: str | None = Field(description="Who gives the figure; null if anonymous.")
    caused_by: str | None = Field(description="Who that source blames; null if no one.")


class CasualtiesForm(_Form):
    figures: list[FigureItem] = Field(max_length=8)


class ClaimItem(_Form):
    sentence: int = Field(ge=1)
    claimant: str = Field(description="Who asserts it, as named in the article.")
    target: str | None = Field(description="The party accused or concerned, or null.")


class ClaimsForm(_Form):
    claims: list[ClaimItem] = Field(max_length=6)


class DenialItem(_Form):
    sentence: int = Field(ge=1)
    denier: str = Field(description="Who denies, as named in the article.")
    denied: str = Field(description="What is denied, paraphrased.")
    responds_to: str | None = Field(description="Whose claim is denied, or null.")


class DenialsForm(_Form):
    denials: list[DenialItem] = Field(max_length=6)
