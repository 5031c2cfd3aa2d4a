"""The items list endpoint under load at a million items: p50/p95 with N concurrent clients on loopback.

Seeds the throwaway bench database with bench.queue_bench's million items (plus a flag on
each open item), starts the production web server (granian, docker-compose.yml; `--server
gunicorn` for the previous one) on 127.0.0.1 with the production settings module, gives
every client its own API token and lets each one page through /api/v1/items/ (first page,
then `next` cursors up to 20 pages deep, and the `state=new` filter) for a fixed time,
keeping one keep-alive connection. It also counts SQL queries per request in-process for
page sizes 10, 50 and 200, first page and a cursor page:

    python -m bench.api_bench [--items 1000000] [--clients 50] [--seconds 30] [--workers 2] [--threads 8]
        [--server granian] [--reuse] [--list-cache-seconds 1] [--writer-rate 5]

It measures twice on the same server: reads only, then while a writer stores --writer-rate new
items a second (0: skip that run), and reports the share of responses the list micro-cache
answered (moderation/api/list_cache.py).
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import orjson

from bench.cpu import backends, children, cpu_seconds, redis_cpu_seconds
from bench.database import ensure_database, large_queue_parser
from bench.queue_bench import seed

ROOT = Path(__file__).resolve().parent.parent
FIRST = "/api/v1/items/"
FILTERED = "/api/v1/items/?state=new"
DEEPEST = 20
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14")
WRITER_PREFIX = "bench-writer-"  # the writer's items; --reuse does not count them
FLAG_SQL = """
INSERT INTO moderation_flag (item_id, category, subtype, clause, evidence, score, source, explanation, note,
                             policy_version, created_at)
SELECT id, 'profanity', '', '2.3', 'bloody', 0.9, 'rule:profanity', 'Foul language (GP014 2.3).', '',
       'GP014/2022-04', now()
FROM moderation_item WHERE state <> 'resolved'
"""


def _setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "havebury_social.settings.base")
    import django

    django.setup()


def _tokens(n: int) -> list[str]:
    from moderation.models import ApiToken
    from moderation.services.api_tokens import api_token_create

    ApiToken.objects.filter(name__startswith="bench-").update(revoked_at="2000-01-01T00:00:00Z")
    return [api_token_create(name=f"bench-{i}", scopes="read", actor=None).secret for i in range(n)]


def query_counts(token: str) -> dict[str, int]:
    """SQL queries for one request, in-process, by page size and first page vs a cursor page."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(SERVER_NAME="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {token}")
    client.get(FIRST)  # the token's first use writes last_used_at once
    settings.API_LIST_CACHE_SECONDS = 0
    counts = {}
    # Twice: the first request of each page shape on a connection also PREPAREs its statement.
    # The list cache is off here: these are the queries of a page that is built.
    for _ in range(2):
        for size in (10, 50, 200):
            with CaptureQueriesContext(connection) as first:
                body = client.get(f"{FIRST}?page_size={size}").json()
            with CaptureQueriesContext(connection) as later:
                assert client.get(body["next"]).status_code == 200
            counts[f"page_size={size}, first page"] = len(first)
            counts[f"page_size={size}, cursor page"] = len(later)
    return counts


def next_request(following: str | None, depth: int, start: str) -> tuple[str, int]:
    """Where a client paging through the list goes next: the `next` cursor up to DEEPEST pages
    deep, then back to its first page."""
    depth += 1
    if following and depth < DEEPEST:
        parts = urlsplit(following)
        return f"{parts.path}?{parts.query}", depth
    return start, 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_command(
    *,
    server: str,
    port: int,
    workers: int,
    threads: int,
    worker_class: str = "gthread",
    worker_connections: int = 1000,
) -> list[str]:
    """The web server as production runs it (docker-compose.yml), on 127.0.0.1:port."""
    if server == "granian":
        # granian (Rust HTTP/1.1 and I/O, the WSGI app on `threads` blocking threads per worker).
        return [
            sys.executable, "-m", "granian", "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port),
            "--workers", str(workers), "--blocking-threads", str(threads), "--no-ws", "--log-level", "info",
            "havebury_social.wsgi:application",
        ]  # fmt: skip
    return [
        sys.executable, "-m", "gunicorn", "havebury_social.wsgi", "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers), "--worker-class", worker_class, "--threads", str(threads),
        "--worker-connections", str(worker_connections),
        "--preload", "--log-level", "info", "--keep-alive", "30",
    ]  # fmt: skip


