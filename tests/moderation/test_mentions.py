"""Mentions end to end: the fake platforms, the adapters, the webhook receiver, ingestion, actions.

Facebook mentions come by poll (`/{page}/tagged`) and by the `mention` webhook;
Instagram mentions only by the `mentions` webhook, which names the object, so
the receiver reads it from the fake server before storing it.
"""

import pytest

from fakeplatforms import DEMO_IG_USER_ID, DEMO_PAGE_ID, DEMO_USER_ID
from moderation.errors import ActionNotAvailable
from moderation.models import Action, ActionStatus, Item, Visibility
from moderation.services.actions import action_request
from moderation.services.ingest import channel_poll
from moderation.tasks import action_execute, item_classify, webhook_process
from tests.factories import ChannelFactory
from tests.webhook_helpers import deliver as deliver_signed
from tests.webhook_helpers import process_events

pytestmark = pytest.mark.django_db


def connected(fake, platform="facebook"):
    token = fake.world.issue_token(kind="page", user_id=DEMO_USER_ID, page_id=DEMO_PAGE_ID, lifetime=None)
    account = DEMO_PAGE_ID if platform == "facebook" else DEMO_IG_USER_ID
    return ChannelFactory(platform=platform, account_id=account, credentials={"access_token": token})


def deliver(client, fake, body):
    """POST one webhook body exactly as the fake server signs it, and run the task; returns the event."""
    headers = fake.app.webhooks.headers(body)
    return deliver_signed(client, body, signature=headers["X-Hub-Signature-256"])


def inject(fake, **body):
    """A mention through the fake's admin endpoint; returns it and the webhook it queued."""
    mention = fake.admin("POST", "mentions", body)
    [webhook] = fake.webhook_bodies()
    return mention, webhook


def test_facebook_mentions_by_poll_are_stored_once_with_their_authors(
    fake_platforms, meta_settings, django_capture_on_commit_callbacks
):
    post = fake_platforms.add_post()
    fake_platforms.add_comments(post["id"], 2)
    mentions = fake_platforms.add_mentions(3)
    channel = connected(fake_platforms)
    with django_capture_on_commit_callbacks() as callbacks:
        first = channel_poll(channel_id=channel.pk)
    assert first.status == "ok"
    assert first.counts["mention"] == {"new": 3, "updated": 0, "unchanged": 0}
    stored = Item.objects.filter(channel=channel, kind="mention").select_related("author")
    assert sorted(i.platform_id for i in stored) == sorted(mentions)
    assert {i.author.display_name for i in stored} == {"Tagger 0", "Tagger 1", "Tagger 2"}
    assert all(i.parent_id is None and i.thread_root_id is None for i in stored)
    mention_pks = {i.pk for i in stored}
    assert mention_pks <= {cb.args[0] for cb in callbacks}  # mentions are classified like comments
    with django_capture_on_commit_callbacks() as again:
        second = channel_poll(channel_id=channel.pk)
    assert second.counts["mention"] == {"new": 0, "updated": 0, "unchanged": 3}
    assert again == []
    assert Item.objects.filter(channel=channel, kind="mention").count() == 3


