"""Faults injected into real processes: a Celery worker killed with SIGKILL, Redis crashed and
restarted, a PostgreSQL connection terminated mid-transaction.

Each test starts its own redis-server on a free port (tests/reliability/processes.py) and real
`celery worker` processes against the test database and the fake platform server over loopback.
The one thing not waited for in real time is the sweep's 60 s "stuck" threshold: the sweep (and
the beat's poll fan-out) run in this process under time-machine, moved on past it, and enqueue
for the real worker. Each records its row for docs/reliability.md (tests/reliability/conftest.py).
"""

from __future__ import annotations

import io
import os
import re
import time
from datetime import timedelta

import psycopg2
import pytest
import redis
import time_machine
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from fakeplatforms import DEMO_PAGE_ID
from moderation.health import check_broker, work_state
from moderation.models import Action, ActionStatus, Channel, Item, Visibility
from moderation.services.actions import action_request
from moderation.services.ingest import channel_poll, channels_poll_due
from moderation.services.sweep import items_sweep
from moderation.tasks import channel_poll as channel_poll_task
from tests.factories import ChannelFactory, lead
from tests.reliability.conftest import measure, record
from tests.reliability.processes import (
    Beat,
    RedisServer,
    Worker,
    celery_publishing_to,
    database_url,
    wait_for,
    worker_env,
)
from tests.reliability.test_faults import health, live_comments, platform_log

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def workers(tmp_path, redis_server, fake_platforms):
    """Start named workers on the throwaway broker; every one is killed at the end."""
    started: list[Worker] = []

    def start(name: str, concurrency: int = 1, beat: bool = False) -> Worker:
        env = worker_env(redis_url=redis_server.url, fake_url=fake_platforms.base_url)
        worker = Worker(tmp_path, env, name)
        worker.start(concurrency=concurrency, beat=beat)
        started.append(worker)
        return worker

    with celery_publishing_to(redis_server.url):
        yield start
    for worker in started:
        worker.kill()


@pytest.fixture
def channel(fake_platforms, meta_settings):
    return ChannelFactory(
        platform="facebook",
        account_id=DEMO_PAGE_ID,
        credentials={"access_token": fake_platforms.page_token()},
    )


def sweep_later(minutes: float = 2) -> None:
    """The beat's 30 s sweep, run once the rows have waited past its threshold."""
    with time_machine.travel(timezone.now() + timedelta(minutes=minutes), tick=True):
        items_sweep()


def status(action: Action) -> str:
    return Action.objects.get(pk=action.pk).status


def recover(done, *, ticks: int = 4) -> int:
    """What beat does, a tick at a time: the sweep and the poll fan-out, each tick with time
    moved on past the channel's interval, until `done()`; returns the ticks it took."""
    for tick in range(1, ticks + 1):
        with time_machine.travel(timezone.now() + timedelta(minutes=6 * tick), tick=True):
            items_sweep()
            channels_poll_due()
        try:
            wait_for(done, seconds=15, what="the queue to catch up")
        except AssertionError:
            continue
        return tick
    raise AssertionError("the queue did not catch up")


def ended(worker: Worker, task: str) -> bool:
    return bool(re.search(rf"tasks\.{task}\[[^]]+\] (succeeded|raised)", worker.output()))


def stored_and_classified(channel, n: int) -> bool:
    comments = Item.objects.filter(channel=channel, kind="comment")
    return comments.count() == n and not comments.filter(classified_at__isnull=True).exists()


