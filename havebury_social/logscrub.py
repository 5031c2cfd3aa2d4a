"""Scrub anything token-shaped from log records and exception text (issue 13).

A `requests` error carries the URL it failed on, and a Meta URL once carried
`access_token=…&appsecret_proof=…`; Celery logs the traceback when a task gives up, so a
working Page token ended up in the worker log. Adapters now send tokens in headers, and
this filter is the defence in depth: it runs on every handler (settings.LOGGING for web
and manage.py, the Celery signals in celery_app for workers) and rewrites the message,
its arguments and the formatted traceback before any formatter sees them.
"""

from __future__ import annotations

import logging
import re

REDACTED = "[redacted]"

# Query-string, form and JSON-ish pairs whose value is a credential. The key list is broad on
# purpose: a false positive costs a log reader one value, a false negative leaks a token.
_CREDENTIAL_FIELDS = (
    r"access_token|refresh_token|id_token|input_token|fb_exchange_token|client_secret|app_secret|"
    r"appsecret_proof|api_key|apikey|password|passwd|secret|signature|token|key|sessionid|"
    r"csrfmiddlewaretoken|otp_token|authorization"
)
_PAIR = re.compile(
    rf"""(?P<key>["']?\b(?:{_CREDENTIAL_FIELDS})\b["']?\s*(?:=|:)\s*["']?)(?P<value>[^\s"'&,;}}\]]+)""",
    re.IGNORECASE,
)
# Bearer/Basic/OAuth credentials in a header echo.
_AUTH_HEADER = re.compile(r"\b(Bearer|Basic|OAuth|Token)\s+[A-Za-z0-9._~+/=-]{8,}", re.IGNORECASE)
# Bare token shapes: Meta tokens (EAA…), OAuth codes (AQ…), JWTs, Fernet ciphertext (gAAAA…),
# and long hex or base64url runs such as appsecret_proof or API keys.
_BARE = re.compile(
    r"\b(?:EAA[A-Za-z0-9_-]{20,}|AQ[A-Za-z0-9_-]{30,}|gAAAA[A-Za-z0-9_=-]{20,}|"
    r"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}|[a-f0-9]{40,}|"
    r"(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{40,})\b"
)


_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


# Short strings found clean, kept so the same one is not searched again: every web request logs
# one line whose message, method and path repeat from request to request (six strings a line,
# three patterns each, 1.5% of a cached API list answer). Only clean strings are kept, so no
# secret is ever held here; the set is emptied when full (request ids are new every time).
_CLEAN_MAX = 2048
_CLEAN_LONGEST = 200
_clean: set[str] = set()


def scrub(text: str) -> str:
    """Return text with every credential-looking value replaced by [redacted]."""
    if text in _clean:
        return text
    scrubbed = _AUTH_HEADER.sub(lambda m: f"{m.group(1)} {REDACTED}", text)
    scrubbed = _PAIR.sub(lambda m: m.group("key") + REDACTED, scrubbed)
    scrubbed = _BARE.sub(REDACTED, scrubbed)
    if scrubbed == text and len(text) <= _CLEAN_LONGEST:
        if len(_clean) >= _CLEAN_MAX:
            _clean.clear()
        _clean.add(text)
    return scrubbed


class TokenScrubFilter(logging.Filter):
    """Rewrites a record in place so that no handler or formatter can print a secret."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a bad format string: keep the template, drop the args
            message = str(record.msg)
        record.msg = scrub(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        for key, value in list(vars(record).items()):  # extra={...} fields a JSON formatter prints
            if key not in _STANDARD and isinstance(value, str):
                setattr(record, key, scrub(value))
        return True


def install(logger: logging.Logger | None = None) -> None:
    """Add the filter to every handler of `logger` (the root logger by default), once."""
    target = logger or logging.getLogger()
    for handler in target.handlers:
        if not any(isinstance(f, TokenScrubFilter) for f in handler.filters):
            handler.addFilter(TokenScrubFilter())
