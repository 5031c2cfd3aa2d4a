"""Contract tests: the fake speaks the shapes in docs/channels.md, and every adapter honours the protocol.

The adapter contract runs over FakeChannel and the real adapters (against the
fake server), so the in-memory fake used by service tests cannot drift.
"""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests

from fakeplatforms import DEFAULT_APP_SECRET, DEMO_IG_USER_ID, DEMO_PAGE_ID
from moderation.channels.base import (
    ALL_CAPABILITIES,
    ALL_KINDS,
    ActionNotSupported,
    ChannelAdapter,
    ChannelNotFound,
    ChannelPermanentError,
    ChannelPermissionError,
    ChannelUnavailable,
)
from moderation.channels.fake import FakeChannel
from moderation.channels.meta.facebook import COMMENT_FIELDS as FB_FIELDS
from moderation.channels.meta.facebook import TAGGED_FIELDS, FacebookPageAdapter, FacebookWebhook
from moderation.channels.meta.instagram import (
    MENTIONED_COMMENT_FIELDS,
    MENTIONED_MEDIA_FIELDS,
    TAGGED_MEDIA_FIELDS,
    InstagramAdapter,
    InstagramWebhook,
)
from moderation.channels.meta.instagram import REPLY_FIELDS as IG_FIELDS
from moderation.channels.meta.webhooks import webhook_signature_valid
from tests.channels.test_meta_real_shapes import FIXTURES as META_FIXTURES
from tests.channels.test_meta_real_shapes import replay, replayed

# The comment fields the adapters ask for (docs/channels.md, "What is read, per platform").
FB_COMMENT_KEYS = {
    "id",
    "message",
    "from",
    "created_time",
    "is_hidden",
    "can_hide",
    "can_remove",
    "comment_count",
    "permalink_url",
}
IG_COMMENT_KEYS = {"id", "text", "timestamp", "username", "from", "hidden", "like_count"}
ERROR_KEYS = {"message", "type", "code", "fbtrace_id"}


def get(url, **params):
    return requests.get(url, params=params, timeout=5)


def test_facebook_comment_list_shape(fake_platforms):
    post = fake_platforms.add_post()
    [top] = fake_platforms.add_comments(post["id"], 1)
    fake_platforms.add_comments(post["id"], 2, parent_id=top)
    base = fake_platforms.graph_url("facebook") + "/v26.0"
    token = fake_platforms.page_token()
    first = get(
        f"{base}/{post['id']}/comments", fields=FB_FIELDS, filter="stream", limit=2, access_token=token
    )
    body = first.json()
    assert first.status_code == 200
    assert set(body) == {"data", "paging"}
    assert set(body["paging"]) == {"cursors", "next"}
    assert set(body["paging"]["cursors"]) == {
        "before",
        "after",
    }
    top_row, reply_row = body["data"]
    assert set(top_row) == FB_COMMENT_KEYS  # parent only on replies
    assert set(reply_row) == FB_COMMENT_KEYS | {"parent"}
    assert reply_row["parent"] == {"id": top}
    assert set(top_row["from"]) == {"id", "name"}
    assert top_row["created_time"].endswith("+0000")
    assert "_" in top_row["id"]  # <object>_<comment>
    last = get(body["paging"]["next"]).json()  # follow paging.next as-is
    assert len(last["data"]) == 1
    assert "next" not in last["paging"]
    toplevel = get(f"{base}/{post['id']}/comments", access_token=token).json()
    assert [r["id"] for r in toplevel["data"]] == [top]  # filter=toplevel is the default


def test_instagram_comment_list_shape(fake_platforms):
    media = fake_platforms.add_post("instagram")
    [top] = fake_platforms.add_comments(media["id"], 1, platform="instagram")
    [reply] = fake_platforms.add_comments(media["id"], 1, platform="instagram", parent_id=top)
    base = fake_platforms.graph_url("instagram") + "/v26.0"
    token = fake_platforms.page_token()
    body = get(f"{base}/{media['id']}/comments", fields=IG_FIELDS, access_token=token).json()
    [row] = body["data"]
    assert set(row) == IG_COMMENT_KEYS
    assert set(row["from"]) == {"id", "username"}
    replies = get(f"{base}/{top}/replies", fields=IG_FIELDS, access_token=token).json()["data"]
    assert set(replies[0]) == IG_COMMENT_KEYS | {"parent_id"}
    assert replies[0]["id"] == reply
    media_row = get(
        f"{base}/{DEMO_IG_USER_ID}/media",
        fields="id,caption,media_type,permalink,timestamp,comments_count",
        access_token=token,
    ).json()["data"][0]
    assert set(media_row) == {"id", "caption", "media_type", "permalink", "timestamp", "comments_count"}


