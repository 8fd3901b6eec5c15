"""CPU-bound steps of a request in worker processes: reading the article (language, sentences, the
reading rules) and extracting an HTML page's text.

In a thread they would hold the GIL in long stretches of pattern matching, and every other request
(``/healthz`` included) would wait its turn for it; in a process they hold neither the event loop nor
the GIL. A step that takes longer than the time its request has left is given up
(``TimeoutError``) and its worker killed and replaced, so it does not hold a core after its
request has been answered. The pool is bounded, so steps of many requests wait for a free worker
rather than share the cores.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import importlib
import multiprocessing
import os
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

WORKERS = 2  # unless the first ``start`` says otherwise (``NEWSFACTS_READING_WORKERS``)
_pool: Any = None
_lock = threading.Lock()


NICENESS = 10


def _start_worker(initializer: str | None) -> None:
    """In each worker as it starts: first a lower CPU priority than the service's own process, so
    that when the cores are busy the event loop (``/healthz``, other requests' I/O) runs before a
    worker's start or a long reading; then the caller's ``initializer``, named as
    ``"module:function"`` so that its imports, too, run at the lower priority."""
    with contextlib.suppress(OSError):
        os.nice(NICENESS)
    if initializer:
        module, _, name = initializer.partition(":")
        getattr(importlib.import_module(module), name)()


def _name(fn: Callable[[], None]) -> str:
    return f"{fn.__module__}:{fn.__qualname__}"


def pool(initializer: Callable[[], None] | None = None, size: int | None = None) -> Any:
    """The worker pool, started on first use (``spawn``: a worker inherits no threads or sockets).
    ``initializer`` (a module-level function) runs in each worker as it starts, a replacement worker
    included; ``size`` is its number of workers (``WORKERS`` if not given). The first caller's choices
    hold for the pool's life."""
    global _pool
    with _lock:
        if _pool is None or not _pool.active:
            from pebble import ProcessPool

            _pool = ProcessPool(
                max_workers=size or WORKERS,
                context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
                initargs=(_name(initializer) if initializer else None,),
            )
            atexit.register(_pool.stop)
        return _pool


_primed: Any = None


async def start(initializer: Callable[[], None], size: int | None = None) -> None:
    """Start ``size`` workers, each running ``initializer`` first, and wait until one has run it (once:
    a pool already started and primed is ready)."""
    global _primed
    current = pool(initializer, size)
    if _primed is current:
        return
    await run(initializer, timeout=120.0)
    _primed = current


async def run(fn: Callable[..., T], *args: Any, timeout: float, **kwargs: Any) -> T:
    """``fn(*args, **kwargs)`` in a worker process; ``TimeoutError`` after ``timeout`` seconds (the
    worker is then killed and replaced). Cancelling the caller cancels the step and stops its worker."""
    future = pool().schedule(fn, args=args, kwargs=kwargs, timeout=max(0.01, timeout))
    try:
        return await asyncio.wrap_future(future)
    except asyncio.CancelledError:
        future.cancel()
        raise
