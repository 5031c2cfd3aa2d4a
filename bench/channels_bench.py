"""Channel adapters against the fake platform server: API calls per 100 new comments, items/s.

    python -m bench.channels_bench [--posts 25] [--comments 2000]

Runs the fake server in-process on 127.0.0.1 (waitress-free werkzeug, threaded)
and sweeps it with the real Facebook and Instagram adapters over loopback HTTP.
No database is involved: this measures the adapters and the wire, not ingestion.
"""

from __future__ import annotations

import argparse
import logging
import os
import threading
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "havebury_social.settings.base")
django.setup()

from werkzeug.serving import make_server  # noqa: E402

from bench.report import write_section  # noqa: E402
from fakeplatforms import DEMO_IG_USER_ID, DEMO_PAGE_ID, DEMO_USER_ID, FakePlatforms  # noqa: E402
from moderation.channels.meta.facebook import FacebookPageAdapter  # noqa: E402
from moderation.channels.meta.instagram import InstagramAdapter  # noqa: E402


def sweep(adapter) -> tuple[int, int, float]:
    start, cursor, items = time.perf_counter(), {}, 0
    while True:
        page = adapter.fetch_page(cursor=cursor)
        items += len(page.items)
        cursor = page.cursor
        if page.done:
            return items, adapter.api_calls, time.perf_counter() - start


def build(platform: str, base: str, token: str):
    if platform == "facebook":
        return FacebookPageAdapter(base_url=f"{base}/facebook", token=token, account_id=DEMO_PAGE_ID)
    return InstagramAdapter(base_url=f"{base}/instagram", token=token, account_id=DEMO_IG_USER_ID)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=25)
    parser.add_argument(
        "--comments", type=int, default=2000, help="Comments per platform, spread over the posts."
    )
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    app = FakePlatforms(rate_limit_per_hour=10**9)
    app.seed("empty")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    token = app.world.issue_token(kind="page", user_id=DEMO_USER_ID, page_id=DEMO_PAGE_ID, lifetime=None)
    rows = []
    for platform in ("facebook", "instagram"):
        kind, owner = ("fb_post", DEMO_PAGE_ID) if platform == "facebook" else ("ig_media", DEMO_IG_USER_ID)
        roots = []
        for i in range(args.posts):
            obj = {
                "id": f"{owner}_{i}" if platform == "facebook" else str(17900000000000000 + i),
                "kind": kind,
                "owner": owner,
                "text": f"post {i}",
                "created": 1_764_000_000 + i,
            }
            app.world.data["objects"][obj["id"]] = obj
            roots.append(obj)
        writer = app.writer

        def add(n: int, roots=roots, platform=platform, writer=writer) -> None:
            for j in range(n):
                root = roots[j % len(roots)]
                app._add_quietly(
                    platform=platform,
                    root=root,
                    parent=None,
                    text=writer.comment()[1],
                    sender=writer.person(platform),
                )

        add(args.comments)
        items, calls, seconds = sweep(build(platform, base, token))
        add(100)  # 100 new comments since the last sweep
        _, calls_new, _ = sweep(build(platform, base, token))
        first_comments = items - args.posts
        rows.append(
            f"| {platform} | {args.posts} | {first_comments} | {calls} | {calls / first_comments * 100:.1f} | "
            f"{calls_new} | {items / seconds:,.0f} |"
        )
        print(rows[-1])
    server.shutdown()
    body = (
        f"Real adapters against the in-process fake server over loopback HTTP; {args.posts} recent posts per platform, "
        "default page sizes (Facebook 100 comments a page, Instagram 50 with replies expanded inline). "
        "A sweep re-lists every recent post's comments, so the calls for 100 new comments equal a full sweep's calls "
        "(the price of detecting edits and deletions by polling; webhooks deliver new comments without polling).\n\n"
        "| platform | posts | comments in first sweep | calls, first sweep | calls per 100 comments (first sweep) | "
        "calls to pick up 100 new comments | items fetched per second |\n|---|---:|---:|---:|---:|---:|---:|\n"
        + "\n".join(rows)
    )
    write_section(
        "Channel adapters against the fake platforms",
        f"python -m bench.channels_bench --posts {args.posts} --comments {args.comments}",
        body,
    )


if __name__ == "__main__":
    main()
