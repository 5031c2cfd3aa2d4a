"""Instructions per items list request in-process, counted by valgrind's callgrind: a figure the
machine's load does not move, for comparing code changes on a shared machine.

    python -m bench.api_instructions [--requests 200] [--list-cache-seconds 1000] [--log-level INFO]

Runs bench.api_profile's requests (a read token paging through /api/v1/items/ with production
settings, through Django's WSGI handler; the pages' paths found beforehand, so the driver parses
no JSON while it is measured) in a child process
under callgrind with instrumentation off, switches it on (callgrind_control) for the measured
requests only, and prints the instructions per request. CPU time spent in the kernel (sockets
to Redis and PostgreSQL) and in the servers is not counted. Needs Debian's valgrind package.
The default cache lifetime makes every measured answer a cache hit; 0 makes every one a build.
The request log goes to /dev/null (--log-level INFO counts writing it).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.database import large_queue_parser


def main() -> None:
    parser = large_queue_parser(
        __doc__, env="BENCH_DATABASE_URL", default_url="postgres://postgres@127.0.0.1:5432/havebury_bench"
    )
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--list-cache-seconds", type=float, default=1000.0)
    parser.add_argument("--log-level", default="INFO", choices=["INFO", "WARNING"])
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)  # the measured process
    args = parser.parse_args()
    if args.child:
        _child(args)
        return
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "callgrind.out"
        command = [
            "valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}",
            sys.executable, "-m", "bench.api_instructions", "--child", "--requests", str(args.requests),
            "--list-cache-seconds", str(args.list_cache_seconds), "--log-level", args.log_level,
            "--database-url", args.database_url,
        ]  # fmt: skip
        # Same hash seed each run: dict and set order, and so the instruction count, repeat.
        env = {**os.environ, "PYTHONHASHSEED": "0"}
        child = subprocess.Popen(  # noqa: S603
            command,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert child.stdin is not None
        assert child.stdout is not None
        pid = _expect(child, "ready")
        subprocess.run(["callgrind_control", "--instr=on", pid], check=True, capture_output=True)  # noqa: S603, S607
        child.stdin.write("go\n")
        child.stdin.flush()
        _expect(child, "done")
        subprocess.run(["callgrind_control", "--instr=off", pid], check=True, capture_output=True)  # noqa: S603, S607
        child.stdin.write("exit\n")
        child.stdin.close()
        child.wait(timeout=600)
        totals = next(line for line in out.read_text().splitlines() if line.startswith("totals:"))
    per_request = int(totals.split()[1]) / args.requests
    print(
        f"{args.requests} requests (API_LIST_CACHE_SECONDS={args.list_cache_seconds:g}, LOG_LEVEL={args.log_level}): "
        f"{per_request / 1e6:.3f}M instructions per request"
    )


def _expect(child: subprocess.Popen[str], word: str) -> str:
    assert child.stdout is not None
    for line in child.stdout:
        if line.startswith(word):
            return line.split()[1]
    raise RuntimeError(f"the measured process ended before saying {word!r}; run it with --child to see why")


def _child(args: argparse.Namespace) -> None:
    from bench.api_profile import prepare

    _, call = prepare(
        database_url=args.database_url, list_cache_seconds=args.list_cache_seconds, log_level=args.log_level
    )
    import json
    import logging

    from bench.api_bench import FIRST, next_request

    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(open(os.devnull, "w"))  # noqa: SIM115 - for the process's life
    paths, (path, depth) = [], (FIRST, 0)
    for _ in range(100):  # the paths a paging client asks for; warms the token cache, statements, pages
        paths.append(path)
        path, depth = next_request(json.loads(call(path))["next"], depth, FIRST)
    # As the web server's workers do once the application is loaded (havebury_social/wsgi.py): out
    # of the collector's generations, the long-lived objects are not walked by a full collection,
    # which otherwise fell inside or outside the measured requests by chance (0.2-0.3M a request).
    import gc

    gc.collect()
    gc.freeze()
    print("ready", os.getpid(), flush=True)
    sys.stdin.readline()
    for i in range(args.requests):
        call(paths[i % len(paths)])
    print("done", os.getpid(), flush=True)
    sys.stdin.readline()


if __name__ == "__main__":
    main()
