"""Upstream faults against a real OpenAI-compatible HTTP server on loopback (tests/stub.py).

Every test counts the requests that reached the server: transport retries (429, 5xx, bad
bodies, resets, timeouts) and validation re-asks are separate budgets that never multiply.
"""

# ruff: noqa: F811  (the `stub` fixture is imported by name; tests take it as an argument)
from __future__ import annotations

import time

import pytest

from newsfacts.errors import UpstreamError, UpstreamTimeoutError
from newsfacts.llm import CallStats, ModelClient
from newsfacts.pipeline import Runtime, summarize
from newsfacts.reading.lexicon import lexicon
from newsfacts.reading.sentences import number_sentences
from newsfacts.reading.sentences import split_sentences as _split
from newsfacts.settings import Settings
from newsfacts.tasks import BY_NAME
from schemas.contract import SummaryRequest
from schemas.extraction import OverviewForm, PartiesForm
from tests.helpers import HTTP, assert_full_summary, stub_client
from tests.stub import (  # noqa: F401
    ARTICLE,
    CANNED,
    COMPLETION_TOKENS,
    PHANTOM,
    PROMPT_TOKENS,
    ok,
    slow,
    status,
    stub,
)


def split_sentences(text):
    return _split(text, lexicon("en"))


TASKS = ["parties", "overview", "casualties", "claims", "denials"]


def make_client(stub, **overrides) -> ModelClient:
    return stub_client(stub.url, **overrides)


def make_runtime(stub, *, request_timeout_s: float = 60.0, sequential: bool = True, **client) -> Runtime:
    settings = Settings(
        _env_file=None,
        model="openai/stub-model",
        api_base=stub.url,
        request_timeout_s=request_timeout_s,
        max_text_bytes=100_000,
        sequential_calls=sequential,
    )
    return Runtime(settings, client=make_client(stub, **client))


async def extract(client: ModelClient, task: str = "casualties", *, timeout: float = 10.0):
    """One ModelClient.extract call on the stub article; returns (result, stats)."""
    stats = CallStats()
    numbered = number_sentences(split_sentences(ARTICLE))
    result = await client.extract(
        BY_NAME[task].form,
        BY_NAME[task].messages(numbered),
        stats=stats,
        deadline=time.monotonic() + timeout,
        task=task,
    )
    return result, stats


async def extract_error(client: ModelClient, task: str = "casualties", *, timeout: float = 10.0):
    stats = CallStats()
    numbered = number_sentences(split_sentences(ARTICLE))
    with pytest.raises((UpstreamError, UpstreamTimeoutError)) as info:
        await client.extract(
            BY_NAME[task].form,
            BY_NAME[task].messages(numbered),
            stats=stats,
            deadline=time.monotonic() + timeout,
            task=task,
        )
    return info.value, stats


def canned(task: str) -> dict:
    """The canned answer for ``task`` as the form dumps it (compare with ``result.model_dump()``:
    instructor attaches the raw completion to a result as a private attribute)."""
    return BY_NAME[task].form.model_validate(CANNED[task]).model_dump()


# --- the happy path ---------------------------------------------------------------------------


async def test_summarize_makes_five_calls_and_grounds_everything(stub):
    summary = await summarize(SummaryRequest(text=ARTICLE), runtime=make_runtime(stub))

    assert stub.forms() == TASKS
    assert_full_summary(summary)
    assert summary.usage.prompt_tokens == 5 * PROMPT_TOKENS
    assert summary.usage.completion_tokens == 5 * COMPLETION_TOKENS
    body = stub.requests[0].body
    assert body["model"] == "stub-model"
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["name"] == "PartiesForm"
    assert stub.requests[0].headers["authorization"] == "Bearer sk-test"


async def test_summarize_in_parallel_sends_the_same_five_calls(stub):
    summary = await summarize(SummaryRequest(text=ARTICLE), runtime=make_runtime(stub, sequential=False))

    forms = stub.forms()
    assert forms[0] == "parties"  # first, alone: it fills the server's prompt cache
    assert sorted(forms) == sorted(TASKS)
    assert_full_summary(summary)


