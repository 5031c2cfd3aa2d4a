"""Contract tests: the fake X, YouTube and LinkedIn speak the shapes in docs/channels.md ("X, YouTube and LinkedIn").

Keys are compared with the documented examples (and with payloads/), so the fake
cannot drift from what the adapters will meet on the real platforms.
"""

import requests

from fakeplatforms.linkedin import DEMO_LI_ORG
from fakeplatforms.x import DEMO_X_USER_ID
from fakeplatforms.youtube import DEMO_YT_CHANNEL_ID
from moderation.channels.x.parse import EXPANSIONS, TWEET_FIELDS, USER_FIELDS
from tests.channels.conftest import network_token
from tests.channels.networks import payload

X_TWEET_KEYS = {
    "id",
    "text",
    "author_id",
    "conversation_id",
    "created_at",
    "edit_history_tweet_ids",
    "entities",
}


def get(fake, platform, path, token, **params):
    headers = {"Authorization": f"Bearer {token}"}
    if platform == "linkedin":
        headers |= {"LinkedIn-Version": "202609", "X-Restli-Protocol-Version": "2.0.0"}
    return requests.get(f"{fake.graph_url(platform)}/{path}", params=params, headers=headers, timeout=5)


def test_x_list_shape_headers_and_errors(fake_platforms):
    token = network_token(fake_platforms, "x")
    fake_platforms.admin("POST", "x/posts", {"text": "@Havebury hello", "author_id": "2244994945"})
    fake_platforms.admin("POST", "x/posts", {"text": "@Havebury again", "author_id": "2244994946"})
    params = {
        "tweet.fields": TWEET_FIELDS,
        "expansions": EXPANSIONS,
        "user.fields": USER_FIELDS,
        "max_results": 5,
    }
    response = get(fake_platforms, "x", f"2/users/{DEMO_X_USER_ID}/mentions", token, **params)
    body = response.json()
    assert set(body) == {"data", "includes", "meta"}
    assert set(body["data"][0]) == X_TWEET_KEYS
    assert set(body["includes"]["users"][0]) == {"id", "name", "username"}
    assert set(body["meta"]) == {"result_count", "newest_id", "oldest_id"}  # last page: no next_token
    assert {"x-rate-limit-limit", "x-rate-limit-remaining", "x-rate-limit-reset"} <= set(
        response.headers.keys() | {h.lower() for h in response.headers}
    )
    documented = payload("x_mentions_partial.json")
    assert set(body["meta"]) <= set(documented["meta"])
    bad = get(fake_platforms, "x", f"2/users/{DEMO_X_USER_ID}/mentions", token, max_results=1).json()
    assert set(bad) >= {"title", "detail", "type"}
    assert bad["type"].endswith("invalid-request")
    expired = get(fake_platforms, "x", "2/users/me", "nope")
    assert expired.status_code == 401
    assert expired.json() == payload("x_errors.json")["401"]
    gone = get(fake_platforms, "x", "2/tweets/1861200000000000002", token).json()
    assert set(gone) == {"errors"}
    assert set(gone["errors"][0]) == set(payload("x_lookup_deleted.json")["errors"][0])


def test_x_rate_limit_and_usage_cap_answers(fake_platforms):
    token = network_token(fake_platforms, "x")
    fake_platforms.admin(
        "POST", "x/failures", {"failures": [{"kind": "rate_limit"}, {"kind": "usage_capped"}]}
    )
    limited = get(fake_platforms, "x", "2/users/me", token)
    assert limited.status_code == 429
    assert limited.json() == payload("x_errors.json")["429"]
    assert limited.headers["x-rate-limit-remaining"] == "0"
    capped = get(fake_platforms, "x", "2/users/me", token)
    assert capped.status_code == 429
    assert capped.json()["type"] == payload("x_errors.json")["429-capped"]["type"]


