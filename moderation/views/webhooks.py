"""One webhook route per platform, `/webhooks/<platform>/`, dispatched to its handler (docs/architecture.md).

GET answers the platform's subscription handshake. POST verifies the signature on
the raw body, checks the body is JSON the handler can read, stores the raw event
and answers 200 at once; the `webhook_process` task does the work (no platform
call inside the request). A signed but hostile body gets a clear 4xx, never a 500:
the platform retries 5xx answers, so the same body would keep coming (issue 13).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from moderation.channels import registry
from moderation.channels.base import ChannelNotConfigured, WebhookPayloadError
from moderation.services.ingest import webhook_receive
from moderation.services.ingest.webhooks import decode_body

log = logging.getLogger(__name__)


@csrf_exempt  # authenticated by the platform's signature instead of a CSRF token
@require_http_methods(["GET", "POST"])
def platform_webhook(request: HttpRequest, platform: str) -> HttpResponse:
    try:
        handler = registry.webhook_for(platform, settings.MODERATION_CHANNELS)
    except ChannelNotConfigured:
        return JsonResponse({"error": f"no webhooks are received for {platform!r}"}, status=404)
    if request.method == "GET":
        answer = handler.challenge(query=request.GET.dict())
        if answer is None:
            return HttpResponse("The verify token does not match; subscription refused.", status=403)
        return HttpResponse(answer, content_type="text/plain")
    body = request.body  # the raw bytes: the signature covers exactly these
    if not handler.verify(body=body, headers=request.headers):
        log.warning("%s webhook: missing or bad signature (%d bytes)", platform, len(body))
        return JsonResponse(
            {"error": "missing or bad signature; check the app secret in the channel settings"}, status=403
        )
    try:
        handler.parse(payload=decode_body(body))  # validates the shape; the task parses it again
    except WebhookPayloadError as exc:
        return JsonResponse({"error": exc.message}, status=400)
    except Exception:
        # Stored anyway: the task records the error on the event (the Lead's failures page),
        # and it can be retried once the parser is fixed.
        log.exception("%s webhook: the parser failed on a signed body; stored for a retry", platform)
    event = webhook_receive(platform=platform, body=body)
    return JsonResponse({"received": event.pk})