# --- (a) 429 then success ---------------------------------------------------------------------


async def test_429_then_success_retries_once(stub):
    stub.script([status(429, retry_after=0)])

    result, stats = await extract(make_client(stub))

    assert result.model_dump() == canned("casualties")
    assert stub.count == 2
    assert [r.behaviour.kind for r in stub.requests] == ["status", "ok"]
    assert (stats.upstream_calls, stats.transport_retries, stats.validation_retries) == (2, 1, 0)
    # A transport retry resends the very same request; it is not a re-ask.
    assert stub.requests[0].body == stub.requests[1].body
    assert stats.prompt_tokens == PROMPT_TOKENS  # the 429 used no tokens
    assert [c["task"] for c in stats.calls] == ["casualties"]


async def test_429_on_the_first_call_of_an_article(stub):
    stub.script([status(429, retry_after=0)])

    summary = await summarize(SummaryRequest(text=ARTICLE), runtime=make_runtime(stub))

    assert stub.forms() == ["parties", *TASKS]
    assert_full_summary(summary)
    assert summary.usage.prompt_tokens == 5 * PROMPT_TOKENS


async def test_retry_after_is_honoured(stub):
    stub.script([status(429, retry_after=0.4)])

    result, stats = await extract(make_client(stub))

    assert result.model_dump() == canned("casualties")
    first, second = stub.requests
    assert second.at - first.at >= 0.4
    assert stats.transport_retries == 1


async def test_backoff_follows_retry_wait_s(stub):
    """Waits are retry_wait_s, then twice that, each plus at most retry_wait_s of jitter."""
    stub.script([status(500), status(500)])

    result, stats = await extract(make_client(stub, retry_wait_s=0.2))

    assert result.model_dump() == canned("casualties")
    t = [r.at for r in stub.requests]
    assert len(t) == 3
    assert 0.2 <= t[1] - t[0] < 0.4 + 0.25
    assert 0.4 <= t[2] - t[1] < 0.6 + 0.25
    assert stats.transport_retries == 2


# --- (b) 500 until the retries run out ----------------------------------------------------------


async def test_500_until_retries_run_out(stub):
    stub.script([], default=status(500))

    err, stats = await extract_error(make_client(stub))

    assert type(err) is UpstreamError
    assert err.code == "upstream_error"
    assert "'casualties'" in err.message and "HTTP 500" in err.message
    # transport_retries=3 requests, not 3 x validation_retries=2.
    assert stub.count == 3
    assert (stats.upstream_calls, stats.transport_retries, stats.validation_retries) == (3, 2, 0)
    assert stats.calls == [] and stats.prompt_tokens == 0


async def test_500_fails_the_article_after_three_requests(stub):
    stub.script([], default=status(500))

    with pytest.raises(UpstreamError) as info:
        await summarize(SummaryRequest(text=ARTICLE), runtime=make_runtime(stub))

    assert "'parties'" in info.value.message
    assert stub.forms() == ["parties"] * 3  # the first call failed: no other call was sent


async def test_transport_retries_setting_is_the_request_budget(stub):
    stub.script([], default=status(502))

    await extract_error(make_client(stub, transport_retries=5))

    assert stub.count == 5


async def test_a_client_error_is_not_retried(stub):
    stub.script([status(400)])

    err, stats = await extract_error(make_client(stub))

    assert type(err) is UpstreamError
    assert "HTTP 400" in err.message
    assert stub.count == 1
    assert stats.transport_retries == 0


# --- (c) slower than the deadline ---------------------------------------------------------------


