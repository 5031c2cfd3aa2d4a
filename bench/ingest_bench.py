"""Ingestion into PostgreSQL: the batch upsert path against a per-item update_or_create loop and a COPY.

    python -m bench.ingest_bench [--items 5000] [--page-size 100] [--database-url postgres://postgres@127.0.0.1:5432/havebury_bench_ingest]

The same pages of Graph API comment JSON (bytes, as they come off the wire; one author per
three comments) go through three paths from empty tables; batch and loop take turns page by
page, so a shared machine's changing load falls on both alike:

- batch: what `channel_poll` does per page: parse with the Facebook adapter's parser, then
  `store_items` (one upsert of the page's new or renamed authors, one of its new or changed items
  per reply level, unchanged items marked seen, author counts) in one transaction per page;
- loop: the same parsing, then `Author.objects.update_or_create` and `Item.objects.update_or_create`
  for each comment, in one transaction per page;
- COPY: the same parsed rows written with two plain `COPY ... FROM STDIN` (authors, then items):
  a floor no upsert can beat, since it neither checks for existing rows nor returns ids.

Batch and loop also run a second time over the same pages (a re-poll: every row exists,
nothing changed); COPY cannot. Then batch runs alone (first poll and re-poll), for the rate
one worker ingests at when nothing else runs between its pages. Throwaway database (created if missing); its tables are truncated first.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.database import ensure_database

PAGE_ID = "108000000000001"


def make_pages(items: int, page_size: int) -> list[bytes]:
    """Graph-shaped comment pages; every 10th comment replies to the one before it."""
    start = datetime(2026, 11, 2, 9, tzinfo=UTC)
    pages, page = [], []
    for n in range(items):
        post = f"{PAGE_ID}_{n // 500}"
        comment: dict[str, Any] = {
            "id": f"{n // 500}_{1_000_000 + n}",
            "message": f"Comment {n}: the lift on the third floor is broken again, when will it be fixed?",
            "from": {"id": f"72819304{n // 3:07d}", "name": f"Tenant {n // 3}"},
            "created_time": (start + timedelta(seconds=n)).strftime("%Y-%m-%dT%H:%M:%S+0000"),
            "is_hidden": False,
            "permalink_url": f"https://www.facebook.com/{post}?comment_id={n}",
        }
        if n % 10 == 9:
            comment["parent"] = {"id": f"{(n - 1) // 500}_{1_000_000 + n - 1}"}
        page.append((post, comment))
        if len(page) == page_size:
            pages.append(json.dumps({"data": page}).encode())
            page = []
    if page:
        pages.append(json.dumps({"data": page}).encode())
    return pages


def parse(page: bytes) -> list[Any]:
    from moderation.channels.meta.facebook import comment_item

    return [comment_item(data, post_id=post) for post, data in json.loads(page)["data"]]


def run_batch(channel: Any, pages: list[bytes]) -> float:
    from django.db import transaction
    from django.utils import timezone

    from moderation.services.ingest.items import Counts, store_items

    start = time.perf_counter()
    for page in pages:
        items = parse(page)
        with transaction.atomic():
            store_items(channel, items, Counts(), now=timezone.now())
    return time.perf_counter() - start


def run_loop(channel: Any, pages: list[bytes]) -> float:
    from django.db import transaction
    from django.utils import timezone

    from moderation.models import Author, Item

    start = time.perf_counter()
    for page in pages:
        items = parse(page)
        with transaction.atomic():
            now = timezone.now()
            for ri in items:
                author = None
                if ri.author:
                    author, _ = Author.objects.update_or_create(
                        platform=channel.platform,
                        platform_user_id=ri.author.platform_user_id,
                        defaults={"handle": ri.author.handle, "display_name": ri.author.display_name},
                    )
                parent = Item.objects.filter(channel=channel, platform_id=ri.parent_id).only("id").first()
                Item.objects.update_or_create(
                    channel=channel,
                    platform_id=ri.platform_id,
                    defaults={
                        "kind": ri.kind,
                        "author": author,
                        "parent": parent,
                        "text": ri.text,
                        "permalink": ri.permalink,
                        "created_on_platform": ri.created_at,
                        "fetched_at": now,
                        "raw": dict(ri.raw),
                    },
                    create_defaults={"received_at": now},
                )
    return time.perf_counter() - start


def run_copy(channel: Any, pages: list[bytes]) -> float:
    from django.db import connection, transaction
    from django.utils import timezone

    start = time.perf_counter()
    parsed = [ri for page in pages for ri in parse(page)]
    now = timezone.now().isoformat()
    authors = {ri.author.platform_user_id: ri.author for ri in parsed if ri.author}
    with transaction.atomic(), connection.cursor() as cursor:
        buf = io.StringIO()
        out = csv.writer(buf)
        for a in authors.values():
            out.writerow(["facebook", a.platform_user_id, a.handle, a.display_name, "", 0, 0, now, now])
        buf.seek(0)
        cursor.copy_expert(
            "COPY moderation_author (platform, platform_user_id, handle, display_name, notes, item_count, "
            "upheld_flag_count, created_at, updated_at) FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL (handle, notes))",
            buf,
        )
        cursor.execute("SELECT platform_user_id, id FROM moderation_author")
        author_pk = dict(cursor.fetchall())
        buf = io.StringIO()
        out = csv.writer(buf)
        for ri in parsed:
            out.writerow(
                [
                    channel.pk, ri.platform_id, ri.kind, author_pk.get(ri.author.platform_user_id) if ri.author else "",
                    ri.text, "[]", "[]", ri.permalink, ri.created_at.isoformat() if ri.created_at else "", now, now,
                    "visible", json.dumps(dict(ri.raw)), "new", "", 1, "", "", "", now, now, 0, "",
                ]
            )  # fmt: skip
        buf.seek(0)
        cursor.copy_expert(
            "COPY moderation_item (channel_id, platform_id, kind, author_id, text, links, media_urls, permalink, "
            "created_on_platform, fetched_at, received_at, visibility, raw, state, outcome, priority, route, "
            "recommended_action, policy_version, created_at, updated_at, classify_attempts, classify_error) FROM STDIN "
            "WITH (FORMAT csv, FORCE_NOT_NULL (text, permalink, outcome, route, recommended_action, policy_version, "
            "classify_error))",
            buf,
        )
    return time.perf_counter() - start


def truncate() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE moderation_auditevent, moderation_action, moderation_flag, moderation_item, "
            "moderation_authorrestriction, moderation_author CASCADE"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/havebury_bench_ingest")
    args = parser.parse_args()
    ensure_database(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "havebury_social.settings.base")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    from bench.report import write_section
    from moderation.models import Channel, Item

    call_command("migrate", verbosity=0)
    load_start = os.getloadavg()[0]
    pages = make_pages(args.items, args.page_size)
    truncate()
    channel, _ = Channel.objects.get_or_create(
        platform="facebook", handle="bench", defaults={"display_name": "B"}
    )
    # Batch and loop take turns page by page (batch on a Facebook channel, loop on an Instagram
    # one, so neither finds the other's authors): on a shared machine both see the same load,
    # and their ratio is fair even when the load moves during the run.
    loop_channel, _ = Channel.objects.get_or_create(
        platform="instagram", handle="bench-loop", defaults={"display_name": "B"}
    )
    truncate()
    timings: dict[str, list[float]] = {"batch": [0.0, 0.0], "loop": [0.0, 0.0]}
    for poll in (0, 1):  # the first poll, then a re-poll of the same pages
        for page in pages:
            timings["batch"][poll] += run_batch(channel, [page])
            timings["loop"][poll] += run_loop(loop_channel, [page])
        for name, ch in (("batch", channel), ("loop", loop_channel)):
            stored = Item.objects.filter(channel=ch).count()
            assert stored == args.items, (name, poll, stored)  # every comment, and a re-poll adds none
    # Batch alone, first poll and re-poll, with no loop page between its pages: the rate one
    # worker ingests at (the interleaved figures above are for the fair ratio).
    truncate()
    alone = [run_batch(channel, pages), run_batch(channel, pages)]
    assert Item.objects.filter(channel=channel).count() == args.items
    truncate()
    copy_seconds = run_copy(channel, pages)
    assert Item.objects.filter(channel=channel).count() == args.items
    for name in ("batch", "loop"):
        first, again = timings[name]
        print(f"{name}: first {args.items / first:,.0f} items/s, re-poll {args.items / again:,.0f}")
    print(f"batch alone: first {args.items / alone[0]:,.0f} items/s, re-poll {args.items / alone[1]:,.0f}")
    print(f"copy: first {args.items / copy_seconds:,.0f} items/s")
    truncate()

    def rate(seconds: float | None) -> str:
        return f"{args.items / seconds:,.0f}" if seconds else "n/a"

    batch, loop = timings["batch"], timings["loop"]
    copy = (copy_seconds, None)
    rows = [
        f"| batch upsert (`store_items`, one transaction a page), taking turns with the loop | {rate(batch[0])} | "
        f"{rate(batch[1])} |",
        f"| batch upsert alone (no loop page between its pages) | {rate(alone[0])} | {rate(alone[1])} |",
        f"| per-item `update_or_create` loop | {rate(loop[0])} | {rate(loop[1])} |",
        f"| plain `COPY` of the same rows (authors, then items) | {rate(copy[0])} | n/a |",
    ]
    body = (
        f"{args.items:,} Facebook comments in Graph JSON pages of {args.page_size} (one author per three comments, "
        "every tenth a reply), parsed with the adapter's parser and stored in PostgreSQL on 127.0.0.1 by one "
        "process; batch and loop take turns page by page from empty tables (so both see the same load), then "
        "again over the same pages (a re-poll: nothing new); then batch alone, then COPY alone.\n\n"
        "| path | items/s, first poll | items/s, re-poll |\n|---|---:|---:|\n" + "\n".join(rows) + "\n\n"
        f"Batch upsert against the loop: **{loop[0] / batch[0]:.1f}x** faster on the first poll, "
        f"**{loop[1] / batch[1]:.1f}x** on the re-poll (same pages, same moments, so the same load). Batch upsert "
        f"alone runs at **{copy[0] / alone[0] * 100:.0f}%** of the plain COPY's rate on the first poll (COPY checks "
        "nothing and returns no ids). "
        "Targets (issue 12): at least 20x the loop and at least 5,000 items/s; in this run "
        + "; ".join(
            f"{label}: {'met' if loop[i] / batch[i] >= 20 else 'not met'} for 20x, "
            f"{'met' if args.items / alone[i] >= 5000 else 'not met'} for 5,000 items/s"
            for i, label in ((0, "first poll"), (1, "re-poll"))
        )
        + ". "
        f"Load average {load_start:.1f} when the run started and {os.getloadavg()[0]:.1f} when it ended, on "
        f"{os.cpu_count()} cores (the machine is "
        "shared; a loaded machine slows every path, the database included)."
    )
    write_section(
        "Ingestion into PostgreSQL",
        f"python -m bench.ingest_bench --items {args.items} --page-size {args.page_size}",
        body,
    )


if __name__ == "__main__":
    main()