# What each server logs once a worker process is up (granian: stdout; gunicorn: stderr).
BOOTED = {"granian": "Started worker-", "gunicorn": "Booting worker"}


def start_server(
    *,
    port: int,
    workers: int,
    threads: int,
    database_url: str,
    server: str = "granian",
    worker_class: str = "gthread",
    worker_connections: int = 1000,
    list_cache_seconds: float = 1.0,
    log_level: str = "INFO",
) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "havebury_social.settings.base",
        "DJANGO_SECRET_KEY": os.environ.get(
            "DJANGO_SECRET_KEY", "bench-only-secret-key-not-for-production-use-0123456789"
        ),
        # Production's logging by default (a JSON line per request; the server writes no access log,
        # as in docker-compose.yml), written to a pipe this process drains and discards.
        "LOG_LEVEL": log_level,
        "API_THROTTLE_RATE": "100000000/hour",  # the bench measures the endpoint, not the throttle's refusal
        "API_LIST_CACHE_SECONDS": str(list_cache_seconds),
        "REDIS_URL": REDIS_URL,
        # Connections kept across both measured windows (production: 60 s), so the PostgreSQL
        # backends whose CPU is read at the start of a window are still there at its end.
        "DATABASE_CONN_MAX_AGE": "600",
    }
    command = server_command(
        server=server,
        port=port,
        workers=workers,
        threads=threads,
        worker_class=worker_class,
        worker_connections=worker_connections,
    )
    process = subprocess.Popen(  # noqa: S603
        command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    booted = 0
    assert process.stdout is not None
    for line in process.stdout:  # wait for each worker to say it booted: no polling, no sleeping
        if BOOTED[server] in line:
            booted += 1
            if booted == workers:
                # Keep reading: a full pipe would stop the workers at their next log line.
                threading.Thread(target=process.stdout.read, daemon=True).start()
                return process
    raise RuntimeError(f"{server} exited before its workers booted; run it by hand to see why")


async def _client(
    port: int,
    token: str,
    start_path: str,
    deadline: float,
    out: list[float],
    errors: list[str],
    hits: list[int] | None = None,
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    path, depth = start_path, 0
    try:
        while time.perf_counter() < deadline:
            request = (
                f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
                # As behind the TLS-terminating proxy production runs behind (else: a 301 to https).
                "X-Forwarded-Proto: https\r\nAccept: application/json\r\n\r\n"
            )
            began = time.perf_counter()
            writer.write(request.encode())
            await writer.drain()
            # The status line and headers in one read: the load generator shares the server's cores,
            # so every bit of its CPU per request is taken from the server's.
            try:
                status, *lines = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
            except asyncio.IncompleteReadError:  # the server closed the connection
                errors.append("connection closed")
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                path, depth = start_path, 0
                continue
            headers: dict[str, str] = {}
            for line in lines:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            body = await reader.readexactly(int(headers.get("content-length", "0")))
            out.append((time.perf_counter() - began) * 1000)
            if hits is not None and headers.get("cache-status", "").endswith("; hit"):
                hits.append(1)
            if headers.get("connection", "").lower() == "close":
                # At once: a sync worker lingers on the socket until the client closes it.
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            if " 200 " not in status:
                errors.append(status.strip())
                path, depth = start_path, 0
                continue
            path, depth = next_request(orjson.loads(body)["next"], depth, start_path)
    finally:
        writer.close()


async def load(
    *, port: int, tokens: list[str], seconds: float, on_start: Any = None
) -> tuple[list[float], list[str], int]:
    latencies: list[float] = []
    errors: list[str] = []
    hits: list[int] = []
    # Warm every worker and connection first; those requests are not counted.
    warm_deadline = time.perf_counter() + 3
    await asyncio.gather(*(_client(port, t, FIRST, warm_deadline, [], []) for t in tokens))
    if on_start is not None:
        on_start()
    deadline = time.perf_counter() + seconds
    await asyncio.gather(
        *(
            _client(port, token, FILTERED if i % 5 == 4 else FIRST, deadline, latencies, errors, hits)
            for i, token in enumerate(tokens)
        )
    )
    return latencies, errors, len(hits)


def _pct(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> None:
    parser = large_queue_parser(
        __doc__, env="BENCH_DATABASE_URL", default_url="postgres://postgres@127.0.0.1:5432/havebury_bench"
    )
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    # One process per core, threads to overlap the waits on PostgreSQL and Redis (docker-compose.yml).
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8, help="granian: blocking threads per worker")
    parser.add_argument(
        "--server",
        default="granian",
        choices=["granian", "gunicorn"],
        help="granian (production's) or gunicorn (the previous production server, requirements-dev.txt)",
    )
    parser.add_argument(
        "--worker-class", default="gthread", choices=["gthread", "sync"], help="gunicorn only"
    )
    parser.add_argument(
        "--worker-connections",
        type=int,
        default=1000,
        help="gunicorn only: keep-alive connections one gthread worker holds at most (its default: 1000)",
    )
    parser.add_argument(
        "--list-cache-seconds",
        type=float,
        default=1.0,
        help="API_LIST_CACHE_SECONDS for the server (production's default: 1; 0 turns the cache off)",
    )
    parser.add_argument(
        "--writer-rate",
        type=float,
        default=5.0,
        help="after the reads-only run, a second run while this many items a second are stored (0: none)",
    )
    parser.add_argument(
        "--log-level",
        default="INFO",
        choices=["INFO", "WARNING"],
        help="the server's LOG_LEVEL (production's: INFO, a JSON line per request)",
    )
    parser.add_argument("--skip-seed", action="store_true", help="reuse the bench database as it is")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the items when the database already holds --items of them (else fill it); "
        "bench.dashboard_bench --reuse fills the same rows, so the two can share one database",
    )
    args = parser.parse_args()
    ensure_database(args.database_url)
    if args.reuse and not args.skip_seed:
        _setup_django(args.database_url)
        from django.core.management import call_command

        from moderation.models import Item

        call_command("migrate", verbosity=0)
        args.skip_seed = Item.objects.exclude(platform_id__startswith=WRITER_PREFIX).count() == args.items
        print(
            f"Reusing the {args.items:,} items already in the database" if args.skip_seed else "", flush=True
        )
    if args.skip_seed:
        _setup_django(args.database_url)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)  # the items stay; new indexes are built
    else:
        seed(items=args.items, database_url=args.database_url)
    from django.db import connection

    from moderation.models import Item

    if not args.skip_seed:
        with connection.cursor() as cursor:
            cursor.execute(FLAG_SQL)
            cursor.execute("ANALYZE moderation_flag")
    items = Item.objects.count()
    tokens = _tokens(args.clients)
    counts = query_counts(tokens[0])
    connection.close()
    port = _free_port()
    server = start_server(
        port=port,
        workers=args.workers,
        threads=args.threads,
        database_url=args.database_url,
        server=args.server,
        worker_class=args.worker_class,
        worker_connections=args.worker_connections,
        list_cache_seconds=args.list_cache_seconds,
        log_level=args.log_level,
    )
    phases = [0.0] + ([args.writer_rate] if args.writer_rate > 0 else [])
    try:
        results = [_measure(args, server, port, tokens, rate) for rate in phases]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    from bench.report import write_section

    verdict = "meets" if all(r["p95"] < 100 for r in results) else "misses"
    rows = "\n".join(f"| {name} | {n} |" for name, n in counts.items())
    table = "\n".join(
        f"| {r['phase']} | {r['requests']:,} | {r['rate']:.0f} | {r['errors']} | {r['hit_rate']:.0%} | "
        f"{r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} | {r['mean']:.1f} | {r['cpu']['web']:.2f} | "
        f"{r['cpu']['db']:.2f} | {r['cpu']['redis']:.2f} | {r['cpu']['client']:.2f} | "
        f"{r['load_before']:.1f} -> {r['load_after']:.1f} |"
        for r in results
    )
    cache = (
        f"the list micro-cache on for {args.list_cache_seconds:g} s (API_LIST_CACHE_SECONDS)"
        if args.list_cache_seconds > 0
        else "the list micro-cache off (API_LIST_CACHE_SECONDS=0)"
    )
    writer = (
        f" The second row repeats the run while a writer (one thread of the load generator, its CPU "
        f"not counted) stores {args.writer_rate:g} new items a second through the ingestion service "
        "(store_items) and classifies each (item_classify), each in its own transactions as the "
        "tasks do, so every item moves the cache's data version's head on twice: each first page "
        "ends, and cursor pages below the new item stay cached (moderation/data_version.py)."
        if args.writer_rate > 0
        else ""
    )
    web_server = (
        f"granian ({args.workers} WSGI worker processes x {args.threads} blocking threads, as in docker-compose.yml"
        if args.server == "granian"
        else f"gunicorn ({args.workers} {args.worker_class} workers x {args.threads} threads"
    )
    server_flags = "" if args.server == "granian" else f" --worker-class {args.worker_class}"
    write_section(
        "API list endpoint under load",
        f"python -m bench.api_bench --items {args.items} --clients {args.clients} --seconds {args.seconds:.0f} "
        f"--server {args.server} --workers {args.workers}{server_flags} --threads {args.threads} "
        f"--list-cache-seconds {args.list_cache_seconds:g} --writer-rate {args.writer_rate:g} "
        f"--log-level {args.log_level}",
        f"`GET /api/v1/items/` (page of 50, each with its flags), {items:,} items in PostgreSQL on this "
        f"machine; {web_server}, production settings, Redis throttle cache, {cache}, LOG_LEVEL={args.log_level}) and {args.clients} concurrent clients (one asyncio "
        f"process, one keep-alive connection and one API token each) on 127.0.0.1, all sharing the same "
        f"{os.cpu_count()} cores. Each client pages with the cursor up to {DEEPEST} pages deep and starts "
        f"again; one in five filters `state=new`. Closed loop: each client sends its next request as soon "
        f"as the last answer arrives, for {args.seconds:.0f} s after a 3 s warm-up.{writer}\n\n"
        "| run | requests | per second | errors | cache hits | p50 (ms) | p95 (ms) | p99 (ms) | mean (ms) "
        "| CPU web (ms/req) | CPU db (ms/req) | CPU Redis (ms/req) | CPU client (ms/req) | load (1 min) |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n"
        f"{table}\n\n"
        "CPU time per request is measured over the same window: the web server's processes (web) and "
        "the PostgreSQL backends serving them (db) from /proc, redis-server's own count (Redis: the "
        "throttle, the data version and the shared cache entries; the whole server, so other users of "
        "it count too); the load generator's own is shown apart. With "
        f"{args.clients} closed-loop clients on {os.cpu_count()} cores a request waits for about "
        f"{args.clients} x (CPU per request, all columns) / {os.cpu_count()}, so that sum is what sets p50 "
        "on an otherwise idle machine. A cache hit is a response that says `Cache-Status: havebury; hit`.\n\n"
        f"The target was p95 under 100 ms for a page of 50: this run {verdict} it. The load column is the "
        "machine's 1-minute load average before and after each window (other work shares these cores; "
        "figures measured on a busy machine are upper bounds).\n\n"
        "SQL queries per request once the token has been used, with the cache off or on a miss (the "
        "page and its flags; the token, its service user and the role's permissions are then kept in "
        "the process for 10 s, moderation/services/api_tokens.py): "
        "the same for every page size and for cursor pages; a cache hit makes none. The first request "
        "of each page shape on a connection also PREPAREs the page's statement (one more).\n\n"
        "| request | queries |\n|---|---:|\n" + rows,
    )


