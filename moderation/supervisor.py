"""A small process manager for the laptop demo (`manage.py rundemo`).

It does what supervisord or systemd would: starts each child with its output in its own
log file, restarts a child that dies (after a short, growing pause, so a child that
crashes at once does not spin), gives up on a child that keeps dying, and stops every
child on request. Children run in their own sessions, so a Ctrl-C at the terminal reaches
only the supervisor, which then stops them in order and exits cleanly.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO


@dataclass
class Child:
    name: str
    argv: Sequence[str]
    proc: subprocess.Popen[bytes] | None = None
    log: IO[bytes] | None = None
    started_at: float = 0.0
    rapid_failures: int = 0  # deaths in a row, each soon after starting
    restart_at: float | None = None  # when a dead child is due to be started again
    gave_up: bool = False
    restarts: int = 0
    history: list[str] = field(default_factory=list)

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None else None


def describe_exit(code: int) -> str:
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit {code}"


class Supervisor:
    """Start, watch, restart and stop a fixed set of child processes."""

    def __init__(
        self,
        commands: Mapping[str, Sequence[str]],
        *,
        log_dir: Path,
        env: Mapping[str, str] | None = None,
        cwd: Path | None = None,
        notify: Callable[[str], None] = lambda message: None,
        first_pause: float = 1.0,
        max_pause: float = 30.0,
        stable_after: float = 60.0,
        max_rapid_failures: int = 5,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.children = {name: Child(name, list(argv)) for name, argv in commands.items()}
        self.log_dir = log_dir
        self.env = dict(env) if env is not None else None
        self.cwd = cwd
        self.notify = notify
        self.first_pause = first_pause
        self.max_pause = max_pause
        self.stable_after = stable_after
        self.max_rapid_failures = max_rapid_failures
        self.clock = clock
        self.stopping = threading.Event()

    def start(self) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        for child in self.children.values():
            self._spawn(child)

    def _spawn(self, child: Child) -> None:
        if child.log is None:
            child.log = (self.log_dir / f"{child.name}.log").open("ab")
        # Our own interpreter and fixed arguments: no untrusted input reaches the command.
        child.proc = subprocess.Popen(  # noqa: S603
            child.argv,
            env=self.env,
            cwd=self.cwd,
            stdin=subprocess.DEVNULL,
            stdout=child.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches the supervisor only; it stops children in order
        )
        child.started_at = self.clock()
        child.restart_at = None
        (self.log_dir / f"{child.name}.pid").write_text(f"{child.proc.pid}\n")

    def check(self) -> None:
        """Notice dead children and restart those whose pause is over. Call it often."""
        now = self.clock()
        for child in self.children.values():
            if child.gave_up or child.proc is None:
                continue
            if child.restart_at is None:
                code = child.proc.poll()
                if code is None:
                    continue
                ran_for = now - child.started_at
                child.rapid_failures = child.rapid_failures + 1 if ran_for < self.stable_after else 1
                what = f"{child.name} stopped ({describe_exit(code)}) after {ran_for:.0f}s"
                child.history.append(what)
                if child.rapid_failures > self.max_rapid_failures:
                    child.gave_up = True
                    self.notify(
                        f"{what}; it failed {child.rapid_failures} times in a row, so it stays stopped. "
                        f"See {self.log_dir / (child.name + '.log')}."
                    )
                    continue
                pause = min(self.max_pause, self.first_pause * 2 ** (child.rapid_failures - 1))
                child.restart_at = now + pause
                self.notify(f"{what}; restarting it in {pause:.0f}s.")
            elif now >= child.restart_at:
                self._spawn(child)
                child.restarts += 1
                self.notify(f"{child.name} restarted (pid {child.pid}).")

    def run(self, *, tick: float = 0.5) -> None:
        """Watch the children until `stopping` is set (from a signal handler or another thread)."""
        while not self.stopping.wait(tick):
            self.check()

    def stop(self, *, timeout: float = 10.0) -> None:
        """Ask every child to stop (SIGTERM), wait, then kill any that did not."""
        self.stopping.set()
        running = [c.proc for c in self.children.values() if c.proc is not None and c.proc.poll() is None]
        for proc in running:
            proc.terminate()
        deadline = self.clock() + timeout
        for proc in running:
            try:
                proc.wait(timeout=max(0.1, deadline - self.clock()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for child in self.children.values():
            if child.log is not None:
                child.log.close()
                child.log = None
            (self.log_dir / f"{child.name}.pid").unlink(missing_ok=True)


def take_terminal() -> Callable[[], None]:
    """Become the terminal's foreground process group; returns a function that gives it back.

    `make run` starts us: a Ctrl-C would otherwise also reach make, which then reports
    "*** Interrupt" and exits 2 however cleanly we stop. With our own foreground group the
    Ctrl-C reaches only this process, which stops the children and exits 0, and so does make.
    """
    try:
        fd = os.open("/dev/tty", os.O_RDWR)
    except OSError:
        return lambda: None  # no terminal (CI, a test): nothing to take
    try:
        previous = os.tcgetpgrp(fd)
        if previous != os.getpgrp():
            os.close(fd)
            return lambda: None  # not started in the foreground
        os.setpgid(0, 0)
        signal.signal(signal.SIGTTOU, signal.SIG_IGN)  # a background group may then set the tty's group
        os.tcsetpgrp(fd, os.getpgrp())
    except OSError:
        os.close(fd)
        return lambda: None

    def give_back() -> None:
        # OSError: the old group is gone (make already exited), so there is nothing to give back to.
        with contextlib.suppress(OSError):
            os.tcsetpgrp(fd, previous)
        os.close(fd)

    return give_back
