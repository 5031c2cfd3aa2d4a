"""`Authorization: Bearer <token>` for systems; the browser uses its session."""

from __future__ import annotations

from typing import Any

from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from havebury_social.bearer import bearer_api_request, bearer_credentials
from moderation.services.api_tokens import api_token_authenticate


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """Takes every request havebury_social.bearer counts as a bearer API request (the same
    helper the middleware that skips the session's extras asks), and no other."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        secret = bearer_credentials(request._request)
        if secret is None:
            return None
        if not secret or " " in secret:
            raise exceptions.AuthenticationFailed("Malformed Authorization header; send `Bearer <token>`.")
        token = api_token_authenticate(secret=secret)
        if token is None:
            raise exceptions.AuthenticationFailed(
                "This API token is unknown, expired or revoked. Ask a Lead for a new one."
            )
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class SessionUnlessBearerAuthentication(authentication.SessionAuthentication):
    """The browser's session, never for a bearer API request: the middleware skipped the
    session's checks for it (the two-factor redirect, the idle-session refresh), so only the
    token may authenticate it, whichever authenticators a view lists."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        if bearer_api_request(request._request):
            return None
        return super().authenticate(request)


class BearerTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    """Documents the bearer token in the OpenAPI schema (drf-spectacular finds it by target_class)."""

    target_class = "moderation.api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "description": "An API token: `hvb_...` (docs/api.md)."}


class SessionUnlessBearerScheme(SessionScheme):  # type: ignore[no-untyped-call]
    """The session in the OpenAPI schema, as drf-spectacular documents Django's (cookieAuth)."""

    target_class = "moderation.api.authentication.SessionUnlessBearerAuthentication"
