"""GP014 2.3 fifth bullet: links to inappropriate content (phishing, scams, adult, malware), and spam or
adult promotion that asks people to get in touch instead of giving a link."""

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


# Round 8 (issue 10): spam with no link points people to a private channel ("DM me", "inbox me", "contact
# her on WhatsApp", "link in bio", "message @fundsback_uk") and offers money, credit, recovered funds, a
# prize or adult content. Both must be there: "message me for the food bank's address" offers nothing.
_CONTACT = re.compile(
    r"\b(?:dm|pm|inbox|message|msg|text|whatsapp|telegram|contact|add|hit up)\s+(?:me|him|her|them|@\w+|"
    r"(?!(?:Havebury|Citizens|Shelter|Trading|Action|Age|Step|National|Money|Police|Crimestoppers|Facebook|Meta|"
    r"Instagram|The|Your|Our|My|Me)\b)(?-i:[A-Z][\w-]+)(?:\s+(?-i:[A-Z][\w-]+)){0,2})\b"
    r"|\b(?:on|via)\s+(?:whatsapp|telegram|signal|snapchat|insta(?:gram)?)\b"
    r"|\blink\s+in\s+(?:my\s+|the\s+|our\s+)?bio\b|\bcheck\s+(?:out\s+)?my\s+(?:profile|bio|page)\b"
    r"|\bdrop\s+me\s+a\s+(?:message|dm|line|pm)\b|\bdm\s+for\b"
    r"|\bjoin\s+(?:my|our)\s+(?:telegram|whatsapp|vip)\s*(?:group|channel|chat)?\b"
    r"|\b(?:click|visit|see|view)\s+my\s+(?:profile|bio|page)\b|\bask\s+me\s+how\b|\breply\s+(?:yes|\"?yes\"?|now)\b",
    re.IGNORECASE,
)
# "I was scammed too until a recovery expert got my funds back": the recovery scam's own story, a
# lure of its own and the one "scam" story that is no warning (find_spam).
_RECOVERY_WORDS = r"\brecovery\s+(?:expert|agent|specialist|hacker|pro)\b|\bfunds\s+back\b"
_LURE = re.compile(
    r"\b(?:earn(?:ing|s)?|make|making)\s+(?:up\s+to\s+|over\s+)?[£$]\s?\d[\d,.]*k?\s+(?:a|per|every)\s+(?:day|week)\b"
    r"|\bearn(?:ing|s)?\s+(?:up\s+to\s+|over\s+)?[£$]\s?\d"
    r"|\b(?:hot|lonely|horny|naughty)\s+(?:moms|mums|milfs|wives|singles|girls|ladies)\b|\bsingles\s+near\s+you\b"
    r"|\bselected\s+(?:for|to\s+receive)\s+an?\s+[£$]?\s?\d*\s*\w*\s*(?:voucher|gift|prize|reward)\b"
    r"|\b(?:investments?|investing|investors?|crypto\w*|bitcoin|btc|forex|binary options|nfts?)\b"
    r"|\b(?:crypto|forex|bitcoin)\s+trad\w+|\btrading\s+(?:bot|signals|platform|account|mentor)\b"
    r"|\b\d{1,3}\s?%\s+(?:weekly\s+|daily\s+|monthly\s+)?returns?\b|\b(?:weekly|daily)\s+returns?\b"
    r"|\b(?:payday\s+)?loans?\b|\blender\b|\b(?:bad|any|poor)\s+credit\b|\bcredit\s+(?:score|repair)\b"
    r"|" + _RECOVERY_WORDS + r"|\brecover(?:ed|s)?\s+(?:my|your|lost|stolen)\s+(?:funds|money|crypto)\b"
    r"|\bgift\s?cards?\b|\bfree\s+(?:iphone|money|£)"
    r"|\b(?:singles|hot girls|real girls|spicy|onlyfans|adult content|nudes|sugar (?:daddy|mummy))\b"
    r"|\blonely\s+(?:ladies|girls|wives|singles|women|men)\b"
    r"|\bcheap\s+(?:sky|netflix|iptv|followers|likes|firestick|cigarettes|cigs|fags|tobacco|vapes|baccy)\b"
    r"|\b(?:get rich quick|extra cash|extra income|side hustle|passive income|financial freedom)\b"
    r"|\bguaranteed\s+(?:loans?|returns?|profits?|income|approval)\b",
    re.IGNORECASE,
)
# A free advice service pointed to: "Citizens Advice can help with bad credit, contact them".
_ADVICE = re.compile(
    r"\b(?:citizens advice|cab|money advice|debt advice|stepchange|national debtline|moneyhelper|money helper|"
    r"advice (?:service|team|line|drop-?in)|credit union)\b",
    re.IGNORECASE,
)
_RECOVERY = re.compile(_RECOVERY_WORDS, re.IGNORECASE)
# A warning about such messages names the same lures: "beware of anyone offering loans on WhatsApp".
_WARNING = re.compile(
    r"\b(?:beware|be careful|watch out|scams?|scammers?|scammed|fraudsters?|fake|never (?:give|send|share|pay)|"
    r"report (?:it|them|this|him|her)|don'?t (?:fall|reply|send|click|pay|give))\b",
    re.IGNORECASE,
)


# Account-recovery phishing: the page or account is about to go, and the reader must confirm details.
_PHISH = re.compile(
    r"\b(?:page|account|profile)\s+(?:will\s+be|is\s+being|has\s+been|is\s+going\s+to\s+be)\s+(?:permanently\s+)?"
    r"(?:deleted|disabled|suspended|restricted|locked|removed|banned|unpublished)\b",
    re.IGNORECASE,
)
_PHISH_ASK = re.compile(
    r"\b(?:confirm|verify|update|validate|re-?activate|appeal)\s+(?:your|the)\s+(?:details|account|identity|login|"
    r"password|page|information|info)\b|\bverify\b",
    re.IGNORECASE,
)


def find_spam(ctx: Context) -> list[Flag]:
    """Spam or adult promotion without a link: a money, credit or adult lure plus a private contact."""
    phish = _PHISH.search(ctx.original)
    if phish is not None and _PHISH_ASK.search(ctx.original) and not _WARNING.search(ctx.original):
        return [
            ctx.raw_flag(
                "inappropriate_link",
                phish.start(),
                phish.end(),
                score=0.78,
                source="link.phishing_notice",
                explanation="Threatens that a page or account will be removed unless details are confirmed, the "
                "pattern of account-recovery phishing (GP014 2.3, fifth bullet: inappropriate content).",
            )
        ]
    lure = _LURE.search(ctx.original)
    contact = _CONTACT.search(ctx.original) if lure is not None else None
    if lure is None or contact is None:
        return []
    if (_WARNING.search(ctx.original) and not _RECOVERY.search(ctx.original)) or _ADVICE.search(ctx.original):
        return []
    start, end = min(lure.start(), contact.start()), max(lure.end(), contact.end())
    if end - start > 160:
        start, end = lure.start(), lure.end()
    return [
        ctx.raw_flag(
            "inappropriate_link",
            start,
            end,
            score=0.78,
            source="link.spam_promotion",
            explanation="Promotes money-making, credit, recovered funds, prizes or adult content and asks people "
            "to get in touch privately, which GP014 2.3 (fifth bullet) rules out as inappropriate content.",
        )
    ]
