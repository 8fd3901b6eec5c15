"""A real OpenAI-compatible HTTP server on loopback that answers from a script.

``POST /v1/chat/completions`` takes the next behaviour from the queue (the default once the
queue is empty) and records every request, so tests can count upstream calls exactly:

- ``"ok"`` / ``ok(content=None)``: a chat completion whose content is valid JSON for the form
  the request asks for (read from ``response_format.json_schema`` or the tool schema);
- ``status(code, retry_after=None)``: that HTTP status with an OpenAI-style error body;
- ``slow(seconds, then="ok")``: wait, then behave as ``then`` (the wait ends early on stop);
- ``"garbage"``: status 200 with a body that is not JSON;
- ``"truncated_json"``: content cut off inside the form's last list item, finish_reason "length";
- ``"invalid_schema"``: JSON content that violates the form (e.g. ``{"figures": "nope"}``);
- ``"reset"``: the connection is closed abruptly (TCP RST) without an answer.

The server is stdlib ``http.server`` (threaded, HTTP/1.1 keep-alive) because an abrupt reset
needs the raw socket, which ASGI servers do not expose.

Use the ``stub`` fixture: ``from tests.stub import stub  # noqa: F401``.
"""

from __future__ import annotations

import contextlib
import copy
import json
import re
import socket
import struct
import threading
import time
import typing
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from newsfacts.tasks import TASKS

# A short article the canned answers below are true to: every name, figure and sentence
# number in them can be found in it, so the pipeline keeps all of them.
ARTICLE = (
    "Floods hit northern town\n"
    "The Regional Emergency Service said 12 people were killed when the river burst its banks on Monday. "
    "Mayor Anna Berg said the dam operator Northwater ignored repeated warnings. "
    "Northwater denied that it ignored any warnings."
)

CANNED: dict[str, dict[str, Any]] = {
    "overview": {
        "outlet": None,
        "section": None,
        "summary": "Floods killed 12 people in a northern town, the Regional Emergency Service said.",
    },
    "parties": {"parties": ["Regional Emergency Service", "Mayor Anna Berg", "Northwater"]},
    "casualties": {
        "figures": [
            {"figure": "12 people were killed", "kind": "killed",
             "reported_by": "Regional Emergency Service", "caused_by": None},
        ]
    },
    "claims": {
        "claims": [
            {"sentence": 3, "claimant": "Anna Berg", "statement": "Northwater ignored repeated warnings",
             "target": "Northwater"},
        ]
    },
    "denials": {
        "denials": [
            {"sentence": 4, "denier": "Northwater", "denied": "that it ignored warnings",
             "responds_to": "Anna Berg"},
        ]
    },
}  # fmt: skip

# Content that parses as JSON but violates each form.
INVALID: dict[str, dict[str, Any]] = {
    "overview": {"outlet": 5, "section": None, "summary": None},
    "parties": {"parties": "nope"},
    "casualties": {"figures": "nope"},
    "claims": {"claims": "nope"},
    "denials": {"denials": "nope"},
}

# What the requests are told apart by, read from the tasks' forms: each form's class name (the schema's
# name) and the field of a list form that holds its items.
FORM_NAMES = {task.form.__name__: task.name for task in TASKS}
LIST_KEY = {
    task.name: name
    for task in TASKS
    for name, info in task.form.model_fields.items()
    if typing.get_origin(info.annotation) is list
}
PROMPT_TOKENS = 100
COMPLETION_TOKENS = 20
GARBAGE = b"<html><body>502 Bad Gateway (upstream proxy)</body></html>"


# --- behaviours -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Behaviour:
    kind: str
    status: int = 200
    retry_after: float | None = None
    seconds: float = 0.0
    content: Any = None
    finish_reason: str = "stop"
    then: Behaviour | None = None


def ok(content: Any = None, finish_reason: str = "stop") -> Behaviour:
    """A valid answer; ``content`` (a dict or a raw string) replaces the canned one."""
    return Behaviour("ok", content=content, finish_reason=finish_reason)


def status(code: int, retry_after: float | None = None) -> Behaviour:
    return Behaviour("status", status=code, retry_after=retry_after)


def overflow(prompt_tokens: int = 9000, context: int = 8192) -> Behaviour:
    """HTTP 400 as llama.cpp's server answers a prompt longer than its context window."""
    message = f"request ({prompt_tokens} tokens) exceeds the available context size ({context} tokens), try increasing it"
    return Behaviour("status", status=400, content=message)


