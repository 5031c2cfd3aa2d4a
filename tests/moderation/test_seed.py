from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User
from moderation.models import AuditEvent, CannedReply, Channel, OfficeHours

pytestmark = pytest.mark.django_db


def _seed(*args):
    out = StringIO()
    call_command("seed_havebury", *args, stdout=out)
    return out.getvalue()


def _snapshot():
    return (
        sorted(User.objects.values_list("username", "first_name", "last_name", "job_title", "password")),
        sorted(Channel.objects.values_list("platform", "handle", "display_name")),
        sorted(OfficeHours.objects.values_list("weekday", "opens", "closes")),
        CannedReply.objects.count(),
        AuditEvent.objects.count(),
    )


def test_seed_creates_the_gp014_officers_channels_and_hours():
    output = _seed()
    users = {u.username: u for u in User.objects.all()}
    assert set(users) == {"lauren.eden", "hayley.lambert", "kathryn.rowland"}
    assert users["lauren.eden"].job_title == "External Communications Advisor"
    assert users["lauren.eden"].role_names == ["Lead"]
    assert users["hayley.lambert"].role_names == ["Lead"]
    assert users["kathryn.rowland"].role_names == ["Officer"]
    assert users["kathryn.rowland"].has_perm("moderation.hide_item")
    assert not users["kathryn.rowland"].has_perm("moderation.manage_channels")
    assert users["lauren.eden"].has_perm("moderation.manage_channels")
    assert not any(u.has_usable_password() for u in users.values())
    assert output.count("/accounts/reset/") == 3
    channels = set(Channel.objects.values_list("platform", "handle", "display_name"))
    assert ("x", "@Havebury", "Havebury") in channels
    assert {p for p, _, _ in channels} == {"x", "facebook", "instagram", "youtube", "linkedin"}
    assert {n for p, _, n in channels if p != "x"} == {"Havebury Housing Partnership"}
    hours = {h.weekday: h for h in OfficeHours.objects.all()}
    assert [str(hours[d]) for d in (0, 4, 5)] == [
        "Monday: 09:00-17:00",
        "Friday: 09:00-17:00",
        "Saturday: closed",
    ]


def test_seed_twice_changes_nothing():
    _seed()
    first = _snapshot()
    _seed("--password", "another-password")
    assert _snapshot() == first


def test_seed_password_is_only_for_new_users():
    _seed("--password", "demo-password-123")
    assert User.objects.get(username="kathryn.rowland").check_password("demo-password-123")
