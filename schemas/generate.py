"""Write the JSON Schema files that integrators validate against: ``python -m schemas.generate``."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from schemas.contract import ArticleSummary, ErrorResponse, SummaryRequest

HERE = Path(__file__).parent
FILES: dict[str, type[BaseModel]] = {
    "article_summary.schema.json": ArticleSummary,
    "summary_request.schema.json": SummaryRequest,
    "error.schema.json": ErrorResponse,
}


def render(model: type[BaseModel]) -> str:
    schema = model.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://newsfacts.local/schemas/v1/{model.__name__}.json"
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def main() -> None:
    for name, model in FILES.items():
        (HERE / name).write_text(render(model), encoding="utf-8")
        print(f"wrote schemas/{name}")


if __name__ == "__main__":
    main()