@pytest.mark.parametrize(
    ("platform", "code", "usage_type"), [("facebook", 80001, "pages"), ("instagram", 80002, "instagram")]
)
def test_rate_limit_response_shape(fake_platforms, platform, code, usage_type):
    key = DEMO_PAGE_ID if platform == "facebook" else DEMO_IG_USER_ID
    fake_platforms.fail_next({"kind": "rate_limit", "id": key})
    response = get(f"{fake_platforms.graph_url(platform)}/v26.0/me", access_token=fake_platforms.page_token())
    assert response.status_code == 400
    error = response.json()["error"]
    assert set(error) == ERROR_KEYS
    assert error["code"] == code
    assert error["type"] == "OAuthException"
    usage = json.loads(response.headers["X-Business-Use-Case-Usage"])
    [bucket] = usage[key]
    assert bucket["type"] == usage_type
    assert bucket["call_count"] == 100
    assert set(bucket) == {
        "type",
        "call_count",
        "total_cputime",
        "total_time",
        "estimated_time_to_regain_access",
    }


@pytest.mark.parametrize("platform", ["facebook", "instagram"])
def test_expired_token_response_shape(fake_platforms, platform):
    token = fake_platforms.page_token()
    fake_platforms.admin("POST", "tokens/expire", {"token": token})
    response = get(f"{fake_platforms.graph_url(platform)}/v26.0/me", access_token=token)
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["error_subcode"], error["type"]) == (190, 463, "OAuthException")
    assert error["message"].startswith("Error validating access token: Session has expired")
    assert response.headers["WWW-Authenticate"].startswith('OAuth "Facebook Platform" "invalid_token"')


def test_webhook_payloads_match_the_documented_shape(fake_platforms):
    fake_platforms.app.webhooks.url = (
        "http://127.0.0.1:9/unused"  # queue only; the sender thread is not started
    )
    post = fake_platforms.add_post()
    [comment] = fake_platforms.add_comments(post["id"], 1)
    media = fake_platforms.add_post("instagram")
    fake_platforms.add_comments(media["id"], 1, platform="instagram")
    (fb_platform, fb_body), (ig_platform, ig_body) = fake_platforms.webhook_deliveries()
    assert (fb_platform, ig_platform) == ("facebook", "instagram")  # each to its own /webhooks/<platform>/
    fb = json.loads(fb_body)
    assert fb["object"] == "page"
    assert fb["entry"][0]["id"] == DEMO_PAGE_ID
    change = fb["entry"][0]["changes"][0]
    assert change["field"] == "feed"
    assert set(change["value"]) == {
        "item",
        "verb",
        "comment_id",
        "post_id",
        "parent_id",
        "from",
        "message",
        "created_time",
    }
    assert change["value"]["parent_id"] == post["id"] == change["value"]["post_id"]
    assert isinstance(change["value"]["created_time"], int)
    assert change["value"]["comment_id"] == comment
    ig = json.loads(ig_body)
    value = ig["entry"][0]["changes"][0]["value"]
    assert ig["object"] == "instagram"
    assert set(value) == {"id", "text", "from", "media"}
    headers = fake_platforms.app.webhooks.headers(fb_body)
    assert webhook_signature_valid(fb_body, headers["X-Hub-Signature-256"], DEFAULT_APP_SECRET)
    assert not webhook_signature_valid(fb_body + b" ", headers["X-Hub-Signature-256"], DEFAULT_APP_SECRET)


