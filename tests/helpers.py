"""Shared test helpers (conventions §5)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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
