"""What happens on its own after an item is classified (issue 12): automatic hides and on-call alerts.

Automatic hides go through the same action service as an officer's (`action_request`) as the
system actor, keyed by the item so a re-classification never hides twice, and audited with the
clause and the Lead's rule. They are reversible (unhide) and the item stays in the queue for an
officer to confirm. Complaints and repairs are never hidden automatically.

Safeguarding and threats email the on-call list at once, any hour, through Django's mail framework.
The email carries a link and the categories, never the comment's text.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.urls import NoReverseMatch, reverse

from moderation.errors import ActionNotAvailable
from moderation.models import (
    NEVER_AUTOMATIC,
    AuditEvent,
    AutoActionRule,
    EscalationSettings,
    Item,
    Visibility,
)
from moderation.policy import POLICY_VERSION
from moderation.policy.result import Flag, Result
from moderation.services.actions import action_request
from moderation.services.audit import audit_record
from moderation.services.office_hours import is_open, office_schedule

log = logging.getLogger(__name__)

THREAT_SOURCE = "harassment.threat"
SAFEGUARDING_SOURCE = "route.personal_issue.safeguarding"
HIDING_ACTIONS = ("hide", "hide_and_block")
NEVER_HIDE_ROUTES = ("repair", "complaint")
ALERTED = "item.oncall_alerted"


@dataclass(frozen=True, slots=True)
class AutoHide:
    reason: str  # "rule" | "out_of_hours"
    rule: str  # the AutoActionRule category, or "out_of_hours"
    flag: Flag


def escalation_settings() -> EscalationSettings:
    return EscalationSettings.objects.get_or_create(pk=1)[0]


def rule_key(flag: Flag) -> str:
    return "threat" if flag.source == THREAT_SOURCE else flag.category


def auto_hide_for(*, item: Item, result: Result, config: EscalationSettings) -> AutoHide | None:
    """Which automatic hide, if any, applies to this classified item (pure apart from reading rules)."""
    if result.route in NEVER_HIDE_ROUTES or item.visibility != Visibility.VISIBLE:
        return None
    rules = {r.category: r for r in AutoActionRule.objects.filter(enabled=True)}
    for flag in result.flags:
        rule = rules.get(rule_key(flag))
        if (
            rule is not None
            and flag.clause == "2.3"
            and flag.category not in NEVER_AUTOMATIC
            and not flag.source.startswith(("model:", "semantic:"))  # a model alone is for a person to judge
            and flag.score >= rule.min_score
        ):
            return AutoHide("rule", rule.category, flag)
    risky = config.hide_high_risk_out_of_hours and result.action in HIDING_ACTIONS
    if risky and not is_open(item.received_at, office_schedule()):
        # Hate and threats are advised down even from a model (policy/engine.py); hiding without a person
        # still needs a rule's flag, as above.
        strongest = next(
            (
                f
                for f in result.flags
                if f.action in HIDING_ACTIONS and not f.source.startswith(("model:", "semantic:"))
            ),
            None,
        )
        if strongest is not None:
            return AutoHide("out_of_hours", "out_of_hours", strongest)
    return None


def item_escalate_after_classify(*, item: Item, result: Result) -> None:
    """Call inside item_classify's transaction: request an automatic hide, queue an on-call alert."""
    config = escalation_settings()
    hide = auto_hide_for(item=item, result=result, config=config)
    if hide is not None:
        detail = {
            "reason": hide.reason,
            "rule": hide.rule,
            "category": hide.flag.category,
            "score": round(hide.flag.score, 3),
            "source": hide.flag.source,
        }
        try:
            action = action_request(
                kind="hide",
                actor=None,
                item_id=item.pk,
                idempotency_key=f"auto-hide:{item.pk}",
                payload={"automatic": True, "clause": hide.flag.clause, **detail},
            )
        except ActionNotAvailable as exc:
            audit_record(
                actor=None,
                verb="item.auto_hide_unavailable",
                target=item,
                clause=hide.flag.clause,
                policy_version=POLICY_VERSION,
                detail={**detail, "why": str(exc)[:300]},
            )
        else:
            audit_record(
                actor=None,
                verb="item.auto_hidden",
                target=item,
                clause=hide.flag.clause,
                policy_version=POLICY_VERSION,
                detail={**detail, "action_id": action.pk, "undo": "unhide"},
            )
    reasons = alert_reasons(result)
    if reasons and not AuditEvent.objects.filter(item=item, verb=ALERTED).exists():
        from moderation.tasks import enqueue_on_commit, item_alert_on_call

        enqueue_on_commit(item_alert_on_call, item.pk)


def alert_reasons(result: Result) -> list[str]:
    reasons = []
    if any(f.source == SAFEGUARDING_SOURCE for f in result.flags):
        reasons.append("safeguarding")
    if any(f.source == THREAT_SOURCE for f in result.flags):
        reasons.append("threat")
    return reasons


def on_call_recipients() -> list[str]:
    extra = [a for a in settings.ONCALL_EMAILS if a]
    return list(dict.fromkeys(escalation_settings().recipients + extra))


def _item_link(item: Item) -> str:
    try:
        path = reverse("moderation:item-detail", args=[item.pk])
    except NoReverseMatch:
        path = reverse("admin:moderation_item_change", args=[item.pk])
    base: str = settings.HAVEBURY_BASE_URL
    return base.rstrip("/") + path


def item_alert_on_call(*, item_id: int) -> int:
    """Email the on-call list about one item, once; returns how many people were emailed."""
    item = Item.objects.select_related("channel").get(pk=item_id)
    if AuditEvent.objects.filter(item=item, verb=ALERTED).exists():
        return 0
    categories = sorted({f.category for f in item.flags.all()})
    sources = {f.source for f in item.flags.all()}
    reasons = [
        r for r, s in (("safeguarding", SAFEGUARDING_SOURCE), ("threat", THREAT_SOURCE)) if s in sources
    ]
    recipients = on_call_recipients()
    if not recipients:
        log.warning("no on-call recipients for item %s", item.pk, extra={"item_id": item.pk})
        return 0
    lock = f"oncall-alert:{item.pk}"
    if not cache.add(lock, 1, timeout=600):
        return 0  # another worker is sending this alert right now
    try:
        what = " and ".join(reasons) or "urgent item"
        send_mail(
            subject=f"[Havebury Social] {what.capitalize()} on {item.channel}: needs someone now",
            message=(
                f"The policy check found {what} in a {item.get_kind_display().lower()} on {item.channel} "
                f"(GP014 categories: {', '.join(categories) or 'none'}).\n\n"
                f"Open it: {_item_link(item)}\n\n"
                "The text is not in this email; sign in to read it. You get this because you are on "
                "the on-call list (Lead settings)."
            ),
            from_email=None,
            recipient_list=recipients,
        )
        with transaction.atomic():
            audit_record(
                actor=None,
                verb=ALERTED,
                target=item,
                clause="2.4" if "safeguarding" in reasons else "2.3",
                detail={"reasons": reasons, "recipients": len(recipients)},
            )
    finally:
        cache.delete(lock)
    log.info(
        "on-call alerted for item %s", item.pk, extra={"item_id": item.pk, "recipients": len(recipients)}
    )
    return len(recipients)
