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


STAND_IN_SERVER = """#!PYTHON
import http.server, os, signal, sys
args = sys.argv[1:]
with open(os.environ["STARTS_LOG"], "a") as f:
    f.write(" ".join(args) + "\\n")
if "--no-repack" not in args:
    os.kill(os.getpid(), signal.SIGSEGV)  # as llama-server dies repacking on a CPU it misreads


class Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *a):
        pass


http.server.HTTPServer(("127.0.0.1", int(args[args.index("--port") + 1])), Health).serve_forever()
"""


def test_a_server_that_crashes_repacking_is_started_without_it_and_remembered(tmp_path, monkeypatch):
    """llama-server killed by SIGSEGV while it repacks the weights (a virtual machine whose CPU flags
    advertise AMX that it does not let a process use) is started again with --no-repack, and the next
    start on this machine begins with --no-repack; a rebuilt server tries repacking again."""
    import asyncio

    binary = tmp_path / "llama-server"
    binary.write_text(STAND_IN_SERVER.replace("PYTHON", sys.executable, 1), encoding="utf-8")
    binary.chmod(0o755)
    starts = tmp_path / "starts.log"
    monkeypatch.setenv("NEWSFACTS_LLAMA_SERVER", str(binary))
    monkeypatch.setenv("STARTS_LOG", str(starts))
    monkeypatch.setattr("newsfacts.embedded.ensure_weights", lambda spec, cache_dir: tmp_path / "model.gguf")

    def start() -> list[bool]:
        """Whether each launch of one start asked for --no-repack."""
        starts.write_text("", encoding="utf-8")
        server = EmbeddedServer(
            MODELS["qwen2.5-coder-1.5b"], cache_dir=tmp_path / "models", start_timeout_s=30
        )
        try:
            asyncio.run(server.start())
            assert server.ready.is_set() and server.repack is False
        finally:
            server.stop()
        return ["--no-repack" in line.split() for line in starts.read_text(encoding="utf-8").splitlines()]

    assert start() == [False, True]  # crashed, then started without repacking
    assert start() == [True]  # remembered: no second crash
    binary.write_text(binary.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # rebuilt
    assert start() == [False, True]
