"""GP014 2.3 fifth bullet: links to inappropriate content (phishing, scams, adult, malware), and spam or
adult promotion that asks people to get in touch instead of giving a link."""

from __future__ import annotations

import dataclasses
import re
from urllib.parse import urlsplit

from moderation.policy.result import Flag
from moderation.policy.rules import Context
from moderation.policy.urls_in_text import find_urls

# Flags that say the whole comment is a scam (not merely that it carries a doubtful link): a route the rules
# find in one ("clear your arrears", "unclaimed compensation", "flat to rent") is the bait, not a need.
SCAM_SOURCES = frozenset(
    (
        "link.impersonation",
        "link.money_offer",
        "link.phishing_details",
        "link.phishing_notice",
        "link.fake_prize",
        "link.pay_to_jump",
        "link.rental_deposit",
        "link.advance_fee",
        "link.no_comeback_sale",
        "link.adult_promotion",
        "link.spam_promotion",
    )
)
_TOKENS = re.compile(r"[./\-_?=&+]+")
_IP_HOST = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")


def _host(url: str) -> tuple[str, str]:
    if "://" not in url:
        url = "http://" + url
    parts = urlsplit(url)
    return (parts.hostname or "").lower(), (parts.path + "?" + parts.query).lower()


def _allowed(host: str, allow: tuple[str, ...]) -> bool:
    return any(host == d or host.endswith("." + d) for d in allow)


# A platform's or the state's name inside someone else's address ("meta-support-centre.help",
# "gov-grant-uk.info", "fb-appeal-support.net"): the look of an official page on a stranger's domain.
_BRANDS = {
    "facebook": ("facebook.com", "fb.com", "fb.me"),
    "fb": ("facebook.com", "fb.com", "fb.me"),
    "meta": ("meta.com", "facebook.com"),
    "instagram": ("instagram.com",),
    "whatsapp": ("whatsapp.com", "whatsapp.net", "wa.me"),
    "paypal": ("paypal.com", "paypal.me"),
    "hmrc": ("gov.uk",),
    "dwp": ("gov.uk",),
    "gov": ("gov.uk",),
    # Parcel firms and big shops, whose names delivery-fee and voucher scams borrow.
    "royalmail": ("royalmail.com",),
    "evri": ("evri.com",),
    "dpd": ("dpd.co.uk", "dpd.com"),
    "amazon": ("amazon.co.uk", "amazon.com"),
    "tesco": ("tesco.com",),
    "asda": ("asda.com",),
    "netflix": ("netflix.com",),
}


# Lure words inside one run-together name ("prizeclaimuk", "freegiftcard"): two of them make it a lure.
_JOINED_LURES = re.compile(
    r"prize|claim|winner|reward|refund|rebate|voucher|gift|bonus|free|crypto|bitcoin|grant|verify"
)


def _brand_imitated(host: str) -> str | None:
    for token in _TOKENS.split(host):
        owners = _BRANDS.get(token)
        if owners is not None and not _allowed(host, owners):
            return token
    return None


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
    brand = _brand_imitated(host)
    if brand is not None:
        return 0.9, "link.impersonation", f'it puts "{brand}" in an address that is not theirs'

    bad = config.compiled["link_bad_words"]
    tokens = " ".join(_TOKENS.split(host + " " + rest))
    m = bad.search(tokens)
    tld = host.rsplit(".", 1)[-1]
    if m is not None:
        return 0.85, "link.bad_words", f'its address contains "{m.group()}"'
    joined = _JOINED_LURES.findall(host)
    if len(set(joined)) >= 2:  # "prizeclaimuk.net": lure words run together
        return 0.8, "link.bad_words", f'its address runs together "{joined[0]}" and "{joined[1]}"'
    if tld in config.suspicious_tlds:
        return 0.7, "link.suspicious_tld", f"it uses the .{tld} domain, common for scams"
    return None


