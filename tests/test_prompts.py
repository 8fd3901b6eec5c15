"""Golden tests of every rendered prompt: a template change must be deliberate.

When a template changes on purpose: bump prompts.PROMPT_VERSION, regenerate the golden
files with ``uv run python -m tests.test_prompts``, and re-record the cassettes.
"""

import hashlib
import json
from pathlib import Path

import prompts
from newsfacts.reading.lexicon import lexicon
from newsfacts.reading.sentences import number_sentences
from newsfacts.reading.sentences import split_sentences as _split
from newsfacts.tasks import TASKS


def split_sentences(text):
    return _split(text, lexicon("en"))


GOLDEN = Path(__file__).parent / "golden"
ARTICLE = (
    "Storm kills 3 — Test Outlet\n\nThree people died, the {{ mayor }} said. {% if x %}Nothing{% endif %}."
)


def rendered() -> dict[str, list[dict[str, str]]]:
    numbered = number_sentences(split_sentences(ARTICLE))
    return {task.name: task.messages(numbered) for task in TASKS}


def fingerprint() -> str:
    digest = hashlib.sha256()
    for path in prompts.template_files():
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def test_rendered_prompts_match_golden():
    golden = json.loads((GOLDEN / "prompts.json").read_text(encoding="utf-8"))
    assert golden["prompt_version"] == prompts.PROMPT_VERSION
    assert golden["messages"] == rendered()


def test_template_change_requires_version_bump():
    golden = json.loads((GOLDEN / "prompts.json").read_text(encoding="utf-8"))
    assert golden["templates_sha256"] == fingerprint(), (
        "a template changed: bump prompts.PROMPT_VERSION, regenerate tests/golden/prompts.json "
        "(uv run python -m tests.test_prompts) and re-record the cassettes"
    )


def test_article_text_is_never_evaluated_as_a_template():
    for messages in rendered().values():
        assert "{{ mayor }}" in messages[1]["content"]
        assert "{% if x %}" in messages[1]["content"]


if __name__ == "__main__":
    GOLDEN.mkdir(exist_ok=True)
    data = {
        "prompt_version": prompts.PROMPT_VERSION,
        "templates_sha256": fingerprint(),
        "messages": rendered(),
    }
    (GOLDEN / "prompts.json").write_text(
        json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print("wrote tests/golden/prompts.json")


def test_a_reask_is_about_the_same_article_as_its_call():
    call = prompts.messages("claims.j2", "[1] Floods hit the town.")
    reask = [
        *call,
        {"role": "assistant", "content": "{}"},
        {"role": "user", "content": "Correct your JSON:\n\nerrors"},
    ]
    assert prompts.article_of(call) == prompts.article_of(reask) == "ARTICLE:\n[1] Floods hit the town."
    assert prompts.article_of(
        prompts.messages("denials.j2", "[1] Floods hit the town.")
    ) == prompts.article_of(call)


def test_the_task_a_call_asks_is_read_from_its_question_also_in_a_reask_or_text_blocks():
    for template in prompts.task_templates():
        call = prompts.messages(template, "[1] Floods hit the town.\n\n[2] TASK force arrived: none.")
        reask = [*call, {"role": "assistant", "content": "{}"}, {"role": "user", "content": "TASK x: fix it"}]
        blocks = [{"role": "user", "content": [{"type": "text", "text": call[1]["content"]}]}]
        assert prompts.task_of(call) == prompts.task_of(reask) == prompts.task_of(blocks) == template[:-3]
        assert prompts.article_of(blocks) == prompts.article_of(call)
    assert prompts.task_of([{"role": "user", "content": "no question here"}]) == ""
