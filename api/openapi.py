"""The OpenAPI document: FastAPI's, plus what generators need that routes cannot say themselves.

- ``SummaryRequest`` and ``BatchRequest`` as components: their bodies are read by hand (an article
  may also come as text/html or text/plain), so the routes refer to them by ``$ref``.
- An example request and answer on every operation, from ``api/examples.json``: real answers of the
  service, written by ``scripts/openapi_examples.py`` (the seed article replayed from its cassette).
- ``info.version`` is the package version.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic.json_schema import models_json_schema

from newsfacts.version import VERSION
from schemas.batch import BatchRequest
from schemas.contract import SummaryRequest

EXAMPLES_PATH = Path(__file__).resolve().parent / "examples.json"
REQUEST_MODELS = (SummaryRequest, BatchRequest)
TAGS = [
    {
        "name": "summaries",
        "description": "One article in, its attributed, verifiable facts out (contract v1).",
    },
    {"name": "batches", "description": "Many articles, stored durably and summarised in the background."},
    {"name": "operations", "description": "Liveness, readiness and metrics for operators."},
]
DESCRIPTION = (
    "newsfacts turns a news article into attributed, verifiable facts: the outlet, the parties, who claims "
    "what, every casualty figure with who reported it and whom they blame, and every denial, each backed by "
    "a quote that is really in the article, with its offsets.\n\n"
    "Every error has one shape (`ErrorResponse`: `code`, `message`, `request_id`, `details`); each error "
    "response below lists its codes. Every answer carries an `X-Request-ID` header. Answers may gain fields "
    "within contract v1: ignore the ones you do not know."
)


@cache
def examples() -> dict[str, dict[str, Any]]:
    """Each operation's example request and answer, by operation id."""
    loaded: dict[str, dict[str, Any]] = json.loads(EXAMPLES_PATH.read_text(encoding="utf-8"))
    return loaded


def build(app: FastAPI) -> dict[str, Any]:
    """The whole document for ``app``."""
    doc = get_openapi(
        title=app.title, version=VERSION, summary=app.summary, description=DESCRIPTION,
        routes=app.routes, tags=TAGS,
    )  # fmt: skip
    _add_request_models(doc)
    for operations in doc["paths"].values():
        for operation in operations.values():
            _add_examples(operation, examples()[operation["operationId"]])
    return doc


def install(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build(app)
        return app.openapi_schema

    # FastAPI's documented way to serve a custom document: replace the app's openapi method
    app.openapi = openapi  # type: ignore[method-assign]


def _add_request_models(doc: dict[str, Any]) -> None:
    _, schema = models_json_schema(
        [(model, "validation") for model in REQUEST_MODELS], ref_template="#/components/schemas/{model}"
    )
    components = doc.setdefault("components", {}).setdefault("schemas", {})
    for name, definition in schema["$defs"].items():
        if name in components and components[name] != definition:
            raise RuntimeError(f"two different schemas are named {name!r}")
        components[name] = definition


def _add_examples(operation: dict[str, Any], sample: dict[str, Any]) -> None:
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        content["application/json"]["example"] = sample["request"]
    if "text/plain" in content:
        content["text/plain"]["example"] = sample["request"]["text"]
    for status, response in operation["responses"].items():
        if status.startswith("2"):
            for media in response.setdefault("content", {}).values():
                media["example"] = sample["response"]
