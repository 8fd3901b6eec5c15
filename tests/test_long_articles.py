"""Articles longer than the model's context window are read in overlapping windows of paragraphs.

Against the loopback stub server: the requests themselves show how the article was split.
"""

# ruff: noqa: F811  (the `stub` fixture is imported by name; tests take it as an argument)
from __future__ import annotations

import asyncio
import json
import re

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from newsfacts.errors import ContextOverflowError
from newsfacts.pipeline import Runtime, summarize
from newsfacts.reading.lexicon import lexicon
from newsfacts.reading.sentences import split_sentences as _split
from newsfacts.settings import Settings
from newsfacts.tasks import LONGEST_ANSWER
from newsfacts.windows import BYTES_PER_TOKEN, PROMPT_TOKENS, paragraphs, windows
from schemas.contract import ArticleSummary, SummaryRequest
from tests.conftest import DEVSET
from tests.helpers import wait_ready
from tests.stub import ARTICLE, overflow, stub  # noqa: F401


def split_sentences(text):
    return _split(text, lexicon("en"))


CONTEXT = 2048
BUDGET = CONTEXT - PROMPT_TOKENS - LONGEST_ANSWER


def long_article(paragraphs: int = 12) -> str:
    body = ARTICLE.split("\n", 1)[1]
    return ARTICLE.split("\n", 1)[0] + "\n" + "\n".join(body for _ in range(paragraphs))


def runtime(stub, **overrides) -> Runtime:
    settings = Settings(
        _env_file=None, model="openai/stub-model", api_base=stub.url, api_key="sk-test", cache_enabled=False,
        sequential_calls=True, retry_wait_s=0.01, **overrides,
    )  # fmt: skip
    return Runtime(settings)


def numbers_in(body: dict) -> list[int]:
    user = body["messages"][-1]["content"]
    return [int(n) for n in re.findall(r"^\[(\d+)\] ", user, re.MULTILINE)]


