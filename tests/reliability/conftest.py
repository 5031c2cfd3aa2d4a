"""The fault scenarios record what they injected, expected and found; the last one writes
docs/reliability.md from those records (produced by the tests, never typed)."""

from __future__ import annotations

from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parent.parent.parent / "docs" / "reliability.md"
ROWS: dict[str, dict[str, str]] = {}
ORDER = [
    "webhooks",
    "storm_5xx",
    "storm_429",
    "slow",
    "killed_mid_send",
    "poison",
    "sigkill_mid_send",
    "sigkill_mid_poll",
    "redis_restart",
    "pg_dropped",
]

HEADER = """# Reliability: faults injected and what survived

Written by `pytest tests/reliability` (tests/reliability/conftest.py) from what each fault test
injected, expected and found; nothing here is typed by hand. Every scenario runs against the fake
platform server over loopback HTTP and real PostgreSQL and Redis, bounded. The first ones run the
services in the test process, as the worker would, with no sleeps: time is moved with time-machine,
and a retry (the beat's next poll, an action's own scheduled retry) or the 30 s sweep is run as the
worker would run it. The last ones
(tests/reliability/test_processes.py) kill or cut real processes: real `celery worker` processes
on a throwaway redis-server started for the test, against the test database; only the sweep's
60 s "stuck" threshold is not waited out in real time (the sweep runs under time-machine and
enqueues for the real worker). "Items" counts comments on the fake platform against rows stored;
"actions" counts platform actions requested against what the fake platform logged. "Health" is
what `/readyz` reported for the channel (or the broker and the work backlog) during the fault and
after recovery.

| scenario | how it is injected | items expected / stored | actions expected / sent | recovered by itself | health during → after |
|---|---|---|---|---|---|
"""


MEASURES: dict[str, str] = {}
MEASURED = """
## Catch-up after a fault, measured

Issue 12's target: after any single fault the queue catches up within 60 s of the platform being
reachable again. Measured end to end, in real time, by two tests in
`tests/reliability/test_processes.py` (a full `pytest tests/reliability` run writes this page).
The first measures one short outage. A longer
one makes no difference: a failing channel's back-off (15 s doubling) never grows past the
interval the channel would poll at if healthy (`moderation/poll_intervals.py`, pinned by
`tests/moderation/test_poll_intervals.py`), so at the deployed 30 s interval the first poll after
the platform comes back is at most 30 s away, plus the fan-out's tick. The second kills a worker
mid-poll: its poll's lock lapses within 10 s (a heartbeat renews it only while the poll lives;
renewal and release check the lock's token and act in one Redis script, `moderation/cache_lock.py`,
so a stalled poll never extends or drops a lock another poll took since), and
the fan-out resumes a sweep that stopped part-way at its next 30 s tick, whatever the channel's
interval (`moderation/selectors.py`, `sweep_stopped_part_way`).

"""


def record(key: str, **row: str) -> None:
    ROWS[key] = row


def measure(key: str, text: str) -> None:
    MEASURES[key] = text


@pytest.fixture(scope="session", autouse=True)
def _write_reliability_doc():
    yield
    if set(ROWS) != set(ORDER) or {"catch_up", "kill_mid_poll"} - set(MEASURES):
        return  # only a full run of the scenarios rewrites the document
    lines = [
        f"| {r['scenario']} | {r['injected']} | {r['items']} | {r['actions']} | {r['recovered']} | {r['health']} |"
        for r in (ROWS[k] for k in ORDER)
    ]
    measured = MEASURES["catch_up"] + "\n\n" + MEASURES["kill_mid_poll"]
    DOC.write_text(HEADER + "\n".join(lines) + "\n" + MEASURED + measured + "\n")
