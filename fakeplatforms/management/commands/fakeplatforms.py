"""`python manage.py fakeplatforms --port 8900 --seed demo`: the fake Facebook/Instagram server."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fakeplatforms import DEFAULT_APP_ID, DEFAULT_APP_SECRET, FakePlatforms


def _rate(value: str) -> int:
    match = re.fullmatch(r"(\d+)(?:/h)?", value.strip())
    if not match:
        raise CommandError(f"--rate-limit takes calls per hour like 200/h, not {value!r}.")
    return int(match.group(1))


class Command(BaseCommand):
    help = "Run the fake platform server (Facebook + Instagram Graph API) on 127.0.0.1."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8900)
        parser.add_argument("--host", default="127.0.0.1", help="Loopback only, unless you know why.")
        parser.add_argument("--seed", choices=["demo", "empty"], default="demo")
        parser.add_argument("--seed-number", type=int, default=2026, help="Random seed for the demo week.")
        parser.add_argument(
            "--rate-limit", type=_rate, default=4800, help="Calls per hour per account, e.g. 200/h."
        )
        parser.add_argument(
            "--fail-rate", type=float, default=0.0, help="Share of Graph calls answered 500/503."
        )
        parser.add_argument("--webhook-url", default="", help="Where to POST signed webhook events.")
        parser.add_argument("--state-file", type=Path, help="Keep state in this JSON file across restarts.")
        parser.add_argument(
            "--trickle",
            type=float,
            default=0,
            help="Add a new comment (now and then a mention) every N seconds.",
        )
        parser.add_argument("--app-id", default=DEFAULT_APP_ID)
        parser.add_argument("--app-secret", default=DEFAULT_APP_SECRET)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args: Any, **options: Any) -> None:
        import waitress

        app = FakePlatforms(
            app_id=options["app_id"],
            app_secret=options["app_secret"],
            rate_limit_per_hour=options["rate_limit"],
            fail_rate=options["fail_rate"],
            webhook_url=options["webhook_url"],
            seed=options["seed_number"],
            state_file=options["state_file"],
        )
        if options["state_file"] is None or not app.world.data["objects"]:
            counts = app.seed(options["seed"])
            self.stdout.write(f"Seeded {options['seed']}: {counts}")
        app.webhooks.start()
        if options["trickle"]:
            app.start_trickle(options["trickle"])
        base = f"http://{options['host']}:{options['port']}"
        self.stdout.write(
            f"Fake platforms on {base}\n"
            f"  FACEBOOK_GRAPH_URL={base}/facebook FACEBOOK_DIALOG_URL={base}/facebook "
            f"INSTAGRAM_GRAPH_URL={base}/instagram\n"
            f"  FACEBOOK_APP_ID={options['app_id']} FACEBOOK_APP_SECRET=<--app-secret>\n"
            f"  admin: {base}/_admin/actions"
        )
        try:
            waitress.serve(
                app,
                host=options["host"],
                port=options["port"],
                threads=options["threads"],
                ident="fakeplatforms",
            )
        finally:
            app.stop()
