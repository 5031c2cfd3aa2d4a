"""Human labels for the policy engine's slugs: officers never see "personal_issue" or "hide_and_block"."""

from __future__ import annotations

from typing import Any

CATEGORY_LABELS: dict[str, str] = {
    "profanity": "Swearing",
    "harassment": "Harassment or threats",
    "hate": "Hate speech",
    "defamation": "Defamation",
    "misinformation": "Misinformation",
    "personal_data": "Personal information",
    "staff_criticism": "Naming staff",
    "inappropriate_link": "Inappropriate link",
    "inappropriate_image": "Inappropriate image",
    "copyright": "Copyright",
    "spam": "Spam",
    "repair": "Repair request",
    "complaint": "Complaint",
    "personal_issue": "Personal issue",
}
ROUTE_LABELS: dict[str, str] = {
    "repair": "Repair request",
    "complaint": "Complaint",
    "personal_issue": "Personal issue",
}
SUBTYPE_LABELS: dict[str, str] = {
    "threat": "Threat",
    "named_person": "Names a person",
    "health_hazard": "Health hazard (Awaab's Law)",
}
ACTION_LABELS: dict[str, str] = {
    "none": "No action",
    "review": "Review",
    "respond_offline": "Signpost to direct contact",
    "hide": "Hide",
    "hide_and_block": "Hide and block",
}


def category_label(slug: str) -> str:
    return CATEGORY_LABELS.get(slug, slug.replace("_", " ").capitalize())


def subtype_label(slug: str) -> str:
    return SUBTYPE_LABELS.get(slug, slug.replace("_", " ").capitalize()) if slug else ""


def route_label(slug: str) -> str:
    return ROUTE_LABELS.get(slug, slug.replace("_", " ").capitalize()) if slug else ""


def action_label(slug: str) -> str:
    return ACTION_LABELS.get(slug, slug.replace("_", " ").capitalize()) if slug else ""


# Which check found a flag, in words: the engine's source ids (profanity.lexicon,
# route.repair.defect, semantic:harassment@2026.12.02) are for the engine's tests, not officers.
SOURCE_LABELS = {
    "semantic": "the meaning model",
    "route": "the signposting rules",
    "personal_data": "the personal data patterns",
    "link": "the link check",
    "image": "the image check",
}


def source_label(source: str) -> str:
    family = source.split(":", 1)[0].split(".", 1)[0] if source else ""
    return SOURCE_LABELS.get(family, "the word lists and rules" if source else "")


BULK_LABELS = {
    "dismiss": "Dismissed",
    "hide": "Asked the platform to hide",
    "delete": "Asked the platform to delete",
    "escalate": "Escalated",
}


def bulk_label(kind: str) -> str:
    return BULK_LABELS.get(kind, kind)


ACT_LABELS = {
    "hide": "Hide",
    "unhide": "Unhide",
    "delete": "Delete",
    "reply": "Reply",
    "block": "Block",
    "unblock": "Unblock",
    "report": "Report",
}

# Where each platform explains how to report content (for the guided report, GP014 2.5).
REPORT_HELP = {
    "facebook": "https://www.facebook.com/help/1380418588640631",
    "instagram": "https://help.instagram.com/192435014247952",
    "x": "https://help.x.com/en/safety-and-security/report-abusive-behavior",
    "youtube": "https://support.google.com/youtube/answer/2802027",
    "linkedin": "https://www.linkedin.com/help/linkedin/answer/a1338436",
}


# The item page's audit trail in words (issue 8): officers read "Claimed" or "Hide confirmed by
# the platform", never "item.transition" or "action.sent". Unknown verbs fall back to a tidied slug.
OUTCOME_LABELS = {
    "replied": "Replied",
    "hidden": "Hidden",
    "deleted": "Deleted",
    "blocked": "Author blocked",
    "reported": "Reported",
    "dismissed": "Dismissed (no breach)",
    "signposted": "Signposted to direct contact",
    "auto_cleared": "Cleared by policy check",
}
BACK_IN_QUEUE = {
    "released": "Released back to the queue",
    "claim_expired": "Claim lapsed; back in the queue",
    "action_failed": "Back in the queue: the platform action failed",
    "unhidden": "Back in the queue after the unhide",
}
AUDIT_VERBS = {
    "item.classified": "Checked against GP014",
    "item.classify_failed": "The policy check failed; marked for a person to review",
    "item.classify_retried": "Policy check retried",
    "item.auto_hidden": "Hidden automatically (the Lead's automatic-action rule)",
    "item.auto_hide_unavailable": "Automatic hide not possible on this platform",
    "item.oncall_alerted": "On-call team emailed",
    "item.note": "Note",
}
ACTION_VERBS = {
    "action.requested": "{kind} requested",
    "action.sent": "{kind} confirmed by the platform",
    "action.failed": "{kind} failed",
    "action.retried": "{kind} sent again by a Lead",
    "action.recorded": "{kind} recorded",
}


def audit_label(verb: str, before: dict[str, Any] | None, after: dict[str, Any] | None, detail: Any) -> str:
    """One audit event as a short sentence for people."""
    before, after = before or {}, after or {}
    detail = detail if isinstance(detail, dict) else {}
    if verb == "item.transition":
        to, was = str(after.get("state", "")), str(before.get("state", ""))
        if to == "in_review":
            return "Claimed" if was != "escalated" else "Taken by a Lead"
        if to == "new":
            return BACK_IN_QUEUE.get(str(detail.get("reason", "")), "Back in the queue")
        if to == "escalated":
            return "Escalated to a Lead"
        if to == "resolved":
            outcome = str(after.get("outcome", ""))
            return f"Resolved: {OUTCOME_LABELS.get(outcome, outcome.replace('_', ' '))}"
    if verb in ACTION_VERBS:
        kind = str(after.get("kind", ""))
        name = ACT_LABELS.get(kind, kind.capitalize() or "Action")
        if verb == "action.recorded" and kind == "report":
            return "Reported on the platform (recorded by the officer)"
        if verb == "action.recorded" and kind == "hide":
            return "Kept hidden"
        return ACTION_VERBS[verb].format(kind=name)
    return AUDIT_VERBS.get(verb) or verb.replace(".", ": ").replace("_", " ").capitalize()