# A web address written with no path and no "www." ("claim at havebury-rewards.co"): not a link for
# ingestion (urls_in_text keeps prose like "Mill.Lane" out), but scams write them to dodge link filters,
# so the rule looks at one too. Only an address assess_link finds suspicious is flagged.
_BARE_HOST = re.compile(
    r"(?<![\w@./-])(?:[a-z0-9][a-z0-9-]*\.)+(?:com|co\.uk|co|uk|org|net|info|xyz|top|click|link|help|io|me|shop|site|"
    r"online|live|club|biz|app|win|bet|loan|icu|buzz|support)(?![\w.-]*\w)",
    re.IGNORECASE,
)


def find_links(ctx: Context) -> list[Flag]:
    flags: list[Flag] = []
    # Links written in the text (the same finder ingestion fills Item.links with), then any
    # link the platform attached to the post rather than wrote in it, then bare addresses.
    candidates = [(f.url, f.start, f.end) for f in find_urls(ctx.original)]
    taken = [(s, e) for _, s, e in candidates]
    candidates.extend(
        (m.group(), m.start(), m.end())
        for m in _BARE_HOST.finditer(ctx.original)
        if not any(s <= m.start() < e for s, e in taken)
    )
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
    r"|\b(?:click|visit|see|view)\s+my\s+(?:profile|bio|page)\b|\bask\s+me\s+how\b|\breply\s+(?:yes|\"?yes\"?|now)\b"
    # Round 9: an e-mail address spelt out, "tap my name", "message us", "serious enquiries only".
    r"|\be-?mail\s+(?:me|him|her|them|us|\w+\s*(?:@|\bat\b)\s*\w+)|\b(?:tap|click)\s+(?:on\s+)?my\s+(?:name|pic|photo)\b"
    r"|\b(?:message|dm|pm|inbox|contact|whatsapp|telegram)\s+us\b|\bserious\s+enquiries\b"
    r"|\b(?:chat|talk|message\s+me)\s+(?:in\s+)?private(?:ly)?\b"
    r"|\b(?:please\s+)?inbox(?:\s+(?:please|now|for))?\s*[.!]*\s*$|\b(?:dm|pm)\s*[.!]*\s*$|\bin\s+my\s+inbox\b"
    r"|\b(?:in|on)\s+my\s+(?:bio|profile)\b|\bsee\s+my\s+(?:page|pics|photos)\b|\bpm\s+for\b"
    # Round 11 (evidence2): a chat app or a text straight before a number ("WhatsApp 07700 ...", "text: +44 ...").
    r"|\b(?:whatsapp|telegram|signal|text|txt)\s*(?:me\s+|us\s+)?(?:on\s+|at\s+)?:?\s*\+?\d",
    re.IGNORECASE,
)
# "I was scammed too until a recovery expert got my funds back": the recovery scam's own story, a
# lure of its own and the one "scam" story that is no warning (find_spam).
_RECOVERY_WORDS = (
    r"\brecovery\s+(?:expert|agent|specialist|hacker|pro|firm|company|service|team)\b"
    # Money said to have come back: "got back all my funds", "every penny back", "my bitcoin back".
    r"|\b(?:funds|money|crypto|bitcoin|btc|savings|penny|coins)\s+back\b|£\s?[\d,.]+k?\s+back\b"
    r"|\bgot\s+back\s+(?:all\s+)?(?:of\s+)?(?:my|the|our)\s+(?:funds|money|crypto|bitcoin|savings|coins)\b"
    r"|\b(?:a|an|ethical)\s+hacker\b"
    r"|\brecover\w*\s+(?:\d+\s?%\s+of\s+)?(?:(?:your|my|all|lost|stolen)\s+)+(?:funds|money|crypto|bitcoin|savings)\b"
)
_LURE = re.compile(
    r"\b(?:earn(?:ing|s)?|make|making)\s+(?:up\s+to\s+|over\s+)?[£$]\s?\d[\d,.]*k?\s+(?:a|per|every)\s+(?:day|week)\b"
    r"|\bearn(?:ing|s)?\s+(?:up\s+to\s+|over\s+)?[£$]\s?\d"
    r"|\b(?:hot|lonely|horny|naughty)\s+(?:moms|mums|milfs|wives|singles|girls|ladies)\b|\bsingles\s+near\s+you\b"
    r"|\bselected\s+(?:for|to\s+receive)\s+an?\s+[£$]?\s?\d*\s*\w*\s*(?:voucher|gift|prize|reward)\b"
    r"|\b(?:investments?|investing|investors?|crypto\w*|bitcoin|btc|forex|binary options|nfts?)\b"
    r"|\b(?:crypto|forex|bitcoin)\s+trad\w+|\btrading\s+(?:bot|signals|platform|account|mentor)\b"
    r"|\b\d{1,3}\s?%\s+(?:weekly\s+|daily\s+|monthly\s+)?returns?\b|\b(?:weekly|daily)\s+returns?\b"
    r"|\b(?:payday\s+)?loans?\b|\blender\b|\b(?:bad|any|poor)\s+credit\b|\bcredit\s+(?:score|repair)\b"
    r"|"
    + _RECOVERY_WORDS
    + r"|\brecover(?:ed|s)?\s+(?:my|your|lost|stolen)\s+(?:stolen\s+)?(?:funds|money|crypto|"
    r"bitcoin|btc|savings|coins|investments?)\b"
    # Debts wiped or a home owned fast: "wipe 90% of your debt", "own your home in 3 months".
    r"|\bwipe\s+(?:up\s+to\s+)?\d+\s?%\s+of\s+(?:your\s+)?debts?\b|\bdebts?\s+(?:wiped|written off)\b"
    r"|\bown\s+your\s+(?:own\s+)?home\s+in\s+\d+\b|\brent[- ]to[- ]own\b"
    # Romance and advance-fee stories: "a soldier serving overseas ... help me send a parcel".
    r"|\b(?:soldier|engineer|doctor|nurse|contractor)\s+(?:serving|working|based|stationed)\s+(?:overseas|abroad|offshore)\b"
    r"|\bon\s+an\s+oil\s+rig\b|\bhelp\s+me\s+(?:send|receive|collect)\s+(?:a\s+)?(?:parcel|package|funds|inheritance)\b"
    # A bill cut by a stranger's "service": "council tax reduced by 50%".
    r"|\b(?:reduced|cut|lowered|slashed|halved)\s+by\s+\d+\s?%"
    r"|\b(?:binary\s+options|\d+\s?%\s+return)"
    # Money multiplied ("turned £500 into £8000"), or a bill or benefit "got" changed for you.
    r"|\bturned\s+£\s?\d[\d,]*k?\s+into\s+£"
    # Inheritance and romance stories; a "buyout" of a tenancy.
    r"|\binheritance\b|\bnext\s+of\s+kin\b|\bestate\s+of\s+(?:a|my|the)\s+late\b"
    r"|\b(?:beautiful|lovely|gorgeous)\s+(?:profile|smile|pictures?|photos?)\b"
    r"|\bwidowed\s+(?:surgeon|doctor|engineer|soldier|general|captain|officer)\b"
    r"|\btenancy\s+buy-?out\b|\bhand\s+back\s+(?:their|your)\s+keys\b|\bsell\s+(?:us\s+)?your\s+tenancy\b"
    r"|\b(?:get|make|have)\s+your\s+(?:\w+\s+){0,2}(?:increased|reduced|raised|boosted|backdated|approved|written\s+off)\b"
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
    r"report (?:it|them|this|him|her)|don'?t (?:fall|reply|send|click|pay|give)|fraud|"
    # "Havebury will never ask for your card details": how a real organisation says it.
    r"(?:will|would|do|does)\s+never\s+ask|never\s+ask)\b",
    re.IGNORECASE,
)


