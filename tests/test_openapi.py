"""The OpenAPI document as a client generator reads it, and the docs pages as a newsroom without
internet sees them.

- Stable operation ids and tags; the request bodies by reference; security schemes; every error
  response with its codes and headers; an example on every operation (the seed's real answer).
- Answers are open to added fields (the response schemas and the checked-in JSON Schema), requests
  are strict.
- ``/docs`` (Swagger UI) and ``/redoc`` render in headless Chromium from a real uvicorn server with
  every request that is not to loopback blocked.
"""

# ruff: noqa: F811  (fixtures are imported by name)
from __future__ import annotations

import asyncio
import json
import re
from importlib.metadata import version
from urllib.parse import urlsplit

import jsonschema
import pytest
from fastapi.testclient import TestClient

from api import errors as api_errors
from api.app import create_app
from api.openapi import EXAMPLES_PATH
from newsfacts import errors
from schemas.batch import BatchRequest, BatchStatus
from schemas.contract import ArticleSummary, ErrorResponse, SummaryRequest
from tests.browser import browser  # noqa: F401
from tests.conftest import ROOT, SEED
from tests.helpers import SCHEMA, assert_seed, make_runtime, make_settings, serve
from tests.stub import stub  # noqa: F401

OPERATIONS = {
    ("post", "/v1/summaries"): ("createSummary", "summaries"),
    ("post", "/v1/batches"): ("createBatch", "batches"),
    ("get", "/v1/batches/{batch_id}"): ("getBatch", "batches"),
    ("get", "/healthz"): ("getHealth", "operations"),
    ("get", "/readyz"): ("getReadiness", "operations"),
    ("get", "/metrics"): ("getMetrics", "operations"),
}
KEYED = {"createSummary", "createBatch", "getBatch"}


@pytest.fixture(scope="module")
def doc() -> dict:
    """The document as served at /openapi.json."""
    from newsfacts.settings import Settings

    settings = Settings(_env_file=None, model="openai/stub-model", api_base="http://127.0.0.1:9/v1")
    with TestClient(create_app(settings, runtime=make_runtime(settings))) as client:
        response = client.get("/openapi.json")
    assert response.status_code == 200
    return response.json()


def operations(doc: dict):
    for path, methods in doc["paths"].items():
        for method, operation in methods.items():
            yield method, path, operation


def resolve(doc: dict, schema: dict) -> dict:
    ref = schema.get("$ref")
    return doc["components"]["schemas"][ref.rsplit("/", 1)[1]] if ref else schema


def closed_schemas(doc: dict | None, schema: dict, seen: set[str] | None = None) -> list[str]:
    """Titles of the object schemas reachable from ``schema`` that refuse added fields (components
    followed by ``$ref`` in ``doc``; with no ``doc``, a schema that carries its own ``$defs``)."""
    seen = set() if seen is None else seen
    found = []
    if isinstance(schema, dict):
        if "$ref" in schema and doc is not None:
            name = schema["$ref"].rsplit("/", 1)[1]
            if name not in seen:
                seen.add(name)
                found += closed_schemas(doc, doc["components"]["schemas"][name], seen)
        if schema.get("additionalProperties") is False:
            found.append(schema.get("title", "?"))
        for value in schema.values():
            if isinstance(value, dict | list):
                found += closed_schemas(doc, value, seen)
    elif isinstance(schema, list):
        for value in schema:
            found += closed_schemas(doc, value, seen)
    return found


# --- operations -----------------------------------------------------------------------------------


def test_operation_ids_tags_and_security(doc):
    seen = {(method, path): (op["operationId"], op["tags"][0]) for method, path, op in operations(doc)}
    assert seen == OPERATIONS
    assert [t["name"] for t in doc["tags"]] == ["summaries", "batches", "operations"]
    schemes = doc["components"]["securitySchemes"]
    assert schemes["bearerAuth"] == {**schemes["bearerAuth"], "type": "http", "scheme": "bearer"}
    assert schemes["apiKeyHeader"] == {
        **schemes["apiKeyHeader"],
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
    }
    for _, _, op in operations(doc):
        expected = [{"bearerAuth": []}, {"apiKeyHeader": []}] if op["operationId"] in KEYED else None
        assert op.get("security") == expected, op["operationId"]
    assert not any(path.startswith(("/docs", "/redoc", "/review")) for path in doc["paths"])


def test_info_version_is_the_package_version(doc):
    assert doc["info"]["version"] == version("newsfacts")


