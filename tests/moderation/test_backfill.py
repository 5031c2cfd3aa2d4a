"""`manage.py backfill` against the fake Graph API over loopback: history within the cut-off,
nothing stored twice, resumed after an interruption, rate limits waited out (issue 12)."""

import io
import signal
import time

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from moderation.models import Backfill, Channel, Item
from moderation.services.ingest import channel_poll
from moderation.services.ingest.backfill import (
    BackfillStopped,
    backfill_open,
    channel_backfill,
)
from moderation.services.seed import havebury_seed
from tests.moderation.test_ingest import connected

pytestmark = pytest.mark.django_db

DAY = 86_400


@pytest.fixture
def history(fake_platforms, meta_settings):
    """Posts 1, 5, 12 and 25 days old with 30 comments each (two comment pages), and two older
    posts that a 30-day backfill must not read; root listings two posts a page."""
    meta_settings.MODERATION_CHANNELS["facebook"]["OPTIONS"]["post_limit"] = 2
    now = time.time()
    recent, old = [], []
    for age in (60, 40, 25, 12, 5, 1):  # oldest first: the fake lists newest first
        post = fake_platforms.add_post(text=f"{age} days ago")
        with fake_platforms.world.changing() as data:
            data["objects"][post["id"]]["created"] = now - age * DAY
        comment_ids = fake_platforms.add_comments(post["id"], 30)
        with fake_platforms.world.changing() as data:
            for cid in comment_ids:
                data["objects"][cid]["created"] = now - age * DAY + 60
        (recent if age <= 30 else old).append((post["id"], comment_ids))
    return {"channel": connected(fake_platforms), "recent": recent, "old": old}


def expected_ids(posts):
    return {pid for pid, _ in posts} | {cid for _, cids in posts for cid in cids}


def stored_ids(channel):
    return set(Item.objects.filter(channel=channel).values_list("platform_id", flat=True))


def run(channel, *, days=30, **kw):
    backfill, _ = backfill_open(channel=channel, days=days)
    return channel_backfill(backfill_id=backfill.pk, **kw)


