"""The platform seam: what every network implements, so nothing outside channels/ knows one.

A platform is one package under moderation/channels/ plus one entry in
settings.MODERATION_CHANNELS (docs/architecture.md, "How to add a network"):

- a `ChannelAdapter` (one account, its token passed in): read, act, subscribe;
- a `Connector` (optional): OAuth authorisation URL, code exchange, revoke, and
  who the connected platform user is;
- a `WebhookHandler` (optional): the GET handshake, the signature on the raw
  body, and parsing a payload into `WebhookChange`s.

They take plain values and return the dataclasses below; they never import
models, settings or Celery. Every platform failure becomes one of the
ChannelError subclasses, so services and tasks decide about retries and channel
health without knowing the platform.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Protocol, runtime_checkable

# Capability names the dashboard and services check before offering an action.
HIDE = "hide"
DELETE = "delete"
REPLY = "reply"
BLOCK = "block"
ALL_CAPABILITIES = frozenset({HIDE, DELETE, REPLY, BLOCK})

# Item kinds, the same stable strings as moderation.models.ItemKind (no model import here).
KIND_POST = "post"
KIND_COMMENT = "comment"
KIND_REPLY = "reply"
KIND_MENTION = "mention"
KIND_DM = "dm"
ALL_KINDS = frozenset({KIND_POST, KIND_COMMENT, KIND_REPLY, KIND_MENTION, KIND_DM})

# What a successful `block` is on the platform, the same strings as moderation.models.RestrictionKind.
RESTRICTION_BLOCK = "block"
RESTRICTION_BAN = "ban"  # e.g. a Facebook Page ban
RESTRICTION_MUTE = "mute"
RESTRICTION_KINDS = frozenset({RESTRICTION_BLOCK, RESTRICTION_BAN, RESTRICTION_MUTE})


@dataclass(frozen=True, slots=True)
class RemoteAuthor:
    platform_user_id: str
    handle: str = ""
    display_name: str = ""


@dataclass(frozen=True, slots=True)
class RemoteItem:
    """One post, comment, reply or mention as the platform returned it."""

    platform_id: str
    kind: str
    text: str
    created_at: datetime | None
    author: RemoteAuthor | None
    parent_id: str | None = None  # the comment or post this replies to
    thread_root_id: str | None = None  # the post or media the thread hangs off
    permalink: str = ""
    hidden: bool = False
    raw: Mapping[str, Any] = field(default_factory=dict)  # the payload as received, unknown fields kept
    media_urls: tuple[str, ...] = ()  # photos, videos, stickers attached to the item


@dataclass(frozen=True, slots=True)
class SweepFailure:
    """One part of a sweep that failed and was passed over, so the rest could be read."""

    part: str  # what was being listed: "comments" (of a post or media) or "mentions"
    platform_id: str  # the post or media whose comments, or the account whose mentions, failed
    error: str  # the ChannelError class, e.g. "ChannelUnavailable"
    message: str  # the platform's reason, as the ChannelError put it (never a token)

    def __str__(self) -> str:
        return f"{self.part} of {self.platform_id} failed: {self.message}"


@dataclass(frozen=True, slots=True)
class FetchPage:
    """One page of a sweep. Store `cursor` only after the page is committed.

    `completed_roots` lists posts/media whose comments were listed completely in
    this sweep, so anything under them not seen since the sweep began was deleted
    on the platform. `done` means the sweep is over; start the next one from {}.
    """

    items: list[RemoteItem]
    cursor: dict[str, Any]
    done: bool
    completed_roots: list[str] = field(default_factory=list)
    skipped: int = 0  # entries dropped because a required field (id) was missing
    errors: list[SweepFailure] = field(default_factory=list)  # parts that failed and were passed over


@dataclass(frozen=True, slots=True)
class WebhookChange:
    """One change from a platform webhook, already mapped to the protocol."""

    account_id: str
    verb: str  # "add", "edited", "remove", "hide", "unhide"
    platform_id: str
    item: RemoteItem | None
    # Set when the event only names the object (Meta mentions): ingestion reads it with
    # `adapter.get_mention(ref=...)` before storing. The keys are the webhook's own.
    mention_ref: Mapping[str, str] | None = None
    # What the event itself carried (text, time), stored if that read fails for good.
    carried: RemoteItem | None = None
    # When the platform says the change happened: webhooks are applied in this order, never
    # letting an older event undo a newer one (services/ingest/ordering.py).
    event_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class TokenGrant:
    access_token: str
    expires_in: int | None  # seconds; None when the token does not expire


@dataclass(frozen=True, slots=True)
class ConnectedAccount:
    """What an OAuth connect produced for one channel."""

    account_id: str
    name: str
    credentials: dict[str, Any]
    token_expires_in: int | None
    # The platform user who signed in. Disconnecting compares this, not tokens: each
    # connect gets its own token, but revoking a login revokes it for every channel.
    platform_user_id: str = ""


@dataclass(frozen=True, slots=True)
class LimitsInput:
    """What an adapter class describes one channel's limits from (DescribesLimits)."""

    options: Mapping[str, Any]  # the registry entry's OPTIONS (budgets, quotas)
    used_today: int  # units spent today and this month, in the platform's days (the usage ledger)
    used_month: int
    state: Mapping[str, Any]  # the channel's stored rate-limit state, as the adapter last reported it
    now: float  # epoch seconds


