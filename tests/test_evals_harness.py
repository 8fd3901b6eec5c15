"""The eval harness around the scorer: runner, cache, history comparison, report, CLI (no model)."""

from __future__ import annotations

import contextlib
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml

import evals.cli as cli
import evals.runner as runner
from evals.history import History, RunRecord, compare, pin_baseline
from evals.labels import Case, load_cases
from evals.records import ErrorRecord, RunResults
from evals.report import write_html
from newsfacts import batchcore
from newsfacts.cache import ResultCache
from schemas.contract import ArticleSummary, Casualty, Grounding, Outlet, Quote, SummaryRequest, Usage

DEVSET = Path(__file__).resolve().parent.parent / "evals" / "devset"
IDS = ("a01-wire-shelling-kharkiv", "b13-neg-sport-derby-rout")


@pytest.fixture()
def devset(tmp_path: Path) -> Path:
    """A two-case copy of the dev set: one with casualties, one negative."""
    target = tmp_path / "devset"
    target.mkdir()
    for case_id in IDS:
        for path in DEVSET.glob(f"{case_id}.*"):
            shutil.copy(path, target / path.name)
    return target


def answer(case: Case, *, good: bool) -> ArticleSummary:
    """A prediction from the label itself (good) or an empty one with the wrong outlet (bad)."""
    casualties = []
    if good:
        for c in case.label.casualties:
            start = case.text.index(c.evidence)
            casualties.append(
                Casualty(
                    kind=c.kind,
                    count=c.count,
                    min=c.min,
                    max=c.max,
                    approximate=False,
                    victims=c.victims,
                    reported_by=c.reported_by[0] if c.reported_by else None,
                    quote=Quote(text=c.evidence, start=start, end=start + len(c.evidence)),
                )
            )
    return ArticleSummary(
        outlet=Outlet(name=case.label.outlet.name) if good and case.label.outlet else None,
        headline=None,
        summary="s",
        parties=[],
        claims=[],
        casualties=casualties,
        denials=[],
        grounding=Grounding(quotes_total=len(casualties), quotes_verified=len(casualties), quotes_dropped=0),
        model="fake/model",
        prompt_version="test",
        usage=Usage(prompt_tokens=100, completion_tokens=10, latency_ms=1234, cost_usd=0.001),
    )


def fake_summarize(cases: list[Case], *, good: bool, fail: frozenset[str] = frozenset()) -> Any:
    by_text = {c.text: c for c in cases}
    calls: list[str] = []

    async def summarize(request: SummaryRequest, *, runtime: Any, **_: Any) -> ArticleSummary:
        case = by_text[request.text]
        calls.append(case.id)
        if case.id in fail:
            raise RuntimeError("model exploded")
        return answer(case, good=good)

    summarize.calls = calls  # type: ignore[attr-defined]
    return summarize


