"""The batch core: one backend protocol that both backends keep, and one error mapping for every door."""

from __future__ import annotations

import inspect
import logging
from typing import Any

import pytest

from newsfacts import batchcore
from newsfacts.batchcore import BatchBackend, ItemOutcome, item_error, run_item
from newsfacts.batches import LocalBatches
from newsfacts.errors import CallbackRefusedError, UpstreamTimeoutError
from newsfacts.queue import QueueBatches
from newsfacts.webhooks import Callback
from schemas.contract import SummaryRequest

REQUEST = SummaryRequest(text="Officials said 3 people were injured.")


def _signature(method: Any) -> list[tuple[str, Any, Any, Any]]:
    return [(p.name, p.kind, p.default, p.annotation) for p in inspect.signature(method).parameters.values()]


@pytest.mark.parametrize("backend", [LocalBatches, QueueBatches])
@pytest.mark.parametrize("name", ["start", "stop", "create", "status"])
def test_both_batch_backends_keep_the_protocol(backend: type, name: str) -> None:
    method = getattr(backend, name)
    assert inspect.iscoroutinefunction(method)
    assert _signature(method) == _signature(getattr(BatchBackend, name)), backend.__name__


async def test_the_queue_backend_refuses_a_callback() -> None:
    with pytest.raises(CallbackRefusedError) as refused:
        await QueueBatches("redis://127.0.0.1:9/0").create(
            [REQUEST], callback=Callback(url="https://example.org/hook", events=("batch.finished",))
        )
    assert refused.value.code == "callback_url_refused"


def _pipeline(monkeypatch: pytest.MonkeyPatch, outcome: Any) -> None:
    async def summarize(request: SummaryRequest, **_: Any) -> Any:
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    monkeypatch.setattr(batchcore, "summarize", summarize)


async def test_a_newsfacts_error_is_its_code_and_message(monkeypatch, caplog) -> None:
    failure = UpstreamTimeoutError("no answer within the deadline of 1 s (NEWSFACTS_REQUEST_TIMEOUT_S)")
    _pipeline(monkeypatch, failure)

    outcome = await run_item(REQUEST, runtime=None, log=logging.getLogger("t"))  # type: ignore[arg-type]

    assert outcome.result is None and outcome.exception is failure
    assert (outcome.error.code, outcome.error.message) == ("upstream_timeout", failure.message)
    assert not caplog.records  # an error the service names is not a defect


async def test_anything_else_is_an_internal_error_logged_with_its_traceback(monkeypatch, caplog) -> None:
    _pipeline(monkeypatch, KeyError("speaker"))

    outcome = await run_item(REQUEST, runtime=None, log=logging.getLogger("t"), what="a test article")  # type: ignore[arg-type]

    assert (outcome.error.code, outcome.error.message) == ("internal_error", "'speaker'")
    [record] = caplog.records
    assert record.getMessage() == "a test article failed" and record.exc_info is not None
    assert item_error(RuntimeError()).message == "RuntimeError"  # never an empty message
    assert len(item_error(RuntimeError("x" * 1000)).message) == 300


async def test_a_summary_is_the_result(monkeypatch) -> None:
    _pipeline(monkeypatch, "summary")

    assert await run_item(REQUEST, runtime=None) == ItemOutcome(result="summary")  # type: ignore[arg-type]