def _measure(
    args: Any, server: subprocess.Popen[str], port: int, tokens: list[str], rate: float
) -> dict[str, Any]:
    """One measured window (with a writer when rate > 0): latencies, cache hits and CPU per request."""
    load_before = os.getloadavg()[0]
    # Server CPU: the web server's processes, the PostgreSQL backends serving them and redis-server,
    # sampled when the measured window opens and when it closes (connections persist, CONN_MAX_AGE).
    cpu: dict[str, Any] = {}
    stop = threading.Event()
    writer = Writer(rate, stop) if rate > 0 else None

    def window_opens() -> None:
        if writer is not None:
            writer.start()
            writer.ready.wait(30)
        cpu["web"] = [server.pid, *children(server.pid)]
        cpu["db"] = [pid for pid in backends(args.database_url) if pid != getattr(writer, "backend", None)]
        cpu["start"] = (
            cpu_seconds(cpu["web"]),
            cpu_seconds(cpu["db"]),
            time.process_time(),
            redis_cpu_seconds(REDIS_URL),
        )

    try:
        latencies, errors, hits = asyncio.run(
            load(port=port, tokens=tokens, seconds=args.seconds, on_start=window_opens)
        )
        db_pids = sorted(
            set(cpu["db"]) | set(backends(args.database_url)) - {getattr(writer, "backend", None)}
        )
        web_cpu = cpu_seconds(cpu["web"]) - cpu["start"][0]
        db_cpu = cpu_seconds(db_pids) - cpu["start"][1]
        client_cpu = time.process_time() - cpu["start"][2]
        redis_cpu = redis_cpu_seconds(REDIS_URL) - cpu["start"][3]
    finally:
        stop.set()
        if writer is not None:
            writer.join(30)
    if writer is not None:
        client_cpu -= writer.cpu
    n = max(1, len(latencies))
    result = {
        "phase": f"writer, {rate:g} items/s ({writer.written if writer else 0} stored)"
        if rate
        else "reads only",
        "requests": len(latencies),
        "rate": len(latencies) / args.seconds,
        "errors": len(errors),
        "hit_rate": hits / n,
        "p50": _pct(latencies, 0.5),
        "p95": _pct(latencies, 0.95),
        "p99": _pct(latencies, 0.99),
        "mean": statistics.mean(latencies) if latencies else 0.0,
        "cpu": {
            name: 1000 * sec / n
            for name, sec in (("web", web_cpu), ("db", db_cpu), ("redis", redis_cpu), ("client", client_cpu))
        },
        "load_before": load_before,
        "load_after": os.getloadavg()[0],
    }
    print(
        f"{result['phase']}: {len(latencies)} requests in {args.seconds:.0f}s ({result['rate']:.0f}/s), "
        f"{len(errors)} errors, cache hits {result['hit_rate']:.0%}; p50 {result['p50']:.1f} ms, "
        f"p95 {result['p95']:.1f} ms, p99 {result['p99']:.1f} ms; CPU ms/request "
        f"{ {k: round(v, 2) for k, v in result['cpu'].items()} }; "
        f"load {load_before:.1f} -> {result['load_after']:.1f}",
        flush=True,
    )
    return result


