"""The README's first command, end to end: `manage.py rundemo` on embedded defaults.

Real processes (web, Celery worker and beat on the filesystem broker, the fake
platforms) on free loopback ports with a throwaway data folder; no PostgreSQL or
Redis. Slow by nature (tens of seconds), so it is the only test of its kind.
"""

import base64
import contextlib
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests
from django_otp.oath import TOTP

ROOT = Path(__file__).resolve().parent.parent
DEADLINE = 150  # seconds before the watchdog ends the demo


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _count(db, sql):
    with sqlite3.connect(db, timeout=30) as conn:
        return conn.execute(sql).fetchone()[0]


def test_rundemo_serves_login_and_admin_and_fills_the_queue(tmp_path):
    port, fake_port = _free_port(), _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "DATABASE", "REDIS", "CELERY"))}
    env.update({"HAVEBURY_DATA_DIR": str(tmp_path), "PYTHONUNBUFFERED": "1"})
    log = (tmp_path / "demo.log").open("w")
    proc = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "manage.py",
            "rundemo",
            "--port",
            str(port),
            "--fake-port",
            str(fake_port),
            "--trickle",
            "0",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        start_new_session=True,
    )
    watchdog = threading.Timer(DEADLINE, lambda: os.killpg(proc.pid, signal.SIGTERM))
    watchdog.start()
    try:
        lines = []
        for line in proc.stdout:
            lines.append(line)
            if "Sign in as" in line:
                break
        output = "".join(lines)
        # Worker, beat and web logs go to files, so the terminal ends with the URL and the sign-in.
        assert lines[-2].strip() == f"Havebury Social is running at http://127.0.0.1:{port}/", output
        assert lines[-1].startswith("Sign in as lauren.eden"), output
        assert f"running at http://127.0.0.1:{port}/" in output, (
            output + (tmp_path / "demo.log").read_text()[-3000:]
        )
        assert "password 'havebury-demo'" in output
        for network in ("Facebook", "Instagram", "X", "YouTube", "LinkedIn"):
            assert f"Connected {network} " in output, output

        base = f"http://127.0.0.1:{port}"
        login = requests.get(f"{base}/accounts/login/", timeout=10)
        assert login.status_code == 200
        assert "Sign in to Havebury Social" in login.text
        assert requests.get(f"{base}/admin/login/", timeout=10).status_code == 200
        assert requests.get(f"{base}/static/moderation/app.css", timeout=10).status_code == 200

        session = requests.Session()
        session.get(f"{base}/accounts/login/", timeout=10)
        inbox = session.post(
            f"{base}/accounts/login/",
            data={
                "username": "lauren.eden",
                "password": "havebury-demo",
                "csrfmiddlewaretoken": session.cookies["csrftoken"],
            },
            headers={"Referer": f"{base}/accounts/login/"},
            timeout=10,
        )
        # Leads must turn on two-factor at first sign-in (docs/security.md): do it as a person would,
        # reading the key off the page into an authenticator (here django-otp's TOTP).
        assert "Set up two-factor sign-in" in inbox.text
        key = re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', inbox.text).group(1).replace(" ", "")
        code = f"{TOTP(base64.b32decode(key + '=' * (-len(key) % 8))).token():06d}"
        codes = session.post(
            inbox.url,
            data={"code": code, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
            headers={"Referer": inbox.url},
            timeout=10,
        )
        assert "Your recovery codes" in codes.text
        inbox = session.get(f"{base}/", timeout=10)
        assert "Inbox" in inbox.text

        db = tmp_path / "havebury.sqlite3"
        assert _count(db, "SELECT count(*) FROM accounts_user") == 3
        assert _count(db, "SELECT count(*) FROM moderation_channel") == 5
        # The worker polls both connected channels and classifies what arrives.
        waiting = threading.Event()
        classified = 0
        while not classified and proc.poll() is None and not waiting.wait(1):
            classified = _count(db, "SELECT count(*) FROM moderation_item WHERE classified_at IS NOT NULL")
        assert classified, (tmp_path / "demo.log").read_text()[-3000:]
        assert "celery@" in (tmp_path / "logs" / "worker.log").read_text()
        # All five demo channels connect, poll and fill the queue (issue 11's done-when).
        platforms: set[str] = set()
        deadline = time.monotonic() + 60
        while len(platforms) < 5 and time.monotonic() < deadline and not waiting.wait(1):
            with sqlite3.connect(db, timeout=30) as conn:
                platforms = {
                    row[0]
                    for row in conn.execute(
                        "SELECT DISTINCT c.platform FROM moderation_item i"
                        " JOIN moderation_channel c ON c.id = i.channel_id WHERE i.kind != 'post'"
                    )
                }
        assert platforms == {"facebook", "instagram", "x", "youtube", "linkedin"}, (
            tmp_path / "logs" / "worker.log"
        ).read_text()[-3000:]
        # The inbox names the channels once their items are in (not before the first poll under load).
        assert "Havebury Housing Partnership" in session.get(f"{base}/", timeout=10).text
        # A channel's health turns ok when its poll ends, after its first pages were stored: wait for it.
        healthy = "SELECT count(*) FROM moderation_channel WHERE health = 'ok'"
        deadline = time.monotonic() + 30
        while _count(db, healthy) < 5 and time.monotonic() < deadline and not waiting.wait(1):
            pass
        assert _count(db, healthy) == 5
        # Issue 7 in the demo: media others posted tagging the Instagram account (/tags) arrive as
        # mentions, and the Facebook page's photo comment arrives with its photo.
        tagged = "SELECT count(*) FROM moderation_item i JOIN moderation_channel c ON c.id = i.channel_id"
        tagged += (
            " WHERE c.platform = 'instagram' AND i.kind = 'mention' AND i.media_urls LIKE '%tagged.png%'"
        )
        photos = "SELECT count(*) FROM moderation_item i JOIN moderation_channel c ON c.id = i.channel_id"
        photos += " WHERE c.platform = 'facebook' AND i.kind = 'comment' AND i.media_urls LIKE '%/_media/%'"
        deadline = time.monotonic() + 30
        while not (_count(db, tagged) and _count(db, photos)) and time.monotonic() < deadline:
            waiting.wait(1)
        assert (_count(db, tagged) > 0, _count(db, photos) > 0) == (True, True)
        with sqlite3.connect(db, timeout=30) as conn:
            channels = conn.execute("SELECT id, platform FROM moderation_channel").fetchall()
        for channel_id, platform in channels:  # and an officer sees each network's items in the inbox
            rows = session.get(f"{base}/?channel={channel_id}", timeout=10).text.count('id="row-')
            assert rows > 0, platform

        # A child that dies is restarted, as a process manager would; the demo keeps going.
        web_pid = int((tmp_path / "logs" / "web.pid").read_text())
        os.kill(web_pid, signal.SIGKILL)
        restarted = proc.stdout.readline() + proc.stdout.readline()
        assert "web stopped (killed by SIGKILL)" in restarted, restarted
        assert "web restarted (pid" in restarted, restarted
        back, deadline = None, time.monotonic() + 30
        while back is None and time.monotonic() < deadline and not waiting.wait(0.2):
            with contextlib.suppress(requests.ConnectionError):
                back = requests.get(f"{base}/accounts/login/", timeout=5).status_code
        assert back == 200

        # Ctrl-C (SIGINT to the demo) stops every child and exits 0 with no error.
        os.kill(proc.pid, signal.SIGINT)
        rest, _ = proc.communicate(timeout=30)
        assert proc.returncode == 0, rest + (tmp_path / "demo.log").read_text()[-3000:]
        assert rest.strip().endswith("Stopped."), rest
        assert "Traceback" not in (tmp_path / "demo.log").read_text()
        assert not list((tmp_path / "logs").glob("*.pid"))
    finally:
        watchdog.cancel()
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        log.close()
