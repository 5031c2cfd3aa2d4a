"""Issue 7, tried as a new user would: the demo's photo comment on the Facebook page arrives by
poll with its photo, is flagged for image review, and shows the photo only behind a click."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from fakeplatforms import DEMO_PAGE_ID
from moderation.models import Item
from moderation.services.classify import item_classify
from moderation.services.ingest import channel_poll
from tests.browser.test_queue_keyboard import sign_in
from tests.factories import ChannelFactory, officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_demo_photo_comment_is_flagged_and_shows_its_photo_behind_a_click(
    page, live_server, fake_platforms, meta_settings
):
    fake_platforms.app.seed("demo")
    fb = ChannelFactory(
        platform="facebook",
        account_id=DEMO_PAGE_ID,
        credentials={"access_token": fake_platforms.page_token()},
    )
    assert channel_poll(channel_id=fb.pk).status == "ok"
    [photo] = Item.objects.filter(channel=fb).exclude(media_urls=[])
    item_classify(item_id=photo.pk)
    # The demo allowlists its fake server for media fetches, as rundemo does.
    meta_settings.MEDIA_FETCH_ALLOWED_HOSTS, meta_settings.MEDIA_FETCH_ALLOW_PRIVATE = ["127.0.0.1"], True

    sign_in(page, live_server, officer())
    page.goto(live_server.url + reverse("moderation:item", args=[photo.pk]))
    expect(page.get_by_text("Inappropriate image").first).to_be_visible()  # the image review flag
    expect(page.locator("img")).to_have_count(0)  # nothing fetched until asked
    page.get_by_text("Media attached (1)").click()
    page.get_by_role("link", name="Show image 1").click()
    image = page.locator("figure.media-shown img")
    expect(image).to_be_visible()
    page.wait_for_function("() => document.querySelector('figure.media-shown img').naturalWidth > 0")
