"""The integrators' clients (clients/, ``python -m clients.generate``): the committed ones are what the
service's OpenAPI document generates today, the Python client has one model per schema, and it works
against a real ``newsfacts serve`` (the loopback stub model answering) with API keys configured: it sends
the key, round-trips every endpoint and parses every error the service can be made to answer offline.
And a model generated from the checked-in JSON Schema by datamodel-code-generator accepts an answer
that carries a field the contract has not got yet."""

from __future__ import annotations

import importlib.util
import inspect
import json
import os
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import attrs
import httpx
import pytest

from api.guard import key_digest
from clients import generate
from newsfacts.embedded import free_port
from tests.helpers import HTTP, serve_process, wait_for, wait_ready
from tests.stub import ARTICLE, StubServer, slow, status

KEY, OTHER_KEY, THROTTLED_KEY = "nf-client-key", "nf-client-other", "nf-client-throttled"
RATE_LIMIT = 100  # per key and minute: far above what one test sends, except the one that tries
DEADLINE_S = 5  # per article; the stub answers in milliseconds unless told to be slow
MAX_ARTICLES = 3

# The tests through the generated client share one real service: they run on one worker, whose fork
# server (tests/forked.py) the webhooks' kill -9 test shares too.
pytestmark = [pytest.mark.xdist_group("forked_2"), pytest.mark.processes]


# --- the committed clients are current ----------------------------------------------------------


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> Path:
    """The clients generated now from the app's document, into a folder of their own."""
    out = tmp_path_factory.mktemp("clients")
    generate.generate(out, typescript=generate.typescript_generator() is not None)
    return out


def test_the_committed_python_client_and_document_are_current(fresh):
    stale = generate.stale_files(fresh, typescript=False)
    assert not stale, (
        f"stale: {stale}; run 'uv run --locked python -m clients.generate' and commit the result"
    )


def test_the_committed_typescript_types_are_current(fresh):
    if generate.typescript_generator() is None:
        reason = "openapi-typescript is not installed: run 'npm ci --prefix clients/typescript'"
        if os.environ.get("CI"):
            pytest.fail(reason + " (under CI it must be)")
        pytest.skip(reason)
    stale = generate.stale_files(fresh, typescript=True)
    assert not stale, (
        f"stale: {stale}; run 'uv run --locked python -m clients.generate' and commit the result"
    )
    types = (generate.TYPESCRIPT / generate.TYPES_FILE).read_text(encoding="utf-8")
    for name in ("ArticleSummary", "SummaryRequest", "BatchStatus", "ErrorResponse"):
        assert f"        {name}: {{" in types, f"no {name} among the TypeScript schemas"


def model_classes() -> dict[str, type]:
    """Every model class the Python client defines, by name."""
    import newsfacts_client.models as models

    return {name: cls for name, cls in inspect.getmembers(models, inspect.isclass) if attrs.has(cls)}


def wire_names(cls: type) -> frozenset[str]:
    """The JSON property names a generated model reads (its ``from_dict`` pops each by name)."""
    source = inspect.getsource(cls.from_dict)
    return frozenset(part.split('"')[1] for part in source.split("d.pop(")[1:])


