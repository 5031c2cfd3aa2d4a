"""Run the whole app on embedded defaults: web, worker, scheduler and fake platforms.

Everything runs on this machine with no database or broker server: SQLite and
kombu's filesystem broker live in the data folder. A small supervisor restarts a
child that dies and keeps each child's output in `<data dir>/logs/`, so the
terminal ends with the URL and how to sign in. Ctrl-C stops every process (exit 0).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from fakeplatforms.app import DEFAULT_APP_ID, DEFAULT_APP_SECRET
from moderation.supervisor import Supervisor, take_terminal

DEMO_PASSWORD = "havebury-demo"  # noqa: S105  (demo only: the laptop app listens on 127.0.0.1)


class Command(BaseCommand):
    help = "Start web, Celery worker, Celery beat and the fake platforms with demo traffic."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000, help="Web port (default 8000).")
        parser.add_argument("--fake-port", type=int, default=8900, help="Fake platforms port (default 8900).")
        parser.add_argument("--trickle", type=float, default=20.0, help="Seconds between new demo comments.")
        parser.add_argument("--no-fake", action="store_true", help="Don't start the fake platforms.")

    def handle(self, *args: Any, **options: Any) -> None:
        port, fake_port = options["port"], options["fake_port"]
        for wanted in (port, *(() if options["no_fake"] else (fake_port,))):
            if not _port_free(wanted):
                raise CommandError(
                    f"Port {wanted} on 127.0.0.1 is in use. Stop what uses it, or pass --port/--fake-port."
                )
        fake_base = f"http://127.0.0.1:{fake_port}"
        child_env = {**os.environ}
        if not options["no_fake"]:
            child_env.update(fake_platform_env(fake_base))
        self.stdout.write("Preparing the database ...")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        password = settings.HAVEBURY_DEMO_PASSWORD or DEMO_PASSWORD
        call_command("seed_havebury", password=password, stdout=self.stdout)
        demo_users = set_demo_passwords(password)
        call_command("setup_periodic_tasks", stdout=self.stdout)

        py = sys.executable
        commands = {
            "web": [py, "-m", "waitress", "--listen", f"127.0.0.1:{port}", "havebury_social.wsgi:application"],
            "worker": [
                py, "-m", "celery", "-A", "havebury_social.celery_app", "worker",
                "-Q", "poll,classify,actions,webhooks", "--concurrency", "2", "--loglevel", "INFO",
            ],
            "beat": [py, "-m", "celery", "-A", "havebury_social.celery_app", "beat", "--loglevel", "INFO"],
        }  # fmt: skip
        if not options["no_fake"]:
            commands["fakeplatforms"] = [
                py, "manage.py", "fakeplatforms", "--port", str(fake_port), "--seed", "demo",
                "--trickle", str(options["trickle"]), "--app-id", DEFAULT_APP_ID, "--app-secret", DEFAULT_APP_SECRET,
                "--webhook-url", f"http://127.0.0.1:{port}/webhooks/{{platform}}/",
            ]  # fmt: skip
        log_dir = settings.DATA_DIR / "logs"
        supervisor = Supervisor(
            commands,
            log_dir=log_dir,
            env=child_env,
            cwd=settings.BASE_DIR,
            notify=lambda message: self.stdout.write(self.style.WARNING(message)),
        )
        give_back_terminal = take_terminal()
        signal.signal(signal.SIGINT, lambda *_: supervisor.stopping.set())
        signal.signal(signal.SIGTERM, lambda *_: supervisor.stopping.set())
        supervisor.start()
        try:
            if not options["no_fake"]:
                # A child process, so it sees the fake platforms' URLs in its settings.
                connect = [py, "manage.py", "connect_demo_channels", "--fake-base", fake_base]
                # Our own interpreter and fixed arguments: no untrusted input reaches the command.
                if subprocess.run(connect, env=child_env, cwd=settings.BASE_DIR, check=False).returncode:  # noqa: S603
                    self.stderr.write("Could not connect the demo channels; see the error above.")
            self.stdout.write(f"\nLogs of the web app, worker, beat and fake platforms: {log_dir}/")
            self.stdout.write(
                f"Admin: http://127.0.0.1:{port}/admin/  ·  Fake platforms: {fake_base}/_admin/"
            )
            self.stdout.write("Press Ctrl-C to stop everything.")
            self.stdout.write(self.style.SUCCESS(f"Havebury Social is running at http://127.0.0.1:{port}/"))
            self.stdout.write(
                f"Sign in as {', '.join(demo_users)} with password '{password}'"
                " (Leads turn on two-factor with an authenticator app at first sign-in)."
            )
            supervisor.run()
        finally:
            supervisor.stop()
            give_back_terminal()
        self.stdout.write("Stopped.")


def _port_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def fake_platform_env(base: str) -> dict[str, str]:
    return {
        "FACEBOOK_GRAPH_URL": f"{base}/facebook",
        "FACEBOOK_DIALOG_URL": f"{base}/facebook",
        "INSTAGRAM_GRAPH_URL": f"{base}/instagram",
        "X_API_URL": f"{base}/x",
        "YOUTUBE_API_URL": f"{base}/youtube",
        "LINKEDIN_API_URL": f"{base}/linkedin",
        "X_AUTH_URL": f"{base}/x",
        "GOOGLE_AUTH_URL": f"{base}/youtube",
        "GOOGLE_OAUTH_URL": f"{base}/youtube",
        "LINKEDIN_AUTH_URL": f"{base}/linkedin",
        # Demo client ids: the fake consent screens accept any, so these only switch sign-in on.
        "X_CLIENT_ID": "havebury-demo",
        "GOOGLE_CLIENT_ID": "havebury-demo",
        "GOOGLE_CLIENT_SECRET": "havebury-demo",
        "LINKEDIN_CLIENT_ID": "havebury-demo",
        "LINKEDIN_CLIENT_SECRET": "havebury-demo",
        # The fake server's own app credentials; it signs demo webhooks with the secret.
        "FACEBOOK_APP_ID": DEFAULT_APP_ID,
        "FACEBOOK_APP_SECRET": DEFAULT_APP_SECRET,
        "INSTAGRAM_APP_SECRET": DEFAULT_APP_SECRET,
        # Demo photos come from the fake server on 127.0.0.1; the fetch still checks type, size
        # and time (moderation/media.py). Production keeps the CDN allowlist and public addresses.
        "MEDIA_FETCH_ALLOWED_HOSTS": "127.0.0.1",
        "MEDIA_FETCH_ALLOW_PRIVATE": "1",
    }


def set_demo_passwords(password: str) -> list[str]:
    """Give seeded officers without a password the demo one, so a newcomer can sign in."""
    names = []
    for user in User.objects.filter(username__in=["lauren.eden", "hayley.lambert", "kathryn.rowland"]):
        if not user.has_usable_password():
            user.set_password(password)
            user.save(update_fields=["password"])
        names.append(user.username)
    return names
