"""``newsfacts`` processes for the tests, forked from a server that has already imported what every
start of the command imports (litellm and instructor above all: about 5 s of CPU in each process).

A test that starts several ``newsfacts serve`` or ``newsfacts worker`` processes would otherwise pay
that import in each of them, while the suite's other tests wait for the cores. Here a test process
keeps one fork server (the standard library's ``forkserver``: a single-threaded process that imports
tests/forkserver_preload.py once and forks a child for each start). A child is a process of its own,
with its own pid, environment, working directory and standard streams; it runs ``cli.main`` as
``python -m cli`` would, its exit code is the command's, and a signal ends it as it ends any process.
The tests that start such processes are in two ``xdist_group``s, so two of the suite's workers start a
fork server and the others none.
"""

from __future__ import annotations

import atexit
import contextlib
import multiprocessing
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _run(argv: list[str], env: dict[str, str], stdout: str | None, stderr: str | None) -> None:
    """In the child: the command's environment, working directory and streams, then the command."""
    os.environ.clear()
    os.environ.update(env)
    os.chdir(ROOT)
    for fd, path in ((1, stdout), (2, stderr)):
        target = os.open(path or os.devnull, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        os.dup2(target, fd)
        os.close(target)
    from cli.main import main

    try:
        code = main(argv)
    finally:
        atexit._run_exitfuncs()  # a forked child leaves through os._exit, which runs none of them
    sys.exit(code)


_context: Any = None


def _forkserver() -> Any:
    global _context
    if _context is None:
        _context = multiprocessing.get_context("forkserver")
        _context.set_forkserver_preload(["tests.forkserver_preload", __name__])
    return _context


class Forked:
    """A started command, with the part of ``subprocess.Popen``'s interface the tests use."""

    def __init__(self, argv: list[str], env: dict[str, str], *, stdout: Path | None = None,
                 stderr: Path | None = None) -> None:  # fmt: skip
        self.args = argv
        self._process = _forkserver().Process(
            target=_run, args=(argv, env, str(stdout) if stdout else None, str(stderr) if stderr else None),
            name=f"newsfacts {' '.join(argv)}",
        )  # fmt: skip
        self._process.start()
        self.pid: int = self._process.pid

    def poll(self) -> int | None:
        return self._process.exitcode

    def wait(self, timeout: float | None = None) -> int:
        self._process.join(timeout)
        if self._process.exitcode is None:
            raise subprocess.TimeoutExpired(self.args, timeout or 0)
        return self._process.exitcode

    def send_signal(self, sig: int) -> None:
        if self._process.exitcode is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, sig)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)
