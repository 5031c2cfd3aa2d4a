"""docs/api.md's shell examples (sections 1-4), run as written against a live server and the fake platforms.

Each ```sh block runs in bash with curl and jq, in order, sharing variables (as one terminal would); between
blocks the test does what a Celery worker would (sends pending platform actions), so the guide's
"hide one and see it hidden on the platform and in the audit log" is checked end to end.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from fakeplatforms import DEMO_PAGE_ID
from moderation.models import Action, ActionStatus, AutoActionRule, Item, Visibility
from moderation.services.classify import item_classify
from moderation.services.ingest import channel_poll
from moderation.tasks import action_execute
from tests.factories import ChannelFactory

ROOT = Path(__file__).resolve().parent.parent.parent
GUIDE = ROOT / "docs" / "api.md"
BASH = shutil.which("bash") or "/bin/bash"


def _blocks() -> list[str]:
    text = GUIDE.read_text().split("\n## 5.", 1)[0]
    return re.findall(r"```sh\n(.*?)```", text, re.S)


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture
def flagged_today(fake_platforms, meta_settings, transactional_db):
    post = fake_platforms.add_post(text="Hall opening times")
    fake_platforms.app.add_comment(platform="facebook", root_id=post["id"], text="Lovely, thanks!")
    fake_platforms.app.add_comment(
        platform="facebook", root_id=post["id"], text="You are a useless idiot and I know where you live"
    )
    channel = ChannelFactory(
        platform="facebook",
        account_id=DEMO_PAGE_ID,
        credentials={"access_token": fake_platforms.page_token()},
    )
    # The guide shows an officer's hide; a default automatic hide of the threat would pre-empt it.
    AutoActionRule.objects.all().delete()
    channel_poll(channel_id=channel.pk)
    for item in Item.objects.filter(channel=channel):
        item_classify(item_id=item.pk)
    flagged = Item.objects.filter(flags__isnull=False).distinct()
    assert flagged.count() == 1, "the abusive comment should be the one flagged item"
    return flagged.get()


def test_guide_examples_run_as_written(live_server, flagged_today, fake_platforms, tmp_path):
    blocks = _blocks()
    assert len(blocks) >= 6
    state = tmp_path / "env.sh"
    state.write_text(f"export HAVEBURY_URL={shlex.quote(live_server.url)}\n")
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "havebury_social.settings.test",
    }
    outputs = []
    for block in blocks:
        script = f"set -euo pipefail -a\nsource {state}\n{block}\nexport -p > {state}\n"
        done = subprocess.run(  # noqa: S603 - our own guide's examples, against 127.0.0.1
            [BASH, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
        )
        assert done.returncode == 0, f"{block}\n--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"
        outputs.append(done.stdout)
        for action in Action.objects.filter(status=ActionStatus.PENDING):
            action_execute(action.pk)  # what the worker does after the hide

    printed = "\n".join(outputs)
    assert f'"id": {flagged_today.pk}' in printed  # today's flagged item was listed
    assert "\n304\n" in f"\n{printed}"  # the conditional GET
    assert '"status": "sent"' in printed
    assert '"visibility": "hidden"' in printed
    assert "action.sent" in printed  # the audit trail
    flagged_today.refresh_from_db()
    assert flagged_today.visibility == Visibility.HIDDEN
    hidden = fake_platforms.admin("GET", "actions")["hidden"]
    assert flagged_today.platform_id in hidden  # and hidden on the (fake) platform itself
