"""``/docs`` (Swagger UI) and ``/redoc`` (ReDoc), from the service's own files: the assets of the
fastapi-offline package, served under ``/docs/assets``. No CDN, so the pages work on a network
without internet, and a Content-Security-Policy keeps them from asking anything of another host
(ReDoc's sidebar would otherwise fetch its vendor's logo)."""

from __future__ import annotations

from importlib.resources import files

from fastapi import APIRouter, FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS_URL = "/docs/assets"
ASSETS_DIR = str(files("fastapi_offline").joinpath("static"))
DOCS_HEADERS = {
    "content-security-policy": "default-src 'self'; script-src 'self' 'unsafe-inline'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; worker-src 'self' blob:; base-uri 'none'; "
    "frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
}

router = APIRouter(include_in_schema=False)


@router.get("/docs")
async def swagger_ui() -> HTMLResponse:
    page = get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="newsfacts - Swagger UI",
        swagger_js_url=f"{ASSETS_URL}/swagger-ui-bundle.js",
        swagger_css_url=f"{ASSETS_URL}/swagger-ui.css",
        swagger_favicon_url=f"{ASSETS_URL}/favicon.png",
        swagger_ui_parameters={"displayOperationId": True, "validatorUrl": None},
    )
    page.headers.update(DOCS_HEADERS)
    return page


@router.get("/redoc")
async def redoc() -> HTMLResponse:
    page = get_redoc_html(
        openapi_url="/openapi.json",
        title="newsfacts - ReDoc",
        redoc_js_url=f"{ASSETS_URL}/redoc.standalone.js",
        redoc_favicon_url=f"{ASSETS_URL}/favicon.png",
        with_google_fonts=False,
    )
    page.headers.update(DOCS_HEADERS)
    return page


def install(app: FastAPI) -> None:
    """The pages and their assets."""
    app.mount(ASSETS_URL, StaticFiles(directory=ASSETS_DIR), name="docs-assets")
    app.include_router(router)
