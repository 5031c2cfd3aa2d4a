"""Human labels for the policy engine's slugs: officers never see "personal_issue" or "hide_and_block"."""

from __future__ import annotations

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
ACTION_LABELS: dict[str, str] = {
    "none": "No action",
    "review": "Review",
    "respond_offline": "Signpost to direct contact",
    "hide": "Hide",
    "hide_and_block": "Hide and block",
}


def category_label(slug: str) -> str:
    return CATEGORY_LABELS.get(slug, slug.replace("_", " ").capitalize())


def route_label(slug: str) -> str:
    return ROUTE_LABELS.get(slug, slug.replace("_", " ").capitalize()) if slug else ""


def action_label(slug: str) -> str:
    return ACTION_LABELS.get(slug, slug.replace("_", " ").capitalize()) if slug else ""


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
