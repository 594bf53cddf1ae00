"""`POST /api/admin/ingest`: the running server ingests files into the index it holds, for
`python -m ingestion` run while `serve` owns the embedded folder (one process per folder).

Authenticated by the per-run token the server writes into the folder's `owner.json`
(`bot/index/owner.py`); without it every request is refused.
"""

from __future__ import annotations

import hmac
import logging
import threading
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from bot.index.owner import ADMIN_INGEST

log = logging.getLogger(__name__)

PATH = ADMIN_INGEST
Ingest = Callable[[dict[str, Any]], dict[str, Any]]


def mount_admin(app: FastAPI, *, token: str, ingest: Ingest) -> None:
    router = APIRouter()
    lock = threading.Lock()  # one ingest at a time

    def run(body: dict[str, Any]) -> dict[str, Any]:
        with lock:
            return ingest(body)

    @router.post(PATH)
    async def admin_ingest(request: Request) -> JSONResponse:
        sent = request.headers.get("authorization", "")
        if not token or not hmac.compare_digest(sent, f"Bearer {token}"):
            return JSONResponse({"error": "not authorized"}, status_code=401)
        try:
            body = await request.json()
        except ValueError:
            return JSONResponse({"error": "the body must be JSON"}, status_code=400)
        if not isinstance(body, dict) or not isinstance(body.get("paths"), list):
            return JSONResponse({"error": 'expected {"paths": [...]}'}, status_code=422)
        try:
            report = await run_in_threadpool(run, body)
        except Exception as exc:  # noqa: BLE001 — reported to the ingestion command
            log.exception("ingest through the server failed")
            return JSONResponse({"error": str(exc) or type(exc).__name__}, status_code=500)
        return JSONResponse(report)

    app.include_router(router)
