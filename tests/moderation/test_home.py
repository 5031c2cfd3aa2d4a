import pytest

from tests.factories import ChannelFactory, ItemFactory, officer

pytestmark = pytest.mark.django_db


def test_inbox_counts_open_items_and_alerts_on_channels_needing_reconnection(
    client, django_assert_num_queries
):
    ok = ChannelFactory(handle="HaveburyHousing", health="ok")
    broken = ChannelFactory(handle="haveburyhousing", platform="instagram", health="needs_reconnect")
    ItemFactory.create_batch(2, channel=ok)
    ItemFactory(channel=ok, state="escalated")
    client.force_login(officer())
    with django_assert_num_queries(4):  # session, user, one aggregate, channel list
        response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<b>2</b> new" in body
    assert "<b>1</b> escalated" in body
    assert f"{broken} needs re-connection" in body
    assert f"{ok} needs re-connection" not in body


def test_inbox_needs_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
