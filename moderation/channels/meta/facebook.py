"""Facebook Page adapter (Graph API): docs/channels.md, "What is read, per platform".

A poll is a sweep: the Page's recent posts (newest first, up to `max_posts`),
then posts by others that tag the Page (`/{page}/tagged`, up to `max_mentions`,
stored as kind "mention"), then every post's comments and replies flat
(`filter=stream`), page by page. The cursor records where the sweep is, so a
crash resumes after the last committed page. Mentions also arrive by the
`mention` webhook, which only names the post, so the post is read with
`get_mention`. Messenger conversations (DMs) need the Messenger Platform and
are not read. Wire formats and the assumptions made: docs/channels.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

from moderation.channels.base import (
    BLOCK,
    DELETE,
    HIDE,
    KIND_COMMENT,
    KIND_MENTION,
    KIND_POST,
    KIND_REPLY,
    REPLY,
    RESTRICTION_BAN,
    RemoteAuthor,
    RemoteItem,
    WebhookChange,
)
from moderation.channels.meta.client import Json, cursor_params, parse_time
from moderation.channels.meta.sweep import GraphAdapter
from moderation.channels.meta.webhooks import MetaChange, MetaWebhook

POST_FIELDS = "id,message,created_time,permalink_url"
FIND_REPLY_PAGES = 5  # a read-back looks at the newest few hundred replies, not a whole thread
# Others' posts tagging the Page; the field list is what we rely on (docs/channels.md says unconfirmed).
TAGGED_FIELDS = "id,message,from,created_time,permalink_url"
MENTION_COMMENT_FIELDS = "id,message,from,created_time,permalink_url"
COMMENT_FIELDS = (
    "id,message,from,created_time,is_hidden,can_hide,can_remove,parent{id},permalink_url,comment_count,"
    "attachment{type,url,media{image{src}}}"
)


class FacebookPageAdapter(GraphAdapter):
    platform: ClassVar[str] = "facebook"
    capabilities: ClassVar[frozenset[str]] = frozenset({HIDE, DELETE, REPLY, BLOCK})
    item_kinds: ClassVar[frozenset[str]] = frozenset({KIND_POST, KIND_COMMENT, KIND_REPLY, KIND_MENTION})
    # A post that tags the Page belongs to its author: the Page can comment on it (unconfirmed)
    # and ban the author from the Page, but cannot hide or delete it.
    capabilities_by_kind: ClassVar[Mapping[str, frozenset[str]]] = {KIND_MENTION: frozenset({REPLY, BLOCK})}
    block_restriction: ClassVar[str] = RESTRICTION_BAN  # POST /{page}/blocked bans from the Page
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
        params.update(cursor_params(after))
        data, next_after, _ = self.client.pages(f"{root_id}/comments", params)
        items, skipped = [], 0
        for entry in data:
            if not entry.get("id"):
                recovered = id_from_permalink(entry.get("permalink_url"), post_id=root_id)
                if recovered is None:
                    skipped += 1  # no id, none recoverable: cannot be stored idempotently
                    continue
                entry = {**entry, "id": recovered}
            items.append(comment_item(entry, post_id=root_id))
        return items, next_after, skipped

    def get_item(self, *, platform_id: str) -> RemoteItem:
        body = self.client.request("GET", platform_id, params={"fields": COMMENT_FIELDS})
        return comment_item(body, post_id=None)

    def find_reply(
        self, *, platform_id: str, text: str, since: datetime | None = None, kind: str = KIND_COMMENT
    ) -> str | None:
        """Our Page's reply to this comment or post, if the platform shows it (a read-back after a
        timeout, so a reply that was posted is confirmed instead of posted twice). Replies to
        posts and comments are both under /comments, so `kind` changes nothing here."""
        after: str | None = None
        for _ in range(FIND_REPLY_PAGES):
            items, after, _ = self.comments_page(platform_id, after)
            for item in items:
                ours = item.author is not None and item.author.platform_user_id == self.account_id
                recent = since is None or item.created_at is None or item.created_at >= since
                if ours and recent and item.text.strip() == text.strip():
                    return item.platform_id
            if not after:
                return None
        return None

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

    def subscribe_webhooks(self) -> bool:
        """Ask Meta to send this Page's comment and mention webhooks to our app (safe to repeat)."""
        self.client.request(
            "POST", f"{self.account_id}/subscribed_apps", params={"subscribed_fields": "feed,mention"}
        )
        return True

    def block(self, *, author_id: str) -> None:
        self.client.request("POST", f"{self.account_id}/blocked", params={"user": author_id})

    def unblock(self, *, author_id: str) -> None:
        self.client.request("DELETE", f"{self.account_id}/blocked", params={"user": author_id})


def _author(value: Any, data: Json | None = None) -> RemoteAuthor | None:
    """`from` {id, name}; older feed webhooks name the author `sender_id`/`sender_name` instead.

    `from` is left out when the token lacks Page permissions; the item is kept anyway.
    """
    if isinstance(value, dict) and value.get("id"):
        return RemoteAuthor(
            platform_user_id=str(value["id"]), handle="", display_name=str(value.get("name", ""))
        )
    if data is not None and data.get("sender_id"):
        return RemoteAuthor(
            platform_user_id=str(data["sender_id"]), handle="", display_name=str(data.get("sender_name", ""))
        )
    return None


