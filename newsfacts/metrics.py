"""Prometheus metrics of the service (``GET /metrics``): requests, latency, upstream calls, retries,
cache hits, tokens, and the admission queue."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

REGISTRY = CollectorRegistry(auto_describe=True)

HTTP_REQUESTS = Counter(
    "newsfacts_http_requests", "HTTP requests by route and status.", ["route", "status"], registry=REGISTRY
)
HTTP_LATENCY = Histogram(
    "newsfacts_http_request_seconds", "HTTP request latency by route.", ["route"], registry=REGISTRY,
    buckets=(0.005, 0.025, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300),
)  # fmt: skip
ARTICLES = Counter(
    "newsfacts_articles", "Articles summarised, by outcome code.", ["outcome"], registry=REGISTRY
)
UPSTREAM_CALLS = Counter("newsfacts_upstream_calls", "HTTP calls made to the model.", registry=REGISTRY)
RETRIES = Counter(
    "newsfacts_upstream_retries", "Model calls retried, by kind (transport, validation).", ["kind"],
    registry=REGISTRY,
)  # fmt: skip
TOKENS = Counter(
    "newsfacts_tokens", "Tokens used, by kind (prompt, completion).", ["kind"], registry=REGISTRY
)
CACHE = Counter("newsfacts_cache_lookups", "Result cache lookups, by result (hit, miss).", ["result"],
                registry=REGISTRY)  # fmt: skip
FALLBACKS = Counter(
    "newsfacts_upstream_fallbacks", "Model calls answered by a fallback model, by that model.", ["model"],
    registry=REGISTRY,
)  # fmt: skip
IN_FLIGHT = Gauge("newsfacts_articles_in_flight", "Articles being summarised now.", registry=REGISTRY)
QUEUED = Gauge("newsfacts_articles_queued", "Articles waiting for a slot.", registry=REGISTRY)
WEBHOOKS = Counter(
    "newsfacts_webhook_attempts", "Batch webhook delivery attempts, by outcome (delivered, failed, expired).",
    ["outcome"], registry=REGISTRY,
)  # fmt: skip
REJECTED = Counter(
    "newsfacts_rejected", "Requests refused before any model call, by reason.", ["reason"], registry=REGISTRY
)


def record_call_stats(stats: object) -> None:
    """Add one article's upstream counts (a ``CallStats``) to the totals."""
    UPSTREAM_CALLS.inc(getattr(stats, "upstream_calls", 0))
    RETRIES.labels("transport").inc(getattr(stats, "transport_retries", 0))
    RETRIES.labels("validation").inc(getattr(stats, "validation_retries", 0))
    TOKENS.labels("prompt").inc(getattr(stats, "prompt_tokens", 0))
    TOKENS.labels("completion").inc(getattr(stats, "completion_tokens", 0))
