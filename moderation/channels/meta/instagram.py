"""Instagram professional account adapter (Graph API via Facebook Login): docs/channels.md, "What is read, per platform".

Same sweep as Facebook: recent media, then each media's comments with their
replies expanded inline (`replies{...}`), following /{comment}/replies only when
a comment has more replies than fit in the expansion. Instagram has no ban API,
so `block` is left out of the capabilities and raises ActionNotSupported.

Mentions of the account (@handle in someone else's caption or comment) cannot be
listed: they arrive only by the `mentions` webhook, which names the comment or
media, and are then read through the `mentioned_comment` / `mentioned_media`
field expansions on the account node. They live on other people's media, so
nothing can be hidden or deleted there. Instagram messaging (DMs) needs the
Messenger Platform for Instagram and is not read. Media others posted that tag the
account (`GET /{ig-user-id}/tags`) are read in the sweep's mentions phase. Wire formats:
docs/channels.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
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
from moderation.channels.meta.client import Json, cursor_params, next_cursor, parse_time
from moderation.channels.meta.facebook import FIND_REPLY_PAGES
from moderation.channels.meta.sweep import GraphAdapter
from moderation.channels.meta.webhooks import MetaChange, MetaWebhook

MEDIA_FIELDS = "id,caption,media_type,media_url,thumbnail_url,permalink,timestamp,comments_count"
REPLY_FIELDS = "id,text,timestamp,username,from{id,username},hidden,like_count,parent_id"
COMMENT_FIELDS = REPLY_FIELDS + ",replies{" + REPLY_FIELDS + "}"
TAGGED_MEDIA_FIELDS = "id,caption,media_type,media_url,permalink,timestamp,username"
MENTIONED_COMMENT_FIELDS = "id,text,timestamp,username,from{id,username}"
MENTIONED_MEDIA_FIELDS = "id,caption,timestamp,permalink,username"


class InstagramAdapter(GraphAdapter):
    platform: ClassVar[str] = "instagram"
    capabilities: ClassVar[frozenset[str]] = frozenset({HIDE, DELETE, REPLY})
    item_kinds: ClassVar[frozenset[str]] = frozenset({KIND_POST, KIND_COMMENT, KIND_REPLY, KIND_MENTION})
    # A mention is on someone else's media: no hide or delete. Replying goes through
    # POST /{ig-user}/mentions, whose parameters are unconfirmed; not built yet.
    # Instagram answers a reply to a reply with "(#100) Replies can only be made to top-level
    # comments", so a reply item can be hidden or deleted but not answered through the API.
    capabilities_by_kind: ClassVar[Mapping[str, frozenset[str]]] = {
        KIND_MENTION: frozenset(),
        KIND_REPLY: frozenset({HIDE, DELETE}),
    }
    label = "Instagram"
    root_edge = "media"
    root_fields = MEDIA_FIELDS
    hide_param = "hide"
    default_comment_limit = 50
    # Media others posted that tag the account are read in the sweep, as mentions.
    mention_edge = "tags"
    mention_fields = TAGGED_MEDIA_FIELDS

    def parse_mention(self, data: Json) -> RemoteItem:
        return mention_item(data, ref={"media_id": str(data.get("id", ""))})

    def parse_root(self, data: Json) -> RemoteItem:
        return media_item(data)

    def comments_page(self, root_id: str, after: str | None) -> tuple[list[RemoteItem], str | None, int]:
        params = {"fields": COMMENT_FIELDS, "limit": self.comment_limit}
        params.update(cursor_params(after))
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
        after = next_cursor(nested.get("paging"))
        while after:
            params = {"fields": REPLY_FIELDS, "limit": self.comment_limit, **cursor_params(after)}
            more, after, _ = self.client.pages(f"{comment_id}/replies", params)
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

    def find_reply(
        self, *, platform_id: str, text: str, since: datetime | None = None, kind: str = KIND_COMMENT
    ) -> str | None:
        """Our account's reply under this comment (or comment on this media, `kind` post), if
        Instagram shows it: a read-back after a timeout, so a reply that was posted is confirmed
        instead of posted twice. Looks where `reply` posts: /replies, or /comments on media."""
        edge = "comments" if kind == KIND_POST else "replies"
        after: str | None = None
        for _ in range(FIND_REPLY_PAGES):
            params = {"fields": REPLY_FIELDS, "limit": self.comment_limit, **cursor_params(after)}
            data, after, _ = self.client.pages(f"{platform_id}/{edge}", params)
            for entry in data:
                if not entry.get("id"):
                    continue
                item = comment_item(entry, media_id=None, parent_id=None)
                ours = item.author is not None and item.author.platform_user_id == self.account_id
                recent = since is None or item.created_at is None or item.created_at >= since
                if ours and recent and item.text.strip() == text.strip():
                    return item.platform_id
            if not after:
                return None
        return None

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
    """`from` {id, username}; a comment listed with only `username` keeps it ("@" marks no id)."""
    sender = data.get("from")
    if isinstance(sender, dict) and sender.get("id"):
        return RemoteAuthor(
            platform_user_id=str(sender["id"]),
            handle=str(sender.get("username", data.get("username", ""))),
            display_name=str(sender.get("username", data.get("username", ""))),
        )
    username = data.get("username")
    if isinstance(username, str) and username:
        # "@" keeps a username-only author apart from numeric ids (the mention parser does the same).
        return RemoteAuthor(platform_user_id="@" + username, handle=username, display_name=username)
    return None


def _media_urls(data: Json) -> tuple[str, ...]:
    urls = [data[k] for k in ("media_url", "thumbnail_url") if isinstance(data.get(k), str) and data[k]]
    return tuple(dict.fromkeys(urls))


def media_item(data: Json) -> RemoteItem:
    return RemoteItem(
        platform_id=str(data["id"]),
        kind=KIND_POST,
        text=str(data.get("caption", "")),
        created_at=parse_time(data.get("timestamp")),
        author=None,
        permalink=str(data.get("permalink", "")),
        raw=data,
        media_urls=_media_urls(data),
    )


def mention_item(data: Json, *, ref: Mapping[str, str]) -> RemoteItem:
    """A caption or comment on someone else's media that mentions the account."""
    return RemoteItem(
        platform_id=str(data["id"]),
        kind=KIND_MENTION,
        text=str(data.get("text", data.get("caption", ""))),
        created_at=parse_time(data.get("timestamp")),
        author=_author(data),  # mentioned_media gives the owner's username but no id
        permalink=str(data.get("permalink", "")),
        raw={**data, "webhook": dict(ref)},  # media_id of the media the mention is on
        media_urls=_media_urls(data),
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


class InstagramWebhook(MetaWebhook):
    """Object `instagram`, fields `comments` and `mentions`. Instagram sends only new ones."""

    platform: ClassVar[str] = "instagram"
    object_name: ClassVar[str] = "instagram"

    def parse_change(self, change: MetaChange) -> WebhookChange | None:
        value = change.value
        if change.field == "mentions":
            ref = {k: str(value[k]) for k in ("comment_id", "media_id") if value.get(k)}
            target = ref.get("comment_id") or ref.get("media_id")
            if not target:
                return None
            return WebhookChange(
                account_id=change.account_id, verb="add", platform_id=target, item=None, mention_ref=ref
            )
        if change.field not in ("comments", "live_comments") or not isinstance(value.get("id"), str | int):
            return None
        media = value.get("media")
        media_id = str(media["id"]) if isinstance(media, dict) and media.get("id") else None
        item = comment_item(value, media_id=media_id, parent_id=None)
        if item.created_at is None and change.entry_time is not None:
            item = replace(item, created_at=change.entry_time)
        return WebhookChange(
            account_id=change.account_id, verb="add", platform_id=item.platform_id, item=item
        )
