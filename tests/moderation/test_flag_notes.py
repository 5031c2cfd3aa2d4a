"""The threat subtype and the staff-safety / Awaab's Law notes are stored on each Flag and shown."""

from __future__ import annotations

import pytest

from moderation.models import Priority
from moderation.policy.engine import AWAAB_NOTE
from moderation.policy.rules.threats import NOTE as THREAT_NOTE
from moderation.services import item_classify
from tests.factories import ItemFactory, officer

pytestmark = pytest.mark.django_db


def test_threat_about_a_named_officer_is_stored_with_its_subtype_and_staff_safety_note():
    item = ItemFactory(text="Kathryn Rowland ignored my complaint for months. I hope someone makes her pay.")
    item = item_classify(item_id=item.id)
    assert item.priority == Priority.URGENT
    threat = item.flags.get(category="harassment")
    assert threat.subtype == "threat"
    assert threat.note == THREAT_NOTE
    assert "makes her pay" in threat.evidence
    assert not item.flags.exclude(pk=threat.pk).filter(note=THREAT_NOTE).exists()


def test_childs_mould_is_a_health_hazard_repair_stored_with_the_awaabs_law_note():
    item = ItemFactory(text="My little boy's asthma is getting worse because of the mould in his bedroom")
    item = item_classify(item_id=item.id)
    assert item.route == "repair"
    assert item.priority == Priority.HIGH
    repair = item.flags.get(category="repair")
    assert (repair.subtype, repair.note) == ("health_hazard", AWAAB_NOTE)


def test_plain_flags_have_no_subtype_or_note():
    item = item_classify(item_id=ItemFactory(text="What a load of bollocks").id)
    assert list(item.flags.values_list("subtype", "note")) == [("", "")]


def test_item_page_shows_the_subtype_and_the_note(client):
    item = ItemFactory(text="Tell the surveyor I know where he lives and he should be careful")
    item_classify(item_id=item.id)
    client.force_login(officer())
    body = client.get(f"/items/{item.pk}/").content.decode()
    assert '<span class="pill">Threat</span>' in body
    assert "Staff safety: a threat - tell the Lead" in body
