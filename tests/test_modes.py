"""NEWSFACTS_INSTRUCTOR_MODE: the documented names, and a clear stop at start-up for any other."""

# ruff: noqa: F811  (the `stub` fixture is imported by name; tests take it as an argument)

from __future__ import annotations

import os
import subprocess
import sys

import instructor
import pytest

from newsfacts.llm import choose_mode
from newsfacts.settings import INSTRUCTOR_MODES, Settings
from tests.conftest import ROOT
from tests.stub import stub  # noqa: F401

DOCUMENTED = {"tools": instructor.Mode.TOOLS, "json_schema": instructor.Mode.JSON_SCHEMA,
              "json": instructor.Mode.JSON, "md_json": instructor.Mode.MD_JSON}  # fmt: skip


def test_the_documented_modes_are_the_accepted_ones():
    assert set(INSTRUCTOR_MODES) == set(DOCUMENTED)
    readme = (ROOT / "README.md").read_text()
    assert "`json_schema`, `tools`, `json`, `md_json`" in readme


@pytest.mark.parametrize("name", sorted(DOCUMENTED))
def test_every_documented_mode_names_its_instructor_mode(name):
    for spelled in (name, name.upper(), f" {name} "):
        settings = Settings(_env_file=None, instructor_mode=spelled)
        assert settings.instructor_mode == name
        assert choose_mode("openai/gpt-4o-mini", None, settings.instructor_mode) is DOCUMENTED[name]


def test_unset_mode_is_chosen_per_provider():
    assert choose_mode("openai/qwen", "http://127.0.0.1:8089/v1", None) is instructor.Mode.JSON_SCHEMA
    assert choose_mode("hosted_vllm/qwen", "http://gpu:8000/v1", None) is instructor.Mode.JSON_SCHEMA
    assert choose_mode("openai/gpt-4o-mini", None, None) is instructor.Mode.TOOLS
    assert choose_mode("anthropic/claude-3-5-haiku-latest", None, None) is instructor.Mode.TOOLS
    assert Settings(_env_file=None, instructor_mode="").instructor_mode is None


@pytest.mark.parametrize("bad", ["tool", "function_call", "json_schema_mode", "TOOLS_STRICT"])
def test_an_unknown_mode_is_refused_by_the_settings(bad):
    with pytest.raises(ValueError, match="use one of: tools, json_schema, json, md_json"):
        Settings(_env_file=None, instructor_mode=bad)


@pytest.mark.parametrize("command", [["serve"], ["summarize", "-"]])
def test_an_unknown_mode_stops_the_command_with_one_line(command):
    env = {
        **os.environ,
        "NEWSFACTS_INSTRUCTOR_MODE": "function_call",
        "NEWSFACTS_MODEL": "openai/gpt-4o-mini",
    }
    done = subprocess.run(
        [sys.executable, "-m", "cli", *command], env=env, cwd=ROOT, input="", capture_output=True,
        text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert lines == [
        "newsfacts: invalid settings: NEWSFACTS_INSTRUCTOR_MODE: 'function_call' is not an instructor mode; "
        "use one of: tools, json_schema, json, md_json"
    ]


@pytest.mark.parametrize("name", sorted(DOCUMENTED))
def test_every_mode_summarises_against_a_real_http_server(name, stub):
    """The request shape of each mode, and its answer parsed back, against the loopback stub
    (which answers a tool request with a tool call and any other with JSON content)."""
    import asyncio

    from newsfacts.pipeline import Runtime, summarize
    from schemas.contract import SummaryRequest
    from tests.stub import ARTICLE

    settings = Settings(_env_file=None, model="openai/stub-model", api_base=stub.url, api_key="sk-test",
                        sequential_calls=True, instructor_mode=name)  # fmt: skip
    rt = Runtime(settings)
    asyncio.run(rt.start())
    summary = asyncio.run(summarize(SummaryRequest(text=ARTICLE), runtime=rt))
    assert stub.count == 5
    assert [c.count for c in summary.casualties] == [12]
    assert [d.denier for d in summary.denials] == ["Northwater"]
    bodies = stub.bodies
    if name == "tools":  # the form is the one tool offered, and a call of it is required
        assert all(len(b["tools"]) == 1 and b["tool_choice"] == "required" for b in bodies)
        assert all("response_format" not in b for b in bodies)
    elif name == "json_schema":
        assert all(b["response_format"]["type"] == "json_schema" and "tools" not in b for b in bodies)
    elif name == "json":
        assert all(b["response_format"] == {"type": "json_object"} and "tools" not in b for b in bodies)
    else:  # md_json: the schema is in the prompt only
        assert all("response_format" not in b and "tools" not in b for b in bodies)


def test_a_cut_off_answer_in_a_code_fence_is_salvaged_like_plain_json():
    from newsfacts.llm import salvage, unfence
    from schemas.extraction import OverviewForm

    cut = '```json\n{\n  "outlet": "RT",\n  "section": null,\n  "summary": "Both sides trade blame. Baku says 12 died. Yerevan den'
    form = salvage(OverviewForm, cut)
    assert form is not None and form.summary == "Both sides trade blame. Baku says 12 died."
    assert unfence('```json\n{"a": 1}\n```\n\n') == '{"a": 1}\n'
    assert unfence('{"a": 1}') == '{"a": 1}'


def test_a_forced_call_of_the_only_tool_is_asked_as_required():
    """instructor names the one tool it offers; every server reads "required" alike, llama.cpp's
    included (it parses a named choice as "auto"). Anything else is sent as instructor built it."""
    from newsfacts.llm import force_the_only_tool

    def tool(name: str) -> dict:
        return {"type": "function", "function": {"name": name, "parameters": {"type": "object"}}}

    def named(name: str) -> dict:
        return {"type": "function", "function": {"name": name}}

    forced = {"tools": [tool("PartiesForm")], "tool_choice": named("PartiesForm"), "max_tokens": 9}
    force_the_only_tool(forced)
    assert forced == {"tools": [tool("PartiesForm")], "tool_choice": "required", "max_tokens": 9}
    left_alone = [
        {"tools": [tool("A"), tool("B")], "tool_choice": named("A")},  # a choice among several tools
        {"tools": [tool("A")], "tool_choice": named("B")},  # a tool that is not offered
        {"tools": [tool("A")], "tool_choice": "auto"},
        {"tools": [tool("A")]},
        {"response_format": {"type": "json_object"}},
    ]
    for kwargs in left_alone:
        before = repr(kwargs)
        force_the_only_tool(kwargs)
        assert repr(kwargs) == before