@dataclass(frozen=True, slots=True)
class AuthorizationRequest:
    """Where to send the browser, and a PKCE verifier to keep (in the session) until the callback."""

    url: str
    code_verifier: str = ""


class ChannelError(Exception):
    """Base class: something went wrong talking to a platform."""

    def __init__(self, message: str, *, code: str | int | None = None, payload: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.payload = payload


class ChannelAuthError(ChannelError):
    """Token invalid, expired or revoked. Never retried: a person must reconnect."""


class ChannelPermissionError(ChannelError):
    """The token works but lacks a permission or role. Not retried."""


class ChannelRateLimited(ChannelError):
    """Throttled, or about to be. Retry after `retry_after` seconds.

    `waits_for_reset`: a budget is spent (YouTube's daily quota, X's monthly cap) and nothing
    will go through before it resets, `retry_after` from now. Waiting for it is not a failed
    attempt, so outbound actions are scheduled at the reset instead of counting towards their cap.
    """

    def __init__(
        self,
        message: str,
        *,
        retry_after: float,
        code: str | int | None = None,
        payload: Any = None,
        waits_for_reset: bool = False,
    ) -> None:
        super().__init__(message, code=code, payload=payload)
        self.retry_after = retry_after
        self.waits_for_reset = waits_for_reset


class ChannelNotFound(ChannelError):
    """The object does not exist (any more) on the platform."""


class ChannelUnavailable(ChannelError):
    """5xx, timeout, malformed response: transient, retried with backoff."""


class ChannelPermanentError(ChannelError):
    """The platform refused the request for a reason a retry will not fix."""


class ActionNotSupported(ChannelError):
    """The platform has no API for this action (e.g. Instagram ban)."""


class ChannelNotConfigured(ChannelError):
    """No adapter, connector or webhook is configured for this platform, or its settings are missing."""


class WebhookPayloadError(ChannelError):
    """A signed webhook body that is not a shape the platform sends. Answered 400, never retried."""


def item_capabilities(
    adapter: type[ChannelAdapter] | ChannelAdapter, item_kind: str | None
) -> frozenset[str]:
    """What the platform can do to one kind of item: `capabilities` unless the adapter narrows it.

    A mention usually sits on someone else's post or media, so the account cannot
    hide or delete it even where it can hide comments on its own posts.
    """
    if item_kind is None:
        return adapter.capabilities
    narrowed = adapter.capabilities_by_kind.get(item_kind)
    return adapter.capabilities if narrowed is None else adapter.capabilities & narrowed


@runtime_checkable
class ChannelAdapter(Protocol):
    platform: ClassVar[str]
    capabilities: ClassVar[frozenset[str]]
    # Item kinds a sweep or webhook produces; what is missing (e.g. "dm") is not read at all.
    item_kinds: ClassVar[frozenset[str]]
    # Per item kind, the subset of `capabilities` that applies (kinds not listed: all of them).
    capabilities_by_kind: ClassVar[Mapping[str, frozenset[str]]]
    # What a successful `block` is on the platform: one of RESTRICTION_KINDS.
    block_restriction: ClassVar[str]
    # By action name, why the platform refuses it ("delete": "X lets an account delete only its own
    # posts ..."), or the catch where it allows it (X's block is a mute): the refusal's message, the
    # capability matrix's cell and the item page's note. Empty when there is nothing to say.
    unsupported: ClassVar[Mapping[str, str]]
    # By action name, how an allowed action is done there ("hide": "held for review"): shown in the
    # capability matrix. Empty when each action is what its name says.
    action_notes: ClassVar[Mapping[str, str]]
    usage: dict[str, Any]  # last rate-limit usage the platform reported
    api_calls: int  # HTTP requests made by this adapter instance

    def fetch_page(self, *, cursor: Mapping[str, Any]) -> FetchPage: ...

    def get_item(self, *, platform_id: str) -> RemoteItem: ...

    def get_mention(self, *, ref: Mapping[str, str]) -> RemoteItem: ...

    def hide(self, *, platform_id: str) -> None: ...

    def unhide(self, *, platform_id: str) -> None: ...

    def delete(self, *, platform_id: str) -> None: ...

    def reply(self, *, platform_id: str, text: str, kind: str) -> str:
        """Post a reply under the item; `kind` is the item's kind (some platforms use another edge)."""
        ...

    def block(self, *, author_id: str) -> None: ...

    def unblock(self, *, author_id: str) -> None: ...

    def subscribe_webhooks(self) -> bool:
        """Ask the platform to send this account's webhooks; False when there is nothing to do."""
        ...


# -- what only some platforms can do: declared here, so services never guess by name ---------
@runtime_checkable
class ReadsBackReplies(Protocol):
    """An adapter that can find a reply it may already have posted (a read-back after a timeout,
    so an interrupted reply is confirmed instead of posted twice)."""

    def find_reply(
        self, *, platform_id: str, text: str, since: datetime | None = None, kind: str = KIND_COMMENT
    ) -> str | None:
        """Our reply to this item with this text, posted since `since`, or None; `kind` is the
        item's kind (where the reply went, as for `reply`)."""
        ...


@runtime_checkable
class BlocksThroughAnItem(Protocol):
    """An adapter that restricts an author only through one of their items (YouTube bans an
    author while rejecting one of their comments); `block` is given that item's id."""

    block_needs_item: ClassVar[bool]

    def block(self, *, author_id: str, platform_id: str = "") -> None: ...


@runtime_checkable
class HasBudgetDay(Protocol):
    """A platform that budgets what an account spends by a day of its own (X: posts read against
    a monthly budget; YouTube: quota units a day). `usage_day` is a staticmethod, so the adapter
    class answers as well as an instance: the capability matrix and budget panel have no token."""

    @staticmethod
    def usage_day(now: float) -> str:
        """The platform's day (ISO date) that the epoch moment `now` falls in, e.g. YouTube's Pacific date."""
        ...


@runtime_checkable
class HasDailyQuota(HasBudgetDay, Protocol):
    """An adapter with such a budget. Before any call it is told what the channel already spent
    (from the usage ledger, services/usage.py) so it can refuse up front what would overrun; after,
    what it spent since `units_recorded` is added to the ledger."""

    units_used_today: int  # set from the ledger before any call
    units_used_month: int
    units_recorded: int  # `units_spent` when the ledger last counted it (0 on a new adapter)

    @property
    def units_spent(self) -> int:
        """What this adapter spent so far, in the platform's unit (posts read, quota units)."""
        ...


@runtime_checkable
class DescribesLimits(Protocol):
    """An adapter class that puts a channel's limits in plain sentences (the capability matrix and
    the queue's budget panel), from its registry OPTIONS, the usage ledger and the channel's
    stored rate-limit state. A classmethod: the pages read adapter classes, not instances."""

    @classmethod
    def describe_limits(cls, facts: LimitsInput) -> list[str]: ...


@runtime_checkable
class Connector(Protocol):
    """OAuth for one platform, built from the registry entry's BASE_URL and CONNECT_OPTIONS.

    The constructor raises ChannelNotConfigured (with the settings to set) when app
    credentials are missing. Channels whose connectors share a `login_group` are
    connected through one platform login, so revoking it for one revokes it for all.
    """

    platform: str
    login_group: str

    def authorization_url(self, *, redirect_uri: str, state: str) -> AuthorizationRequest: ...

    def connect(
        self,
        *,
        code: str,
        redirect_uri: str,
        code_verifier: str = "",
        want_account_id: str = "",
        want_name: str = "",
    ) -> ConnectedAccount: ...

    def revoke(self, *, credentials: Mapping[str, Any]) -> None:
        """Withdraw the app's access for the login that produced these credentials (safe to repeat)."""
        ...


@runtime_checkable
class RefreshesTokens(Protocol):
    """A connector whose access tokens expire within hours and come with a refresh token."""

    def refresh(self, *, credentials: Mapping[str, Any]) -> tuple[dict[str, Any], int | None]:
        """New credentials from the refresh token: (credentials, seconds until the token expires)."""
        ...


@runtime_checkable
class WebhookHandler(Protocol):
    """One platform's webhooks, built from the registry entry's WEBHOOK_OPTIONS."""

    platform: str

    def challenge(self, *, query: Mapping[str, str]) -> str | None:
        """The answer to a GET subscription handshake, or None to refuse it (403)."""
        ...

    def verify(self, *, body: bytes, headers: Mapping[str, str]) -> bool:
        """Whether the raw body carries a valid signature. Nothing is stored when it does not."""
        ...

    def parse(self, *, payload: Any) -> list[WebhookChange]:
        """The changes in a decoded body; raises WebhookPayloadError for shapes it cannot use."""
        ...
