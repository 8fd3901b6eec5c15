"""The checked-in JSON Schemas are generated from the pydantic models and never stale."""

from schemas import generate


def test_schema_files_are_current():
    for name, model in generate.FILES.items():
        on_disk = (generate.HERE / name).read_text(encoding="utf-8")
        assert on_disk == generate.render(model), (
            f"schemas/{name} is stale: run 'uv run python -m schemas.generate' and commit the result"
        )
