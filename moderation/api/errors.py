"""One exception handler: every API error is an RFC 9457 problem details body.

Domain errors (moderation/errors.py) carry their own code, status and hint; DRF's
errors (validation, authentication, throttling, 404) are mapped to the same shape,
so an integration parses one kind of error body.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from moderation.errors import ModerationError

PROBLEM_CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "/api/docs/#problem-"  # relative reference (RFC 9457 §3.1.1), resolved against the API host

_TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    412: "Precondition failed",
    415: "Unsupported media type",
    422: "Unprocessable content",
    429: "Too many requests",
}


def problem(
    *, status_code: int, code: str, detail: str, hint: str = "", instance: str = "", **extra: Any
) -> Response:
    body: dict[str, Any] = {
        "type": TYPE_BASE + code,
        "title": _TITLES.get(status_code, "Error"),
        "status": status_code,
        "detail": detail,
        "code": code,
    }
    if hint:
        body["hint"] = hint
    if instance:
        body["instance"] = instance
    body.update(extra)
    return Response(body, status=status_code, content_type=PROBLEM_CONTENT_TYPE)


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    request = context.get("request")
    instance = request.path if request is not None else ""
    if isinstance(exc, ModerationError):
        return problem(
            status_code=exc.status, code=exc.code, detail=exc.message, hint=exc.hint, instance=instance
        )
    if isinstance(exc, ObjectDoesNotExist):
        exc = Http404(str(exc))
    if isinstance(exc, Http404):
        return problem(
            status_code=404,
            code="not_found",
            detail="No such object, or not visible to you.",
            hint="Check the id; list endpoints show what exists.",
            instance=instance,
        )
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    code = _code(exc)
    extra: dict[str, Any] = {}
    if isinstance(exc, exceptions.ValidationError):
        detail = "The request body or query has invalid fields; see errors."
        extra["errors"] = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
    else:
        detail = str(exc.detail)
    hint = _HINTS.get(response.status_code, "")
    result = problem(
        status_code=response.status_code, code=code, detail=detail, hint=hint, instance=instance, **extra
    )
    for header in ("WWW-Authenticate", "Retry-After", "Allow"):
        if header in response:
            result[header] = response[header]
    return result


_HINTS = {
    401: "Send `Authorization: Bearer <token>` (docs/api.md) or sign in.",
    403: "Ask a Lead for a token with the right scope, or a role that allows it.",
    429: "Wait for the number of seconds in Retry-After.",
}


def _code(exc: exceptions.APIException) -> str:
    if isinstance(exc, exceptions.ValidationError):
        return "invalid"
    codes = exc.get_codes()
    if isinstance(codes, str):
        return codes
    return str(getattr(exc, "default_code", "error"))
