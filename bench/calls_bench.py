"""Platform calls per 100 new comments, by polling and by webhook, per platform (issue 12).

    python -m bench.calls_bench [--history 300] [--posts 25]

Real adapters and the app's own webhook handlers against the in-process fake server over
loopback HTTP; no database. For each platform: the history is there and swept once; then a
poll with nothing new; then 100 new comments and the poll that picks them up.

By webhook (Facebook, Instagram): the fake platform signs its webhook bodies as Meta does;
each body is verified and parsed with the handler the app uses (moderation/channels/meta), and
only what a body cannot give is read back with `adapter.get_mention`, as
services/ingest/webhooks.py does: a comment arrives whole (0 reads), a mention only names the
object (1 read each). Polling still runs beside webhooks (to catch what a lost webhook missed),
but no longer has to be frequent. X, YouTube and LinkedIn have no comment webhooks here (X's
and LinkedIn's need paid or approved products that are not built; YouTube has no push for
comments): polling only.
"""

from __future__ import annotations

import argparse
import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench.networks_bench import (  # sets Django up
    World,
    li_adapter,
    li_add,
    li_setup,
    sweep,
    x_adapter,
    x_add,
    x_setup,
    yt_adapter,
    yt_add,
    yt_setup,
)
from bench.report import write_section
from fakeplatforms import DEMO_IG_USER_ID, DEMO_PAGE_ID, DEMO_USER_ID, FakePlatforms
from fakeplatforms.app import DEFAULT_APP_SECRET
from moderation.channels.meta.facebook import FacebookPageAdapter, FacebookWebhook
from moderation.channels.meta.instagram import InstagramAdapter, InstagramWebhook

NEW = 100


@dataclass(frozen=True)
class Cost:
    calls: int
    units: int  # what the platform bills: X post reads, YouTube quota units; Meta's are calls

    def text(self, unit: str | None) -> str:
        return f"{self.calls} ({self.units} {unit})" if unit else str(self.calls)


def measure(adapter: Any, add: Callable[[int], None]) -> tuple[Cost, Cost]:
    """Sweep the history once (a channel's first poll); then the cost of a poll with nothing new,
    and of the poll after `add(NEW)` new comments."""
    cursor = sweep(adapter, {})
    quiet, cursor = swept(adapter, cursor)
    add(NEW)
    new, _ = swept(adapter, cursor)
    return quiet, new


def swept(adapter: Any, cursor: dict[str, Any]) -> tuple[Cost, dict[str, Any]]:
    calls, units = adapter.api_calls, billed(adapter)
    cursor = sweep(adapter, cursor)
    return Cost(adapter.api_calls - calls, billed(adapter) - units), cursor


def billed(adapter: Any) -> int:
    return int(getattr(adapter, "units_spent", adapter.api_calls))


class Meta:
    """One fake server with the Meta platforms, webhooks captured (signed) instead of sent."""

    def __init__(self, posts: int, history: int) -> None:
        from werkzeug.serving import make_server

        self.app = FakePlatforms(rate_limit_per_hour=10**9)
        self.app.seed("empty")
        self.app.webhooks.url = (
            "http://127.0.0.1:9/{platform}"  # queued, never sent: the thread is not started
        )
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        self.token = self.app.world.issue_token(
            kind="page", user_id=DEMO_USER_ID, page_id=DEMO_PAGE_ID, lifetime=None
        )
        self.posts, self.history = posts, history

    def adapter(self, platform: str) -> Any:
        if platform == "facebook":
            return FacebookPageAdapter(
                base_url=f"{self.base}/facebook", token=self.token, account_id=DEMO_PAGE_ID
            )
        return InstagramAdapter(
            base_url=f"{self.base}/instagram", token=self.token, account_id=DEMO_IG_USER_ID
        )

    def roots(self, platform: str) -> list[str]:
        kind, owner = ("fb_post", DEMO_PAGE_ID) if platform == "facebook" else ("ig_media", DEMO_IG_USER_ID)
        ids = []
        for i in range(self.posts):
            oid = f"{owner}_{i}" if platform == "facebook" else str(17900000000000000 + i)
            with self.app.world.changing() as data:
                data["objects"][oid] = {
                    "id": oid,
                    "kind": kind,
                    "owner": owner,
                    "text": f"post {i}",
                    "created": 1_764_000_000 + i,
                }
            ids.append(oid)
        return ids

    def comment(self, platform: str, root: str, *, quietly: bool) -> None:
        sender = self.app.writer.person(platform)
        text = self.app.writer.comment()[1]
        if quietly:  # history: no webhook
            found = self.app.world.obj(root)
            assert found is not None  # made by roots()
            self.app._add_quietly(platform=platform, root=found, parent=None, text=text, sender=sender)
        else:
            self.app.add_comment(platform=platform, root_id=root, text=text, sender=sender)

    def deliveries(self) -> list[tuple[str, bytes]]:
        out = []
        while not self.app.webhooks.queue.empty():
            queued = self.app.webhooks.queue.get_nowait()
            if queued is not None:
                out.append(queued)
        return out


