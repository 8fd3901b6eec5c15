"""The ``newsfacts`` command against the loopback stub model (tests/stub.py)."""

# ruff: noqa: F811  (the `stub` fixture is imported by name)
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from newsfacts.cli import main
from newsfacts.settings import get_settings
from schemas.contract import ArticleSummary
from tests.stub import ARTICLE, stub  # noqa: F401
from tests.test_api import HTML_PAGE


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

    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2
    plain, page = (ArticleSummary.model_validate(json.loads(line)) for line in lines)
    assert plain.article_text is None and [(c.kind, c.count) for c in plain.casualties] == [("killed", 12)]
    assert page.article_text is not None and "<p>" not in page.article_text
    assert page.outlet is not None and page.outlet.name == "Northern Gazette"
    for item in page.casualties:
        assert page.article_text[item.quote.start : item.quote.end] == item.quote.text
    assert stub_env.count == 10


def test_summarize_reports_a_bad_file_and_goes_on(stub_env, tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n", encoding="utf-8")
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE, encoding="utf-8")

    assert main(["summarize", str(empty), str(good)]) == 1

    captured = capsys.readouterr()
    assert len(captured.out.strip().splitlines()) == 1
    assert "empty.txt: empty_text:" in captured.err


def test_help_is_fast_because_imports_are_lazy():
    out = subprocess.run(
        [sys.executable, "-c", "import sys, newsfacts.cli; print(sorted(m for m in sys.modules "
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
