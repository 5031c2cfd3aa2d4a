"""Writes (docs/architecture.md). Each module holds one entity's services; import from here."""

from moderation.services._transitions import transition
from moderation.services.audit import audit_record
from moderation.services.classify import item_classify
from moderation.services.policy_config import policy_config_get

__all__ = ["audit_record", "item_classify", "policy_config_get", "transition"]