def write_one(channel: Any, run: str, n: int) -> None:
    """Store one new comment and classify it, each in its own transactions, as the tasks do."""
    from django.db import transaction
    from django.utils import timezone

    from moderation.channels.base import RemoteAuthor, RemoteItem
    from moderation.services.classify import item_classify
    from moderation.services.ingest.items import Counts, store_items

    now = timezone.now()
    item = RemoteItem(
        platform_id=f"{run}-{n}",
        kind="comment",
        text=f"New comment {n}: what a load of bollocks, the boiler is broken again",
        created_at=now,
        author=RemoteAuthor(platform_user_id=f"{WRITER_PREFIX}author", handle="writer"),
    )
    with transaction.atomic():
        ids = store_items(channel, [item], Counts(), now=now)
    for pk in ids:
        item_classify(item_id=pk)


class Writer(threading.Thread):
    """Stores `rate` new items a second through the ingestion service and classifies each, as the
    poll/webhook and classify tasks do (their own transactions), until stopped."""

    def __init__(self, rate: float, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.rate, self.stop = rate, stop
        self.ready = threading.Event()
        self.backend: int | None = None
        self.written = 0
        self.cpu = 0.0

    def run(self) -> None:
        from django.db import connection

        from moderation.models import Channel

        began = time.thread_time()
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                self.backend = int(cursor.fetchone()[0])
            channel = Channel.objects.order_by("id").first()
            assert channel is not None, "the bench database has no channel; run without --skip-seed"
            self.ready.set()
            run = f"{WRITER_PREFIX}{time.time_ns()}"
            next_at = time.monotonic()
            while not self.stop.is_set():
                write_one(channel, run, self.written)
                self.written += 1
                next_at += 1 / self.rate
                self.stop.wait(max(0.0, next_at - time.monotonic()))
        finally:
            self.ready.set()
            self.cpu = time.thread_time() - began
            connection.close()


if __name__ == "__main__":
    main()
