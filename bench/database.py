"""What the benchmarks on their own PostgreSQL database share: the common options and the database."""

from __future__ import annotations

import argparse
import os


def large_queue_parser(doc: str | None, *, env: str, default_url: str) -> argparse.ArgumentParser:
    """--items (a million by default) and --database-url (from the `env` variable, else `default_url`)."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=os.environ.get(env, default_url))
    return parser


def ensure_database(url: str) -> None:
    """Create the benchmark's database on first use (it is never the app's own)."""
    import psycopg2

    name = url.rsplit("/", 1)[1]
    admin = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
