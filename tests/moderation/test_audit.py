"""The audit trail is append-only in code, in the admin and in the database."""

import pytest
from django.contrib.admin.sites import site
from django.db import InternalError, connection, transaction
from django.test import RequestFactory

from moderation.models import AuditEvent, AuditImmutable
from moderation.services import audit_record
from tests.factories import ItemFactory, lead

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return audit_record(actor=None, verb="item.classified", target=ItemFactory(), clause="2.3")


def test_audit_record_links_the_item(event):
    assert event.item_id == int(event.target_id)
    assert event.target_type == "moderation.item"
    assert event.actor is None


def test_saving_an_existing_event_raises(event):
    event.verb = "something.else"
    with pytest.raises(AuditImmutable):
        event.save()


def test_deleting_an_event_raises(event):
    with pytest.raises(AuditImmutable):
        event.delete()


def test_queryset_update_and_delete_raise(event):
    with pytest.raises(AuditImmutable):
        AuditEvent.objects.filter(pk=event.pk).update(verb="x")
    with pytest.raises(AuditImmutable):
        AuditEvent.objects.all().delete()


@pytest.mark.parametrize(
    "sql",
    ["UPDATE moderation_auditevent SET verb = 'x'", "DELETE FROM moderation_auditevent"],
)
def test_database_trigger_rejects_raw_changes(event, sql):
    with (
        pytest.raises(InternalError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert AuditEvent.objects.get(pk=event.pk).verb == "item.classified"


def test_admin_is_read_only(event):
    model_admin = site._registry[AuditEvent]
    request = RequestFactory().get("/")
    request.user = lead(is_superuser=True)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, event)
    assert not model_admin.has_delete_permission(request, event)
