"""UK GDPR: retention, subject-access export and erasure with legal holds (docs/data-protection.md)."""

import io
import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from moderation.models import Action, AuditEvent, Author, AuthorRestriction, Flag, Item, ItemState, LegalHold
from moderation.services.audit import audit_record
from moderation.services.data_protection import (
    LegalHoldActive,
    author_erase,
    author_export,
    retention_apply,
    retention_get,
    retention_set,
)
from tests.factories import ActionFactory, FlagFactory, ItemFactory, lead, officer

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def _old_resolved_item(months=14, **kwargs):
    when = NOW - timedelta(days=30.5 * months)
    item = ItemFactory(text="Call me on 07700 900123, Jane Doe", raw={"message": "Jane Doe"}, **kwargs)
    Item.objects.filter(pk=item.pk).update(
        received_at=when, state=ItemState.RESOLVED, outcome="hidden", resolved_at=when
    )
    FlagFactory(item=item, evidence="07700 900123")
    ActionFactory(item=item, payload={"message": "Hi Jane"})
    audit_record(
        actor=None, verb="item.resolved", target=item, after={"state": "resolved", "outcome": "hidden"}
    )
    return item


def test_default_retention_is_thirteen_months():
    assert retention_get().months == 13


def test_retention_anonymises_old_resolved_items_and_keeps_the_decision():
    old = _old_resolved_item()
    recent = ItemFactory(text="Recent comment", raw={"message": "Recent comment"})
    counts = retention_apply(now=NOW)
    old.refresh_from_db()
    assert (old.text, old.raw, old.author, old.permalink) == ("", {}, None, "")
    assert old.state == ItemState.RESOLVED
    assert old.outcome == "hidden"
    assert Flag.objects.get(item=old).evidence == ""
    assert Flag.objects.get(item=old).clause == "2.3"  # the decision stays
    assert Action.objects.get(item=old).payload == {}
    assert AuditEvent.objects.filter(item=old, verb="item.resolved").exists()
    recent.refresh_from_db()
    assert recent.text == "Recent comment"
    assert recent.raw
    assert counts["items_anonymised"] == 1
    assert counts["authors_anonymised"] == 1  # the old item's author has nothing left
    assert retention_apply(now=NOW)["items_anonymised"] == 0  # idempotent


def test_retention_clears_raw_payloads_of_old_open_items_but_keeps_their_text():
    item = ItemFactory(text="Still open", raw={"message": "Still open"})
    Item.objects.filter(pk=item.pk).update(received_at=NOW - timedelta(days=500))
    retention_apply(now=NOW)
    item.refresh_from_db()
    assert item.raw == {}
    assert item.text == "Still open"


def test_a_lead_sets_the_period_and_it_is_audited():
    retention_set(months=6, actor=lead())
    assert retention_get().months == 6
    assert AuditEvent.objects.filter(verb="retention.set", after={"months": 6}).exists()
    item = _old_resolved_item(months=7)
    retention_apply(now=NOW)
    item.refresh_from_db()
    assert item.text == ""
    with pytest.raises(Exception, match="Only a Lead"):
        retention_set(months=24, actor=officer())


def test_legal_hold_keeps_an_author_out_of_retention_and_erasure():
    item = _old_resolved_item()
    hold = LegalHold.objects.create(author=item.author, reason="Police request 2026/117")
    retention_apply(now=NOW)
    item.refresh_from_db()
    assert item.text.startswith("Call me")
    with pytest.raises(LegalHoldActive):
        author_erase(platform="facebook", platform_user_id=item.author.platform_user_id, actor=None)
    hold.lifted_at = NOW
    hold.save()
    author_erase(platform="facebook", platform_user_id=item.author.platform_user_id, actor=None)
    item.refresh_from_db()
    assert item.text == ""
    assert item.author is None


def test_erasure_anonymises_the_author_and_ends_our_record_of_their_blocks():
    item = ItemFactory(text="A complaint with my address")
    author = item.author
    AuthorRestriction.objects.create(author=author, channel=item.channel, kind="block")
    author_erase(platform="facebook", platform_user_id=author.platform_user_id, actor=lead())
    author.refresh_from_db()
    assert author.platform_user_id == f"erased-{author.pk}"
    assert (author.handle, author.display_name) == ("", "")
    assert AuditEvent.objects.filter(verb="author.erased", target_id=str(author.pk)).exists()
    assert not Author.objects.filter(handle=item.author.handle).exclude(pk=author.pk).exists()


