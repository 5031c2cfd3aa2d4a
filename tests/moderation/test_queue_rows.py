"""The queue rows' texts are worked out in the view once per page; they must read exactly as the
template filters they replaced ({% url %}, date, truncatechars, get_FOO_display, clip)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.template.defaultfilters import date, truncatechars
from django.urls import reverse
from django.utils import timezone

from moderation.models import Item
from moderation.templatetags.untrusted import clip
from moderation.views.queue import _mark_hours
from tests.factories import FlagFactory, ItemFactory

pytestmark = pytest.mark.django_db


def test_row_texts_match_the_template_filters_for_every_month_and_weekday():
    start = datetime(2026, 1, 1, 6, 5, tzinfo=UTC)
    for n in range(12):  # one item a month, each on a different weekday and hour
        item = ItemFactory(
            received_at=start + timedelta(days=31 * n + n, hours=n),
            priority=n % 4,
            text="Cafe\u0301 " + "word " * (n * 8),  # a combining accent; long ones get clipped
            route="repair" if n % 2 else "",
            recommended_action="hide_and_block" if n % 3 else "",
        )
        FlagFactory(item=item, evidence="e" * (n * 5))
    items = list(Item.objects.select_related("channel", "author").prefetch_related("flags").order_by("id"))
    assert {i.received_at.month for i in items} == set(range(1, 13))
    for row in _mark_hours(items):
        assert row.href == reverse("moderation:item", args=[row.pk])
        assert row.received_text == date(timezone.localtime(row.received_at), "D j M H:i")
        assert row.priority_text == row.get_priority_display()
        assert row.kind_text == row.get_kind_display()
        assert row.platform_text == row.channel.get_platform_display()
        assert row.text_short == truncatechars(row.text, 180)
        assert row.author_text == clip(str(row.author), 60)
        assert row.route_text == ("Repair request" if row.route else "")
        assert row.action_text == ("Hide and block" if row.recommended_action else "—")
        flag = row.flags.all()[0]
        assert row.flag_rows[0]["evidence"] == (truncatechars(flag.evidence, 40) if flag.evidence else "")
    assert any(len(r.text) > 180 and r.text_short.endswith("…") for r in items)


@pytest.mark.parametrize("text", ["", "short", "x" * 80, "x" * 81, "e\u0301" * 79, "e\u0301" * 81])
def test_clip_keeps_truncators_result(text):
    assert clip(text, 80) == truncatechars(text, 80)
