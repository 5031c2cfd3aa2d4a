"""Mentions on the fake platforms: others' posts tagging the Page, @mentions on Instagram.

Facebook: a post by a member of the public that tags the Page (`fb_tagged_post`,
owned by the author, visible to the tagged Page) is listed by `/{page}/tagged`
and announced by a `mention` webhook change. Instagram: a caption
(`ig_mention_media`) or comment (`ig_mention_comment`) on someone else's media
that @mentions the account is announced by a `mentions` webhook and read only
through the `mentioned_media` / `mentioned_comment` field expansions on the
account node; a photo someone else posted that tags the account
(`ig_tagged_media`) is listed by `/{ig-user}/tags` and sends no webhook (docs/channels.md, "What is read, per platform").
"""

from __future__ import annotations

import re
import time
from typing import Any

from fakeplatforms.world import Obj, World

FB_TAGGED = "fb_tagged_post"
IG_MENTION_MEDIA = "ig_mention_media"
IG_MENTION_COMMENT = "ig_mention_comment"
IG_TAGGED = "ig_tagged_media"
MENTION_KINDS = (FB_TAGGED, IG_MENTION_MEDIA, IG_MENTION_COMMENT, IG_TAGGED)
TAGGED_PHOTO = "/_media/tagged.png"  # served by the fake server; graph.py makes it absolute
MENTIONED_RE = re.compile(r"(mentioned_comment|mentioned_media)\.(comment_id|media_id)\(([^)]*)\)")


def iso(ts: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S+0000", time.gmtime(ts))


def create_mention(
    world: World,
    *,
    platform: str,
    account_id: str,
    text: str,
    sender: Obj,
    on: str = "media",
    created: float | None = None,
) -> Obj:
    """A new mention of `account_id` (a Page id, or an Instagram user id) by `sender`."""
    number = world.next_number()
    if platform == "facebook":
        kind, obj_id = FB_TAGGED, f"{sender['id']}_{880000000 + number}"  # <user>_<post>
        extra: Obj = {}
    elif on == "tagged":  # a photo by someone else with the account tagged in it
        kind, obj_id = IG_TAGGED, str(17900000000000000 + 700000 + number)
        extra = {"shortcode": f"CT{number:010d}", "photo": TAGGED_PHOTO}
    elif on == "comment":
        kind, obj_id = IG_MENTION_COMMENT, str(17873440459000000 + number)
        extra = {"media": str(17900000000000000 + 500000 + number)}  # someone else's media
    else:
        kind, obj_id = IG_MENTION_MEDIA, str(17900000000000000 + number)
        extra = {"shortcode": f"CM{number:010d}"}
    obj = {
        "id": obj_id,
        "kind": kind,
        "owner": account_id,  # who may read it through the API: the mentioned account
        "mentions": [account_id],
        "text": text,
        "from": sender,
        "created": created if created is not None else time.time(),
        **extra,
    }
    with world.changing() as d:
        d["objects"][obj_id] = obj
    return obj


def render_mention(world: World, obj: Obj) -> Obj:
    kind = obj["kind"]
    if kind == FB_TAGGED:
        return {
            "id": obj["id"],
            "message": obj["text"],
            "from": dict(obj["from"]),
            "created_time": iso(obj["created"]),
            "updated_time": iso(obj.get("updated") or obj["created"]),
            "permalink_url": "https://www.facebook.com/" + obj["id"].replace("_", "/posts/"),
            "comments": world.children(obj["id"], direct_only=True, kind="fb_comment"),
        }
    if kind == IG_MENTION_MEDIA:
        return {
            "id": obj["id"],
            "caption": obj["text"],
            "timestamp": iso(obj["created"]),
            "permalink": f"https://www.instagram.com/p/{obj['shortcode']}/",
            "username": obj["from"].get("username", ""),
            "media_type": "IMAGE",
            "like_count": obj.get("likes", 0),
            "comments_count": 0,
        }
    if kind == IG_TAGGED:
        return {
            "id": obj["id"],
            "caption": obj["text"],
            "media_type": "IMAGE",
            "media_url": obj["photo"],
            "permalink": f"https://www.instagram.com/p/{obj['shortcode']}/",
            "timestamp": iso(obj["created"]),
            "username": obj["from"].get("username", ""),
            "like_count": obj.get("likes", 0),
            "comments_count": 0,
        }
    if kind == IG_MENTION_COMMENT:
        return {
            "id": obj["id"],
            "text": obj["text"],
            "timestamp": iso(obj["created"]),
            "username": obj["from"].get("username", ""),
            "from": dict(obj["from"]),
            "like_count": obj.get("likes", 0),
            "media": {"id": obj["media"]},
        }
    raise KeyError(kind)


def mentioned_request(fields: str) -> tuple[str, str, str] | None:
    """'mentioned_comment.comment_id(123){id,text}' -> ('mentioned_comment', '123', 'id,text')."""
    match = MENTIONED_RE.search(fields)
    if match is None:
        return None
    field, arg, value = match.groups()
    if (field, arg) not in (("mentioned_comment", "comment_id"), ("mentioned_media", "media_id")):
        return None
    sub, pos = "", match.end()
    if pos < len(fields) and fields[pos] == "{":
        depth, end = 0, pos
        for end in range(pos, len(fields)):
            depth += {"{": 1, "}": -1}.get(fields[end], 0)
            if depth == 0:
                break
        sub = fields[pos + 1 : end]
    return field, value.strip(), sub or "id"


def find_mention(world: World, *, field: str, object_id: str, account_id: str) -> Obj | None:
    kind = IG_MENTION_COMMENT if field == "mentioned_comment" else IG_MENTION_MEDIA
    obj = world.obj(object_id)
    if obj is None or obj["kind"] != kind or account_id not in obj.get("mentions", []):
        return None
    return obj


def webhook_value(obj: Obj, verb: str) -> tuple[str, dict[str, Any]] | None:
    """(field, value) of the webhook change announcing a mention; None when none is sent."""
    if obj["kind"] == FB_TAGGED:
        # Meta's Page `mention` change; the exact shape is unconfirmed (docs/channels.md).
        return "mention", {
            "post_id": obj["id"],
            "sender_id": obj["from"].get("id", ""),
            "sender_name": obj["from"].get("name", ""),
            "item": "post",
            "verb": {"edited": "edit"}.get(verb, verb),
            "created_time": int(obj["created"]),
        }
    if verb != "add" or obj["kind"] == IG_TAGGED:
        return None  # Instagram announces new @mentions only; tagged media are polled
    if obj["kind"] == IG_MENTION_COMMENT:
        return "mentions", {"comment_id": obj["id"], "media_id": obj["media"]}
    return "mentions", {"media_id": obj["id"]}