async def test_slow_upstream_times_out_at_the_deadline(stub):
    stub.script([], default=slow(3))
    runtime = make_runtime(stub, request_timeout_s=1.0)

    started = time.monotonic()
    with pytest.raises(UpstreamTimeoutError) as info:
        await summarize(SummaryRequest(text=ARTICLE), runtime=runtime)
    elapsed = time.monotonic() - started

    assert 0.9 <= elapsed < 1.6
    assert info.value.code == "upstream_timeout"
    assert stub.count == 1  # nothing is retried once the deadline has passed


async def test_slow_single_call_times_out_at_its_deadline(stub):
    stub.script([slow(3)])

    started = time.monotonic()
    err, stats = await extract_error(make_client(stub), timeout=1.0)
    elapsed = time.monotonic() - started

    assert type(err) is UpstreamTimeoutError
    assert 0.9 <= elapsed < 1.6
    assert stub.count == 1
    assert stats.upstream_calls == 1


async def test_slow_but_within_the_deadline_succeeds(stub):
    stub.script([slow(0.3)])

    result, stats = await extract(make_client(stub), timeout=3.0)

    assert result.model_dump() == canned("casualties")
    assert stub.count == 1 and stats.transport_retries == 0


async def test_the_deadline_covers_the_whole_article(stub):
    """Each call is within the deadline on its own; together they are not."""
    stub.script([], default=slow(0.35))
    runtime = make_runtime(stub, request_timeout_s=1.0)

    started = time.monotonic()
    with pytest.raises(UpstreamTimeoutError):
        await summarize(SummaryRequest(text=ARTICLE), runtime=runtime)

    assert time.monotonic() - started < 1.6
    assert stub.forms() == ["parties", "overview", "casualties"]


# --- (d) output that does not validate ----------------------------------------------------------


async def test_invalid_schema_then_ok_is_one_reask(stub):
    stub.script(["invalid_schema"])

    result, stats = await extract(make_client(stub))

    assert result.model_dump() == canned("casualties")
    assert stub.count == 2
    assert (stats.upstream_calls, stats.transport_retries, stats.validation_retries) == (2, 0, 1)
    # The re-ask shows the model its invalid answer and the validation error.
    first, second = (r.body["messages"] for r in stub.requests)
    assert second[: len(first)] == first
    assert second[len(first)] == {"role": "assistant", "content": '{"figures": "nope"}'}
    assert second[-1]["role"] == "user" and "figures" in second[-1]["content"]
    # Both attempts' tokens are counted.
    assert stats.prompt_tokens == 2 * PROMPT_TOKENS
    assert stats.completion_tokens == 2 * COMPLETION_TOKENS


async def test_invalid_schema_always_fails_after_validation_retries(stub):
    stub.script([], default="invalid_schema")

    err, stats = await extract_error(make_client(stub))

    assert type(err) is UpstreamError
    assert err.attempts == 2
    assert err.message.startswith("the model's answer to the 'casualties' call did not match the schema")
    assert "after 2 attempts" in err.message
    assert "figures" in err.message
    assert stub.count == 2  # validation_retries=2 requests, not 2 x transport_retries=3
    assert (stats.upstream_calls, stats.transport_retries, stats.validation_retries) == (2, 0, 1)


async def test_invalid_schema_fails_the_article(stub):
    stub.script([], default="invalid_schema")

    with pytest.raises(UpstreamError) as info:
        await summarize(SummaryRequest(text=ARTICLE), runtime=make_runtime(stub))

    assert "'parties'" in info.value.message and "did not match the schema" in info.value.message
    assert stub.forms() == ["parties", "parties"]


async def test_transport_and_validation_budgets_stay_separate(stub):
    """A 500 inside a re-ask is retried on the transport budget of that attempt."""
    stub.script([status(500), "invalid_schema", status(500), "ok"])

    result, stats = await extract(make_client(stub))

    assert result.model_dump() == canned("casualties")
    assert stub.count == 4
    assert (stats.upstream_calls, stats.transport_retries, stats.validation_retries) == (4, 2, 1)


# --- (e) garbage, 503, reset --------------------------------------------------------------------

