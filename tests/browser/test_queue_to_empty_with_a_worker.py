"""Issue 8's done-when as a new user meets it: the comments come in through a real Celery worker
(poll and classify), an officer signs in and works the queue to empty with the keyboard only (a
spam wave hidden with x, Space, a and Apply; a reply from the 2.4 templates; a block; a hide; a
dismissal), the same worker sends each decision to the fake platform, and every decision shows
once on the platform's admin endpoint and in the audit log.

The worker is a real `celery worker` process on a throwaway redis-server, against the test
database (tests/reliability/processes.py); this process's live server publishes to it. Nothing
here runs a task body in the test process."""

import re

import pytest
from playwright.sync_api import expect

from moderation.models import Action, AuditEvent, AutoActionRule, CannedReply, Item, ItemState
from moderation.tasks import channel_poll
from tests.browser.test_accessibility import serious_violations
from tests.browser.test_queue_keyboard import PASSWORD, back_to_queue, keys_ready, platform_log, shot, to_row
from tests.factories import officer
from tests.reliability.processes import (
    RedisServer,
    Worker,
    celery_publishing_to,
    wait_for,
    worker_env,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SPAM = "Get 10k followers now, cheap deals at followers-fast.example"
COMMENTS = [
    ("Promo Bot", SPAM),
    ("Promo Bot2", SPAM),
    ("Promo Bot3", SPAM),
    ("Dan Price", "The boiler in my flat is broken again, can someone come and fix it please"),
    ("Sam Cole", "You are all useless idiots and I will make you pay for this"),
    ("Lee Wood", "Havebury staff are lazy scum, every last one of them"),
    ("Amy Shaw", "Lovely photos from the fun day, thanks to everyone who came"),
]
REPAIR_REPLY = "Hi {name}, sorry about this. Please report the repair on 0300 123 4567 and we'll book it in."


@pytest.fixture
def worker(tmp_path, fake_platforms):
    """One real worker on the poll, classify and actions queues, as `make run` starts it."""
    redis_server = RedisServer(tmp_path)
    redis_server.start()
    env = worker_env(redis_url=redis_server.url, fake_url=fake_platforms.base_url)
    started = Worker(tmp_path, env, "queue-to-empty")
    try:
        with celery_publishing_to(redis_server.url):
            started.start(queues="poll,classify,actions")
            yield started
    finally:
        started.kill()
        redis_server.stop()


@pytest.fixture
def demo_queue(fake_platforms, meta_settings, worker):
    """A small demo page, connected, its first poll queued for the worker (as connecting does)."""
    post = fake_platforms.add_post(text="Our summer fun day is on Saturday at the community hall")
    fake_platforms.add_people_comments(post["id"], list(COMMENTS), id_base="72819340000")
    AutoActionRule.objects.all().delete()  # every decision here is the officer's
    CannedReply.objects.all().delete()
    CannedReply.objects.create(title="Repairs: please contact us directly", route="repair", body=REPAIR_REPLY)
    channel = fake_platforms.facebook_page_channel(display_name="Havebury Housing Partnership")
    channel_poll.delay(channel.pk)

    def polled_and_classified() -> bool:
        comments = Item.objects.filter(channel=channel).exclude(kind="post")
        return comments.count() == len(COMMENTS) and not comments.filter(classified_at__isnull=True).exists()

    wait_for(
        polled_and_classified, seconds=60, what=f"the worker to poll and classify\n{worker.output()[-2000:]}"
    )
    return {text: Item.objects.get(channel=channel, text=text) for _, text in COMMENTS[3:]} | {
        "spam": list(Item.objects.filter(channel=channel, text=SPAM).order_by("id"))
    }


def open_item(page, item) -> None:
    to_row(page, item)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(f"/items/{item.pk}/$"))
    expect(page.get_by_text("You have this item.")).to_be_visible()
    keys_ready(page)


def settled(page) -> None:
    """The page says Pending, then (the worker sent it) the platform's answer, without a reload."""
    status = page.locator("#actions-status")
    expect(status).to_contain_text("platform confirmed", timeout=30_000)
    expect(status.locator(".status-note")).to_contain_text("the item is closed")


