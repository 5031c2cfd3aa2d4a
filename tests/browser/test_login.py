import pytest
from playwright.sync_api import expect

from tests.factories import lead

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_signs_in_sees_inbox_and_signs_out(page, live_server):
    user = lead(username="lauren.eden", first_name="Lauren", last_name="Eden", is_staff=True)
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")
    expect(page.get_by_role("heading", name="Sign in to Havebury Social")).to_be_visible()

    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill("wrong password")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("didn't match")

    page.get_by_label("Password").fill("correct horse battery staple")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Inbox")).to_be_visible()
    expect(page.get_by_text("Lauren Eden")).to_be_visible()
    expect(page.get_by_role("link", name="Admin")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Sign in to Havebury Social")).to_be_visible()
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")


def test_admin_shows_the_audit_trail_read_only(page, live_server):
    user = lead(username="hayley.lambert", is_staff=True, is_superuser=True)
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name="Audit events")).to_be_visible()
    page.get_by_role("link", name="Audit events").click()
    expect(page.get_by_role("link", name="Add audit event")).to_have_count(0)
