"""An officer works the queue with the keyboard only, and the fake platform sees each decision once."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from moderation.models import Action, AutoActionRule, CannedReply, Item, ItemState
from moderation.services.classify import item_classify
from moderation.services.ingest import channel_poll
from moderation.tasks import action_execute
from tests.factories import officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = (
    Path(__file__).resolve().parents[2] / "test-screenshots"
)  # pytest-playwright empties test-results/ at start
PASSWORD = "correct horse battery staple"
COMMENTS = (
    "The boiler in my flat is broken again, can someone come and fix it please",
    "You are all useless idiots and I will make you pay for this",
    "Get 10k followers now, cheap deals at followers-fast.example",
    "Lovely photos from the fun day, thanks to everyone who came",
)


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def queue(fake_platforms, meta_settings):
    post = fake_platforms.add_post(text="Our summer fun day is on Saturday at the community hall")
    people = list(zip(("Dan Price", "Sam Cole", "Promo Bot", "Amy Shaw"), COMMENTS, strict=True))
    fake_platforms.add_people_comments(post["id"], people, id_base="72819300000")
    channel = fake_platforms.facebook_page_channel(display_name="Havebury Housing Partnership")
    # Automatic hides are a Lead's choice and tested with the pipeline; here every decision is the officer's.
    AutoActionRule.objects.all().delete()
    channel_poll(channel_id=channel.pk)
    for item in Item.objects.filter(channel=channel).exclude(kind="post"):
        item_classify(item_id=item.pk)
    CannedReply.objects.create(
        title="Repairs: please contact us directly",
        route="repair",
        body="Hi {name}, sorry about this. Please report the repair on 0300 123 4567 and we'll book it in.",
    )
    return channel


def sign_in(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Inbox")).to_be_visible()


def keys_ready(page):
    """Keystrokes typed before keys.js has loaded would be lost."""
    expect(page.locator("html[data-keys=ready]")).to_have_count(1)


def to_row(page, item):
    """In the queue, j/k until the item's row is the current one."""
    keys_ready(page)
    for key in ["j"] * 10 + ["k"] * 10:
        if page.evaluate("document.querySelector('[data-row].is-current')?.id") == f"row-{item.pk}":
            return
        page.keyboard.press(key)
    expect(page.locator("[data-row].is-current")).to_have_id(f"row-{item.pk}")


def back_to_queue(page, rows):
    """u from an item page: the inbox again, with this many rows left."""
    keys_ready(page)
    page.keyboard.press("u")
    expect(page.get_by_role("heading", name="Inbox")).to_be_visible()
    expect(page.locator("#rows [data-row]")).to_have_count(rows)


def run_worker():
    """What the actions worker does: run each pending action's task body once."""
    for pk in Action.objects.filter(status="pending").values_list("pk", flat=True):
        action_execute(pk)


def platform_log(fake, kind):
    return [e for e in fake.admin("GET", "actions")["log"] if e["action"] == kind]


def test_officer_works_three_items_with_the_keyboard_only(page, live_server, queue, fake_platforms):
    sign_in(page, live_server, officer(username="kathryn.rowland", first_name="Kathryn", last_name="Rowland"))
    expect(page.locator("[data-row]")).to_have_count(4)
    keys_ready(page)
    shot(page, "queue")

    # 1. The repair request: j/k to it, Enter opens (and claims) it, r replies with the 2.4 template.
    repair = Item.objects.get(text__startswith="The boiler")
    page.keyboard.press("j")
    while page.locator("[data-row].is-current").get_attribute("id") != f"row-{repair.pk}":
        page.keyboard.press("j")
    page.keyboard.press("Enter")
    expect(page.get_by_text("You have this item.")).to_be_visible()
    keys_ready(page)
    reply_box = page.locator("#reply-text")
    expect(reply_box).to_have_value(
        "Hi Dan Price, sorry about this. Please report the repair on 0300 123 4567 and we'll book it in."
    )
    shot(page, "item")
    page.keyboard.press("r")
    expect(reply_box).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("[data-action=reply]")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".message.success")).to_contain_text("sent to Facebook")
    expect(page.locator("#actions-status")).to_contain_text("Pending")
    run_worker()
    expect(page.locator("#actions-status")).to_contain_text("platform confirmed")

    # 2. The threat (priority urgent): n claims it; b blocks its author, asking for the clause.
    keys_ready(page)
    page.keyboard.press("n")
    threat = Item.objects.get(text__startswith="You are all useless")
    expect(page).to_have_url(f"{live_server.url}/items/{threat.pk}/")
    keys_ready(page)
    page.keyboard.press("b")
    dialog = page.locator("#dialog-block")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Which GP014 clause")).to_be_focused()
    expect(dialog.get_by_label("Which GP014 clause")).to_have_value("2.3")
    shot(page, "block-dialog")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#actions-status")).to_contain_text("Pending")
    run_worker()
    expect(page.locator("#actions-status")).to_contain_text("platform confirmed")

    # 3. The spam link: n, then h hides it on the platform.
    keys_ready(page)
    page.keyboard.press("n")
    spam = Item.objects.get(text__startswith="Get 10k followers")
    expect(page).to_have_url(f"{live_server.url}/items/{spam.pk}/")
    keys_ready(page)
    page.keyboard.press("h")
    expect(page.locator("#dialog-hide")).to_be_visible()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#actions-status")).to_contain_text("Pending")
    run_worker()
    expect(page.locator("#actions-status")).to_contain_text("platform confirmed")
    shot(page, "item-done")

    # Each decision reached the platform exactly once.
    assert [r["message"] for r in platform_log(fake_platforms, "reply")] == [
        "Hi Dan Price, sorry about this. Please report the repair on 0300 123 4567 and we'll book it in."
    ]
    assert [h["id"] for h in platform_log(fake_platforms, "hide")] == [spam.platform_id]
    assert len(platform_log(fake_platforms, "block")) == 1
    for item in (repair, threat, spam):
        item.refresh_from_db()
        assert item.state == ItemState.RESOLVED
    assert (repair.outcome, threat.outcome, spam.outcome) == ("replied", "blocked", "hidden")

    # Back in the queue (u) the worked items are gone; only the friendly comment is left.
    page.keyboard.press("u")
    expect(page.locator("[data-row]")).to_have_count(1)
    keys_ready(page)
    expect(page.locator(f"#row-{spam.pk}")).to_have_count(0)
    page.keyboard.press("?")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
    page.keyboard.press("Escape")


def test_two_officers_pressing_next_never_get_the_same_item(browser, live_server, queue):
    pages = []
    for name in ("hayley.lambert", "kathryn.rowland"):
        context = browser.new_context()
        page = context.new_page()
        sign_in(page, live_server, officer(username=name))
        pages.append(page)
    seen: list[set[str]] = [set(), set()]
    for _ in range(2):
        # Both press "Next item" before either page has loaded its answer.
        for page in pages:
            page.locator("[data-action=claim][data-next]").first.click(no_wait_after=True)
        for n, page in enumerate(pages):
            page.wait_for_url("**/items/*/")
            seen[n].add(page.url)
            page.goto(f"{live_server.url}/")
    assert len(seen[0]) == 2
    assert len(seen[1]) == 2
    assert not seen[0] & seen[1]
    claimed = Item.objects.filter(state=ItemState.IN_REVIEW)
    assert claimed.count() == 4
    assert len({i.claimed_by_id for i in claimed}) == 2
    for page in pages:
        page.context.close()
