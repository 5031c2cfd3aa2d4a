"""OpenAPI post-processing: every operation documents its RFC 9457 error responses.

drf-spectacular documents success bodies; the errors come from one exception handler
(moderation/api/errors.py), so they are added here in one place, keeping the schema
honest for clients and for the schemathesis contract test.
"""

from __future__ import annotations

from typing import Any

PROBLEM = {
    "type": "object",
    "description": "RFC 9457 problem details.",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "hint": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": True},
    },
    "required": ["type", "title", "status", "detail", "code"],
}
_ALWAYS = {
    "400": "Invalid query or body (see errors).",
    "401": "No credentials, or an unknown, expired or revoked token.",
    "403": "Your role or the token's scopes do not allow this.",
    "406": "The Accept header asks for something other than JSON.",
    "429": "Too many requests for this token; see Retry-After.",
}
_DETAIL = {"404": "No such object."}
_WRITE = {
    "409": "Refused by the queue's rules (e.g. claimed by someone else); see hint.",
    "415": "The body is not JSON.",
    "422": "Understood but not possible (e.g. the platform has no API for it); see hint.",
}


def add_problem_responses(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Problem"] = PROBLEM
    ref = {"$ref": "#/components/schemas/Problem"}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            wanted = dict(_ALWAYS)
            if "{" in path:
                wanted.update(_DETAIL)
            if method in ("post", "put", "patch", "delete"):
                wanted.update(_WRITE)
            if method == "get" and "{" in path:
                operation["responses"].setdefault("304", {"description": "Not modified (If-None-Match)."})
            for status, description in wanted.items():
                operation["responses"].setdefault(
                    status,
                    {"description": description, "content": {"application/problem+json": {"schema": ref}}},
                )
    return result
