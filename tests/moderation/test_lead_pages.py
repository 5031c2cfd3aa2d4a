"""Lead settings, team and reports pages and the policy rules in the admin: Leads configure,
officers cannot, anonymous signs in."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import User
from moderation.models import AuditEvent, CannedReply, PolicyTerm, ProtectedPerson
from moderation.reports import working_seconds
from moderation.services.office_hours import DEFAULT_HOURS
from moderation.services.queue import item_claim, item_dismiss
from tests.factories import FlagFactory, ItemFactory, lead, officer

pytestmark = pytest.mark.django_db

PAGES = [
    "/settings/",
    "/settings/word-lists/",
    "/settings/protected-people/",
    "/settings/canned-replies/",
    "/settings/office-hours/",
    "/settings/automatic-actions/",
    "/settings/thresholds/",
    "/settings/team/",
    "/reports/",
    "/reports/monthly/",
]
# The policy rules Leads are told they can edit, in the admin (so as staff).
POLICY_ADMIN = [
    "/admin/moderation/policyterm/",
    "/admin/moderation/policyterm/add/",
    "/admin/moderation/protectedperson/",
    "/admin/moderation/categoryaction/",
    "/admin/moderation/policythreshold/",
    "/admin/moderation/allowlisteddomain/",
]


@pytest.mark.parametrize(
    ("url", "staff"), [(url, False) for url in PAGES] + [(url, True) for url in POLICY_ADMIN]
)
def test_each_lead_page_by_role(client, url, staff):
    assert client.get(url)["Location"].startswith("/admin/login/" if staff else "/accounts/login/")
    client.force_login(officer(is_staff=staff))
    assert client.get(url).status_code == 403
    client.force_login(lead(is_staff=staff))
    assert client.get(url).status_code == 200


def test_lead_adds_a_word_and_edits_a_canned_reply_audited(client):
    lauren = lead()
    client.force_login(lauren)
    response = client.post(
        "/settings/word-lists/",
        {"list_name": "profanity", "term": "numpty", "note": "local insult"},
        follow=True,
    )
    assert "Saved" in response.content.decode()
    assert PolicyTerm.objects.filter(term="numpty").exists()
    reply = CannedReply.objects.create(title="Repairs", body="Call us", route="repair")
    client.post(
        f"/settings/canned-replies/{reply.pk}/",
        {"title": "Repairs", "body": "Hi {name}, please call us.", "route": "repair", "active": "on"},
    )
    reply.refresh_from_db()
    assert reply.body == "Hi {name}, please call us."
    event = AuditEvent.objects.get(verb="settings.changed")
    assert event.actor == lauren
    assert event.after == {"body": "Hi {name}, please call us."}


def test_bad_input_is_explained_and_saves_nothing(client):
    client.force_login(lead())
    response = client.post("/settings/thresholds/", {"key": "flag_min", "value": "lots"})
    body = response.content.decode()
    assert "Nothing saved" in body
    assert "Enter a number." in body
    response = client.post(
        "/settings/protected-people/",
        {"name": "Dana Whitfield", "role": "Board director", "aliases": "Dana, D Whitfield"},
    )
    assert ProtectedPerson.objects.get(name="Dana Whitfield").aliases == ["Dana", "D Whitfield"]


def test_team_invite_role_and_deactivate(client):
    client.force_login(lead())
    client.post(
        "/settings/team/",
        {
            "first_name": "Sam",
            "last_name": "Ng",
            "username": "sam.ng",
            "email": "sam@havebury.com",
            "role": "Officer",
        },
    )
    sam = User.objects.get(username="sam.ng")
    assert sam.role_names == ["Officer"]
    assert not sam.has_usable_password()
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body
    client.post(f"/settings/team/{sam.pk}/", {"role": "Lead"})
    client.post(f"/settings/team/{sam.pk}/", {"active": "0"})
    sam.refresh_from_db()
    assert sam.role_names == ["Lead"]
    assert not sam.is_active
    assert AuditEvent.objects.filter(verb__startswith="team.").count() == 3


def test_reports_figures_and_csv(client):
    me = officer(first_name="Kathryn", last_name="Rowland")
    flagged = ItemFactory()
    FlagFactory(item=flagged, category="harassment")
    other = ItemFactory()
    FlagFactory(item=other, category="profanity")
    item_claim(item_id=other.pk, officer=me)
    item_dismiss(item_id=flagged.pk, actor=me)
    client.force_login(lead())
    body = client.get("/reports/").content.decode()
    assert "<b>2</b> comments received" in body
    assert "false flags (1 of 1)" in body
    assert "Harassment or threats" in body
    csv_body = client.get("/reports/?csv=flags").content.decode()
    assert csv_body.splitlines()[0] == "category,clause,flags,upheld,dismissed"
    assert "Harassment or threats,GP014 2.3,1,0,1" in csv_body
    officers = client.get("/reports/?csv=officers").content.decode()
    assert "Kathryn Rowland,1,1" in officers
    monthly = client.get("/reports/monthly/?month=bad").content.decode()
    assert "Ignored month=" in monthly


def test_first_response_counts_office_hours_only():
    friday_4pm = timezone.make_aware(timezone.datetime(2026, 11, 27, 16, 0))
    monday_10am = friday_4pm + timedelta(days=3, hours=-6)
    assert working_seconds(friday_4pm, monday_10am, DEFAULT_HOURS) == 2 * 3600  # Fri 16-17, Mon 9-10
