"""Writes (conventions §1). Each module holds one entity's services; import from here."""

from moderation.services._transitions import transition
from moderation.services.audit import audit_record

__all__ = ["audit_record", "transition"]
