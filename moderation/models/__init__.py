from moderation.models.actions import OPEN_ACTION_STATUSES, PLATFORM_KINDS, Action, ActionKind, ActionStatus
from moderation.models.api import (
    ApiScope,
    ApiToken,
    DeliveryStatus,
    IntranetEvent,
    WebhookDelivery,
    WebhookEndpoint,
)
from moderation.models.audit import AuditEvent, AuditImmutable
from moderation.models.base import Platform, TimeStamped
from moderation.models.channels import Backfill, Channel, ChannelHealth
from moderation.models.data_protection import DataRetention, LegalHold
from moderation.models.items import (
    OPEN_STATES,
    Author,
    AuthorRestriction,
    Flag,
    Item,
    ItemKind,
    ItemState,
    Outcome,
    Priority,
    RestrictionKind,
    Visibility,
)
from moderation.models.pipeline import NEVER_AUTOMATIC, AutoActionRule, EscalationSettings, ItemEventMark
from moderation.models.policy_config import (
    AllowlistedDomain,
    CategoryAction,
    PolicyTerm,
    PolicyThreshold,
    ProtectedPerson,
)
from moderation.models.settings import CannedReply, OfficeHours
from moderation.models.usage import ChannelUsage
from moderation.models.webhooks import WebhookEvent, WebhookEventStatus

__all__ = [
    "NEVER_AUTOMATIC",
    "OPEN_ACTION_STATUSES",
    "OPEN_STATES",
    "PLATFORM_KINDS",
    "Action",
    "ActionKind",
    "ActionStatus",
    "AllowlistedDomain",
    "ApiScope",
    "ApiToken",
    "AuditEvent",
    "AuditImmutable",
    "Author",
    "AuthorRestriction",
    "AutoActionRule",
    "Backfill",
    "CannedReply",
    "CategoryAction",
    "Channel",
    "ChannelHealth",
    "ChannelUsage",
    "DataRetention",
    "DeliveryStatus",
    "EscalationSettings",
    "Flag",
    "IntranetEvent",
    "Item",
    "ItemEventMark",
    "ItemKind",
    "ItemState",
    "LegalHold",
    "OfficeHours",
    "Outcome",
    "Platform",
    "PolicyTerm",
    "PolicyThreshold",
    "Priority",
    "ProtectedPerson",
    "RestrictionKind",
    "TimeStamped",
    "Visibility",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookEvent",
    "WebhookEventStatus",
]