def webhook_calls(meta: Meta, platform: str, deliveries: list[tuple[str, bytes]]) -> tuple[int, int]:
    """(platform calls, changes) to ingest these deliveries the way the app does."""
    handler = (FacebookWebhook if platform == "facebook" else InstagramWebhook)(
        app_secrets=[DEFAULT_APP_SECRET]
    )
    adapter = meta.adapter(platform)
    changes = 0
    for _, body in deliveries:
        assert handler.verify(body=body, headers=meta.app.webhooks.headers(body))
        for change in handler.parse(payload=json.loads(body)):
            changes += 1
            if change.mention_ref is not None and change.item is None and change.verb in ("add", "edited"):
                adapter.get_mention(ref=change.mention_ref)  # the one read a webhook can need
    return adapter.api_calls, changes


def meta_row(platform: str, posts: int, history: int) -> str:
    meta = Meta(posts, history)
    roots = meta.roots(platform)
    for i in range(history):
        meta.comment(platform, roots[i % len(roots)], quietly=True)

    def add(n: int) -> None:
        for i in range(n):
            meta.comment(platform, roots[i % len(roots)], quietly=False)

    quiet, polled = measure(meta.adapter(platform), add)
    comment_hooks = meta.deliveries()
    hook_calls, hook_changes = webhook_calls(meta, platform, comment_hooks)
    assert hook_changes == NEW, hook_changes
    for _ in range(NEW):
        meta.app.add_mention(platform=platform)
    mention_calls, mention_changes = webhook_calls(meta, platform, meta.deliveries())
    meta.server.shutdown()
    label = "Facebook Page" if platform == "facebook" else "Instagram"
    return (
        f"| {label} | {quiet.calls} | {polled.calls} | **{hook_calls}** ({len(comment_hooks)} deliveries) | "
        f"{mention_calls} for {mention_changes} mentions | webhooks, with polling as the safety net |"
    )


def x_row(history: int) -> str:
    w = World(1)
    roots = x_setup(w, history)
    return polling_row(w, "X", x_adapter(w), lambda n: x_add(w, roots, n), unit="post reads")


def yt_row(history: int) -> str:
    w = World(2)
    videos = yt_setup(w, history)
    return polling_row(w, "YouTube", yt_adapter(w), lambda n: yt_add(w, videos, n), unit="quota units")


def li_row(history: int) -> str:
    w = World(3)
    posts = li_setup(w, history)
    return polling_row(w, "LinkedIn", li_adapter(w), lambda n: li_add(w, posts, n), unit=None)


def polling_row(w: World, label: str, adapter: Any, add: Callable[[int], None], *, unit: str | None) -> str:
    """A platform with no comment webhooks here: its two polls, in calls (and billed units)."""
    quiet, new = measure(adapter, add)
    w.server.shutdown()
    return f"| {label} | {quiet.text(unit)} | {new.text(unit)} | none | none | polling only |"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--history", type=int, default=300, help="Comments already there before the measured polls."
    )
    parser.add_argument("--posts", type=int, default=25, help="Recent Facebook posts / Instagram media.")
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    rows = [
        meta_row("facebook", args.posts, args.history),
        meta_row("instagram", args.posts, args.history),
        x_row(args.history),
        yt_row(args.history),
        li_row(args.history),
    ]
    for row in rows:
        print(row)
    body = (
        f"Each platform starts with {args.history} comments (Facebook and Instagram: over {args.posts} recent posts; "
        "X: replies and mentions on 7 posts; YouTube: 10 videos; LinkedIn: 10 posts) and is swept once. Then a poll "
        f"with nothing new, then {NEW} new comments: the calls of the poll that picks them up, and of ingesting the "
        "same comments from the webhooks the platform sent (each verified and parsed with the app's handler; a read "
        f"only where the body does not carry the item). Then {NEW} mentions by webhook. Real adapters against the "
        "in-process fake server over loopback HTTP.\n\n"
        f"| platform | polling: calls per poll, nothing new | polling: calls to pick up {NEW} new comments | "
        f"webhook: calls for the same {NEW} comments | webhook: calls for {NEW} mentions | how new comments arrive |\n"
        "|---|---:|---:|---:|---:|---|\n" + "\n".join(rows) + "\n\n"
        "A Meta poll re-lists every recent post's comments (that is how edits and deletions are seen), so its cost "
        "is the same whether 0 or 100 comments are new and is paid every interval; a webhook costs nothing when "
        "nothing happens and no read for a comment (Facebook's feed and Instagram's comments events carry the "
        "text and author). A mention names only the object, so each costs one read. X, YouTube and LinkedIn have no "
        "comment webhooks here (X's and LinkedIn's need paid or approved products that are not built; YouTube "
        "has none): polling only, made cheap with since-markers (X reads each new post once) and quota planning."
    )
    write_section(
        "Platform calls per 100 new comments: polling against webhooks",
        f"python -m bench.calls_bench --history {args.history} --posts {args.posts}",
        body,
    )


if __name__ == "__main__":
    main()
