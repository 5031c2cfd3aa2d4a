"""item_classify: run the GP014 policy engine on one item and store its advice.

Policy output is advice (docs/architecture.md §1): this service records flags, route, recommended
action, priority and due time, and never changes the item's queue state. Acting on the advice
is left to the automatic rules Leads switch on (services/escalation.py), as the system actor.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from moderation.data_version import items_written_from
from moderation.models import Flag, Item
from moderation.policy import POLICY_VERSION, check
from moderation.services.audit import audit_record
from moderation.services.escalation import item_escalate_after_classify
from moderation.services.office_hours import due_by, office_schedule
from moderation.services.policy_config import policy_config_get


def item_classify(*, item_id: int) -> Item:
    """Classify one item; running it twice leaves the same flags (idempotent, safe to retry)."""
    config = policy_config_get()
    with transaction.atomic():
        item = Item.objects.select_for_update().get(pk=item_id)
        result = check(
            item.text, links=list(item.links or ()), has_media=bool(item.media_urls), config=config
        )
        # Only this item's row and flags change (and the audit, which no list shows), so the
        # cached pages below it stay (moderation/data_version.py); an automatic hide below is an
        # action like any other and moves every page on.
        with items_written_from(item.received_at):
            now = timezone.now()
            item.flags.filter(policy_version=POLICY_VERSION).delete()
            Flag.objects.bulk_create(
                [
                    Flag(
                        item=item,
                        category=f.category,
                        subtype=f.subtype,
                        clause=f.clause,
                        evidence=f.evidence,
                        evidence_start=f.start,
                        evidence_end=f.end,
                        score=f.score,
                        source=f.source[:120],
                        explanation=f.explanation,
                        note=f.note,
                        policy_version=POLICY_VERSION,
                        created_at=now,
                    )
                    for f in result.flags
                ]
            )
            item.route = result.route or ""
            item.recommended_action = result.action
            item.priority = result.priority
            item.due_by = due_by(
                arrived=item.received_at, priority=result.priority, schedule=office_schedule()
            )
            item.classified_at = now
            item.policy_version = POLICY_VERSION
            item.save(
                update_fields=[
                    "route",
                    "recommended_action",
                    "priority",
                    "due_by",
                    "classified_at",
                    "policy_version",
                    "updated_at",
                ]
            )
            audit_record(
                actor=None,
                verb="item.classified",
                target=item,
                clause=result.clause,
                policy_version=POLICY_VERSION,
                detail={
                    # ids and categories only, never the comment text (docs/architecture.md §3, logs)
                    "categories": list(result.categories),
                    "flags": [
                        {"category": f.category, "clause": f.clause, "source": f.source} for f in result.flags
                    ],
                    "route": result.route,
                    "action": result.action,
                    "priority": result.priority,
                    "config_version": config.version,
                },
            )
        item_escalate_after_classify(item=item, result=result)
    return item
