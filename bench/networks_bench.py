"""X, YouTube and LinkedIn: API calls (X post reads, YouTube quota units) per 100 new comments,
against a naive poller that lists everything each time; and how long an X monthly read budget
and a YouTube daily quota last for a page with 500 comments a day at the default poll interval.

    python -m bench.networks_bench [--history 300] [--per-day 500]

Real adapters against the in-process fake server over loopback HTTP; no database. The
"naive" pollers are written here with the same HTTP clients: X lists the last 7 days of
mentions and searches each conversation with no since_id; YouTube lists every video's
threads (videoId=) and every thread's replies; LinkedIn lists with the default page size (10).
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import threading
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "havebury_social.settings.base")
django.setup()

from werkzeug.serving import make_server  # noqa: E402

from bench.report import write_section  # noqa: E402
from fakeplatforms import FakePlatforms  # noqa: E402
from fakeplatforms.linkedin import DEMO_LI_ORG_ID  # noqa: E402
from fakeplatforms.x import DEMO_X_USER_ID  # noqa: E402
from fakeplatforms.youtube import DEMO_YT_CHANNEL_ID  # noqa: E402
from moderation.channels.linkedin import LinkedInAdapter  # noqa: E402
from moderation.channels.x import XAdapter  # noqa: E402
from moderation.channels.x.adapter import LIST_PARAMS  # noqa: E402
from moderation.channels.youtube import YouTubeAdapter  # noqa: E402

POLL_SECONDS = 300  # Channel.poll_interval's default
POLLS_PER_DAY = 86400 // POLL_SECONDS
X_BUDGET = 15_000  # X_MONTHLY_READ_BUDGET's default
YT_QUOTA = 10_000


def sweep(adapter: Any, cursor: dict[str, Any]) -> dict[str, Any]:
    while True:
        page = adapter.fetch_page(cursor=cursor)
        cursor = page.cursor
        if page.done:
            return cursor


class World:
    def __init__(self, seed: int) -> None:
        self.app = FakePlatforms(rate_limit_per_hour=10**9)
        self.app.seed("empty")
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        self.rng = random.Random(seed)

    def token(self, fake: Any) -> str:
        return str(fake.issue_token(lifetime=0)["access_token"])


# -- X -----------------------------------------------------------------------------------------
def x_setup(w: World, history: int) -> list[str]:
    fake = w.app.x
    for i in range(40):
        fake.add_user(str(2244994945 + i), f"Tenant {i}", f"tenant{i}")
    roots = [fake.add_tweet(author_id=DEMO_X_USER_ID, text=f"post {i}")["id"] for i in range(7)]
    x_add(w, roots, history)
    return roots


def x_add(w: World, roots: list[str], n: int) -> None:
    """New posts like a real week: 60% replies to us, 20% replies to tenants in our threads, 20% mentions."""
    fake = w.app.x
    for _ in range(n):
        author = str(2244994945 + w.rng.randrange(40))
        roll = w.rng.random()
        if roll < 0.6:
            fake.add_tweet(author_id=author, text="reply", reply_to=w.rng.choice(roots))
        elif roll < 0.8:
            thread = [
                t["id"]
                for t in fake._tweets()
                if t["conversation_id"] in roots and t["author_id"] != DEMO_X_USER_ID
            ]
            fake.add_tweet(author_id=author, text="aside", reply_to=w.rng.choice(thread or roots))
        else:
            fake.add_tweet(author_id=author, text="@Havebury hello")


def x_naive(adapter: XAdapter, roots: list[str]) -> None:
    client = adapter.client
    for path, params, token_name in [(f"2/users/{DEMO_X_USER_ID}/mentions", {}, "pagination_token")] + [
        ("2/tweets/search/recent", {"query": f"conversation_id:{r}"}, "next_token") for r in roots
    ]:
        token = None
        while True:
            query = {**LIST_PARAMS, "max_results": 100, **params, **({token_name: token} if token else {})}
            body = client.call("GET", path, bucket="naive", params=query)
            token = body.get("meta", {}).get("next_token")
            if not token:
                break


def x_adapter(w: World) -> XAdapter:
    return XAdapter(base_url=f"{w.base}/x", token=w.token(w.app.x), account_id=DEMO_X_USER_ID)


def x_rows(w: World, history: int, per_day: int) -> tuple[str, str]:
    roots = x_setup(w, history)
    adapter = x_adapter(w)
    cursor = sweep(adapter, {})
    calls, reads = adapter.api_calls, adapter.units_spent
    x_add(w, roots, 100)
    cursor = sweep(adapter, cursor)
    ours = (adapter.api_calls - calls, adapter.units_spent - reads)
    naive = x_adapter(w)
    x_naive(naive, roots)
    per_naive_poll = naive.units_spent
    calls, reads = adapter.api_calls, adapter.units_spent
    for poll in range(POLLS_PER_DAY):  # one day at the default interval
        x_add(w, roots, per_day * (poll + 1) // POLLS_PER_DAY - per_day * poll // POLLS_PER_DAY)
        cursor = sweep(adapter, cursor)
    day_calls, day_reads = adapter.api_calls - calls, adapter.units_spent - reads
    row = f"| X | {ours[0]} calls, **{ours[1]} post reads** | {naive.api_calls} calls, {per_naive_poll} post reads |"
    days = X_BUDGET / max(day_reads, 1)
    naive_day = per_naive_poll * POLLS_PER_DAY
    budget = (
        f"| X monthly read budget ({X_BUDGET:,} posts) | {day_calls:,} calls, {day_reads:,} post reads a day | "
        f"**{days:.1f} days** | {naive_day:,} post reads a day: {X_BUDGET / naive_day * 24:.1f} hours |"
    )
    return row, budget


# -- YouTube -------------------------------------------------------------------------------------
def yt_setup(w: World, history: int) -> list[str]:
    videos = [w.app.youtube.add_video(f"video {i}")["id"] for i in range(10)]
    yt_add(w, videos, history)
    return videos


def yt_adapter(w: World) -> YouTubeAdapter:
    return YouTubeAdapter(
        base_url=f"{w.base}/youtube",
        token=w.token(w.app.youtube),
        account_id=DEMO_YT_CHANNEL_ID,
        daily_quota=10**9,
    )


def yt_add(w: World, videos: list[str], n: int) -> None:
    fake = w.app.youtube
    tops = [c["id"] for c in fake.comments() if not c["parent"]]
    for _ in range(n):
        author = {"id": f"UCtenant{w.rng.randrange(10**8):016d}", "name": "@tenant"}
        if tops and w.rng.random() < 0.2:
            top = fake.live(w.rng.choice(tops))
            fake.add_comment(video_id=top["video"], text="reply", author=author, parent_id=top["id"])
        else:
            fake.add_comment(video_id=w.rng.choice(videos), text="comment", author=author)


def yt_naive(adapter: YouTubeAdapter, videos: list[str]) -> None:
    for video in videos:
        token = None
        while True:
            params = {
                "part": "snippet,replies",
                "videoId": video,
                "maxResults": 100,
                "textFormat": "plainText",
            }
            body = adapter._call(
                "GET",
                "commentThreads",
                what="commentThreads.list",
                params={**params, **({"pageToken": token} if token else {})},
            )
            for thread in body.get("items", []):
                if thread["snippet"]["totalReplyCount"] > len(thread.get("replies", {}).get("comments", [])):
                    adapter._call(
                        "GET",
                        "comments",
                        what="comments.list",
                        params={"part": "snippet", "parentId": thread["id"], "maxResults": 100},
                    )
            token = body.get("nextPageToken")
            if not token:
                break


def yt_rows(w: World, history: int, per_day: int) -> tuple[str, str]:
    videos = yt_setup(w, history)
    adapter = yt_adapter(w)
    cursor = sweep(adapter, {})
    units = adapter.units_spent
    yt_add(w, videos, 100)
    cursor = sweep(adapter, cursor)
    ours = (adapter.api_calls, adapter.units_spent - units)
    naive = yt_adapter(w)
    yt_naive(naive, videos)
    units = adapter.units_spent
    for poll in range(POLLS_PER_DAY):
        yt_add(w, videos, per_day * (poll + 1) // POLLS_PER_DAY - per_day * poll // POLLS_PER_DAY)
        cursor = sweep(adapter, cursor)
    day_units = adapter.units_spent - units
    naive_day = naive.units_spent * POLLS_PER_DAY
    row = f"| YouTube | **{ours[1]} quota units** | {naive.units_spent} quota units |"
    budget = (
        f"| YouTube daily quota ({YT_QUOTA:,} units) | {day_units:,} units a day ({day_units / YT_QUOTA:.0%}) | "
        f"**every day** ({YT_QUOTA - day_units:,} units, {(YT_QUOTA - day_units) // 50} moderation actions, spare) | "
        + (
            f"{naive_day:,} units a day: runs out after {YT_QUOTA / naive_day * 24:.1f} hours |"
            if naive_day > YT_QUOTA
            else f"{naive_day:,} units a day ({naive_day / YT_QUOTA:.0%}); fits, with {(YT_QUOTA - naive_day) // 50} actions spare |"
        )
    )
    return row, budget


# -- LinkedIn ------------------------------------------------------------------------------------
def li_setup(w: World, history: int) -> list[str]:
    posts = [w.app.linkedin.add_post(f"post {i}")["id"] for i in range(10)]
    li_add(w, posts, history)
    return posts


def li_add(w: World, posts: list[str], n: int) -> None:
    for _ in range(n):
        w.app.linkedin.add_comment(
            post_urn=w.rng.choice(posts), actor=f"urn:li:person:T{w.rng.randrange(999)}", text="c"
        )


def li_adapter(w: World, **options: Any) -> LinkedInAdapter:
    return LinkedInAdapter(
        base_url=f"{w.base}/linkedin", token=w.token(w.app.linkedin), account_id=DEMO_LI_ORG_ID, **options
    )


def li_rows(w: World, history: int) -> str:
    posts = li_setup(w, history)
    ours = li_adapter(w)
    naive = li_adapter(w, page_size=10)
    sweep(ours, {})
    li_add(w, posts, 100)
    before = ours.api_calls
    sweep(ours, {})
    sweep(naive, {})
    return f"| LinkedIn | **{ours.api_calls - before} calls** (count={ours.page_size}) | {naive.api_calls} calls (count=10) |"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--history", type=int, default=300, help="Comments already there before the measured sweep."
    )
    parser.add_argument("--per-day", type=int, default=500, help="New comments a day for the budget figures.")
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    x_row, x_budget = x_rows(World(1), args.history, args.per_day)
    yt_row, yt_budget = yt_rows(World(2), args.history, args.per_day)
    li_row = li_rows(World(3), args.history)
    body = (
        f"Each platform starts with {args.history} comments (X: replies and mentions on 7 recent posts; YouTube: "
        "10 videos; LinkedIn: 10 posts), is swept once, gets 100 new comments, and is swept again. X is billed "
        "and capped by posts read, YouTube by quota units (list 1, write 50); LinkedIn publishes no limits, so calls.\n\n"
        "| platform | our poller: 100 new comments | naive poller: the same 100 |\n|---|---:|---:|\n"
        f"{x_row}\n{yt_row}\n{li_row}\n\n"
        f"One simulated day of {args.per_day} new comments at the default poll interval ({POLL_SECONDS} s, "
        f"{POLLS_PER_DAY} polls); the naive figure is one measured naive poll times {POLLS_PER_DAY}.\n\n"
        "| budget | our poller | lasts | naive poller |\n|---|---|---|---|\n"
        f"{x_budget}\n{yt_budget}\n\n"
        "X reads each new post once: since_id on every listing, and the conversation search leaves out replies "
        "that @mention us (the mentions listing has them), so polling more often costs requests, not reads. "
        "Past the budget, X polls wait for the next day's share (docs/channels.md)."
    )
    write_section(
        "X, YouTube and LinkedIn: reads and quota per 100 new comments",
        f"python -m bench.networks_bench --history {args.history} --per-day {args.per_day}",
        body,
    )
    print(body)


if __name__ == "__main__":
    main()
