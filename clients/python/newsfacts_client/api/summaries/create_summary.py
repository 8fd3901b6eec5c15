from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.article_summary import ArticleSummary
from ...models.error_response import ErrorResponse
from ...models.summary_request import SummaryRequest
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: SummaryRequest,
    explain: bool | Unset = False,
    title: None | str | Unset = UNSET,
    url_query: None | str | Unset = UNSET,
    outlet: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    params["explain"] = explain

    json_title: None | str | Unset
    if isinstance(title, Unset):
        json_title = UNSET
    else:
        json_title = title
    params["title"] = json_title

    json_url_query: None | str | Unset
    if isinstance(url_query, Unset):
        json_url_query = UNSET
    else:
        json_url_query = url_query
    params["url"] = json_url_query

    json_outlet: None | str | Unset
    if isinstance(outlet, Unset):
        json_outlet = UNSET
    else:
        json_outlet = outlet
    params["outlet"] = json_outlet

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/summaries",
        "params": params,
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ArticleSummary | ErrorResponse | None:
    if response.status_code == 200:
        response_200 = ArticleSummary.from_dict(response.json())

        return response_200

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

    if response.status_code == 502:
        response_502 = ErrorResponse.from_dict(response.json())

        return response_502

    if response.status_code == 503:
        response_503 = ErrorResponse.from_dict(response.json())

        return response_503

    if response.status_code == 504:
        response_504 = ErrorResponse.from_dict(response.json())

        return response_504

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ArticleSummary | ErrorResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: SummaryRequest,
    explain: bool | Unset = False,
    title: None | str | Unset = UNSET,
    url_query: None | str | Unset = UNSET,
    outlet: None | str | Unset = UNSET,
) -> Response[ArticleSummary | ErrorResponse]:
    """Summarise one article into contract-v1 facts

     Send JSON (a `SummaryRequest`; set `format: "html"` for a whole page), an HTML page as `text/html`,
    or plain text as `text/plain` (its metadata then goes in the query string).

    Args:
        explain (bool | Unset): Add `trace`: the reading rules that shaped, added or dropped every
            entry. Default: False.
        title (None | str | Unset): The headline, when known. Read only with a `text/html` or
            `text/plain` body (a JSON body carries it as a field).
        url_query (None | str | Unset): Where the article was published. Read only with a
            `text/html` or `text/plain` body (a JSON body carries it as a field).
        outlet (None | str | Unset): The publishing outlet. Read only with a `text/html` or
            `text/plain` body (a JSON body carries it as a field).
        body (SummaryRequest): An article to summarise. Only ``text`` is required.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ArticleSummary | ErrorResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        explain=explain,
        title=title,
        url_query=url_query,
        outlet=outlet,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: SummaryRequest,
    explain: bool | Unset = False,
    title: None | str | Unset = UNSET,
    url_query: None | str | Unset = UNSET,
    outlet: None | str | Unset = UNSET,
) -> ArticleSummary | ErrorResponse | None:
    """Summarise one article into contract-v1 facts

     Send JSON (a `SummaryRequest`; set `format: "html"` for a whole page), an HTML page as `text/html`,
    or plain text as `text/plain` (its metadata then goes in the query string).

    Args:
        explain (bool | Unset): Add `trace`: the reading rules that shaped, added or dropped every
            entry. Default: False.
        title (None | str | Unset): The headline, when known. Read only with a `text/html` or
            `text/plain` body (a JSON body carries it as a field).
        url_query (None | str | Unset): Where the article was published. Read only with a
            `text/html` or `text/plain` body (a JSON body carries it as a field).
        outlet (None | str | Unset): The publishing outlet. Read only with a `text/html` or
            `text/plain` body (a JSON body carries it as a field).
        body (SummaryRequest): An article to summarise. Only ``text`` is required.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ArticleSummary | ErrorResponse
    """

    return sync_detailed(
        client=client,
        body=body,
        explain=explain,
        title=title,
        url_query=url_query,
        outlet=outlet,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: SummaryRequest,
    explain: bool | Unset = False,
    title: None | str | Unset = UNSET,
    url_query: None | str | Unset = UNSET,
    outlet: None | str | Unset = UNSET,
) -> Response[ArticleSummary | ErrorResponse]:
    """Summarise one article into contract-v1 facts

     Send JSON (a `SummaryRequest`; set `format: "html"` for a whole page), an HTML page as `text/html`,
    or plain text as `text/plain` (its metadata then goes in the query string).

    Args:
        explain (bool | Unset): Add `trace`: the reading rules that shaped, added or dropped every
            entry. Default: False.
        title (None | str | Unset): The headline, when known. Read only with a `text/html` or
            `text/plain` body (a JSON body carries it as a field).
        url_query (None | str | Unset): Where the article was published. Read only with a
            `text/html` or `text/plain` body (a JSON body carries it as a field).
        outlet (None | str | Unset): The publishing outlet. Read only with a `text/html` or
            `text/plain` body (a JSON body carries it as a field).
        body (SummaryRequest): An article to summarise. Only ``text`` is required.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ArticleSummary | ErrorResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        explain=explain,
        title=title,
        url_query=url_query,
        outlet=outlet,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: SummaryRequest,
    explain: bool | Unset = False,
    title: None | str | Unset = UNSET,
    url_query: None | str | Unset = UNSET,
    outlet: None | str | Unset = UNSET,
) -> ArticleSummary | ErrorResponse | None:
    """Summarise one article into contract-v1 facts

     Send JSON (a `SummaryRequest`; set `format: "html"` for a whole page), an HTML page as `text/html`,
    or plain text as `text/plain` (its metadata then goes in the query string).

    Args:
        explain (bool | Unset): Add `trace`: the reading rules that shaped, added or dropped every
            entry. Default: False.
        title (None | str | Unset): The headline, when known. Read only with a `text/html` or
            `text/plain` body (a JSON body carries it as a field).
        url_query (None | str | Unset): Where the article was published. Read only with a
            `text/html` or `text/plain` body (a JSON body carries it as a field).
        outlet (None | str | Unset): The publishing outlet. Read only with a `text/html` or
            `text/plain` body (a JSON body carries it as a field).
        body (SummaryRequest): An article to summarise. Only ``text`` is required.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ArticleSummary | ErrorResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            explain=explain,
            title=title,
            url_query=url_query,
            outlet=outlet,
        )
    ).parsed
