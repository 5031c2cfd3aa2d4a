"""Pure parsing of X API v2 bodies into the channel protocol (no HTTP here).

Accepts every documented shape: `errors` beside `data` (partial results:
deleted, withheld or protected posts), `includes.users` missing or lacking an
author (suspended accounts), edited posts (`edit_history_tweet_ids`), and
bodies where `data` is absent because every requested post failed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from moderation.channels.base import KIND_MENTION, KIND_POST, KIND_REPLY, RemoteAuthor, RemoteItem

Json = dict[str, Any]
TWEET_FIELDS = "author_id,conversation_id,created_at,in_reply_to_user_id,referenced_tweets,entities,edit_history_tweet_ids"
USER_FIELDS = "username,name"
EXPANSIONS = "author_id"


def parse_time(value: Any) -> datetime | None:
    """X gives '2026-11-20T09:15:02.000Z'."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        return None


def users_by_id(body: Mapping[str, Any]) -> dict[str, Json]:
    includes = body.get("includes")
    users = includes.get("users") if isinstance(includes, dict) else None
    if not isinstance(users, list):
        return {}  # every author suspended, or expansions not asked for
    return {str(u["id"]): u for u in users if isinstance(u, dict) and u.get("id")}


def tweets(body: Mapping[str, Any]) -> list[Json]:
    """The posts in a list body; [] when `data` is absent (nothing matched, or all failed)."""
    data = body.get("data")
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        return []
    return [t for t in data if isinstance(t, dict)]


def partial_errors(body: Mapping[str, Any]) -> list[Json]:
    """The per-resource failures X reports beside `data` on a 200."""
    errors = body.get("errors")
    return [e for e in errors if isinstance(e, dict)] if isinstance(errors, list) else []


def stable_id(tweet: Mapping[str, Any]) -> str:
    """An edited post gets a new id; the first id of its edit history names it for good."""
    history = tweet.get("edit_history_tweet_ids")
    if isinstance(history, list) and history and isinstance(history[0], str | int):
        return str(history[0])
    return str(tweet["id"])


def replied_to(tweet: Mapping[str, Any]) -> str | None:
    for ref in tweet.get("referenced_tweets") or []:
        if isinstance(ref, dict) and ref.get("type") == "replied_to" and ref.get("id"):
            return str(ref["id"])
    return None


def author(tweet: Mapping[str, Any], users: Mapping[str, Json]) -> RemoteAuthor | None:
    author_id = tweet.get("author_id")
    if not author_id:
        return None
    user = users.get(str(author_id), {})  # missing for suspended authors: keep the id alone
    return RemoteAuthor(
        platform_user_id=str(author_id),
        handle=f"@{user['username']}" if user.get("username") else "",
        display_name=str(user.get("name", "")),
    )


def permalink(tweet: Mapping[str, Any], users: Mapping[str, Json]) -> str:
    user = users.get(str(tweet.get("author_id", "")), {})
    name = user.get("username") or "i/web"
    return f"https://x.com/{name}/status/{tweet['id']}"


def tweet_item(
    tweet: Mapping[str, Any],
    users: Mapping[str, Json],
    *,
    account_id: str,
    own_conversations: Iterable[str] = (),
) -> RemoteItem:
    """Our own post, a reply in a conversation we started, or a mention elsewhere."""
    conversation = str(tweet.get("conversation_id", "") or "")
    tweet_id = stable_id(tweet)
    is_ours = str(tweet.get("author_id", "")) == account_id
    parent = replied_to(tweet)
    if is_ours and (not conversation or conversation in (tweet_id, str(tweet["id"]))):
        kind, item_author, parent_id, root = KIND_POST, None, None, None
    elif conversation and (conversation in set(own_conversations)):
        kind, item_author, parent_id, root = KIND_REPLY, author(tweet, users), parent, conversation
    else:
        kind, item_author, parent_id, root = KIND_MENTION, author(tweet, users), None, None
    return RemoteItem(
        platform_id=tweet_id,
        kind=kind,
        text=str(tweet.get("text", "")),
        created_at=parse_time(tweet.get("created_at")),
        author=item_author,
        parent_id=parent_id,
        thread_root_id=root,
        permalink=permalink(tweet, users),
        raw=dict(tweet),
    )


def summoned(
    raw: Mapping[str, Any], *, account_id: str, username: str = "", own_posts: Iterable[str] = ()
) -> bool:
    """True when the post's author @mentioned us, replied to us or quoted us.

    Since 2026-02-23 X's self-serve plans accept an API reply only to a post whose author
    "summoned" the replying account (docs/channels.md, "X (API v2)"). A reply to one of our posts
    starts with our @handle, so it counts; a reply to someone else in our thread does not.
    """
    if str(raw.get("in_reply_to_user_id", "")) == account_id:
        return True
    entities = raw.get("entities")
    mentions = entities.get("mentions") if isinstance(entities, dict) else None
    for mention in mentions or []:
        if not isinstance(mention, dict):
            continue
        if str(mention.get("id", "")) == account_id:
            return True
        if username and str(mention.get("username", "")).lower() == username.lstrip("@").lower():
            return True
    own = set(own_posts)
    return any(
        isinstance(ref, dict) and ref.get("type") == "quoted" and str(ref.get("id", "")) in own
        for ref in raw.get("referenced_tweets") or []
    )


def newest(a: str | None, b: str | None) -> str | None:
    """The later of two post ids (snowflakes grow with time); compares as integers."""
    if not a:
        return b
    if not b:
        return a
    return a if int(a) >= int(b) else b
