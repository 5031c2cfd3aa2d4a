"""The demo's process manager: a child that dies is restarted; one that keeps dying is given up on.

Real child processes (this interpreter, waiting on a signal); waits are deadlines on
a monotonic clock, never sleeps.
"""

import os
import signal
import sys
import threading
import time

import pytest

from moderation.supervisor import Supervisor

WAITS_FOR_SIGNAL = [sys.executable, "-c", "import signal; signal.pause()"]
DIES_AT_ONCE = [sys.executable, "-c", "raise SystemExit(3)"]


def until(predicate, *, seconds=15.0, step=0.02):
    deadline = time.monotonic() + seconds
    pause = threading.Event()
    while time.monotonic() < deadline:
        if predicate():
            return True
        pause.wait(step)
    return predicate()


@pytest.fixture
def supervised(tmp_path):
    made = []

    def make(commands, **options):
        messages = []
        sup = Supervisor(commands, log_dir=tmp_path, notify=messages.append, **options)
        sup.messages = messages
        sup.start()
        thread = threading.Thread(target=sup.run, kwargs={"tick": 0.02}, daemon=True)
        thread.start()
        made.append((sup, thread))
        return sup

    yield make
    for sup, thread in made:
        sup.stop(timeout=5)
        thread.join(timeout=5)


def test_a_child_killed_with_sigkill_is_restarted_and_the_others_keep_running(supervised, tmp_path):
    sup = supervised({"web": WAITS_FOR_SIGNAL, "worker": WAITS_FOR_SIGNAL}, first_pause=0.05)
    web_pid, worker_pid = sup.children["web"].pid, sup.children["worker"].pid
    assert (tmp_path / "worker.pid").read_text().strip() == str(worker_pid)

    os.kill(worker_pid, signal.SIGKILL)

    assert until(lambda: sup.children["worker"].restarts == 1), sup.messages
    new_pid = sup.children["worker"].pid
    assert new_pid != worker_pid
    assert sup.children["worker"].proc.poll() is None
    assert (tmp_path / "worker.pid").read_text().strip() == str(new_pid)
    assert sup.children["web"].pid == web_pid  # untouched
    assert sup.messages[0].startswith("worker stopped (killed by SIGKILL)")
    assert sup.messages[-1] == f"worker restarted (pid {new_pid})."


def test_a_child_that_keeps_dying_is_given_up_on_with_growing_pauses(supervised):
    sup = supervised({"beat": DIES_AT_ONCE, "web": WAITS_FOR_SIGNAL}, first_pause=0.01, max_rapid_failures=3)

    assert until(lambda: sup.children["beat"].gave_up), sup.messages
    beat = sup.children["beat"]
    assert beat.restarts == 3
    pauses = [m.split("restarting it in ")[1] for m in sup.messages if "restarting it in" in m]
    assert len(pauses) == 3
    assert "failed 4 times in a row, so it stays stopped" in sup.messages[-1]
    assert "exit 3" in sup.messages[-1]
    assert sup.children["web"].proc.poll() is None  # the rest of the demo keeps running


def test_stop_ends_every_child_and_removes_pid_files(tmp_path):
    sup = Supervisor({"a": WAITS_FOR_SIGNAL, "b": WAITS_FOR_SIGNAL}, log_dir=tmp_path)
    sup.start()
    procs = [c.proc for c in sup.children.values()]
    sup.stop(timeout=5)
    assert all(p.poll() is not None for p in procs)
    assert not list(tmp_path.glob("*.pid"))
    assert sup.stopping.is_set()
