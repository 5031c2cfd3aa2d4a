"""A long unbroken author name and comment cannot widen the queue (issue 13: a 300-character
name made it 4,454 px wide; names are stored up to 200 characters now)."""

import pytest
from playwright.sync_api import expect

from tests.factories import AuthorFactory, ItemFactory, officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hostile_names_and_text_wrap_inside_the_viewport(page, live_server):
    user = officer(username="kathryn.rowland")
    author = AuthorFactory(display_name="W" * 200, handle="h" * 200)
    ItemFactory(author=author, text="x" * 2000 + " <script>alert(1)</script>")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Inbox")).to_be_visible()
    # Measure a fully loaded page: after the sign-in redirect the heading can show before the
    # stylesheet has applied, and the unstyled table is wider (CI saw 1,756 px that way).
    page.goto(f"{live_server.url}/")
    expect(page.get_by_text("<script>alert(1)</script>", exact=False)).to_have_count(0)  # clipped, escaped
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1280, f"the page is {width}px wide"
