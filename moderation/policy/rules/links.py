"""GP014 2.3 fifth bullet: links to inappropriate content (phishing, scams, adult, malware)."""

from __future__ import annotations

import dataclasses
import re
from urllib.parse import urlsplit

from moderation.policy.result import Flag
from moderation.policy.rules import Context
from moderation.policy.urls_in_text import find_urls

_TOKENS = re.compile(r"[./\-_?=&+]+")
_IP_HOST = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")


def _host(url: str) -> tuple[str, str]:
    if "://" not in url:
        url = "http://" + url
    parts = urlsplit(url)
    return (parts.hostname or "").lower(), (parts.path + "?" + parts.query).lower()


def _allowed(host: str, allow: tuple[str, ...]) -> bool:
    return any(host == d or host.endswith("." + d) for d in allow)


def assess_link(url: str, ctx: Context) -> tuple[float, str, str] | None:
    """(score, rule id, reason) for a link that needs a look, or None for an ordinary link."""
    config = ctx.config
    host, rest = _host(url)
    if not host or _allowed(host, config.allowlisted_domains):
        return None
    if host in config.shortener_domains:
        return 0.7, "link.shortener", "a link shortener hides where it goes"
    if _IP_HOST.match(host):
        return 0.9, "link.ip_address", "it points at a bare IP address"
    if "xn--" in host:
        return 0.9, "link.punycode", "its address imitates another with look-alike letters"
    if "havebury" in host:
        return 0.92, "link.impersonation", "it imitates Havebury's own address"
    bad = config.compiled["link_bad_words"]
    tokens = " ".join(_TOKENS.split(host + " " + rest))
    m = bad.search(tokens)
    tld = host.rsplit(".", 1)[-1]
    if m is not None:
        return 0.85, "link.bad_words", f'its address contains "{m.group()}"'
    if tld in config.suspicious_tlds:
        return 0.7, "link.suspicious_tld", f"it uses the .{tld} domain, common for scams"
    return None


def find_links(ctx: Context) -> list[Flag]:
    flags: list[Flag] = []
    # Links written in the text (the same finder ingestion fills Item.links with), then any
    # link the platform attached to the post rather than wrote in it.
    candidates = [(f.url, f.start, f.end) for f in find_urls(ctx.original)]
    seen = {c[0] for c in candidates}
    candidates.extend((link, 0, 0) for link in ctx.links if link not in seen)
    for url, start, end in candidates:
        verdict = assess_link(url, ctx)
        if verdict is None:
            continue
        score, source, reason = verdict
        flag = ctx.raw_flag(
            "inappropriate_link",
            start,
            end,
            score=score,
            source=source,
            explanation=f"Links somewhere that needs checking because {reason} "
            "(GP014 2.3, fifth bullet: links to inappropriate content).",
        )
        if end == 0:  # a link attached to the post rather than written in it
            flag = dataclasses.replace(flag, evidence=url)
        flags.append(flag)
        break
    return flags