def test_facebook_mention_webhook_is_fetched_and_stored_once(
    client, fake_platforms, meta_settings, django_capture_on_commit_callbacks
):
    fake_platforms.capture_webhooks()
    channel = connected(fake_platforms)
    mention, body = inject(
        fake_platforms,
        platform="facebook",
        text="Still no hot water at Mill Lane, Havebury Housing Partnership",
        **{"from": {"id": "7281930456123", "name": "Jane Tenant"}},
    )
    with django_capture_on_commit_callbacks() as first:
        processed = deliver(client, fake_platforms, body)
    assert processed.result["fetched"] == processed.result["stored"] == 1
    with django_capture_on_commit_callbacks() as second:
        assert deliver(client, fake_platforms, body) is None  # Meta redelivers: nothing new to process
    item = Item.objects.get(channel=channel)
    assert (item.platform_id, item.kind, item.author.display_name) == (
        mention["id"],
        "mention",
        "Jane Tenant",
    )
    assert item.text == "Still no hot water at Mill Lane, Havebury Housing Partnership"
    assert ([cb.args for cb in first if cb.func == item_classify.delay], second) == ([(item.pk,)], [])
    # The author edits, then deletes the post: both arrive as mention changes.
    fake_platforms.admin("POST", f"comments/{mention['id']}/edit", {"text": "Still no hot water!!"})
    [edit] = fake_platforms.webhook_bodies()
    assert deliver(client, fake_platforms, edit).status == "done"
    item.refresh_from_db()
    assert (item.text, item.edited_on_platform_at is not None) == ("Still no hot water!!", True)
    fake_platforms.admin("POST", f"comments/{mention['id']}/delete")
    [remove] = fake_platforms.webhook_bodies()
    assert deliver(client, fake_platforms, remove).result["deleted"] == 1
    item.refresh_from_db()
    assert item.visibility == Visibility.DELETED
    assert Item.objects.filter(channel=channel).count() == 1


def test_a_mention_seen_by_webhook_and_then_by_poll_is_one_item(client, fake_platforms, meta_settings):
    fake_platforms.capture_webhooks()
    channel = connected(fake_platforms)
    mention, body = inject(fake_platforms, platform="facebook")
    deliver(client, fake_platforms, body)
    result = channel_poll(channel_id=channel.pk)
    assert result.counts["mention"] == {"new": 0, "updated": 0, "unchanged": 1}
    assert list(Item.objects.filter(channel=channel).values_list("platform_id", flat=True)) == [mention["id"]]


@pytest.mark.parametrize("on", ["comment", "media"])
def test_instagram_mention_webhook_is_fetched_and_stored_once(
    client, fake_platforms, meta_settings, django_capture_on_commit_callbacks, on
):
    fake_platforms.capture_webhooks()
    channel = connected(fake_platforms, "instagram")
    mention, body = inject(
        fake_platforms,
        platform="instagram",
        on=on,
        text="@haveburyhousing lift broken since Monday",
        **{"from": {"id": "17841400199999999", "username": "jane.t"}},
    )
    calls = fake_platforms.calls()
    with django_capture_on_commit_callbacks() as first:
        assert deliver(client, fake_platforms, body).status == "done"
    assert fake_platforms.calls() == calls + 1  # one read of mentioned_comment / mentioned_media
    with django_capture_on_commit_callbacks() as second:
        assert deliver(client, fake_platforms, body) is None
    item = Item.objects.select_related("author").get(channel=channel)
    assert (item.platform_id, item.kind, item.text) == (
        mention["id"],
        "mention",
        "@haveburyhousing lift broken since Monday",
    )
    assert item.author.handle == "jane.t"
    assert item.author.platform_user_id == ("17841400199999999" if on == "comment" else "@jane.t")
    assert (len(first), len(second)) == (2, 0)  # webhook_process and item_classify; nothing again


def test_mention_webhook_while_the_platform_is_down_is_retried_by_the_task(
    client, fake_platforms, meta_settings, django_capture_on_commit_callbacks
):
    fake_platforms.capture_webhooks()
    channel = connected(fake_platforms, "instagram")
    _, body = inject(fake_platforms, platform="instagram", on="comment")
    fake_platforms.fail_next({"kind": "503"})
    with django_capture_on_commit_callbacks() as retry:
        event = deliver(client, fake_platforms, body)
    assert (event.status, event.attempts, event.result["failed"]) == ("pending", 1, 1)
    assert [(cb.func, cb.keywords) for cb in retry][-1] == (webhook_process.apply_async, {"countdown": 30})
    assert not Item.objects.filter(channel=channel).exists()
    [again] = process_events()  # the retry, once the platform is back
    assert again.status == "done"
    assert Item.objects.filter(channel=channel, kind="mention").count() == 1