# Account-recovery phishing: the page or account is about to go, and the reader must confirm details.
_PHISH = re.compile(
    r"\b(?:page|account|profile)\s+(?:will\s+be|is\s+being|has\s+been|is\s+going\s+to\s+be|is|was)\s+(?:now\s+)?"
    r"(?:permanently\s+|temporarily\s+)?(?:deleted|disabled|suspended|restricted|locked|removed|banned|unpublished)\b"
    # Round 9: a breach or odd activity named as the reason ("has violated our community standards").
    r"|\b(?:violated|breached|broken|against)\s+(?:our\s+|the\s+)?(?:community\s+(?:standards|guidelines)|terms\s+of\s+"
    r"(?:service|use))\b|\b(?:unusual|suspicious)\s+(?:activity|log-?ins?|sign-?ins?)\b"
    r"|\b(?:will\s+be|is\s+being)\s+(?:permanently\s+)?(?:unpublished|deleted|disabled|removed)\s+(?:due|because|for)\b"
    r"|\b(?:page|account|profile)\s+(?:has\s+been|was|is\s+being)\s+(?:reported|flagged)\b"
    r"|\bscheduled\s+(?:for|to\s+be)\s+(?:deletion|removal|suspension|deleted|removed|suspended|disabled)\b"
    r"|\bto\s+avoid\s+(?:deletion|suspension|removal|being\s+(?:deleted|disabled|suspended|removed))\b"
    r"|\b(?:verify|confirm)\s+(?:your\s+)?(?:log-?in|ownership)\s+(?:within|in)\s+\d+",
    re.IGNORECASE,
)
_PHISH_ASK = re.compile(
    r"\b(?:confirm|verify|update|validate|re-?activate|appeal)\s+(?:your|the)\s+(?:details|account|identity|login|"
    r"password|page|information|info|ownership)\b|\bverify\b|\bappeal\s+(?:here|now|at|via)\b|\blose\s+access\b|\bconfirm\s+ownership\b"
    r"|\b(?:tap|click)\s+here\b",
    re.IGNORECASE,
)
# Round 9 (issue 10): scams by shape, each a flag without any link or contact.
# Asking for bank or login details: "Confirm your bank details", "reply with your date of birth".
_DETAILS = re.compile(
    # Round 11: by text or a chat app, with other details first ("text your name and sort code to 07...",
    # "message me on WhatsApp with your address and bank card").
    r"\b(?:confirm|verify|update|send|give|enter|provide|reply\s+with|replying\s+with|text|message|whatsapp|dm|pm)\s+"
    r"(?:us\s+|me\s+)?(?:(?:on|via)\s+\w+\s+)?(?:with\s+)?(?:your\s+)(?:(?:full\s+)?(?:name|address|postcode|email)\s+(?:and|&)\s+)?"
    r"(?:bank(?:ing)?\s+(?:details|card)|card\s+(?:details|number)|account\s+number|sort\s+code|log-?in|password|date\s+of\s+birth|"
    r"pin|security\s+(?:code|number)|identity|phone\s+number|national\s+insurance)\b",
    re.IGNORECASE,
)
# A prize one never entered: "you've been picked to win a Dyson", "selected for a £5,000 cash award",
# "giveaway... like, share and comment to enter".
_PRIZE = re.compile(
    r"\b(?:selected|chosen|picked)\s+(?:for|to\s+(?:receive|win|get))\b|\byou(?:'ve|\s+have)\s+(?:been\s+)?won\b"
    r"|\bgive-?away\b|\bgiv(?:e|ing)\s+away\s+(?:\d+|free|brand)|\b(?:all\s+)?winners\s+of\s+our\b|\bclaim\s+your\s+(?:prize|reward|gift|voucher|winnings)\b"
    r"|\b(?:free|win)\s+(?:a\s+)?(?:brand\s+new\s+)?(?:£\s?[\d,]+\s+)?(?:iphone|ipad|dyson|tv|car|vouchers?|cash)\b",
    re.IGNORECASE,
)
_PRIZE_ASK = re.compile(
    r"\bclaim\s+(?:it\s+|yours\s+|your\s+\w+\s+|now\s+)?(?:at|here|by|now|via|on)\b|\blike,?\s+(?:and\s+|&\s+)?share\b"
    r"|\bshare\s+this\s+(?:post|page)\b|\bcomment\s+(?:\w+\s+){0,2}(?:to\s+enter|below)\b|\bcomment\s+your\b"
    r"|\bcomment\s+\"?(?:done|yes|me)\b|\btag\s+(?:a|your|\d+|two|three)\s+(?:\w+\s+)?friends?\b|\breply\s+with\s+your\b"
    r"|\bclick\b",
    re.IGNORECASE,
)
# Paying to jump the housing list or a repair queue: bribery offered as a service.
_PAY = re.compile(
    r"\b(?:for\s+a\s+(?:small\s+)?fee|small\s+fee|cash\s+only\b|backhanders?\b|bungs?\b|(?:pay|send)\s+(?:me\s+)?£\s?\d[\d,]*|"
    r"send\s+me\s+£|"
    # Selling a place on the list: "selling my waiting list place, band B, serious offers only".
    r"selling\s+(?:my|a|our)\s+(?:\w+\s+){0,3}(?:place|tenancy|band|spot)|serious\s+offers|fast-?track\w*\s+(?:\w+\s+){0,4}"
    r"for\s+a\s+fee)"
    r"|£\s?\d[\d,]*\s+(?:in\s+\w+\s+vouchers\s+)?(?:and|&)\s+(?:i|my|we|you|you'?re|your)\b"
    r"|\bfor\s+£\s?\d[\d,]*\s+(?:i|we)\b|\b(?:give|pay)\s+(?:you\s+)?£\s?\d[\d,]*\s+to\s+(?:anyone|whoever|someone)\b",
    re.IGNORECASE,
)
_JUMP = re.compile(
    r"\b(?:skip|jump\w*|bump\w*|queue|waiting\s+list|housing\s+(?:list|register)|band\s+a|to\s+the\s+(?:top|front)|"
    r"council\s+(?:flat|house|home)|secure\s+tenancy|tenancy|allocations?|priority\s+(?:band|list|need)|band\s+[a-d]|"
    r"transfer|new\s+build|top\s+of\s+the\s+(?:list|pile|queue)|front\s+of\s+the\s+(?:list|queue)|swap)\b",
    re.IGNORECASE,
)
# A home to let by someone who cannot show it: the deposit first, abroad, keys by post, no checks.
_LET = re.compile(
    r"\dpcm\b|\b(?:looking\s+for\s+(?:a\s+)?tenants?|tenants?\s+wanted|to\s+(?:rent|let)|for\s+rent|room\s+available|(?:flat|house|room|home)\s+(?:is\s+)?available|pcm|"
    r"a\s+month|per\s+month|a\s+week|per\s+week|landlord|parking\s+space)\b",
    re.IGNORECASE,
)
_REMOTE = re.compile(
    r"\b(?:abroad|overseas|out\s+of\s+the\s+country|viewings?\s+(?:is\s+|are\s+)?not\s+possible|no\s+viewings?|"
    r"can'?t\s+(?:do|show|arrange)\s+(?:a\s+|any\s+)?viewings?|post\s+(?:you\s+)?the\s+keys|keys\s+(?:by|in\s+the)\s+post|"
    r"holding\s+fee|friends\s+and\s+family|no\s+references|no\s+credit\s+checks?|can'?t\s+show\s+(?:you\s+)?a?round|"
    r"viewings?\s+impossible|(?:deposit|fee|payment)\s+(?:via|by)\s+bank\s+transfer|admin\s+fee|"
    r"currently\s+(?:living|working|based)\s+in|away\s+with\s+work|(?:weeks?|months?)\s+up\s?front)\b",
    re.IGNORECASE,
)