def test_request_bodies_are_by_reference_and_strict(doc):
    body = doc["paths"]["/v1/summaries"]["post"]["requestBody"]
    assert body["required"] is True
    assert set(body["content"]) == {"application/json", "text/html", "text/plain"}
    assert body["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/SummaryRequest"}
    batch = doc["paths"]["/v1/batches"]["post"]["requestBody"]["content"]
    assert batch == {
        "application/json": {
            **batch["application/json"],
            "schema": {"$ref": "#/components/schemas/BatchRequest"},
        }
    }
    components = doc["components"]["schemas"]
    # One model each: no inline copy a generator would turn into a duplicate class.
    assert [name for name in components if name.startswith("SummaryRequest")] == ["SummaryRequest"]
    assert (
        resolve(doc, components["BatchRequest"]["properties"]["articles"]["items"])
        is components["SummaryRequest"]
    )
    for name in ("SummaryRequest", "BatchRequest"):
        assert components[name]["additionalProperties"] is False
    # Metadata of a text/html or text/plain body goes in the query string, declared there.
    params = {p["name"]: p["in"] for p in doc["paths"]["/v1/summaries"]["post"]["parameters"]}
    assert params == {"explain": "query", "title": "query", "url": "query", "outlet": "query"}


def test_responses_are_open_to_added_fields(doc):
    for _, _, op in operations(doc):
        for status, response in op["responses"].items():
            for media in response.get("content", {}).values():
                assert closed_schemas(doc, media["schema"]) == [], (op["operationId"], status)
    assert closed_schemas(None, SCHEMA) == []
    # Every field is documented, in the document and in the checked-in file.
    for name in ("ArticleSummary", "Casualty", "Party", "Claim", "Denial", "Quote", "Outlet", "Usage", "Grounding",
                 "TraceEntry", "BatchStatus", "BatchItem", "ItemError", "ErrorResponse", "SummaryRequest"):  # fmt: skip
        for field, spec in doc["components"]["schemas"][name]["properties"].items():
            assert spec.get("description") or resolve(doc, spec).get("description"), f"{name}.{field}"
    assert SCHEMA["properties"]["service_version"]["description"]


def test_an_answer_with_an_added_field_validates_against_the_checked_in_schema():
    answer = json.loads(EXAMPLES_PATH.read_text(encoding="utf-8"))["createSummary"]["response"]
    answer = {**answer, "sentiment": "grim"}
    answer["casualties"] = [{**answer["casualties"][0], "confidence": 0.9}, *answer["casualties"][1:]]
    jsonschema.validate(answer, SCHEMA)
    assert ArticleSummary.model_validate(answer).casualties[0].count == answer["casualties"][0]["count"]
    # Requests stay strict.
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(
            {"text": "x", "colour": "red"},
            json.loads((ROOT / "schemas" / "summary_request.schema.json").read_text()),
        )


# --- errors ---------------------------------------------------------------------------------------


def test_every_error_response_lists_its_codes_with_the_error_shape_and_headers(doc):
    codes_by_status: dict[str, set[str]] = {}
    for _, _, op in operations(doc):
        for status, response in op["responses"].items():
            if status.startswith("2"):
                assert "X-Request-ID" in response["headers"], op["operationId"]
                continue
            assert response["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/ErrorResponse"
            }
            assert "X-Request-ID" in response["headers"]
            assert ("Retry-After" in response["headers"]) == (status == "429"), (op["operationId"], status)
            listed = set(re.findall(r"^- `([a-z_]+)`", response["description"], re.M))
            assert listed, (op["operationId"], status)
            for code in listed:
                assert api_errors.ERRORS[code].status == int(status)
            codes_by_status.setdefault(status, set()).update(listed)
    summary = doc["paths"]["/v1/summaries"]["post"]["responses"]
    assert "`queue_unavailable`" in doc["paths"]["/v1/batches"]["post"]["responses"]["503"]["description"]
    assert {"rate_limited", "overloaded"} <= set(re.findall(r"`([a-z_]+)`", summary["429"]["description"]))
    assert set(summary) >= {"401", "403", "408", "413", "415", "422", "429", "502", "503", "504"}
    # Every code a caller can get is documented somewhere (499: the caller has gone; 405/500: any route).
    documented = set().union(*codes_by_status.values())
    assert set(api_errors.ERRORS) - documented == {
        "client_closed_request",
        "internal_error",
        "method_not_allowed",
        "invalid_input",
    }


def test_each_error_maps_to_the_status_of_its_code():
    classes = [errors.TextTooLargeError, errors.ContextOverflowError, errors.UpstreamTimeoutError,
               errors.QueueUnavailableError, errors.StorageUnavailableError, api_errors.BodyTooLargeError]  # fmt: skip
    for cls in classes:
        exc = cls.__new__(cls)
        assert api_errors.status_for(exc) == api_errors.ERRORS[cls.code].status

    class NewInputError(errors.InputError):  # a code the table does not know: its base's status
        code = "brand_new"

    assert api_errors.status_for(NewInputError("x")) == 422


def test_the_readme_error_table_lists_every_code_with_its_status():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\d{3}) \| (.+?) \|", readme, re.M)
    table = {code: int(status) for status, codes in rows for code in re.findall(r"`([a-z_]+)`", codes)}
    for code, spec in api_errors.ERRORS.items():
        if spec.status not in (405, 499, 500) and code != "invalid_input":
            assert table.get(code) == spec.status, code


