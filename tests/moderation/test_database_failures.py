"""A poll or a webhook delivery whose database transaction fails part-way (issue 12: the PostgreSQL
connection dropped mid-transaction): the work rolls back whole, the task ends as failed so it is
picked up again, and the channel page says what happened (Channel.recent_failures)."""

import pytest
from django.db import OperationalError

from moderation.channels.base import WebhookChange
from moderation.channels.fake import FakeChannel
from moderation.models import Channel, Item
from moderation.services.ingest import polling, webhooks
from moderation.services.ingest.polling import channel_poll
from moderation.services.ingest.webhooks import webhook_ingest
from tests.factories import ChannelFactory, lead

pytestmark = pytest.mark.django_db

DROPPED = OperationalError(
    "terminating connection due to administrator command\nserver closed the connection unexpectedly"
)


def store_fails(*args, **kwargs):
    raise DROPPED


def test_a_poll_whose_page_transaction_fails_says_so_on_the_channel_page(monkeypatch, client):
    channel = ChannelFactory(platform="facebook", account_id="db-drop", credentials={"access_token": "t"})
    adapter = FakeChannel(account_id="db-drop")
    adapter.add_comment("The boiler is broken again")
    monkeypatch.setattr(polling, "channel_adapter", lambda _channel: adapter)
    monkeypatch.setattr(polling, "store_items", store_fails)

    with pytest.raises(OperationalError):  # the task fails, as before: the next poll resumes
        channel_poll(channel_id=channel.pk)

    channel.refresh_from_db()
    (failure,) = channel.recent_failures
    assert (failure["part"], failure["error"]) == ("database", "OperationalError")
    assert failure["message"] == (
        "The database failed (terminating connection due to administrator command) while a page was "
        "being stored; the page was rolled back whole and the next poll resumes after the last stored page."
    )
    assert not Item.objects.filter(channel=channel).exists()
    assert channel.poll_failures == 0  # not the platform's fault: no back-off
    client.force_login(lead())
    page = client.get(f"/channels/{channel.pk}/").content.decode()
    assert "Storing a page of a poll" in page
    assert "terminating connection due to administrator command" in page

    monkeypatch.undo()  # the database is back: the next poll stores its page and clears the entry
    monkeypatch.setattr(polling, "channel_adapter", lambda _channel: adapter)
    channel_poll(channel_id=channel.pk)
    assert Item.objects.filter(channel=channel).exists()
    assert Channel.objects.get(pk=channel.pk).recent_failures == []
    assert "Storing a page of a poll" not in client.get(f"/channels/{channel.pk}/").content.decode()


def test_a_webhook_delivery_whose_transaction_fails_says_so_on_the_channel_page(monkeypatch):
    channel = ChannelFactory(
        platform="facebook", account_id="db-drop-hook", credentials={"access_token": "t"}
    )
    item = FakeChannel(account_id="db-drop-hook").add_comment("Still no hot water")
    monkeypatch.setattr(webhooks, "store_items", store_fails)

    with pytest.raises(OperationalError):
        webhook_ingest(
            platform="facebook",
            changes=[
                WebhookChange(account_id="db-drop-hook", verb="add", platform_id=item.platform_id, item=item)
            ],
        )

    (failure,) = Channel.objects.get(pk=channel.pk).recent_failures
    assert (failure["part"], failure["error"]) == ("webhook", "OperationalError")
    assert "while a webhook delivery was being stored" in failure["message"]

    monkeypatch.undo()  # the next delivery stores, and the entry goes
    webhook_ingest(
        platform="facebook",
        changes=[
            WebhookChange(account_id="db-drop-hook", verb="add", platform_id=item.platform_id, item=item)
        ],
    )
    assert Item.objects.filter(channel=channel, platform_id=item.platform_id).exists()
    assert Channel.objects.get(pk=channel.pk).recent_failures == []
