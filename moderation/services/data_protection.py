"""UK GDPR: retention, subject-access export and erasure (docs/data-protection.md).

Anonymising keeps every row and every decision (state, outcome, clause, flag category,
who acted and when) and blanks what identifies or quotes a person: comment text, links,
media, permalink, the raw platform payload, the matched evidence, reply text, and the link
to the author. Authors left with nothing are anonymised too, unless a block or report on
them is still in force (GP014 2.5 needs to know whom we blocked). A legal hold on an author
keeps all of their data out of both retention and erasure until it is lifted.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from moderation.errors import ModerationError, NotPermitted
from moderation.models import (
    Action,
    AuditEvent,
    Author,
    AuthorRestriction,
    DataRetention,
    Flag,
    Item,
    ItemState,
    LegalHold,
)
from moderation.services.audit import audit_record

AVERAGE_MONTH = timedelta(days=365.25 / 12)
# Audit detail keys that hold what an officer typed (a note, an escalation note, a dismissal
# reason); system reasons come from a fixed vocabulary and are decisions, so they stay.
FREE_TEXT_KEYS = ("text", "note", "reason")
SYSTEM_REASONS = {"claim_expired", "released", "edited_on_platform", "unhidden", "action_failed"}


class LegalHoldActive(ModerationError):
    code = "legal_hold"
    status = 409


def retention_get() -> DataRetention:
    retention, _ = DataRetention.objects.get_or_create(pk=1)
    return retention


def retention_set(*, months: int, actor: User) -> DataRetention:
    if not actor.has_perm("moderation.manage_policy"):
        raise NotPermitted("Only a Lead can change how long data is kept.", hint="Ask a Lead.")
    if not 1 <= months <= 120:
        raise ModerationError(f"{months} months is not a retention period.", hint="Choose 1 to 120 months.")
    with transaction.atomic():
        retention = retention_get()
        before = retention.months
        retention.months = months
        retention.updated_by = actor
        retention.save()
        audit_record(
            actor=actor,
            verb="retention.set",
            target=retention,
            before={"months": before},
            after={"months": months},
        )
    return retention


def _held_author_ids() -> QuerySet[LegalHold, Any]:
    return LegalHold.objects.filter(lifted_at__isnull=True).values("author_id")


def _not_anonymised(items: QuerySet[Item]) -> QuerySet[Item]:
    return items.filter(~Q(text="") | Q(author__isnull=False) | ~Q(raw={}) | ~Q(permalink=""))


def _anonymise_items(items: QuerySet[Item]) -> int:
    ids = list(_not_anonymised(items).values_list("pk", flat=True))
    _redact_audit(ids)
    Flag.objects.filter(item_id__in=ids).update(evidence="", evidence_start=None, evidence_end=None)
    Action.objects.filter(item_id__in=ids).update(payload={}, platform_response={}, author=None)
    return Item.objects.filter(pk__in=ids).update(
        text="", links=[], media_urls=[], permalink="", raw={}, author=None
    )


def _redact_audit(item_ids: list[int]) -> int:
    """Drop officer-written text from the audit events of these items; the rest stays.

    The audit table is append-only; on PostgreSQL its trigger lets exactly this through when
    the transaction says so (migration 0011), and the model refuses updates, hence raw SQL.
    """
    redacted = 0
    events = AuditEvent.objects.filter(item_id__in=item_ids).values_list("pk", "detail")
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL havebury.audit_redaction = 'on'")
        for pk, detail in events:
            if not isinstance(detail, dict):
                continue
            keep = {
                k: v
                for k, v in detail.items()
                if k not in FREE_TEXT_KEYS or (k == "reason" and v in SYSTEM_REASONS)
            }
            if keep != detail:
                keep["redacted"] = sorted(set(detail) - set(keep))
                cursor.execute(
                    "UPDATE moderation_auditevent SET detail = %s WHERE id = %s", [json.dumps(keep), pk]
                )
                redacted += 1
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL havebury.audit_redaction = 'off'")
    return redacted


def _anonymise_authors(authors: QuerySet[Author]) -> int:
    """Anonymise those of `authors` with no items left, no block in force and no legal hold."""
    candidates = (
        authors.exclude(platform_user_id__startswith="erased-")
        .exclude(pk__in=Item.objects.filter(author__isnull=False).values("author_id"))
        .exclude(pk__in=AuthorRestriction.objects.filter(lifted_at__isnull=True).values("author_id"))
        .exclude(pk__in=_held_author_ids())
    )
    count = 0
    for author in candidates:
        Action.objects.filter(author=author).update(author=None)
        author.platform_user_id = f"erased-{author.pk}"
        author.handle = author.display_name = author.notes = ""
        author.save(update_fields=["platform_user_id", "handle", "display_name", "notes", "updated_at"])
        count += 1
    return count


def retention_apply(*, now: datetime | None = None) -> dict[str, int]:
    """Anonymise what is older than the Lead-set period; safe to run any number of times."""
    now = now or timezone.now()
    cutoff = now - retention_get().months * AVERAGE_MONTH
    held = _held_author_ids()
    with transaction.atomic():
        old = Item.objects.filter(received_at__lt=cutoff).exclude(author_id__in=held)
        payloads = old.exclude(raw={}).update(raw={})
        resolved = old.filter(state=ItemState.RESOLVED, resolved_at__lt=cutoff)
        items = _anonymise_items(resolved)
        authors = _anonymise_authors(Author.objects.all())
        counts = {"payloads_cleared": payloads, "items_anonymised": items, "authors_anonymised": authors}
        retention = retention_get()
        audit_record(
            actor=None,
            verb="retention.applied",
            target=retention,
            detail={**counts, "cutoff": cutoff.isoformat()},
        )
    return counts


def _author(platform: str, platform_user_id: str) -> Author:
    try:
        return Author.objects.get(platform=platform, platform_user_id=platform_user_id)
    except Author.DoesNotExist:
        raise ModerationError(
            f"No {platform} author with id {platform_user_id} is held here.",
            hint="Check the platform and the numeric id (not the handle).",
        ) from None


def author_export(*, platform: str, platform_user_id: str) -> dict[str, Any]:
    """Everything held about one author, as plain JSON-ready data (subject access request)."""
    author = _author(platform, platform_user_id)
    items = list(Item.objects.filter(author=author).prefetch_related("flags").order_by("received_at"))
    item_ids = [item.pk for item in items]
    fields = ("platform", "platform_user_id", "handle", "display_name", "notes", "created_at", "updated_at")
    return {
        "exported_at": timezone.now().isoformat(),
        "author": {name: getattr(author, name) for name in fields},
        "restrictions": list(
            author.restrictions.values("kind", "channel__handle", "created_at", "lifted_at")
        ),
        "legal_holds": list(
            LegalHold.objects.filter(author=author).values("reason", "created_at", "lifted_at")
        ),
        "items": [
            {
                "platform_id": item.platform_id,
                "channel": item.channel.handle,
                "kind": item.kind,
                "text": item.text,
                "links": item.links,
                "media_urls": item.media_urls,
                "permalink": item.permalink,
                "created_on_platform": item.created_on_platform,
                "received_at": item.received_at,
                "visibility": item.visibility,
                "state": item.state,
                "outcome": item.outcome,
                "raw": item.raw,
                "flags": [
                    {"category": f.category, "clause": f.clause, "evidence": f.evidence, "source": f.source}
                    for f in item.flags.all()
                ],
            }
            for item in items
        ],
        "actions": list(
            Action.objects.filter(Q(author=author) | Q(item_id__in=item_ids))
            .order_by("created_at")
            .values("kind", "status", "payload", "created_at", "completed_at", "item__platform_id")
        ),
        "audit": list(
            AuditEvent.objects.filter(
                Q(item_id__in=item_ids) | Q(target_type="moderation.author", target_id=str(author.pk))
            )
            .order_by("created_at")
            .values("verb", "created_at", "before", "after", "clause", "detail")
        ),
    }


def author_erase(*, platform: str, platform_user_id: str, actor: User | None) -> dict[str, int]:
    """Right to erasure: anonymise the author and all their items, unless a legal hold stands."""
    author = _author(platform, platform_user_id)
    if LegalHold.objects.filter(author=author, lifted_at__isnull=True).exists():
        raise LegalHoldActive(
            f"Author {author.pk} is under a legal hold, so their data cannot be erased.",
            hint="Lift the hold (Admin, Legal holds) once the legal reason has ended, then erase.",
        )
    with transaction.atomic():
        items = _anonymise_items(Item.objects.filter(author=author))
        AuthorRestriction.objects.filter(author=author, lifted_at__isnull=True).update(
            lifted_at=timezone.now()
        )
        authors = _anonymise_authors(Author.objects.filter(pk=author.pk))
        audit_record(
            actor=actor,
            verb="author.erased",
            target=author,
            detail={"items_anonymised": items, "authors": authors},
        )
    return {"items_anonymised": items, "authors_anonymised": authors}
