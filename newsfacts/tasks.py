"""The model's tasks: the one place that names them.

Each task is one model call per window of the article: the form the model fills
(``schemas.extraction``), the prompt template that asks for it (``prompts/v1/``), its output budget
and whether only the first window gets it. ``TASKS`` is the order the calls are made in: the first
fills a local server's prompt cache with the system prompt and the article, the others follow.
Prompts, the pipeline, the worker that reads the answers and the test stub all read this table.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

import prompts
from schemas.extraction import CasualtiesForm, ClaimsForm, DenialsForm, OverviewForm, PartiesForm


@dataclass(frozen=True)
class Task:
    """One model call: ``form`` filled from ``template`` within ``max_tokens``."""

    name: str
    form: type[BaseModel]
    template: str  # a file of prompts/v1/, rendered after the article
    max_tokens: int  # enough for a full answer, small enough that a looping model stops soon
    first_window_only: bool = False  # a long article's later windows do not get this call

    def messages(self, numbered_article: str, *, language_name: str | None = None) -> list[dict[str, str]]:
        """The chat messages of this task for an article given as numbered sentences."""
        return prompts.messages(self.template, numbered_article, language_name=language_name)


PARTIES = Task("parties", PartiesForm, "parties.j2", max_tokens=450)
OVERVIEW = Task("overview", OverviewForm, "overview.j2", max_tokens=120, first_window_only=True)
CASUALTIES = Task("casualties", CasualtiesForm, "casualties.j2", max_tokens=320)
CLAIMS = Task("claims", ClaimsForm, "claims.j2", max_tokens=420)
DENIALS = Task("denials", DenialsForm, "denials.j2", max_tokens=260)

TASKS: tuple[Task, ...] = (PARTIES, OVERVIEW, CASUALTIES, CLAIMS, DENIALS)
"""Every task, in the order of the calls on the first window."""

LATER_TASKS: tuple[Task, ...] = tuple(t for t in TASKS if not t.first_window_only)
"""The calls on each window after the first, in order."""

BY_NAME: dict[str, Task] = {t.name: t for t in TASKS}

LONGEST_ANSWER = max(t.max_tokens for t in TASKS)
"""The largest output budget of a call: a window leaves this much of the context free."""
