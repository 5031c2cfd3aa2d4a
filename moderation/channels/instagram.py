"""Instagram professional account adapter (Graph API via Facebook Login): docs/channel-apis.md §2.

Same sweep as Facebook: recent media, then each media's comments with their
replies expanded inline (`replies{...}`), following /{comment}/replies only when
a comment has more replies than fit in the expansion. Instagram has no ban API,
so `block` is left out of the capabilities and raises ActionNotSupported.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any, ClassVar

from moderation.channels.base import (
    DELETE,
    HIDE,
    KIND_COMMENT,
    KIND_POST,
    KIND_REPLY,
    REPLY,
    ActionNotSupported,
    ChannelNotFound,
    FetchPage,
    RemoteAuthor,
    RemoteItem,
    WebhookChange,
)
from moderation.channels.meta import DEFAULT_TIMEOUT, GraphClient, Json, parse_time

MEDIA_FIELDS = "id,caption,media_type,permalink,timestamp,comments_count"
REPLY_FIELDS = "id,text,timestamp,username,from{id,username},hidden,like_count,parent_id"
COMMENT_FIELDS = REPLY_FIELDS + ",replies{" + REPLY_FIELDS + "}"


class InstagramAdapter:
    platform: ClassVar[str] = "instagram"
    capabilities: ClassVar[frozenset[str]] = frozenset({HIDE, DELETE, REPLY})

    def __init__(
        self,
        *,
        base_url: str,
        token: str,
        account_id: str,
        version: str = "v26.0",
        app_secret: str = "",
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        post_limit: int = 25,
        comment_limit: int = 50,
        max_posts: int = 25,
        backoff_percent: float = 90.0,
    ) -> None:
        self.account_id = account_id
        self.post_limit = post_limit
        self.comment_limit = comment_limit
        self.max_posts = max_posts
        self.client = GraphClient(
            base_url=base_url,
            version=version,
            token=token,
            app_secret=app_secret,
            timeout=timeout,
            backoff_percent=backoff_percent,
            label="Instagram",
        )

    @property
    def usage(self) -> dict[str, Any]:
        return self.client.usage

    @property
    def api_calls(self) -> int:
        return self.client.api_calls

    def fetch_page(self, *, cursor: Mapping[str, Any]) -> FetchPage:
        phase = cursor.get("phase", "media")
        queue = [str(p) for p in cursor.get("queue", [])]
        if phase == "media":
            params: dict[str, Any] = {"fields": MEDIA_FIELDS, "limit": self.post_limit}
            if cursor.get("after"):
                params["after"] = cursor["after"]
            data, after, _ = self.client.pages(f"{self.account_id}/media", params)
            media = [media_item(d) for d in data if d.get("id")]
            queue += [i.platform_id for i in media]
            seen = int(cursor.get("seen", 0)) + len(media)
            if after and seen < self.max_posts:
                next_cursor = {"phase": "media", "after": after, "queue": queue, "seen": seen}
                return FetchPage(media, next_cursor, False, [], len(data) - len(media))
            return FetchPage(
                media, {"phase": "comments", "queue": queue}, not queue, [], len(data) - len(media)
            )
        if not queue:
            return FetchPage([], {}, True)
        media_id = queue[0]
        params = {"fields": COMMENT_FIELDS, "limit": self.comment_limit}
        if cursor.get("after"):
            params["after"] = cursor["after"]
        try:
            data, after, _ = self.client.pages(f"{media_id}/comments", params)
        except ChannelNotFound:
            data, after = [], None
        items: list[RemoteItem] = []
        skipped = 0
        for entry in data:
            if not entry.get("id"):
                skipped += 1
                continue
            comment = comment_item(entry, media_id=media_id, parent_id=None)
            items.append(comment)
            items += self._replies(entry, media_id=media_id, comment_id=comment.platform_id)
        if after:
            return FetchPage(items, {"phase": "comments", "queue": queue, "after": after}, False, [], skipped)
        rest = queue[1:]
        next_cursor2: dict[str, Any] = {"phase": "comments", "queue": rest} if rest else {}
        return FetchPage(items, next_cursor2, not rest, [media_id], skipped)

    def _replies(self, entry: Json, *, media_id: str, comment_id: str) -> list[RemoteItem]:
        nested = entry.get("replies")
        if not isinstance(nested, dict):
            return []
        data = [d for d in nested.get("data") or [] if isinstance(d, dict)]
        paging = nested.get("paging") if isinstance(nested.get("paging"), dict) else None
        cursors = paging.get("cursors") if isinstance(paging, dict) else None
        after = cursors.get("after") if isinstance(paging, dict) and paging.get("next") and cursors else None
        while after:
            more, after, _ = self.client.pages(
                f"{comment_id}/replies", {"fields": REPLY_FIELDS, "limit": self.comment_limit, "after": after}
            )
            data += more
        return [comment_item(d, media_id=media_id, parent_id=comment_id) for d in data if d.get("id")]

    def get_item(self, *, platform_id: str) -> RemoteItem:
        body = self.client.request("GET", platform_id, params={"fields": REPLY_FIELDS + ",media{id}"})
        media = body.get("media")
        media_id = str(media["id"]) if isinstance(media, dict) and media.get("id") else None
        return comment_item(body, media_id=media_id, parent_id=None)

    def hide(self, *, platform_id: str) -> None:
        self.client.request("POST", platform_id, params={"hide": "true"})

    def unhide(self, *, platform_id: str) -> None:
        self.client.request("POST", platform_id, params={"hide": "false"})

    def delete(self, *, platform_id: str) -> None:
        with contextlib.suppress(ChannelNotFound):  # already deleted: the goal is reached, a retry is done
            self.client.request("DELETE", platform_id)

    def reply(self, *, platform_id: str, text: str, kind: str = KIND_COMMENT) -> str:
        edge = "comments" if kind == KIND_POST else "replies"
        body = self.client.request("POST", f"{platform_id}/{edge}", params={"message": text})
        return str(body["id"])

    def block(self, *, author_id: str) -> None:
        raise ActionNotSupported("Instagram has no API to ban or block a user; do it in the Instagram app.")

    def unblock(self, *, author_id: str) -> None:
        raise ActionNotSupported("Instagram has no API to unblock a user; do it in the Instagram app.")


def _author(data: Json) -> RemoteAuthor | None:
    sender = data.get("from")
    if isinstance(sender, dict) and sender.get("id"):
        return RemoteAuthor(
            platform_user_id=str(sender["id"]),
            handle=str(sender.get("username", data.get("username", ""))),
            display_name=str(sender.get("username", data.get("username", ""))),
        )
    return None


def media_item(data: Json) -> RemoteItem:
    return RemoteItem(
        platform_id=str(data["id"]),
        kind=KIND_POST,
        text=str(data.get("caption", "")),
        created_at=parse_time(data.get("timestamp")),
        author=None,
        permalink=str(data.get("permalink", "")),
        raw=data,
    )


def comment_item(data: Json, *, media_id: str | None, parent_id: str | None) -> RemoteItem:
    raw = {k: v for k, v in data.items() if k != "replies"}
    parent = str(data["parent_id"]) if data.get("parent_id") else parent_id
    return RemoteItem(
        platform_id=str(data["id"]),
        kind=KIND_REPLY if parent else KIND_COMMENT,
        text=str(data.get("text", "")),
        created_at=parse_time(data.get("timestamp")),
        author=_author(data),
        parent_id=parent or media_id,
        thread_root_id=media_id,
        hidden=bool(data.get("hidden", False)),
        raw=raw,
    )


def parse_webhook(payload: Json) -> list[WebhookChange]:
    """Object `instagram`, field `comments` (§2 Webhooks). Instagram sends only new comments."""
    changes: list[WebhookChange] = []
    for entry in payload.get("entry") or []:
        if not isinstance(entry, dict):
            continue
        account = str(entry.get("id", ""))
        for change in entry.get("changes") or []:
            value = change.get("value") if isinstance(change, dict) else None
            if not isinstance(value, dict) or change.get("field") not in ("comments", "live_comments"):
                continue
            if not value.get("id"):
                continue
            media = value.get("media")
            media_id = str(media["id"]) if isinstance(media, dict) and media.get("id") else None
            item = comment_item(value, media_id=media_id, parent_id=None)
            changes.append(
                WebhookChange(account_id=account, verb="add", platform_id=item.platform_id, item=item)
            )
    return changes
