"""Regenerate the integrators' clients from the service's OpenAPI document:
``uv run --locked python -m clients.generate``.

1. ``clients/openapi.json``: the document ``/openapi.json`` serves, taken from the app without starting a
   model or opening a store.
2. ``clients/python/``: a typed Python client (package ``newsfacts_client``) by openapi-python-client.
3. ``clients/typescript/newsfacts.d.ts``: TypeScript types by openapi-typescript, once
   ``npm ci --prefix clients/typescript`` has installed it (skipped with a note otherwise).

``--check`` writes nothing: it regenerates into a temporary folder and exits 1 naming every stale file.
"""

from __future__ import annotations

import argparse
import copy
import filecmp
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DOCUMENT = HERE / "openapi.json"
PYTHON_CLIENT = HERE / "python"
PYTHON_CONFIG = HERE / "openapi-python-client.yaml"
TYPESCRIPT = HERE / "typescript"
TYPES_FILE = "newsfacts.d.ts"
# Folders that tools and the interpreter leave beside generated files: never part of a client.
CACHES = {"__pycache__", ".ruff_cache", ".pytest_cache"}


def openapi_document() -> dict[str, Any]:
    """The OpenAPI document of the app as ``newsfacts serve`` would serve it. Building the app starts no
    model and opens no store (both happen in its lifespan); the result cache is off so no file is touched."""
    from api.app import create_app
    from newsfacts.settings import Settings

    settings = Settings(_env_file=None, cache_enabled=False)  # type: ignore[call-arg]
    return create_app(settings).openapi()


def render_document(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _tool_env() -> dict[str, str]:
    """The environment for the generators: this interpreter's scripts (ruff, which openapi-python-client
    runs over its output) first on PATH, whether or not the venv is activated."""
    bin_dir = str(Path(sys.executable).parent)
    return os.environ | {"PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}


def json_bodies_only(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with every request body as JSON only. openapi-python-client generates no string
    bodies (an HTML page or plain text sent raw), so the Python client sends an article as a
    SummaryRequest (``format: "html"`` for a whole page); anything else it cannot generate still fails."""
    document = copy.deepcopy(document)
    for path in document.get("paths", {}).values():
        for operation in path.values():
            content = operation.get("requestBody", {}).get("content") if isinstance(operation, dict) else None
            if content and "application/json" in content:
                for media in [m for m in content if m != "application/json"]:
                    del content[media]
    return document


def generate_python(document: Path, out: Path) -> None:
    """openapi-python-client, from ``document`` (its JSON bodies) into the folder ``out`` (replaced).
    Any warning of the generator is an error."""
    source = out.parent / "openapi.python.json"
    source.write_text(render_document(json_bodies_only(json.loads(document.read_text(encoding="utf-8")))),
                      encoding="utf-8")  # fmt: skip
    command = [
        sys.executable, "-m", "openapi_python_client", "generate", "--path", str(source),
        "--output-path", str(out), "--config", str(PYTHON_CONFIG), "--meta", "uv", "--overwrite",
        "--fail-on-warning",
    ]  # fmt: skip
    subprocess.run(command, check=True, env=_tool_env(), cwd=ROOT, stdout=subprocess.DEVNULL)


def typescript_generator() -> Path | None:
    """openapi-typescript as ``npm ci`` installed it from clients/typescript/package-lock.json, or None."""
    binary = TYPESCRIPT / "node_modules" / ".bin" / "openapi-typescript"
    return binary if binary.exists() else None


def generate_typescript(document: Path, out: Path) -> None:
    """openapi-typescript, from ``document`` into the file ``out``."""
    binary = typescript_generator()
    if binary is None:
        raise FileNotFoundError(
            "openapi-typescript is not installed: run 'npm ci --prefix clients/typescript'"
        )
    subprocess.run([str(binary), str(document), "--output", str(out)], check=True, cwd=TYPESCRIPT,
                   stdout=subprocess.DEVNULL)  # fmt: skip


def generate(into: Path, *, typescript: bool) -> None:
    """Write the document, the Python client and (when asked) the TypeScript types under ``into``, laid
    out as under clients/."""
    into.mkdir(parents=True, exist_ok=True)
    document = into / DOCUMENT.name
    document.write_text(render_document(openapi_document()), encoding="utf-8")
    generate_python(document, into / PYTHON_CLIENT.name)
    if typescript:
        (into / TYPESCRIPT.name).mkdir(exist_ok=True)
        generate_typescript(document, into / TYPESCRIPT.name / TYPES_FILE)


def stale_files(fresh: Path, *, typescript: bool) -> list[str]:
    """The generated files under clients/ that differ from (or are missing in, or extra to) a fresh run."""
    pairs: list[tuple[Path, Path]] = [(fresh / DOCUMENT.name, DOCUMENT)]
    if typescript:
        pairs.append((fresh / TYPESCRIPT.name / TYPES_FILE, TYPESCRIPT / TYPES_FILE))
    names = set(_files(fresh / PYTHON_CLIENT.name)) | set(_files(PYTHON_CLIENT))
    pairs += [(fresh / PYTHON_CLIENT.name / n, PYTHON_CLIENT / n) for n in sorted(names)]
    return [
        str(committed.relative_to(ROOT))
        for new, committed in pairs
        if not (new.is_file() and committed.is_file() and filecmp.cmp(new, committed, shallow=False))
    ]


def _files(folder: Path) -> list[str]:
    """Files under ``folder``, relative to it; caches of the interpreter and of tools left out."""
    if not folder.is_dir():
        return []
    return [
        str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and not CACHES & set(p.parts)
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m clients.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if a generated file is stale"
    )
    args = parser.parse_args(argv)
    typescript = typescript_generator() is not None
    if not typescript:
        print("openapi-typescript is not installed (npm ci --prefix clients/typescript): TypeScript types skipped",
              file=sys.stderr)  # fmt: skip
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            generate(Path(tmp), typescript=typescript)
            stale = stale_files(Path(tmp), typescript=typescript)
        for name in stale:
            print(f"stale: {name}", file=sys.stderr)
        if stale:
            print("run 'uv run --locked python -m clients.generate' and commit the result", file=sys.stderr)
        return 1 if stale else 0
    with tempfile.TemporaryDirectory() as tmp:
        generate(Path(tmp), typescript=typescript)
        shutil.copyfile(Path(tmp) / DOCUMENT.name, DOCUMENT)
        shutil.rmtree(PYTHON_CLIENT, ignore_errors=True)
        shutil.copytree(Path(tmp) / PYTHON_CLIENT.name, PYTHON_CLIENT, ignore=shutil.ignore_patterns(*CACHES))
        if typescript:
            shutil.copyfile(Path(tmp) / TYPESCRIPT.name / TYPES_FILE, TYPESCRIPT / TYPES_FILE)
    print(
        "wrote clients/openapi.json, clients/python/"
        + (f", clients/typescript/{TYPES_FILE}" if typescript else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
