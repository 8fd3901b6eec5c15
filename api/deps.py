"""Typed dependencies of the routes: the caller, the settings, the runtime and the batch backend.

Everything is set on ``app.state`` by ``create_app``; a route names what it needs by type
(``caller: Caller``, ``settings: SettingsDep``) and never reaches into the app itself.
"""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from api.guard import Access, Admission
from newsfacts.batchcore import BatchBackend
from newsfacts.runtime import Runtime
from newsfacts.settings import Settings

# Declared for the OpenAPI document (an Authorize button, generated clients that send keys); the
# check itself is Access's: the key's SHA-256 digest compared in constant time with every accepted one.
bearer = HTTPBearer(
    scheme_name="bearerAuth",
    description="An API key as a bearer token: 'Authorization: Bearer <key>'. Needed only when the service "
    "has keys configured (NEWSFACTS_API_KEY_HASHES).",
    auto_error=False,
)
api_key_header = APIKeyHeader(
    name="X-API-Key",
    scheme_name="apiKeyHeader",
    description="The same API key in an 'X-API-Key' header, for clients that cannot set Authorization.",
    auto_error=False,
)


# ``app.state`` holds Any: each accessor states the type ``create_app`` stores under its name.
async def get_settings(request: Request) -> Settings:
    return cast(Settings, request.app.state.settings)


async def get_runtime(request: Request) -> Runtime:
    return cast(Runtime, request.app.state.runtime)


async def get_batches(request: Request) -> BatchBackend:
    return cast(BatchBackend, request.app.state.batches)


async def get_access(request: Request) -> Access:
    return cast(Access, request.app.state.access)


async def get_admission(request: Request) -> Admission:
    return cast(Admission, request.app.state.admission)


SettingsDep = Annotated[Settings, Depends(get_settings)]
RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
BatchesDep = Annotated[BatchBackend, Depends(get_batches)]
AdmissionDep = Annotated[Admission, Depends(get_admission)]


async def authorize(
    request: Request,
    access: Annotated[Access, Depends(get_access)],
    _bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    _key: Annotated[str | None, Depends(api_key_header)],
) -> str:
    """Checks the key and takes one request from its allowance (on the event loop: a SHA-256 of the
    key and a dictionary update, no thread hop), before a byte of the body is read.
    Returns the tenant: the key's digest (``""`` with keys off), which owns batches and scopes the
    result cache."""
    who = access.caller(request)
    access.take(who)
    return who if access.enabled else ""


Caller = Annotated[str, Depends(authorize)]