def test_mention_webhook_for_a_channel_needing_reconnect_is_acknowledged(
    client, fake_platforms, meta_settings
):
    fake_platforms.capture_webhooks()
    channel = connected(fake_platforms, "instagram")
    fake_platforms.admin("POST", "tokens/expire", {})
    _, body = inject(fake_platforms, platform="instagram")
    event = deliver(client, fake_platforms, body)
    assert event.status == "done"  # another attempt cannot help until a Lead reconnects
    assert event.result["ignored"] == 1
    channel.refresh_from_db()
    assert channel.health == "needs_reconnect"


def test_actions_on_an_instagram_mention_are_refused_with_a_clear_error(
    client, fake_platforms, meta_settings
):
    fake_platforms.capture_webhooks()
    connected(fake_platforms, "instagram")
    _, body = inject(fake_platforms, platform="instagram", on="comment")
    deliver(client, fake_platforms, body)
    item = Item.objects.get(kind="mention")
    for kind in ("hide", "delete", "reply"):
        with pytest.raises(ActionNotAvailable) as caught:
            action_request(item_id=item.pk, kind=kind, actor=None, payload={"text": "Thanks"})
        assert (
            str(caught.value)
            == f"Instagram cannot {'reply to' if kind == 'reply' else kind} a mention: it is on someone else's post or media."
        )
        assert "platform's own app" in caught.value.hint
    assert not Action.objects.filter(item=item).exists()
    assert fake_platforms.admin("GET", "actions")["log"] == []


def test_facebook_mention_can_be_replied_to_but_not_hidden(fake_platforms, meta_settings):
    channel = connected(fake_platforms)
    [mention] = fake_platforms.add_mentions(1)
    channel_poll(channel_id=channel.pk)
    item = Item.objects.get(channel=channel, platform_id=mention)
    with pytest.raises(ActionNotAvailable, match="Facebook cannot hide a mention"):
        action_request(item_id=item.pk, kind="hide", actor=None)
    reply = action_request(item_id=item.pk, kind="reply", actor=None, payload={"text": "Please DM us"})
    action_execute(reply.pk)
    reply.refresh_from_db()
    assert reply.status == ActionStatus.SENT
    [sent] = fake_platforms.admin("GET", "actions")["replies"]
    assert (sent["parent"], sent["message"]) == (mention, "Please DM us")
    ban = action_request(item_id=item.pk, kind="block", actor=None)  # the author, not the post
    action_execute(ban.pk)
    blocked = fake_platforms.admin("GET", "actions")["blocked"][DEMO_PAGE_ID]
    assert blocked == [item.author.platform_user_id]


def test_demo_seed_has_realistic_mentions(fake_platforms, meta_settings):
    counts = fake_platforms.app.seed("demo")
    assert (counts["mentions"], counts["tagged"]) == (9, 3)
    objects = fake_platforms.admin("GET", "objects?platform=instagram")["data"]
    assert {o["kind"] for o in objects if "mentions" in o} == {
        "ig_mention_media",
        "ig_mention_comment",
        "ig_tagged_media",
    }
    channel = connected(fake_platforms)
    channel_poll(channel_id=channel.pk)
    texts = list(Item.objects.filter(channel=channel, kind="mention").values_list("text", flat=True))
    assert len(texts) == 5
    assert any("scum" in t for t in texts)  # one abusive, for the queue
    assert any("thank you" in t.lower() for t in texts)
    assert all("{" not in t for t in texts)  # templates filled in
    instagram = connected(fake_platforms, "instagram")
    assert channel_poll(channel_id=instagram.pk).status == "ok"
    tagged = Item.objects.filter(channel=instagram, kind="mention").select_related("author")
    assert len(tagged) == 3  # photos others posted with the account tagged, read from /tags
    assert all(t.author and t.author.handle and t.permalink for t in tagged)
    assert all(t.media_urls[0].endswith("/_media/tagged.png") for t in tagged)
    assert any("Useless lot" in t.text for t in tagged)  # one abusive, for the queue
