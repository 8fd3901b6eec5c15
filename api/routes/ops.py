"""What operators and orchestrators ask: liveness, readiness and Prometheus metrics."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from api import errors as api_errors
from api.deps import RuntimeDep
from newsfacts import metrics

router = APIRouter(tags=["operations"])
ID_HEADER = {"X-Request-ID": api_errors.REQUEST_ID_HEADER}


class Health(BaseModel):
    status: str = Field(description="Always 'ok': the process is up and answering.")


class Readiness(BaseModel):
    status: str = Field(description="'ready': the model answers requests.")
    model: str = Field(description="The litellm model string requests go to.")


@router.get(
    "/healthz",
    operation_id="getHealth",
    response_model=Health,
    summary="The process is up",
    responses={200: {"headers": ID_HEADER}},
)
async def healthz() -> Health:
    return Health(status="ok")


@router.get(
    "/readyz",
    operation_id="getReadiness",
    response_model=Readiness,
    summary="The model is ready to answer",
    description="200 once the model's client is set up: for the embedded model, once its llama.cpp server "
    "answers its own health check; for a hosted model no request is made to it.",
    responses={
        200: {"headers": ID_HEADER},
        **api_errors.error_responses("model_not_ready"),
    },  # fmt: skip
)
async def readyz(request: Request, runtime: RuntimeDep) -> Response:
    if await runtime.healthy():
        return JSONResponse({"status": "ready", "model": runtime.model_name})
    reason = "the model is starting"
    if runtime.startup_error is not None:
        reason = f"the model failed to start: {runtime.startup_error}"
    return api_errors.error_response(503, "model_not_ready", reason, request)


@router.get(
    "/metrics",
    operation_id="getMetrics",
    summary="Prometheus metrics",
    response_class=Response,
    responses={
        200: {
            "content": {"text/plain": {"schema": {"type": "string"}}},
            "description": "The Prometheus text format",
            "headers": ID_HEADER,
        }
    },  # fmt: skip
)
async def prometheus_metrics() -> Response:
    from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

    return Response(generate_latest(metrics.REGISTRY), media_type=CONTENT_TYPE_LATEST)