def test_an_officer_works_the_demo_queue_to_empty_by_keyboard_with_a_real_worker(
    page, live_server, demo_queue, fake_platforms, worker
):
    items = demo_queue
    spam = items.pop("spam")
    repair, threat, abuse, friendly = (items[text] for _, text in COMMENTS[3:])
    kathryn = officer(username="kathryn.rowland", first_name="Kathryn", last_name="Rowland")
    kathryn.set_password(PASSWORD)
    kathryn.save()

    # Signing in by keyboard: the username box has the focus, Tab to the password, Enter.
    page.goto(f"{live_server.url}/")
    expect(page.get_by_label("Username")).to_be_focused()
    page.keyboard.type("kathryn.rowland")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Inbox")).to_be_visible()
    expect(page.locator("#rows [data-row]")).to_have_count(7)

    # 1. The spam wave. Shift+x selects the whole page and clears it again; x selects a row, and so
    # does Space on its checkbox (Tab from the row), from where a still goes to the bulk action.
    selected = page.locator("#selected-count")
    keys_ready(page)
    page.keyboard.press("X")
    expect(selected).to_have_text("7 selected")
    page.keyboard.press("X")
    expect(selected).to_have_text("0 selected")
    for item in spam[1:]:
        to_row(page, item)
        page.keyboard.press("x")
    to_row(page, spam[0])
    page.keyboard.press("Tab")
    expect(page.locator(f"#row-{spam[0].pk} input[type=checkbox]")).to_be_focused()
    page.keyboard.press("Space")
    expect(selected).to_have_text("3 selected")
    page.keyboard.press("a")  # Hide, Tab to the clause, 2.3, Apply
    expect(page.locator("#bulk-kind")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.locator("#bulk-kind")).to_have_value("hide")
    page.keyboard.press("Tab")
    expect(page.locator("#bulk-clause")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.locator("#bulk-clause")).to_have_value("2.3")
    page.keyboard.press("Tab")
    expect(page.locator("[data-action=bulk]")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".message.success")).to_contain_text("Asked the platform to hide 3 items.")
    wait_for(
        lambda: Item.objects.filter(pk__in=[i.pk for i in spam], state=ItemState.RESOLVED).count() == 3,
        seconds=30,
        what="the worker to hide the spam wave",
    )
    page.reload()  # F5: the queue as it is now (Playwright's key presses never reach the browser's own keys)
    keys_ready(page)
    expect(page.locator("#rows [data-row]")).to_have_count(4)

    # 2. The repair: Enter opens it, r, the 2.4 template is filled in with the author's name; send.
    open_item(page, repair)
    page.keyboard.press("r")
    expect(page.locator("#reply-text")).to_have_value(REPAIR_REPLY.format(name="Dan Price"))
    page.keyboard.press("Tab")
    expect(page.locator("[data-action=reply]")).to_be_focused()
    page.keyboard.press("Enter")
    settled(page)
    back_to_queue(page, 3)

    # 3. The threat: b blocks its author (the dialog asks for the clause, 2.3 chosen); Tab, Enter.
    open_item(page, threat)
    page.keyboard.press("b")
    expect(page.locator("#clause-block")).to_be_focused()
    expect(page.locator("#clause-block")).to_have_value("2.3")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    settled(page)
    back_to_queue(page, 2)

    # 4. The abuse: h hides it.
    open_item(page, abuse)
    page.keyboard.press("h")
    expect(page.locator("#clause-hide")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    settled(page)
    back_to_queue(page, 1)

    # 5. The thank-you: d dismisses it; the queue is empty.
    open_item(page, friendly)
    page.keyboard.press("d")
    expect(page.locator("#dismiss-reason")).to_be_focused()
    page.keyboard.type("A thank-you")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator(".message.success")).to_contain_text("Dismissed")
    back_to_queue(page, 0)
    expect(page.locator("#rows")).to_contain_text("Nothing here.")
    assert serious_violations(page) == []
    shot(page, "queue-worked-to-empty")

    # The fake platform's admin endpoint has each decision once ...
    hidden = sorted(h["id"] for h in platform_log(fake_platforms, "hide"))
    assert hidden == sorted([i.platform_id for i in spam] + [abuse.platform_id])
    assert [r["message"] for r in platform_log(fake_platforms, "reply")] == [
        REPAIR_REPLY.format(name="Dan Price")
    ]
    blocks = [
        e for e in fake_platforms.admin("GET", "actions")["log"] if e["action"] not in ("hide", "reply")
    ]
    assert len(blocks) == 1, blocks
    assert threat.author.platform_user_id in str(blocks[0])
    # ... each item is closed with its outcome, once, in the audit log ...
    outcomes = {repair: "replied", threat: "blocked", abuse: "hidden", friendly: "dismissed"}
    outcomes |= dict.fromkeys(spam, "hidden")
    for item, outcome in outcomes.items():
        item.refresh_from_db()
        assert (item.state, item.outcome) == (ItemState.RESOLVED, outcome), item.text
        resolved = AuditEvent.objects.filter(item=item, verb="item.transition", after__state="resolved")
        assert list(resolved.values_list("actor__username", flat=True)) == ["kathryn.rowland"], item.text
    # ... and each platform call was requested once and sent once, by the worker.
    actions = Action.objects.all()
    assert sorted(a.kind for a in actions) == ["block", "hide", "hide", "hide", "hide", "reply"]
    for action in actions:
        events = AuditEvent.objects.filter(target_type="moderation.action", target_id=str(action.pk))
        assert sorted(events.values_list("verb", flat=True)) == ["action.requested", "action.sent"]
    assert worker.output().count("tasks.action_execute[") >= len(actions)