# Money from "the government" or a "scheme" to be applied for at a stranger's address: "Government scheme
# pays £600 to social tenants. Apply at cost-living-support.co". Havebury's own funds point to havebury.com.
_MONEY_OFFER = re.compile(
    r"\b(?:pays?|payment|grant|rebate|refund|compensation|voucher|scheme|support\s+fund)\b[^.!?]{0,40}£\s?\d"
    r"|£\s?\d[\d,]*\s+(?:to|for)\s+(?:all\s+|every\s+)?(?:social\s+|council\s+)?(?:tenants?|residents?|households?|families)",
    re.IGNORECASE,
)
_APPLY_AT = re.compile(
    r"\b(?:apply|claim|register|sign\s+up)\s+(?:\w+\s+){0,2}(?:at|via|on)\s+(\S+\.[a-z]{2,6})\b",
    re.IGNORECASE,
)


def _money_offer(ctx: Context) -> Flag | None:
    offer, apply = _MONEY_OFFER.search(ctx.original), _APPLY_AT.search(ctx.original)
    if offer is None or apply is None or _allowed(_host(apply.group(1))[0], ctx.config.allowlisted_domains):
        return None
    return ctx.raw_flag(
        "inappropriate_link",
        apply.start(),
        apply.end(),
        score=0.78,
        source="link.money_offer",
        explanation="Offers money to be applied for at an address that is not Havebury's or the government's "
        "(GP014 2.3, fifth bullet: inappropriate content, scams).",
    )


