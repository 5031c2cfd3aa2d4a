"""Queue reads at a million items: indexed plan against the same query with indexes off.

Builds a throwaway PostgreSQL database (default ``havebury_bench`` on 127.0.0.1),
fills it with N items (generate_series, one statement), then times the two hot reads
that issue 2 names, each side by side with a baseline run where the planner may not
use indexes (a sequential scan and sort):

    python -m bench.queue_bench [--items 1000000] [--database-url postgres://postgres@127.0.0.1:5432/havebury_bench]
"""

from __future__ import annotations

import os
import statistics
import time
from typing import Any

from bench.database import ensure_database, large_queue_parser

QUEUE_SQL = """
SELECT id FROM moderation_item WHERE state IN ('new', 'in_review', 'escalated')
ORDER BY (priority * -1), received_at, id LIMIT 50
"""
AUTHOR_SQL = "SELECT id FROM moderation_item WHERE author_id = %s ORDER BY received_at DESC LIMIT 50"

FILL_SQL = """
INSERT INTO moderation_item (
    channel_id, platform_id, kind, author_id, text, links, media_urls, permalink, fetched_at, received_at,
    visibility, raw, state, outcome, priority, route, recommended_action, policy_version, created_at, updated_at,
    classify_attempts, classify_error
)
SELECT %(channel)s, 'bench_' || g, 'comment', %(first_author)s + (g %% %(authors)s), 'benchmark comment',
       '[]', '[]', '', now(), now() - (g || ' seconds')::interval, 'visible', '{}',
       CASE WHEN g %% 20 = 0 THEN 'new' WHEN g %% 97 = 0 THEN 'escalated' ELSE 'resolved' END,
       CASE WHEN g %% 20 = 0 OR g %% 97 = 0 THEN '' ELSE 'dismissed' END,
       g %% 4, '', '', '', now(), now(), 0, ''
FROM generate_series(1, %(items)s) AS g
"""


def _time(cursor: Any, sql: str, params: Any, *, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        cursor.execute(sql, params)
        cursor.fetchall()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def _plan(cursor: Any, sql: str, params: Any) -> str:
    cursor.execute("EXPLAIN " + sql, params)
    return " / ".join(row[0].strip() for row in cursor.fetchall()[:3])


def seed(*, items: int, database_url: str) -> list[Any]:
    """Migrate the bench database and fill it with `items` items (also used by bench.api_bench)."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "havebury_social.settings.base")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from moderation.models import Author, Channel

    print(f"Migrating and filling {items:,} items ...", flush=True)
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE moderation_item, moderation_author, moderation_channel CASCADE")
    channel = Channel.objects.create(platform="facebook", handle="bench", display_name="Bench")
    authors = Author.objects.bulk_create(
        Author(platform="facebook", platform_user_id=f"bench{i}") for i in range(2000)
    )
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            FILL_SQL, {"channel": channel.pk, "first_author": authors[0].pk, "authors": 2000, "items": items}
        )
        cursor.execute("ANALYZE moderation_item")
    print(f"Filled in {time.perf_counter() - start:.1f}s", flush=True)
    return authors


def run(*, items: int, database_url: str, repeat: int = 15) -> dict[str, Any]:
    authors = seed(items=items, database_url=database_url)
    from django.db import connection

    results: dict[str, Any] = {"items": items}
    with connection.cursor() as cursor:
        for name, sql, params in (
            ("open queue (priority, then oldest)", QUEUE_SQL, None),
            ("one author's items", AUTHOR_SQL, [authors[7].pk]),
        ):
            indexed_plan = _plan(cursor, sql, params)
            indexed = _time(cursor, sql, params, repeat=repeat)
            cursor.execute(
                "SET enable_indexscan = off; SET enable_bitmapscan = off; SET enable_indexonlyscan = off"
            )
            baseline = _time(cursor, sql, params, repeat=max(3, repeat // 5))
            cursor.execute("RESET enable_indexscan; RESET enable_bitmapscan; RESET enable_indexonlyscan")
            results[name] = {"indexed_ms": indexed, "no_index_ms": baseline, "plan": indexed_plan}
            print(f"{name}: {indexed:.2f} ms indexed, {baseline:.1f} ms without indexes "
                  f"({baseline / indexed:.0f}x); plan: {indexed_plan}", flush=True)  # fmt: skip
    return results


def main() -> None:
    parser = large_queue_parser(
        __doc__, env="BENCH_DATABASE_URL", default_url="postgres://postgres@127.0.0.1:5432/havebury_bench"
    )
    args = parser.parse_args()
    ensure_database(args.database_url)
    results = run(items=args.items, database_url=args.database_url)
    from bench.report import write_section

    rows = "\n".join(
        f"| {name} | {r['indexed_ms']:.2f} | {r['no_index_ms']:.1f} | {r['no_index_ms'] / r['indexed_ms']:.0f}x | `{r['plan'].split(' / ')[1].strip('-> ').split('  (')[0]}` |"
        for name, r in results.items()
        if isinstance(r, dict)
    )
    write_section(
        "Queue reads at a million items",
        f"python -m bench.queue_bench --items {args.items}",
        f"PostgreSQL, {results['items']:,} items (5% new, 1% escalated, the rest resolved), 2,000 authors; "
        "median of repeated runs. The baseline is the same query with index scans switched off "
        "(sequential scan and sort).\n\n"
        "| query | indexed (ms) | without indexes (ms) | speed-up | plan |\n|---|---:|---:|---:|---|\n"
        + rows,
    )


if __name__ == "__main__":
    main()
