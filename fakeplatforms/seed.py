"""Deterministic demo data: a realistic Havebury week on Facebook and Instagram.

Text lives in data/demo.json; the mix of comment kinds follows the weights
there (about three in five comments benign: praise, questions, chatter).
A handful of mentions (tenants tagging the Page, @mentions on Instagram) are
added last, so the posts and comments keep the ids they had without them.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from importlib import resources
from typing import Any

from fakeplatforms.world import Obj, World

DEMO_USER_ID = "100000000000100"
DEMO_PAGE_ID = "108000000000001"
DEMO_IG_USER_ID = "17841400000000001"
FB_POSTS = 16
IG_MEDIA = 7
FB_COMMENTS_PER_POST = (6, 26)
IG_COMMENTS_PER_MEDIA = (5, 18)


def demo_text() -> dict[str, Any]:
    raw = resources.files("fakeplatforms").joinpath("data/demo.json").read_text()
    return dict(json.loads(raw))


def seed_accounts(world: World) -> None:
    with world.changing() as d:
        d["users"][DEMO_USER_ID] = {"id": DEMO_USER_ID, "name": "Demo Lead", "pages": [DEMO_PAGE_ID]}
        d["pages"][DEMO_PAGE_ID] = {
            "id": DEMO_PAGE_ID,
            "name": "Havebury Housing Partnership",
            "ig_user_id": DEMO_IG_USER_ID,
            "blocked": [],
        }
        d["ig_users"][DEMO_IG_USER_ID] = {
            "id": DEMO_IG_USER_ID,
            "username": "haveburyhousing",
            "page_id": DEMO_PAGE_ID,
        }


class CommentWriter:
    """Picks comment text and commenters; shared by the seed and the demo trickle."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.text = demo_text()
        kinds = self.text["comments"]
        self.categories = list(kinds)
        self.weights = [kinds[c]["weight"] for c in self.categories]
        self.people = [
            (f"{first} {last}", 7281930456000 + i * 7919)
            for i, (first, last) in enumerate(
                (f, la) for f in self.text["first_names"] for la in self.text["last_names"]
            )
        ]
        self.rng.shuffle(self.people)
        self.people = self.people[:140]

    def person(self, platform: str) -> Obj:
        name, number = self.rng.choice(self.people)
        if platform == "facebook":
            return {"id": str(number), "name": name}
        return {"id": str(17841400100000000 + number % 10**8), "username": name.lower().replace(" ", ".")}

    def comment(self) -> tuple[str, str]:
        category = self.rng.choices(self.categories, weights=self.weights)[0]
        template = self.rng.choice(self.text["comments"][category]["texts"])
        friend = self.rng.choice(self.people)[0]
        text = template.format(
            street=self.rng.choice(self.text["streets"]),
            staff=self.rng.choice(self.text["staff"]),
            friend=friend,
            email=friend.lower().replace(" ", ".") + "@example.org",
        )
        return category, text

    def mention(self, platform: str) -> str:
        texts = self.text["mentions"]
        pool = texts["facebook"] if platform == "facebook" else texts["instagram_comments"]
        return self._fill(self.rng.choice(pool))

    def _fill(self, template: str) -> str:
        return template.format(
            street=self.rng.choice(self.text["streets"]), staff=self.rng.choice(self.text["staff"])
        )

    def post(self) -> tuple[str, str]:
        category = self.rng.choice(list(self.text["posts"]))
        template = self.rng.choice(self.text["posts"][category])
        return category, template.format(street=self.rng.choice(self.text["streets"]))


