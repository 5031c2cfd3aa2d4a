"""The queue in a browser: a spam wave hidden with bulk select, and new comments arriving without a
reload while the officer keeps her place."""

import pytest
from playwright.sync_api import expect

from moderation.models import AutoActionRule, Item, ItemState
from moderation.services.classify import item_classify
from moderation.services.ingest import channel_poll
from tests.browser.test_queue_keyboard import keys_ready, platform_log, run_worker, shot, sign_in
from tests.factories import officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SPAM = "Get 10k followers now, cheap deals at followers-fast.example"
FRIENDLY = ("Lovely photos from the fun day, thanks to everyone who came", "Is the hall open on Sunday too?")


def poll_and_classify(channel):
    channel_poll(channel_id=channel.pk)
    for item in Item.objects.filter(channel=channel, classified_at__isnull=True).exclude(kind="post"):
        item_classify(item_id=item.pk)


@pytest.fixture
def facebook(fake_platforms, meta_settings):
    post = fake_platforms.add_post(text="Our summer fun day is on Saturday at the community hall")
    people = [("Promo Bot", SPAM), ("Promo Bot2", SPAM), ("Promo Bot3", SPAM)]
    people += [("Amy Shaw", FRIENDLY[0]), ("Tom Hale", FRIENDLY[1])]
    fake_platforms.add_people_comments(post["id"], people, id_base="72819320000")
    channel = fake_platforms.facebook_page_channel(display_name="Havebury Housing Partnership")
    AutoActionRule.objects.all().delete()  # the officer hides the wave, not the pipeline
    poll_and_classify(channel)
    return channel


def test_a_spam_wave_is_hidden_with_bulk_select(page, live_server, facebook, fake_platforms):
    spam = list(Item.objects.filter(text=SPAM).order_by("id"))
    sign_in(page, live_server, officer(username="kathryn.rowland"))
    expect(page.locator("#rows [data-row]")).to_have_count(5)
    keys_ready(page)
    # x selects the current row; a checkbox click works as well.
    for item in spam[:2]:
        for _ in range(10):
            if page.evaluate("document.querySelector('[data-row].is-current')?.id") == f"row-{item.pk}":
                break
            page.keyboard.press("j")
        page.keyboard.press("x")
    page.locator(f"#row-{spam[2].pk} input[type=checkbox]").check()
    expect(page.locator("#selected-count")).to_have_text("3 selected")
    page.get_by_label("Bulk action").select_option("hide")
    page.get_by_label("Clause").select_option("2.3")
    shot(page, "queue-bulk")
    page.locator("[data-action=bulk]").click()
    expect(page.locator(".message.success")).to_contain_text("Asked the platform to hide 3 items.")
    run_worker()

    assert sorted(h["id"] for h in platform_log(fake_platforms, "hide")) == sorted(
        i.platform_id for i in spam
    )
    for item in spam:
        item.refresh_from_db()
        assert (item.state, item.outcome) == (ItemState.RESOLVED, "hidden")
    page.reload()
    expect(page.locator("#rows [data-row]")).to_have_count(2)
    assert not Item.objects.filter(text__in=FRIENDLY).exclude(state=ItemState.NEW).exists()


def test_new_comments_arrive_without_a_reload_and_the_officer_keeps_her_place(
    page, live_server, facebook, fake_platforms
):
    sign_in(page, live_server, officer(username="hayley.lambert"))
    expect(page.locator("#rows [data-row]")).to_have_count(5)
    keys_ready(page)
    page.keyboard.press("j")
    page.keyboard.press("j")
    place = page.evaluate("document.querySelector('[data-row].is-current').id")
    page.evaluate("window.stillTheSamePage = true")  # gone if the page reloads

    fake_platforms.app.add_comment(
        platform="facebook",
        text="Our lift has been broken for a week, my mum can't get out",
        sender={"id": "728193200099", "name": "Raj Patel"},
    )
    poll_and_classify(facebook)
    newcomer = Item.objects.get(text__startswith="Our lift has been broken")

    arrivals = page.locator("#arrivals")
    expect(arrivals).to_contain_text(
        "1 new since you opened this page", timeout=25_000
    )  # htmx polls every 15 s
    expect(arrivals.locator(f"#row-{newcomer.pk}")).to_be_visible()
    assert page.evaluate("window.stillTheSamePage") is True
    expect(page.locator("[data-row].is-current")).to_have_id(place)
    expect(page.locator("#rows [data-row]")).to_have_count(5)
    shot(page, "queue-arrivals")
    # Keys still work on the page as it is now: k and j move from the same place.
    page.keyboard.press("j")
    expect(page.locator("[data-row].is-current")).not_to_have_id(place)
    page.keyboard.press("k")
    expect(page.locator("[data-row].is-current")).to_have_id(place)