async def test_run_eval_scores_caches_and_survives_errors(
    devset: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases = load_cases(devset)
    fake = fake_summarize(cases, good=True, fail=frozenset({IDS[1]}))
    monkeypatch.setattr(batchcore, "summarize", fake)
    rt = SimpleNamespace(model_name="fake/model")
    with ResultCache(tmp_path / "cache.sqlite") as cache:
        results = await runner.run_eval(cases, runtime=rt, concurrency=2, cache=cache, progress=False)
        by_id = {c.id: c for c in results.cases}
        assert by_id[IDS[0]].error is None and by_id[IDS[0]].scores.casualties.recall == 1.0
        assert by_id[IDS[1]].error.message == "model exploded" and by_id[IDS[1]].macro == 0.0
        assert results.run.schema_version == "1" and results.run.n_errors == 1
        assert results.latency.p50_ms is not None
        assert results.usage.total_tokens == 110
        assert RunResults.model_validate_json(results.to_json()) == results  # results.json reads back
        # Second run: the good case comes from the cache, the failed one is tried again.
        again = await runner.run_eval(cases, runtime=rt, cache=cache, progress=False)
    assert fake.calls.count(IDS[0]) == 1 and fake.calls.count(IDS[1]) == 2
    assert {c.id: c.cached for c in again.cases} == {IDS[0]: True, IDS[1]: False}
    assert again.usage.cached_cases == 1 and again.usage.this_run.total_tokens == 0


async def test_the_eval_cache_keeps_a_forced_instructor_mode_apart(
    devset: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases = load_cases(devset)[:1]
    fake = fake_summarize(cases, good=True)
    monkeypatch.setattr(batchcore, "summarize", fake)
    with ResultCache(tmp_path / "cache.sqlite") as cache:
        for mode in (None, "json", "json", None):
            rt = SimpleNamespace(model_name="fake/model", settings=SimpleNamespace(instructor_mode=mode))
            await runner.run_eval(cases, runtime=rt, cache=cache, progress=False)
    assert len(fake.calls) == 2  # one run per mode; each mode's second run comes from the cache


async def test_rescore_needs_no_model(devset: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cases = load_cases(devset)
    monkeypatch.setattr(batchcore, "summarize", fake_summarize(cases, good=True))
    results = await runner.run_eval(cases, runtime=SimpleNamespace(model_name="m"), progress=False)

    async def forbidden(*a: Any, **k: Any) -> None:
        raise AssertionError("rescore called the model")

    monkeypatch.setattr(batchcore, "summarize", forbidden)
    rescored = runner.rescore_results(RunResults.model_validate_json(results.to_json()), cases)
    assert rescored.fields == results.fields
    assert rescored.run.rescored_from == results.run.run_id


def _results(cases: list[Case], good: bool, run_id: str, started: str) -> RunResults:
    records = [runner._case_record(c, answer(c, good=good), None, 1000, False) for c in cases]
    return runner.build_results({"run_id": run_id, "started_at": started, "model": "m"}, records)


def test_history_compare_reports_drops_and_worse_cases(devset: Path, tmp_path: Path) -> None:
    cases = load_cases(devset)
    good, bad = (
        _results(cases, True, "r1", "2024-01-01T00:00:00"),
        _results(cases, False, "r2", "2024-01-02T00:00:00"),
    )
    path = tmp_path / "history.sqlite"
    with History(path) as history:
        history.record(good)
        assert history.previous() is not None and history.previous().run_id == "r1"
        history.record(bad)
        previous = history.previous("r2")
        assert previous is not None and previous.run_id == "r1"
    pin_baseline("r1", path)
    with History(path) as history:
        assert history.baseline_id() == "r1"
        result = compare(history.get("r2"), previous, history.baseline(), threshold=0.05)
        rows = history.rows()
    assert result.regressed
    dropped = {d.field for d in result.dropped}
    assert {"casualties_f1", "outlet", "macro"} <= dropped
    assert result.worse_case_ids() == [IDS[0], IDS[1]]  # both lost their outlet; a01 its casualties
    assert list(result.references) == ["previous"]  # the baseline is the same run: compared once
    assert [r["run_id"] for r in rows] == ["r1", "r2"] and rows[0]["is_baseline"]

    # No drop beyond the threshold: nothing reported.
    same = compare(RunRecord.from_results(good), _results(cases, True, "r0", "2023-12-31T00:00:00"), None)
    assert not same.regressed and not same.worse_cases


def test_compare_uses_shared_cases_only(devset: Path) -> None:
    cases = load_cases(devset)
    full = _results(cases, True, "r1", "2024-01-01T00:00:00")
    subset = _results(cases[:1], True, "r2", "2024-01-02T00:00:00")
    result = compare(subset, full, None)
    assert result.shared_cases == {"previous": 1} and not result.regressed


def test_report_is_self_contained(devset: Path, tmp_path: Path) -> None:
    cases = load_cases(devset)
    results = _results(cases, True, "r1", "2024-01-01T00:00:00")
    rows = [
        {"run_id": "r0", "started_at": "x", "macro": 0.4, "model": "m", "is_baseline": True},
        {"run_id": "r1", "started_at": "y", "macro": 0.8, "model": "m", "is_baseline": False},
    ]
    path = write_html(results, rows, tmp_path / "out" / "report.html")
    html = path.read_text(encoding="utf-8")
    assert path.exists() and "<svg" in html
    assert html.count("<svg") >= 4  # bars, heat map, histogram, trend
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=\s*[\"']?https?:", html, re.I)
    assert not re.search(r"https?://", html)
    assert IDS[0] in html


def test_cli_runs_compares_and_rescores(
    devset: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = load_cases(devset)

    class FakeRuntime:
        model_name = "fake/model"

        def __init__(self, settings: Any) -> None:
            pass

        async def __aenter__(self) -> FakeRuntime:
            return self

        async def __aexit__(self, *exc: object) -> None:
            return None

    monkeypatch.setattr(cli, "Runtime", FakeRuntime)
    common = [
        "--dir",
        str(devset),
        "--history",
        str(tmp_path / "h.sqlite"),
        "--no-progress",
        "--cache-db",
        str(tmp_path / "c.sqlite"),
    ]

    monkeypatch.setattr(batchcore, "summarize", fake_summarize(cases, good=True))
    assert cli.main([*common, "--out", str(tmp_path / "run1"), "--pin-baseline"]) == 0
    assert (tmp_path / "run1" / "results.json").exists() and (tmp_path / "run1" / "report.html").exists()

    monkeypatch.setattr(batchcore, "summarize", fake_summarize(cases, good=False))
    assert cli.main([*common, "--no-cache", "--out", str(tmp_path / "run2")]) == 1
    out = capsys.readouterr().out
    assert "DROP" in out and IDS[0] in out

    # Re-scoring the good run needs no model and does not regress against the bad one.
    monkeypatch.setattr(batchcore, "summarize", None)
    code = cli.main(
        [
            *common,
            "--rescore",
            str(tmp_path / "run1" / "results.json"),
            "--out",
            str(tmp_path / "run3"),
            "--only",
            "a01-*",
        ]
    )
    assert code == 0
    rescored = json.loads((tmp_path / "run3" / "results.json").read_text())
    assert [c["id"] for c in rescored["cases"]] == [IDS[0]]


def test_nightly_workflow_runs_the_eval_cli_with_flags_it_accepts() -> None:
    import shlex

    import yaml

    path = Path(__file__).resolve().parent.parent / ".github" / "workflows" / "nightly-evals.yml"
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert "schedule" in workflow[True]  # YAML 1.1 reads the key `on` as True
    steps = workflow["jobs"]["evals"]["steps"]
    script = next(s["run"] for s in steps if "newsfacts eval" in s.get("run", ""))
    command = script[script.index("newsfacts eval") :].replace("\\\n", " ").splitlines()[0]
    command = re.sub(r'"\$\{\{[^}]*\}\}"', "0.05", command).replace("$pin", "")
    args = cli.build_parser().parse_args(shlex.split(command)[2:])
    assert str(args.history).endswith("history.sqlite") and str(args.out) == "evals-report"
    assert args.junit is not None and args.junit.parent == args.out  # kept with the report artifact
    assert any(s.get("uses", "").startswith("actions/upload-artifact") for s in steps)


@contextlib.contextmanager
def answers_run(
    devset: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Any, Path, list[str]]]:
    """The loopback stub server as the model, an answers file, and the eval arguments that keep it."""
    from tests.stub import StubServer

    with StubServer() as stub:
        for key, value in {"NEWSFACTS_MODEL": "openai/stub-model", "NEWSFACTS_API_BASE": stub.url,
                           "NEWSFACTS_API_KEY": "sk-test"}.items():  # fmt: skip
            monkeypatch.setenv(key, value)
        answers = tmp_path / "answers.yaml"
        common = ["--dir", str(devset), "--history", str(tmp_path / "h.sqlite"), "--no-progress",
                  "--answers", str(answers)]  # fmt: skip
        yield stub, answers, common


def test_answers_file_replays_model_calls_and_asks_only_new_ones(
    devset: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--answers keeps the model's HTTP answers: a second run re-scores with no model call (real loopback
    stub server as the model)."""
    with answers_run(devset, tmp_path, monkeypatch) as (stub, answers, common):
        cli.main([*common, "--out", str(tmp_path / "run1")])
        first = stub.count
        assert first == 5 * len(IDS)  # five calls per article, all asked
        assert answers.exists() and "sk-test" not in answers.read_text()
        cli.main([*common, "--out", str(tmp_path / "run2")])
        assert stub.count == first  # all replayed
        one, two = (json.loads((tmp_path / run / "results.json").read_text()) for run in ("run1", "run2"))

        def outputs(results: dict) -> list[dict]:
            return [{k: v for k, v in c["output"].items() if k != "usage"} for c in results["cases"]]

        assert outputs(one) == outputs(two)


def test_drop_unused_answers_keeps_only_what_the_run_asked(
    devset: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--drop-unused-answers: of each article the run asked about, the answers no request asked for
    leave the file; the answers of articles it did not ask about stay (one file serves two suites)."""
    with answers_run(devset, tmp_path, monkeypatch) as (stub, answers, common):

        def interactions() -> list[dict[str, Any]]:
            return yaml.safe_load(answers.read_text())["interactions"]

        def stale(article_id: str) -> int:
            text = (devset / f"{article_id}.txt").read_text(encoding="utf-8").split("\n")[0][:30]
            return sum(
                json.loads(i["request"]["body"]).get("temperature") == 0.5
                and text in json.loads(i["request"]["body"])["messages"][-1]["content"]
                for i in interactions()
            )

        monkeypatch.setenv(
            "NEWSFACTS_TEMPERATURE", "0.5"
        )  # other request bodies: answers a later run won't ask
        cli.main([*common, "--out", str(tmp_path / "old")])
        monkeypatch.delenv("NEWSFACTS_TEMPERATURE")
        cli.main([*common, "--out", str(tmp_path / "new")])
        assert len(interactions()) == 2 * 5 * len(IDS)
        asked = stub.count
        cli.main([*common, "--out", str(tmp_path / "one"), "--drop-unused-answers", "--only", IDS[0]])
        assert stub.count == asked  # all replayed
        assert stale(IDS[0]) == 0 and all(stale(i) == 5 for i in IDS[1:])
        assert len(interactions()) == 2 * 5 * len(IDS) - 5
        cli.main([*common, "--out", str(tmp_path / "pruned"), "--drop-unused-answers"])
        assert stub.count == asked
        assert len(interactions()) == 5 * len(IDS)
        assert all(json.loads(i["request"]["body"]).get("temperature") != 0.5 for i in interactions())


class _FakeRuntime:
    model_name = "fake/model"

    def __init__(self, settings: Any) -> None:
        pass

    async def __aenter__(self) -> _FakeRuntime:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None


def test_a_run_in_which_every_article_fails_exits_1_with_precision_null(
    devset: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Nothing predicted is no precision at all (null, never 1.0); every failed article is named, in the
    output, at the top of the report and in the JUnit file, and the run exits 1."""
    import xml.etree.ElementTree as ET

    cases = load_cases(devset)
    monkeypatch.setattr(cli, "Runtime", _FakeRuntime)
    monkeypatch.setattr(batchcore, "summarize", fake_summarize(cases, good=True, fail=frozenset(IDS)))
    out = tmp_path / "run"
    code = cli.main(["--dir", str(devset), "--history", str(tmp_path / "h.sqlite"), "--no-progress", "--no-cache",
                     "--out", str(out), "--junit", str(tmp_path / "junit.xml")])  # fmt: skip

    assert code == 1
    printed = capsys.readouterr().out
    assert [line for line in printed.splitlines() if line.startswith("ERROR")] == [
        f"ERROR {case_id}: internal_error: model exploded" for case_id in IDS
    ]
    assert "verdict: FAIL: 2 article(s) failed, 2 of them new" in printed
    results = json.loads((out / "results.json").read_text())
    for name in ("casualties", "parties", "denials", "claims"):
        assert results["fields"][f"{name}_precision"] is None, name
        assert results["aggregate"][name]["precision"] is None
    assert results["fields"]["casualties_recall"] == 0.0 and results["fields"]["casualties_f1"] == 0.0

    html = (out / "report.html").read_text(encoding="utf-8")
    verdict = html[html.index("<section class='verdict fail'>") : html.index("</section>")]
    assert html.index("<section class='verdict") < html.index("Scores per field")  # the report opens with it
    assert all(case_id in verdict for case_id in IDS) and "model exploded" in verdict

    suite = ET.parse(tmp_path / "junit.xml").getroot().find("testsuite")
    articles = [c for c in suite.iter("testcase") if c.get("classname") == "articles"]
    assert [c.get("name") for c in articles] == list(IDS)
    assert all(
        c.find("error") is not None and c.find("error").get("message") == "model exploded" for c in articles
    )
    assert suite.get("errors") == "2" and suite.get("failures") == "0"


def test_report_and_junit_name_what_got_worse_and_each_article_opens_to_its_details(
    devset: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import xml.etree.ElementTree as ET
    from html import escape

    cases = load_cases(devset)
    monkeypatch.setattr(cli, "Runtime", _FakeRuntime)
    common = ["--dir", str(devset), "--history", str(tmp_path / "h.sqlite"), "--no-progress", "--no-cache"]
    monkeypatch.setattr(batchcore, "summarize", fake_summarize(cases, good=True))
    assert cli.main([*common, "--out", str(tmp_path / "good")]) == 0
    assert "verdict: PASS" in capsys.readouterr().out
    monkeypatch.setattr(batchcore, "summarize", fake_summarize(cases, good=False))
    assert cli.main([*common, "--out", str(tmp_path / "bad"), "--junit", str(tmp_path / "j.xml")]) == 1

    html = (tmp_path / "bad" / "report.html").read_text(encoding="utf-8")
    verdict = html[html.index("<section class='verdict fail'>") : html.index("</section>")]
    assert (
        "Fields that dropped" in verdict
        and "casualties_f1" in verdict
        and "Articles that got worse" in verdict
    )
    assert f"href='#case-{IDS[0]}'" in verdict
    details = html[html.index(f"id='case-{IDS[0]}'") :]
    details = details[: details.index("</details>")]
    assert "expected (label)" in details and "found" in details
    # The label's figure is expected; the bad answer found none and named no outlet.
    label = cases[0].label
    assert f"{label.casualties[0].kind} {label.casualties[0].count}" in details
    assert "none" in details

    good = (tmp_path / "good" / "report.html").read_text(encoding="utf-8")
    good_case = good[good.index(f"id='case-{IDS[0]}'") :]
    assert (
        f"<mark class='casualty' title='casualty'>{escape(label.casualties[0].evidence)}</mark>" in good_case
    )

    suite = ET.parse(tmp_path / "j.xml").getroot().find("testsuite")
    failed = {
        (c.get("classname"), c.get("name")) for c in suite.iter("testcase") if c.find("failure") is not None
    }
    assert ("fields", "casualties_f1") in failed and ("articles", IDS[0]) in failed


ANSWERS = Path(__file__).resolve().parent.parent / "evals" / "answers" / "qwen2.5-coder-1.5b.yaml"
SEED_ID = "rt-nagorno-karabakh"


@pytest.fixture()
def no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """The default settings (the embedded model), with starting it a failure of the test."""
    from newsfacts.embedded import EmbeddedServer
    from newsfacts.settings import get_settings

    for key in ("NEWSFACTS_MODEL", "NEWSFACTS_API_BASE", "NEWSFACTS_API_KEY", "NEWSFACTS_CONTEXT_TOKENS"):
        monkeypatch.delenv(key, raising=False)

    async def forbidden(self: Any) -> None:
        raise AssertionError("a replay started the embedded model")

    monkeypatch.setattr(EmbeddedServer, "start", forbidden)
    get_settings.cache_clear()


def test_replay_scores_the_committed_answers_without_starting_a_model(no_model: None, tmp_path: Path) -> None:
    """--replay on the default (embedded) settings: the seed's committed answers are replayed, no model
    starts (none is installed in the offline suite's environment either), and the report shows the
    model's five answers and the article with its quotes marked."""
    out = tmp_path / "run"
    code = cli.main(["--replay", str(ANSWERS), "--only", SEED_ID, "--no-progress", "--history",
                     str(tmp_path / "h.sqlite"), "--out", str(out)])  # fmt: skip
    assert code == 0
    case = json.loads((out / "results.json").read_text())["cases"][0]
    assert case["error"] is None and case["output"]["model"] == "openai/qwen2.5-coder-1.5b"
    assert ("killed", 12) in [(c["kind"], c["count"]) for c in case["output"]["casualties"]]
    assert [a["task"] for a in case["answers"]] == ["parties", "overview", "casualties", "claims", "denials"]
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<section class='verdict pass'>" in html and "<mark class='casualty'" in html
    assert "the model's answers (5 calls, before the reading code)" in html


def test_replay_fails_clearly_on_an_answer_it_does_not_hold(
    no_model: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    changed = tmp_path / "devset"
    changed.mkdir()
    seed = DEVSET / f"{SEED_ID}.txt"
    shutil.copy(seed.with_suffix(".json"), changed / f"{SEED_ID}.json")
    (changed / f"{SEED_ID}.txt").write_text(
        seed.read_text(encoding="utf-8").replace("Baku", "Baku,"), "utf-8"
    )

    code = cli.main(["--replay", str(ANSWERS), "--dir", str(changed), "--no-progress", "--history",
                     str(tmp_path / "h.sqlite"), "--out", str(tmp_path / "run")])  # fmt: skip

    assert code == 1
    errors = [line for line in capsys.readouterr().out.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 1 and errors[0].startswith(
        f"ERROR {SEED_ID}: answer_not_recorded: the answers file holds no"
    )


def test_replay_needs_an_answers_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--replay", str(tmp_path / "none.yaml"), "--only", SEED_ID]) == 2
    assert cli.main(["--replay-only", "--only", SEED_ID]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"error: no answers file {tmp_path / 'none.yaml'} to replay",
        "error: --replay-only goes with --answers FILE",
    ]


def test_junit_stays_well_formed_xml_whatever_an_error_message_holds(devset: Path, tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    from evals.history import Comparison
    from evals.junit import write_junit

    cases = load_cases(devset)
    error = ErrorRecord(type="X", code="upstream_error", message='bad \x00\x1b byte <&> "q"')
    records = [runner._case_record(cases[0], None, error, 5, False)]
    results = runner.build_results({"run_id": "r", "started_at": "s", "model": "m"}, records)
    path = write_junit(results, Comparison(), tmp_path / "j.xml", threshold=0.05)
    error = ET.parse(path).getroot().find("testsuite/testcase/error")
    assert error is not None and error.get("message") == 'bad \ufffd\ufffd byte <&> "q"'
