"""Structured logs: one JSON object a line, carrying the request id or the Celery task id.

Every line says which request or task it belongs to, so a comment's journey (webhook
request → classify task → action task) can be followed by id. Log ids, never comment
text, author names or tokens (docs/architecture.md §3): the formatter writes only the message,
the standard fields and extra values that are numbers, booleans or short strings.
A web request's id travels into the tasks it enqueues (a message header), so the
task's lines carry both.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse

current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
current_task_id: contextvars.ContextVar[str] = contextvars.ContextVar("task_id", default="")
current_task_name: contextvars.ContextVar[str] = contextvars.ContextVar("task_name", default="")

# An incoming X-Request-ID is kept only when it looks like an id (a proxy's), never free text.
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "request_id", "task_id", "task"}
_MAX_EXTRA = 200

log = logging.getLogger("havebury.request")


class ContextFilter(logging.Filter):
    """Adds the current request and task ids to every record (for any formatter)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get()
        record.task_id = current_task_id.get()
        record.task = current_task_name.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key in ("request_id", "task_id", "task"):
            value = getattr(record, key, "")
            if value:
                entry[key] = value
        for key, value in record.__dict__.items():
            if key in _STANDARD or key.startswith("_"):
                continue
            short_text = isinstance(value, str) and len(value) <= _MAX_EXTRA
            if short_text or value is None or isinstance(value, bool | int | float):
                entry[key] = value
        if record.exc_info:
            # exc_text is the traceback as the scrub filter left it (havebury_social/logscrub.py).
            entry["exc"] = record.exc_text or self.formatException(record.exc_info)
        return _ENCODER.encode(entry)


# json.dumps(entry, default=str) builds this encoder anew on every call; the same one, kept.
_ENCODER = json.JSONEncoder(default=str)


class RequestIdMiddleware:
    """Gives each request an id (X-Request-ID in and out) and logs one line when it ends."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        token = current_request_id.set(rid)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = rid
            if log.isEnabledFor(logging.INFO):
                # The record log.info would make, made here: log.info finds its caller by walking
                # the stack on every request; this frame is that caller, so it is named directly.
                here = sys._getframe()
                record = log.makeRecord(
                    log.name,
                    logging.INFO,
                    here.f_code.co_filename,
                    here.f_lineno,
                    "%s %s %s",
                    (request.method, request.path, response.status_code),  # the path only: query
                    None,  # strings can carry OAuth codes
                    here.f_code.co_name,
                    {
                        "method": request.method,
                        "path": request.path[:_MAX_EXTRA],
                        "status": response.status_code,
                        "duration_ms": round((time.monotonic() - started) * 1000, 1),
                    },
                )
                log.handle(record)
            return response
        finally:
            current_request_id.reset(token)


def connect_celery_signals() -> None:
    """Carry the request id into enqueued tasks, and set task ids while a task runs."""
    from celery.signals import before_task_publish, task_postrun, task_prerun

    @before_task_publish.connect(weak=False)
    def _add_request_id(headers: dict[str, Any] | None = None, **_: Any) -> None:
        rid = current_request_id.get()
        if headers is not None and rid:
            headers.setdefault("request_id", rid)

    @task_prerun.connect(weak=False)
    def _enter(task_id: str = "", task: Any = None, **_: Any) -> None:
        _set_task(
            task_id, getattr(task, "name", ""), getattr(getattr(task, "request", None), "request_id", "")
        )

    @task_postrun.connect(weak=False)
    def _leave(**_: Any) -> None:
        _set_task("", "", "")


def _set_task(tid: str, name: str, rid: Any) -> None:
    current_task_id.set(tid or "")
    current_task_name.set(name or "")
    current_request_id.set(rid if isinstance(rid, str) and _SAFE_ID.match(rid) else "")