def test_facebook_tagged_list_shape(fake_platforms):
    """GET /{page}/tagged: the fields we ask for, cursor paging like /posts (docs/channels.md, "What is read, per platform")."""
    fake_platforms.add_mentions(3)
    base = fake_platforms.graph_url("facebook") + "/v26.0"
    token = fake_platforms.page_token()
    body = get(f"{base}/{DEMO_PAGE_ID}/tagged", fields=TAGGED_FIELDS, limit=2, access_token=token).json()
    assert set(body) == {"data", "paging"}
    assert set(body["paging"]) == {"cursors", "next"}
    assert set(body["paging"]["cursors"]) == {"before", "after"}
    row = body["data"][0]
    assert set(row) == {"id", "message", "from", "created_time", "permalink_url"}
    assert set(row["from"]) == {"id", "name"}
    assert row["created_time"].endswith("+0000")
    assert row["id"].startswith(row["from"]["id"] + "_")  # <author>_<post>: someone else's post
    last = get(body["paging"]["next"]).json()
    assert len(last["data"]) == 1
    assert "next" not in last["paging"]
    user_token = fake_platforms.world.issue_token(kind="user", user_id="100000000000100", lifetime=None)
    refused = get(f"{base}/{DEMO_PAGE_ID}/tagged", access_token=user_token)
    assert (refused.status_code, refused.json()["error"]["code"]) == (400, 210)


def test_instagram_tags_list_shape(fake_platforms):
    """GET /{ig-user}/tags: media others posted with the account tagged, newest first, cursor paging."""
    fake_platforms.add_mentions(3, platform="instagram", on="tagged")
    base = fake_platforms.graph_url("instagram") + "/v26.0"
    token = fake_platforms.page_token()
    body = get(
        f"{base}/{DEMO_IG_USER_ID}/tags", fields=TAGGED_MEDIA_FIELDS, limit=2, access_token=token
    ).json()
    assert set(body) == {"data", "paging"}
    assert set(body["paging"]) == {"cursors", "next"}
    first, second = body["data"]
    assert set(first) == set(TAGGED_MEDIA_FIELDS.split(","))
    assert first["timestamp"] >= second["timestamp"]
    assert first["media_url"].startswith(fake_platforms.base_url + "/_media/")
    assert first["username"].startswith("tagger")
    last = get(body["paging"]["next"]).json()
    assert len(last["data"]) == 1
    assert "next" not in last["paging"]
    user_token = fake_platforms.world.issue_token(kind="user", user_id="100000000000100", lifetime=None)
    refused = get(f"{base}/{DEMO_IG_USER_ID}/tags", access_token=user_token)
    assert (refused.status_code, refused.json()["error"]["code"]) == (400, 210)


def test_instagram_mentioned_fields_shape(fake_platforms):
    """GET /{ig-user}?fields=mentioned_comment.comment_id(<id>){...} and mentioned_media (§2)."""
    [comment_id] = fake_platforms.add_mentions(1, platform="instagram", on="comment")
    [media_id] = fake_platforms.add_mentions(1, platform="instagram", on="media")
    url = fake_platforms.graph_url("instagram") + f"/v26.0/{DEMO_IG_USER_ID}"
    token = fake_platforms.page_token()
    spec = f"mentioned_comment.comment_id({comment_id}){{{MENTIONED_COMMENT_FIELDS}}}"
    body = get(url, fields=spec, access_token=token).json()
    assert set(body) == {"mentioned_comment", "id"}
    assert body["id"] == DEMO_IG_USER_ID
    assert set(body["mentioned_comment"]) == {"id", "text", "timestamp", "username", "from"}
    assert set(body["mentioned_comment"]["from"]) == {"id", "username"}
    spec = f"mentioned_media.media_id({media_id}){{{MENTIONED_MEDIA_FIELDS}}}"
    body = get(url, fields=spec, access_token=token).json()
    assert set(body["mentioned_media"]) == {"id", "caption", "timestamp", "permalink", "username"}
    missing = get(url, fields="mentioned_media.media_id(1){id}", access_token=token)
    assert missing.status_code == 400
    assert (missing.json()["error"]["code"], missing.json()["error"]["error_subcode"]) == (100, 33)
    # Someone else's media is not readable by id; only through the expansion.
    direct = get(fake_platforms.graph_url("instagram") + f"/v26.0/{media_id}", access_token=token)
    assert direct.json()["error"]["code"] == 100


