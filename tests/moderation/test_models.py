"""Each database constraint holds on real PostgreSQL (docs/architecture.md §1)."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from moderation.models import AuthorRestriction, Channel, OfficeHours, Platform
from tests.factories import (
    ActionFactory,
    AuthorFactory,
    ChannelFactory,
    FlagFactory,
    ItemFactory,
    officer,
)

pytestmark = pytest.mark.django_db


def _violates(name, fn):
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        fn()
    assert name in str(excinfo.value)


def test_item_unique_per_channel_but_not_across_channels():
    item = ItemFactory()
    _violates(
        "item_unique_per_channel", lambda: ItemFactory(channel=item.channel, platform_id=item.platform_id)
    )
    other = ItemFactory(platform_id=item.platform_id)  # same id on another channel is fine
    assert other.pk != item.pk


def test_item_state_must_be_known():
    _violates("item_state_valid", lambda: ItemFactory(state="archived"))


def test_item_in_review_needs_a_claimant():
    _violates("item_in_review_has_claimant", lambda: ItemFactory(state="in_review"))
    assert ItemFactory(state="in_review", claimed_by=officer()).pk


def test_resolved_item_needs_an_outcome():
    _violates("item_resolved_has_outcome", lambda: ItemFactory(state="resolved"))
    assert ItemFactory(state="resolved", outcome="dismissed").pk


def test_item_priority_range_and_kind():
    _violates("item_priority_range", lambda: ItemFactory(priority=9))
    _violates("item_kind_valid", lambda: ItemFactory(kind="story"))
    _violates("item_visibility_valid", lambda: ItemFactory(visibility="secret"))


def test_author_unique_per_platform():
    author = AuthorFactory()
    _violates(
        "author_unique_per_platform",
        lambda: AuthorFactory(platform=author.platform, platform_user_id=author.platform_user_id),
    )
    assert AuthorFactory(platform=Platform.X, platform_user_id=author.platform_user_id).pk


def test_channel_unique_handle_and_account_and_valid_platform():
    channel = ChannelFactory(account_id="1029384756")
    _violates(
        "channel_unique_handle", lambda: ChannelFactory(platform=channel.platform, handle=channel.handle)
    )
    _violates("channel_unique_account", lambda: ChannelFactory(account_id="1029384756"))
    ChannelFactory(account_id="")
    ChannelFactory(account_id="")  # unconnected channels may share the empty id
    _violates("channel_platform_valid", lambda: ChannelFactory(platform="myspace"))
    _violates("channel_poll_interval_min", lambda: ChannelFactory(poll_interval=5))


def test_flag_score_range_and_span_order():
    _violates("flag_score_range", lambda: FlagFactory(score=1.5))
    _violates("flag_evidence_span_ordered", lambda: FlagFactory(evidence_start=10, evidence_end=2))


def test_action_idempotency_key_is_unique():
    action = ActionFactory()
    _violates(
        "idempotency_key",
        lambda: ActionFactory(item=action.item, kind="delete", idempotency_key=action.idempotency_key),
    )


def test_one_open_action_per_item_and_kind():
    action = ActionFactory(kind="hide")
    _violates("action_one_open_per_item_kind", lambda: ActionFactory(item=action.item, kind="hide"))
    action.status = "confirmed"
    action.save()
    assert ActionFactory(item=action.item, kind="hide").pk  # a new hide after the last one finished


def test_action_needs_a_target():
    channel = ChannelFactory()
    _violates("action_has_target", lambda: ActionFactory(item=None, author=None, channel=channel))


def test_one_active_restriction_per_author_channel_kind():
    author, channel = AuthorFactory(), ChannelFactory()
    AuthorRestriction.objects.create(author=author, channel=channel, kind="ban")
    _violates(
        "restriction_one_active",
        lambda: AuthorRestriction.objects.create(author=author, channel=channel, kind="ban"),
    )


def test_office_hours_open_before_close():
    _violates(
        "office_hours_open_before_close",
        lambda: OfficeHours.objects.create(weekday=0, opens=dt.time(17), closes=dt.time(9)),
    )
    _violates(
        "office_hours_open_before_close", lambda: OfficeHours.objects.create(weekday=1, opens=dt.time(9))
    )


def test_credentials_are_encrypted_at_rest():
    from django.db import connection

    channel = ChannelFactory()
    channel.credentials = {"page_token": "EAAG-secret-page-token"}
    channel.save()
    with connection.cursor() as cursor:
        cursor.execute("SELECT credentials FROM moderation_channel WHERE id = %s", [channel.pk])
        raw = cursor.fetchone()[0]
    assert "EAAG-secret-page-token" not in raw
    assert raw.startswith("gAAAAA")  # a Fernet token
    assert Channel.objects.get(pk=channel.pk).credentials == {"page_token": "EAAG-secret-page-token"}
