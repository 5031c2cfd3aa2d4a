"""Facebook Page adapter (Graph API): docs/channel-apis.md §1.

A poll is a sweep: the Page's recent posts (newest first, up to `max_posts`),
then every post's comments and replies flat (`filter=stream`), page by page.
The cursor records where the sweep is, so a crash resumes after the last
committed page.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, ClassVar

from moderation.channels.base import (
    BLOCK,
    DELETE,
    HIDE,
    KIND_COMMENT,
    KIND_POST,
    KIND_REPLY,
    REPLY,
    ChannelNotFound,
    FetchPage,
    RemoteAuthor,
    RemoteItem,
    WebhookChange,
)
from moderation.channels.meta import DEFAULT_TIMEOUT, GraphClient, Json, parse_time

log = logging.getLogger(__name__)

POST_FIELDS = "id,message,created_time,permalink_url"
COMMENT_FIELDS = (
    "id,message,from,created_time,is_hidden,can_hide,can_remove,parent{id},permalink_url,comment_count"
)


class FacebookPageAdapter:
    platform: ClassVar[str] = "facebook"
    capabilities: ClassVar[frozenset[str]] = frozenset({HIDE, DELETE, REPLY, BLOCK})

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
        comment_limit: int = 100,
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
            label="Facebook",
        )

    @property
    def usage(self) -> dict[str, Any]:
        return self.client.usage

    @property
    def api_calls(self) -> int:
        return self.client.api_calls

    # -- reading -------------------------------------------------------------
    def fetch_page(self, *, cursor: Mapping[str, Any]) -> FetchPage:
        phase = cursor.get("phase", "posts")
        queue = [str(p) for p in cursor.get("queue", [])]
        if phase == "posts":
            params: dict[str, Any] = {"fields": POST_FIELDS, "limit": self.post_limit}
            if cursor.get("after"):
                params["after"] = cursor["after"]
            data, after, _ = self.client.pages(f"{self.account_id}/posts", params)
            items, skipped = _parse_all(data, lambda d: post_item(d))
            queue += [i.platform_id for i in items]
            seen = int(cursor.get("seen", 0)) + len(items)
            if after and seen < self.max_posts:
                return FetchPage(
                    items,
                    {"phase": "posts", "after": after, "queue": queue, "seen": seen},
                    False,
                    [],
                    skipped,
                )
            return FetchPage(items, {"phase": "comments", "queue": queue}, not queue, [], skipped)
        if not queue:
            return FetchPage([], {}, True)
        post_id = queue[0]
        params = {
            "fields": COMMENT_FIELDS,
            "filter": "stream",
            "order": "chronological",
            "limit": self.comment_limit,
        }
        if cursor.get("after"):
            params["after"] = cursor["after"]
        try:
            data, after, _ = self.client.pages(f"{post_id}/comments", params)
        except ChannelNotFound:
            data, after = [], None  # the post itself was deleted; its comments went with it
        items, skipped = _parse_all(data, lambda d: comment_item(d, post_id=post_id))
        if after:
            return FetchPage(items, {"phase": "comments", "queue": queue, "after": after}, False, [], skipped)
        rest = queue[1:]
        next_cursor: dict[str, Any] = {"phase": "comments", "queue": rest} if rest else {}
        return FetchPage(items, next_cursor, not rest, [post_id], skipped)

    def get_item(self, *, platform_id: str) -> RemoteItem:
        body = self.client.request("GET", platform_id, params={"fields": COMMENT_FIELDS})
        return comment_item(body, post_id=None)

    # -- acting (every call safe to repeat, except reply) -----------------------
    def hide(self, *, platform_id: str) -> None:
        # Graph answers success when re-hiding a hidden comment, so retries stay idempotent.
        self.client.request("POST", platform_id, params={"is_hidden": "true"})

    def unhide(self, *, platform_id: str) -> None:
        self.client.request("POST", platform_id, params={"is_hidden": "false"})

    def delete(self, *, platform_id: str) -> None:
        try:
            self.client.request("DELETE", platform_id)
        except ChannelNotFound:
            # Code 100/33: already gone. The goal of a delete is reached, so treat it as done.
            log.info("facebook delete of %s: already deleted", platform_id)

    def reply(self, *, platform_id: str, text: str, kind: str = KIND_COMMENT) -> str:
        body = self.client.request("POST", f"{platform_id}/comments", params={"message": text})
        return str(body["id"])

    def block(self, *, author_id: str) -> None:
        self.client.request("POST", f"{self.account_id}/blocked", params={"user": author_id})

    def unblock(self, *, author_id: str) -> None:
        self.client.request("DELETE", f"{self.account_id}/blocked", params={"user": author_id})


def _parse_all(data: list[Json], parse: Any) -> tuple[list[RemoteItem], int]:
    items, skipped = [], 0
    for entry in data:
        if not entry.get("id"):
            skipped += 1  # without an id we cannot store it idempotently; count and move on
            continue
        items.append(parse(entry))
    return items, skipped


def _author(value: Any) -> RemoteAuthor | None:
    # `from` is left out when the token lacks Page permissions (unconfirmed); keep the item anyway.
    if not isinstance(value, dict) or not value.get("id"):
        return None
    return RemoteAuthor(platform_user_id=str(value["id"]), handle="", display_name=str(value.get("name", "")))


def post_item(data: Json) -> RemoteItem:
    return RemoteItem(
        platform_id=str(data["id"]),
        kind=KIND_POST,
        text=str(data.get("message", "")),
        created_at=parse_time(data.get("created_time")),
        author=_author(data.get("from")),
        permalink=str(data.get("permalink_url", "")),
        raw=data,
    )


def comment_item(data: Json, *, post_id: str | None) -> RemoteItem:
    parent = data.get("parent")
    parent_id = str(parent["id"]) if isinstance(parent, dict) and parent.get("id") else None
    return RemoteItem(
        platform_id=str(data["id"]),
        kind=KIND_REPLY if parent_id else KIND_COMMENT,
        text=str(data.get("message", "")),
        created_at=parse_time(data.get("created_time")),
        author=_author(data.get("from")),
        parent_id=parent_id or post_id,
        thread_root_id=post_id,
        permalink=str(data.get("permalink_url", "")),
        hidden=bool(data.get("is_hidden", False)),
        raw=data,
    )


def parse_webhook(payload: Json) -> list[WebhookChange]:
    """Page `feed` changes about comments (§1 Webhooks); other fields and items are skipped."""
    changes: list[WebhookChange] = []
    for entry in payload.get("entry") or []:
        if not isinstance(entry, dict):
            continue
        page_id = str(entry.get("id", ""))
        for change in entry.get("changes") or []:
            value = change.get("value") if isinstance(change, dict) else None
            if not isinstance(value, dict) or change.get("field") != "feed":
                continue
            if value.get("item") != "comment" or not value.get("comment_id"):
                continue
            comment_id, post_id = str(value["comment_id"]), str(value.get("post_id", ""))
            parent_id = str(value.get("parent_id") or post_id)
            item = None
            if value.get("verb") in ("add", "edited", "edit"):
                item = RemoteItem(
                    platform_id=comment_id,
                    kind=KIND_COMMENT if parent_id == post_id else KIND_REPLY,
                    text=str(value.get("message", "")),
                    created_at=parse_time(value.get("created_time")),
                    author=_author(value.get("from")),
                    parent_id=parent_id or None,
                    thread_root_id=post_id or None,
                    raw=value,
                )
            verb = "edited" if value.get("verb") == "edit" else str(value.get("verb", ""))
            changes.append(WebhookChange(account_id=page_id, verb=verb, platform_id=comment_id, item=item))
    return changes