def test_mention_webhook_payloads(fake_platforms):
    fake_platforms.capture_webhooks()
    [post_id] = fake_platforms.add_mentions(1)
    [comment_id] = fake_platforms.add_mentions(1, platform="instagram", on="comment")
    [media_id] = fake_platforms.add_mentions(1, platform="instagram", on="media")
    fake_platforms.admin("POST", f"comments/{post_id}/edit", {"text": "edited"})
    fake_platforms.admin("POST", f"comments/{post_id}/delete")
    fb_add, ig_comment, ig_media, fb_edit, fb_remove = fake_platforms.webhook_bodies()
    fb = json.loads(fb_add)
    assert (fb["object"], fb["entry"][0]["id"]) == ("page", DEMO_PAGE_ID)
    [change] = fb["entry"][0]["changes"]
    assert change["field"] == "mention"
    assert set(change["value"]) == {"post_id", "sender_id", "sender_name", "item", "verb", "created_time"}
    assert (change["value"]["post_id"], change["value"]["item"], change["value"]["verb"]) == (
        post_id,
        "post",
        "add",
    )
    assert change["value"]["sender_name"] == "Tagger 0"
    assert [json.loads(b)["entry"][0]["changes"][0]["value"]["verb"] for b in (fb_edit, fb_remove)] == [
        "edit",
        "remove",
    ]
    ig = json.loads(ig_comment)
    assert (ig["object"], ig["entry"][0]["id"]) == ("instagram", DEMO_IG_USER_ID)
    [change] = ig["entry"][0]["changes"]
    assert change["field"] == "mentions"
    assert set(change["value"]) == {"comment_id", "media_id"}
    assert change["value"]["comment_id"] == comment_id
    assert json.loads(ig_media)["entry"][0]["changes"][0]["value"] == {"media_id": media_id}
    headers = fake_platforms.app.webhooks.headers(ig_comment)
    assert webhook_signature_valid(ig_comment, headers["X-Hub-Signature-256"], DEFAULT_APP_SECRET)


# -- the adapter contract ----------------------------------------------------------------


class FakeEnv:
    def __init__(self):
        FakeChannel.reset()
        self.adapter = FakeChannel.account("contract", page_size=7)

    def add(self, n):
        return [self.adapter.add_comment(f"comment {i}").platform_id for i in range(n)]

    def edit(self, pid, text):
        self.adapter.edit(pid, text)

    def remove(self, pid):
        self.adapter.remove(pid)


class RealEnv:
    def __init__(self, server, platform):
        self.server, self.platform = server, platform
        cls, account = (
            (FacebookPageAdapter, DEMO_PAGE_ID)
            if platform == "facebook"
            else (InstagramAdapter, DEMO_IG_USER_ID)
        )
        self.adapter = cls(
            base_url=server.graph_url(platform),
            token=server.page_token(),
            account_id=account,
            comment_limit=7,
        )
        self.root = server.add_post(platform)["id"]

    def add(self, n):
        return self.server.add_comments(self.root, n, platform=self.platform)

    def edit(self, pid, text):
        self.server.admin("POST", f"comments/{pid}/edit", {"text": text})

    def remove(self, pid):
        self.server.admin("POST", f"comments/{pid}/delete")


@pytest.fixture(params=["fake", "facebook", "instagram"])
def env(request, fake_platforms):
    if request.param == "fake":
        return FakeEnv()
    return RealEnv(fake_platforms, request.param)


def full_sweep(adapter):
    cursor, items, roots = {}, [], []
    for _ in range(100):
        page = adapter.fetch_page(cursor=cursor)
        items += page.items
        roots += page.completed_roots
        cursor = page.cursor
        if page.done:
            assert cursor == {}
            return items, roots
    raise AssertionError("sweep never finished")


def test_adapter_contract(env):
    adapter = env.adapter
    assert isinstance(adapter, ChannelAdapter)
    assert adapter.capabilities <= ALL_CAPABILITIES
    assert adapter.item_kinds <= ALL_KINDS
    assert all(kind in ALL_KINDS for kind in adapter.capabilities_by_kind)
    ids = env.add(20)
    items, roots = full_sweep(adapter)
    comments = [i for i in items if i.kind != "post"]
    assert sorted(i.platform_id for i in comments) == sorted(ids)  # every comment exactly once
    assert all(i.thread_root_id in roots for i in comments)
    env.edit(ids[0], "changed text")
    env.remove(ids[1])
    items, _ = full_sweep(adapter)
    by_id = {i.platform_id: i for i in items}
    assert by_id[ids[0]].text == "changed text"
    assert ids[1] not in by_id
    adapter.hide(platform_id=ids[2])
    adapter.hide(platform_id=ids[2])  # idempotent
    adapter.delete(platform_id=ids[3])
    adapter.delete(platform_id=ids[3])  # already deleted: done, no error
    assert isinstance(adapter.reply(platform_id=ids[4], text="Thanks"), str)
    hidden = {i.platform_id: i.hidden for i in full_sweep(adapter)[0]}
    assert hidden[ids[2]] is True
    assert ids[3] not in hidden
    if "block" in adapter.capabilities:
        adapter.block(author_id="someone")
    else:
        with pytest.raises(ActionNotSupported):
            adapter.block(author_id="someone")


