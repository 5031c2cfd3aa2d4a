"""Issue 11's "done when", action by action: every action an officer takes on an X, YouTube or
LinkedIn item, through the queue service (moderation/services/queue.py), either reaches the fake
platform over loopback (and shows in its admin log) or is refused up front with a plain reason and
the offline alternative. A report is the offline alternative itself: recorded, with the permalink."""

import pytest
from django.conf import settings

from moderation.channels import registry
from moderation.errors import ActionNotAvailable
from moderation.models import Action, Item
from moderation.selectors import item_offered_actions
from moderation.services.actions import action_execute
from moderation.services.queue import item_act
from tests.factories import lead

pytestmark = pytest.mark.django_db

# What reaches the platform, per kind of item, and the entry its fake writes in /_admin/actions.
# Written from the capability matrix in docs/channels.md; everything else must be refused up front.
SENT = {
    ("x", "reply to us"): {
        "hide": "hide",
        "unhide": "unhide",
        "reply": "reply",
        "block": "mute",
        "unblock": "unmute",
    },
    ("x", "reply to another"): {"hide": "hide", "unhide": "unhide", "block": "mute", "unblock": "unmute"},
    ("x", "mention"): {"reply": "reply", "block": "mute", "unblock": "unmute"},
    ("youtube", "comment"): {
        "hide": "hide",
        "unhide": "unhide",
        "delete": "reject",
        "reply": "reply",
        "block": "reject",
    },
    ("youtube", "reply"): {
        "hide": "hide",
        "unhide": "unhide",
        "delete": "reject",
        "reply": "reply",
        "block": "reject",
    },
    ("linkedin", "comment"): {"delete": "delete", "reply": "reply"},
}
ACTIONS = ("hide", "unhide", "delete", "reply", "block", "unblock", "report")
# The offline alternative a refusal names: the platform's own app (and Report's permalink).
OFFLINE = "in the platform's own app"


def tenant_item(channel, case):
    """A tenant's item of this kind in the demo queue (X replies split by whom they answer)."""
    items = (
        Item.objects.filter(channel=channel, state="new").select_related("author", "channel").order_by("id")
    )
    if channel.platform == "x" and case.startswith("reply"):
        to_us = case == "reply to us"
        return next(
            i
            for i in items.filter(kind="reply")
            if (i.raw.get("in_reply_to_user_id") == channel.account_id) == to_us
        )
    return items.filter(kind=case).first()


def platform_log(fake, platform):
    return [e for e in fake.admin("GET", "actions")["log"] if e.get("platform") == platform]


def act(item, kind, officer):
    return item_act(item_id=item.pk, actor=officer, kind=kind, clause="2.3", text="Please send us a DM")


@pytest.mark.parametrize("kind", ACTIONS)
@pytest.mark.parametrize(("platform", "case"), list(SENT))
def test_every_action_reaches_the_platform_or_is_refused_up_front(
    demo_polled, fake_platforms, platform, case, kind
):
    item = tenant_item(demo_polled(platform), case)
    assert item is not None, f"the demo has no {case} on {platform}"
    officer = lead()
    expected = SENT[(platform, case)].get(kind)
    if kind in ("unhide", "unblock") and expected:  # undoing needs something done first
        first = act(item, "hide" if kind == "unhide" else "block", officer)
        assert action_execute(action_id=first.pk).status == "sent"
        item.refresh_from_db()
    assert (kind in item_offered_actions(item=item, user=officer)) == (
        expected is not None or kind == "report"
    )
    before = len(platform_log(fake_platforms, platform))

    if kind == "report":  # GP014 2.5: no platform has a reporting API; the officer reports it there
        action = act(item, kind, officer)
        assert (action.status, action.payload["permalink"]) == ("confirmed", item.permalink)
        assert item.permalink.startswith("http")
        assert platform_log(fake_platforms, platform)[before:] == []
    elif expected:
        action = action_execute(action_id=act(item, kind, officer).pk)
        assert (action.status, action.error) == ("sent", "")
        [entry] = platform_log(fake_platforms, platform)[before:]
        assert entry["action"] == expected
        target = (
            item.author.platform_user_id
            if kind in ("block", "unblock") and platform == "x"
            else item.platform_id
        )
        assert target in (entry["id"], item.platform_id), entry
    else:
        with pytest.raises(ActionNotAvailable) as refused:
            act(item, kind, officer)
        assert refused.value.message.endswith("."), refused.value.message
        assert kind.removeprefix("un") in refused.value.message or "ban" in refused.value.message
        assert OFFLINE in refused.value.hint, refused.value.hint
        # The platform's own reason where its adapter gives one (X cannot delete others' posts at all).
        note = registry.refusal_note(platform, settings.MODERATION_CHANNELS, kind)
        assert note in refused.value.message
        assert platform_log(fake_platforms, platform)[before:] == []
        assert not Action.objects.filter(item=item, kind=kind).exists()