def cost(part) -> int:
    return sum((len(s.text.encode()) + 8) // BYTES_PER_TOKEN + 1 for s in part)


def check_windows(text: str, budget: int) -> list:
    sentences = split_sentences(text)
    parts = windows(sentences, budget, text)
    index = [s.index for s in sentences]
    covered: list[int] = []
    for n, part in enumerate(parts):
        numbers = [s.index for s in part]
        assert numbers == list(range(numbers[0], numbers[-1] + 1)), "a window is a consecutive run"
        assert cost(part) <= budget
        if n:
            repeated = [i for i in numbers if i <= parts[n - 1][-1].index]
            # The next window picks up where the last one ended, repeating at most a fifth of a budget.
            assert numbers[0] <= parts[n - 1][-1].index + 1
            assert cost([s for s in part if s.index in repeated]) <= budget // 5
        covered += numbers
    assert sorted(set(covered)) == index, "every sentence is read"
    return parts


def test_windows_are_whole_paragraphs_that_overlap_and_fit_the_budget() -> None:
    text = long_article()
    parts = check_windows(text, BUDGET)
    assert len(parts) > 1
    starts = {p[0].start for p in paragraphs(split_sentences(text), text)}
    for n, part in enumerate(parts):
        assert part[0].start in starts, "a window starts at a paragraph"
        assert text[part[-1].end :].startswith("\n") or part[-1].end == len(text.rstrip()), "and ends at one"
        if n:
            assert part[0].index <= parts[n - 1][-1].index, (
                "each later window repeats the end of the one before"
            )
    sentences = split_sentences(text)
    assert windows(sentences, 10**9, text) == [sentences]


def test_a_paragraph_longer_than_a_window_is_cut_between_sentences() -> None:
    body = ARTICLE.split("\n", 1)[1]
    text = "Headline\n" + " ".join(body for _ in range(40)) + "\nA last short paragraph."
    parts = check_windows(text, 300)
    assert len(parts) > 2
    assert parts[-1][-1].text == "A last short paragraph."


def test_a_long_article_is_read_window_by_window(stub) -> None:
    text = long_article()
    expected = windows(split_sentences(text), BUDGET, text)

    async def go():
        async with runtime(stub, context_tokens=CONTEXT) as rt:
            return await summarize(SummaryRequest(text=text), runtime=rt)

    summary = asyncio.run(go())
    forms = stub.forms()
    # The whole set of calls on the first window; no second overview on the later ones.
    assert forms[:5] == ["parties", "overview", "casualties", "claims", "denials"]
    assert forms[5:] == ["parties", "casualties", "claims", "denials"] * (len(expected) - 1)
    seen = [numbers_in(body) for body in stub.bodies]
    firsts = [numbers[0] for numbers in seen]
    assert sorted(set(firsts)) == [part[0].index for part in expected]
    # Sentence numbers are the whole article's, so quotes keep their offsets in the whole text.
    for casualty in summary.casualties:
        assert text[casualty.quote.start : casualty.quote.end] == casualty.quote.text


def test_an_article_that_fits_is_one_window(stub) -> None:
    async def go():
        async with runtime(stub) as rt:
            return await summarize(SummaryRequest(text=ARTICLE), runtime=rt)

    asyncio.run(go())
    assert stub.forms() == ["parties", "overview", "casualties", "claims", "denials"]


def test_context_overflow_is_a_clear_413_and_not_retried(stub) -> None:
    stub.script([overflow()])

    async def go():
        async with runtime(stub, context_tokens=10**6) as rt:
            await summarize(SummaryRequest(text=ARTICLE), runtime=rt)

    with pytest.raises(ContextOverflowError, match="context window"):
        asyncio.run(go())
    assert stub.count == 1

    stub.script([overflow()])
    settings = Settings(_env_file=None, model="openai/stub-model", api_base=stub.url, api_key="sk-test",
                        cache_enabled=False, context_tokens=10**6)  # fmt: skip
    with TestClient(create_app(settings)) as client:
        wait_ready(client)
        response = client.post("/v1/summaries", json={"text": ARTICLE})
    assert response.status_code == 413
    assert response.json()["code"] == "article_too_long_for_model"
    assert set(response.json()) >= {"code", "message"}


ANSWERS = DEVSET.parent / "answers" / "qwen2.5-coder-1.5b.yaml"
LIVE_BLOG = "b09-longblog-flood-germany"


def test_the_long_dev_set_live_blog_on_the_embedded_models_answers() -> None:
    """The 53 kB dev-set live blog on the embedded model's recorded answers (``evals/answers/``,
    kept by ``newsfacts eval --answers``; replayed strictly, matched on the request body): every
    window is read, the windows overlap, and every quote sits at its offsets in the whole text."""
    import vcr

    from evals.labels import load_case
    from evals.records import RunResults
    from evals.runner import run_eval
    from evals.scoring import casualty_matches

    case = load_case(DEVSET / f"{LIVE_BLOG}.json")
    settings = Settings(
        _env_file=None, model="openai/qwen2.5-coder-1.5b", api_base="http://127.0.0.1:8090/v1",
        api_key="sk-embedded", sequential_calls=True, cache_enabled=False, context_tokens=8192,
        request_timeout_s=600,
    )  # fmt: skip

    async def go() -> RunResults:
        async with Runtime(settings) as rt:
            return await run_eval([case], runtime=rt, progress=False)

    replay = vcr.VCR(record_mode="none", match_on=["method", "path", "body"], decode_compressed_response=True)
    with replay.use_cassette(str(ANSWERS), allow_playback_repeats=True) as cassette:
        results = asyncio.run(go())
        bodies = [json.loads(cassette.requests[i].body) for i in sorted(cassette.play_counts)]
    record = results.cases[0]
    assert record.error is None, record.error
    summary = ArticleSummary.model_validate(record.output)

    expected = windows(split_sentences(case.text), 8192 - PROMPT_TOKENS - LONGEST_ANSWER, case.text)
    assert len(expected) > 2
    assert all(expected[n][0].index <= expected[n - 1][-1].index for n in range(1, len(expected)))
    firsts = {numbers_in(body)[0] for body in bodies}
    assert firsts == {part[0].index for part in expected}, "every window was read, from its first sentence"
    for quote in [c.quote for c in summary.casualties] + [d.quote for d in summary.denials if d.quote]:
        assert case.text[quote.start : quote.end] == quote.text
    found = [c for c in case.label.casualties if any(casualty_matches(out, c) for out in summary.casualties)]
    assert found, "no labelled figure of the live blog was found"
