"""The item page: open (and claim) an item, act on it, watch its actions settle."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from moderation import labels, selectors
from moderation.channels import registry
from moderation.errors import ModerationError
from moderation.models import OPEN_ACTION_STATUSES, Item, ItemState
from moderation.services import queue as queue_services

DIALOGS = (
    ("hide", "Hide this comment", "Hide it"),
    ("delete", "Delete this comment", "Delete it"),
    ("block", "Block the author", "Block them"),
    ("report", "Report to the platform", "I have reported it"),
    ("dismiss", "Dismiss as a false flag", "Dismiss"),
    ("escalate", "Escalate to a Lead", "Escalate"),
)
# The block dialog says what a block really is on the platform (an X "block" is a mute).
BLOCK_VERBS = {"block": "blocks", "ban": "bans", "mute": "mutes"}
CLAUSES = (
    ("2.3", "2.3 Prohibited content (abuse, hate, threats, personal data, spam…)"),
    ("2.4", "2.4 Repairs, complaints and personal issues go to direct contact"),
    ("2.5", "2.5 Removing, blocking and reporting offenders"),
)


def fill_placeholders(body: str, *, item: Item, officer: Any) -> str:
    """Canned replies may say {name}, {officer} and {channel}; unknown braces stay as typed."""
    author = item.author
    values = {
        "{name}": (author.display_name or author.handle) if author else "there",
        "{officer}": officer.first_name or officer.get_username(),
        "{channel}": item.channel.display_name,
    }
    for key, value in values.items():
        body = body.replace(key, value)
    return body


def _settling(actions: list[Any]) -> bool:
    """Whether the action list should keep refreshing: something is on its way to the platform now.
    An action waiting hours for a budget's reset (next_attempt_at) is shown with its time instead."""
    now = timezone.now()
    return any(
        a.status in OPEN_ACTION_STATUSES and not (a.next_attempt_at and a.next_attempt_at > now)
        for a in actions
    )


def _escalation(item: Item, events: list[Any]) -> Any:
    """The event that handed this open item to a Lead: who, when and their note, for the banner
    (still shown once a Lead has taken it, as she works it)."""
    if item.state == ItemState.RESOLVED:
        return None
    return next(
        (
            e
            for e in reversed(events)
            if e.verb == "item.transition" and (e.after or {}).get("state") == "escalated"
        ),
        None,
    )


def _actions_then_item(item_id: int) -> tuple[list[Any], Item]:
    """The actions first, then the item: the worker settles an action and moves its item in one
    transaction, so an action read as settled always comes with the item it moved (read the other
    way round, a page could show "Sent" beside an item still open, and stop refreshing)."""
    actions = selectors.item_actions(item_id=item_id)
    return actions, _get(item_id)


def _get(item_id: int) -> Item:
    try:
        return selectors.item_detail(item_id=item_id)
    except Item.DoesNotExist:
        raise Http404(f"There is no item {item_id}.") from None


def _context(request: HttpRequest, item: Item, actions: list[Any]) -> dict[str, Any]:
    flags = list(item.flags.all())
    suggested_clause = next((f.clause for f in flags if f.clause == "2.3"), "2.3" if flags else "")
    canned = [
        {
            "pk": c.pk,
            "title": c.title,
            "route": c.route,
            "text": fill_placeholders(c.body, item=item, officer=request.user),
        }
        for c in selectors.canned_replies()
    ]
    history = selectors.author_history(author_id=item.author_id, exclude_item_id=item.pk, author=item.author)
    # The author's live block on this item's channel, which the Author card offers to lift.
    blocked_here = next(
        (
            r
            for r in history["restrictions"]
            if r.channel_id == item.channel_id and r.author_id == item.author_id
        ),
        None,
    )
    events = list(selectors.item_events(item_id=item.pk))
    return {
        "item": item,
        "escalation": _escalation(item, events),
        "flags": flags,
        "thread": selectors.item_thread(item=item),
        "history": history,
        "blocked_here": blocked_here,
        "unblock_note": registry.refusal_note(item.channel.platform, settings.MODERATION_CHANNELS, "unblock"),
        "block_verb": BLOCK_VERBS[
            registry.block_restriction(item.channel.platform, settings.MODERATION_CHANNELS)
        ],
        "events": events,
        "actions": actions,
        "pending": _settling(actions),
        "offered": selectors.item_offered_actions(item=item, user=request.user),
        "mine": item.claimed_by_id == request.user.pk,
        "live_claim": queue_services.claim_is_live(item),
        "claim_minutes": settings.QUEUE_CLAIM_MINUTES,
        "canned": canned,
        "suggested_reply": next((c["pk"] for c in canned if item.route and c["route"] == item.route), None),
        "clauses": CLAUSES,
        "dialog_specs": DIALOGS,
        "suggested_clause": suggested_clause,
        "route_label": labels.route_label(item.route),
        "report_help": labels.REPORT_HELP.get(item.channel.platform, ""),
        "recommended": labels.action_label(item.recommended_action),
        "out_of_hours": selectors.out_of_hours(item.received_at, selectors.office_schedule()),
        "back": request.GET.get("back", ""),
    }