def slow(seconds: float, then: str | Behaviour = "ok") -> Behaviour:
    return Behaviour("slow", seconds=seconds, then=as_behaviour(then))


KINDS = {"ok", "garbage", "truncated_json", "invalid_schema", "reset"}


def as_behaviour(b: str | Behaviour) -> Behaviour:
    if isinstance(b, Behaviour):
        return b
    if b not in KINDS:
        raise ValueError(f"unknown stub behaviour {b!r}; expected one of {sorted(KINDS)} or a Behaviour")
    return Behaviour(b)


# --- what the request asks for ----------------------------------------------------------------


def form_of(body: dict[str, Any]) -> str:
    """Which extraction form a request wants: from the schema's name, else its property names."""
    schema: dict[str, Any] = {}
    name = ""
    rf = body.get("response_format")
    if isinstance(rf, dict) and isinstance(rf.get("json_schema"), dict):
        name = str(rf["json_schema"].get("name") or "")
        schema = rf["json_schema"].get("schema") or {}
    tools = body.get("tools")
    if not schema and isinstance(tools, list) and tools:
        fn = tools[0].get("function", {})
        name = str(fn.get("name") or "")
        schema = fn.get("parameters") or {}
    if not name and not schema:
        # JSON and MD_JSON modes put the form's schema in the prompt, where its title names it.
        text = " ".join(str(m.get("content")) for m in body.get("messages") or [] if isinstance(m, dict))
        found = re.search(r'"title":\s*"(\w+Form)"', text)
        name = found.group(1) if found else ""
    if name in FORM_NAMES:
        return FORM_NAMES[name]
    props = set((schema.get("properties") or {}).keys())
    for task in TASKS:  # no two forms share a field
        if props & set(task.form.model_fields):
            return task.name
    raise ValueError(f"cannot tell which form the request wants (name={name!r}, properties={sorted(props)})")


# For a truncated answer: one more item after the canned ones, cut off before it is complete.
# It is not in the article; a salvaged answer must never contain it.
PHANTOM = "Phantom Agency"
CUT_ITEM = {
    "parties": '"Phantom Agen',
    "casualties": '{"figure": "99 people were killed by Phantom Agency", "kind": "kil',
    "claims": '{"sentence": 2, "claimant": "Phantom Agency", "statement": "it saw the',
    "denials": '{"sentence": 2, "denier": "Phantom Agency", "denied": "the tol',
}


def truncated(task: str) -> str:
    """The canned answer cut off inside an extra last list item (for overview: inside the summary)."""
    data = CANNED[task]
    if task == "overview":
        text = json.dumps(data)
        return text[: text.index('"summary"') + 25]
    key = LIST_KEY[task]
    whole = [json.dumps(i) for i in data[key]]
    return "{" + json.dumps(key) + ": [" + ", ".join([*whole, CUT_ITEM[task]])


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    body: Any
    behaviour: Behaviour
    at: float = field(default_factory=time.monotonic)

    @property
    def form(self) -> str | None:
        try:
            return form_of(self.body) if isinstance(self.body, dict) else None
        except ValueError:
            return None


