"""Demo data for X, YouTube and LinkedIn, in the same voice as the Meta seed (data/demo.json).

Deterministic for one seed; created over the last few days so X's 7-day recent search
still sees every conversation. Includes the awkward real shapes on purpose: a
suspended X author, a YouTube thread with more replies than fit inline, a comment held
for review, a video with comments disabled, a LinkedIn comment by another organisation.
"""

from __future__ import annotations

import random
import time

from fakeplatforms.linkedin import DEMO_LI_ORG, FakeLinkedIn
from fakeplatforms.seed import CommentWriter
from fakeplatforms.world import Obj
from fakeplatforms.x import DEMO_X_USER_ID, FakeX
from fakeplatforms.youtube import FakeYouTube


def seed_accounts(x: FakeX, youtube: FakeYouTube, linkedin: FakeLinkedIn) -> None:
    x.ensure_account()
    youtube.ensure_channel()
    linkedin.ensure_org()


def _handle(name: str) -> str:
    return name.lower().replace(" ", "")[:15]


def seed_networks(
    x: FakeX, youtube: FakeYouTube, linkedin: FakeLinkedIn, *, seed: int = 2026, now: float | None = None
) -> dict[str, int]:
    rng = random.Random(seed + 7)
    writer = CommentWriter(rng)
    seed_accounts(x, youtube, linkedin)
    end = (now if now is not None else time.time()) // 60 * 60
    start = end - 5 * 86400
    counts = {"x_posts": 0, "x_replies": 0, "x_mentions": 0, "yt_comments": 0, "li_comments": 0}

    people = [writer.person("facebook") for _ in range(30)]
    x_users = [
        x.add_user(str(2244994945 + i * 7919), p["name"], _handle(p["name"])) for i, p in enumerate(people)
    ]
    x_users.append(x.add_user("9999999999", "Gone Account", "goneaccount", suspended=True))
    for i in range(4):
        created = start + i * 1.1 * 86400 + rng.uniform(0, 3600)
        post = x.add_tweet(author_id=DEMO_X_USER_ID, text=writer.post()[1], created=created)
        counts["x_posts"] += 1
        thread = [post]
        for _ in range(rng.randint(4, 8)):
            created = min(end - 60, created + rng.expovariate(1 / 5400))
            parent = rng.choice(thread) if rng.random() < 0.3 else post
            author = rng.choice(x_users)
            reply = x.add_tweet(
                author_id=author["id"], text=writer.comment()[1], reply_to=parent["id"], created=created
            )
            thread.append(reply)
            counts["x_replies"] += 1
    for i in range(8):
        created = start + 3600 + i * (end - start - 7200) / 8
        author = rng.choice(x_users[:-1])
        x.add_tweet(author_id=author["id"], text=f"@Havebury {writer.comment()[1]}", created=created)
        counts["x_mentions"] += 1

    videos = [
        youtube.add_video(title, created=start + i * 86400)
        for i, title in enumerate(
            [
                "How to report a repair",
                "Meet the Estates team",
                "Damp and mould: what to do",
                "Community garden day",
            ]
        )
    ]
    youtube.add_video("Board meeting (comments off)", comments_disabled=True)
    yt_people = [
        {"id": f"UC{_handle(p['name']).ljust(20, 'x')[:20]}{i:02d}", "name": "@" + _handle(p["name"])}
        for i, p in enumerate(people)
    ]
    for video in videos:
        created = video["created"]
        for _ in range(rng.randint(5, 9)):
            created = min(end - 60, created + rng.expovariate(1 / 7200))
            status = "heldForReview" if rng.random() < 0.12 else "published"
            top = youtube.add_comment(
                video_id=video["id"],
                text=writer.comment()[1],
                author=rng.choice(yt_people),
                status=status,
                created=created,
            )
            counts["yt_comments"] += 1
            replies = rng.choice([0, 0, 0, 1, 2, 7])  # 7 is more than the 5 a thread shows inline
            for _ in range(replies):
                created = min(end - 30, created + rng.uniform(120, 3600))
                youtube.add_comment(
                    video_id=video["id"],
                    text=writer.comment()[1],
                    author=rng.choice(yt_people),
                    parent_id=top["id"],
                    created=created,
                )
                counts["yt_comments"] += 1

    for i in range(4):
        created = start + i * 1.2 * 86400
        post = linkedin.add_post(writer.post()[1], created=created)
        for j in range(rng.randint(3, 6)):
            created = min(end - 60, created + rng.expovariate(1 / 9000))
            actor = (
                "urn:li:organization:5550101"
                if (i, j) == (1, 0)
                else f"urn:li:person:Hvb{rng.randint(1000, 9999)}"
            )
            top = linkedin.add_comment(
                post_urn=post["id"], actor=actor, text=writer.comment()[1], created=created
            )
            counts["li_comments"] += 1
            if rng.random() < 0.3:
                linkedin.add_comment(
                    post_urn=post["id"],
                    actor=DEMO_LI_ORG,
                    text=rng.choice(writer.text["page_replies"]),
                    parent_urn=top["id"],
                    created=min(end - 30, created + 900),
                )
                counts["li_comments"] += 1
    return counts


def trickle_network(
    platform: str, x: FakeX, youtube: FakeYouTube, linkedin: FakeLinkedIn, writer: CommentWriter
) -> Obj:
    """One new public comment on X, YouTube or LinkedIn, as the demo trickle adds them (`make run`),
    so every network keeps filling the queue and not only Facebook and Instagram. No webhook: these
    three are polled. Raises LookupError when the demo account has nothing to comment on."""
    rng = writer.rng
    text = writer.comment()[1]
    person = writer.person("facebook")
    handle = _handle(person["name"])
    if platform == "x":
        user = x.add_user(str(2244994945 + int(person["id"]) % 10**6 * 7919), person["name"], handle)
        if rng.random() < 0.25:  # now and then a mention rather than a reply to one of our posts
            return x.add_tweet(author_id=user["id"], text=f"@Havebury {text}")
        ours = [
            o
            for o in x.state["objects"].values()
            if o.get("kind") == "tweet"
            and o["author_id"] == DEMO_X_USER_ID
            and not o["refs"]
            and not o.get("deleted")
        ]
        if not ours:
            raise LookupError("No X post of the demo account to reply to; seed the server first.")
        post = max(ours, key=lambda o: o["created"])
        return x.add_tweet(author_id=user["id"], text=text, reply_to=post["id"])
    if platform == "youtube":
        videos = [v for v in youtube.state["videos"].values() if not v["comments_disabled"]]
        if not videos:
            raise LookupError("No YouTube video that takes comments; seed the server first.")
        video = max(videos, key=lambda v: v["created"])
        author = {"id": f"UC{handle.ljust(20, 'x')[:20]}{rng.randint(0, 99):02d}", "name": "@" + handle}
        return youtube.add_comment(video_id=video["id"], text=text, author=author)
    if platform == "linkedin":
        posts = [
            o
            for o in linkedin.state["objects"].values()
            if o.get("kind") == "li_post" and not o.get("deleted")
        ]
        if not posts:
            raise LookupError("No LinkedIn post of the organisation to comment on; seed the server first.")
        post = max(posts, key=lambda o: o["created"])
        actor = f"urn:li:person:Hvb{rng.randint(1000, 9999)}"
        return linkedin.add_comment(post_urn=post["id"], actor=actor, text=text)
    raise LookupError(f"No demo trickle for {platform!r}.")
