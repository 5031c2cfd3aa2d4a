"""A comment's image, fetched only when an officer clicks, through the media allowlist."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from moderation.media import MediaRefused, media_fetch
from moderation.models import Item


@login_required
@permission_required("moderation.view_item", raise_exception=True)
def item_media(request: HttpRequest, item_id: int, index: int) -> HttpResponse:
    item = get_object_or_404(Item, pk=item_id)
    urls = [str(u) for u in (item.media_urls or [])]
    if index >= len(urls):
        return HttpResponse("This item has no such image.", status=404, content_type="text/plain")
    try:
        media = media_fetch(
            urls[index],
            allowed_hosts=settings.MEDIA_FETCH_ALLOWED_HOSTS,
            max_bytes=settings.MEDIA_FETCH_MAX_BYTES,
            timeout=settings.PLATFORM_TIMEOUT,
            allow_private=settings.MEDIA_FETCH_ALLOW_PRIVATE,
        )
    except MediaRefused as exc:
        return HttpResponse(f"Image not shown: {exc}", status=502, content_type="text/plain")
    response = HttpResponse(media.content, content_type=media.content_type)
    # Shown on its own: no script, no plugin, no sniffing it into HTML.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
@permission_required("moderation.view_item", raise_exception=True)
def item_media_show(request: HttpRequest, item_id: int, index: int) -> HttpResponse:
    """The <img> an officer's click swaps in (htmx): its source is item_media, never the platform."""
    item = get_object_or_404(Item, pk=item_id)
    if index >= len(item.media_urls or []):
        return HttpResponse("This item has no such image.", status=404, content_type="text/plain")
    return render(request, "moderation/partials/media_shown.html", {"item": item, "index": index})
