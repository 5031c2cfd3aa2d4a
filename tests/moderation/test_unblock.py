"""An author blocked by mistake is unblocked from the item page: through the queue service, audited,
and on the (fake) platform; where the platform has no unban API the page says so instead."""

import pytest

from moderation.models import Action, AuditEvent, AuthorRestriction, Item
from moderation.services.ingest import channel_poll
from moderation.tasks import action_execute
from tests.factories import ChannelFactory, ItemFactory, officer, viewer

pytestmark = pytest.mark.django_db(transaction=True)


def run_worker():
    for pk in Action.objects.filter(status="pending").values_list("pk", flat=True):
        action_execute(pk)


def platform_log(fake, kind):
    return [e for e in fake.admin("GET", "actions")["log"] if e["action"] == kind]


@pytest.fixture
def comment(fake_platforms, meta_settings):
    channel = fake_platforms.polled_facebook_comment(
        text="Can't make it this year, shame", sender={"id": "728193000042", "name": "Amy Shaw"}
    )
    return Item.objects.exclude(kind="post").get(channel=channel)


def test_a_mistaken_block_is_lifted_from_the_item_page(client, comment, fake_platforms):
    client.force_login(officer(first_name="Kathryn", last_name="Rowland"))
    body = client.get(f"/items/{comment.pk}/").content.decode()
    assert 'data-action="unblock"' not in body  # nothing to lift yet
    client.post(f"/items/{comment.pk}/block/", {"clause": "2.5"})
    run_worker()
    assert [e["user"] for e in platform_log(fake_platforms, "block")] == ["728193000042"]
    assert AuthorRestriction.objects.filter(author=comment.author, lifted_at=None).count() == 1

    body = client.get(f"/items/{comment.pk}/").content.decode()
    assert 'data-action="unblock">Lift the ban on Facebook</button>' in body
    assert "You can undo it later with Unblock on this page." in body
    response = client.post(f"/items/{comment.pk}/unblock/", follow=True)
    assert "Unblock: sent to Facebook" in response.content.decode()
    run_worker()

    assert [e["user"] for e in platform_log(fake_platforms, "unblock")] == ["728193000042"]
    assert AuthorRestriction.objects.filter(author=comment.author, lifted_at=None).count() == 0
    unblock = Action.objects.get(kind="unblock")
    assert (unblock.status, unblock.author, unblock.item) == ("sent", comment.author, comment)
    verbs = list(
        AuditEvent.objects.filter(target_type="moderation.action", target_id=str(unblock.pk))
        .order_by("id")
        .values_list("verb", flat=True)
    )
    assert verbs == ["action.requested", "action.sent"]
    body = client.get(f"/items/{comment.pk}/").content.decode()
    assert "Unblock confirmed by the platform" in body
    assert 'data-action="unblock"' not in body  # lifted: nothing left to undo
    comment.refresh_from_db()
    assert comment.outcome == "blocked"  # the item's decision stands; only the block is lifted


def test_a_viewer_cannot_unblock(client, comment, fake_platforms):
    AuthorRestriction.objects.create(author=comment.author, channel=comment.channel, kind="ban")
    client.force_login(viewer())
    assert 'data-action="unblock"' not in client.get(f"/items/{comment.pk}/").content.decode()
    response = client.post(f"/items/{comment.pk}/unblock/", follow=True)
    assert 'class="message error"' in response.content.decode()
    assert not Action.objects.exists()
    assert platform_log(fake_platforms, "unblock") == []


def test_youtube_has_no_unban_so_the_page_says_where_to_lift_it(client):
    item = ItemFactory(channel=ChannelFactory(platform="youtube"), kind="comment")
    AuthorRestriction.objects.create(author=item.author, channel=item.channel, kind="ban")
    client.force_login(officer())
    body = client.get(f"/items/{item.pk}/").content.decode()
    assert 'data-action="unblock"' not in body
    assert "YouTube has no API to lift a ban" in body
    response = client.post(f"/items/{item.pk}/unblock/", follow=True)
    assert "YouTube has no API to lift a ban" in response.content.decode()
    assert not Action.objects.exists()


def test_on_x_a_block_is_a_mute_and_lifting_it_unmutes(client, fake_platforms, network_settings):
    from django.core.management import call_command

    from moderation.models import Channel
    from moderation.services.seed import havebury_seed

    fake_platforms.app.seed("demo")
    havebury_seed()
    call_command("connect_demo_channels", fake_base=fake_platforms.base_url, wait=2)
    x = Channel.objects.get(platform="x")
    assert channel_poll(channel_id=x.pk).status == "ok"
    reply = Item.objects.filter(channel=x, kind="reply", author__isnull=False).order_by("id").first()
    client.force_login(officer())
    client.post(f"/items/{reply.pk}/block/", {"clause": "2.5"})
    run_worker()
    x_log = [e for e in fake_platforms.admin("GET", "actions")["log"] if e.get("platform") == "x"]
    assert [(e["action"], e["id"]) for e in x_log] == [("mute", reply.author.platform_user_id)]

    body = client.get(f"/items/{reply.pk}/").content.decode()
    assert 'data-action="unblock">Lift the mute on X (Twitter)</button>' in body
    client.post(f"/items/{reply.pk}/unblock/")
    run_worker()
    x_log = [e for e in fake_platforms.admin("GET", "actions")["log"] if e.get("platform") == "x"]
    assert [e["action"] for e in x_log] == ["mute", "unmute"]
    assert not AuthorRestriction.objects.filter(author=reply.author, lifted_at=None).exists()