def seed_demo(
    world: World,
    *,
    seed: int = 2026,
    now: float | None = None,
    add_comment: Callable[..., Obj],
    add_mention: Callable[..., Obj] | None = None,
) -> dict[str, int]:
    """Fill the world with one week of posts and comments. Same seed, same text and ids."""
    rng = random.Random(seed)
    writer = CommentWriter(rng)
    seed_accounts(world)
    end = (now if now is not None else time.time()) // 3600 * 3600
    start = end - 7 * 86400
    counts = {"posts": 0, "media": 0, "comments": 0}
    roots: list[tuple[str, Obj]] = []
    for platform, n, owner in (
        ("facebook", FB_POSTS, DEMO_PAGE_ID),
        ("instagram", IG_MEDIA, DEMO_IG_USER_ID),
    ):
        for i in range(n):
            created = start + (i + rng.random() * 0.6) * (6.5 * 86400 / n)
            number = world.next_number()
            if platform == "facebook":
                obj_id, kind = f"{DEMO_PAGE_ID}_{1029384756 + number}", "fb_post"
            else:
                obj_id, kind = str(17900000000000000 + number), "ig_media"
            category, text = writer.post()
            obj = {
                "id": obj_id,
                "kind": kind,
                "owner": owner,
                "text": text,
                "created": created,
                "topic": category,
            }
            if kind == "ig_media":
                obj["media_type"] = rng.choice(["IMAGE", "CAROUSEL_ALBUM", "VIDEO"])
                obj["shortcode"] = "C" + "".join(
                    rng.choice("abcdefghijkmnpqrstuvwxyzABCDEFGH23456789") for _ in range(10)
                )
            with world.changing() as d:
                d["objects"][obj_id] = obj
            roots.append((platform, obj))
            counts["posts" if platform == "facebook" else "media"] += 1
    for platform, root in roots:
        low, high = FB_COMMENTS_PER_POST if platform == "facebook" else IG_COMMENTS_PER_MEDIA
        thread: list[Obj] = []
        for _ in range(rng.randint(low, high)):
            created = min(end - 60, root["created"] + rng.expovariate(1 / 14400))
            parent = rng.choice(thread) if thread and rng.random() < 0.2 else None
            if parent is not None and parent.get("parent"):
                parent = None
            _, text = writer.comment()
            sender = writer.person(platform)
            obj = add_comment(
                platform=platform, root=root, parent=parent, text=text, sender=sender, created=created
            )
            thread.append(obj)
            counts["comments"] += 1
            if parent is None and rng.random() < 0.12:  # the page answers some comments itself
                page_sender = (
                    {"id": DEMO_PAGE_ID, "name": "Havebury Housing Partnership"}
                    if platform == "facebook"
                    else {"id": DEMO_IG_USER_ID, "username": "haveburyhousing"}
                )
                reply = add_comment(
                    platform=platform,
                    root=root,
                    parent=obj,
                    text=rng.choice(writer.text["page_replies"]),
                    sender=page_sender,
                    created=min(end - 30, created + rng.uniform(600, 7200)),
                )
                thread.append(reply)
                counts["comments"] += 1
    if add_mention is not None:
        counts["mentions"] = _seed_mentions(writer, add_mention, start=start, end=end)
    # Added last (ids above unchanged): an abusive comment with a photo on the newest Facebook
    # post, so the demo shows media behind a click and the policy engine's image review.
    newest = max((r for p, r in roots if p == "facebook"), key=lambda r: r["created"])
    photo = add_comment(
        platform="facebook",
        root=newest,
        parent=None,
        text="Look at the state of this stairwell, you useless idiots",
        sender={"id": "7281930999001", "name": "Dan Photo"},
        created=end - 120,
    )
    with world.changing():
        photo["photo"] = "/_media/stairwell.png"  # served by the fake server; made absolute when read
    counts["comments"] += 1
    if add_mention is not None:  # added last too: photos of others that tag the Instagram account
        counts["tagged"] = _seed_tagged(writer, add_mention, start=start, end=end)
    return counts


def _seed_tagged(writer: CommentWriter, add_mention: Callable[..., Obj], *, start: float, end: float) -> int:
    """Media others posted with the Instagram account tagged in the photo (`/{ig-user}/tags`)."""
    texts = writer.text["mentions"]["instagram_tagged"]
    step = (end - start - 7200) / len(texts)
    for i, template in enumerate(texts):
        add_mention(
            platform="instagram",
            on="tagged",
            text=writer._fill(template),
            sender=writer.person("instagram"),
            created=start + 3600 + i * step + writer.rng.uniform(0, step / 2),
        )
    return len(texts)


def _seed_mentions(
    writer: CommentWriter, add_mention: Callable[..., Obj], *, start: float, end: float
) -> int:
    """Every mention text once: tagged posts on Facebook, captions and comments on Instagram."""
    texts = writer.text["mentions"]
    plan = (
        [("facebook", "media", t) for t in texts["facebook"]]
        + [("instagram", "media", t) for t in texts["instagram_captions"]]
        + [("instagram", "comment", t) for t in texts["instagram_comments"]]
    )
    step = (end - start - 3600) / len(plan)
    for i, (platform, on, template) in enumerate(plan):
        add_mention(
            platform=platform,
            on=on,
            text=writer._fill(template),
            sender=writer.person(platform),
            created=start + 1800 + i * step + writer.rng.uniform(0, step / 2),
        )
    return len(plan)
