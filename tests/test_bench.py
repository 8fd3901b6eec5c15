"""The benchmark's partial runs (``python -m bench --only …``) replace their own tables in
BENCHMARKS.md and keep every other table as it was."""

from __future__ import annotations

from pathlib import Path

from bench.__main__ import Table, merge


def table(title: str, value: str) -> Table:
    t = Table(title, ["what", "value"])
    t.add("x", value)
    return t


def test_a_partial_run_replaces_its_tables_and_keeps_the_others(tmp_path: Path) -> None:
    out = tmp_path / "BENCHMARKS.md"
    out.write_text(
        "# Benchmarks\n\nMade by `full run`.\n\n"
        + table("Kept", "1").markdown()
        + "\n"
        + table("Old", "2").markdown(),
        encoding="utf-8",
    )

    text = merge(out, [table("Old", "3"), table("New", "4")], "Made by `partial run`.")

    assert text.startswith("# Benchmarks\n\nMade by `full run`.\n")
    assert [line for line in text.splitlines() if line.startswith("### ")] == [
        "### Kept",
        "### Old",
        "### New",
    ]
    assert "| x | 1 |" in text and "| x | 3 |" in text and "| x | 4 |" in text
    assert "| x | 2 |" not in text
    kept, old, new = text.split("\n### ")[1:]
    assert "partial run" not in kept and "partial run" in old and "partial run" in new


def test_a_partial_run_starts_the_file_when_there_is_none(tmp_path: Path) -> None:
    text = merge(tmp_path / "BENCHMARKS.md", [table("Only", "5")], "Made by `partial run`.")
    assert text.startswith("# Benchmarks\n") and "### Only" in text and "| x | 5 |" in text
