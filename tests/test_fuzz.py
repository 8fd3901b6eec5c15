"""Schemathesis against the app's own OpenAPI schema: generated requests (valid and not) never
get a 5xx, and every response conforms to the schema the app publishes. The app has an API key
configured, as the document's security schemes say: generated requests carry it, and schemathesis's
own check that a request without it (or with a made-up one) is refused runs too.

One check is left out: "schema-valid data is accepted". The schema can say that ``text`` is a
string, not that it holds an article; whitespace, or an HTML page with no text in it, is a
documented 422 (``empty_text``).
"""

# ruff: noqa: F811  (the `stub` fixture is imported by name)
from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api.app import create_app
from api.guard import key_digest
from tests.helpers import make_runtime, make_settings
from tests.stub import stub  # noqa: F401

KEY = "fuzz-key"


def test_no_server_errors_and_responses_match_the_schema(stub):
    app_settings = make_settings(stub, max_text_bytes=4000, api_key_hashes=[key_digest(KEY)])
    app = create_app(app_settings, runtime=make_runtime(app_settings))
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {f"{op.method.upper()} {op.path}" for op in operations} >= {"POST /v1/summaries", "GET /readyz"}
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
        def fuzz(case) -> None:
            case.call_and_validate(
                headers={"Authorization": f"Bearer {KEY}"}, excluded_checks=[positive_data_acceptance]
            )

        fuzz()
