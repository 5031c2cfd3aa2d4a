"""Repeated wrong passwords lock the account and say so; password reset is rate-limited."""

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import officer

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


@pytest.mark.parametrize("url_name", ["login", "admin:login"])
def test_thirty_wrong_passwords_lock_the_account_and_say_so(client, url_name, settings):
    user = officer(is_staff=True)
    url = reverse(url_name)
    statuses = [
        client.post(url, {"username": user.username, "password": f"guess {n}"}).status_code for n in range(30)
    ]
    assert statuses[: settings.AXES_FAILURE_LIMIT - 1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert set(statuses[settings.AXES_FAILURE_LIMIT :]) == {429}
    response = client.post(url, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 429  # even the right password is refused while locked
    assert "This account is locked" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_locked_account_leaves_colleagues_at_the_same_address_signing_in(client, settings):
    """Tried as a new user would: 30 wrong passwords for one Lead locked every officer on the
    same address out too, each told "This account is locked"."""
    guessed, colleague = officer(), officer()
    url = reverse("login")
    for n in range(30):
        client.post(url, {"username": guessed.username, "password": f"guess {n}"})
    assert client.post(url, {"username": guessed.username, "password": PASSWORD}).status_code == 429
    assert client.post(url, {"username": colleague.username, "password": PASSWORD}).status_code == 302


def test_signing_in_to_one_s_own_account_does_not_clear_the_guesses_at_another(client, settings):
    guessed, guesser = officer(), officer()
    url = reverse("login")
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(url, {"username": guessed.username, "password": f"guess {n}"})
    assert client.post(url, {"username": guesser.username, "password": PASSWORD}).status_code == 302
    client.logout()
    assert client.post(url, {"username": guessed.username, "password": "one more"}).status_code == 429


def test_an_address_that_tries_many_accounts_is_locked(client, settings):
    url = reverse("login")
    for user in [officer() for _ in range(settings.AXES_FAILURE_LIMIT)]:
        assert client.post(url, {"username": user.username, "password": "Winter2026!"}).status_code in (
            200,
            429,
        )
    response = client.post(url, {"username": officer().username, "password": PASSWORD})
    assert response.status_code == 429  # spraying: even a right password from this address waits
    assert "_auth_user_id" not in client.session


def test_one_typo_does_not_lock_and_a_success_clears_the_count(client, settings):
    user = officer()
    url = reverse("login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(url, {"username": user.username, "password": "typo"})
    assert client.post(url, {"username": user.username, "password": PASSWORD}).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(url, {"username": user.username, "password": "typo"}).status_code == 200


def test_password_reset_requests_are_rate_limited(client, settings):
    user = officer()
    url = reverse("password_reset")
    limit = settings.PASSWORD_RESET_LIMIT_PER_HOUR
    statuses = [client.post(url, {"email": user.email}).status_code for _ in range(limit + 3)]
    assert statuses[:limit] == [302] * limit
    assert set(statuses[limit:]) == {429}
    assert len(mail.outbox) == limit
    response = client.post(url, {"email": user.email})
    assert "Too many password-reset requests" in response.content.decode()


@pytest.mark.parametrize("url_name", ["login", "admin:login"])
def test_an_overlong_username_is_a_form_error_not_a_500(client, url_name):
    """Found by the fuzzer: the failed-attempt record holds 255 characters."""
    response = client.post(reverse(url_name), {"username": "u" * 60_000, "password": "x"})
    assert response.status_code == 200