def test_worker_killed_with_sigkill_mid_send(fake_platforms, channel, workers):
    post = fake_platforms.add_post()
    fake_platforms.add_comments(post["id"], 3)
    first = workers("first")
    channel_poll(channel_id=channel.pk)
    wait_for(lambda: not work_state()["unclassified"], seconds=30, what="the worker to classify")
    target = Item.objects.filter(channel=channel, kind="comment").order_by("platform_id").first()
    # The platform takes the hide, then holds its answer: the kill lands mid-send.
    fake_platforms.fail_next({"kind": "slow", "seconds": 30, "method": "POST", "path": target.platform_id})

    hide = action_request(item_id=target.pk, kind="hide", actor=lead())
    wait_for(lambda: platform_log(fake_platforms, "hide"), seconds=20, what="the hide to reach the platform")
    first.kill()  # SIGKILL to the whole worker, with the message unacknowledged
    left = Action.objects.get(pk=hide.pk)
    during = work_state()["actions"]
    workers("second")  # the broker keeps the dead worker's message unacked (visibility timeout)
    sweep_later()
    wait_for(lambda: status(hide) == ActionStatus.SENT, seconds=30, what="the hide to be confirmed")

    hide.refresh_from_db()
    hides = platform_log(fake_platforms, "hide")
    assert (left.status, left.attempts) == (ActionStatus.PENDING, 1)  # killed before recording
    assert during["pending"] == 1
    assert len(hides) == 1
    assert hide.platform_response.get("read_back") is True  # confirmed by reading back, not resent
    assert Item.objects.get(pk=target.pk).visibility == Visibility.HIDDEN
    assert Item.objects.filter(channel=channel, kind="comment").count() == 3
    after = work_state()["actions"]
    assert after["pending"] == 0
    record(
        "sigkill_mid_send",
        scenario="Worker process killed with SIGKILL mid-send",
        injected="a real `celery worker` sends an officer's hide; the fake platform hides the comment and holds "
        "its answer; the whole worker is killed with SIGKILL, its message unacknowledged; a new worker "
        "starts and the 30 s sweep runs (time moved on 2 minutes)",
        items="3 / 3",
        actions=f"1 hide / {len(hides)} hide (read back and confirmed by the new worker, not sent again)",
        recovered="yes: the sweep re-enqueues the pending row; the new worker reads the platform back first",
        health=f"{health(channel)}, /readyz work: {during['pending']} action pending → {health(channel)}, "
        f"{after['pending']} pending",
    )


POSTS, PER_POST, PAGE_HELD = 5, 8, 1.5


