"""The API's JSON renderer (moderation/api/renderers.py) gives DRF's bytes."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy
from rest_framework import renderers
from rest_framework.utils.serializer_helpers import ReturnDict

from moderation.api.renderers import JSONRenderer

PLAIN = {
    "next": "https://127.0.0.1/api/v1/items/?cursor=bnwyMDI2",
    "previous": None,
    "results": [
        {
            "id": 7,
            "text": 'Ffŵl! «quoted» — tab\there, newline\n, quote ", backslash \\, nul \x00 and emoji 🏠',
            "separators": "line\u2028paragraph\u2029end",
            "flags": [{"score": 0.9, "clause": "2.3"}, {"score": 1, "clause": ""}],
            "hidden": False,
            "claimed_by": None,
            "big": 2**62,
        }
    ],
}


@pytest.mark.parametrize(
    "data",
    [
        PLAIN,
        [],
        {},
        "text",
        {"when": dt.datetime(2026, 12, 2, 9, 15, 2, 123456, tzinfo=dt.UTC)},  # DRF writes Z
        {"amount": Decimal("1.10")},
        {"id": uuid.UUID(int=7)},
        {"lazy": gettext_lazy("Items")},
        ReturnDict({"a": 1}, serializer=None),
        {"huge": 2**70},
    ],
    ids=[
        "page",
        "empty list",
        "empty dict",
        "string",
        "datetime",
        "decimal",
        "uuid",
        "lazy",
        "ReturnDict",
        "huge",
    ],
)
def test_same_bytes_as_drf(data):
    assert JSONRenderer().render(data, "application/json") == renderers.JSONRenderer().render(
        data, "application/json"
    )


def test_indent_asked_for_in_accept_is_honoured():
    context = {"indent": None}
    ours = JSONRenderer().render(PLAIN, "application/json; indent=2", context)
    assert ours == renderers.JSONRenderer().render(PLAIN, "application/json; indent=2", context)
    assert ours.startswith(b"{\n  ")


def test_nothing_renders_as_empty_bytes():
    assert JSONRenderer().render(None) == b""