# A fee to release something free or waiting: "kittens free to good home, just pay £80 transport",
# "your package is held, pay the £1.99 redelivery fee".
_FEE = re.compile(
    r"\bpay\s+(?:the\s+|a\s+)?£\s?\d[\d,.]*\s+(?:for\s+(?:the\s+)?)?(?:transport|delivery|shipping|courier|postage|redelivery|release|"
    r"customs)\b|£\s?\d[\d,.]*\s+(?:redelivery|delivery|release|customs|shipping)\s+fee\b",
    re.IGNORECASE,
)
_HELD_OR_FREE = re.compile(
    r"\b(?:free|giving\s+away|good\s+home|held|waiting|parcel|package|delivered|prize|won)\b", re.IGNORECASE
)
# Paying a stranger by a method with no comeback, for something sold in a comment: "bank transfer only, will
# post", "pay via PayPal friends and family", "pay by bank transfer to secure your place".
_NO_COMEBACK = re.compile(
    r"\b(?:bank\s+transfer\s+only|pay(?:ment)?\s+(?:by|via)\s+(?:bank\s+transfer|paypal\s+friends)|"
    r"friends\s+and\s+family|to\s+secure\s+your\s+(?:place|spot|ticket|seat))\b",
    re.IGNORECASE,
)
_SELLING = re.compile(
    r"\b(?:selling|for\s+sale|£\s?\d[\d,.]*\s+each|just\s+£|tickets?|brand\s+new|will\s+post|lottery|raffle|win)\b",
    re.IGNORECASE,
)
# Adult content pushed at readers: "nudes of local girls leaked, see before it's deleted".
_ADULT = re.compile(
    r"\b(?:nudes|naked\s+(?:pics|photos|videos)|sex\s+tape|18\+\s*(?:videos?|pics|content))\b", re.IGNORECASE
)
_ADULT_PUSH = re.compile(
    r"\b(?:(?:local|hot|real)\s+(?:girls|women|ladies|milfs|mums)|see\s+(?:them\s+|it\s+)?(?:before|now|here)|"
    r"before\s+(?:it'?s|they'?re)\s+deleted|leaked)\b",
    re.IGNORECASE,
)
# Someone whose own images were shared is a victim asking for help, not a promoter.
_VICTIM = re.compile(
    r"\b(?:of\s+me|my\s+(?:ex|partner|photos|pics|pictures|images)|without\s+(?:my\s+)?consent|revenge)\b",
    re.IGNORECASE,
)
_SHAPES = (
    (
        _DETAILS,
        None,
        "link.phishing_details",
        "Asks people to confirm bank, card or login details in a comment, the pattern of phishing",
    ),
    (
        _PRIZE,
        _PRIZE_ASK,
        "link.fake_prize",
        "Offers a prize or giveaway nobody entered, to be claimed or shared",
    ),
    (_PAY, _JUMP, "link.pay_to_jump", "Offers to move someone up the housing list or a queue for money"),
    (_REMOTE, _LET, "link.rental_deposit", "Lets a home its poster cannot show, for money up front"),
    (_FEE, _HELD_OR_FREE, "link.advance_fee", "Asks for a small fee to release something free or held"),
    (
        _NO_COMEBACK,
        _SELLING,
        "link.no_comeback_sale",
        "Sells something for a payment that cannot be got back",
    ),
    (_ADULT, _ADULT_PUSH, "link.adult_promotion", "Pushes adult content at readers"),
)


