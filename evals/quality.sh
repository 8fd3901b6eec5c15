#!/usr/bin/env bash
# The README's quality table: every suite with the reading rules on and off, replayed from the
# committed model answers (no model starts and the embedded extra is not needed: a request the answers
# file does not hold fails its article as answer_not_recorded, and the table leaves such articles out),
# then the table by field and by language. Each run exits 1 when an article failed; the table goes on.
#
#     bash evals/quality.sh            # writes evals/runs/quality/<suite>-<rules>/ and prints the table
#     bash evals/quality.sh modes      # the table per instructor mode (README, "Per instructor mode")
set -euo pipefail
cd "$(dirname "$0")/.."
out=evals/runs/quality
mkdir -p "$out"
# Replay only: the answers match on method, path and body, so any base URL will do; the context window
# is the embedded server's, as when the answers were recorded.
export NEWSFACTS_MODEL=openai/qwen2.5-coder-1.5b NEWSFACTS_API_BASE=http://127.0.0.1:9/v1 \
       NEWSFACTS_API_KEY=replay NEWSFACTS_CONTEXT_TOKENS=8192
if [ "${1:-}" = modes ]; then
  # Per instructor mode, on the same articles: the first $n of check by id (fixed before any was
  # run), each mode replayed from its own answers file; JSON_SCHEMA (the mode chosen for a server
  # with an api_base) from the suite's answers. A mode with no answers file is left out.
  n=2
  cols=()
  for mode in json_schema tools json md_json; do
    answers=evals/answers/qwen2.5-coder-1.5b-real-$mode.yaml
    [ "$mode" = json_schema ] && answers=evals/answers/qwen2.5-coder-1.5b-real.yaml
    [ -f "$answers" ] || continue
    NEWSFACTS_INSTRUCTOR_MODE=$mode uv run --locked newsfacts eval --suite check --limit "$n" \
      --answers "$answers" --replay-only --no-progress --history "$out/history.sqlite" \
      --out "$out/modes-$mode" > "$out/modes-$mode.log" 2>&1 || true
    cols+=("$mode=$out/modes-$mode/results.json")
  done
  uv run --locked python -m evals.table "${cols[@]}"
  exit 0
fi
results=()
for suite in synthetic tune check; do
  answers=evals/answers/qwen2.5-coder-1.5b.yaml
  [ "$suite" = synthetic ] || answers=evals/answers/qwen2.5-coder-1.5b-real.yaml
  for rules in on off; do
    flags=(); [ "$rules" = off ] && flags=(--no-rules)
    uv run --locked newsfacts eval --suite "$suite" "${flags[@]}" --replay "$answers" \
      --no-progress --history "$out/history.sqlite" --out "$out/$suite-$rules" > "$out/$suite-$rules.log" 2>&1 || true
    results+=("$out/$suite-$rules/results.json")
  done
done
uv run --locked python -m evals.table "${results[@]}"
