#!/usr/bin/env bash
# The README's quality table: every suite with the reading rules on and off, replayed from the
# committed model answers (no model starts and the embedded extra is not needed: a request the answers
# file does not hold fails its article as answer_not_recorded, and the table leaves such articles out),
# then the table by field and by language. Each run exits 1 when an article failed; the table goes on.
#
#     bash evals/quality.sh            # writes evals/runs/quality/<suite>-<rules>/ and prints the table
set -euo pipefail
cd "$(dirname "$0")/.."
out=evals/runs/quality
mkdir -p "$out"
# Replay only: the answers match on method, path and body, so any base URL will do; the context window
# is the embedded server's, as when the answers were recorded.
export NEWSFACTS_MODEL=openai/qwen2.5-coder-1.5b NEWSFACTS_API_BASE=http://127.0.0.1:9/v1 \
       NEWSFACTS_API_KEY=replay NEWSFACTS_CONTEXT_TOKENS=8192
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
