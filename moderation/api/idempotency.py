"""`Idempotency-Key` on POSTs: the same key twice gives the same result and does the work once.

The first response is kept in the shared cache for a day under the caller and the key,
with a fingerprint of the request. A replay returns it (with `Idempotent-Replayed: true`);
the same key with a different request is refused. For platform actions the key is also
passed to the service, whose unique Action.idempotency_key makes "one platform call"
hold even if the cache is flushed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from django.core.cache import cache
from rest_framework.request import Request
from rest_framework.response import Response

from moderation.api.errors import PROBLEM_CONTENT_TYPE, problem
from moderation.models import ApiToken

TTL_SECONDS = 24 * 3600
LOCK_SECONDS = 60
MAX_KEY_LENGTH = 120


def _principal(request: Request) -> str:
    if isinstance(request.auth, ApiToken):
        return f"t{request.auth.pk}"
    return f"u{request.user.pk}"


def service_key(request: Request) -> str | None:
    """The key namespaced by caller, for Action.idempotency_key (unique across all callers)."""
    key = request.headers.get("Idempotency-Key", "").strip()
    return f"api:{_principal(request)}:{key}" if key else None


def _fingerprint(request: Request) -> str:
    body = json.dumps(request.data, sort_keys=True, default=str) if request.data else ""
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def idempotent(handler: Callable[[], Response], request: Request) -> Response:
    """Run `handler` once per (caller, Idempotency-Key); replay its response afterwards."""
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        return handler()
    if len(key) > MAX_KEY_LENGTH or not key.isprintable():
        return problem(
            status_code=400,
            code="invalid_idempotency_key",
            detail=f"Idempotency-Key must be 1-{MAX_KEY_LENGTH} printable characters.",
            hint="Send a fresh UUID per intended operation.",
            instance=request.path,
        )
    digest = hashlib.sha256(key.encode()).hexdigest()
    store = f"idem:{_principal(request)}:{digest}"
    fingerprint = _fingerprint(request)
    saved = cache.get(store)
    if saved is None:
        if not cache.add(store + ":lock", 1, LOCK_SECONDS):
            return problem(
                status_code=409,
                code="idempotency_in_progress",
                detail="A request with this Idempotency-Key is still being processed.",
                hint="Retry in a moment to get its result.",
                instance=request.path,
            )
        try:
            response = handler()
            if response.status_code < 500:
                cache.set(
                    store,
                    {"fingerprint": fingerprint, "status": response.status_code, "data": response.data},
                    TTL_SECONDS,
                )
            return response
        finally:
            cache.delete(store + ":lock")
    if saved["fingerprint"] != fingerprint:
        return problem(
            status_code=422,
            code="idempotency_key_reused",
            detail="This Idempotency-Key was used for a different request.",
            hint="Use a new key for a new operation.",
            instance=request.path,
        )
    status = int(saved["status"])
    replay = Response(
        saved["data"], status=status, content_type=PROBLEM_CONTENT_TYPE if status >= 400 else None
    )
    replay["Idempotent-Replayed"] = "true"
    return replay
