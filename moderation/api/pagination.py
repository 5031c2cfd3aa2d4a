"""Cursor pagination on immutable, indexed keys, so pages stay stable while items arrive."""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request


class _Cursor(CursorPagination):
    def decode_cursor(self, request: Request) -> Any:
        # DRF answers 404 for a mangled cursor; it is a bad query parameter, so 400.
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound as exc:
            raise exceptions.ValidationError(
                {"cursor": ["Invalid cursor; use the next/previous links exactly as given."]}
            ) from exc


class NewestFirstCursor(_Cursor):
    """Items newest first by received_at (set once on ingestion), id breaking ties: item_received_idx."""

    ordering = ("-received_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class CreatedCursor(_Cursor):
    """Flags, actions, audit events and deliveries: created_at never changes after insert."""

    ordering = ("-created_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class IdCursor(_Cursor):
    """Small tables (channels, authors, canned replies, tokens): by id, which never changes."""

    ordering = ("id",)
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
