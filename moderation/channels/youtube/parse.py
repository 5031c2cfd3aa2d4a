"""Pure parsing of YouTube Data API v3 comment bodies into the channel protocol.

Moderation reads `textDisplay` (docs/channels.md, "YouTube": `textOriginal` is only
guaranteed to the comment's author). Even with `textFormat=plainText`,
`textDisplay` can carry HTML (links, <br>, entities), so it is reduced to text.
A thread's `replies.comments` holds only some of `totalReplyCount`; the rest is
read with comments.list?parentId.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from moderation.channels.base import KIND_COMMENT, KIND_REPLY, RemoteAuthor, RemoteItem

Json = dict[str, Any]
HIDDEN_STATUSES = frozenset({"heldForReview", "likelySpam", "rejected"})
_BREAK = re.compile(r"<br\s*/?>", re.I)
_TAG = re.compile(r"<[^>]+>")


def plain_text(value: Any) -> str:
    text = _BREAK.sub("\n", str(value or ""))
    return html.unescape(_TAG.sub("", text))


def parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        return None


def _snippet(obj: Mapping[str, Any]) -> Json:
    snippet = obj.get("snippet")
    return snippet if isinstance(snippet, dict) else {}


def comment_item(comment: Mapping[str, Any], *, video_id: str = "", channel_id: str = "") -> RemoteItem:
    s = _snippet(comment)
    parent = s.get("parentId")
    video = str(s.get("videoId") or video_id or "")
    author_channel = s.get("authorChannelId")
    author_id = author_channel.get("value") if isinstance(author_channel, dict) else None
    author = (
        RemoteAuthor(
            platform_user_id=str(author_id),
            handle=str(s.get("authorDisplayName", "")),
            display_name=str(s.get("authorDisplayName", "")).lstrip("@"),
        )
        if author_id
        else None
    )
    text = plain_text(s.get("textDisplay", s.get("textOriginal", "")))
    permalink = f"https://www.youtube.com/watch?v={video}&lc={comment['id']}" if video else ""
    return RemoteItem(
        platform_id=str(comment["id"]),
        kind=KIND_REPLY if parent else KIND_COMMENT,
        text=text,
        created_at=parse_time(s.get("publishedAt")),
        author=author,
        parent_id=str(parent) if parent else (video or None),
        thread_root_id=video or None,
        permalink=permalink,
        hidden=s.get("moderationStatus") in HIDDEN_STATUSES,
        raw=dict(comment),
    )


def thread_items(thread: Mapping[str, Any]) -> tuple[list[RemoteItem], int, int]:
    """(top-level comment and its inline replies, totalReplyCount, inline replies) for one thread."""
    s = _snippet(thread)
    top = s.get("topLevelComment")
    items: list[RemoteItem] = []
    if isinstance(top, dict) and top.get("id"):
        items.append(comment_item(top, video_id=str(s.get("videoId", ""))))
    replies = thread.get("replies")
    inline = replies.get("comments") if isinstance(replies, dict) else None
    inline_list = [c for c in inline or [] if isinstance(c, dict) and c.get("id")]
    for reply in inline_list:
        items.append(comment_item(reply, video_id=str(s.get("videoId", ""))))
    total = s.get("totalReplyCount")
    return items, int(total) if isinstance(total, int) else len(inline_list), len(inline_list)


def error_reason(body: Any) -> tuple[str, str]:
    """(first reason, message) from a Google error body, or from an OAuth one."""
    if not isinstance(body, dict):
        return "", ""
    error = body.get("error")
    if isinstance(error, str):  # token endpoint: {"error":"invalid_grant","error_description":...}
        return error, str(body.get("error_description", ""))
    if not isinstance(error, dict):
        return "", ""
    reasons = [e.get("reason", "") for e in error.get("errors") or [] if isinstance(e, dict)]
    return str(reasons[0] if reasons else error.get("status", "")), str(error.get("message", ""))
