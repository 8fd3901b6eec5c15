"""Assertions shared by the recorded and live tests, and a real uvicorn server for the app."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import jsonschema

from schemas.contract import ArticleSummary

SCHEMA = json.loads((Path(__file__).resolve().parent.parent / "schemas" / "article_summary.schema.json").read_text())


def assert_valid_json(payload: dict) -> None:
    jsonschema.validate(payload, SCHEMA)


def quotes(summary: ArticleSummary):
    for group in (summary.casualties, summary.claims, summary.denials):
        for item in group:
            if item.quote is not None:
                yield item.quote


def assert_grounded(summary: ArticleSummary, text: str) -> None:
    """Every quote sits exactly at its offsets; every reference names a listed party."""
    text = summary.article_text if summary.article_text is not None else text
    for quote in quotes(summary):
        assert text[quote.start : quote.end] == quote.text, quote
    names = {p.name for p in summary.parties} | {a for p in summary.parties for a in p.aliases}
    refs = [c.reported_by for c in summary.casualties] + [c.caused_by for c in summary.casualties]
    refs += [c.claimant for c in summary.claims] + [c.target for c in summary.claims]
    refs += [d.denier for d in summary.denials] + [d.responds_to for d in summary.denials]
    refs += [p.affiliation for p in summary.parties]
    for ref in refs:
        assert ref is None or ref in names, f"{ref!r} is not a listed party"
    g = summary.grounding
    assert g.quotes_verified + g.quotes_dropped == g.quotes_total


def figures(summary: ArticleSummary, kind: str) -> list:
    return [c for c in summary.casualties if c.kind == kind]


def assert_seed(summary: ArticleSummary, text: str) -> None:
    """The worked example of CONTRACT.md, in substance."""
    assert_grounded(summary, text)
    assert summary.outlet is not None and summary.outlet.name == "RT"
    killed = [c for c in figures(summary, "killed") if c.count == 12]
    injured = [c for c in figures(summary, "injured") if c.count == 40]
    assert killed and injured, summary.casualties
    for c in killed + injured:
        # Azerbaijan or a name the label accepts for it ("Officials in Baku")
        assert c.reported_by is not None and any(n in c.reported_by.lower() for n in ("azerbaijan", "baku")), c
        assert c.caused_by is not None and "armenia" in c.caused_by.lower()
        assert str(c.count) in c.quote.text
    assert any(
        "armenia" in d.denier.lower() and "defen" in d.denier.lower() for d in summary.denials
    ), summary.denials


@contextlib.contextmanager
def serve(app, *, lifespan: str = "on") -> Iterator[str]:
    """Serve ``app`` with uvicorn on a free loopback port, in a thread of this process (so cassettes
    still apply); yields its base URL."""
    import uvicorn

    from newsfacts.embedded import free_port

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan=lifespan))
    thread = threading.Thread(target=server.run, name="review-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the app did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
