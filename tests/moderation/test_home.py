import pytest

from tests.factories import ChannelFactory, FlagFactory, ItemFactory, officer

pytestmark = pytest.mark.django_db


def test_inbox_counts_open_items_and_alerts_on_channels_needing_reconnection(
    client, django_assert_num_queries
):
    ok = ChannelFactory(handle="HaveburyHousing", health="ok")
    broken = ChannelFactory(handle="haveburyhousing", platform="instagram", health="needs_reconnect")
    ItemFactory.create_batch(2, channel=ok)
    ItemFactory(channel=ok, state="escalated")
    client.force_login(officer())
    with django_assert_num_queries(6):  # session, user, one aggregate, channel list, queue, its flags
        response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<b>2</b> new" in body
    assert "<b>1</b> escalated" in body
    assert f"{broken} needs re-connection" in body
    assert f"{ok} needs re-connection" not in body


def test_inbox_lists_open_items_with_their_flags_most_urgent_first(client):
    urgent = ItemFactory(priority=3, text="my husband hits me", recommended_action="respond_offline")
    FlagFactory(item=urgent, category="personal_issue", clause="2.4", evidence="hits me")
    ItemFactory(priority=0, text="Lovely fun day")
    ItemFactory(state="resolved", outcome="dismissed", text="already dealt with")
    client.force_login(officer())
    body = client.get("/").content.decode()
    assert body.index("my husband hits me") < body.index("Lovely fun day")
    assert "<b>personal_issue</b> · GP014 2.4" in body
    assert "already dealt with" not in body


def test_inbox_needs_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