DELETE_ON_PLATFORM = {
    "x": "x/posts/{id}/delete",
    "youtube": "youtube/comments/{id}/delete",
    "linkedin": "linkedin/comments/{id}/delete",
}


@pytest.mark.parametrize(
    ("platform", "case", "kind"),
    [
        (platform, case, kind)
        for platform, case in [("x", "reply to us"), ("youtube", "comment"), ("linkedin", "comment")]
        for kind in ("hide", "delete", "reply", "block")
        if kind in SENT[(platform, case)]  # the rest is refused up front (the test above)
    ],
)
def test_an_action_on_an_item_already_deleted_on_the_platform_ends_at_once(
    demo_polled, fake_platforms, platform, case, kind
):
    """X and YouTube polls read only what is new, so a deletion there shows first when we act on it:
    the action ends in one attempt (a delete has reached its goal), the item is marked deleted, and
    nothing offers or sends that action again."""
    item = tenant_item(demo_polled(platform), case)
    fake_platforms.admin("POST", DELETE_ON_PLATFORM[platform].format(id=item.platform_id))
    officer = lead()
    action = action_execute(action_id=act(item, kind, officer).pk)
    item.refresh_from_db()
    sends_to_author = kind == "block" and platform == "x"  # a mute names the account, which still exists
    if sends_to_author:
        assert action.status == "sent"
        assert item.visibility != "deleted"
        return
    assert action.attempts == 1
    assert action.next_attempt_at is None
    assert item.visibility == "deleted"
    assert item.deleted_on_platform_at is not None
    if kind == "delete":
        assert action.status == "sent"
        if platform == "youtube":  # LinkedIn's adapter already takes its own 404 as done
            assert action.platform_response == {"already_deleted": True}
        assert (item.state, item.outcome) == ("resolved", "deleted")
        return
    assert action.status == "failed"
    assert action.error.startswith("Already deleted on ")
    assert item.state == "new"  # back in the queue for a person to close, without the dead controls
    assert kind not in item_offered_actions(item=item, user=officer)
    with pytest.raises(ActionNotAvailable, match="already deleted on"):
        act(item, kind, officer)
    assert action_execute(action_id=action.pk).attempts == 1  # a redelivery sends nothing


def test_the_api_offers_an_x_reply_exactly_where_x_accepts_it(demo_polled, fake_platforms):
    """The API's item detail lists the same controls as the dashboard; a refused reply is a problem
    answer with X's rule and the offline alternative, and nothing reaches X."""
    from tests.api.conftest import bearer, make_token

    channel = demo_polled("x")
    client = bearer(make_token("read,act"))
    for case, accepted in (("reply to us", True), ("reply to another", False), ("mention", True)):
        item = tenant_item(channel, case)
        offered = client.get(f"/api/v1/items/{item.pk}/").json()["offered_actions"]
        assert ("reply" in offered) is accepted, (case, offered)
        assert "delete" not in offered  # X deletes only the account's own posts
        before = len(platform_log(fake_platforms, "x"))
        answer = client.post(f"/api/v1/items/{item.pk}/reply/", {"text": "Please DM us"}, format="json")
        if accepted:
            assert answer.status_code == 202, answer.json()
            assert action_execute(action_id=answer.json()["id"]).status == "sent"
            assert [e["action"] for e in platform_log(fake_platforms, "x")[before:]] == ["reply"]
        else:
            problem = answer.json()
            assert (answer.status_code, problem["code"]) == (422, "action_not_available"), problem
            assert "X accepts an API reply only where the post's author mentioned" in problem["detail"]
            assert problem["hint"] == "Reply in the platform's own app, then record it with a note."
            assert platform_log(fake_platforms, "x")[before:] == []
