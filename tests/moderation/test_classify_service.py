import pytest
from django.core.cache import cache

from moderation.models import AuditEvent, Flag, ItemState, PolicyTerm, Priority
from moderation.policy import POLICY_VERSION
from moderation.services import item_classify
from moderation.services.policy_config import VERSION_KEY, policy_config_get
from moderation.tasks import item_classify as item_classify_task
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def test_classify_stores_flags_route_and_advice_without_changing_state():
    item = ItemFactory(text="You absolute wanker, ring me on 07845 123456")
    item = item_classify(item_id=item.id)
    assert item.state == ItemState.NEW
    assert item.policy_version == POLICY_VERSION
    assert item.classified_at is not None
    assert item.due_by is not None
    assert item.recommended_action == "hide"
    assert item.priority == Priority.HIGH
    categories = set(item.flags.values_list("category", flat=True))
    assert {"profanity", "harassment", "personal_data"} <= categories
    phone = item.flags.get(category="personal_data")
    assert item.text[phone.evidence_start : phone.evidence_end] == "07845 123456"


def test_classify_is_idempotent():
    item = ItemFactory(text="Our boiler has broken down again")
    item_classify(item_id=item.id)
    first = list(Flag.objects.filter(item=item).values_list("category", "clause", "evidence"))
    item_classify(item_id=item.id)
    assert list(Flag.objects.filter(item=item).values_list("category", "clause", "evidence")) == first
    item.refresh_from_db()
    assert item.route == "repair"
    assert item.recommended_action == "respond_offline"


def test_clean_item_stays_in_the_queue_at_low_priority():
    item = ItemFactory(text="Lovely event on Saturday, thank you")
    item = item_classify(item_id=item.id)
    assert item.state == ItemState.NEW
    assert item.priority == Priority.LOW
    assert item.recommended_action == "none"
    assert not item.flags.exists()


def test_urgent_item_due_within_one_working_hour():
    item = ItemFactory(text="My partner hits me and I'm scared to go home, please help")
    item = item_classify(item_id=item.id)
    assert item.priority == Priority.URGENT
    assert item.route == "personal_issue"
    assert (
        item.due_by - item.classified_at
    ).total_seconds() <= 3600 * 72  # next working hour, even at weekends


def test_audit_event_has_ids_and_categories_but_never_the_text():
    item = ItemFactory(text="What a load of bollocks")
    item_classify(item_id=item.id)
    event = AuditEvent.objects.get(verb="item.classified", target_id=str(item.id))
    assert event.actor is None
    assert event.clause == "2.3"
    assert event.policy_version == POLICY_VERSION
    assert event.detail["categories"] == ["profanity"]
    assert "bollocks" not in str(event.detail)


def test_task_calls_the_service():
    item = ItemFactory(text="Black mould in the bedroom again")
    item_classify_task(item.id)
    item.refresh_from_db()
    assert item.route == "repair"


def test_config_rows_reach_the_engine_through_the_cache(
    django_capture_on_commit_callbacks, django_assert_num_queries
):
    item = ItemFactory(text="blimey what a day")
    item_classify(item_id=item.id)
    assert not item.flags.exists()
    with django_capture_on_commit_callbacks(execute=True):
        PolicyTerm.objects.create(list_name="profanity", term="blimey")
    assert cache.get(VERSION_KEY) >= 2
    item = item_classify(item_id=item.id)
    assert item.flags.filter(category="profanity").exists()
    with django_assert_num_queries(0):
        policy_config_get()  # cached: the hot path does not query the policy tables
