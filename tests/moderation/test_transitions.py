import pytest

from moderation.errors import InvalidTransition
from moderation.models import AuditEvent, ItemState
from moderation.services import transition
from tests.factories import ItemFactory, officer

pytestmark = pytest.mark.django_db


def test_claim_then_resolve_records_each_step():
    item, user = ItemFactory(), officer()
    transition(item, to=ItemState.IN_REVIEW, actor=user)
    assert (item.state, item.claimed_by) == ("in_review", user)
    transition(item, to=ItemState.RESOLVED, actor=user, outcome="dismissed", clause="2.3")
    item.refresh_from_db()
    assert (item.state, item.outcome, item.claimed_by) == ("resolved", "dismissed", None)
    verbs = list(AuditEvent.objects.filter(item=item).order_by("id").values_list("before", "after", "actor"))
    assert verbs == [
        ({"state": "new"}, {"state": "in_review", "outcome": ""}, user.pk),
        ({"state": "in_review"}, {"state": "resolved", "outcome": "dismissed"}, user.pk),
    ]


def test_resolved_cannot_be_claimed_and_error_has_a_hint():
    item = ItemFactory(state="resolved", outcome="hidden")
    with pytest.raises(InvalidTransition) as excinfo:
        transition(item, to=ItemState.IN_REVIEW, actor=officer())
    assert "Reopen" in excinfo.value.hint
    assert not AuditEvent.objects.filter(item=item).exists()


def test_resolving_needs_an_outcome_and_claiming_needs_a_person():
    item = ItemFactory()
    with pytest.raises(InvalidTransition):
        transition(item, to=ItemState.RESOLVED, actor=None)
    with pytest.raises(InvalidTransition):
        transition(item, to=ItemState.IN_REVIEW, actor=None)