def test_export_author_command_writes_everything_about_one_author(tmp_path):
    item = ItemFactory(text="Repair my boiler please", links=["https://example.org/x"])
    FlagFactory(item=item, category="repair", clause="2.4", evidence="Repair")
    other = ItemFactory(text="Someone else")
    out = tmp_path / "author.json"
    said = io.StringIO()
    call_command(
        "export_author",
        platform="facebook",
        platform_user_id=item.author.platform_user_id,
        output=str(out),
        stderr=said,
    )
    assert said.getvalue() == f"Wrote 1 item about the author to {out}.\n"  # not "1 items"
    data = json.loads(out.read_text())
    assert data["author"]["platform_user_id"] == item.author.platform_user_id
    assert [i["text"] for i in data["items"]] == ["Repair my boiler please"]
    assert data["items"][0]["flags"][0]["clause"] == "2.4"
    assert other.text not in out.read_text()
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    ItemFactory(author=item.author, text="And my window")
    call_command(
        "export_author",
        platform="facebook",
        platform_user_id=item.author.platform_user_id,
        output=str(out),
        stderr=said,
    )
    assert said.getvalue().endswith(f"Wrote 2 items about the author to {out}.\n")


def test_export_author_runs_as_documented(tmp_path):
    """The spelling in docs/data-protection.md: --platform facebook --id N --output FILE."""
    item = ItemFactory(text="Only mine")
    ItemFactory(text="Not mine")
    out = tmp_path / "author.json"
    call_command(
        "export_author", "--platform", "facebook", "--id", item.author.platform_user_id, "--output", str(out)
    )
    data = json.loads(out.read_text())
    assert [i["text"] for i in data["items"]] == ["Only mine"]


def test_export_author_names_an_unknown_author_clearly():
    with pytest.raises(CommandError, match="No facebook author with id 404"):
        call_command("export_author", platform="facebook", platform_user_id="404")


def test_lead_page_exports_json_and_officers_cannot(client):
    item = ItemFactory(text="Export me")
    client.force_login(officer())
    url = reverse("moderation:author-export")
    params = {"platform": "facebook", "platform_user_id": item.author.platform_user_id}
    assert client.get(url, params).status_code == 403
    assert client.get(reverse("moderation:data-protection")).status_code == 403
    client.force_login(lead())
    assert client.get(reverse("moderation:data-protection")).status_code == 200
    response = client.get(url, params)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert json.loads(response.content)["items"][0]["text"] == "Export me"
    assert author_export(platform="facebook", platform_user_id=item.author.platform_user_id)["items"]


def test_lead_page_sets_retention(client):
    client.force_login(lead())
    response = client.post(reverse("moderation:data-retention-set"), {"months": "24"})
    assert response.status_code == 302
    assert retention_get().months == 24
    client.post(reverse("moderation:data-retention-set"), {"months": "0"})
    assert retention_get().months == 24


def test_retention_redacts_officer_notes_in_the_audit_and_keeps_the_rest():
    item = _old_resolved_item()
    note = audit_record(actor=None, verb="item.note", target=item, detail={"text": "Jane lives at 4 Elm Row"})
    system = audit_record(actor=None, verb="item.transition", target=item, detail={"reason": "claim_expired"})
    retention_apply(now=NOW)
    note = AuditEvent.objects.get(pk=note.pk)
    assert note.detail == {"redacted": ["text"]}
    assert (note.verb, note.item_id) == ("item.note", item.pk)
    assert AuditEvent.objects.get(pk=system.pk).detail == {"reason": "claim_expired"}


def _raw_update(event_id, assignment, redaction):
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL havebury.audit_redaction = '{redaction}'")
        cursor.execute(f"UPDATE moderation_auditevent SET {assignment} WHERE id = %s", [event_id])  # noqa: S608


def test_the_audit_trigger_still_refuses_anything_but_a_detail_redaction():
    from django.db import InternalError

    event = audit_record(actor=None, verb="item.note", target=ItemFactory(), detail={"text": "x"})
    with pytest.raises(InternalError, match="append-only"):
        _raw_update(event.pk, "verb = 'forged'", "on")
    with pytest.raises(InternalError, match="append-only"):
        _raw_update(event.pk, "detail = '{}'", "off")
