from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.batch_request import BatchRequest
from ...models.batch_status import BatchStatus
from ...models.error_response import ErrorResponse
from ...types import Response


def _get_kwargs(
    *,
    body: BatchRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/batches",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BatchStatus | ErrorResponse | None:
    if response.status_code == 202:
        response_202 = BatchStatus.from_dict(response.json())

        return response_202

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorResponse.from_dict(response.json())

        return response_403

    if response.status_code == 408:
        response_408 = ErrorResponse.from_dict(response.json())

        return response_408

    if response.status_code == 413:
        response_413 = ErrorResponse.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = ErrorResponse.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = ErrorResponse.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = ErrorResponse.from_dict(response.json())

        return response_429

    if response.status_code == 503:
        response_503 = ErrorResponse.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[BatchStatus | ErrorResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: BatchRequest,
) -> Response[BatchStatus | ErrorResponse]:
    """Queue many articles; poll GET /v1/batches/{batch_id} for progress and results

     The articles are stored durably before the answer: a restart loses none, and none that finished is
    summarised again. Each article's result or error has the shape of POST /v1/summaries. The batch
    belongs to the API key that sent it: no other key can read it. With `callback_url`, signed events
    are POSTed there when the batch (and, if asked, each article) finishes.

    Args:
        body (BatchRequest): Many articles to summarise in the background.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BatchStatus | ErrorResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: BatchRequest,
) -> BatchStatus | ErrorResponse | None:
    """Queue many articles; poll GET /v1/batches/{batch_id} for progress and results

     The articles are stored durably before the answer: a restart loses none, and none that finished is
    summarised again. Each article's result or error has the shape of POST /v1/summaries. The batch
    belongs to the API key that sent it: no other key can read it. With `callback_url`, signed events
    are POSTed there when the batch (and, if asked, each article) finishes.

    Args:
        body (BatchRequest): Many articles to summarise in the background.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BatchStatus | ErrorResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: BatchRequest,
) -> Response[BatchStatus | ErrorResponse]:
    """Queue many articles; poll GET /v1/batches/{batch_id} for progress and results

     The articles are stored durably before the answer: a restart loses none, and none that finished is
    summarised again. Each article's result or error has the shape of POST /v1/summaries. The batch
    belongs to the API key that sent it: no other key can read it. With `callback_url`, signed events
    are POSTed there when the batch (and, if asked, each article) finishes.

    Args:
        body (BatchRequest): Many articles to summarise in the background.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BatchStatus | ErrorResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: BatchRequest,
) -> BatchStatus | ErrorResponse | None:
    """Queue many articles; poll GET /v1/batches/{batch_id} for progress and results

     The articles are stored durably before the answer: a restart loses none, and none that finished is
    summarised again. Each article's result or error has the shape of POST /v1/summaries. The batch
    belongs to the API key that sent it: no other key can read it. With `callback_url`, signed events
    are POSTed there when the batch (and, if asked, each article) finishes.

    Args:
        body (BatchRequest): Many articles to summarise in the background.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BatchStatus | ErrorResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
