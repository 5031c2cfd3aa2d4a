"""Platform → adapter, connector and webhook handler, from settings.MODERATION_CHANNELS.

One entry per platform (docs/architecture.md, "How to add a network")::

    "facebook": {
        "ADAPTER": "moderation.channels.meta.facebook.FacebookPageAdapter",   # required
        "CONNECTOR": "moderation.channels.meta.login.FacebookConnector",      # optional: OAuth connect
        "WEBHOOK": "moderation.channels.meta.facebook.FacebookWebhook",       # optional: /webhooks/facebook/
        "BASE_URL": "https://graph.facebook.com",
        "OPTIONS": {...},          # keyword arguments for the adapter
        "CONNECT_OPTIONS": {...},  # ... for the connector (app id and secret, scopes)
        "WEBHOOK_OPTIONS": {...},  # ... for the webhook handler (secrets, verify token)
    }

The caller passes that setting in as `config` (channels/ imports no settings). A
platform missing from it has no adapter yet; `validate` (run by the system check
moderation.E010) reports entries that do not import or do not fit the protocol.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any, cast

from django.utils.module_loading import import_string

from moderation.channels.base import (
    ALL_CAPABILITIES,
    ALL_KINDS,
    RESTRICTION_BLOCK,
    RESTRICTION_KINDS,
    ChannelAdapter,
    ChannelAuthError,
    ChannelNotConfigured,
    Connector,
    WebhookHandler,
    item_capabilities,
)

__all__ = [
    "ChannelNotConfigured",
    "adapter_class",
    "adapter_for",
    "capabilities",
    "configured_platforms",
    "connect_problem",
    "connector_for",
    "refusal_note",
    "validate",
    "webhook_for",
]

Config = Mapping[str, Mapping[str, Any]]
ADAPTER_METHODS = (
    "fetch_page",
    "get_item",
    "get_mention",
    "hide",
    "unhide",
    "delete",
    "reply",
    "block",
    "unblock",
    "subscribe_webhooks",
)
CONNECTOR_METHODS = ("authorization_url", "connect", "revoke")
WEBHOOK_METHODS = ("challenge", "verify", "parse")


def _entry(platform: str, config: Config) -> Mapping[str, Any]:
    entry = config.get(platform)
    if not entry:
        raise ChannelNotConfigured(
            f"There is no adapter for {platform} yet, so its channels cannot be connected or read.",
            code="no_adapter",
        )
    return entry


def adapter_class(platform: str, config: Config) -> type[ChannelAdapter]:
    return cast(type[ChannelAdapter], import_string(str(_entry(platform, config)["ADAPTER"])))


def capabilities(
    platform: str,
    config: Config,
    *,
    item_kind: str | None = None,
    item_raw: Mapping[str, Any] | None = None,
    account_id: str = "",
) -> frozenset[str]:
    """What the platform can do; with `item_kind`, what it can do to that kind of item.

    With `item_raw` (the stored payload) an adapter may narrow further for that one item
    through an optional `narrow_for_item(capabilities, raw=..., account_id=...)`: X accepts
    an API reply only where the post's author mentioned, replied to or quoted the account.
    """
    try:
        adapter = adapter_class(platform, config)
    except ChannelNotConfigured:
        return frozenset()
    allowed = item_capabilities(adapter, item_kind)
    narrow = getattr(adapter, "narrow_for_item", None)
    if item_raw is not None and callable(narrow):
        allowed = frozenset(narrow(allowed, raw=item_raw, account_id=account_id))
    return allowed


def refusal_note(platform: str, config: Config, action: str) -> str:
    """The adapter's plain reason why `action` is refused on this platform, or ""."""
    try:
        return str(adapter_class(platform, config).unsupported.get(action, ""))
    except ChannelNotConfigured:
        return ""


def block_restriction(platform: str, config: Config) -> str:
    """What a `block` is on this platform: "block", "ban" or "mute" (X's block is a mute)."""
    try:
        return str(adapter_class(platform, config).block_restriction)
    except ChannelNotConfigured:
        return RESTRICTION_BLOCK


def block_needs_item(platform: str, config: Config) -> bool:
    """Whether a `block` here names one of the author's items (channels/base.BlocksThroughAnItem:
    YouTube bans while rejecting a comment), so it needs that item live on the platform."""
    try:
        return bool(getattr(adapter_class(platform, config), "block_needs_item", False))
    except ChannelNotConfigured:
        return False


def own_author_ids(platform: str, config: Config, account_id: str) -> frozenset[str]:
    """The author ids the connected account itself writes as (its posts and replies are not queue
    work): the account id, or what an adapter's optional `own_author_ids(account_id)` names."""
    if not account_id:
        return frozenset()
    try:
        own = getattr(adapter_class(platform, config), "own_author_ids", None)
    except ChannelNotConfigured:
        own = None
    return frozenset(own(account_id)) if callable(own) else frozenset({account_id})


def configured_platforms(config: Config) -> list[str]:
    return sorted(config)


def adapter_for(
    platform: str,
    *,
    config: Config,
    credentials: Mapping[str, Any],
    account_id: str,
    options: Mapping[str, Any] | None = None,
) -> ChannelAdapter:
    """A fresh adapter for one account, with its token passed in; `options` add to the entry's."""
    entry = _entry(platform, config)
    token = str(credentials.get("access_token", ""))
    if not token:
        raise ChannelAuthError(
            f"The {platform} channel {account_id or '(unconnected)'} has no token. "
            "Connect it on the Channels page.",
            code="no_token",
        )
    factory = import_string(str(entry["ADAPTER"]))
    options = {**dict(entry.get("OPTIONS", {})), **dict(options or {})}
    adapter = factory(base_url=str(entry.get("BASE_URL", "")), token=token, account_id=account_id, **options)
    return cast(ChannelAdapter, adapter)


