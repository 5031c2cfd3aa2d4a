"""Meta webhooks: the GET handshake, X-Hub-Signature-256 on the raw body, the change walker.

Facebook (`object: page`) and Instagram (`object: instagram`) share the envelope
`{"object", "entry": [{"id", "time", "changes": [{"field", "value"}]}]}`; each
adapter module subclasses MetaWebhook to turn its fields into WebhookChanges.
Hostile but signed bodies (wrong types, absurd times) raise WebhookPayloadError
or are skipped; they never raise anything else (issue 13).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, ClassVar

from moderation.channels.base import WebhookChange, WebhookPayloadError
from moderation.channels.meta.client import Json, parse_time


def webhook_signature(body: bytes, secret: str) -> str:
    """The X-Hub-Signature-256 header value for a raw body."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def webhook_signature_valid(body: bytes, header: str | None, secret: str) -> bool:
    if not header or not secret:
        return False
    return hmac.compare_digest(webhook_signature(body, secret), header.strip())


@dataclass(frozen=True, slots=True)
class MetaChange:
    account_id: str
    field: str
    value: Json
    entry_time: datetime | None  # for changes that carry no timestamp of their own


def webhook_changes(payload: Any) -> Iterator[MetaChange]:
    """Each well-formed change in a Meta webhook payload; a wrong envelope raises WebhookPayloadError."""
    if not isinstance(payload, dict) or not isinstance(payload.get("entry"), list):
        raise WebhookPayloadError("Expected an object with an 'entry' list.", code="bad_envelope")
    for entry in payload["entry"]:
        if not isinstance(entry, dict):
            continue
        changes = entry.get("changes", [])
        if not isinstance(changes, list):
            raise WebhookPayloadError("'changes' must be a list.", code="bad_changes")
        account_id = entry.get("id")
        if not isinstance(account_id, str | int) or isinstance(account_id, bool):
            continue
        entry_time = parse_time(entry.get("time"))
        for change in changes:
            if isinstance(change, dict) and isinstance(change.get("value"), dict):
                yield MetaChange(str(account_id), str(change.get("field", "")), change["value"], entry_time)


class MetaWebhook:
    """The handshake and signature check both Meta platforms use; subclasses parse their fields."""

    platform: ClassVar[str]
    object_name: ClassVar[str]  # the payload's "object" this platform sends

    def __init__(self, *, app_secrets: Sequence[str] = (), verify_token: str = "", **_: Any) -> None:
        self.app_secrets = [s for s in app_secrets if s]
        self.verify_token = verify_token

    def challenge(self, *, query: Mapping[str, str]) -> str | None:
        given = query.get("hub.verify_token", "")
        if (
            query.get("hub.mode") == "subscribe"
            and self.verify_token
            and hmac.compare_digest(given.encode(), self.verify_token.encode())
        ):
            return query.get("hub.challenge", "")
        return None

    def verify(self, *, body: bytes, headers: Mapping[str, str]) -> bool:
        header = headers.get("X-Hub-Signature-256")
        return any(webhook_signature_valid(body, header, secret) for secret in self.app_secrets)

    def parse(self, *, payload: Any) -> list[WebhookChange]:
        if isinstance(payload, dict) and payload.get("object") != self.object_name:
            return []  # another Meta product's object sent to this URL: acknowledged, not ours
        changes = []
        for change in webhook_changes(payload):
            parsed = self.parse_change(change)
            if parsed is not None:
                # Meta's entry time is when the change happened; it orders late and replayed events.
                changes.append(parsed if parsed.event_at else replace(parsed, event_at=change.entry_time))
        return changes

    def parse_change(self, change: MetaChange) -> WebhookChange | None:
        raise NotImplementedError
