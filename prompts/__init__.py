"""Versioned prompt templates.

Templates are rendered with Jinja in a sandbox with strict variables: a missing
variable is an error, never a hole. Article text is only ever a variable's *value*,
so ``{{`` or ``{%`` inside an article is never evaluated. The rendered messages are
handed to the model client as plain strings (no further templating).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, Template
from jinja2.sandbox import SandboxedEnvironment

PROMPT_VERSION = "v1.4"
"""Stamped into every output. Bump it whenever a template or the worked example changes."""

TEMPLATE_DIR = Path(__file__).parent / "v1"
FRAME = ("system.j2", "article.j2")
"""The templates every task shares; each of the other files asks one task's question."""


@lru_cache
def _env() -> SandboxedEnvironment:
    return SandboxedEnvironment(
        undefined=StrictUndefined, keep_trailing_newline=False, trim_blocks=True, lstrip_blocks=True
    )


@lru_cache
def _template_source(name: str) -> str:
    return (TEMPLATE_DIR / name).read_text(encoding="utf-8")


@lru_cache
def _template(name: str) -> Template:
    return _env().from_string(_template_source(name))


def render(name: str, **variables: object) -> str:
    return _template(name).render(**variables).strip()


@lru_cache
def system_prompt(language_name: str | None = None) -> str:
    """The system prompt; for an article not in English it asks for the article's own words."""
    return render("system.j2", language_name=language_name)


def task_source(name: str) -> str:
    """The text of one task's template, as written (its question to the model)."""
    return _template_source(name)


@lru_cache
def task_templates() -> tuple[str, ...]:
    """The templates that ask a task's question (the tasks are named in ``newsfacts.tasks``)."""
    return tuple(p.name for p in template_files() if p.name not in FRAME)


def messages(
    template: str, numbered_article: str, *, language_name: str | None = None
) -> list[dict[str, str]]:
    """Chat messages for one task, whose question is ``template`` (e.g. "parties.j2"). The system
    prompt and the article come first and are identical across tasks, so a server's prompt cache
    reuses them; the task comes last. ``language_name`` (e.g. "Spanish") is given for articles not
    in English."""
    if template not in task_templates():
        raise ValueError(f"unknown task template {template!r}; expected one of {task_templates()}")
    user = render("article.j2", numbered=numbered_article) + "\n\n" + render(template)
    return [{"role": "system", "content": system_prompt(language_name)}, {"role": "user", "content": user}]


_TASK = "\n\nTASK "  # every task template's question starts so, after the article


def _first_user_text(messages: list[dict[str, Any]]) -> str:
    """The text of the first user message (a string, or a provider's list of text blocks), which
    holds the article and the task's question; a re-ask keeps it and adds the correction after it."""
    user = next((m["content"] for m in messages if m.get("role") == "user"), "")
    if isinstance(user, str):
        return user
    return " ".join(b.get("text", "") for b in user if isinstance(b, dict)) if isinstance(user, list) else ""


def article_of(messages: list[dict[str, Any]]) -> str:
    """The part of one task's ``messages`` that every task of the same article (or window) shares:
    the article, without the system prompt and the task's question. It is read from the first user
    message, which a re-ask (its messages and the correction asked for) keeps too, up to the last
    task question (instructor may add its own instructions after it)."""
    return _first_user_text(messages).rpartition(_TASK)[0]


def task_of(messages: list[dict[str, Any]]) -> str:
    """The name of the task one call's ``messages`` ask ("parties"), from its question ("TASK
    parties: ..."), which the first user message ends with; "" if it asks none."""
    text = _first_user_text(messages)
    return text.rpartition(_TASK)[2].split(":", 1)[0] if _TASK in text else ""


def template_files() -> list[Path]:
    return sorted(p for p in TEMPLATE_DIR.iterdir() if p.is_file())