FAULTS = {"garbage": "garbage", "503": status(503), "reset": "reset"}


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
async def test_transport_fault_once_is_retried(stub, fault):
    stub.script([fault])

    result, stats = await extract(make_client(stub))

    assert result.model_dump() == canned("casualties")
    assert stub.count == 2
    assert (stats.transport_retries, stats.validation_retries) == (1, 0)


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
async def test_transport_fault_always_is_a_clear_upstream_error(stub, fault):
    stub.script([], default=fault)

    err, stats = await extract_error(make_client(stub))

    assert type(err) is UpstreamError
    assert err.message.startswith("the model call 'casualties' failed (")
    assert stub.count == 3
    assert (stats.upstream_calls, stats.transport_retries) == (3, 2)
    if fault == status(503):
        assert "HTTP 503" in err.message


async def test_reset_in_the_middle_of_an_article(stub):
    stub.script(["ok", "ok", "reset"])  # parties, overview, then casualties is reset once

    summary = await summarize(SummaryRequest(text=ARTICLE), runtime=make_runtime(stub))

    assert stub.forms() == ["parties", "overview", "casualties", "casualties", "claims", "denials"]
    assert_full_summary(summary)


# --- (f) truncated JSON ---------------------------------------------------------------------------


async def test_truncated_list_keeps_only_complete_items(stub):
    stub.script(["truncated_json"])

    result, stats = await extract(make_client(stub), task="parties")

    assert isinstance(result, PartiesForm)
    assert result.model_dump() == canned("parties")  # the three complete parties, nothing more
    assert PHANTOM not in result.model_dump_json()
    assert stub.count == 1  # a cut-off answer is not re-asked
    assert stats.truncated == 1
    assert stats.prompt_tokens == PROMPT_TOKENS


async def test_truncated_inside_the_only_item_keeps_no_item(stub):
    """No complete item before the cut: the list is empty; the partial item is not kept."""
    stub.script([ok('{"figures": [{"figure": "99 people were killed", "kind": "kil', finish_reason="length")])

    result, stats = await extract(make_client(stub))

    assert result.model_dump() == {"figures": []}
    assert stats.truncated == 1 and stub.count == 1


async def test_truncated_overview_inside_its_first_sentence_is_an_upstream_error(stub):
    stub.script(["truncated_json"])  # cut a few words into the summary

    err, stats = await extract_error(make_client(stub), task="overview")

    assert type(err) is UpstreamError
    assert err.message == (
        "the model's answer to the 'overview' call was cut off at its token limit and holds nothing complete"
    )
    assert stub.count == 1
    assert stats.truncated == 0


async def extract_within(client: ModelClient, task: str, budget: int):
    """One ModelClient.extract call with the task's own kind of output budget; returns (result, stats)."""
    stats = CallStats()
    numbered = number_sentences(split_sentences(ARTICLE))
    form, messages = BY_NAME[task].form, BY_NAME[task].messages(numbered)
    result = await client.extract(
        form, messages, stats=stats, deadline=time.monotonic() + 10, task=task, max_tokens=budget
    )
    return result, stats


async def test_overview_cut_inside_its_first_sentence_is_asked_once_more_with_twice_the_budget(stub):
    """A summary whose first sentence does not fit the budget is a long sentence, not a loop: the
    call is made once more with twice the budget, and both answers' tokens are counted."""
    stub.script(["truncated_json", "ok"])

    result, stats = await extract_within(make_client(stub), "overview", 120)

    assert result.model_dump() == canned("overview")
    assert [body["max_tokens"] for body in stub.bodies] == [120, 240]
    assert [call["task"] for call in stats.calls] == ["overview", "overview"]
    assert stats.completion_tokens == sum(call["completion_tokens"] for call in stats.calls) > 0
    assert stats.truncated == 0


