"""The README's example response: the seed article's answer as ``newsfacts summarize`` prints it,
replayed from the answers recorded from the embedded model (``cassettes/test_seed_article.yaml``),
so no model runs and the output is the model's real answer, not a typed one.

    uv run --locked python -m cli.example
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASSETTE = ROOT / "cassettes" / "test_seed_article.yaml"
SEED = "../shared/seeds/rt-nagorno-karabakh.txt"  # the README's first command, from the project root


# The recorded model, addressed where nothing listens (evals.cli.REPLAY_API_BASE): every answer comes
# from the cassette, and the user's result cache is neither read nor written.
ENV = {
    "NEWSFACTS_MODEL": "openai/qwen2.5-coder-1.5b", "NEWSFACTS_API_BASE": "http://127.0.0.1:9/v1",
    "NEWSFACTS_API_KEY": "replay", "NEWSFACTS_CACHE_ENABLED": "false", "NEWSFACTS_TRANSPORT_RETRIES": "1",
    "LITELLM_LOCAL_MODEL_COST_MAP": "True",
}  # fmt: skip


def main() -> int:
    from evals.cli import recorded_answers

    os.environ.update(ENV)
    os.chdir(ROOT)
    from cli.main import main as newsfacts

    with recorded_answers(CASSETTE, replay_only=True):
        return newsfacts(["summarize", "--indent", "2", SEED])


if __name__ == "__main__":
    sys.exit(main())
