"""GP014 2.3 fifth and sixth bullets: inappropriate images, and others' content without permission."""

from __future__ import annotations

import re

from moderation.policy.result import Flag
from moderation.policy.rules import Context

_MEDIA = (
    r"(?:photo|photos|pic|pics|picture|pictures|image|images|video|videos|clip|article|post|footage|artwork)"
)
_COPYRIGHT = re.compile(
    rf"\bnot\s+my\s+{_MEDIA}\b|\b{_MEDIA}\s*(?:credit|credits|courtesy)\b|\b(?:credit|courtesy)\s+(?:to|of)\b"
    r"|\ball rights reserved\b|\u00a9|\(c\)\s*\d{4}|\brepost(?:ed)?\s+from\b"
    rf"|\b(?:stolen|taken|copied|nicked|ripped|lifted|screenshotted|grabbed)\s+(?:this\s+)?(?:\w+\s+)?(?:from|off)\b"
    rf"|\bcopied\s+(?:this\s+)?{_MEDIA}\b|\bnot\s+mine\b"
)


def find_copyright(ctx: Context) -> list[Flag]:
    m = _COPYRIGHT.search(ctx.text)
    if m is None:
        return []
    # "stolen from" about a bike is not copyright: need a photo/video/article or attached media.
    if not ctx.has_media and not re.search(rf"\b{_MEDIA}\b", ctx.text):
        return []
    return [
        ctx.flag(
            "copyright",
            m.start(),
            m.end(),
            score=0.7 if ctx.has_media else 0.6,
            source="copyright.reposted",
            explanation="Appears to repost someone else's image or writing, which GP014 2.3 (sixth bullet) "
            "rules out without the owner's permission.",
        )
    ]


def find_image(ctx: Context, harm: list[Flag]) -> list[Flag]:
    """An image on an item that is flagged for harm needs a person to look at it."""
    if not ctx.has_media:
        return []
    reasons = [f for f in harm if f.category not in ("copyright", "personal_data")]
    if not reasons:
        return []
    return [
        Flag(
            category="inappropriate_image",
            clause="2.3",
            evidence="[attached media]",
            start=0,
            end=0,
            score=min(0.9, max(f.score for f in reasons)),
            source="image.on_flagged_item",
            explanation="Has an image attached to a comment flagged as "
            f"{reasons[0].category.replace('_', ' ')}, so a person should check the image "
            "(GP014 2.3, fifth bullet: inappropriate images).",
        )
    ]
