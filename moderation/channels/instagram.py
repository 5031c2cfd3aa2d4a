"""Instagram professional account adapter (Graph API via Facebook Login): docs/channel-apis.md §2.

Same sweep as Facebook: recent media, then each media's comments with their
replies expanded inline (`replies{...}`), following /{comment}/replies only when
a comment has more replies than fit in the expansion. Instagram has no ban API,
so `block` is left out of the capabilities and raises ActionNotSupported.

Mentions of the account (@handle in someone else's caption or comment) cannot be
listed: they arrive only by the `mentions` webhook, which names the comment or
media, and are then read through the `mentioned_comment` / `mentioned_media`
field expansions on the account node. They live on other people's media, so
nothing can be hidden or deleted there. Instagram messaging (DMs) needs the
Messenger Platform for Instagram and is not read.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from moderation.channels.base import (
    DELETE,
    HIDE,
    KIND_COMMENT,
    KIND_MENTION,
    KIND_POST,
    KIND_REPLY,
    REPLY,
    ActionNotSupported,
    ChannelNotFound,
    ChannelPermanentError,
    RemoteAuthor,
    RemoteItem,
    WebhookChange,
)
from moderation.channels.graph_adapter import GraphAdapter
from moderation.channels.meta import Json, parse_time, webhook_changes

MEDIA_FIELDS = "id,caption,media_type,permalink,timestamp,comments_count"
REPLY_FIELDS = "id,text,timestamp,username,from{id,username},hidden,like_count,parent_id"
COMMENT_FIELDS = REPLY_FIELDS + ",replies{" + REPLY_FIELDS + "}"
MENTIONED_COMMENT_FIELDS = "id,text,timestamp,username,from{id,username}"
MENTIONED_MEDIA_FIELDS = "id,caption,timestamp,permalink,username"


class InstagramAdapter(GraphAdapter):
    platform: ClassVar[str] = "instagram"
    capabilities: ClassVar[frozenset[str]] = frozenset({HIDE, DELETE, REPLY})
    item_kinds: ClassVar[frozenset[str]] = frozenset({KIND_POST, KIND_COMMENT, KIND_REPLY, KIND_MENTION})
    # A mention is on someone else's media: no hide or delete. Replying goes through
    # POST /{ig-user}/mentions, whose parameters are unconfirmed; not built yet.
    capabilities_by_kind: ClassVar[Mapping[str, frozenset[str]]] = {KIND_MENTION: frozenset()}
    label = "Instagram"
    root_edge = "media"
    root_fields = MEDIA_FIELDS
    hide_param = "hide"
    default_comment_limit = 50

    def parse_root(self, data: Json) -> RemoteItem:
        return media_item(data)

    def comments_page(self, root_id: str, after: str | None) -> tuple[list[RemoteItem], str | None, int]:
        params = {"fields": COMMENT_FIELDS, "limit": self.comment_limit}
        if after:
            params["after"] = after
        data, next_after, _ = self.client.pages(f"{root_id}/comments", params)
        items: list[RemoteItem] = []
        skipped = 0
        for entry in data:
            if not entry.get("id"):
                skipped += 1
                continue
            comment = comment_item(entry, media_id=root_id, parent_id=None)
            items.append(comment)
            items += self._replies(entry, media_id=root_id, comment_id=comment.platform_id)
        return items, next_after, skipped

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

    def get_mention(self, *, ref: Mapping[str, str]) -> RemoteItem:
        """Read what a `mentions` webhook names: {"comment_id","media_id"} or {"media_id"}."""
        comment_id, media_id = ref.get("comment_id", ""), ref.get("media_id", "")
        target = comment_id or media_id
        if not target.isdigit():
            # The id goes into a field expansion; anything but digits would change the query.
            raise ChannelPermanentError(f"Instagram mention webhook named an invalid id {target!r}.")
        if comment_id:
            field = "mentioned_comment"
            spec = f"{field}.comment_id({comment_id}){{{MENTIONED_COMMENT_FIELDS}}}"
        else:
            field = "mentioned_media"
            spec = f"{field}.media_id({media_id}){{{MENTIONED_MEDIA_FIELDS}}}"
        body = self.client.request("GET", self.account_id, params={"fields": spec})
        data = body.get(field)
        if not isinstance(data, dict) or not data.get("id"):
            raise ChannelNotFound(f"Instagram returned no {field} for {target}; it may have been deleted.")
        return mention_item(data, ref=ref)

    def reply(self, *, platform_id: str, text: str, kind: str = KIND_COMMENT) -> str:
        if kind == KIND_MENTION:
            raise ActionNotSupported(
                "Replying to an Instagram mention is not built; reply in the Instagram app."
            )
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


def mention_item(data: Json, *, ref: Mapping[str, str]) -> RemoteItem:
    """A caption or comment on someone else's media that mentions the account."""
    author = _author(data)
    username = str(data.get("username", ""))
    if author is None and username:
        # mentioned_media gives the owner's username but no id; "@" keeps it apart from numeric ids.
        author = RemoteAuthor(platform_user_id="@" + username, handle=username, display_name=username)
    return RemoteItem(
        platform_id=str(data["id"]),
        kind=KIND_MENTION,
        text=str(data.get("text", data.get("caption", ""))),
        created_at=parse_time(data.get("timestamp")),
        author=author,
        permalink=str(data.get("permalink", "")),
        raw={**data, "webhook": dict(ref)},  # media_id of the media the mention is on
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
    """Object `instagram`, fields `comments` and `mentions` (§2 Webhooks). Instagram sends only new ones."""
    changes: list[WebhookChange] = []
    for account, field, value in webhook_changes(payload):
        if field == "mentions":
            ref = {k: str(value[k]) for k in ("comment_id", "media_id") if value.get(k)}
            target = ref.get("comment_id") or ref.get("media_id")
            if target:
                changes.append(
                    WebhookChange(
                        account_id=account, verb="add", platform_id=target, item=None, mention_ref=ref
                    )
                )
            continue
        if field not in ("comments", "live_comments") or not value.get("id"):
            continue
        media = value.get("media")
        media_id = str(media["id"]) if isinstance(media, dict) and media.get("id") else None
        item = comment_item(value, media_id=media_id, parent_id=None)
        changes.append(WebhookChange(account_id=account, verb="add", platform_id=item.platform_id, item=item))
    return changes
