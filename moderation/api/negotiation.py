"""DRF's content negotiation, its answer remembered per Accept header (docs/benchmarks.md).

Integrations send the same Accept header on every request, and DRF parses it and matches it
against the renderers every time (3% of a cached list answer's instructions). The answer depends only on
the header, the `format` asked for and the renderers on offer, so it is kept per such triple:
the same renderer class and media type as DRF's own negotiation picks. Refusals (406, 404 for an
unknown format) are not kept: DRF's code raises them again each time. At most MAX_KEPT answers
are kept, so odd headers cannot grow the table.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request

MAX_KEPT = 256
_kept: dict[tuple[Any, ...], tuple[int, str]] = {}


class KeptContentNegotiation(DefaultContentNegotiation):
    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        renderers = list(renderers)
        key = (
            request.META.get("HTTP_ACCEPT"),
            format_suffix,
            request.query_params.get(self.settings.URL_FORMAT_OVERRIDE),
            tuple(type(renderer) for renderer in renderers),
        )
        kept = _kept.get(key)
        if kept is not None:
            return renderers[kept[0]], kept[1]
        renderer, media_type = super().select_renderer(request, renderers, format_suffix)
        if len(_kept) < MAX_KEPT:
            _kept[key] = (renderers.index(renderer), media_type)
        return renderer, media_type
