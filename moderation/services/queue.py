"""The queue: one service per officer intent, shared by the dashboard and the REST API.

Each call checks the actor's permission itself, writes its audit event in the same
transaction (through transition() or audit_record) and raises the domain errors in
moderation.errors on refusal. Platform actions go through actions.action_request;
when the platform confirms one, `item_action_settled` (called by actions._finish in
the same transaction) resolves the item with the matching outcome, and a failure
puts the item back in the queue with the platform's reason.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from moderation.errors import ActionNotAvailable, ClauseRequired, InvalidTransition, ItemClaimed, NotPermitted
from moderation.models import (
    OPEN_STATES,
    Action,
    ActionStatus,
    AuditEvent,
    Flag,
    Item,
    ItemState,
    Outcome,
    Visibility,
)
from moderation.models.items import QUEUE_ORDER
from moderation.queue_filters import QueueFilters, filters_apply
from moderation.services._transitions import transition
from moderation.services.actions import action_request
from moderation.services.audit import audit_record

ACT_KINDS = ("hide", "unhide", "delete", "reply", "block", "unblock", "report")
# Actions that take something down or shut someone out must say which clause they rest on.
DESTRUCTIVE = frozenset({"hide", "delete", "block", "report"})
OUTCOME_FOR = {
    "hide": Outcome.HIDDEN,
    "delete": Outcome.DELETED,
    "reply": Outcome.REPLIED,
    "block": Outcome.BLOCKED,
    "report": Outcome.REPORTED,
}
SUCCESS = (ActionStatus.SENT, ActionStatus.CONFIRMED)


def claim_cutoff(now: datetime | None = None) -> datetime:
    """Claims last touched before this have lapsed."""
    return (now or timezone.now()) - timedelta(minutes=settings.QUEUE_CLAIM_MINUTES)


def claim_is_live(item: Item, now: datetime | None = None) -> bool:
    return (
        item.state == ItemState.IN_REVIEW
        and item.claimed_at is not None
        and item.claimed_at >= claim_cutoff(now)
    )


def _require(actor: User | None, perm: str, doing: str) -> None:
    if actor is not None and not actor.has_perm(perm):
        raise NotPermitted(f"You may not {doing}.", hint=f"This needs the {perm} permission; ask a Lead.")


def _locked(item_id: int) -> Item:
    try:
        return Item.objects.select_for_update(of=("self",)).select_related("claimed_by").get(pk=item_id)
    except Item.DoesNotExist:
        raise InvalidTransition(
            f"Item {item_id} does not exist.", hint="Check the id; it may have been erased."
        ) from None


def _refuse_if_held_by_other(item: Item, officer: User | None) -> None:
    if claim_is_live(item) and officer is not None and item.claimed_by_id != officer.pk:
        since = timezone.localtime(item.claimed_at).strftime("%H:%M") if item.claimed_at else "?"
        raise ItemClaimed(
            f"{item.claimed_by} is working on item {item.pk} (since {since}).",
            hint="Pick another item, or ask them to release it.",
        )


def _take(item: Item, officer: User) -> Item:
    """Claim a locked item for `officer`, taking over a lapsed claim; touch an own claim."""
    now = timezone.now()
    if item.state == ItemState.IN_REVIEW:
        if item.claimed_by_id == officer.pk:
            item.claimed_at = now
            item.save(update_fields=["claimed_at", "updated_at"])
            return item
        # The earlier claim lapsed (callers refuse live ones): the system releases it first.
        transition(item, to=ItemState.NEW, actor=None, detail={"reason": "claim_expired"})
    if item.state == ItemState.ESCALATED:
        _require(officer, "moderation.manage_policy", "take an item escalated to a Lead")
    return transition(item, to=ItemState.IN_REVIEW, actor=officer)


def item_claim_next(*, officer: User, filters: QueueFilters | None = None) -> Item | None:
    """Claim the most urgent, oldest unclaimed item; two officers never get the same one."""
    _require(officer, "moderation.work_queue", "work the queue")
    with transaction.atomic():
        qs = Item.objects.filter(
            Q(state=ItemState.NEW) | Q(state=ItemState.IN_REVIEW, claimed_at__lt=claim_cutoff())
        ).exclude(kind="post")
        if filters is not None:
            qs = filters_apply(qs, filters, officer_id=officer.pk)
        item = (
            qs.select_for_update(skip_locked=True, of=("self",))
            .order_by(*QUEUE_ORDER)  # served by item_open_queue_idx
            .first()
        )
        if item is None:
            return None
        return _take(item, officer)


def item_claim(*, item_id: int, officer: User) -> Item:
    """Claim one item (opening it does this); refuses while someone else holds a live claim."""
    _require(officer, "moderation.work_queue", "work the queue")
    with transaction.atomic():
        item = _locked(item_id)
        if item.state == ItemState.RESOLVED:
            raise InvalidTransition(
                f"Item {item.pk} is already resolved ({item.get_outcome_display()}).",
                hint="Nothing to do; reopen it from its audit trail if it needs another look.",
            )
        _refuse_if_held_by_other(item, officer)
        return _take(item, officer)


def item_release(*, item_id: int, officer: User) -> Item:
    """Give an item back to the queue. A Lead may release anyone's claim."""
    with transaction.atomic():
        item = _locked(item_id)
        if item.state != ItemState.IN_REVIEW:
            return item  # nothing held: releasing twice is harmless
        if item.claimed_by_id != officer.pk and claim_is_live(item):
            _require(officer, "moderation.manage_policy", "release another officer's item")
        return transition(item, to=ItemState.NEW, actor=officer, detail={"reason": "released"})