def test_youtube_thread_shape_quota_and_auth_errors(fake_platforms):
    token = network_token(fake_platforms, "youtube")
    top = fake_platforms.admin("POST", "youtube/comments", {"text": "Damp again"})
    for i in range(6):
        fake_platforms.admin(
            "POST", "youtube/comments", {"text": f"r{i}", "parent_id": top["id"], "video_id": top["video"]}
        )
    documented = payload("youtube_threads_partial_replies.json")
    body = get(
        fake_platforms,
        "youtube",
        "youtube/v3/commentThreads",
        token,
        part="snippet,replies",
        allThreadsRelatedToChannelId=DEMO_YT_CHANNEL_ID,
        textFormat="plainText",
    ).json()
    assert set(body) == set(documented) - {"nextPageToken"}
    thread = body["items"][0]
    assert set(thread) == set(documented["items"][0])
    assert set(thread["snippet"]) == set(documented["items"][0]["snippet"])
    doc_comment = documented["items"][0]["snippet"]["topLevelComment"]["snippet"]
    assert set(thread["snippet"]["topLevelComment"]["snippet"]) <= set(doc_comment) | {
        "authorProfileImageUrl"
    }
    assert thread["snippet"]["totalReplyCount"] == 6
    assert len(thread["replies"]["comments"]) == 5
    fake_platforms.admin("POST", "youtube/quota", {"limit": 10_000, "used": 10_000})
    over = get(
        fake_platforms,
        "youtube",
        "youtube/v3/commentThreads",
        token,
        part="snippet",
        allThreadsRelatedToChannelId=DEMO_YT_CHANNEL_ID,
    )
    assert over.status_code == 403
    assert over.json()["error"]["errors"][0]["reason"] == "quotaExceeded"
    unauth = get(fake_platforms, "youtube", "youtube/v3/commentThreads", "nope", part="snippet")
    assert unauth.status_code == 401
    assert unauth.json() == payload("youtube_errors.json")["authError"]


def test_youtube_comments_disabled_answer(fake_platforms):
    token = network_token(fake_platforms, "youtube")
    video = fake_platforms.admin("POST", "youtube/videos", {"comments_disabled": True})["id"]
    off = get(fake_platforms, "youtube", "youtube/v3/commentThreads", token, part="snippet", videoId=video)
    documented = payload("youtube_errors.json")["commentsDisabled"]["error"]
    assert off.status_code == 403
    assert off.json()["error"]["errors"][0]["reason"] == "commentsDisabled"
    assert set(off.json()["error"]) >= set(documented)


def test_linkedin_comment_shape_paging_and_errors(fake_platforms):
    token = network_token(fake_platforms, "linkedin")
    post = fake_platforms.admin("POST", "linkedin/posts", {"text": "Open day"})["id"]
    top = fake_platforms.admin("POST", "linkedin/comments", {"post": post, "text": "Who do I call?"})["id"]
    fake_platforms.admin("POST", "linkedin/comments", {"post": post, "text": "Same", "parent": top})
    for i in range(11):
        fake_platforms.admin("POST", "linkedin/comments", {"post": post, "text": f"c{i}"})
    body = get(
        fake_platforms, "linkedin", f"rest/socialActions/{post}/comments", token, start=0, count=10
    ).json()
    documented = payload("linkedin_comments.json")
    assert set(body) == set(documented)
    assert set(body["paging"]) == {"start", "count", "total", "links"}
    assert body["paging"]["total"] == 12
    assert body["paging"]["links"][0]["rel"] == "next"
    first = body["elements"][0]
    assert set(first) - {"likesSummary"} <= set(documented["elements"][0])
    assert first["commentsSummary"]["aggregatedTotalComments"] == 1
    posts = get(fake_platforms, "linkedin", "rest/posts", token, q="author", author=DEMO_LI_ORG).json()
    assert {"id", "author", "commentary", "lifecycleState", "createdAt", "publishedAt"} <= set(
        posts["elements"][0]
    )
    errors = payload("linkedin_errors.json")
    unauth = get(fake_platforms, "linkedin", "rest/posts", "nope", q="author", author=DEMO_LI_ORG)
    assert unauth.status_code == 401
    assert unauth.json() == errors["401"]
    fake_platforms.admin("POST", "linkedin/failures", {"failures": [{"kind": "rate_limit"}]})
    throttled = get(fake_platforms, "linkedin", "rest/posts", token, q="author", author=DEMO_LI_ORG)
    assert throttled.status_code == 429
    assert throttled.json() == errors["429"]
    old = requests.get(
        f"{fake_platforms.graph_url('linkedin')}/rest/posts",
        headers={
            "Authorization": f"Bearer {token}",
            "LinkedIn-Version": "202401",
            "X-Restli-Protocol-Version": "2.0.0",
        },
        timeout=5,
    )
    assert old.status_code == 426
    assert set(old.json()) == set(errors["426"])
