"""Imported once in the tests' fork server (tests/forked.py): what ``newsfacts serve`` and ``newsfacts
worker`` import at their start. It leaves no thread running: forking a process with threads is unsafe."""

import contextlib
import gc
import threading

from newsfacts.llm import warm_up

warm_up()  # the imports; the mock answers start litellm's threads, so each command makes them itself
import api.app  # noqa: E402, F401
import cli.main  # noqa: E402, F401

with contextlib.suppress(ImportError):  # the queue's optional extra
    import newsfacts.queue  # noqa: F401

assert threading.active_count() == 1, [t.name for t in threading.enumerate()]

gc.collect()
gc.freeze()  # the children's collector leaves the inherited objects alone (no copy-on-write of their pages)
