"""The ``newsfacts`` command. Heavy modules are imported inside the commands, so ``--help`` is instant."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsfacts",
        description="Turn news articles into attributed, verifiable facts (contract v1 JSON). "
        "With no NEWSFACTS_MODEL set, an embedded local model is used.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    summ = sub.add_parser("summarize", help="print one ArticleSummary JSON line per article")
    summ.add_argument("files", nargs="+", metavar="FILE",
                      help="article files (.html/.htm pages are extracted first), or - for standard input")
    summ.add_argument("--html", action="store_true", help="treat every input as an HTML page")
    summ.add_argument("--outlet", help="the publishing outlet, when known")
    summ.add_argument("--title", help="the headline, when known (single article only)")
    summ.add_argument("--url", help="the article's URL (single article only)")
    summ.add_argument("--indent", type=int, default=None, help="pretty-print the JSON")
    summ.add_argument("--explain", action="store_true",
                      help="add a trace of the reading rules that shaped, added or dropped every entry")
    summ.add_argument("--language", default=None, metavar="CODE",
                      help="the articles' ISO 639-1 language (default: identified from each text)")

    serve = sub.add_parser("serve", help="run the HTTP API")
    serve.add_argument("--host", default=None, help="bind address (default: NEWSFACTS_HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, default=None, help="port (default: NEWSFACTS_PORT or 8000)")

    work = sub.add_parser(
        "worker",
        help="summarise batch articles from the queue engine (NEWSFACTS_BATCH_QUEUE); run as many as needed",
    )
    work.add_argument("--burst", action="store_true", help="stop once the queue is empty")

    sub.add_parser("hash-key", help="print the digest of an API key (read from stdin) for NEWSFACTS_API_KEY_HASHES")

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


def _read(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    return Path(path).read_text(encoding="utf-8", errors="replace")


async def _summarize_files(args: argparse.Namespace) -> int:
    from newsfacts.errors import NewsfactsError
    from newsfacts.pipeline import Runtime, summarize
    from schemas.contract import SummaryRequest

    settings = _settings()
    single = len(args.files) == 1
    failures = 0
    with _progress(len(args.files)) as advance:
        async with Runtime(settings) as runtime:
            for path in args.files:
                is_html = args.html or Path(path).suffix.lower() in (".html", ".htm")
                request = SummaryRequest(
                    text=_read(path),
                    format="html" if is_html else "text",
                    outlet=args.outlet,
                    title=args.title if single else None,
                    url=args.url if single else None,
                    language=args.language,
                )
                try:
                    result = await summarize(request, runtime=runtime, explain=args.explain)
                except NewsfactsError as exc:
                    failures += 1
                    print(f"newsfacts: {path}: {exc.code}: {exc.message}", file=sys.stderr)
                    advance(path)
                    continue
                print(result.model_dump_json(indent=args.indent), flush=True)
                advance(path)
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
    import logging

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    if args.command == "summarize":
        import asyncio

        return asyncio.run(_summarize_files(args))
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
