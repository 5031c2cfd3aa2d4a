"""Real processes for the fault tests: a throwaway redis-server and Celery workers on it.

The shared Redis on 6379 is never restarted or used as these workers' broker: each test starts
its own redis-server on a free loopback port (no persistence, so a restart loses what it held,
as a crashed Redis without AOF does), and the workers run against the test database that
pytest-django created. Waits are deadlines, never fixed sleeps.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import redis
from django.conf import settings
from django.db import connection
from kombu import pools as kombu_pools

from fakeplatforms import DEFAULT_APP_ID, DEFAULT_APP_SECRET

ROOT = Path(__file__).resolve().parent.parent.parent
REDIS_SERVER = shutil.which("redis-server") or "redis-server"
_pause = threading.Event()  # never set: its wait() is a deadline step


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(check: Callable[[], object], *, seconds: float, step: float = 0.1, what: str = "") -> float:
    """Call check until it is truthy; returns the seconds it took, fails after `seconds`."""
    started = time.monotonic()
    while True:
        if check():
            return time.monotonic() - started
        if time.monotonic() - started > seconds:
            raise AssertionError(f"gave up after {seconds} s waiting for {what or check}")
        _pause.wait(step)


class RedisServer:
    """One redis-server on 127.0.0.1:<free port>, in memory only; stop() is a crash (SIGKILL)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        log = (self.folder / f"redis-{self.port}.log").open("ab")
        self.proc = subprocess.Popen(  # noqa: S603 - the system's redis-server, on loopback
            [
                REDIS_SERVER,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            cwd=self.folder,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_for(self.ping, seconds=10, what="redis-server to answer")

    def ping(self) -> bool:
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5, socket_timeout=0.5)
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False
        finally:
            client.close()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self.proc = None


def database_url() -> str:
    """The test database pytest-django created, for another process."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def worker_env(*, redis_url: str, fake_url: str, read_timeout: float = 5.0) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE", "REDIS", "CELERY"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "havebury_social.settings.test",
            "DATABASE_URL": database_url(),
            "REDIS_URL": redis_url,  # the worker's broker and cache (its poll and reply locks)
            "FIELD_ENCRYPTION_KEYS": ",".join(settings.FIELD_ENCRYPTION_KEYS),  # to read channel tokens
            "FACEBOOK_GRAPH_URL": f"{fake_url}/facebook",
            "FACEBOOK_DIALOG_URL": f"{fake_url}/facebook",
            "INSTAGRAM_GRAPH_URL": f"{fake_url}/instagram",
            "FACEBOOK_APP_ID": DEFAULT_APP_ID,
            "FACEBOOK_APP_SECRET": DEFAULT_APP_SECRET,
            "PLATFORM_CONNECT_TIMEOUT": "2",
            "PLATFORM_READ_TIMEOUT": str(read_timeout),
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


class _CeleryProcess:
    """One Celery command in its own process group, logging to `log`."""

    def __init__(self, log: Path, env: dict[str, str]) -> None:
        self.log, self.env = log, env
        self.proc: subprocess.Popen[bytes] | None = None

    def _launch(self, args: list[str], *, ready: str, what: str) -> None:
        command = [sys.executable, "-m", "celery", "-A", "havebury_social.celery_app", *args]
        self.proc = subprocess.Popen(  # noqa: S603 - this interpreter running Celery
            command,
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(lambda: ready in self.output() or self.proc.poll() is not None, seconds=60, what=what)
        assert self.proc.poll() is None, self.output()[-3000:]

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def _signal_group(self, sig: int) -> None:
        if self.proc is not None and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, sig)
            self.proc.wait(timeout=30)
        self.proc = None


class Worker(_CeleryProcess):
    """`celery worker` as deployed (acks_late, prefetch 1). By default one process (solo pool),
    so a SIGKILL takes the whole worker and the messages it held, as an OOM kill or a power cut
    does; `concurrency` > 1 runs the prefork pool, and kill() signals the whole process group."""

    def __init__(self, folder: Path, env: dict[str, str], name: str) -> None:
        super().__init__(folder / f"worker-{name}.log", env)
        self.name = name

    def start(
        self, *, concurrency: int = 1, beat: bool = False, queues: str = "poll,classify,actions"
    ) -> None:
        pool = (
            ["--pool", "solo"]
            if concurrency == 1
            else ["--pool", "prefork", "--concurrency", str(concurrency)]
        )
        args = ["worker", *pool, "-Q", queues, "-n", f"{self.name}@127.0.0.1", "--without-gossip"]
        args += ["--without-mingle", "-l", "INFO"]
        if beat:
            args += ["--beat", "-s", str(self.log.with_suffix(".beat"))]
        self._launch(args, ready=" ready.", what="worker")

    def kill(self, sig: int = signal.SIGKILL) -> None:
        self._signal_group(sig)


class Beat(_CeleryProcess):
    """`celery beat` as deployed: its own process (docker-compose's `beat` service) with the
    database scheduler, so killing a worker leaves the fan-out and the sweep ticking."""

    def __init__(self, folder: Path, env: dict[str, str]) -> None:
        super().__init__(folder / "beat.log", env)

    def start(self) -> None:
        self._launch(["beat", "-l", "INFO"], ready="beat: Starting", what="beat")

    def stop(self) -> None:
        self._signal_group(signal.SIGTERM)


@contextlib.contextmanager
def celery_publishing_to(url: str) -> Iterator[None]:
    """This test process's Celery app sends to `url` (the throwaway broker) inside the block,
    so services run here (a sweep under time-machine) enqueue for the real worker."""
    from havebury_social.celery_app import app

    saved = app.conf.broker_url, app.conf.broker_write_url
    app.conf.broker_url, app.conf.broker_write_url = url, url
    _reset_pools(app)
    try:
        yield
    finally:
        _reset_pools(app)
        app.conf.broker_url, app.conf.broker_write_url = saved


def _reset_pools(app) -> None:
    if app._pool is not None:  # Celery keeps its connection pools here
        app._pool.force_close_all()
        app._pool = None
    # kombu keeps producer pools in a process-wide registry keyed by broker URL: closing one
    # without clearing the registry hands the closed pool to the next test that sends a task.
    kombu_pools.reset()
    app.amqp._producer_pool = None
