"""API tokens: create (shown once), revoke, and authenticate (issue 9; docs/api.md).

Each token acts through its own service user, in the role its widest scope needs
(read: Viewer, act: Officer, admin: Lead), so every permission check in the services is
the same one the dashboard makes, and the audit trail names the integration.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from django.contrib.auth.models import Group
from django.db import models, transaction
from django.db.models.base import ModelState
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from accounts.roles import LEAD, OFFICER, VIEWER, roles_sync
from moderation.errors import ModerationError, NotPermitted
from moderation.models import ApiScope, ApiToken
from moderation.services.audit import audit_record

TOKEN_PREFIX = "hvb_"  # noqa: S105 - a marker that makes leaked tokens easy to scan for, not a secret
# last_used_at is written at most this often per token, so reads stay read-only.
LAST_USED_GRANULARITY = timedelta(minutes=1)
# A live token, its service user and the user's permissions are kept this long in the process,
# so a busy integration's requests skip the token and permissions queries (docs/benchmarks.md).
# A token revoked or a user deactivated by another process stops working within this time;
# expiry is checked on every request.
TOKEN_CACHE_SECONDS = 10.0
_TOKEN_CACHE_MAX = 1000
_live: dict[str, tuple[float, ApiToken]] = {}
M = TypeVar("M", bound=models.Model)
_ROLE_FOR_SCOPE = {ApiScope.READ: VIEWER, ApiScope.ACT: OFFICER, ApiScope.ADMIN: LEAD}


class InvalidScopes(ModerationError):
    code = "invalid_scopes"
    status = 422


@dataclass(frozen=True, slots=True)
class NewToken:
    token: ApiToken
    secret: str  # the only time the plain token exists


def token_digest(secret: str) -> str:
    # A 256-bit random secret needs no slow hash: SHA-256 is enough and keeps each request cheap.
    return hashlib.sha256(secret.encode()).hexdigest()


def parse_scopes(raw: str | list[str]) -> list[str]:
    scopes = raw.split(",") if isinstance(raw, str) else list(raw)
    cleaned = sorted({s.strip().lower() for s in scopes if s.strip()})
    unknown = [s for s in cleaned if s not in ApiScope.values]
    if not cleaned or unknown:
        raise InvalidScopes(
            f"Unknown or missing scopes: {', '.join(unknown) or '(none)'}.",
            hint=f"Use one or more of {', '.join(ApiScope.values)}, comma-separated.",
        )
    return cleaned


def api_token_create(
    *, name: str, scopes: str | list[str], actor: User | None, expires_in_days: int | None = None
) -> NewToken:
    """Create a token and its service user; the secret is returned once and stored hashed."""
    if actor is not None and not actor.has_perm("moderation.manage_api"):
        raise NotPermitted("Only Leads and Admins may create API tokens.", hint="Ask a Lead.")
    name = name.strip()
    if not name or len(name) > 80:
        raise InvalidScopes("A token needs a name of 1-80 characters.", hint="e.g. --name intranet")
    clean = parse_scopes(scopes)
    if expires_in_days is not None and not 1 <= expires_in_days <= 3650:
        raise InvalidScopes("Expiry must be between 1 and 3650 days.", hint="Leave it empty for no expiry.")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        role = LEAD if "admin" in clean else OFFICER if "act" in clean else VIEWER
        group = Group.objects.filter(name=role).first() or roles_sync()[role]
        user = User(username=_service_username(name), first_name=name, last_name="(API token)")
        user.set_unusable_password()  # a service user never signs in to the browser
        user.save()
        user.groups.add(group)
        token = ApiToken.objects.create(
            name=name,
            prefix=secret[:12],
            digest=token_digest(secret),
            scopes=clean,
            user=user,
            created_by=actor,
            created_at=now,
            expires_at=now + timedelta(days=expires_in_days) if expires_in_days else None,
        )
        audit_record(
            actor=actor,
            verb="api_token.created",
            target=token,
            after={"name": name, "scopes": clean, "role": role},
        )
    return NewToken(token=token, secret=secret)


def _service_username(name: str) -> str:
    base = f"api-{slugify(name)[:40] or 'token'}"
    username, n = base, 1
    while User.objects.filter(username=username).exists():
        n += 1
        username = f"{base}-{n}"
    return username


def api_token_revoke(*, token_id: int, actor: User | None) -> ApiToken:
    if actor is not None and not actor.has_perm("moderation.manage_api"):
        raise NotPermitted("Only Leads and Admins may revoke API tokens.", hint="Ask a Lead.")
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().select_related("user").get(pk=token_id)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            # The service user goes too, so nothing can act as it after revocation.
            User.objects.filter(pk=token.user_id).update(is_active=False)
            _live.pop(token.digest, None)
            audit_record(actor=actor, verb="api_token.revoked", target=token)
    return token


def api_token_authenticate(*, secret: str, now: datetime | None = None) -> ApiToken | None:
    """The live token for this secret, or None; touches last_used_at at most once a minute."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    digest = token_digest(secret)
    token = _cached(digest)
    if token is None:
        token = ApiToken.objects.select_related("user").filter(digest=digest).first()
        if token is not None and token.is_live(now) and token.user.is_active:
            # Fills the user's permission cache, kept with the token; and the same, sorted, for the
            # API's list cache key (moderation/api/list_cache.py), which no longer asks every
            # authentication backend for it on every request (2% of a cached answer).
            token.user.sorted_permissions = tuple(sorted(token.user.get_all_permissions()))  # type: ignore[attr-defined]
            _remember(digest, token)
    moment = now or timezone.now()
    if token is None or not token.is_live(moment) or not token.user.is_active:
        return None
    if token.last_used_at is None or moment - token.last_used_at > LAST_USED_GRANULARITY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=moment)
        token.last_used_at = moment
        remembered = _live.get(digest)
        if remembered is not None:
            remembered[1].last_used_at = moment
    return token


def _remember(digest: str, token: ApiToken) -> None:
    if len(_live) >= _TOKEN_CACHE_MAX:
        _live.clear()
    _live[digest] = (time.monotonic() + TOKEN_CACHE_SECONDS, _copy(token))


def _cached(digest: str) -> ApiToken | None:
    entry = _live.get(digest)
    if entry is None:
        return None
    if entry[0] < time.monotonic():
        _live.pop(digest, None)
        return None
    return _copy(entry[1])


def _copy(token: ApiToken) -> ApiToken:
    """Each request gets its own instances (threads share the cache; code may set attributes)."""
    user = _shallow(token.user)
    user._perm_cache = set(token.user._perm_cache)  # type: ignore[attr-defined]
    token = _shallow(token)
    token.user = user
    return token


def _shallow(instance: M) -> M:
    """copy.copy(instance) without its detour through pickling (Model.__reduce__ looks the model up
    in the app registry and copies the state twice): the same attributes, its own state."""
    clone = instance.__class__.__new__(instance.__class__)
    clone.__dict__.update(instance.__dict__)
    state = clone._state = ModelState()
    state.db, state.adding = instance._state.db, instance._state.adding
    state.fields_cache = dict(instance._state.fields_cache)
    return clone