def _clause_for(item: Item, kind: str, clause: str) -> str:
    if clause or kind not in DESTRUCTIVE:
        return clause
    top = Flag.objects.filter(item=item, clause="2.3").order_by("-score", "id").first()
    if top is None:
        raise ClauseRequired(
            f"Say which GP014 clause item {item.pk} breaks before you {kind} it.",
            hint="Choose a clause, e.g. 2.3 (prohibited content) or 2.5 (removing offenders).",
        )
    return top.clause


def item_act(
    *,
    item_id: int,
    actor: User,
    kind: str,
    clause: str = "",
    text: str = "",
    idempotency_key: str | None = None,
) -> Action:
    """Hide, unhide, delete, reply, block, unblock or report; the platform call runs after commit."""
    if kind not in ACT_KINDS:
        raise ActionNotAvailable(
            f"'{kind}' is not an action on an item.", hint=f"Use one of {', '.join(ACT_KINDS)}."
        )
    _require(actor, "moderation.work_queue", "work the queue")
    with transaction.atomic():
        item = _locked(item_id)
        _refuse_if_held_by_other(item, actor)
        clause = _clause_for(item, kind, clause.strip())
        if item.state == ItemState.ESCALATED:
            _require(actor, "moderation.manage_policy", "act on an item escalated to a Lead")
        if item.state in (ItemState.NEW, ItemState.IN_REVIEW):
            _take(item, actor)  # acting on an item is working on it: claim or keep the claim alive
        if kind == "report":
            _require(actor, "moderation.report_item", "report items to the platform")
            return _recorded(item, actor, "report", clause, idempotency_key, {"guided": True})
        if kind == "hide" and item.visibility == Visibility.HIDDEN:
            # Already hidden (an automatic hide, or on the platform): confirming keeps it hidden and
            # closes the item without another platform call.
            _require(actor, "moderation.hide_item", "hide items")
            return _recorded(item, actor, "hide", clause, idempotency_key, {"already_hidden": True})
        payload = {"text": text} if kind == "reply" else {}
        if clause:
            payload["clause"] = clause
        return action_request(
            kind=kind, actor=actor, item_id=item.pk, payload=payload, idempotency_key=idempotency_key
        )


def _recorded(
    item: Item, actor: User, kind: str, clause: str, idempotency_key: str | None, extra: dict[str, Any]
) -> Action:
    """Record a decision the platform needs no call for, already done: a guided report (no
    platform we connect has a reporting API, so the officer reports it there, GP014 2.5) or
    keeping an already hidden item hidden."""
    key = idempotency_key or f"{kind}:{item.pk}:{uuid.uuid4().hex}"
    existing = Action.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    action = Action.objects.create(
        item=item,
        author=item.author,
        channel=item.channel,
        kind=kind,
        requested_by=actor,
        status=ActionStatus.CONFIRMED,
        idempotency_key=key,
        payload={"clause": clause, "permalink": item.permalink, **extra},
        completed_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        verb="action.recorded",
        target=action,
        item=item,
        clause=clause,
        after={"kind": kind, "status": action.status},
    )
    item_action_settled(action=action)
    return action


