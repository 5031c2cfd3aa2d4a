"""Thin Celery wrappers around services (conventions §1, §4).

Each task takes ids, has the same name as the service it calls and is idempotent.
Queues: poll (platform reads), classify (policy check), actions (platform writes).
"""

from __future__ import annotations