def test_worker_killed_with_sigkill_mid_poll(fake_platforms, channel, workers, redis_server, tmp_path):
    """Measured in real time, nothing moved: `celery beat` in its own process as deployed, the
    channel at the default intervals (5 minutes normal, 1 minute busy)."""
    call_command("setup_periodic_tasks", stdout=io.StringIO())
    posts = [fake_platforms.add_post() for _ in range(POSTS)]
    for post in posts:
        fake_platforms.add_comments(post["id"], PER_POST)
    # Each post's comments page is held PAGE_HELD s: the sweep is reliably part-way when killed.
    fake_platforms.fail_next(
        *(
            {"kind": "slow", "seconds": PAGE_HELD, "method": "GET", "path": f"{p['id']}/comments"}
            for p in posts
        )
    )
    beat = Beat(tmp_path, worker_env(redis_url=redis_server.url, fake_url=fake_platforms.base_url))
    beat.start()
    try:
        first = workers("first")
        channel_poll_task.delay(channel.pk)  # what the fan-out sends for a channel never polled
        comments = Item.objects.filter(channel=channel, kind="comment")
        wait_for(lambda: comments.count() >= PER_POST, seconds=30, what="the first page of comments")
        first.kill()  # SIGKILL to the whole worker, mid-way through the next post's page
        killed = time.monotonic()
        stored_at_kill = comments.count()
        cursor_at_kill = Channel.objects.get(pk=channel.pk).cursor
        during = health(channel)
        broker = redis.Redis.from_url(redis_server.url)
        (lock_key,) = broker.keys("*poll-lock*")  # the killed poll's lock, as the worker keyed it
        lapses_in = broker.pttl(lock_key) / 1000  # nothing renews it now
        second = workers("second")
        wait_for(
            lambda: stored_and_classified(channel, POSTS * PER_POST),
            seconds=120,
            step=0.25,
            what="every comment",
        )
        took = time.monotonic() - killed
    finally:
        beat.stop()

    stored = list(comments.values_list("platform_id", flat=True))
    actions = fake_platforms.admin("GET", "actions")["log"]
    assert 0 < stored_at_kill < POSTS * PER_POST
    assert "sweep_started_at" in cursor_at_kill  # killed part-way through the sweep
    assert 0 < lapses_in <= 10
    assert len(stored) == len(set(stored)) == POSTS * PER_POST  # each comment stored exactly once
    assert set(stored) == live_comments(fake_platforms)
    assert actions == []
    for log in (second.output(), first.output()):  # never two polls of the channel at once
        assert "moved the cursor" not in log
        assert "took its lock" not in log
    load = os.getloadavg()[0]
    record(
        "sigkill_mid_poll",
        scenario="Worker process killed with SIGKILL mid-poll",
        injected=f"a real `celery worker` polls {POSTS} posts with {PER_POST} new comments each, the fake "
        f"platform holding each post's comments page {PAGE_HELD} s; the whole worker is killed with SIGKILL "
        "after the first page of comments is stored; a fresh worker starts; `celery beat` runs in its own "
        "process as deployed; nothing moved in time",
        items=f"{POSTS * PER_POST} / {len(stored)} (each once; {stored_at_kill} stored before the kill)",
        actions=f"none / {len(actions) or 'none'}",
        recovered=f"yes: the killed poll's lock lapsed {lapses_in:.1f} s after the kill (it lives 10 s and "
        "is renewed every 3 s while a poll runs); the "
        f"fan-out's next tick resumed the sweep after the last stored page; all stored and classified "
        f"{took:.1f} s after the kill",
        health=f"{during} → {health(channel)}",
    )
    measure(
        "kill_mid_poll",
        f"Worker killed with SIGKILL mid-poll ({stored_at_kill} of {POSTS * PER_POST} new comments stored), "
        f"a fresh worker started, `celery beat` in its own process, the channel at its default intervals "
        f"(5 minutes normal): from the kill to all {POSTS * PER_POST} stored once and classified: "
        f"**{took:.1f} s** (target under {CATCH_UP_TARGET} s); load average {load:.1f} on "
        f"{os.cpu_count()} cores.",
    )
    assert took < CATCH_UP_TARGET, f"caught up {took:.1f} s after the kill"


def test_redis_restarted_while_polls_and_actions_are_in_flight(
    fake_platforms, channel, workers, redis_server
):
    post = fake_platforms.add_post()
    fake_platforms.add_comments(post["id"], 5)
    worker = workers("prefork", concurrency=2)  # two children: a poll and an action in flight at once
    channel_poll(channel_id=channel.pk)
    wait_for(lambda: stored_and_classified(channel, 5), seconds=30, what="the first comments")
    target = Item.objects.filter(channel=channel, kind="comment").order_by("platform_id").first()
    fake_platforms.add_comments(post["id"], 15)
    held = 3.0  # the platform's answers are held while Redis goes down
    fake_platforms.fail_next(
        {"kind": "slow", "seconds": held, "method": "GET", "path": f"{post['id']}/comments"},
        {"kind": "slow", "seconds": held, "method": "POST", "path": target.platform_id},
    )
    hide = action_request(item_id=target.pk, kind="hide", actor=lead())
    channel_poll_task.delay(channel.pk)  # what the beat's fan-out sends
    wait_for(lambda: not fake_platforms.world.data["failures"], seconds=20, what="both requests in flight")

    redis_server.stop()  # crashed: the broker's queues, unacked messages and locks are gone
    broker_during = check_broker(redis_server.url)
    # Redis stays down until both tasks have ended: their answers arrive, they write to
    # PostgreSQL, and whatever they enqueue or lock in Redis meanwhile fails.
    wait_for(lambda: ended(worker, "channel_poll") and ended(worker, "action_execute"), seconds=held + 20)
    unclassified = work_state()["unclassified"]
    redis_server.start()  # same port, empty
    ticks = recover(lambda: stored_and_classified(channel, 20) and status(hide) == ActionStatus.SENT)

    hides = platform_log(fake_platforms, "hide")
    assert not broker_during["ok"]
    assert check_broker(redis_server.url)["ok"]
    assert len(hides) == 1
    assert Item.objects.get(pk=target.pk).visibility == Visibility.HIDDEN
    assert stored_and_classified(channel, 20)
    assert work_state()["unclassified"] == 0
    record(
        "redis_restart",
        scenario="Redis restarted while polls and actions are in flight",
        injected="a real worker (prefork, 2 children) polls 15 new comments and sends a hide, both answers held "
        f"{held:.0f} s by the fake platform; the throwaway redis-server (broker and cache, no persistence) is "
        "killed meanwhile and restarted empty on the same port",
        items=f"20 / {Item.objects.filter(channel=channel, kind='comment').count()} (all classified)",
        actions=f"1 hide / {len(hides)} hide",
        recovered=f"yes: the worker reconnects; the sweep and the poll fan-out re-enqueue what the restart lost "
        f"({ticks} beat tick{'s' if ticks > 1 else ''}, time moved on 6 minutes a tick)",
        health=f"broker: {broker_during.get('error', 'ok')}, {unclassified} unclassified → broker ok, "
        f"0 unclassified; channel {health(channel)}",
    )


