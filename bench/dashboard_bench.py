"""Queue page and item page server time at a million items, and SQL queries per page.

Fills a throwaway PostgreSQL database the way bench.queue_bench does (5% new, 1% escalated,
the rest resolved; one flag on every open item), then renders the pages through Django's
test client as a signed-in officer, so the time is the whole server side (URL routing,
middleware, selectors, templates), without network or browser:

    python -m bench.dashboard_bench [--items 1000000] [--requests 60]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import time
from typing import Any

from bench.queue_bench import FILL_SQL, _ensure_database

FLAG_SQL = """
INSERT INTO moderation_flag (item_id, category, clause, evidence, score, source, explanation, policy_version, created_at)
SELECT id, 'profanity', '2.3', 'benchmark', 0.9, 'bench', 'Uses foul language, which GP014 2.3 does not allow.',
       'bench', now()
FROM moderation_item WHERE state <> 'resolved'
"""


def _pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run(*, items: int, database_url: str, requests: int, reuse: bool) -> dict[str, Any]:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "havebury_social.settings.base")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from accounts.roles import OFFICER, roles_sync
    from moderation.models import Author, Channel, Item

    call_command("migrate", verbosity=0)
    if reuse and Item.objects.count() == items:
        print(f"Reusing the {items:,} items already in the database", flush=True)
    else:
        print(f"Migrating and filling {items:,} items ...", flush=True)
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE moderation_item, moderation_author, moderation_channel CASCADE")
        channel = Channel.objects.create(platform="facebook", handle="bench", display_name="Bench")
        authors = Author.objects.bulk_create(
            Author(platform="facebook", platform_user_id=f"bench{i}") for i in range(2000)
        )
        with connection.cursor() as cursor:
            cursor.execute(
                FILL_SQL,
                {"channel": channel.pk, "first_author": authors[0].pk, "authors": 2000, "items": items},
            )
            cursor.execute(FLAG_SQL)
            cursor.execute("ANALYZE moderation_item; ANALYZE moderation_flag")
    # Each run claims the items its item-page requests open; give them back so runs are alike.
    Item.objects.filter(state="in_review").update(state="new", claimed_by=None, claimed_at=None)
    user, _ = User.objects.get_or_create(username="bench.officer")
    user.groups.set([roles_sync()[OFFICER]])
    client = Client()
    client.force_login(user)
    open_ids = list(
        Item.objects.filter(state="new").order_by("id").values_list("id", flat=True)[: requests + 5]
    )

    def measure(name: str, path_for: Any) -> dict[str, Any]:
        client.get(path_for(0))  # warm caches and the template loader
        samples, queries = [], set()
        for n in range(requests):
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                response = client.get(path_for(n))
                samples.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (name, response.status_code)
            queries.add(len(captured))
        result = {
            "p50": statistics.median(samples),
            "p95": _pct(samples, 0.95),
            "queries": sorted(queries),
        }
        print(
            f"{name}: p50 {result['p50']:.1f} ms, p95 {result['p95']:.1f} ms, queries {result['queries']}",
            flush=True,
        )
        return result

    results: dict[str, Any] = {"items": items, "requests": requests}
    results["queue page (first 50)"] = measure("queue page", lambda n: "/")
    cursor_page = client.get("/").content.decode()
    after = re.search(r'href="\?after=([^"]+)" rel="next"', cursor_page)
    deep = after.group(1).replace("&amp;", "&") if after else ""
    results["queue page (next 50, keyset)"] = measure("queue page 2", lambda n: f"/?after={deep}")
    results["queue page (filtered: priority urgent)"] = measure("queue filtered", lambda n: "/?priority=3")
    results["item page (opens and claims)"] = measure("item page", lambda n: f"/items/{open_ids[n]}/")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument(
        "--reuse", action="store_true", help="keep the items of an earlier run of the same size"
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DASHBOARD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/havebury_bench_dashboard"
        ),
    )
    args = parser.parse_args()
    _ensure_database(args.database_url)
    results = run(items=args.items, database_url=args.database_url, requests=args.requests, reuse=args.reuse)
    from bench.report import write_section

    rows = "\n".join(
        f"| {name} | {r['p50']:.1f} | {r['p95']:.1f} | {', '.join(map(str, r['queries']))} |"
        for name, r in results.items()
        if isinstance(r, dict)
    )
    write_section(
        "Dashboard pages at a million items",
        f"python -m bench.dashboard_bench --items {args.items} --requests {args.requests}",
        f"PostgreSQL, {results['items']:,} items (5% new, 1% escalated, the rest resolved; a flag on each open "
        f"item), signed-in officer, Django test client (whole server side, no network); {results['requests']} "
        "requests per page; the item page opens a different item each time (and claims it). Target: p95 under "
        "150 ms. The last column lists every query count seen across a page's requests: the queue page "
        "makes one query more when the shared state counts are not in the cache (they are kept 10 s). "
        "The figures include whatever else the machine was running at the time.\n\n"
        "| page | p50 (ms) | p95 (ms) | SQL queries per request |\n|---|---:|---:|---|\n" + rows,
    )


if __name__ == "__main__":
    main()