# -- real Graph API shapes, for both Meta adapters (issue 7) --------------------------------
# Every response shape and error body issue 7 lists, served by the fake server from
# tests/fixtures/meta/ over loopback HTTP and read through the adapter itself. The same shapes
# through the services (storage, deletions, actions) are in test_meta_real_shapes.py.
META = ("facebook", "instagram")
ROOT = {"facebook": "108000000000001_5647382910", "instagram": "17900000000000001"}
ACCOUNT = {"facebook": DEMO_PAGE_ID, "instagram": DEMO_IG_USER_ID}


def meta_adapter(fake, platform):
    cls = FacebookPageAdapter if platform == "facebook" else InstagramAdapter
    return cls(base_url=fake.graph_url(platform), token=fake.page_token(), account_id=ACCOUNT[platform])


def comments_of(adapter, root):
    """One page of a root's comments through fetch_page, as a sweep reads it."""
    return adapter.fetch_page(cursor={"phase": "comments", "queue": [root]})


@pytest.mark.parametrize("platform", META)
@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("error_100_does_not_exist.json", ChannelNotFound),
        ("error_100_named_permission.json", ChannelPermissionError),
        ("error_1_not_transient.json", ChannelPermanentError),  # "is_transient": false wins over code 1
        ("error_2_transient.json", ChannelUnavailable),
    ],
)
def test_error_bodies_map_to_the_right_error(fake_platforms, platform, name, error):
    replay(fake_platforms, "5647382910_1", name, status=400, platform=platform)
    with pytest.raises(error) as caught:
        meta_adapter(fake_platforms, platform).get_item(platform_id="5647382910_1")
    assert type(caught.value) is error


@pytest.mark.parametrize("platform", META)
def test_deleting_a_comment_that_no_longer_exists_counts_as_done(fake_platforms, platform):
    path, name = "5647382910_9999", "error_100_does_not_exist.json"
    replay(fake_platforms, path, name, method="DELETE", status=400, platform=platform)
    meta_adapter(fake_platforms, platform).delete(platform_id=path)  # no error: the goal is reached
    assert [r["path"] for r in replayed(fake_platforms)] == [path]


@pytest.mark.parametrize(
    ("platform", "name", "kept"),
    [
        # Facebook: ids recovered from permalink_url (comment_id, reply_comment_id); one has neither.
        (
            "facebook",
            "fb_comments_missing_ids.json",
            {"5647382910_9001", "5647382910_9002", "5647382910_9004"},
        ),
        # Instagram has no permalink on a comment: the entry is skipped and counted.
        ("instagram", "ig_comments_missing_id.json", {"17858893269000010"}),
    ],
)
def test_entries_without_an_id_are_recovered_or_counted_and_the_post_is_not_complete(
    fake_platforms, platform, name, kept
):
    replay(fake_platforms, f"{ROOT[platform]}/comments", name, platform=platform)
    page = comments_of(meta_adapter(fake_platforms, platform), ROOT[platform])
    assert {i.platform_id for i in page.items} == kept
    assert page.skipped == 1
    assert page.completed_roots == []  # never infer a deletion from a listing that skipped entries


@pytest.mark.parametrize(
    ("platform", "first", "second", "ids"),
    [
        (
            "facebook",
            "fb_comments_time_paging_1.json",
            "fb_comments_time_paging_2.json",
            ("5647382910_9201",),
        ),
        (
            "instagram",
            "ig_comments_time_paging_1.json",
            "ig_comments_time_paging_2.json",
            ("17858893269000021", "17858893269000022"),
        ),
    ],
)
def test_listings_paged_by_time_are_followed_without_the_token(fake_platforms, platform, first, second, ids):
    adapter = meta_adapter(fake_platforms, platform)
    path = f"{ROOT[platform]}/comments"
    replay(fake_platforms, path, first, platform=platform)
    replay(fake_platforms, path, second, platform=platform)
    page = comments_of(adapter, ROOT[platform])
    assert not page.done  # paging.next without cursors is a next page, not the end
    items = page.items + adapter.fetch_page(cursor=page.cursor).items
    assert set(ids) <= {i.platform_id for i in items}
    followed = replayed(fake_platforms)[1]["query"]
    assert followed["until"]
    assert followed["__paging_token"]
    assert "access_token" not in followed  # the token echoed in the link is never sent on


