"""Decisions through the API: the queue services' rules, problem errors, and Idempotency-Key."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from fakeplatforms import DEMO_PAGE_ID
from moderation.models import Action, AuditEvent, Item, ItemState, Visibility
from moderation.services.ingest import channel_poll
from moderation.tasks import action_execute
from tests.api.conftest import bearer, make_token
from tests.factories import ChannelFactory, FlagFactory, ItemFactory, officer


@pytest.fixture
def polled(fake_platforms, meta_settings, db):
    post = fake_platforms.add_post()
    fake_platforms.add_comments(post["id"], 2)
    channel = ChannelFactory(
        platform="facebook",
        account_id=DEMO_PAGE_ID,
        credentials={"access_token": fake_platforms.page_token()},
    )
    channel_poll(channel_id=channel.pk)
    return list(Item.objects.filter(channel=channel, kind="comment").order_by("platform_id"))


def _platform_log(fake, kind):
    return [e for e in fake.admin("GET", "actions")["log"] if e["action"] == kind]


def test_hide_twice_with_one_key_is_one_action_and_one_platform_call(
    fake_platforms, polled, django_capture_on_commit_callbacks
):
    item = polled[0]
    client = bearer(make_token("read,act"))
    url = f"/api/v1/items/{item.pk}/hide/"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = client.post(url, {"clause": "2.3"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
        second = client.post(url, {"clause": "2.3"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == second.status_code == 202
    assert first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true"
    cache.clear()  # even with the replay cache gone, the stored key holds
    third = client.post(url, {"clause": "2.3"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert third.json()["id"] == first.json()["id"]
    assert Action.objects.filter(item=item, kind="hide").count() == 1
    for callback in callbacks:
        callback()
    action_execute(first.json()["id"])  # what the worker does
    action_execute(first.json()["id"])  # a redelivered task
    assert len(_platform_log(fake_platforms, "hide")) == 1
    item.refresh_from_db()
    assert item.visibility == Visibility.HIDDEN
    assert item.state == ItemState.RESOLVED
    detail = client.get(f"/api/v1/items/{item.pk}/").json()
    assert [(a["kind"], a["status"]) for a in detail["actions"]] == [("hide", "sent")]


def test_same_key_for_a_different_request_is_refused(polled):
    client = bearer(make_token("read,act"))
    ok = client.post(
        f"/api/v1/items/{polled[0].pk}/hide/", {"clause": "2.3"}, format="json", HTTP_IDEMPOTENCY_KEY="k"
    )
    assert ok.status_code == 202
    other = client.post(
        f"/api/v1/items/{polled[1].pk}/hide/", {"clause": "2.3"}, format="json", HTTP_IDEMPOTENCY_KEY="k"
    )
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert Action.objects.count() == 1


def test_keys_are_per_caller(polled):
    a, b = bearer(make_token("act", name="a")), bearer(make_token("act", name="b"))
    url = f"/api/v1/items/{polled[0].pk}/reply/"
    first = a.post(url, {"text": "Please DM us"}, format="json", HTTP_IDEMPOTENCY_KEY="same")
    assert first.status_code == 202
    # another caller's identical key is its own operation, so the services judge it: a holds the item
    second = b.post(url, {"text": "Please DM us"}, format="json", HTTP_IDEMPOTENCY_KEY="same")
    assert second.status_code == 409
    assert second.json()["code"] == "item_claimed"
    assert Action.objects.filter(kind="reply").count() == 1


def test_claims_are_the_services_rules(api_client_for, db):
    item = ItemFactory()
    hayley = api_client_for("officer")
    kathryn = bearer(make_token("act", name="kathryn"))
    claimed = hayley.post(f"/api/v1/items/{item.pk}/claim/")
    assert claimed.status_code == 200
    assert claimed.json()["state"] == "in_review"
    refused = kathryn.post(f"/api/v1/items/{item.pk}/dismiss/", {"reason": "fine"}, format="json")
    assert refused.status_code == 409
    body = refused.json()
    assert body["code"] == "item_claimed"
    assert body["hint"] == "Pick another item, or ask them to release it."
    assert refused["Content-Type"] == "application/problem+json"
    assert hayley.post(f"/api/v1/items/{item.pk}/release/").json()["state"] == "new"
    assert (
        kathryn.post(f"/api/v1/items/{item.pk}/dismiss/", {}, format="json").json()["outcome"] == "dismissed"
    )


def test_destructive_action_needs_a_clause(db):
    item = ItemFactory()
    response = bearer(make_token("act")).post(f"/api/v1/items/{item.pk}/hide/", {}, format="json")
    assert response.status_code == 422
    assert response.json()["code"] == "clause_required"
    assert not Action.objects.exists()


def test_escalate_note_resolve_and_claim_next(api_client_for, db):
    first, second = ItemFactory(priority=3), ItemFactory(priority=1)
    FlagFactory(item=second, category="harassment")
    client = api_client_for("officer")
    assert (
        client.post("/api/v1/items/claim-next/", {"category": "harassment"}, format="json").json()["id"]
        == second.pk
    )
    escalated = client.post(f"/api/v1/items/{first.pk}/escalate/", {"note": "threat?"}, format="json")
    assert escalated.json()["state"] == "escalated"
    note = client.post(f"/api/v1/items/{second.pk}/notes/", {"text": "called them"}, format="json")
    assert note.status_code == 201
    assert note.json()["verb"] == "item.note"
    resolved = client.post(f"/api/v1/items/{second.pk}/resolve/", {"outcome": "signposted"}, format="json")
    assert resolved.json()["outcome"] == "signposted"
    assert client.post("/api/v1/items/claim-next/", {}, format="json").status_code == 204
    assert AuditEvent.objects.filter(item=second, verb="item.transition").count() == 2


def test_actions_endpoint_creates_and_lists(polled):
    client = bearer(make_token("read,act"))
    created = client.post(
        "/api/v1/actions/", {"item": polled[0].pk, "kind": "reply", "text": "Please call us"}, format="json"
    )
    assert created.status_code == 202, created.content
    listed = client.get("/api/v1/actions/?status=pending").json()["results"]
    assert [(a["id"], a["kind"], a["status"]) for a in listed] == [(created.json()["id"], "reply", "pending")]
    assert listed[0]["requested_by"] == "api-intranet"
    missing = client.post(
        "/api/v1/actions/", {"item": 99999999, "kind": "hide", "clause": "2.3"}, format="json"
    )
    assert missing.status_code == 404


def test_viewer_and_read_token_cannot_act(api_client_for, db):
    item = ItemFactory()
    for principal in ("viewer", "token_read"):
        response = api_client_for(principal).post(f"/api/v1/items/{item.pk}/dismiss/", {}, format="json")
        assert response.status_code == 403, principal
    assert Item.objects.get(pk=item.pk).state == ItemState.NEW


def test_unknown_item_is_404_before_any_service(api_client_for, db):
    assert api_client_for("officer").post("/api/v1/items/424242/claim/").status_code == 404


def test_http_delete_on_an_item_is_not_a_platform_delete(polled):
    response = bearer(make_token("read,act")).delete(f"/api/v1/items/{polled[0].pk}/")
    assert response.status_code == 405
    assert not Action.objects.exists()


def test_officer_by_session(client, db):
    item = ItemFactory()
    client.force_login(officer())
    assert client.post(f"/api/v1/items/{item.pk}/claim/").status_code == 200