def test_backfill_reads_the_last_n_days_and_a_second_run_stores_nothing_twice(
    history, fake_platforms, django_capture_on_commit_callbacks
):
    channel = history["channel"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = run(channel)
    assert first.finished_at is not None
    assert stored_ids(channel) == expected_ids(history["recent"])  # 4 posts, 120 comments
    assert first.items_new == 124
    assert len(callbacks) == 120  # one classification per new comment, none for posts
    assert first.pages >= 4 * 2  # two comment pages a post, plus the root listing
    assert first.cursor == {}

    with django_capture_on_commit_callbacks(execute=False) as again:
        second = run(channel)
    assert second.pk != first.pk
    assert (second.items_seen, second.items_new) == (first.items_seen, 0)
    assert Item.objects.filter(channel=channel).count() == 124
    assert again == []  # nothing new or edited: nothing classified again


def test_an_interrupted_backfill_resumes_from_its_checkpoint(history, fake_platforms):
    channel = history["channel"]
    pages_seen = []

    def ctrl_c_after_three_pages(event):
        pages_seen.append(event.backfill.pages)
        if event.backfill.pages == 3:
            raise KeyboardInterrupt

    calls = fake_platforms.calls()
    with pytest.raises(KeyboardInterrupt):
        run(channel, on_event=ctrl_c_after_three_pages)
    stopped = Backfill.objects.get(channel=channel)
    assert (stopped.pages, stopped.finished_at) == (3, None)
    assert stopped.cursor  # where to go on from
    partial = stored_ids(channel)
    assert 0 < len(partial) < 124
    first_calls = fake_platforms.calls() - calls

    resumed, was_resumed = backfill_open(channel=channel, days=30)
    assert (resumed.pk, was_resumed) == (stopped.pk, True)
    calls = fake_platforms.calls()
    done = channel_backfill(backfill_id=resumed.pk)
    assert done.finished_at is not None
    assert stored_ids(channel) == expected_ids(history["recent"])
    assert done.items_new == 124
    resumed_calls = fake_platforms.calls() - calls
    # The resumed run went on from page 4: together the two runs made the calls of one.
    full = run(channel)
    assert first_calls + resumed_calls == full.api_calls == done.api_calls


def test_a_rate_limit_in_the_middle_is_waited_out_for_as_long_as_the_platform_says(history, fake_platforms):
    channel = history["channel"]
    waits = []

    with time_machine.travel(timezone.now(), tick=False) as clock:

        def sleep(seconds):  # the clock moves on instead of the test sleeping
            waits.append(seconds)
            clock.shift(seconds)

        def throttle_after_page_two(event):
            if event.backfill.pages == 2 and not event.waiting and not waits:
                fake_platforms.fail_next(
                    {"kind": "rate_limit", "id": channel.account_id, "regain_minutes": 3}
                )

        done = run(channel, sleep=sleep, on_event=throttle_after_page_two)
    assert waits == [180.0]  # Meta's estimated_time_to_regain_access, 3 minutes
    assert done.waited_seconds == 180.0
    assert done.finished_at is not None
    assert stored_ids(channel) == expected_ids(history["recent"])
    assert Item.objects.filter(channel=channel).count() == 124


def test_repeated_platform_errors_stop_the_backfill_resumably(history, fake_platforms):
    channel = history["channel"]
    waits = []
    fake_platforms.fail_next(*[{"kind": "500"}] * 5)
    with pytest.raises(BackfillStopped, match="Run the same command again to resume"):
        run(channel, sleep=waits.append)
    assert waits == [15, 30, 60, 120]  # the poll back-off between attempts
    stopped = Backfill.objects.get(channel=channel)
    assert stopped.finished_at is None
    assert "unknown error" in stopped.last_error
    assert run(channel).finished_at is not None  # the same command again picks it up


def test_the_command_shows_progress_and_resumes_after_ctrl_c(history, fake_platforms):
    channel = history["channel"]
    # Ctrl-C while the platform is slow to answer the third call.
    fake_platforms.fail_next({"kind": "none"}, {"kind": "none"}, {"kind": "slow", "seconds": 3})
    previous = signal.signal(signal.SIGALRM, signal.default_int_handler)
    signal.setitimer(signal.ITIMER_REAL, 1.0)
    try:
        with pytest.raises(CommandError, match="run the same command to resume") as stopped:
            call_command(
                "backfill",
                "--channel",
                channel.handle,
                "--days",
                "30",
                stdout=io.StringIO(),
                stderr=io.StringIO(),
            )
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert stopped.value.returncode == 130
    assert Backfill.objects.get(channel=channel).pages == 2

    out, err = io.StringIO(), io.StringIO()
    call_command("backfill", "--channel", channel.handle, "--days", "30", stdout=out, stderr=err)
    assert "Resuming the backfill" in err.getvalue()
    assert f"backfill {channel.handle}: " in err.getvalue()  # the progress line
    assert "items/s" in err.getvalue()
    assert "124 new" in out.getvalue()
    assert stored_ids(channel) == expected_ids(history["recent"])


def test_the_command_refuses_bad_input(history):
    with pytest.raises(CommandError, match="between 1 and 365"):
        call_command("backfill", "--channel", history["channel"].handle, "--days", "0")
    with pytest.raises(CommandError, match="0 channels match"):
        call_command("backfill", "--channel", "@nobody")


@pytest.fixture
def x_channel(fake_platforms, network_settings):
    """The demo's X account, connected as `make run` connects it."""
    fake_platforms.app.seed("demo")
    havebury_seed()
    call_command("connect_demo_channels", fake_base=fake_platforms.base_url, wait=2)
    return Channel.objects.get(platform="x")


def test_an_x_backfill_waits_for_the_reset_header_of_a_429(x_channel, fake_platforms):
    channel = x_channel
    waits = []
    with time_machine.travel(timezone.now(), tick=False) as clock:

        def sleep(seconds):
            waits.append(seconds)
            clock.shift(seconds)

        def answer_429_after_page_one(event):
            if event.backfill.pages == 1 and not waits and not event.waiting:
                fake_platforms.admin(
                    "POST", "x/failures", {"failures": [{"kind": "rate_limit", "reset_in": 200}]}
                )

        done = run(channel, sleep=sleep, on_event=answer_429_after_page_one)
    assert len(waits) == 1
    assert 199 <= waits[0] <= 200  # x-rate-limit-reset, not a guess
    assert done.finished_at is not None
    # The same posts, replies and mentions as a normal poll reads (X's recent search: 7 days).
    backfilled = stored_ids(channel)
    assert len(backfilled) > 5
    assert channel_poll(channel_id=channel.pk).total("new") == 0


def test_a_linkedin_backfill_reaches_past_the_newest_25_posts_and_stops_at_the_cut_off(
    x_channel, fake_platforms
):
    channel = Channel.objects.get(platform="linkedin")
    fake = fake_platforms.app.linkedin
    now = time.time()
    recent, old = [], []
    for age in [*range(1, 30), *range(31, 61)]:  # a post a day for two months (day 30 left out: the cut-off)
        post = fake.add_post(f"{age} days ago", created=now - age * DAY)
        fake.add_comment(
            post_urn=post["id"], actor="urn:li:person:T1", text="c", created=now - age * DAY + 60
        )
        (recent if age <= 29 else old).append(post["id"])
    within = {
        o["id"]
        for o in fake.state["objects"].values()
        if o["kind"] == "li_post" and o["created"] >= now - 30 * DAY
    }
    assert len(within) > 25  # the demo's own posts too: more than a normal sweep's max_posts

    done = run(channel)
    posts = set(Item.objects.filter(channel=channel, kind="post").values_list("platform_id", flat=True))
    assert posts == within
    assert not posts & set(old)
    comments = Item.objects.filter(channel=channel, kind="comment", thread_root__platform_id__in=recent)
    assert comments.count() == len(recent)
    assert not Item.objects.filter(channel=channel, thread_root__platform_id__in=old).exists()
    assert done.finished_at is not None


def test_a_youtube_backfill_pages_past_the_usual_window_to_the_cut_off(x_channel, fake_platforms, settings):
    settings.MODERATION_CHANNELS["youtube"]["OPTIONS"].update(page_size=10, max_pages=3)  # a poll: 30 threads
    channel = Channel.objects.get(platform="youtube")
    fake = fake_platforms.app.youtube
    video = fake.add_video("Summer fun day", created=time.time() - 90 * DAY)
    author = {"id": "UCtenant0000000000000001", "name": "@tenant"}
    now = time.time()
    recent = [
        fake.add_comment(
            video_id=video["id"], text=f"r{i}", author=author, created=now - (1 + i * 0.5) * DAY
        )["id"]
        for i in range(50)  # within 26 days
    ]
    old = [
        fake.add_comment(video_id=video["id"], text=f"o{i}", author=author, created=now - (31 + i) * DAY)[
            "id"
        ]
        for i in range(20)
    ]
    done = run(channel)
    stored = stored_ids(channel)
    assert set(recent) <= stored  # 50 threads: past the 30 a poll reads
    assert not stored & set(old)
    assert done.finished_at is not None
    assert done.api_calls >= 6  # more than the three pages of a normal sweep, quota counted