@pytest.mark.parametrize(
    ("platform", "name", "platform_id", "author"),
    [
        ("facebook", "fb_comments_missing_ids.json", "5647382910_9004", ("7281930000004", "Jo Resident")),
        # Instagram comments with `username` but no `from` keep their author, as "@<username>".
        ("instagram", "ig_comments_username_only.json", "17858893269000001", ("@tenant.ruth", "tenant.ruth")),
    ],
)
def test_comment_authors_from_either_shape(fake_platforms, platform, name, platform_id, author):
    replay(fake_platforms, f"{ROOT[platform]}/comments", name, platform=platform)
    by_id = {
        i.platform_id: i for i in comments_of(meta_adapter(fake_platforms, platform), ROOT[platform]).items
    }
    found = by_id[platform_id].author
    assert (found.platform_user_id, found.display_name) == author


@pytest.mark.parametrize(
    ("platform", "path", "name", "platform_id", "media"),
    [
        (
            "facebook",
            f"{ROOT['facebook']}/comments",
            "fb_comments_attachments.json",
            "5647382910_9101",
            "https://scontent.example.invalid/v/stairwell.jpg",
        ),
        (
            "instagram",
            f"{DEMO_IG_USER_ID}/tags",
            "ig_tags.json",
            "17900000099000001",
            "https://scontent.cdninstagram.example.invalid/v/flood.jpg",
        ),
    ],
)
def test_photos_fill_media_urls(fake_platforms, platform, path, name, platform_id, media):
    replay(fake_platforms, path, name, platform=platform)
    adapter = meta_adapter(fake_platforms, platform)
    if path.endswith("/tags"):
        page = adapter.fetch_page(cursor={"phase": "mentions", "queue": []})
    else:
        page = comments_of(adapter, ROOT[platform])
    by_id = {i.platform_id: i for i in page.items}
    assert by_id[platform_id].media_urls == (media,)


@pytest.mark.parametrize("platform", META)
def test_the_account_s_tagged_listing_is_read_as_mentions(fake_platforms, platform):
    """Facebook /{page}/tagged and Instagram /{ig-user}/tags: others' posts, kind mention."""
    fake_platforms.add_mentions(2, platform=platform, on="media" if platform == "facebook" else "tagged")
    page = meta_adapter(fake_platforms, platform).fetch_page(cursor={"phase": "mentions", "queue": []})
    assert len(page.items) == 2
    assert {i.kind for i in page.items} == {"mention"}
    assert all(i.author and i.author.display_name.lower().startswith("tagger") for i in page.items)


@pytest.mark.parametrize("platform", META)
def test_one_failing_post_is_passed_over_and_not_complete(fake_platforms, platform):
    adapter = meta_adapter(fake_platforms, platform)
    first, second = fake_platforms.add_post(platform), fake_platforms.add_post(platform)
    [comment] = fake_platforms.add_comments(second["id"], 1, platform=platform)
    replay(fake_platforms, f"{first['id']}/comments", "error_2_transient.json", platform=platform, status=500)
    page = adapter.fetch_page(cursor={"phase": "comments", "queue": [first["id"], second["id"]]})
    [failure] = page.errors
    assert (failure.part, failure.platform_id, failure.error) == (
        "comments",
        first["id"],
        "ChannelUnavailable",
    )
    assert page.completed_roots == []  # nothing under the failed post may be taken as deleted
    after = adapter.fetch_page(cursor=page.cursor)  # the sweep carries on with the next post
    assert [i.platform_id for i in after.items] == [comment]
    assert after.completed_roots == [second["id"]]


@pytest.mark.parametrize("platform", META)
def test_a_failing_mentions_listing_is_passed_over(fake_platforms, platform):
    edge = "tagged" if platform == "facebook" else "tags"
    replay(
        fake_platforms, f"{ACCOUNT[platform]}/{edge}", "error_2_transient.json", platform=platform, status=500
    )
    page = meta_adapter(fake_platforms, platform).fetch_page(cursor={"phase": "mentions", "queue": ["r1"]})
    [failure] = page.errors
    assert (failure.part, failure.platform_id) == ("mentions", ACCOUNT[platform])
    assert page.cursor == {"phase": "comments", "queue": ["r1"]}  # on to the comments


