"""Content negotiation answers kept per Accept header (moderation/api/negotiation.py) are the
answers DRF's own negotiation gives, header by header, and refusals are never kept."""

from __future__ import annotations

import json

import pytest

from moderation.api import negotiation
from tests.api.conftest import bearer, make_token

pytestmark = pytest.mark.django_db
URL = "/api/v1/items/?page_size=2"


@pytest.fixture
def reader():
    negotiation._kept.clear()
    return bearer(make_token("read"))


def test_each_accept_header_gets_its_own_answer_every_time(reader):
    for _ in range(2):
        plain = reader.get(URL, HTTP_ACCEPT="application/json")
        indented = reader.get(URL, HTTP_ACCEPT="application/json; indent=4")
        anything = reader.get(URL, HTTP_ACCEPT="*/*")
        assert plain.status_code == indented.status_code == anything.status_code == 200
        assert b"\n" not in plain.content
        assert indented.content.startswith(b'{\n    "')
        assert json.loads(indented.content) == json.loads(plain.content) == json.loads(anything.content)
        assert anything.content == plain.content
    assert len(negotiation._kept) == 3


def test_an_unacceptable_header_is_refused_every_time_and_never_kept(reader):
    for _ in range(2):
        assert reader.get(URL, HTTP_ACCEPT="text/html").status_code == 406
    assert reader.get(URL + "&format=xml", HTTP_ACCEPT="application/json").status_code == 404
    assert negotiation._kept == {}


def test_the_table_stops_growing_at_its_limit(reader, monkeypatch):
    monkeypatch.setattr(negotiation, "MAX_KEPT", 2)
    for indent in range(4):
        assert reader.get(URL, HTTP_ACCEPT=f"application/json; indent={indent}").status_code == 200
    assert len(negotiation._kept) == 2
    assert reader.get(URL, HTTP_ACCEPT="application/json; indent=3").content.startswith(b'{\n   "')
