"""Configuration, read from the environment (``NEWSFACTS_*``) or a ``.env`` file."""

from __future__ import annotations

from functools import lru_cache
from ipaddress import IPv4Network, IPv6Network
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

EmbeddedModelName = Literal["qwen2.5-coder-1.5b", "qwen2.5-coder-0.5b"]
InstructorModeName = Literal["tools", "json_schema", "json", "md_json"]
# The documented NEWSFACTS_INSTRUCTOR_MODE values and the instructor.Mode member each one names.
INSTRUCTOR_MODES: dict[str, str] = {
    "tools": "TOOLS",
    "json_schema": "JSON_SCHEMA",
    "json": "JSON",
    "md_json": "MD_JSON",
}


EMBEDDED = "embedded"


class FallbackModel(BaseModel):
    """One model of NEWSFACTS_FALLBACK_MODELS: a litellm model string (or ``embedded``), with the
    server and key it needs when litellm's provider defaults do not apply."""

    model: str = Field(min_length=1)
    api_base: str | None = None
    api_key: SecretStr | None = None

    @property
    def is_embedded(self) -> bool:
        return self.model == EMBEDDED


class Settings(BaseSettings):
    """Every setting has a working default: with none set, the embedded local model is used."""

    model_config = SettingsConfigDict(env_prefix="NEWSFACTS_", env_file=".env", extra="ignore")

    # Which model. Unset: the embedded llama.cpp server on loopback.
    model: str | None = Field(
        default=None,
        description="Any litellm model string (openai/gpt-4o-mini, anthropic/claude-3-5-haiku-latest, "
        "ollama/qwen2.5, hosted_vllm/…). Unset: the embedded local model.",
    )
    api_base: str | None = Field(default=None, description="Base URL of an OpenAI-compatible server.")
    api_key: SecretStr | None = Field(
        default=None, description="Key for api_base; provider keys are read by litellm itself."
    )
    fallback_models: Annotated[list[FallbackModel], NoDecode] = Field(
        default_factory=list,
        description="Models to answer, in this order, when the model fails after its retries or is "
        "rate-limited (litellm's Router): comma-separated litellm model strings, 'embedded' for the embedded "
        'model, or a JSON list whose items may be {"model", "api_base", "api_key"} objects.',
    )
    instructor_mode: InstructorModeName | None = Field(
        default=None,
        description="Force an instructor mode: tools, json_schema, json or md_json. Unset: chosen per provider.",
    )

    # The embedded model.
    embedded_model: EmbeddedModelName = "qwen2.5-coder-1.5b"
    embedded_threads: int | None = Field(default=None, description="CPU threads; default: all cores.")
    embedded_ctx: int = Field(default=8192, description="Context window of the embedded server.")
    embedded_parallel: int = Field(default=1, description="Parallel slots of the embedded server.")
    embedded_port: int = Field(default=0, description="Loopback port; 0 picks a free one.")
    embedded_start_timeout_s: float = 300.0
    cache_dir: Path | None = Field(default=None, description="Where assembled weights live.")

    # Result cache: a repeated article answers without a model call.
    cache_enabled: bool = Field(default=True, description="Answer repeated articles from the result cache.")
    cache_path: Path | None = Field(default=None, description="SQLite file; default: the user cache dir.")
    cache_max_age_days: float = Field(
        default=30.0, description="Cached answers older than this are deleted; 0: kept."
    )
    cache_max_mb: float = Field(
        default=500.0, description="The oldest cached answers are deleted beyond this; 0: no cap."
    )

    # Limits.
    request_timeout_s: float = Field(default=180.0, description="Deadline for one article.")
    max_text_bytes: int = Field(default=100_000, description="Largest accepted article text, in bytes.")
    max_html_bytes: int = Field(default=2_000_000, description="Largest accepted HTML page, in bytes.")
    transport_retries: int = Field(default=3, description="Attempts per model call on 429/5xx/timeouts.")
    validation_retries: int = Field(default=2, description="Attempts per model call on invalid output.")
    retry_wait_s: float = Field(default=0.5, description="First backoff wait; doubles each attempt.")
    max_tokens: int = Field(default=700, description="Output token cap per model call.")
    context_tokens: int | None = Field(
        default=None,
        description="The model's context window, in tokens; a longer article is read in overlapping "
        "windows of paragraphs. Default: the embedded server's, else litellm's model info, else 32768.",
    )
    temperature: float = 0.0
    reading_rules: bool = Field(
        default=True,
        description="Apply the reading rules (newsfacts/reading); false keeps only grounding: quotes verified, "
        "figures in their quote, names that are parties (the eval's rules-off line).",
    )
    sequential_calls: bool = Field(
        default=False, description="Send an article's calls one at a time (always so on the embedded model)."
    )

    # Batch jobs.
    batch_db_path: Path | None = Field(
        default=None, description="SQLite file of batch jobs (WAL); default: the user data dir."
    )
    batch_max_articles: int = Field(default=500, description="Most articles in one batch.")
    batch_max_bytes: int = Field(
        default=20_000_000,
        description="Largest batch request body, in bytes (413 as soon as a body passes it).",
    )
    batch_max_pending_per_key: int = Field(
        default=2000,
        description="Batch articles one key may have waiting or running; beyond it: 429. 0: no quota.",
    )
    batch_retention_days: float = Field(
        default=7.0, description="Finished batches older than this are deleted; 0: kept."
    )
    batch_max_mb: float = Field(
        default=1000.0,
        description="The oldest finished batches are deleted while the store holds more; 0: no cap.",
    )
    batch_retry_s: float = Field(
        default=5.0, description="After a batch store write fails (a full disk), the worker waits this long."
    )
    batch_sweep_s: float = Field(
        default=30.0, description="How often stale running articles are put back and batches pruned."
    )
    batch_stale_s: float = Field(
        default=600.0, description="A running article no worker holds goes back to pending after this long."
    )
    batch_queue: str | None = Field(
        default=None,
        description="A Redis URL (redis://host:6379/0): batch articles are kept in Redis and summarised by "
        "`newsfacts worker` processes through arq, on any number of machines, instead of in the API process.",
    )
    batch_queue_connect_retries: int = Field(
        default=2,
        ge=0,
        le=10,
        description="Attempts after the first to reach the batch queue's Redis (1 s apart) before a batch "
        "request is answered 503 `queue_unavailable`.",
    )
    batch_job_timeout_s: float = Field(
        default=1800.0,
        description="Longest time one batch article may take on a queue worker; a worker that dies mid-article "
        "leaves it to another worker this long (plus NEWSFACTS_BATCH_LEASE_GRACE_S) later.",
    )
    batch_lease_grace_s: float = Field(
        default=10.0,
        description="A queue worker's hold on its article lasts the job timeout plus this; an article whose "
        "worker died goes to another worker once it runs out.",
    )
    batch_max_tries: int = Field(default=3, description="Times a queue worker may start one article.")

    # Batch webhooks (newsfacts/webhooks.py).
    webhook_secret: SecretStr | None = Field(
        default=None,
        description="The server's webhook secret (at least 32 characters); each API key's signing secret is "
        "derived from it (`python -m newsfacts.webhooks secret sha256:…` prints one). Unset: callback_url is refused.",
    )
    webhook_allow_networks: Annotated[list[IPv4Network | IPv6Network], NoDecode] = Field(
        default_factory=list,
        description="Networks a callback may reach although they are not public (loopback, private, link-local), "
        "comma-separated CIDRs, e.g. 10.20.0.0/16. Empty: public addresses only.",
    )
    webhook_timeout_s: float = Field(default=10.0, description="Longest time one delivery attempt may take.")
    webhook_retry_s: float = Field(
        default=5.0, description="Wait after a failed delivery; doubles each attempt."
    )
    webhook_retry_max_s: float = Field(
        default=300.0, description="Longest wait between two delivery attempts."
    )
    webhook_max_age_s: float = Field(
        default=86400.0,
        description="An event not delivered this long after it happened is given up (recorded).",
    )

    # API.
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    log_json: bool = Field(default=True, description="Structured JSON log lines from `newsfacts serve`.")
    api_key_hashes: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="SHA-256 digests of accepted API keys, comma-separated (`newsfacts hash-key` prints one). "
        "Empty: no key needed.",
    )
    rate_limit_per_minute: int = Field(
        default=0, description="Requests per minute per key (or client); 0: off."
    )
    max_in_flight: int | None = Field(
        default=None, description="Articles summarised at once; default 1 on the embedded model, else 8."
    )
    max_queue: int = Field(default=32, description="Articles that may wait for a slot; beyond it: 429.")
    reading_workers: int = Field(
        default=2, ge=1, le=64,
        description="Worker processes that read articles (language, sentences, the reading rules) and extract "
        "HTML pages, off the event loop; each holds about 60 MiB. Readings beyond them wait for a free one.",
    )  # fmt: skip
    body_timeout_s: float = Field(
        default=30.0, description="Longest time a client may take to send a request body (408 after it)."
    )
    header_timeout_s: float = Field(
        default=10.0,
        description="Longest time a client may take to send a request's line and headers, from the connection's "
        "start (or a kept-alive connection's next byte); the connection gets a 408 and is closed after it.",
    )
    max_requests: int = Field(
        default=256, description="HTTP requests handled at once (health and metrics aside); beyond it: 429."
    )
    keep_alive_s: float = Field(
        default=75.0,
        description="An idle keep-alive connection is closed after this long. Keep it longer than any client's "
        "or proxy's own idle expiry (httpx and Node: 5 s, load balancers: 60 s): when both sides close at the same "
        "moment, a request sent on the closing connection is lost without an answer.",
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Origins allowed by CORS, comma-separated; empty: none."
    )

    @field_validator("instructor_mode", mode="before")
    @classmethod
    def _known_mode(cls, value: object) -> object:
        if isinstance(value, str):
            name = value.strip().lower()
            if not name:
                return None
            if name not in INSTRUCTOR_MODES:
                raise ValueError(
                    f"{value!r} is not an instructor mode; use one of: {', '.join(INSTRUCTOR_MODES)}"
                )
            return name
        return value

    @field_validator("fallback_models", mode="before")
    @classmethod
    def _fallback_list(cls, value: object) -> object:
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                import json

                try:
                    value = json.loads(text)
                except ValueError as exc:
                    raise ValueError(f"not a JSON list: {exc}") from None
            else:
                value = [v.strip() for v in text.split(",") if v.strip()]
        if isinstance(value, list):
            value = [{"model": v.strip()} if isinstance(v, str) else v for v in value]
            models = [v.get("model") if isinstance(v, dict) else getattr(v, "model", None) for v in value]
            if EMBEDDED in models[:-1]:
                raise ValueError("the embedded model can only be the last fallback")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _long_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < 32:
            raise ValueError(
                "must be at least 32 characters (e.g. `python -c 'import secrets; print(secrets.token_hex(32))'`)"
            )
        return value

    @field_validator("api_key_hashes", "cors_origins", "webhook_allow_networks", mode="before")
    @classmethod
    def _comma_list(cls, value: object) -> object:
        if isinstance(value, str):
            return [v.strip() for v in value.split(",") if v.strip()]
        return value

    @property
    def in_flight_limit(self) -> int:
        if self.max_in_flight is not None:
            return self.max_in_flight
        return 1 if self.uses_embedded else 8

    @property
    def uses_embedded(self) -> bool:
        return not self.model


@lru_cache
def get_settings() -> Settings:
    return Settings()


def settings_error(exc: ValidationError) -> str:
    """One line naming every setting that is wrong and what it accepts."""
    problems = []
    for error in exc.errors():
        name = "NEWSFACTS_" + "_".join(str(part) for part in error["loc"][:1]).upper()
        message = str(error["msg"]).removeprefix("Value error, ")
        problems.append(f"{name}: {message}")
    return "invalid settings: " + "; ".join(problems)