def _scam_shape(ctx: Context) -> Flag | None:
    """A scam known by its shape, with or without a link or a contact, that is not a warning about one."""
    text = ctx.original
    if _WARNING.search(text):
        return None
    for pattern, partner, source, why in _SHAPES:
        m = pattern.search(text)
        if m is None or (partner is not None and partner.search(text) is None):
            continue
        if pattern is _ADULT and _VICTIM.search(text):
            continue
        return ctx.raw_flag(
            "inappropriate_link",
            m.start(),
            m.end(),
            score=0.78,
            source=source,
            explanation=f"{why} (GP014 2.3, fifth bullet: inappropriate content, scams).",
        )
    return None


def warns_of_scam(text: str) -> bool:
    """A warning about a scam ("never invest what you can't lose", "it's fraud"), not a recovery scam's story."""
    return bool(_WARNING.search(text)) and not _RECOVERY.search(text)


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
    shape = _scam_shape(ctx) or (None if _WARNING.search(ctx.original) else _money_offer(ctx))
    if shape is not None:
        return [shape]
    # The contact first: the lure list is the slowest pattern, and most comments ask nobody to get in touch.
    contact = _CONTACT.search(ctx.original)
    lure = _LURE.search(ctx.original) if contact is not None else None
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


# Round 11 (evidence2): in spam, a number or address the author gives as their own ("WhatsApp me on 07...",
# "text us", "my number") is how the spammer wants to be reached: the spam's evidence, not somebody's
# personal data exposed. Anyone else's number in the same post ("ring him on ...") is still flagged, and so is
# a contact beside a spam guess of the semantic head alone ("email me direct, ..." is often a tenant's own).
_OWN_CONTACT = re.compile(
    r"\b(?:(?:text|txt|whatsapp|call|ring|phone|message|msg|dm|pm|contact|reach|add|email|e-mail|bell)\s+(?:me|us)|"
    r"(?:my|our)\s+(?:number|mobile|whatsapp|phone|cell|line|email)|(?:on|via)\s+(?:whatsapp|telegram|signal)|"
    r"(?<!\bhis )(?<!\bher )(?<!\btheir )(?:whatsapp|telegram)|(?:call|text|ring) (?:now|today))\b"
    r"(?:(?!\b(?:him|her|his|them|their)\b)[^.!?\n]){0,20}$",
    re.IGNORECASE,
)
_OWN_CONTACT_KINDS = frozenset(
    ("personal_data.phone", "personal_data.email", "personal_data.email_spelt", "personal_data.social_media")
)
_SPAM_REACH = 200


def own_contact_in_spam(ctx: Context, flags: list[Flag]) -> list[Flag]:
    """Flags with the spammer's own contact moved from personal data into the spam flag's evidence."""
    spam = next((f for f in flags if f.category == "inappropriate_link" and f.source in SCAM_SOURCES), None)
    if spam is None:
        return flags
    out: list[Flag] = []
    grown = spam
    for f in flags:
        if f.source in _OWN_CONTACT_KINDS and _OWN_CONTACT.search(
            ctx.original, max(0, f.start - 40), f.start
        ):
            start, end = min(grown.start, f.start), max(grown.end, f.end)
            if end - start <= _SPAM_REACH:
                grown = dataclasses.replace(grown, start=start, end=end, evidence=ctx.original[start:end])
            continue
        out.append(f)
    return [grown if f is spam else f for f in out]