def adapter_accepts(platform: str, option: str, config: Config) -> bool:
    """Whether the platform's adapter takes this keyword by name (not merely **options)."""
    factory = import_string(str(_entry(platform, config)["ADAPTER"]))
    return option in inspect.signature(factory).parameters


def connector_for(platform: str, config: Config) -> Connector:
    """The platform's OAuth connector; ChannelNotConfigured says what is missing."""
    entry = _entry(platform, config)
    if not entry.get("CONNECTOR"):
        raise ChannelNotConfigured(
            f"{platform} channels are not connected through this app's OAuth.", code="no_connector"
        )
    factory = import_string(str(entry["CONNECTOR"]))
    options = {"base_url": str(entry.get("BASE_URL", "")), **dict(entry.get("CONNECT_OPTIONS", {}))}
    return cast(Connector, factory(**options))


def connect_problem(platform: str, config: Config) -> str:
    """Why channels of this platform cannot be connected now, or "" when they can."""
    try:
        connector_for(platform, config)
    except ChannelNotConfigured as exc:
        return exc.message
    return ""


def webhook_for(platform: str, config: Config) -> WebhookHandler:
    entry = _entry(platform, config)
    if not entry.get("WEBHOOK"):
        raise ChannelNotConfigured(f"{platform} sends no webhooks to this app.", code="no_webhook")
    factory = import_string(str(entry["WEBHOOK"]))
    return cast(WebhookHandler, factory(**dict(entry.get("WEBHOOK_OPTIONS", {}))))


def validate(config: Config, *, known_platforms: frozenset[str]) -> list[str]:
    """Problems with the registry, one sentence each (empty when every entry fits the protocol)."""
    problems: list[str] = []
    for platform, entry in sorted(config.items()):
        if platform not in known_platforms:
            problems.append(
                f"{platform}: not a platform the data model knows ({', '.join(sorted(known_platforms))})."
            )
        if not isinstance(entry, Mapping) or not entry.get("ADAPTER"):
            problems.append(f"{platform}: the entry needs an ADAPTER dotted path.")
            continue
        for key in ("OPTIONS", "CONNECT_OPTIONS", "WEBHOOK_OPTIONS"):
            if not isinstance(entry.get(key, {}), Mapping):
                problems.append(f"{platform}: {key} must be a dict of keyword arguments.")
        problems += _check_class(platform, "ADAPTER", entry, ADAPTER_METHODS, _adapter_problems)
        if entry.get("CONNECTOR"):
            problems += _check_class(platform, "CONNECTOR", entry, CONNECTOR_METHODS, _named_problems)
        if entry.get("WEBHOOK"):
            problems += _check_class(platform, "WEBHOOK", entry, WEBHOOK_METHODS, _named_problems)
    return problems


def _check_class(
    platform: str,
    key: str,
    entry: Mapping[str, Any],
    methods: tuple[str, ...],
    more: Callable[[str, str, Any], list[str]],
) -> list[str]:
    path = str(entry[key])
    try:
        cls = import_string(path)
    except ImportError as exc:
        return [f"{platform}: {key} {path} does not import ({exc})."]
    if not inspect.isclass(cls):
        return [f"{platform}: {key} {path} is not a class."]
    missing = [m for m in methods if not callable(getattr(cls, m, None))]
    problems = [f"{platform}: {key} {path} lacks {', '.join(missing)}."] if missing else []
    return problems + more(platform, key, cls)


def _named_problems(platform: str, key: str, cls: Any) -> list[str]:
    if getattr(cls, "platform", None) != platform:
        return [f"{platform}: {key} {cls.__name__} says its platform is {getattr(cls, 'platform', None)!r}."]
    return []


def _adapter_problems(platform: str, key: str, cls: Any) -> list[str]:
    problems = _named_problems(platform, key, cls)
    caps = getattr(cls, "capabilities", None)
    kinds = getattr(cls, "item_kinds", None)
    by_kind = getattr(cls, "capabilities_by_kind", None)
    name = cls.__name__
    if not isinstance(caps, frozenset) or not caps <= ALL_CAPABILITIES:
        problems.append(f"{platform}: {name}.capabilities must be a frozenset of {sorted(ALL_CAPABILITIES)}.")
        caps = frozenset()
    if not isinstance(kinds, frozenset) or not kinds or not kinds <= ALL_KINDS:
        problems.append(
            f"{platform}: {name}.item_kinds must be a non-empty frozenset of {sorted(ALL_KINDS)}."
        )
        kinds = frozenset()
    if not isinstance(by_kind, Mapping):
        problems.append(f"{platform}: {name}.capabilities_by_kind must be a mapping (empty when uniform).")
    else:
        for kind, allowed in by_kind.items():
            if kind not in kinds or not isinstance(allowed, frozenset) or not allowed <= caps:
                problems.append(
                    f"{platform}: {name}.capabilities_by_kind[{kind!r}] must narrow capabilities "
                    "for one of its item_kinds."
                )
    if getattr(cls, "block_restriction", None) not in RESTRICTION_KINDS:
        problems.append(f"{platform}: {name}.block_restriction must be one of {sorted(RESTRICTION_KINDS)}.")
    for notes in ("unsupported", "action_notes"):
        declared = getattr(cls, notes, None)
        if not isinstance(declared, Mapping) or not all(isinstance(v, str) for v in declared.values()):
            problems.append(
                f"{platform}: {name}.{notes} must be a mapping of action to sentence (empty when none)."
            )
    return problems
