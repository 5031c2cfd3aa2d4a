"""Where one items list request's CPU goes: N requests in-process through Django's WSGI handler.

The requests are the ones bench.api_bench's clients send (a read token, first page then `next`
cursors up to 20 pages deep), against the same bench database and production settings, with no
server and no network in between. Prints the CPU per request (time.process_time, no profiler),
then a cProfile run of the same requests: the share of each stage in the profiled time.

    python -m bench.api_profile [--requests 1000] [--list-cache-seconds 0] [--log-level WARNING]
"""

from __future__ import annotations

import cProfile
import io
import json
import os
import pstats
import sys
import time
from collections.abc import Callable
from typing import Any

from bench.api_bench import FIRST, next_request
from bench.database import large_queue_parser

# (label, function as pstats names it: a file's tail and the function's name)
STAGES = [
    ("whole request (Django's WSGI handler)", "django/core/handlers/wsgi.py", "__call__"),
    ("DRF view dispatch", "rest_framework/views.py", "dispatch"),
    ("DRF initial: authentication, permissions, throttle", "rest_framework/views.py", "initial"),
    ("throttle (Redis script)", "rest_framework/views.py", "check_throttles"),
    ("authentication (token, in-process cache)", "rest_framework/views.py", "perform_authentication"),
    ("page query and rows", "moderation/api/pagination.py", "paginate_queryset"),
    ("flags query", "moderation/api/selectors.py", "item_flags_brief"),
    ("rows to ItemOutput's shape", "moderation/api/serializers.py", "item_rows_output"),
    ("next/previous links", "rest_framework/pagination.py", "get_paginated_response"),
    ("JSON rendering", "rest_framework/response.py", "rendered_content"),
    ("CSP header (django-csp)", "csp/middleware.py", "process_response"),
    ("items list view: cache lookup, and the page when built", "moderation/api/list_cache.py", "cached"),
]


def main() -> None:
    parser = large_queue_parser(
        __doc__, env="BENCH_DATABASE_URL", default_url="postgres://postgres@127.0.0.1:5432/havebury_bench"
    )
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--list-cache-seconds", type=float, default=0.0)
    parser.add_argument("--log-level", default="WARNING", choices=["INFO", "WARNING"])
    args = parser.parse_args()
    run, _ = prepare(
        database_url=args.database_url, list_cache_seconds=args.list_cache_seconds, log_level=args.log_level
    )
    run(50)  # warm: token cache, prepared statements, imports
    began = time.process_time()
    run(args.requests)
    per_request = 1000 * (time.process_time() - began) / args.requests
    print(
        f"{args.requests} requests: {per_request:.2f} ms CPU per request (no profiler; includes the driver's json.loads)"
    )
    profile = cProfile.Profile(time.process_time)
    profile.enable()
    run(args.requests)
    profile.disable()
    stats: Any = pstats.Stats(profile, stream=io.StringIO()).stats  # type: ignore[attr-defined]
    whole = _cumulative(stats, *STAGES[0][1:])
    print("Under cProfile (times inflated by the profiler; shares of the whole request):")
    for label, file, function in STAGES:
        seconds = _cumulative(stats, file, function)
        if seconds:
            print(f"  {100 * seconds / whole:5.1f}%  {label}")


def api_environ(path: str, token: str) -> dict[str, Any]:
    """The WSGI environ of a bearer GET of `path` (with its query) from 127.0.0.1 behind the TLS proxy."""
    route, _, query = path.partition("?")
    return {
        "REQUEST_METHOD": "GET", "PATH_INFO": route, "QUERY_STRING": query, "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000", "HTTP_HOST": "127.0.0.1", "HTTP_AUTHORIZATION": f"Bearer {token}",
        "HTTP_X_FORWARDED_PROTO": "https", "HTTP_ACCEPT": "application/json", "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""), "wsgi.errors": sys.stderr, "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
    }  # fmt: skip


def prepare(
    *, database_url: str, list_cache_seconds: float, log_level: str
) -> tuple[Callable[[int], None], Callable[[str], bytes]]:
    """Django set up with production settings against the bench database; run(n): n requests of a
    client paging through the list from its first page, and call(path): one request, both through
    Django's WSGI handler in this process."""
    os.environ.update(
        {
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "havebury_social.settings.base",
            "LOG_LEVEL": log_level,
            "API_THROTTLE_RATE": "100000000/hour",
            "API_LIST_CACHE_SECONDS": str(list_cache_seconds),
        }
    )
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-not-for-production-use-0123456789")
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler

    from bench.api_bench import _tokens

    token = _tokens(1)[0]
    app = WSGIHandler()

    def call(path: str) -> bytes:
        environ = api_environ(path, token)
        status: list[str] = []

        def start_response(line: str, headers: Any, *_: Any) -> Any:
            status.append(line)
            return lambda data: None

        answer = app(environ, start_response)
        body = b"".join(answer)
        answer.close()  # as a WSGI server does once the body is sent (a refresh ahead runs here)
        assert status[0].startswith("200"), body[:300]
        return body

    def run(n: int) -> None:
        path, depth = FIRST, 0
        for _ in range(n):
            path, depth = next_request(json.loads(call(path))["next"], depth, FIRST)

    return run, call


def _cumulative(stats: Any, file: str, function: str) -> float:
    return sum(row[3] for (path, _, name), row in stats.items() if path.endswith(file) and name == function)


if __name__ == "__main__":
    main()