# --- the server -------------------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 1024  # many clients connect at once in the load benchmark

    def __init__(self, stub: StubServer) -> None:
        self.stub = stub
        super().__init__(("127.0.0.1", 0), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:  # quiet: clients go away
        pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def setup(self) -> None:
        super().setup()
        self.server.stub._track(self.connection, add=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.stub._track(self.connection, add=False)

    def do_GET(self) -> None:
        if self.path.rstrip("/").endswith("/models"):
            self._json(200, {"object": "list", "data": [{"id": "stub-model", "object": "model"}]})
        else:
            self._json(404, {"error": {"message": "not found", "type": "not_found"}})

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body: Any = json.loads(raw)
        except ValueError:
            body = raw.decode("utf-8", "replace")
        stub = self.server.stub
        if not self.path.rstrip("/").endswith("/chat/completions"):
            self._json(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})
            return
        behaviour = stub._next()
        stub._record(Request(self.path, {k.lower(): v for k, v in self.headers.items()}, body, behaviour))
        self._act(behaviour, body)

    def _act(self, b: Behaviour, body: Any) -> None:
        if b.kind == "slow":
            if self.server.stub._stopping.wait(b.seconds):
                self._reset()
                return
            assert b.then is not None
            self._act(b.then, body)
        elif b.kind == "reset":
            self._reset()
        elif b.kind == "status":
            headers = {"retry-after": f"{b.retry_after:g}"} if b.retry_after is not None else {}
            message = b.content or f"stub says {b.status}"
            self._json(b.status, {"error": {"message": message, "type": "stub_error",
                                            "code": str(b.status)}}, headers)  # fmt: skip
        elif b.kind == "garbage":
            self._send(200, GARBAGE, "application/json")
        elif b.kind in ("ok", "invalid_schema", "truncated_json"):
            task = form_of(body)
            finish = b.finish_reason
            if b.kind == "ok":
                content = b.content if b.content is not None else copy.deepcopy(CANNED[task])
            elif b.kind == "invalid_schema":
                content = INVALID[task]
            else:
                content, finish = truncated(task), "length"
            text = content if isinstance(content, str) else json.dumps(content)
            self._json(200, completion(body, text, finish))
        else:  # pragma: no cover
            raise AssertionError(b.kind)

    def _reset(self) -> None:
        """Close with SO_LINGER 0: the client gets a TCP RST, not a response."""
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
        except OSError:
            pass

    def _json(self, code: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        self._send(code, json.dumps(payload).encode(), "application/json", headers)

    def _send(self, code: int, data: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        try:
            self.send_response(code)
            self.send_header("content-type", content_type)
            self.send_header("content-length", str(len(data)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)
        except OSError:  # the client gave up (its deadline passed)
            self.close_connection = True


def completion(body: Any, content: str, finish_reason: str = "stop") -> dict[str, Any]:
    model = body.get("model", "stub-model") if isinstance(body, dict) else "stub-model"
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if isinstance(body, dict) and body.get("tools") and not body.get("response_format"):
        name = body["tools"][0].get("function", {}).get("name", "tool")
        message = {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {"id": "call_stub", "type": "function", "function": {"name": name, "arguments": content}}
            ],
        }
    return {
        "id": "chatcmpl-stub",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": finish_reason}],
        "usage": {
            "prompt_tokens": PROMPT_TOKENS,
            "completion_tokens": COMPLETION_TOKENS,
            "total_tokens": PROMPT_TOKENS + COMPLETION_TOKENS,
        },
    }


class StubServer:
    """The stub: ``.url``, ``.script([...], default="ok")``, ``.requests``, ``.count``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queue: deque[Behaviour] = deque()
        self._default = as_behaviour("ok")
        self._requests: list[Request] = []
        self._conns: set[socket.socket] = set()
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # control

    def script(self, behaviours: Iterable[str | Behaviour], default: str | Behaviour = "ok") -> StubServer:
        with self._lock:
            self._queue = deque(as_behaviour(b) for b in behaviours)
            self._default = as_behaviour(default)
        return self

    @property
    def requests(self) -> list[Request]:
        with self._lock:
            return list(self._requests)

    @property
    def count(self) -> int:
        with self._lock:
            return len(self._requests)

    @property
    def bodies(self) -> list[Any]:
        return [r.body for r in self.requests]

    def forms(self) -> list[str | None]:
        return [r.form for r in self.requests]

    @property
    def pending(self) -> int:
        """Scripted behaviours not used yet."""
        with self._lock:
            return len(self._queue)

    @property
    def url(self) -> str:
        assert self._server is not None, "the stub is not running"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    # lifecycle

    def start(self) -> StubServer:
        self._server = _Server(self)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="openai-stub", daemon=True)  # fmt: skip
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # ends every slow() wait at once
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        with self._lock:
            conns = list(self._conns)
        for conn in conns:  # keep-alive connections would hold their handler threads
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> StubServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # used by the handler

    def _next(self) -> Behaviour:
        with self._lock:
            return self._queue.popleft() if self._queue else self._default

    def _record(self, request: Request) -> None:
        with self._lock:
            self._requests.append(request)

    def _track(self, conn: socket.socket, *, add: bool) -> None:
        with self._lock:
            (self._conns.add if add else self._conns.discard)(conn)


def warm_imports() -> None:
    """Import litellm and instructor now: the first import costs seconds, and ModelClient does
    it lazily inside a call, where it would eat into a test's deadline."""
    import instructor  # noqa: F401

    from newsfacts.llm import litellm_module

    litellm_module()


@pytest.fixture
def stub() -> Iterator[StubServer]:
    """A running stub on 127.0.0.1 with an ephemeral port; stopped after the test."""
    warm_imports()
    server = StubServer().start()
    try:
        yield server
    finally:
        server.stop()