def _backend_waiting_on_a_lock() -> int | None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _terminate_while_waiting(lock_sql: str, params: list[object], start) -> None:
    """Hold a row lock from a second connection so the worker's transaction stops mid-way on it,
    terminate the worker's connection there (pg_terminate_backend), then let go."""
    holder = psycopg2.connect(database_url())
    try:
        with holder.cursor() as cursor:
            cursor.execute(lock_sql, params)
        start()
        pid = None

        def waiting() -> bool:
            nonlocal pid
            pid = _backend_waiting_on_a_lock()
            return pid is not None

        wait_for(waiting, seconds=20, what="the worker's transaction to wait on the lock")
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            assert cursor.fetchone()[0] is True
    finally:
        holder.rollback()
        holder.close()


def test_postgres_connection_dropped_mid_transaction(fake_platforms, channel, workers, client):
    post = fake_platforms.add_post()
    fake_platforms.add_comments(post["id"], 8)
    worker = workers("pg")
    # A poll's page transaction (items, authors and cursor in one) is cut before it commits ...
    _terminate_while_waiting(
        "SELECT id FROM moderation_channel WHERE id = %s FOR UPDATE",
        [channel.pk],
        lambda: channel_poll_task.delay(channel.pk),
    )
    wait_for(lambda: "OperationalError" in worker.output(), seconds=20, what="the poll to fail")
    stored_after_cut = Item.objects.filter(channel=channel, kind="comment").count()
    # The worker reconnected and recorded the failure on the channel: its page says what happened.
    wait_for(lambda: Channel.objects.get(pk=channel.pk).recent_failures, seconds=20, what="the record")
    (recorded,) = Channel.objects.get(pk=channel.pk).recent_failures
    client.force_login(lead())
    page = client.get(f"/channels/{channel.pk}/").content.decode()
    # ... then, after the poll's next run, the platform takes a hide and the transaction that
    # records it is cut: the hide happened, the row does not know.
    channel_poll_task.delay(channel.pk)
    wait_for(lambda: stored_and_classified(channel, 8), seconds=30, what="the next poll")
    target = Item.objects.filter(channel=channel, kind="comment").order_by("platform_id").first()
    fake_platforms.fail_next({"kind": "slow", "seconds": 2, "method": "POST", "path": target.platform_id})
    hide = action_request(item_id=target.pk, kind="hide", actor=lead())
    wait_for(lambda: platform_log(fake_platforms, "hide"), seconds=20, what="the hide to reach the platform")
    _terminate_while_waiting(
        "SELECT id FROM moderation_action WHERE id = %s FOR UPDATE", [hide.pk], lambda: None
    )
    left = Action.objects.get(pk=hide.pk)
    during = work_state()["actions"]
    ticks = recover(lambda: status(hide) == ActionStatus.SENT)

    hide.refresh_from_db()
    hides = platform_log(fake_platforms, "hide")
    assert stored_after_cut == 0  # the cut page was rolled back whole, cursor included
    assert (recorded["part"], recorded["error"]) == ("database", "OperationalError")
    assert recorded["message"].startswith("The database failed (")  # and the database's own words
    assert "Storing a page of a poll" in page
    assert "the page was rolled back whole and the next poll resumes after the last stored page" in page
    assert (left.status, left.attempts) == (ActionStatus.PENDING, 1)
    assert len(hides) == 1
    assert hide.platform_response.get("read_back") is True
    assert stored_and_classified(channel, 8)
    assert worker.proc is not None
    assert worker.proc.poll() is None  # the same worker carried on with a new connection
    record(
        "pg_dropped",
        scenario="PostgreSQL connection dropped mid-transaction",
        injected="pg_terminate_backend on a real worker's connection while its transaction waits on a row lock "
        "held from a second connection: once in a poll's page transaction (8 new comments), once in the "
        "transaction recording a hide the fake platform had already done",
        items=f"8 / {Item.objects.filter(channel=channel, kind='comment').count()} (0 after the cut: the page "
        "rolled back whole, then the next poll)",
        actions=f"1 hide / {len(hides)} hide (read back and confirmed, not sent again)",
        recovered=f"yes: the same worker reconnects at once (it records the failure on the channel) and the "
        "next poll stores the page; the sweep re-enqueues the "
        f"pending hide ({ticks} beat tick{'s' if ticks > 1 else ''}, time moved on)",
        health=f"database ok (one connection died, the server did not), channel {health(channel)}, channel "
        f"page: “{recorded['message'].split(';')[0]}”, /readyz work: {during['pending']} action pending → "
        f"{work_state()['actions']['pending']} pending",
    )


