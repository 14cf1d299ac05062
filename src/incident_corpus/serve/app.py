"""The HTTP side of `annotate serve`: a Starlette app (served by uvicorn) speaking the ML backend protocol.

Starlette rather than a hand-rolled handler: routing, JSON responses and a thread pool for the
CPU-bound prediction calls come from a maintained library, and uvicorn is the ASGI server
Starlette's own docs use. Every request body is read with a size cap before it is parsed; every
problem with a request is a 4xx JSON answer with a message, and the service keeps serving.
Request bodies are never logged (/setup carries the server's access token).
"""

from __future__ import annotations

import logging
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from incident_corpus.serve.backend import Backend
from incident_corpus.serve.protocol import (
    BadRequest,
    annotation_id,
    announced_total,
    check_label_config,
    parse_context,
    parse_json,
    parse_predict,
)

log = logging.getLogger("incident_corpus.serve")

DEFAULT_MAX_BODY = 20_000_000  # bytes: ~100 tasks of 200 KB; Label Studio sends batches of tasks
DEFAULT_MAX_TASKS = 1000


def create_app(backend: Backend, *, label_config: str, max_body: int = DEFAULT_MAX_BODY,
               max_tasks: int = DEFAULT_MAX_TASKS, on_setup: Any = None) -> Starlette:
    """The app; `on_setup(hostname, access_token)` is told where the calling server is (kept in memory)."""

    async def body_of(request: Request) -> dict[str, Any]:
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > max_body:
            raise BadRequest(413, f"the request body ({int(declared)} bytes) is over the limit of {max_body} bytes; "
                                  "send fewer tasks per request")
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > max_body:
                raise BadRequest(413, f"the request body is over the limit of {max_body} bytes; "
                                      "send fewer tasks per request")
            chunks.append(chunk)
        return parse_json(b"".join(chunks))

    async def health(request: Request) -> JSONResponse:
        return JSONResponse(backend.health())

    async def setup(request: Request) -> JSONResponse:
        body = await body_of(request)
        check_label_config(body, ours=label_config, key="schema")
        if on_setup is not None:
            on_setup(body.get("hostname"), body.get("access_token"))
        return JSONResponse({"model_version": backend.model_version})

    async def predict(request: Request) -> JSONResponse:
        body = await body_of(request)
        check_label_config(body, ours=label_config, key="label_config")
        tasks = parse_predict(body, max_tasks=max_tasks)
        regions = parse_context(body)  # an annotator's marked span: answer with its entity's other mentions
        if regions:
            results = await run_in_threadpool(backend.predict_mentions, tasks, regions)
        else:
            results = await run_in_threadpool(backend.predict, tasks)
        return JSONResponse({"results": results, "model_version": backend.model_version})

    async def webhook(request: Request) -> JSONResponse:
        body = await body_of(request)
        action = body.get("action")
        if not isinstance(action, str):
            raise BadRequest(422, 'a webhook needs an "action" string (e.g. ANNOTATION_CREATED)')
        started = backend.webhook(action, annotation_id=annotation_id(body), total=announced_total(body))
        return JSONResponse({"status": "ok", "action": action, "training_started": started})

    async def train(request: Request) -> JSONResponse:
        await body_of(request)  # legacy /train: the annotations come from pull, not from this body
        started = backend.start_training(reason="/train")
        return JSONResponse({"status": "ok", "training_started": started,
                             "job": f"train-{backend.training.started}" if started else None})

    async def versions(request: Request) -> JSONResponse:
        return JSONResponse({"versions": [backend.model_version]})

    async def bad_request(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, BadRequest)
        log.info("%s %s → %d: %s", request.method, request.url.path, exc.status, exc.message)
        return JSONResponse({"error": exc.message}, status_code=exc.status)

    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("%s %s failed", request.method, request.url.path)
        return JSONResponse({"error": f"internal error: {type(exc).__name__}; see the backend's log"},
                            status_code=500)

    routes = [
        Route("/", health, methods=["GET"]),
        Route("/health", health, methods=["GET"]),
        Route("/setup", setup, methods=["POST"]),
        Route("/predict", predict, methods=["POST"]),
        Route("/webhook", webhook, methods=["POST"]),
        Route("/train", train, methods=["POST"]),
        Route("/versions", versions, methods=["GET"]),
    ]
    return Starlette(routes=routes, exception_handlers={BadRequest: bad_request, Exception: unexpected})