def _parsed(platform, name):
    handler = (FacebookWebhook if platform == "facebook" else InstagramWebhook)(app_secrets=["s"])
    return handler.parse(payload=json.loads((META_FIXTURES / name).read_text()))


@pytest.mark.parametrize(
    ("platform", "name", "entry_time"),
    [
        ("facebook", "webhook_feed_photo.json", 1763989200),  # a photo comment with no created_time
        ("instagram", "webhook_ig_comment_no_time.json", 1763996400),  # Instagram comments never carry one
    ],
)
def test_webhook_changes_without_a_time_of_their_own_take_the_entry_time(platform, name, entry_time):
    [change] = _parsed(platform, name)
    assert change.item is not None
    assert change.item.created_at == datetime.fromtimestamp(entry_time, tz=UTC)
    if platform == "facebook":
        assert change.item.media_urls == ("https://scontent.example.invalid/v/damp.jpg",)


def test_older_feed_webhooks_name_the_author_with_sender_fields():
    [change] = _parsed("facebook", "webhook_feed_sender_fields.json")
    assert change.item is not None
    assert change.item.author is not None
    assert (change.item.author.platform_user_id, change.item.author.display_name) == (
        "7281930000031",
        "Old Format",
    )


def test_a_mention_webhook_that_carries_its_text_keeps_it_for_when_the_read_fails():
    [change] = _parsed("facebook", "webhook_mention_with_message.json")
    assert change.mention_ref
    assert change.mention_ref["post_id"] == "7281930000051_880009501"
    assert change.carried is not None
    assert change.carried.text.startswith("Havebury Housing Partnership still")
    assert change.carried.created_at == datetime.fromtimestamp(1763992799, tz=UTC)


@pytest.mark.parametrize(
    "attached",
    [
        {"photo": "/_media/damp.png"},  # as a feed webhook carries it
        {"attachment": {"type": "photo", "media": {"image": {"src": "/_media/damp.png"}}}},  # as a read
    ],
)
def test_a_comment_injected_with_a_photo_reads_and_notifies_like_a_real_photo_comment(
    fake_platforms, attached
):
    post = fake_platforms.add_post()
    fake_platforms.capture_webhooks()
    made = fake_platforms.admin(
        "POST", "comments", {"root_id": post["id"], "text": "Look at this", **attached}
    )
    src = f"{fake_platforms.base_url}/_media/damp.png"
    assert requests.get(src, timeout=5).headers["Content-Type"] == "image/png"

    read = {i.platform_id: i for i in comments_of(meta_adapter(fake_platforms, "facebook"), post["id"]).items}
    assert read[made["id"]].media_urls == (src,)
    [body] = fake_platforms.webhook_bodies()
    [change] = FacebookWebhook(app_secrets=["s"]).parse(payload=json.loads(body))
    assert change.item is not None
    assert (change.item.platform_id, change.item.media_urls) == (made["id"], (src,))


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"platform": "instagram", "photo": "/_media/damp.png"}, "Instagram comments are text"),
        ({"attachment": {"type": "video_inline", "url": "https://example.invalid/v"}}, "Only photo"),
        ({"photo": "damp.png"}, "a URL or a /_media/"),
    ],
)
def test_the_fake_refuses_a_photo_it_cannot_attach(fake_platforms, body, error):
    fake_platforms.add_post(platform=body.get("platform", "facebook"))  # something to comment on
    answer = requests.post(f"{fake_platforms.base_url}/_admin/comments", json=body, timeout=5)
    assert answer.status_code == 400
    assert error in answer.json()["error"]


def test_every_meta_fixture_is_served_through_an_adapter_here_and_documented():
    """Issue 7: the contract covers every real shape in tests/fixtures/meta/; a new fixture must be
    used by a test above (through the adapters) and listed in the folder's README."""
    source = Path(__file__).read_text()
    readme = (META_FIXTURES / "README.md").read_text()
    names = sorted(p.name for p in META_FIXTURES.glob("*.json"))
    assert len(names) >= 17
    assert [n for n in names if f'"{n}"' not in source] == []
    listed = [
        n for n in names if f"`{n}`" in readme or f"`{n.removesuffix('_2.json')}_1.json`, `_2.json`" in readme
    ]
    assert listed == names
