"""A forgotten password: the emailed link sets a new one. (Who opens the Lead and policy-rule pages: test_lead_pages.py.)"""

import re

import pytest
from django.core import mail

from tests.factories import officer

pytestmark = pytest.mark.django_db


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
