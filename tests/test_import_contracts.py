"""The import contracts of pyproject.toml (``[tool.importlinter]``): the tree keeps them, and an import
that crosses a layer breaks the contract that forbids it. Each check is ``lint-imports`` (as CI runs it)
on a copy of the packages with one forbidden import planted."""

from __future__ import annotations

import shutil
import subprocess
import sysconfig
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
CONTRACTS = {contract["id"]: contract["name"] for contract in CONFIG["contracts"]}


def lint_imports(tree: Path) -> tuple[int, str]:
    """lint-imports run in ``tree`` (it puts its working directory first on sys.path, so the packages
    there are the ones checked); its exit status and its output with the line wrapping undone."""
    script = Path(sysconfig.get_path("scripts")) / "lint-imports"  # import-linter, a dev dependency
    done = subprocess.run([str(script), "--no-cache"], cwd=tree, capture_output=True, text=True, timeout=120)
    return done.returncode, " ".join((done.stdout + done.stderr).split())


def verdicts(output: str) -> dict[str, str]:
    return {
        key: "BROKEN" if f"{name} BROKEN" in output else "KEPT" if f"{name} KEPT" in output else "missing"
        for key, name in CONTRACTS.items()
    }


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of the packages' modules and of the contracts."""

    def not_python(folder: str, names: list[str]) -> list[str]:
        return [n for n in names if n == "__pycache__" or not (n.endswith(".py") or Path(folder, n).is_dir())]

    for package in CONFIG["root_packages"]:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=not_python)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_tree_keeps_every_contract() -> None:
    status, output = lint_imports(ROOT)
    assert status == 0, output
    assert set(verdicts(output).values()) == {"KEPT"}, output
    assert f"Contracts: {len(CONTRACTS)} kept, 0 broken." in output


@pytest.mark.parametrize(
    ("module", "planted", "broken"),
    [
        ("newsfacts/pipeline.py", "import api.app", {"layers", "core-imports-no-door"}),
        ("newsfacts/batches.py", "from cli.main import main", {"layers", "core-imports-no-door"}),
        ("schemas/contract.py", "from newsfacts.errors import NewsfactsError", {"layers", "schemas-import-nothing"}),
        ("newsfacts/reading/trace.py", "from newsfacts.llm import ModelClient", {"layers"}),
        ("evals/runner.py", "from api.app import create_app", {"layers"}),
        ("newsfacts/queue.py", "from newsfacts.batches import LocalBatches", {"layers"}),
        ("newsfacts/batchcore.py", "import newsfacts.queue", {"layers", "no-cycles"}),
        ("newsfacts/pipeline.py", "import litellm", {"one-model-client"}),
    ],
    ids=["core-imports-api", "core-imports-cli", "schemas-import-core", "reading-imports-llm",
         "evals-imports-api", "queue-imports-sqlite", "cycle", "litellm-outside-llm"],
)  # fmt: skip
def test_a_planted_import_breaks_the_contract_that_forbids_it(
    tree: Path, module: str, planted: str, broken: set[str]
) -> None:
    path = tree / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{planted}  # planted\n", encoding="utf-8")

    status, output = lint_imports(tree)

    assert status == 1, output
    assert verdicts(output) == {key: "BROKEN" if key in broken else "KEPT" for key in CONTRACTS}, output
    assert f"Contracts: {len(CONTRACTS) - len(broken)} kept, {len(broken)} broken." in output
