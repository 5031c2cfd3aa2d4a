"""/metrics for Prometheus (issue 12, operability).

With METRICS_TOKEN set, a scrape must send `Authorization: Bearer <token>`; without it,
only loopback clients (a sidecar, `curl` on the host) may read the figures.
"""

from __future__ import annotations

import hmac

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from moderation.metrics import ModerationCollector

registry = CollectorRegistry(auto_describe=False)
registry.register(ModerationCollector())

LOOPBACK = frozenset({"127.0.0.1", "::1"})


def _allowed(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    if token:
        sent = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        return hmac.compare_digest(sent.encode(), token.encode())
    return request.META.get("REMOTE_ADDR", "") in LOOPBACK


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    if not _allowed(request):
        return HttpResponse(
            "Metrics need `Authorization: Bearer <METRICS_TOKEN>`, or a request from this machine.\n",
            status=403,
            content_type="text/plain",
        )
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
