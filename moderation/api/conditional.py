"""ETag and conditional GET for detail endpoints.

The ETag is a hash of the body we would send, so it changes whenever anything shown
changes (the item, its flags, its actions, its thread) and a client revalidating with
If-None-Match gets 304 Not Modified without the body.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from rest_framework.request import Request
from rest_framework.response import Response


def etag_for(data: Any) -> str:
    body = json.dumps(data, cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":"))
    return '"' + hashlib.sha256(body.encode()).hexdigest()[:32] + '"'


def conditional_response(request: Request, data: Any) -> Response:
    tag = etag_for(data)
    wanted = [t.strip().removeprefix("W/") for t in request.headers.get("If-None-Match", "").split(",")]
    response = Response(status=304) if tag in wanted or "*" in wanted else Response(data)
    response["ETag"] = tag
    response["Cache-Control"] = "private, no-cache"
    return response
