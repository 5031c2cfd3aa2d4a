"""Facebook Page adapter (Graph API): docs/channel-apis.md §1.

A poll is a sweep: the Page's recent posts (newest first, up to `max_posts`),
then posts by others that tag the Page (`/{page}/tagged`, up to `max_mentions`,
stored as kind "mention"), then every post's comments and replies flat
(`filter=stream`), page by page. The cursor records where the sweep is, so a
crash resumes after the last committed page. Mentions also arrive by the
`mention` webhook, which only names the post, so the post is read with
`get_mention`. Messenger conversations (DMs) need the Messenger Platform and
are not read.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from moderation.channels.base import (
    BLOCK,
    DELETE,
    HIDE,
    KIND_COMMENT,
    KIND_MENTION,
    KIND_POST,
    KIND_REPLY,
    REPLY,
    RemoteAuthor,
    RemoteItem,
    WebhookChange,
)
from moderation.channels.graph_adapter import GraphAdapter, parse_all
from moderation.channels.meta import Json, parse_time, webhook_changes

POST_FIELDS = "id,message,created_time,permalink_url"
# Others' posts tagging the Page; the field list is what we rely on (channel-apis.md says unconfirmed).
TAGGED_FIELDS = "id,message,from,created_time,permalink_url"
MENTION_COMMENT_FIELDS = "id,message,from,created_time,permalink_url"
COMMENT_FIELDS = (
    "id,message,from,created_time,is_hidden,can_hide,can_remove,parent{id},permalink_url,comment_count"
)


class FacebookPageAdapter(GraphAdapter):
    platform: ClassVar[str] = "facebook"
    capabilities: ClassVar[frozenset[str]] = frozenset({HIDE, DELETE, REPLY, BLOCK})
    item_kinds: ClassVar[frozenset[str]] = frozenset({KIND_POST, KIND_COMMENT, KIND_REPLY, KIND_MENTION})
    # A post that tags the Page belongs to its author: the Page can comment on it (unconfirmed)
    # and ban the author from the Page, but cannot hide or delete it.
    capabilities_by_kind: ClassVar[Mapping[str, frozenset[str]]] = {KIND_MENTION: frozenset({REPLY, BLOCK})}
    label = "Facebook"
    root_edge = "posts"
    root_fields = POST_FIELDS
    mention_edge = "tagged"
    mention_fields = TAGGED_FIELDS
    hide_param = "is_hidden"
    default_comment_limit = 100

    def parse_root(self, data: Json) -> RemoteItem:
        return post_item(data)

    def parse_mention(self, data: Json) -> RemoteItem:
        return mention_item(data)

    def comments_page(self, root_id: str, after: str | None) -> tuple[list[RemoteItem], str | None, int]:
        # filter=stream lists comments and replies flat, with `parent` set on replies.
        params = {
            "fields": COMMENT_FIELDS,
            "filter": "stream",
            "order": "chronological",
            "limit": self.comment_limit,
        }
        if after:
            params["after"] = after
        data, next_after, _ = self.client.pages(f"{root_id}/comments", params)
        items, skipped = parse_all(data, lambda d: comment_item(d, post_id=root_id))
        return items, next_after, skipped

    def get_item(self, *, platform_id: str) -> RemoteItem:
        body = self.client.request("GET", platform_id, params={"fields": COMMENT_FIELDS})
        return comment_item(body, post_id=None)

    def get_mention(self, *, ref: Mapping[str, str]) -> RemoteItem:
        """Read the post (or comment) a `mention` webhook names."""
        if ref.get("item") == "comment" and ref.get("comment_id"):
            body = self.client.request("GET", ref["comment_id"], params={"fields": MENTION_COMMENT_FIELDS})
        else:
            body = self.client.request("GET", ref.get("post_id", ""), params={"fields": TAGGED_FIELDS})
        return mention_item(body)

    # -- acting: hide, unhide and delete come from GraphAdapter ---------------------
    def reply(self, *, platform_id: str, text: str, kind: str = KIND_COMMENT) -> str:
        body = self.client.request("POST", f"{platform_id}/comments", params={"message": text})
        return str(body["id"])

    def subscribe_webhooks(self, *, fields: tuple[str, ...] = ("feed", "mention")) -> None:
        """Ask Meta to send this Page's comment and mention webhooks to our app (safe to repeat)."""
        self.client.request(
            "POST", f"{self.account_id}/subscribed_apps", params={"subscribed_fields": ",".join(fields)}
        )

    def block(self, *, author_id: str) -> None:
        self.client.request("POST", f"{self.account_id}/blocked", params={"user": author_id})

    def unblock(self, *, author_id: str) -> None:
        self.client.request("DELETE", f"{self.account_id}/blocked", params={"user": author_id})


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


def mention_item(data: Json) -> RemoteItem:
    """A post (or comment) by someone else that tags the Page: no parent, no thread on our side."""
    return RemoteItem(
        platform_id=str(data["id"]),
        kind=KIND_MENTION,
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


def parse_mention_change(page_id: str, value: Json) -> WebhookChange | None:
    """A `mention` change: {post_id, comment_id?, sender_id, sender_name, item, verb} (shape unconfirmed).

    The event carries no text, so the change only names the object; ingestion reads it.
    """
    item = str(value.get("item", "post"))
    target = value.get("comment_id") if item == "comment" else value.get("post_id")
    if not target:
        return None
    verb = str(value.get("verb", "add"))
    verb = {"edit": "edited", "delete": "remove"}.get(verb, verb)
    if verb not in ("add", "edited", "remove"):
        return None
    ref = {"item": item, "post_id": str(value.get("post_id", ""))}
    if value.get("comment_id"):
        ref["comment_id"] = str(value["comment_id"])
    return WebhookChange(
        account_id=page_id,
        verb=verb,
        platform_id=str(target),
        item=None,
        mention_ref=ref if verb != "remove" else None,
    )


def parse_webhook(payload: Json) -> list[WebhookChange]:
    """Page `feed` changes about comments and `mention` changes (§1 Webhooks); the rest is skipped."""
    changes: list[WebhookChange] = []
    for page_id, field, value in webhook_changes(payload):
        if field == "mention":
            mention = parse_mention_change(page_id, value)
            if mention is not None:
                changes.append(mention)
            continue
        if field != "feed" or value.get("item") != "comment" or not value.get("comment_id"):
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