def test_a_bad_query_parameter_is_reported_as_the_query(stub):
    settings = make_settings(stub)
    with TestClient(create_app(settings, runtime=make_runtime(settings))) as client:
        summary = client.post("/v1/summaries?explain=maybe", json={"text": "x"})
        batch = client.get("/v1/batches/abc?items=perhaps")
        body = client.post("/v1/summaries", json={"text": 42})
    for response, name in ((summary, "explain"), (batch, "items")):
        assert response.status_code == 422
        error = response.json()
        assert error["code"] == "invalid_request"
        assert "query string" in error["message"] and repr(name) in error["message"], error
        assert "body" not in error["message"]
        assert error["details"][0]["loc"] == ["query", name]
    assert body.status_code == 422 and "request body" in body.json()["message"]
    assert len(stub.requests) == 0


# --- examples -------------------------------------------------------------------------------------


def test_every_operation_has_an_example_request_and_answer(doc):
    for method, _, op in operations(doc):
        if method == "post":
            content = op["requestBody"]["content"]["application/json"]
            model = SummaryRequest if op["operationId"] == "createSummary" else BatchRequest
            model.model_validate(content["example"])
        answers = [r for s, r in op["responses"].items() if s.startswith("2")]
        assert len(answers) == 1 and all("example" in m for m in answers[0]["content"].values()), op[
            "operationId"
        ]
    summary = doc["paths"]["/v1/summaries"]["post"]
    assert summary["requestBody"]["content"]["text/plain"]["example"] == SEED.read_text(encoding="utf-8")
    answer = summary["responses"]["200"]["content"]["application/json"]["example"]
    jsonschema.validate(answer, SCHEMA)
    assert_seed(ArticleSummary.model_validate(answer), SEED.read_text(encoding="utf-8"))
    assert answer["service_version"] == version("newsfacts")
    batch = doc["paths"]["/v1/batches/{batch_id}"]["get"]["responses"]["200"]["content"]["application/json"][
        "example"
    ]
    status = BatchStatus.model_validate(batch)
    assert status.status == "done" and status.items and status.items[0].result is not None
    error = ErrorResponse.model_validate({"code": "x", "message": "y"})  # the error shape stays constructible
    assert error.request_id is None


@pytest.mark.recorded
def test_the_example_answer_is_the_seed_replayed_now():
    """api/examples.json is not stale: the seed, replayed from its cassette through the pipeline
    now, gives the same answer (the time it took aside). Regenerate with
    'uv run --locked python scripts/openapi_examples.py'."""
    from newsfacts.pipeline import Runtime, summarize
    from scripts.openapi_examples import replay, settings

    runtime = Runtime(settings())
    asyncio.run(runtime.start())
    with replay():
        summary = asyncio.run(
            summarize(SummaryRequest(text=SEED.read_text(encoding="utf-8")), runtime=runtime)
        )
    example = json.loads(EXAMPLES_PATH.read_text(encoding="utf-8"))["createSummary"]["response"]
    now = summary.model_dump(mode="json")
    for answer in (now, example):
        # The time it took, and the price: litellm's lookup for a local model string depends on what
        # earlier calls in the same process left in its tables (None alone, 0.0 after others).
        answer["usage"].pop("latency_ms")
        answer["usage"].pop("cost_usd")
    assert now == example, (
        "api/examples.json is stale: run 'uv run --locked python scripts/openapi_examples.py'"
    )


# --- the docs pages, offline ----------------------------------------------------------------------


def blocked_outside(page) -> list[str]:
    """Let only loopback requests through; returns the list that the refused ones are put in."""
    refused: list[str] = []

    def route(r) -> None:
        host = urlsplit(r.request.url).hostname
        if host in ("127.0.0.1", "localhost"):
            r.continue_()
        else:
            refused.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    return refused


def test_docs_and_redoc_render_with_the_network_blocked(stub, browser):
    settings = make_settings(stub)
    app = create_app(settings, runtime=make_runtime(settings))
    with serve(app) as base:
        page = browser.new_page()
        refused = blocked_outside(page)
        page.goto(f"{base}/docs")
        page.wait_for_selector(".opblock", timeout=20_000)
        shown = page.locator(".opblock .opblock-summary-operation-id").all_inner_texts()
        assert sorted(shown) == sorted(op for op, _ in OPERATIONS.values())
        assert page.locator(".btn.authorize").count() == 1  # the security schemes' Authorize button
        tags = [text.split("\n")[0] for text in page.locator(".opblock-tag").all_inner_texts()]
        assert tags == ["summaries", "batches", "operations"]

        page.goto(f"{base}/redoc")
        page.wait_for_selector("[data-section-id='operation/createSummary']", timeout=20_000)
        assert "Summarise one article" in page.inner_text("body")
        assert refused == []
        page.close()
    headers = TestClient(app).get("/docs").headers
    assert "default-src 'self'" in headers["content-security-policy"]
