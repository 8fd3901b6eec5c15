"""Errors of the pipeline. The API maps each ``code`` to an HTTP status in one place (api/errors.py)."""

from __future__ import annotations

from typing import Any


class NewsfactsError(Exception):
    """Base error: ``code`` is stable and machine-readable, the message says how to fix it."""

    code = "internal_error"

    def __init__(self, message: str, *, details: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class InputError(NewsfactsError):
    code = "invalid_input"


class EmptyTextError(InputError):
    code = "empty_text"


class TextTooLargeError(InputError):
    code = "text_too_large"


class UpstreamError(NewsfactsError):
    """The model failed after retries (transport errors or output that never validated)."""

    code = "upstream_error"

    def __init__(
        self, message: str, *, attempts: int = 0, details: list[dict[str, Any]] | None = None
    ) -> None:
        super().__init__(message, details=details)
        self.attempts = attempts


class ContextOverflowError(InputError):
    """One stretch of the article does not fit the model's context window even on its own."""

    code = "article_too_long_for_model"


class UpstreamTimeoutError(NewsfactsError):
    """The request's deadline passed before the model answered."""

    code = "upstream_timeout"


class NotFoundError(NewsfactsError):
    code = "not_found"


class ModelNotReadyError(NewsfactsError):
    code = "model_not_ready"


class EmbeddedModelError(NewsfactsError):
    code = "embedded_model_error"


class QueueUnavailableError(NewsfactsError):
    """The batch queue engine (Redis) could not be reached."""

    code = "queue_unavailable"


class StorageUnavailableError(NewsfactsError):
    """A SQLite store (the batch store) cannot be opened or written: a full disk, a read-only file."""

    code = "storage_unavailable"


class QuotaExceededError(NewsfactsError):
    """The key already has as many batch articles waiting as it may; ``retry_after`` is in seconds."""

    code = "batch_quota_exceeded"

    def __init__(self, message: str, *, retry_after: int = 60) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class CallbackRefusedError(InputError):
    """A batch's ``callback_url`` cannot be used: not http(s), not resolvable, not a public address,
    or webhooks are not set up on this service."""

    code = "callback_url_refused"