async def test_overview_cut_inside_its_first_sentence_twice_is_an_upstream_error(stub):
    stub.script(["truncated_json", "truncated_json"])

    with pytest.raises(
        UpstreamError, match="'overview' call was cut off at its token limit and holds nothing"
    ):
        await extract_within(make_client(stub), "overview", 120)

    assert [body["max_tokens"] for body in stub.bodies] == [120, 240]


async def test_a_list_answer_cut_with_nothing_complete_is_not_asked_again(stub):
    """Only a form of plain fields gets the larger budget: a list answer with nothing complete
    before its budget is not cut inside one long sentence."""
    stub.script([ok("Sure! Here is the JSON you asked for: {", finish_reason="length")])

    with pytest.raises(UpstreamError, match="cut off"):
        await extract_within(make_client(stub), "casualties", 320)

    assert stub.count == 1


async def test_truncated_overview_keeps_its_complete_sentences_only(stub):
    cut = ('{"outlet": "Reuters", "section": "World", "summary": "Floods killed 12 people. '
           'The mayor blamed the dam operator. Rescue teams were still search')  # fmt: skip
    stub.script([ok(cut, finish_reason="length")])

    result, stats = await extract(make_client(stub), task="overview")

    assert result.model_dump() == {"outlet": "Reuters", "section": "World",
                                   "summary": "Floods killed 12 people. The mayor blamed the dam operator."}  # fmt: skip
    assert stats.truncated == 1 and stub.count == 1


async def test_truncated_overview_cut_before_its_last_field_is_an_upstream_error(stub):
    stub.script([ok('{"outlet": "Reuters", "sect', finish_reason="length")])

    err, _ = await extract_error(make_client(stub), task="overview")

    assert type(err) is UpstreamError and "cut off" in err.message


async def test_truncated_garbage_is_an_upstream_error(stub):
    stub.script([ok("Sure! Here is the JSON you asked for: {", finish_reason="length")])

    err, _ = await extract_error(make_client(stub), task="casualties")

    assert type(err) is UpstreamError
    assert "cut off" in err.message
    assert stub.count == 1


async def test_truncated_answer_in_an_article(stub):
    stub.script(["ok", "ok", "truncated_json"])  # casualties is cut off

    summary = await summarize(SummaryRequest(text=ARTICLE), runtime=make_runtime(stub))

    assert stub.forms() == TASKS
    assert_full_summary(summary)  # one figure: the complete one
    assert "99" not in summary.model_dump_json(exclude={"usage"})  # its latency may be 99 ms
    assert PHANTOM not in summary.model_dump_json()


def test_overview_form_requires_every_field():
    """The invalid_schema answer for overview really is invalid (guards the stub)."""
    from pydantic import ValidationError

    from tests.stub import INVALID

    for task, data in INVALID.items():
        with pytest.raises(ValidationError):
            BY_NAME[task].form.model_validate(data)
    assert OverviewForm.model_validate(CANNED["overview"]).summary.startswith("Floods killed 12")


# --- the stub itself ------------------------------------------------------------------------------


def test_the_stub_stops_promptly_and_frees_its_port():
    """stop() ends a pending slow answer at once and closes the listening socket."""
    import socket
    import threading

    import httpx

    from tests.stub import StubServer

    server = StubServer().start()
    server.script([slow(30)])
    host, port = server.url.split("//")[1].split("/")[0].split(":")
    outcome: list[object] = []

    def call() -> None:
        try:
            outcome.append(HTTP.post(server.url + "/chat/completions", json={}, timeout=10).status_code)
        except httpx.HTTPError as exc:
            outcome.append(exc)

    caller = threading.Thread(target=call)
    caller.start()
    while server.count == 0:
        time.sleep(0.01)
    started = time.monotonic()
    server.stop()
    caller.join(timeout=5)

    assert time.monotonic() - started < 1.0
    assert not caller.is_alive() and isinstance(outcome[0], httpx.TransportError)
    assert not server._thread.is_alive()
    with pytest.raises(ConnectionRefusedError), socket.create_connection((host, int(port)), timeout=1):
        pass
