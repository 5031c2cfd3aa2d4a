"""Shared test helpers (docs/architecture.md §7)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from django.urls import URLPattern, URLResolver

ROOT = Path(__file__).resolve().parent.parent


def run_python(code: str, data_dir: Path, *args: str, timeout: int = 120, **env: str):
    """Run `python -c code` in the repo with a clean environment (no DJANGO_/DATABASE_/REDIS_/
    CELERY_ variables, so settings fall back to their embedded defaults) and its own data folder."""
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "DATABASE", "REDIS", "CELERY"))
    }
    clean.update({"HAVEBURY_DATA_DIR": str(data_dir), **env})
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def walk_urls(resolver, prefix="", namespace=""):
    """(name, pattern) of every URL the resolver knows, namespaced, except the admin's and the API's.

    The REST API has its own permission matrix (tests/api), and its router's regex format-suffix
    routes cannot be filled in from a pattern the way these path() routes can.
    """
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name in ("admin", "api"):
                continue
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk_urls(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}" if entry.name else "", prefix + str(entry.pattern)


def route_url(pattern, ids):
    """Fill each <converter:name> with a real object's id when known, else a plausible value."""

    def fill(match):
        converter, name = match.group(1) or "str", match.group(2)
        if name in ids:
            return str(ids[name])
        return {"int": "1", "uuid": "00000000-0000-0000-0000-000000000000"}.get(converter, "facebook")

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", fill, pattern.replace("^", "").replace("$", ""))
