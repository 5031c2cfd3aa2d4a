"""Leads edit the policy rules they are told they can edit; officers cannot; mail works for resets."""

import re

import pytest
from django.core import mail

from tests.factories import lead, officer

pytestmark = pytest.mark.django_db

POLICY_ADMIN = [
    "/admin/moderation/policyterm/",
    "/admin/moderation/policyterm/add/",
    "/admin/moderation/protectedperson/",
    "/admin/moderation/categoryaction/",
    "/admin/moderation/policythreshold/",
    "/admin/moderation/allowlisteddomain/",
]


@pytest.mark.parametrize("url", POLICY_ADMIN)
def test_lead_opens_the_policy_rule_pages_an_officer_cannot(client, url):
    client.force_login(lead(is_staff=True))
    assert client.get(url).status_code == 200
    client.force_login(officer(is_staff=True))
    assert client.get(url).status_code == 403


def test_forgotten_password_sends_a_link_that_sets_a_new_one(client):
    user = officer(email="kathryn.rowland@havebury.com")
    response = client.post("/accounts/password_reset/", {"email": user.email}, follow=True)
    assert "Check your email" in response.content.decode()
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert "Set your password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a long new pass phrase", "new_password2": "a long new pass phrase"},
        follow=True,
    )
    assert "Password set" in done.content.decode()
    user.refresh_from_db()
    assert user.check_password("a long new pass phrase")
