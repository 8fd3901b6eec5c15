from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.batch_status import BatchStatus
from ...models.error_response import ErrorResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    batch_id: str,
    *,
    items: bool | Unset = True,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["items"] = items

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/batches/{batch_id}".format(
            batch_id=quote(str(batch_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BatchStatus | ErrorResponse | None:
    if response.status_code == 200:
        response_200 = BatchStatus.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorResponse.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ErrorResponse.from_dict(response.json())

        return response_404

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
    batch_id: str,
    *,
    client: AuthenticatedClient,
    items: bool | Unset = True,
) -> Response[BatchStatus | ErrorResponse]:
    """A batch's progress, and each article's result or error

     Only the API key that created the batch can read it; any other key gets 404.

    Args:
        batch_id (str): The id POST /v1/batches answered with.
        items (bool | Unset): Include each article's result or error; false: counts only. Default:
            True.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BatchStatus | ErrorResponse]
    """

    kwargs = _get_kwargs(
        batch_id=batch_id,
        items=items,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    batch_id: str,
    *,
    client: AuthenticatedClient,
    items: bool | Unset = True,
) -> BatchStatus | ErrorResponse | None:
    """A batch's progress, and each article's result or error

     Only the API key that created the batch can read it; any other key gets 404.

    Args:
        batch_id (str): The id POST /v1/batches answered with.
        items (bool | Unset): Include each article's result or error; false: counts only. Default:
            True.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BatchStatus | ErrorResponse
    """

    return sync_detailed(
        batch_id=batch_id,
        client=client,
        items=items,
    ).parsed


async def asyncio_detailed(
    batch_id: str,
    *,
    client: AuthenticatedClient,
    items: bool | Unset = True,
) -> Response[BatchStatus | ErrorResponse]:
    """A batch's progress, and each article's result or error

     Only the API key that created the batch can read it; any other key gets 404.

    Args:
        batch_id (str): The id POST /v1/batches answered with.
        items (bool | Unset): Include each article's result or error; false: counts only. Default:
            True.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BatchStatus | ErrorResponse]
    """

    kwargs = _get_kwargs(
        batch_id=batch_id,
        items=items,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    batch_id: str,
    *,
    client: AuthenticatedClient,
    items: bool | Unset = True,
) -> BatchStatus | ErrorResponse | None:
    """A batch's progress, and each article's result or error

     Only the API key that created the batch can read it; any other key gets 404.

    Args:
        batch_id (str): The id POST /v1/batches answered with.
        items (bool | Unset): Include each article's result or error; false: counts only. Default:
            True.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BatchStatus | ErrorResponse
    """

    return (
        await asyncio_detailed(
            batch_id=batch_id,
            client=client,
            items=items,
        )
    ).parsed
