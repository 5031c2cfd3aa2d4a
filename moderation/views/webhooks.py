"""Meta webhook receiver: GET verification (hub.challenge), POST events signed with X-Hub-Signature-256."""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.crypto import constant_time_compare
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from moderation.channels.meta import parse_meta_webhook, webhook_signature_valid
from moderation.services.ingest import webhook_ingest

log = logging.getLogger(__name__)


@csrf_exempt  # authenticated by the HMAC signature instead of a CSRF token
@require_http_methods(["GET", "POST"])
def meta_webhook(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        expected = settings.META_WEBHOOK_VERIFY_TOKEN
        given = request.GET.get("hub.verify_token", "")
        if request.GET.get("hub.mode") == "subscribe" and expected and constant_time_compare(given, expected):
            return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")
        return HttpResponse("Verify token does not match META_WEBHOOK_VERIFY_TOKEN.", status=403)
    body = request.body  # the raw bytes: the signature covers exactly these
    header = request.headers.get("X-Hub-Signature-256")
    if not header:
        return JsonResponse({"error": "missing X-Hub-Signature-256 header"}, status=401)
    secrets = {s for s in (settings.FACEBOOK_APP_SECRET, settings.INSTAGRAM_APP_SECRET) if s}
    if not any(webhook_signature_valid(body, header, secret) for secret in secrets):
        log.warning("meta webhook: bad signature (%d bytes)", len(body))
        return JsonResponse(
            {"error": "signature does not match the body; check FACEBOOK_APP_SECRET"}, status=403
        )
    try:
        payload = json.loads(body)
    except ValueError:
        return JsonResponse({"error": "body is not valid JSON"}, status=400)
    if not isinstance(payload, dict) or not isinstance(payload.get("entry"), list):
        return JsonResponse({"error": "expected an object with an 'entry' list"}, status=400)
    platform, changes = parse_meta_webhook(payload)
    if not platform:
        return JsonResponse({"ignored": f"object {payload.get('object')!r} is not handled"})
    result = webhook_ingest(platform=platform, changes=changes)
    summary = {
        "changes": result.changes,
        "stored": result.stored,
        "deleted": result.deleted,
        "ignored": result.ignored,
        "fetched": result.fetched,
        "failed": result.failed,
    }
    # A mention we could not read (platform busy or down) is lost unless Meta redelivers the
    # event, which it does when we do not answer 2xx. Everything else in it is stored idempotently.
    return JsonResponse(summary, status=503 if result.failed else 200)
