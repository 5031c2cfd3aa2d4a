"""The poll interval arithmetic (moderation/poll_intervals.py): pure, so every rule is pinned here."""

import pytest

from moderation.poll_intervals import (
    BACKOFF_FIRST,
    BACKOFF_MAX,
    BUSY_MIN_NEW,
    LOW_HEADROOM,
    MAX_STRETCH,
    MIN_INTERVAL,
    PollState,
    backoff_seconds,
    headroom,
    headroom_stretch,
    next_poll_interval,
)

NOW = 1_764_000_000.0


def state(**kw):
    return PollState(**{"normal": 300, "busy": 60, "night": 900, **kw})


def test_a_quiet_channel_in_office_hours_polls_at_its_normal_interval():
    plan = next_poll_interval(state())
    assert (plan.seconds, plan.mode, plan.stretch) == (300, "normal", 1.0)
    assert plan.reason == "Normal interval."


def test_a_busy_thread_polls_at_the_busy_interval_from_the_threshold_on():
    assert next_poll_interval(state(new_recently=BUSY_MIN_NEW - 1)).mode == "normal"
    plan = next_poll_interval(state(new_recently=BUSY_MIN_NEW))
    assert (plan.seconds, plan.mode) == (60, "busy")
    assert f"{BUSY_MIN_NEW} new comments in the last 15 minutes" in plan.reason


def test_busy_never_slows_a_channel_whose_normal_interval_is_shorter():
    assert next_poll_interval(state(normal=45, busy=120, new_recently=9)).seconds == 45


def test_outside_office_hours_polls_at_the_night_interval_but_never_faster_than_normal():
    plan = next_poll_interval(state(office_open=False))
    assert (plan.seconds, plan.mode, plan.reason) == (900, "night", "Outside office hours.")
    assert next_poll_interval(state(normal=1200, office_open=False)).seconds == 1200


def test_a_busy_thread_at_night_still_polls_at_the_busy_interval():
    plan = next_poll_interval(state(office_open=False, new_recently=12))
    assert (plan.seconds, plan.mode) == (60, "busy")


@pytest.mark.parametrize(
    ("left", "stretch"),
    [
        (None, 1.0),  # nothing known: no change
        (1.0, 1.0),
        (LOW_HEADROOM, 1.0),  # the boundary itself still has room
        (LOW_HEADROOM / 2, 2.0),
        (LOW_HEADROOM / 4, 4.0),
        (LOW_HEADROOM / MAX_STRETCH, MAX_STRETCH),
        (0.0, MAX_STRETCH),  # never infinite
    ],
)
def test_low_headroom_stretches_in_proportion_up_to_a_cap(left, stretch):
    assert headroom_stretch(left) == pytest.approx(stretch)


def test_low_headroom_slows_every_mode_and_says_why():
    normal = next_poll_interval(state(headroom=0.125))
    assert (normal.seconds, normal.mode, normal.stretch) == (600, "normal", 2.0)
    assert "12% of the platform's allowance is left" in normal.reason
    busy = next_poll_interval(state(headroom=0.0625, new_recently=20))
    assert (busy.seconds, busy.mode) == (240, "busy")
    night = next_poll_interval(state(headroom=0.0, office_open=False))
    assert night.seconds == 900 * MAX_STRETCH


def test_the_interval_never_drops_below_the_models_floor():
    assert next_poll_interval(state(normal=1, busy=1, new_recently=50)).seconds == MIN_INTERVAL


@pytest.mark.parametrize(
    ("failures", "wait"),
    [(0, 0), (1, BACKOFF_FIRST), (2, 2 * BACKOFF_FIRST), (3, 4 * BACKOFF_FIRST), (5, 16 * BACKOFF_FIRST)],
)
def test_backoff_doubles_after_each_failed_poll(failures, wait):
    assert backoff_seconds(failures) == wait


def test_backoff_is_capped_even_after_very_many_failures():
    assert backoff_seconds(6) == BACKOFF_MAX
    assert backoff_seconds(10_000) == BACKOFF_MAX


def test_failures_win_over_every_other_rule_and_the_reason_counts_them():
    plan = next_poll_interval(state(failures=3, new_recently=40, office_open=False, headroom=0.01))
    assert (plan.seconds, plan.mode, plan.stretch) == (4 * BACKOFF_FIRST, "backoff", 1.0)
    assert "last 3 polls in a row failed" in plan.reason
    assert "60 s" in plan.reason
    one = next_poll_interval(state(failures=1))
    assert "last poll failed" in one.reason


def test_a_failing_channel_never_waits_longer_than_it_would_if_healthy():
    # At a 30 s interval the back-off stops growing at 30 s, so the queue catches up within a
    # minute of the platform coming back however long it was down (issue 12).
    waits = [next_poll_interval(state(normal=30, failures=n)).seconds for n in range(1, 12)]
    assert waits == [BACKOFF_FIRST] + [30] * 10
    plan = next_poll_interval(state(normal=30, failures=9))
    assert "never longer than the normal interval of 30 s" in plan.reason
    # A channel at night or slowed by low headroom may back off up to that longer interval.
    assert next_poll_interval(state(failures=9, office_open=False)).seconds == BACKOFF_MAX
    assert next_poll_interval(state(normal=30, failures=4, headroom=0.05)).seconds == 4 * BACKOFF_FIRST * 2


# --- headroom from each platform's recorded usage ------------------------------------------


def test_headroom_is_unknown_without_usage():
    assert headroom({}, now=NOW) is None
    assert headroom({"headers": {}, "message": "x"}, now=NOW) is None


def test_meta_usage_percent():
    assert headroom({"percent": 80.0, "regain_seconds": 0}, now=NOW) == pytest.approx(0.2)
    assert headroom({"percent": 130}, now=NOW) == 0.0  # over the limit: nothing left, never negative


def test_x_takes_the_tightest_live_window_and_ignores_windows_already_reset():
    usage = {
        "rate_limits": {
            "search": {"limit": 450, "remaining": 45, "reset": NOW + 300},
            "mentions": {"limit": 75, "remaining": 1, "reset": NOW - 1},  # reset has passed: full again
            "lookup": {"limit": 0, "remaining": 0, "reset": NOW + 300},  # no limit reported
            "odd": "not a window",
        },
        "reads": 3,
    }
    assert headroom(usage, now=NOW) == pytest.approx(0.1)


def test_x_daily_share_of_the_monthly_read_budget():
    usage = {"rate_limits": {}, "budget_share_today": 200, "budget_left_today": 50}
    assert headroom(usage, now=NOW) == pytest.approx(0.25)
    assert headroom({"budget_share_today": 0, "budget_left_today": 0}, now=NOW) == 0.0


def test_youtube_daily_quota():
    usage = {"quota_units": 3, "quota_used": 9000, "quota_left": 1000, "quota_daily": 10000}
    assert headroom(usage, now=NOW) == pytest.approx(0.1)


def test_linkedin_throttle_counts_only_until_it_ends():
    assert headroom({"throttled_until": NOW + 60, "message": "slow down"}, now=NOW) == 0.0
    assert headroom({"throttled_until": NOW - 60}, now=NOW) is None


def test_headroom_ignores_values_that_are_not_numbers():
    assert headroom({"percent": "90", "quota_daily": True, "quota_left": 5}, now=NOW) is None
    assert headroom({"percent": float("nan")}, now=NOW) is None