OUTAGE_SECONDS = 30
CATCH_UP_TARGET = 60


def test_catch_up_within_a_minute_of_the_platform_coming_back(fake_platforms, channel, workers):
    """Measured in real time, nothing moved: a real worker with its beat (the schedule as deployed)."""
    call_command("setup_periodic_tasks", stdout=io.StringIO())
    post = fake_platforms.add_post()
    fake_platforms.add_comments(post["id"], 5)
    channel_poll(channel_id=channel.pk)
    workers("beat", beat=True)
    wait_for(lambda: stored_and_classified(channel, 5), seconds=30, what="the first comments")

    fake_platforms.world.fail_rate = 1.0  # every Graph call answers 500 or 503
    down = time.monotonic()
    fake_platforms.add_comments(post["id"], 20)  # written while the platform is down
    channel_poll_task.delay(channel.pk)  # a poll falls due as the outage starts, and fails
    wait_for(lambda: Channel.objects.get(pk=channel.pk).poll_failures, seconds=20, what="a failed poll")
    wait_for(lambda: time.monotonic() - down >= OUTAGE_SECONDS, seconds=OUTAGE_SECONDS + 1)
    during = Channel.objects.get(pk=channel.pk)
    fake_platforms.world.fail_rate = 0.0  # reachable again
    took = wait_for(
        lambda: stored_and_classified(channel, 25), seconds=240, step=0.25, what="every new comment"
    )

    load = os.getloadavg()[0]
    measure(
        "catch_up",
        f"Platform down {OUTAGE_SECONDS} s (every Graph call a 500 or 503) while 20 comments were written; "
        f'{during.poll_failures} polls failed meanwhile (channel {during.health}: "{during.last_error[:80]}"). '
        f"From the platform answering again to all 20 stored and classified: **{took:.1f} s** "
        f"(target under {CATCH_UP_TARGET} s), with a real `celery worker --beat` on the deployed schedule "
        f"(sweep and poll fan-out every 30 s) and nothing moved in time; load average {load:.1f} on "
        f"{os.cpu_count()} cores.",
    )
    assert during.health == "degraded"
    assert took < CATCH_UP_TARGET, f"caught up {took:.1f} s after the platform came back"
