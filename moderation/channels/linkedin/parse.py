"""Pure parsing of LinkedIn Rest.li bodies into the channel protocol.

Comments name their author by URN only (`urn:li:person:…` or, when a Page
comments, `urn:li:organization:…`); times are epoch milliseconds; a comment's
URN embeds the activity it hangs off: `urn:li:comment:(urn:li:activity:1,2)`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from moderation.channels.base import KIND_COMMENT, KIND_POST, KIND_REPLY, RemoteAuthor, RemoteItem

Json = dict[str, Any]
COMMENT_URN = re.compile(r"^urn:li:comment:\((?P<object>urn:li:[A-Za-z]+:[^,]+),(?P<id>[^)]+)\)$")


def enc(urn: str) -> str:
    """URNs in paths are URL-encoded: urn%3Ali%3Aorganization%3A123."""
    return quote(urn, safe="")


def org_urn(account_id: str) -> str:
    return account_id if account_id.startswith("urn:") else f"urn:li:organization:{account_id}"


def split_comment_urn(urn: str) -> tuple[str, str]:
    """(object URN, comment id) of a comment URN; ValueError if it is not one."""
    match = COMMENT_URN.match(urn)
    if not match:
        raise ValueError(f"{urn!r} is not a LinkedIn comment URN")
    return match["object"], match["id"]


def epoch_ms(value: Any) -> datetime | None:
    if isinstance(value, dict):
        value = value.get("time")
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    return datetime.fromtimestamp(value / 1000, tz=UTC)


def actor(urn: Any) -> RemoteAuthor | None:
    if not isinstance(urn, str) or not urn.startswith("urn:li:"):
        return None
    kind, _, ident = urn[len("urn:li:") :].partition(":")
    label = "Organization" if kind == "organization" else "Member"
    # A label, not a handle: LinkedIn has no @handles, and the item page shows a handle as "@…".
    return RemoteAuthor(platform_user_id=urn, handle="", display_name=f"{label} {ident}")


def comment_urn(comment: Mapping[str, Any]) -> str:
    urn = comment.get("commentUrn") or comment.get("$URN")
    if isinstance(urn, str) and urn:
        return urn
    obj, ident = comment.get("object"), comment.get("id")
    return f"urn:li:comment:({obj},{ident})" if obj and ident else ""


def reply_count(comment: Mapping[str, Any]) -> int:
    summary = comment.get("commentsSummary")
    if not isinstance(summary, dict):
        return 0
    for key in ("aggregatedTotalComments", "totalFirstLevelComments"):
        if isinstance(summary.get(key), int):
            return int(summary[key])
    return 0


def comment_item(comment: Mapping[str, Any], *, post_urn: str) -> RemoteItem:
    urn = comment_urn(comment)
    parent = comment.get("parentComment")
    obj = str(comment.get("object") or post_urn)
    message = comment.get("message")
    text = str(message.get("text", "")) if isinstance(message, dict) else ""
    return RemoteItem(
        platform_id=urn,
        kind=KIND_REPLY if parent else KIND_COMMENT,
        text=text,
        created_at=epoch_ms(comment.get("created")),
        author=actor(comment.get("actor")),
        parent_id=str(parent) if parent else post_urn,
        thread_root_id=post_urn,
        permalink=f"https://www.linkedin.com/feed/update/{obj}?commentUrn={enc(urn)}",
        raw=dict(comment),
    )


def post_item(post: Mapping[str, Any]) -> RemoteItem:
    urn = str(post["id"])
    return RemoteItem(
        platform_id=urn,
        kind=KIND_POST,
        text=str(post.get("commentary", "")),
        created_at=epoch_ms(post.get("publishedAt") or post.get("createdAt")),
        author=None,  # the organisation's own post: thread context
        permalink=f"https://www.linkedin.com/feed/update/{urn}",
        raw=dict(post),
    )


def next_start(body: Mapping[str, Any], start: int, got: int) -> int | None:
    """The next `start`, or None on the last page (start + count >= total, or no next link)."""
    paging = body.get("paging")
    if not isinstance(paging, dict) or got == 0:
        return None
    total = paging.get("total")
    following = start + got
    if isinstance(total, int):
        return following if following < total else None
    links = paging.get("links")
    has_next = any(isinstance(link, dict) and link.get("rel") == "next" for link in links or [])
    return following if has_next else None