def id_from_permalink(permalink: Any, *, post_id: str) -> str | None:
    """A comment's Graph id from its permalink_url (`comment_id`, or `reply_comment_id` for a reply).

    Graph comment ids are "{post number}_{comment number}", the post number being the
    part of the post id after the Page id.
    """
    if not isinstance(permalink, str) or not permalink:
        return None
    query = parse_qs(urlsplit(permalink).query)
    number = (query.get("reply_comment_id") or query.get("comment_id") or [""])[0]
    if not number.isdigit():
        return None
    return f"{post_id.rsplit('_', 1)[-1]}_{number}"


def media_urls(data: Json) -> tuple[str, ...]:
    """Photo, video, sticker and GIF URLs of a comment (read) or a feed change (webhook)."""
    urls: list[str] = []
    attachment = data.get("attachment")
    if isinstance(attachment, dict):
        media = attachment.get("media")
        image = media.get("image") if isinstance(media, dict) else None
        if isinstance(image, dict) and isinstance(image.get("src"), str):
            urls.append(image["src"])
        elif isinstance(attachment.get("url"), str):
            urls.append(attachment["url"])
    for key in ("photo", "video"):  # feed webhook fields
        if isinstance(data.get(key), str) and data[key]:
            urls.append(data[key])
    return tuple(dict.fromkeys(urls))


def post_item(data: Json, *, kind: str = KIND_POST) -> RemoteItem:
    """A post: the Page's own, or (kind mention) someone else's that tags the Page, with no thread."""
    return RemoteItem(
        platform_id=str(data["id"]),
        kind=kind,
        text=str(data.get("message", "")),
        created_at=parse_time(data.get("created_time")),
        author=_author(data.get("from"), data),
        permalink=str(data.get("permalink_url", "")),
        raw=data,
        media_urls=media_urls(data),
    )


def mention_item(data: Json) -> RemoteItem:
    """A post (or comment) by someone else that tags the Page: no parent, no thread on our side."""
    return post_item(data, kind=KIND_MENTION)


def comment_item(data: Json, *, post_id: str | None) -> RemoteItem:
    parent = data.get("parent")
    parent_id = str(parent["id"]) if isinstance(parent, dict) and parent.get("id") else None
    return RemoteItem(
        platform_id=str(data["id"]),
        kind=KIND_REPLY if parent_id else KIND_COMMENT,
        text=str(data.get("message", "")),
        created_at=parse_time(data.get("created_time")),
        author=_author(data.get("from"), data),
        parent_id=parent_id or post_id,
        thread_root_id=post_id,
        permalink=str(data.get("permalink_url", "")),
        hidden=bool(data.get("is_hidden", False)),
        raw=data,
        media_urls=media_urls(data),
    )


def parse_mention_change(change: MetaChange) -> WebhookChange | None:
    """A `mention` change: {post_id, comment_id?, sender_id, sender_name, item, verb, message?, created_time?}.

    The event often carries no text, so the change names the object and ingestion reads
    it; when it does carry `message`, that is kept as the item to store if the read fails.
    """
    value = change.value
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
    carried = None
    if verb != "remove" and isinstance(value.get("message"), str):
        carried = RemoteItem(
            platform_id=str(target),
            kind=KIND_MENTION,
            text=value["message"],
            created_at=parse_time(value.get("created_time")) or change.entry_time,
            author=_author(value.get("from"), value),
            raw=value,
            media_urls=media_urls(value),
        )
    return WebhookChange(
        account_id=change.account_id,
        verb=verb,
        platform_id=str(target),
        item=None,
        mention_ref=ref if verb != "remove" else None,
        carried=carried,
    )


def parse_feed_change(change: MetaChange) -> WebhookChange | None:
    """A Page `feed` change about a comment (add, edited, remove, hide, unhide); others are skipped."""
    value = change.value
    if value.get("item") != "comment" or not value.get("comment_id"):
        return None
    comment_id, post_id = str(value["comment_id"]), str(value.get("post_id", ""))
    parent_id = str(value.get("parent_id") or post_id)
    verb = "edited" if value.get("verb") == "edit" else str(value.get("verb", ""))
    item = None
    if verb in ("add", "edited"):
        item = RemoteItem(
            platform_id=comment_id,
            kind=KIND_COMMENT if parent_id == post_id else KIND_REPLY,
            text=str(value.get("message", "")),
            created_at=parse_time(value.get("created_time")) or change.entry_time,
            author=_author(value.get("from"), value),
            parent_id=parent_id or None,
            thread_root_id=post_id or None,
            raw=value,
            media_urls=media_urls(value),
        )
    return WebhookChange(account_id=change.account_id, verb=verb, platform_id=comment_id, item=item)


class FacebookWebhook(MetaWebhook):
    """Page webhooks (`object: page`): `feed` changes about comments and `mention` changes."""

    platform: ClassVar[str] = "facebook"
    object_name: ClassVar[str] = "page"

    def parse_change(self, change: MetaChange) -> WebhookChange | None:
        if change.field == "mention":
            return parse_mention_change(change)
        if change.field == "feed":
            return parse_feed_change(change)
        return None
