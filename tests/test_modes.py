"""NEWSFACTS_INSTRUCTOR_MODE: the documented names, and a clear stop at start-up for any other."""

from __future__ import annotations

import os
import subprocess
import sys

import instructor
import pytest

from newsfacts.llm import choose_mode
from newsfacts.settings import INSTRUCTOR_MODES, Settings
from tests.conftest import ROOT

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
    env = {**os.environ, "NEWSFACTS_INSTRUCTOR_MODE": "function_call", "NEWSFACTS_MODEL": "openai/gpt-4o-mini"}
    done = subprocess.run(
        [sys.executable, "-m", "newsfacts.cli", *command], env=env, cwd=ROOT, input="", capture_output=True,
        text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert lines == [
        "newsfacts: invalid settings: NEWSFACTS_INSTRUCTOR_MODE: 'function_call' is not an instructor mode; "
        "use one of: tools, json_schema, json, md_json"
    ]