def item_action_settled(*, action: Action) -> None:
    """Move the item after its platform action finished. Caller holds the transaction."""
    item = action.item
    if item is None or action.kind in ("unblock",):
        return
    item = Item.objects.select_for_update(of=("self",)).get(pk=item.pk)
    clause = str(action.payload.get("clause", ""))
    if action.status in SUCCESS:
        if action.payload.get("automatic"):
            return  # an automatic hide (services/escalation.py) waits in the queue for an officer to confirm
        if action.kind == "unhide":
            if item.state == ItemState.RESOLVED and item.outcome == Outcome.HIDDEN:
                transition(
                    item,
                    to=ItemState.NEW,
                    actor=action.requested_by,
                    detail={"reason": "unhidden", "action_id": action.pk},
                )
            return
        if item.state in OPEN_STATES:
            _uphold(item)
            transition(
                item,
                to=ItemState.RESOLVED,
                actor=action.requested_by,
                outcome=OUTCOME_FOR[action.kind],
                clause=clause,
                detail={"action_id": action.pk},
            )
    elif action.status == ActionStatus.FAILED and item.state == ItemState.IN_REVIEW:
        transition(
            item,
            to=ItemState.NEW,
            actor=None,
            clause=clause,
            detail={"reason": "action_failed", "action_id": action.pk, "error": action.error[:300]},
        )


def _uphold(item: Item) -> None:
    Flag.objects.filter(item=item, upheld__isnull=True).update(upheld=True)


def _open_item(item_id: int, actor: User) -> Item:
    item = _locked(item_id)
    if item.state == ItemState.RESOLVED:
        raise InvalidTransition(
            f"Item {item.pk} is already resolved ({item.get_outcome_display()}).",
            hint="Refresh the queue; someone may have acted on it.",
        )
    _refuse_if_held_by_other(item, actor)
    return item


def item_dismiss(*, item_id: int, actor: User, reason: str = "") -> Item:
    """A false flag: resolve with no breach and keep the verdict as a label for evaluation."""
    _require(actor, "moderation.work_queue", "dismiss flags")
    with transaction.atomic():
        item = _open_item(item_id, actor)
        Flag.objects.filter(item=item).update(upheld=False)
        return transition(
            item,
            to=ItemState.RESOLVED,
            actor=actor,
            outcome=Outcome.DISMISSED,
            detail={"reason": reason[:500]} if reason else None,
        )


def item_escalate(*, item_id: int, actor: User, note: str = "") -> Item:
    """Hand the item to a Lead; it leaves the officer's claim and waits in the escalated list."""
    _require(actor, "moderation.escalate_item", "escalate items")
    with transaction.atomic():
        item = _open_item(item_id, actor)
        if item.state == ItemState.ESCALATED:
            return item
        return transition(
            item, to=ItemState.ESCALATED, actor=actor, detail={"note": note[:2000]} if note else None
        )


def item_note(*, item_id: int, actor: User, text: str) -> AuditEvent:
    """An officer's note on the item's audit trail (visible to comms staff only)."""
    _require(actor, "moderation.work_queue", "add notes")
    text = text.strip()
    if not text:
        raise ActionNotAvailable("A note needs text.", hint="Type the note, then save it.")
    with transaction.atomic():
        item = _locked(item_id)
        if item.claimed_by_id == actor.pk and item.state == ItemState.IN_REVIEW:
            _take(item, actor)  # writing a note is activity: keep the claim alive
        return audit_record(actor=actor, verb="item.note", target=item, detail={"text": text[:4000]})


def item_resolve(*, item_id: int, actor: User, outcome: str) -> Item:
    """Close an item with an outcome decided off-platform, e.g. signposted by phone."""
    _require(actor, "moderation.work_queue", "resolve items")
    if outcome not in Outcome.values or outcome == Outcome.AUTO_CLEARED:
        choices = ", ".join(o for o in Outcome.values if o != Outcome.AUTO_CLEARED)
        raise ActionNotAvailable(f"'{outcome}' is not an outcome.", hint=f"Use one of {choices}.")
    if outcome == Outcome.DISMISSED:
        return item_dismiss(item_id=item_id, actor=actor)
    with transaction.atomic():
        item = _open_item(item_id, actor)
        _uphold(item)
        return transition(item, to=ItemState.RESOLVED, actor=actor, outcome=outcome)
