"""Done-when of issue 13: the worker log of a run with a dead platform contains no token.

A real Celery worker (a subprocess, started the way `make run` starts it, with the project's
logging set-up) runs polls and an outbound action against a platform that refuses connections
(Facebook) and one that accepts them and never answers (Instagram), until they give up: a poll
is not retried by Celery (the beat polls again later), so each failed poll is final for the
worker, and the action is on its last attempt. Then its captured log is grepped for the tokens and the app-secret proof those calls carried.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import signal
import socket
import threading
import time
import uuid
from pathlib import Path

import pytest

from fakeplatforms import DEMO_IG_USER_ID, DEMO_PAGE_ID
from moderation.models import Action, ActionStatus, Channel
from moderation.services.actions import ACTION_MAX_ATTEMPTS
from moderation.tasks import action_execute, channel_poll
from tests.factories import ChannelFactory, ItemFactory
from tests.log_leak_plugin import TOKEN_SHAPES, TOKENS_USED
from tests.reliability.processes import Worker, free_port, worker_env

pytestmark = pytest.mark.django_db(transaction=True)

APP_SECRET = "dead-platform-app-secret-" + secrets.token_hex(8)
FB_TOKEN = "EAAP" + secrets.token_urlsafe(24)
IG_TOKEN = "EAAP" + secrets.token_urlsafe(24)
PROOFS = [hmac.new(APP_SECRET.encode(), t.encode(), hashlib.sha256).hexdigest() for t in (FB_TOKEN, IG_TOKEN)]
TOKENS_USED.update({FB_TOKEN, IG_TOKEN, APP_SECRET, *PROOFS})
DEADLINE = 90  # seconds for the worker to start and every task to give up


@pytest.fixture
def silent_platform():
    """Accepts connections (the backlog does) and never answers a byte: every read times out."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        yield int(server.getsockname()[1])


@pytest.fixture
def worker(tmp_path, silent_platform):
    queue = f"deadplatform-{uuid.uuid4().hex[:8]}"  # its own queue: no other test's messages
    refused = f"http://127.0.0.1:{free_port()}"  # Facebook: nothing listens, connections are refused
    env = worker_env(redis_url=os.environ["REDIS_URL"], fake_url=refused, read_timeout=1)
    env.update(
        {
            "LOG_FORMAT": "plain",
            "INSTAGRAM_GRAPH_URL": f"http://127.0.0.1:{silent_platform}/instagram",
            "FACEBOOK_APP_SECRET": APP_SECRET,
            "PLATFORM_CONNECT_TIMEOUT": "1",
        }
    )
    process = Worker(tmp_path, env, queue)
    process.start(queues=queue)
    try:
        yield queue, process.log
    finally:
        process.kill(signal.SIGTERM)


def _wait_for(condition, log_path: Path) -> str:
    """Wait on the other process's log, with a deadline (as tests/test_supervisor.py does)."""
    deadline, pause = time.monotonic() + DEADLINE, threading.Event()
    while time.monotonic() < deadline:
        text = log_path.read_text()
        if condition(text):
            return text
        pause.wait(0.5)
    raise AssertionError("the worker did not finish in time; its log:\n" + log_path.read_text()[-3000:])


def test_a_worker_giving_up_on_a_dead_platform_logs_no_token(worker):
    queue, log_path = worker
    fb = ChannelFactory(platform="facebook", account_id=DEMO_PAGE_ID, credentials={"access_token": FB_TOKEN})
    ig = ChannelFactory(
        platform="instagram", account_id=DEMO_IG_USER_ID, credentials={"access_token": IG_TOKEN}
    )
    item = ItemFactory(channel=fb, platform_id=f"{DEMO_PAGE_ID}_1_2")
    # The last attempt of a hide: this failure is the one that gives up.
    action = Action.objects.create(
        item=item, channel=fb, kind="hide", idempotency_key="dead-platform", attempts=ACTION_MAX_ATTEMPTS - 1
    )
    # A failed poll is final for the worker (the beat polls again later): Celery logs the task's
    # traceback, the `requests` error and its URL included.
    for channel in (fb, ig):
        channel_poll.apply_async((channel.pk,), queue=queue)
    action_execute.apply_async((action.pk,), queue=queue)

    text = _wait_for(
        lambda t: t.count("raised unexpected") >= 2 and re.search(r"action_execute\[[^\]]+\] succeeded", t),
        log_path,
    )

    # What the run did: both polls gave up with the transport error in their tracebacks …
    assert text.count("raised unexpected") >= 2
    assert "Traceback" in text
    assert "could not be reached" in text  # Facebook: connection refused
    assert "timed out" in text  # Instagram: no answer
    assert "appsecret_proof" in text  # the failing URL is in the traceback (its proof scrubbed)
    assert {Channel.objects.get(pk=c.pk).health for c in (fb, ig)} == {"degraded"}
    action.refresh_from_db()
    assert action.status == ActionStatus.FAILED  # … and the action ended after its last attempt
    # … and not one secret reached the log.
    for secret in (FB_TOKEN, IG_TOKEN, APP_SECRET, *PROOFS):
        assert secret not in text
    assert not TOKEN_SHAPES.search(text)
    assert not re.search(r"appsecret_proof=[0-9a-f]{16}", text)
    for secret in (FB_TOKEN, IG_TOKEN, *PROOFS):
        assert secret not in action.error
