"""Assembling the packaged GGUF: parts in order, sha256 checked, cached, refused when corrupt."""

from __future__ import annotations

import hashlib
import importlib
import shutil
import sys

import pytest

from newsfacts.embedded import MODELS, EmbeddedServer, GGUFSpec, ensure_weights
from newsfacts.errors import EmbeddedModelError


@pytest.fixture
def fake_parts(tmp_path, monkeypatch):
    """Three tiny 'weights packages' on sys.path, laid out like the real ones."""
    chunks = [b"GGUF" + bytes([i]) * 1000 for i in range(3)]
    for i, chunk in enumerate(chunks, 1):
        pkg = tmp_path / "site" / f"fakeweights_part{i}"
        (pkg / "data").mkdir(parents=True)
        (pkg / "__init__.py").write_text("")
        (pkg / "data" / f"part{i:02d}.bin").write_bytes(chunk)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    for i in range(1, 4):
        sys.modules.pop(f"fakeweights_part{i}", None)
    whole = b"".join(chunks)
    return whole


def spec(whole: bytes, sha: str | None = None) -> GGUFSpec:
    return GGUFSpec(
        name="fake",
        filename="fake.gguf",
        package_prefix="fakeweights_part",
        parts=3,
        size=len(whole),
        sha256=sha or hashlib.sha256(whole).hexdigest(),
        extra="embedded",
        source="test",
    )


def test_parts_are_assembled_in_order_and_verified(fake_parts, tmp_path):
    path = ensure_weights(spec(fake_parts), tmp_path / "cache")
    assert path.read_bytes() == fake_parts
    mtime = path.stat().st_mtime_ns
    assert ensure_weights(spec(fake_parts), tmp_path / "cache") == path
    assert path.stat().st_mtime_ns == mtime  # cached: not assembled again


def test_a_wrong_sha256_refuses_to_start_and_leaves_nothing(fake_parts, tmp_path):
    with pytest.raises(EmbeddedModelError, match="sha256"):
        ensure_weights(spec(fake_parts, sha="0" * 64), tmp_path / "cache")
    assert list((tmp_path / "cache").iterdir()) == []


def test_missing_weights_package_says_how_to_install(tmp_path):
    bad = GGUFSpec(name="x", filename="x.gguf", package_prefix="no_such_weights_part", parts=1, size=1,
                   sha256="0" * 64, extra="embedded", source="test")  # fmt: skip
    with pytest.raises(EmbeddedModelError, match="uv sync --extra embedded"):
        ensure_weights(bad, tmp_path)


def test_a_model_is_installed_only_when_every_part_package_is(fake_parts, tmp_path):
    assert spec(fake_parts).installed()
    shutil.rmtree(tmp_path / "site" / "fakeweights_part3")
    importlib.invalidate_caches()
    assert not spec(fake_parts).installed()


def test_server_command_is_loopback_only(monkeypatch):
    monkeypatch.setenv("NEWSFACTS_LLAMA_SERVER", "/opt/llama-server")
    server = EmbeddedServer(MODELS["qwen2.5-coder-1.5b"], port=8123)
    cmd = server.command(tmp := __import__("pathlib").Path("/tmp/model.gguf"))
    assert cmd[cmd.index("--host") + 1] == "127.0.0.1"
    assert cmd[cmd.index("--model") + 1] == str(tmp)
    assert server.api_base == "http://127.0.0.1:8123/v1"
    assert server.model_string == "openai/qwen2.5-coder-1.5b"
    assert cmd[0] == "/opt/llama-server"
