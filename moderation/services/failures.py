"""What failed for good, and retrying it (docs/architecture.md §4): classification, actions, webhooks.

Every retried thing has a cap. An item whose classification keeps failing is not
retried for ever: after CLASSIFY_MAX_ATTEMPTS it is marked for human review with
the error (it is in the queue already, unclassified, and now says why and jumps
the queue). Leads see everything that failed on /failures/ and can retry it.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from accounts.models import User
from moderation.errors import ActionNotAvailable, NotPermitted
from moderation.models import Item, Priority
from moderation.services.audit import audit_record
from moderation.tasks import enqueue_on_commit, item_classify

CLASSIFY_MAX_ATTEMPTS = 3
REVIEW = "review"  # the recommended action of an item a person must look at unaided


def _require_lead(actor: User | None) -> None:
    if actor is not None and not actor.has_perm("moderation.manage_channels"):
        raise NotPermitted("Only a Lead can retry what failed.", hint="Ask a Lead.")


def item_classify_failed(*, item_id: int, error: str) -> Item | None:
    """Count a failed classification; at the cap, mark the item for human review with the error."""
    with transaction.atomic():
        item = Item.objects.select_for_update().filter(pk=item_id).first()
        if item is None or item.classified_at is not None:
            return item
        item.classify_attempts = F("classify_attempts") + 1
        item.classify_error = error[:2000]
        item.save(update_fields=["classify_attempts", "classify_error", "updated_at"])
        item.refresh_from_db(fields=["classify_attempts"])
        if item.classify_attempts >= CLASSIFY_MAX_ATTEMPTS:
            before = {"priority": item.priority, "recommended_action": item.recommended_action}
            item.recommended_action = REVIEW
            item.priority = max(item.priority, Priority.HIGH)
            item.save(update_fields=["recommended_action", "priority", "updated_at"])
            audit_record(
                actor=None,
                verb="item.classify_failed",
                target=item,
                before=before,
                after={"priority": item.priority, "recommended_action": REVIEW},
                detail={"attempts": item.classify_attempts, "error": error[:300]},
            )
    return item


def item_classify_retry(*, item_id: int, actor: User | None) -> Item:
    """A Lead asks for an item's classification to be tried again from a fresh count."""
    _require_lead(actor)
    with transaction.atomic():
        item = Item.objects.select_for_update().get(pk=item_id)
        if item.classified_at is not None:
            raise ActionNotAvailable(f"Item {item.pk} is already classified.", hint="Nothing to retry.")
        item.classify_attempts = 0
        item.save(update_fields=["classify_attempts", "updated_at"])
        audit_record(
            actor=actor,
            verb="item.classify_retried",
            target=item,
            detail={"error": item.classify_error[:300]},
        )
        enqueue_on_commit(item_classify, item.pk)
    return item
