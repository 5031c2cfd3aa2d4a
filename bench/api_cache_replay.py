"""The items list cache's hits while items arrive, replayed in-process on a simulated clock: a
figure the machine's load does not move, for comparing invalidation rules on a shared machine.

    python -m bench.api_cache_replay [--requests 6000] [--clients 50] [--rate 800] [--writer-rate 5]

bench.api_bench's clients (each pages with the cursor up to 20 pages deep and starts again; one
in five filters `state=new`) take turns, one request at a time, through Django's WSGI handler
with production settings and API_LIST_CACHE_SECONDS (1 s). The clock the cache reads moves on
1/rate seconds a request (the rate the bench served), and every 1/writer-rate simulated seconds
one item is stored and classified through the services, as bench.api_bench's writer does. It
prints the share of answers that were cache hits and the builds per 1,000 requests: those
an answer waited for (the misses) and those made after a hit's answer (refreshes ahead of expiry). Client i
starts i requests into its walk (i mod 20), so the clients are spread over the depths.
"""

from __future__ import annotations

import functools
import os
import time
import types
from typing import Any

from bench.api_bench import DEEPEST, FILTERED, FIRST, WRITER_PREFIX, next_request, write_one
from bench.api_profile import api_environ
from bench.database import large_queue_parser


def main() -> None:
    parser = large_queue_parser(
        __doc__, env="BENCH_DATABASE_URL", default_url="postgres://postgres@127.0.0.1:5432/havebury_bench"
    )
    parser.add_argument("--requests", type=int, default=6000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--rate", type=float, default=800.0, help="simulated requests a second")
    parser.add_argument("--writer-rate", type=float, default=5.0, help="items stored a second (0: none)")
    parser.add_argument("--list-cache-seconds", type=float, default=1.0)
    args = parser.parse_args()
    os.environ.update(
        {
            "DATABASE_URL": args.database_url,
            "DJANGO_SETTINGS_MODULE": "havebury_social.settings.base",
            "LOG_LEVEL": "WARNING",
            "API_THROTTLE_RATE": "100000000/hour",
            "API_LIST_CACHE_SECONDS": str(args.list_cache_seconds),
        }
    )
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-not-for-production-use-0123456789")
    import django

    django.setup()
    import orjson
    from django.core.handlers.wsgi import WSGIHandler

    from bench.api_bench import _tokens
    from moderation.api import list_cache

    clock = [1_000_000.0]
    list_cache.__dict__["time"] = types.SimpleNamespace(monotonic=lambda: clock[0], time=lambda: clock[0])
    list_cache.clear()
    refreshes = [0]  # builds ahead of expiry, after a hit's answer (list_cache.REFRESH_AHEAD)
    refresh = list_cache._refresh

    def counted(*a: Any) -> None:
        refreshes[0] += 1
        refresh(*a)

    list_cache.__dict__["_refresh"] = counted
    token = _tokens(1)[0]
    app = WSGIHandler()

    def call(path: str) -> tuple[bytes, str]:
        environ = api_environ(path, token)
        seen: dict[str, Any] = {}

        def start_response(line: str, headers: Any, *_: Any) -> Any:
            seen["status"], seen["headers"] = line, dict(headers)
            return lambda data: None

        answer = app(environ, start_response)
        body = b"".join(answer)
        answer.close()  # as a WSGI server does once the body is sent (a refresh ahead runs here)
        assert seen["status"].startswith("200"), body[:300]
        return body, seen["headers"].get("Cache-Status", "")

    write = _writer()
    starts = [FILTERED if i % 5 == 4 else FIRST for i in range(args.clients)]
    walks = [(start, 0) for start in starts]
    for i in range(args.clients):  # spread the clients over the depths
        for _ in range(i % DEEPEST):
            body, _status = call(walks[i][0])
            walks[i] = next_request(orjson.loads(body)["next"], walks[i][1], starts[i])
    hits = written = 0
    refreshes[0] = 0
    step = 1 / args.rate
    next_write = clock[0] + (1 / args.writer_rate if args.writer_rate else float("inf"))
    for n in range(args.requests):
        clock[0] += step
        while clock[0] >= next_write:
            write(written)
            written += 1
            next_write += 1 / args.writer_rate
        i = n % args.clients
        body, status = call(walks[i][0])
        hits += status == list_cache.HIT
        walks[i] = next_request(orjson.loads(body)["next"], walks[i][1], starts[i])
    print(
        f"{args.requests} requests, {written} items written: {100 * hits / args.requests:.1f}% hits, "
        f"{1000 * (args.requests - hits) / args.requests:.1f} builds per 1,000 requests on the answers' path "
        f"and {1000 * refreshes[0] / args.requests:.1f} after an answer (refreshed ahead of expiry)"
    )


def _writer() -> Any:
    from moderation.models import Channel

    channel = Channel.objects.order_by("id").first()
    assert channel is not None, "the bench database has no channel: fill it with bench.api_bench first"
    run = f"{WRITER_PREFIX}{time.time_ns()}"
    return functools.partial(write_one, channel, run)


if __name__ == "__main__":
    main()
