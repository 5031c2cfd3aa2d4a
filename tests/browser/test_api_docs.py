"""/api/docs/ renders Swagger UI from our own static files (no CDN), and a Lead makes a token in the browser."""

import pytest
from playwright.sync_api import expect

from tests.factories import lead

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_api_docs_render_offline(page, live_server):
    outside = []
    page.on("requestfailed", lambda request: outside.append(request.url))
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Havebury Social API")
    expect(page.get_by_text("/api/v1/items/{id}/hide/").first).to_be_visible()
    assert outside == []  # the context aborts anything not on loopback; nothing was needed


def test_lead_creates_a_token_shown_once_and_revokes_it(page, live_server):
    user = lead(username="lauren.eden", first_name="Lauren", last_name="Eden")
    page.goto(f"{live_server.url}/accounts/login/?next=/settings/api-tokens/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill("correct horse battery staple")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="API tokens")).to_be_visible()
    page.get_by_label("Name").fill("intranet")
    page.get_by_label("Act: officer decisions on items").check()
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_test_id("new-token")).to_contain_text("hvb_")
    page.goto(f"{live_server.url}/settings/api-tokens/")  # shown once: a fresh visit has no secret
    expect(page.get_by_test_id("new-token")).to_have_count(0)
    page.get_by_role("button", name="Revoke intranet").click()
    expect(page.get_by_role("status")).to_contain_text("Revoked the token 'intranet'")