def test_the_python_client_has_one_model_per_schema():
    classes = model_classes()
    assert {"SummaryRequest", "ArticleSummary", "BatchStatus", "ErrorResponse", "Casualty"} <= set(classes)
    numbered = [name for name in classes if name[-1].isdigit()]
    assert not numbered, f"numbered duplicates: {numbered}"
    by_fields: dict[frozenset[str], list[str]] = {}
    for name, cls in classes.items():
        fields = wire_names(cls)
        if len(fields) > 1:
            by_fields.setdefault(fields, []).append(name)
    duplicates = [names for names in by_fields.values() if len(names) > 1]
    assert not duplicates, f"models with the same properties under other names (inline copies): {duplicates}"
    document = json.loads(generate.DOCUMENT.read_text(encoding="utf-8"))
    body = document["paths"]["/v1/summaries"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/SummaryRequest"}


# --- the Python client against a real newsfacts serve -------------------------------------------


class Service:
    """A running ``newsfacts serve`` and its stub model; clients that record the headers they send."""

    def __init__(self, url: str, model: StubServer, store: Path) -> None:
        self.url, self.model, self.store = url, model, store
        self.sent: list[httpx.Request] = []

    def client(self, key: str | None = None, *, header: str = "Authorization", **httpx_args):
        from newsfacts_client import AuthenticatedClient, Client

        hooks = {"request": [self.sent.append, *httpx_args.pop("hooks", [])]}
        args = {"event_hooks": hooks, **httpx_args}
        if key is None:
            return Client(base_url=self.url, timeout=httpx.Timeout(30), httpx_args=args)
        prefix = "Bearer" if header == "Authorization" else ""
        return AuthenticatedClient(base_url=self.url, token=key, prefix=prefix, auth_header_name=header,
                                   timeout=httpx.Timeout(30), httpx_args=args)  # fmt: skip


@pytest.fixture(scope="module")
def service(tmp_path_factory) -> Iterator[Service]:
    """One real ``newsfacts serve`` for the module, with three API keys, a rate limit, a short deadline,
    a small batch cap, and a batch store it cannot open yet (a file stands where its folder goes)."""
    tmp = tmp_path_factory.mktemp("client-service")
    (tmp / "store").write_text("not a folder")
    with StubServer() as model, pytest.MonkeyPatch.context() as env:
        env.setenv(
            "NEWSFACTS_API_KEY_HASHES", ",".join(key_digest(k) for k in (KEY, OTHER_KEY, THROTTLED_KEY))
        )
        env.setenv("NEWSFACTS_RATE_LIMIT_PER_MINUTE", str(RATE_LIMIT))
        env.setenv("NEWSFACTS_REQUEST_TIMEOUT_S", str(DEADLINE_S))
        env.setenv("NEWSFACTS_TRANSPORT_RETRIES", "1")
        env.setenv("NEWSFACTS_VALIDATION_RETRIES", "1")
        env.setenv("NEWSFACTS_RETRY_WAIT_S", "0.01")
        env.setenv("NEWSFACTS_BATCH_MAX_ARTICLES", str(MAX_ARTICLES))
        env.setenv("NEWSFACTS_BATCH_RETRY_S", "0.2")
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        proc = serve_process(model.url, tmp / "store" / "batches.sqlite", port)
        try:
            wait_for(url, proc)
            # its model client's imports take seconds of CPU, minutes on a busy machine
            wait_ready(HTTP, url, timeout=180)
            yield Service(url, model, tmp / "store")
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def assert_error(response, status_code: int, code: str) -> None:
    """The answer is ``status_code`` and the client parsed it into its ErrorResponse model, whole."""
    from newsfacts_client.models import ErrorResponse

    assert response.status_code == status_code, response.content
    assert isinstance(response.parsed, ErrorResponse), response.parsed
    assert response.parsed.code == code, response.parsed
    assert response.parsed.message
    assert response.parsed.request_id == response.headers["x-request-id"]
    assert response.parsed.to_dict() == json.loads(response.content)


def test_a_summary_with_the_key_as_bearer_or_x_api_key(service):
    from newsfacts_client.api.summaries import create_summary
    from newsfacts_client.models import ArticleSummary, SummaryRequest

    service.model.script([], default="ok")
    for header in ("Authorization", "X-API-Key"):
        service.sent.clear()
        with service.client(KEY, header=header) as client:
            response = create_summary.sync_detailed(
                client=client, body=SummaryRequest(text=ARTICLE, title="Floods")
            )
        sent = service.sent[-1].headers
        assert sent[header] == (f"Bearer {KEY}" if header == "Authorization" else KEY)
        assert response.status_code == 200, response.content
        summary = response.parsed
        assert isinstance(summary, ArticleSummary)
        assert summary.to_dict() == json.loads(response.content)  # nothing lost or added on the way in
        assert summary.schema_version == "1"
        [killed] = summary.casualties
        assert (killed.kind, killed.count, killed.reported_by) == ("killed", 12, "Regional Emergency Service")
        assert ARTICLE[killed.quote.start : killed.quote.end] == killed.quote.text
        assert {p.name for p in summary.parties} >= {"Anna Berg", "Northwater"}
        assert summary.denials[0].denier == "Northwater"


def test_no_key_is_401_and_a_wrong_key_403_on_every_endpoint(service):
    from newsfacts_client.api.batches import create_batch, get_batch
    from newsfacts_client.api.summaries import create_summary
    from newsfacts_client.models import BatchRequest, SummaryRequest

    article = SummaryRequest(text=ARTICLE)
    calls = {
        "summary": lambda c: create_summary.sync_detailed(client=c, body=article),
        "batch": lambda c: create_batch.sync_detailed(client=c, body=BatchRequest(articles=[article])),
        "poll": lambda c: get_batch.sync_detailed("nope", client=c),
    }
    before = service.model.count
    for name, call in calls.items():
        with service.client() as client:
            assert_error(call(client), 401, "unauthorized")
        assert "authorization" not in service.sent[-1].headers and "x-api-key" not in service.sent[-1].headers
        with service.client("nf-not-a-key") as client:
            assert_error(call(client), 403, "forbidden")
        assert service.sent[-1].headers["authorization"] == "Bearer nf-not-a-key", name
    assert service.model.count == before  # no model call was made for any of them


def test_bad_input_is_413_415_422_each_parsed(service):
    from newsfacts_client.api.batches import create_batch
    from newsfacts_client.api.summaries import create_summary
    from newsfacts_client.models import BatchRequest, SummaryRequest

    def as_csv(request: httpx.Request) -> None:  # a proxy or a misconfigured client changes the type
        request.headers["content-type"] = "text/csv"

    with service.client(KEY) as client:
        assert_error(create_summary.sync_detailed(client=client, body=SummaryRequest(text="x" * 100_001)),
                     413, "text_too_large")  # fmt: skip
        many = BatchRequest(articles=[SummaryRequest(text=ARTICLE)] * (MAX_ARTICLES + 1))
        assert_error(create_batch.sync_detailed(client=client, body=many), 413, "text_too_large")
        assert_error(
            create_summary.sync_detailed(client=client, body=SummaryRequest(text="   ")), 422, "empty_text"
        )
        wrong = create_summary.sync_detailed(
            client=client, body=SummaryRequest(text=ARTICLE, language="english")
        )
        assert_error(wrong, 422, "invalid_request")
        assert wrong.parsed.details and any("language" in d.to_dict()["loc"] for d in wrong.parsed.details)
    with service.client(KEY, hooks=[as_csv]) as client:
        assert_error(create_summary.sync_detailed(client=client, body=SummaryRequest(text=ARTICLE)),
                     415, "unsupported_media_type")  # fmt: skip


def test_upstream_failures_are_502_and_504_each_parsed(service):
    from newsfacts_client.api.summaries import create_summary
    from newsfacts_client.models import SummaryRequest

    try:
        with service.client(KEY) as client:
            service.model.script([], default=status(500))
            assert_error(create_summary.sync_detailed(client=client, body=SummaryRequest(text=ARTICLE)),
                         502, "upstream_error")  # fmt: skip
            service.model.script([], default=slow(DEADLINE_S + 30))
            started = time.monotonic()
            assert_error(create_summary.sync_detailed(client=client, body=SummaryRequest(text=ARTICLE)),
                         504, "upstream_timeout")  # fmt: skip
            assert time.monotonic() - started < DEADLINE_S + 5
    finally:
        service.model.script([], default="ok")


def test_the_rate_limit_is_429_with_retry_after_parsed(service):
    from newsfacts_client.api.summaries import create_summary
    from newsfacts_client.models import SummaryRequest

    blank = SummaryRequest(text=" ")  # refused before any work, but counted against the key
    with service.client(THROTTLED_KEY) as client:
        for _ in range(2 * RATE_LIMIT):  # the bucket refills as they go
            response = create_summary.sync_detailed(client=client, body=blank)
            if response.status_code != 422:
                break
            assert_error(response, 422, "empty_text")
    assert_error(response, 429, "rate_limited")
    assert int(response.headers["retry-after"]) >= 1


def test_a_batch_is_503_until_its_store_opens_then_created_polled_and_private(service):
    from newsfacts_client.api.batches import create_batch, get_batch
    from newsfacts_client.models import ArticleSummary, BatchRequest, BatchStatus, SummaryRequest

    # One article at a time: the first gets the model's five answers, the second only failures.
    service.model.script(["ok"] * 5, default=status(500))
    body = BatchRequest(articles=[SummaryRequest(text=ARTICLE), SummaryRequest(text=ARTICLE + " Later.")])
    try:
        with service.client(KEY, header="X-API-Key") as client:
            assert_error(create_batch.sync_detailed(client=client, body=body), 503, "storage_unavailable")
            service.store.unlink()  # the store's folder can be made now; the service opens it on its own
            service.store.mkdir()
            end = time.monotonic() + 15
            while (created := create_batch.sync_detailed(client=client, body=body)).status_code == 503:
                assert time.monotonic() < end, "the batch store was never opened"
                time.sleep(0.3)
            assert created.status_code == 202, created.content
            assert isinstance(created.parsed, BatchStatus) and created.parsed.total == 2
            end = time.monotonic() + 30
            while True:
                polled = get_batch.sync_detailed(created.parsed.id, client=client)
                assert polled.status_code == 200, polled.content
                if polled.parsed.status == "done":
                    break
                assert time.monotonic() < end, polled.content
                time.sleep(0.2)
    finally:
        service.model.script([], default="ok")
    assert all(r.headers["x-api-key"] == KEY for r in service.sent[-2:])  # the last poll, and the one before
    batch = polled.parsed
    assert isinstance(batch, BatchStatus)
    answer = json.loads(polled.content)
    assert batch.created_at == datetime.fromisoformat(answer.pop("created_at"))
    assert {k: v for k, v in batch.to_dict().items() if k != "created_at"} == answer
    assert (batch.done, batch.failed) == (1, 1)
    first, second = batch.items
    assert isinstance(first.result, ArticleSummary) and first.result.casualties[0].count == 12
    assert second.status == "failed" and second.error.code == "upstream_error" and second.result is None
    with service.client(OTHER_KEY) as client:  # another key does not see it
        assert_error(get_batch.sync_detailed(created.parsed.id, client=client), 404, "not_found")


def test_health_readiness_and_metrics_through_the_client(service):
    from newsfacts_client.api.operations import get_health, get_metrics, get_readiness
    from newsfacts_client.models import Health, Readiness

    with service.client() as client:  # no key needed for these
        health = get_health.sync_detailed(client=client)
        assert health.status_code == 200 and isinstance(health.parsed, Health)
        assert health.parsed.to_dict() == json.loads(health.content)
        ready = get_readiness.sync_detailed(client=client)
        assert ready.status_code == 200 and isinstance(ready.parsed, Readiness), ready.content
        assert (ready.parsed.status, ready.parsed.model) == ("ready", "openai/stub-model")
        metrics = get_metrics.sync_detailed(client=client)
        assert metrics.status_code == 200 and b"newsfacts_articles_total" in metrics.content


# --- a model generated from the JSON Schema accepts an added field ------------------------------


def test_a_model_generated_from_the_json_schema_accepts_the_seed_answer_with_an_added_field(tmp_path):
    """datamodel-code-generator, as an integrator runs it on schemas/article_summary.schema.json. The
    seed's answer that the OpenAPI document shows (the service's own, its model calls replayed from the
    seed's cassette by scripts/openapi_examples.py) validates, and so does the same answer with a field
    that a later contract v1 may add (CONTRACT.md: fields are only ever added)."""
    from datamodel_code_generator import DataModelType, InputFileType
    from datamodel_code_generator import generate as generate_models
    from datamodel_code_generator.format import Formatter

    out = tmp_path / "article_summary_model.py"
    generate_models(generate.ROOT / "schemas" / "article_summary.schema.json", input_file_type=InputFileType.JsonSchema,
                    output=out, output_model_type=DataModelType.PydanticV2BaseModel,
                    formatters=[Formatter.BUILTIN])  # fmt: skip
    spec = importlib.util.spec_from_file_location("article_summary_model", out)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its annotations name its own classes
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    model = module.ArticleSummary

    document = json.loads(generate.DOCUMENT.read_text(encoding="utf-8"))
    seed = document["paths"]["/v1/summaries"]["post"]["responses"]["200"]["content"]["application/json"][
        "example"
    ]
    assert seed["outlet"]["name"] == "RT" and any(c["count"] == 12 for c in seed["casualties"]), seed
    assert model.model_validate(seed).casualties
    later = {**seed, "added_in_a_later_v1": {"anything": [1, 2]}}
    later["casualties"] = [{**c, "added_too": True} for c in seed["casualties"]]
    accepted = model.model_validate(later)
    assert len(accepted.casualties) == len(seed["casualties"])
