"""The ``newsfacts`` command. Heavy modules are imported inside the commands, so ``--help`` is instant."""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger("newsfacts.cli")


EXIT_CODES = """\
exit status:
  0    every input gave an ArticleSummary line
  1    some input failed: its line is {"source": ..., "error": {"code": ..., "message": ...}}
  2    usage error (bad arguments, invalid NEWSFACTS_* settings): nothing is printed on stdout
  3    the model could not be started: every input's line is that error
  130  interrupted (Ctrl-C): the lines printed so far stand
"""

SUMMARIZE_HELP = (
    """\
stdout carries one JSON line per input, in input order: the ArticleSummary (contract v1) with a
"source" field added (the file name, or FILE:LINE for a --jsonl line unless the line gives its own
"source"), or an error line {"source", "error": {"code", "message"}} in its place. FILE inputs come
first, then the --jsonl lines.

On the embedded model (no NEWSFACTS_MODEL and no -m) an article has no deadline here: it takes as
long as the machine needs (about 130 s for the seed on 2 cores). NEWSFACTS_REQUEST_TIMEOUT_S sets one.

"""
    + EXIT_CODES
)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("newsfacts")
    except PackageNotFoundError:  # run from a source tree that is not installed
        return "unknown"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsfacts",
        description="Turn news articles into attributed, verifiable facts (contract v1 JSON). "
        "With no NEWSFACTS_MODEL set, an embedded local model is used.",
        epilog="newsfacts summarize --help lists its exit codes; newsfacts eval --help the eval's.",
    )
    parser.add_argument("--version", action="version", version=f"newsfacts {_version()}")
    sub = parser.add_subparsers(dest="command", required=True)

    summ = sub.add_parser(
        "summarize",
        help="print one JSON line per article, in input order",
        description="Summarise articles: one JSON line per input on stdout.",
        epilog=SUMMARIZE_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    summ.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help="article files (.html/.htm pages are extracted first), or - for standard input",
    )
    summ.add_argument(
        "--jsonl",
        metavar="FILE",
        action="append",
        default=[],
        help="a file (- for standard input) of SummaryRequest JSON objects, one per line "
        '({"text", "title", "url", "outlet", "published_at", "language", "format"}, plus an '
        'optional "source" naming the line in the output); repeatable',
    )
    summ.add_argument(
        "-m",
        "--model",
        default=None,
        metavar="MODEL",
        help="a litellm model string for this run, overriding NEWSFACTS_MODEL "
        "('embedded': the embedded model even when NEWSFACTS_MODEL is set)",
    )
    summ.add_argument("--html", action="store_true", help="treat every FILE as an HTML page")
    summ.add_argument("--outlet", help="the publishing outlet of the FILE inputs, when known")
    summ.add_argument("--title", help="the headline, when known (single FILE only)")
    summ.add_argument("--url", help="the article's URL (single FILE only)")
    summ.add_argument("--indent", type=int, default=None, help="pretty-print the JSON")
    summ.add_argument(
        "--explain",
        action="store_true",
        help="add a trace of the reading rules that shaped, added or dropped every entry",
    )
    summ.add_argument(
        "--language",
        default=None,
        metavar="CODE",
        help="the FILE inputs' ISO 639-1 language (default: identified from each text)",
    )

    serve = sub.add_parser("serve", help="run the HTTP API")
    serve.add_argument("--host", default=None, help="bind address (default: NEWSFACTS_HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, default=None, help="port (default: NEWSFACTS_PORT or 8000)")

    work = sub.add_parser(
        "worker",
        help="summarise batch articles from the queue engine (NEWSFACTS_BATCH_QUEUE); run as many as needed",
    )
    work.add_argument("--burst", action="store_true", help="stop once the queue is empty")

    sub.add_parser(
        "hash-key", help="print the digest of an API key (read from stdin) for NEWSFACTS_API_KEY_HASHES"
    )

    sub.add_parser("eval", help="score the pipeline on a labelled dev set (see: newsfacts eval --help)",
                   add_help=False)  # fmt: skip
    return parser


def _settings():  # -> Settings; the import stays inside (--help stays instant)
    """The settings, or one line on stderr and exit status 2 when one of them is not valid."""
    from pydantic import ValidationError

    from newsfacts.settings import get_settings, settings_error

    try:
        return get_settings()
    except ValidationError as exc:
        print(f"newsfacts: {settings_error(exc)}", file=sys.stderr)
        raise SystemExit(2) from None


@dataclass
class Input:
    """One article to summarise, or why it cannot be: exactly one of ``request`` and ``error`` is set."""

    source: str
    request: Any = None  # SummaryRequest
    error: tuple[str, str] | None = None  # (code, message)


def _read(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    return Path(path).read_text(encoding="utf-8", errors="replace")


def _file_error(path: str, exc: OSError) -> tuple[str, str]:
    """A code and a one-line message for a file that cannot be read."""
    if isinstance(exc, FileNotFoundError):
        return "file_not_found", f"no such file: {path}"
    if isinstance(exc, IsADirectoryError):
        return "file_unreadable", f"{path} is a directory, not an article file"
    if isinstance(exc, PermissionError):
        return "file_unreadable", f"no permission to read {path}"
    return "file_unreadable", f"{path} cannot be read: {exc.strerror or exc}"


def _file_inputs(args: argparse.Namespace) -> Iterator[Input]:
    from pydantic import ValidationError

    from schemas.contract import SummaryRequest

    single = len(args.files) == 1 and not args.jsonl
    for path in args.files:
        try:
            text = _read(path)
        except OSError as exc:
            yield Input(path, error=_file_error(path, exc))
            continue
        is_html = args.html or Path(path).suffix.lower() in (".html", ".htm")
        try:
            request = SummaryRequest(
                text=text, format="html" if is_html else "text", outlet=args.outlet, language=args.language,
                title=args.title if single else None, url=args.url if single else None,
            )  # fmt: skip
        except ValidationError as exc:
            yield Input(path, error=("invalid_request", _problems(exc)))
            continue
        yield Input(path, request)


def _jsonl_inputs(path: str) -> Iterator[Input]:
    """The SummaryRequest objects of a JSON Lines file, read one line at a time (blank lines skipped)."""
    try:
        stream = (
            contextlib.nullcontext(sys.stdin)
            if path == "-"
            else open(path, encoding="utf-8", errors="replace")  # noqa: SIM115 (entered just below)
        )
    except OSError as exc:
        yield Input(path, error=_file_error(path, exc))
        return
    with stream as lines:
        for number, line in enumerate(lines, start=1):
            if line.strip():
                yield _jsonl_input(f"{path}:{number}", line)


def _jsonl_input(where: str, line: str) -> Input:
    import json

    from pydantic import ValidationError

    from schemas.contract import SummaryRequest

    try:
        data = json.loads(line)
    except ValueError as exc:
        return Input(where, error=("invalid_json", f"the line is not JSON: {exc}"))
    if not isinstance(data, dict):
        return Input(where, error=("invalid_request", "the line is not a JSON object (a SummaryRequest)"))
    source = data.pop("source", None)
    if source is not None and not isinstance(source, str):
        return Input(where, error=("invalid_request", "'source' must be a string"))
    source = source or where
    try:
        return Input(source, SummaryRequest.model_validate(data))
    except ValidationError as exc:
        return Input(source, error=("invalid_request", f"not a SummaryRequest: {_problems(exc)}"))


def _problems(exc: Any) -> str:
    """A pydantic ValidationError in one line: each field and what is wrong with it."""
    return "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg']}" for e in exc.errors(include_url=False)
    )


def _inputs(args: argparse.Namespace) -> Iterator[Input]:
    yield from _file_inputs(args)
    for path in args.jsonl:
        yield from _jsonl_inputs(path)


def _print_result(source: str, summary: Any, indent: int | None) -> None:
    """The ArticleSummary as the API returns it, with ``source`` first."""
    import json

    payload = {"source": source, **json.loads(summary.model_dump_json())}
    print(json.dumps(payload, ensure_ascii=False, indent=indent), flush=True)


def _print_error(source: str, code: str, message: str, indent: int | None) -> None:
    import json

    payload = {"source": source, "error": {"code": code, "message": message}}
    print(json.dumps(payload, ensure_ascii=False, indent=indent), flush=True)
    print(f"newsfacts: {source}: {code}: {message}", file=sys.stderr)


def _cli_settings(args: argparse.Namespace):  # -> Settings
    """The settings, with ``-m/--model`` in place of NEWSFACTS_MODEL ('embedded': none)."""
    settings = _settings()
    if args.model is None:
        return settings
    from newsfacts.settings import EMBEDDED

    return settings.model_copy(update={"model": None if args.model == EMBEDDED else args.model})


async def _summarize_inputs(args: argparse.Namespace) -> int:
    """One stdout line per input, in input order; the model starts at the first article it has to read."""
    from newsfacts.batchcore import run_item
    from newsfacts.errors import NewsfactsError
    from newsfacts.runtime import Runtime

    settings = _cli_settings(args)
    runtime = Runtime(settings, wait_for_embedded=True)
    started = False
    startup_error: NewsfactsError | None = None
    failures = 0
    total = len(args.files) if not args.jsonl else 0
    try:
        with _progress(total) as advance:
            for item in _inputs(args):
                error = item.error
                if error is None and startup_error is None and not started:
                    try:
                        await runtime.start()
                        started = True
                    except NewsfactsError as exc:
                        startup_error = exc
                if error is None and startup_error is not None:
                    error = (startup_error.code, startup_error.message)
                if error is None:  # a defect is an internal_error line, and the next article still runs
                    outcome = await run_item(item.request, runtime=runtime, explain=args.explain, log=log,
                                             what=f"summarising {item.source}")  # fmt: skip
                    if outcome.error is not None:
                        error = (outcome.error.code, outcome.error.message)
                    else:
                        _print_result(item.source, outcome.result, args.indent)
                if error is not None:
                    failures += 1
                    _print_error(item.source, *error, args.indent)
                advance(item.source)
    finally:
        runtime.stop()
    if startup_error is not None:
        return 3
    return 1 if failures else 0


@contextlib.contextmanager
def _progress(total: int) -> Iterator[Callable[[str], None]]:
    """A progress bar on stderr for several files (stdout carries only JSON lines)."""
    if total < 2 or not sys.stderr.isatty():
        yield lambda path: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("summarising"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
               TextColumn("{task.description}"))  # fmt: skip
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("", total=total)
        yield lambda path: bar.update(task, advance=1, description=Path(path).name)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["eval"]:
        from evals.cli import main as eval_main

        return int(eval_main(argv[1:]) or 0)
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    if args.command == "summarize":
        if not args.files and not args.jsonl:
            print("newsfacts summarize: give at least one FILE or --jsonl FILE (see --help)", file=sys.stderr)
            return 2
        import asyncio

        try:
            return asyncio.run(_summarize_inputs(args))
        except KeyboardInterrupt:
            print("newsfacts: interrupted", file=sys.stderr)
            return 130
    if args.command == "serve":
        import uvicorn

        from api.app import create_app
        from api.limits import head_timeout_protocol
        from newsfacts.logs import configure

        settings = _settings()
        configure(settings.log_level, as_json=settings.log_json)
        uvicorn.run(
            create_app(settings),
            host=args.host or settings.host,
            port=args.port or settings.port,
            log_level=settings.log_level,
            log_config=None,
            access_log=False,
            timeout_keep_alive=settings.keep_alive_s,  # idle connections; bodies: NEWSFACTS_BODY_TIMEOUT_S
            http=head_timeout_protocol(settings.header_timeout_s),  # request line and headers
        )
        return 0
    if args.command == "worker":
        from newsfacts.logs import configure

        settings = _settings()
        configure(settings.log_level, as_json=settings.log_json)
        if not settings.batch_queue:
            print("newsfacts: no batch queue is configured; set NEWSFACTS_BATCH_QUEUE=redis://host:6379/0",
                  file=sys.stderr)  # fmt: skip
            return 2
        try:
            from newsfacts.queue import worker
        except ImportError as exc:  # arq is the optional 'queue' extra
            print(f"newsfacts: the queue worker needs the 'queue' extra ({exc})", file=sys.stderr)
            return 2
        worker(settings, burst=args.burst).run()
        return 0
    if args.command == "hash-key":
        import getpass

        from api.guard import key_digest

        key = sys.stdin.readline().strip() if not sys.stdin.isatty() else getpass.getpass("API key: ")
        if not key:
            print("newsfacts: no key given", file=sys.stderr)
            return 2
        print(f"sha256:{key_digest(key)}")
        return 0
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
