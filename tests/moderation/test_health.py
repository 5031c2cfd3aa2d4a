"""/healthz and /readyz: liveness touches nothing; readiness checks the database, the broker and
reports each channel, with error text for staff only."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from moderation.health import check_broker
from moderation.models import ActionStatus, ChannelHealth
from tests.factories import ActionFactory, ChannelFactory, ItemFactory, officer

pytestmark = pytest.mark.django_db


def test_healthz_is_ok_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_reports_database_broker_channels_and_work(client):
    ok = ChannelFactory(handle="fine", credentials={"page_token": "x"}, health=ChannelHealth.OK)
    limited = ChannelFactory(
        handle="busy",
        credentials={"page_token": "x"},
        health=ChannelHealth.RATE_LIMITED,
        rate_limited_until=timezone.now() + timedelta(minutes=5),
        last_error="Facebook said (#4) Application request limit reached",
        rate_limit_state={"percent": 97.0},
    )
    ItemFactory(channel=ok, classified_at=None)
    ActionFactory(status=ActionStatus.NEEDS_CHECK, item__classified_at=timezone.now())

    response = client.get("/readyz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"  # one channel is rate limited; the app still serves
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["broker"] == {"ok": True, "kind": "redis", "ms": body["checks"]["broker"]["ms"]}
    channels = {c["handle"]: c for c in body["channels"]}
    assert channels["fine"]["health"] == "ok"
    assert channels["busy"]["health_label"] == "Rate limited"
    assert channels["busy"]["rate_limited_until"] == limited.rate_limited_until.isoformat()
    assert channels["busy"]["next_poll_at"] == limited.rate_limited_until.isoformat()
    assert channels["busy"]["usage_percent"] == 97.0
    assert "last_error" not in channels["busy"]  # anonymous probes see states, not error text
    assert body["work"]["unclassified"] == 1
    assert body["work"]["actions"]["needs_check"] == 1


def test_readyz_shows_channel_errors_to_staff(client):
    ChannelFactory(handle="broken", health=ChannelHealth.DEGRADED, last_error="HTTP 503 from Graph")
    client.force_login(officer())
    channels = client.get("/readyz").json()["channels"]
    assert channels[0]["last_error"] == "HTTP 503 from Graph"


def test_readyz_is_503_when_the_broker_is_down(client):
    # A port nothing listens on: the probe must answer quickly and say which check failed.
    with override_settings(CELERY_BROKER_URL="redis://127.0.0.1:9/0"):
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["broker"]["ok"] is False
    assert body["checks"]["broker"]["error"] == "ConnectionError"
    assert body["checks"]["database"]["ok"] is True


def test_filesystem_broker_check_needs_a_writable_folder(tmp_path):
    options = {"data_folder_in": str(tmp_path / "missing")}
    with override_settings(CELERY_BROKER_TRANSPORT_OPTIONS=options):
        assert check_broker("filesystem://")["ok"] is False
    (tmp_path / "missing").mkdir()
    with override_settings(CELERY_BROKER_TRANSPORT_OPTIONS=options):
        assert check_broker("filesystem://") == {"ok": True, "kind": "filesystem"}