@login_required
@permission_required("moderation.view_item", raise_exception=True)
def item_page(request: HttpRequest, item_id: int) -> HttpResponse:
    """Opening an open item claims it for an officer; someone else's live claim is shown instead."""
    # An escalated item is a Lead's to take: an officer opening it (e.g. just after escalating it) reads it.
    leads_only = Item.objects.filter(
        pk=item_id, state=ItemState.ESCALATED
    ).exists() and not request.user.has_perm("moderation.manage_policy")
    if request.user.has_perm("moderation.work_queue") and not leads_only:
        try:
            queue_services.item_claim(item_id=item_id, officer=request.user)  # type: ignore[arg-type]
        except ModerationError as exc:
            if exc.code != "invalid_transition" or "does not exist" in exc.message:
                messages.warning(request, f"{exc.message} {exc.hint}")
    actions, item = _actions_then_item(item_id)
    return render(request, "moderation/item.html", _context(request, item, actions))


@login_required
@permission_required("moderation.view_item", raise_exception=True)
def item_actions_status(request: HttpRequest, item_id: int) -> HttpResponse:
    """The live action list (polled while anything is pending). The answer that finds everything
    settled, the poll's last, also brings the parts of the page the platform's answer changed
    (the claim banner, "Hidden on Facebook", the buttons, the audit trail) as htmx out-of-band
    swaps, so the officer sees the outcome without reloading."""
    actions, item = _actions_then_item(item_id)
    if _settling(actions):
        context = {"item": item, "actions": actions, "pending": True}
    else:
        context = {**_context(request, item, actions), "settled": True}
    return render(request, "moderation/partials/_item_actions.html", context)


@require_POST
@login_required
def item_do(request: HttpRequest, item_id: int, kind: str) -> HttpResponse:
    """One officer intent from the item page; the service checks permission and capability."""
    user: Any = request.user
    post = request.POST
    try:
        if kind == "claim":
            queue_services.item_claim(item_id=item_id, officer=user)
            messages.success(request, "You have this item now.")
        elif kind == "release":
            queue_services.item_release(item_id=item_id, officer=user)
            messages.success(request, "Released: it is back in the queue for anyone.")
            return redirect("moderation:home")
        elif kind == "dismiss":
            queue_services.item_dismiss(item_id=item_id, actor=user, reason=post.get("reason", ""))
            messages.success(request, "Dismissed as a false flag; the verdict is kept to improve the checks.")
        elif kind == "escalate":
            queue_services.item_escalate(item_id=item_id, actor=user, note=post.get("note", ""))
            messages.success(request, "Escalated to a Lead.")
        elif kind == "note":
            queue_services.item_note(item_id=item_id, actor=user, text=post.get("text", ""))
            messages.success(request, "Note added to the audit trail.")
        else:
            action = queue_services.item_act(
                item_id=item_id,
                actor=user,
                kind=kind,
                clause=post.get("clause", ""),
                text=post.get("text", ""),
                idempotency_key=post.get("idempotency_key") or None,
            )
            verb = labels.ACT_LABELS.get(kind, kind)
            if action.status == "confirmed":
                messages.success(request, f"{verb}: recorded, and the item is closed.")
            else:
                messages.success(request, f"{verb}: sent to {_platform(item_id)}; watch it confirm below.")
    except ModerationError as exc:
        messages.error(request, f"{exc.message} {exc.hint}".strip())
    return redirect("moderation:item", item_id=item_id)


def _platform(item_id: int) -> str:
    return str(Item.objects.select_related("channel").get(pk=item_id).channel.get_platform_display())
