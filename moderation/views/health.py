"""Liveness and readiness for load balancers, containers and people (issue 12, operability).

/healthz answers 200 while the process can serve a request, touching nothing else, so a
database outage does not get every web container restarted. /readyz checks the database
and the broker (503 when either is down) and reports each channel's state; the error text
of a channel is shown to signed-in staff only.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from moderation.health import readiness


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    ready, report = readiness(with_errors=request.user.has_perm("moderation.work_queue"))
    return JsonResponse(report, status=200 if ready else 503)
