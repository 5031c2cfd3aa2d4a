"""Items: filters, cursor pages stable under inserts, detail with flags/thread/actions, ETags, query counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from moderation.models import Flag
from tests.factories import ActionFactory, ChannelFactory, FlagFactory, ItemFactory, officer


@pytest.fixture
def reader(api_client_for):
    return api_client_for("token_read")


def _ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_list_is_newest_first_with_flags(reader, db):
    now = timezone.now()
    old = ItemFactory(received_at=now - timedelta(hours=2))
    new = ItemFactory(received_at=now - timedelta(hours=1))
    FlagFactory(item=new, category="harassment", clause="2.3")
    body = reader.get("/api/v1/items/").json()
    assert [r["id"] for r in body["results"]] == [new.pk, old.pk]
    assert body["results"][0]["flags"][0]["category"] == "harassment"
    assert body["results"][0]["platform"] == "facebook"


def test_filters(reader, db):
    now = timezone.now()
    channel = ChannelFactory()
    a = ItemFactory(channel=channel, received_at=now - timedelta(days=3), text="the boiler is broken")
    b = ItemFactory(received_at=now - timedelta(hours=1), route="repair")
    c = ItemFactory(received_at=now - timedelta(minutes=5))
    FlagFactory(item=c, category="personal_data")
    FlagFactory(item=c, category="personal_data")  # two flags, still one row
    assert _ids(reader.get(f"/api/v1/items/?channel={channel.pk}")) == [a.pk]
    assert _ids(reader.get("/api/v1/items/?q=BOILER")) == [a.pk]
    assert _ids(reader.get("/api/v1/items/?route=repair")) == [b.pk]
    assert _ids(reader.get("/api/v1/items/?category=personal_data")) == [c.pk]
    assert _ids(reader.get("/api/v1/items/?flagged=true")) == [c.pk]
    assert _ids(reader.get(f"/api/v1/items/?author={a.author_id}")) == [a.pk]
    since = (now - timedelta(days=1)).isoformat().replace("+00:00", "Z")
    assert _ids(reader.get("/api/v1/items/", {"since": since})) == [c.pk, b.pk]
    until = (now - timedelta(days=1)).isoformat()
    assert _ids(reader.get("/api/v1/items/", {"until": until})) == [a.pk]
    assert _ids(reader.get("/api/v1/items/?state=new&state=escalated")) == [c.pk, b.pk, a.pk]
    assert _ids(reader.get("/api/v1/items/?state=resolved")) == []


def test_bad_filter_is_a_problem_not_a_500(reader, db):
    response = reader.get("/api/v1/items/?since=yesterday&state=bogus")
    assert response.status_code == 400
    body = response.json()
    assert response["Content-Type"] == "application/problem+json"
    assert set(body["errors"]) == {"since", "state"}
    # The filter form's class is built once: a refused request leaves nothing behind for the next.
    assert reader.get("/api/v1/items/?state=new").status_code == 200
    assert set(reader.get("/api/v1/items/?state=bogus").json()["errors"]) == {"state"}


def test_cursor_pages_are_stable_under_inserts(reader, db):
    now = timezone.now()
    items = [ItemFactory(received_at=now - timedelta(minutes=i)) for i in range(7)]
    first = reader.get("/api/v1/items/?page_size=3").json()
    assert [r["id"] for r in first["results"]] == [i.pk for i in items[:3]]
    ItemFactory(received_at=now + timedelta(seconds=1))  # a new arrival lands on top while paging
    second = reader.get(first["next"]).json()
    third = reader.get(second["next"]).json()
    seen = [r["id"] for r in first["results"] + second["results"] + third["results"]]
    assert seen == [i.pk for i in items]
    assert third["next"] is None


def test_same_received_at_pages_by_id(reader, db):
    moment = timezone.now()
    items = [ItemFactory(received_at=moment) for _ in range(5)]
    first = reader.get("/api/v1/items/?page_size=2").json()
    second = reader.get(first["next"]).json()
    third = reader.get(second["next"]).json()
    seen = [r["id"] for r in first["results"] + second["results"] + third["results"]]
    assert seen == sorted((i.pk for i in items), reverse=True)


def test_detail_has_flags_thread_and_actions(reader, db):
    root = ItemFactory(kind="post")
    item = ItemFactory(channel=root.channel, parent=root, thread_root=root)
    reply = ItemFactory(channel=root.channel, parent=item, thread_root=root, kind="reply")
    FlagFactory(item=item, category="harassment", clause="2.3", evidence="idiot")
    ActionFactory(item=item, kind="hide")
    body = reader.get(f"/api/v1/items/{item.pk}/").json()
    assert body["flags"][0]["explanation"]
    assert [a["kind"] for a in body["actions"]] == ["hide"]
    assert [t["id"] for t in body["thread"]] == [root.pk, item.pk, reply.pk]


def test_etag_conditional_get(reader, db):
    item = ItemFactory()
    first = reader.get(f"/api/v1/items/{item.pk}/")
    tag = first["ETag"]
    again = reader.get(f"/api/v1/items/{item.pk}/", HTTP_IF_NONE_MATCH=tag)
    assert again.status_code == 304
    assert again.content == b""
    FlagFactory(item=item)  # anything shown changes, so the tag changes
    changed = reader.get(f"/api/v1/items/{item.pk}/", HTTP_IF_NONE_MATCH=tag)
    assert changed.status_code == 200
    assert changed["ETag"] != tag


def test_missing_item_is_problem_404(reader, db):
    response = reader.get("/api/v1/items/999999/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize(
    "path", ["/api/v1/items/", "/api/v1/flags/", "/api/v1/authors/", "/api/v1/channels/"]
)
def test_queries_per_list_request_do_not_grow_with_the_page(reader, db, django_assert_max_num_queries, path):
    def fill(n):
        for _ in range(n):
            item = ItemFactory()
            FlagFactory(item=item)
            FlagFactory(item=item, category="spam")

    fill(2)
    reader.get(path)  # warm the token's last_used_at write
    # token, the role's permissions (one query), the page, its flags: never one query per row
    # (channels also read office hours and recent arrivals once, for their next poll)
    with django_assert_max_num_queries(7 if path == "/api/v1/channels/" else 5) as small:
        assert reader.get(path).status_code == 200
    fill(20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(reader.get(path).json()["results"]) > 20


def test_stats(api_client_for, db):
    ItemFactory()
    FlagFactory(clause="2.3")
    FlagFactory(clause="2.4", category="repair")
    body = api_client_for("viewer").get("/api/v1/stats/").json()
    assert body["received"] == 3
    assert {r["key"]: r["count"] for r in body["flags_by_clause"]} == {"2.3": 1, "2.4": 1}
    assert Flag.objects.count() == 2
    bad = api_client_for("viewer").get("/api/v1/stats/?since=2026-02-30T00:00:00Z")
    assert bad.status_code == 400


def test_flags_carry_their_subtype_and_note(reader, db):
    item = ItemFactory()
    FlagFactory(
        item=item, category="harassment", clause="2.3", subtype="threat", note="staff safety: a threat"
    )
    listed = reader.get("/api/v1/items/").json()["results"][0]["flags"][0]
    assert listed["subtype"] == "threat"
    detail = reader.get(f"/api/v1/items/{item.pk}/").json()["flags"][0]
    assert (detail["subtype"], detail["note"]) == ("threat", "staff safety: a threat")


def test_list_rows_match_the_item_serializer_field_for_field(reader, db):
    from moderation.api.selectors import item_list
    from moderation.api.serializers import ItemOutput

    now = timezone.now()
    claimant = officer(username="claims")
    full = ItemFactory(
        received_at=now - timedelta(minutes=1),
        state="in_review",
        claimed_by=claimant,
        due_by=now + timedelta(hours=1),
        created_on_platform=now - timedelta(days=1),
        priority=3,
        route="repair",
    )
    FlagFactory(item=full, category="harassment", clause="2.3", score=0.4)
    FlagFactory(item=full, category="threat", clause="2.3", score=0.9)
    bare = ItemFactory(received_at=now - timedelta(minutes=2), author=None)
    resolved = ItemFactory(
        received_at=now - timedelta(minutes=3), state="resolved", outcome="dismissed", resolved_at=now
    )
    listed = reader.get("/api/v1/items/").json()["results"]
    expected = ItemOutput(item_list().filter(pk__in=[full.pk, bare.pk, resolved.pk]), many=True).data
    by_id = {row["id"]: row for row in expected}
    assert listed == [by_id[full.pk], by_id[bare.pk], by_id[resolved.pk]]
    assert [f["category"] for f in listed[0]["flags"]] == ["threat", "harassment"]  # highest score first


def test_previous_link_walks_back_to_the_same_pages(reader, db):
    now = timezone.now()
    items = [ItemFactory(received_at=now - timedelta(minutes=i)) for i in range(5)]
    first = reader.get("/api/v1/items/?page_size=2").json()
    assert first["previous"] is None
    second = reader.get(first["next"]).json()
    third = reader.get(second["next"]).json()
    assert [r["id"] for r in third["results"]] == [items[4].pk]
    back = reader.get(third["previous"]).json()
    assert [r["id"] for r in back["results"]] == [r["id"] for r in second["results"]]
    start = reader.get(back["previous"]).json()
    assert [r["id"] for r in start["results"]] == [items[0].pk, items[1].pk]
    assert start["previous"] is None


def test_cursor_pages_use_one_row_value_comparison(reader, db, django_assert_max_num_queries):
    """(received_at, id) < (x, y): a range item_received_idx serves, not an OR of two conditions."""
    for i in range(3):
        ItemFactory(received_at=timezone.now() - timedelta(minutes=i))
    first = reader.get("/api/v1/items/?page_size=1").json()
    with django_assert_max_num_queries(5) as captured:
        assert reader.get(first["next"]).status_code == 200
    page_sql = next(q["sql"] for q in captured.captured_queries if "LIMIT 2" in q["sql"])
    assert '("moderation_item"."received_at", "moderation_item"."id") <' in page_sql
    assert " OR " not in page_sql


@pytest.mark.parametrize("cursor", ["bm90IGEgY3Vyc29y", "!!!", "eHw yMDI2fDE=", "bnwyMDI2LTAxLTAxfDE="])
def test_mangled_cursor_is_a_400(reader, db, cursor):
    response = reader.get("/api/v1/items/", {"cursor": cursor})
    assert response.status_code == 400
    assert "cursor" in response.json()["errors"]


def test_author_history_and_cursor_pages_keep_a_fixed_number_of_queries(
    reader, db, django_assert_max_num_queries
):
    author = ItemFactory().author

    def fill(n):
        for _ in range(n):
            FlagFactory(item=ItemFactory(author=author))

    fill(3)
    path = f"/api/v1/authors/{author.pk}/items/?page_size=2"
    reader.get(path)  # warm the token's last_used_at write
    with django_assert_max_num_queries(
        12
    ) as few:  # two requests: token, permissions, author (+ its blocks), page, flags
        first = reader.get(path).json()
        second = reader.get(first["next"]).json()
    assert [r["author"]["id"] for r in first["results"] + second["results"]] == [author.pk] * 4
    fill(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        first = reader.get(path.replace("page_size=2", "page_size=30")).json()
        reader.get(first["next"])
    assert len(first["results"]) == 30


@pytest.mark.parametrize("backwards", [False, True])
def test_reused_page_sql_gives_the_rows_the_orm_gives(db, backwards):
    from moderation.api import selectors
    from moderation.api.pagination import _page_query, _page_rows

    items = [ItemFactory(received_at=timezone.now() - timedelta(minutes=i % 3)) for i in range(7)]
    FlagFactory(item=items[0])
    middle = sorted(items, key=lambda i: (i.received_at, i.pk))[3]
    for key in (None, (middle.received_at, middle.pk)):
        for _ in range(2):  # built by the ORM, then reused
            fast = _page_rows(selectors.item_rows(), backwards, key, 3)
            assert fast == list(_page_query(selectors.item_rows(), backwards, key, 3))
            assert len(fast) == 3
    filtered = selectors.item_rows().filter(state="new")  # filtered pages always go through the ORM
    assert _page_rows(filtered, backwards, None, 50) == list(_page_query(filtered, backwards, None, 50))


@pytest.mark.django_db(transaction=True)  # requests in autocommit, as in production
def test_page_statements_are_prepared_once_per_connection_and_survive_being_discarded(
    reader, django_assert_max_num_queries
):
    from django.db import connection

    ItemFactory.create_batch(3)
    reader.get("/api/v1/items/")  # warm the token's last_used_at write
    connection._page_statements = None
    with django_assert_max_num_queries(5) as first:
        reader.get("/api/v1/items/?page_size=2")
    assert [q["sql"] for q in first.captured_queries if q["sql"].startswith("PREPARE")]
    with django_assert_max_num_queries(5) as second:
        again = reader.get("/api/v1/items/?page_size=2").json()
    sqls = [q["sql"] for q in second.captured_queries]
    assert not [s for s in sqls if s.startswith("PREPARE")]
    assert [s for s in sqls if s.startswith("EXECUTE items_page_")]
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")  # what a pooler's DISCARD ALL would do
    assert reader.get("/api/v1/items/?page_size=2").json() == again


def test_next_and_previous_links_are_what_drfs_replace_query_param_makes():
    import base64
    from datetime import UTC, datetime

    from rest_framework.utils.urls import replace_query_param

    from moderation.api.pagination import ItemKeysetCursor

    paginator = ItemKeysetCursor()
    position = (datetime(2026, 12, 3, 7, 26, 47, 542164, tzinfo=UTC), 213)
    for url in (
        "https://h.example/api/v1/items/?state=new&page_size=2&cursor=b2xk&text=&channel=1&channel=3",
        "http://127.0.0.1/api/v1/items/",
    ):
        paginator.base_url = url  # as paginate_queryset sets it, once per page
        for direction in ("n", "p"):
            raw = f"{direction}|{position[0].isoformat()}|{position[1]}".encode()
            expected = replace_query_param(url, "cursor", base64.urlsafe_b64encode(raw).decode())
            assert paginator._link(direction, position) == expected


def test_times_in_rows_are_written_as_the_serializer_writes_them():
    import datetime as dt

    from moderation.api.serializers import _utc

    moment = dt.datetime(2026, 12, 3, 7, 26, 47, 542164, tzinfo=dt.UTC)
    assert _utc(moment) == "2026-12-03T07:26:47.542164Z"
    assert _utc(moment.replace(microsecond=0)) == "2026-12-03T07:26:47Z"
    assert _utc(moment.astimezone(dt.timezone(dt.timedelta(hours=1)))) == "2026-12-03T07:26:47.542164Z"
    assert _utc(None) is None
