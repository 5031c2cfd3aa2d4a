"""Filters for showing hostile content (comments, author names, links) safely.

Everything a platform sends is written by strangers. Django escapes it; these filters also
stop it from breaking the layout (a 300-character author name once made the queue 4,454 px
wide) and from disguising where a link goes. Use them in every template that shows a
comment, an author or a link (docs/security.md, "Untrusted content").
"""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator

register = template.Library()

LINK_REL = "noopener noreferrer nofollow"


def link_domain(url: str) -> str:
    """The host a link really goes to, in ASCII (xn--…) so a look-alike domain shows as one."""
    try:
        host = urlsplit(url.strip()).hostname or ""
        return host.encode("idna").decode("ascii") if host else ""
    except (ValueError, UnicodeError):
        return ""


@register.filter
def clip(value: object, length: int = 80) -> str:
    """Truncate to `length` characters with an ellipsis; the CSS class `wrap` breaks long runs."""
    text = unicodedata.normalize("NFC", str(value or ""))  # what Truncator measures
    if len(text) <= int(length):
        return text  # the common case, without Truncator's walk over every character
    return Truncator(text).chars(int(length))


@register.filter
def safe_link(url: object) -> SafeString:
    """An http(s) link shown by its real domain, opened without referrer or opener; anything
    else (javascript:, data:, a malformed URL) is shown as plain, escaped text."""
    text = str(url or "").strip()
    domain = link_domain(text)
    if urlsplit(text).scheme.lower() not in ("http", "https") or not domain:
        return format_html('<span class="wrap muted">{}</span>', Truncator(text).chars(80))
    return format_html(
        '<a href="{}" rel="{}" target="_blank" class="wrap" title="{}">{}</a>',
        text,
        LINK_REL,
        Truncator(text).chars(300),
        domain,
    )
