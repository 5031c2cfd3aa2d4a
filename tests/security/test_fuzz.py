"""Bounded fuzzing over loopback (issue 13 §8): the login, password reset, two-factor and Lead
forms, the OAuth callback, the admin search, and the webhook endpoints with signed hostile bodies.

Hypothesis runs derandomised (the same inputs every run) with fixed example counts, so the suite
stays quick and the figures below are stable. At the end the module writes how many inputs it
tried and how many answered 5xx into docs/security.md ("Fuzzing"); any 5xx fails its test.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.urls import get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from moderation.services.ingest import webhook_process
from tests.factories import ChannelFactory, ItemFactory, UserFactory, lead
from tests.helpers import route_url as _url
from tests.helpers import walk_urls as _walk
from tests.webhook_helpers import post_webhook

pytestmark = pytest.mark.django_db
DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"
FUZZ = settings(
    max_examples=30,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TALLY: dict[str, list[int]] = {}  # target -> [inputs, 5xx]

text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=300)
hostile = st.one_of(
    text,
    st.sampled_from(
        ["", " ", "\x00", "'; DROP TABLE x;--", "<script>alert(1)</script>", "%s%n", "../../etc/passwd"]
    ),
    st.text(max_size=3).map(lambda s: s * 20_000),
)


def _count(target: str, status: int, where: str = "") -> None:
    inputs, errors = TALLY.setdefault(target, [0, 0])
    TALLY[target] = [inputs + 1, errors + (status >= 500)]
    assert status < 500, f"{where or target} answered {status}"


@pytest.fixture(scope="module", autouse=True)
def _write_figures():
    yield
    if not TALLY:
        return
    rows = "\n".join(f"| {t} | {n} | {e} |" for t, (n, e) in sorted(TALLY.items()))
    total = sum(n for n, _ in TALLY.values())
    errors = sum(e for _, e in TALLY.values())
    block = (
        "<!-- fuzz:start (written by tests/security/test_fuzz.py; do not edit) -->\n"
        f"Measured by `pytest tests/security/test_fuzz.py`: {total} inputs, {errors} answered 5xx.\n\n"
        "| target | inputs | 5xx |\n|---|---|---|\n" + rows + "\n<!-- fuzz:end -->"
    )
    doc = DOC.read_text()
    doc = re.sub(r"<!-- fuzz:start.*?<!-- fuzz:end -->", lambda _: block, doc, flags=re.S)
    DOC.write_text(doc)


@FUZZ
@given(username=hostile, password=hostile)
def test_login_form(client, username, password):
    _count(
        "POST /accounts/login/",
        client.post(reverse("login"), {"username": username, "password": password}).status_code,
    )


@FUZZ
@given(username=hostile, password=hostile)
def test_admin_login_form(client, username, password):
    response = client.post(reverse("admin:login"), {"username": username, "password": password})
    _count("POST /admin/login/", response.status_code)


@FUZZ
@given(email=hostile)
def test_password_reset_form(client, email):
    _count(
        "POST /accounts/password_reset/", client.post(reverse("password_reset"), {"email": email}).status_code
    )


@FUZZ
@given(code=hostile, next_url=hostile)
def test_two_factor_forms(client, code, next_url):
    client.force_login(lead(username="fuzz.lead"))
    for name in ("two-factor-verify", "two-factor-setup"):
        response = client.post(reverse(name), {"code": code, "next": next_url})
        _count(f"POST /accounts/two-factor/{name.split('-')[-1]}/", response.status_code)


@FUZZ
@given(months=hostile, platform=hostile, platform_user_id=hostile)
def test_lead_data_protection_forms(client, months, platform, platform_user_id):
    client.force_login(lead(username="fuzz.lead"))
    _count(
        "POST /data-protection/retention/",
        client.post(reverse("moderation:data-retention-set"), {"months": months}).status_code,
    )
    response = client.get(
        reverse("moderation:author-export"), {"platform": platform, "platform_user_id": platform_user_id}
    )
    _count("GET /data-protection/export/", response.status_code)


@FUZZ
@given(state=hostile, code=hostile, error=hostile)
def test_oauth_callback(client, state, code, error):
    client.force_login(lead(username="fuzz.lead"))
    params = {"state": state, "code": code} | ({"error": error} if error else {})
    _count(
        "GET /channels/oauth/callback/",
        client.get(reverse("moderation:channel-oauth-callback"), params).status_code,
    )


@FUZZ
@given(q=hostile, year=st.integers(min_value=-(10**30), max_value=10**30))
def test_admin_search_and_date_filters(client, q, year):
    client.force_login(UserFactory(username="fuzz.admin", is_staff=True, is_superuser=True))
    for url in ("/admin/moderation/item/", "/admin/moderation/auditevent/"):
        _count(
            "GET /admin/<changelist>/", client.get(url, {"q": q, "created_at__year": str(year)}).status_code
        )


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(text, children, max_size=4),
    max_leaves=25,
)


def _meta_body(draw_value, changes):
    return {"object": "page", "entry": [{"id": "1234", "time": draw_value, "changes": changes}]}


@FUZZ
@given(
    platform=st.sampled_from(["facebook", "instagram"]),
    body=st.one_of(
        json_values,
        st.builds(_meta_body, json_values, json_values),
        st.builds(
            _meta_body,
            st.integers(),
            st.lists(
                st.fixed_dictionaries(
                    {"field": st.sampled_from(["feed", "comments", "mentions"]), "value": json_values}
                ),
                max_size=3,
            ),
        ),
    ),
)
def test_signed_webhook_bodies(client, meta_settings, platform, body):
    ChannelFactory.create(
        platform=platform, account_id="1234", handle=f"fuzz-{platform}"
    ) if not _has_channel(platform) else None
    raw = json.dumps(body, allow_nan=True).encode()
    _count(f"POST /webhooks/{platform}/ (signed)", post_webhook(client, raw, platform=platform).status_code)
    from moderation.models import WebhookEvent, WebhookEventStatus

    for event in WebhookEvent.objects.filter(status=WebhookEventStatus.PENDING):
        webhook_process(event_id=event.pk)  # the worker's half must not crash either


@FUZZ
@given(platform=hostile, params=st.dictionaries(hostile, hostile, max_size=4))
def test_webhook_verification_and_unsigned_posts(client, meta_settings, platform, params):
    url = f"/webhooks/{re.sub(r'[^a-z0-9-]', '', platform.lower()) or 'facebook'}/"
    _count("GET /webhooks/<platform>/", client.get(url, params).status_code)
    _count(
        "POST /webhooks/<platform>/ (unsigned)",
        client.post(url, data=json.dumps(params), content_type="application/json").status_code,
    )


def _has_channel(platform):
    from moderation.models import Channel

    return Channel.objects.filter(platform=platform, account_id="1234").exists()


@pytest.fixture
def every_route():
    channel = ChannelFactory(handle="fuzz-every")
    item = ItemFactory(channel=channel)
    ids = {"channel_id": channel.pk, "item_id": item.pk, "index": 0, "pk": item.pk}
    skip = ("logout", "webhook")  # signing out ends the session; webhooks have their own targets
    return [(name, _url(p, ids)) for name, p in _walk(get_resolver()) if name.split(":")[-1] not in skip]


@settings(FUZZ, max_examples=8)
@given(
    fields=st.dictionaries(
        st.sampled_from(
            [
                "q",
                "state",
                "kind",
                "next",
                "page",
                "after",
                "months",
                "text",
                "clause",
                "reason",
                "note",
                "ids",
                "channel",
                "priority",
                "code",
                "email",
                "confirm",
            ]
        )
        | text,
        hostile,
        max_size=5,
    )
)
def test_every_view_and_form_with_hostile_fields(client, every_route, fields):
    """Every route the resolver knows, as a Lead: hostile query strings on GET and hostile
    form fields on POST (CSRF is off in the test client, so the form itself is reached)."""
    client.force_login(lead(username="fuzz.lead"))
    for _name, url in every_route:
        _count("GET <every view>?hostile", client.get(url, fields).status_code, url)
        _count("POST <every view> hostile form", client.post(url, fields).status_code, url)
