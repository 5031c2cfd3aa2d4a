"""Threats and intimidation: their own harassment sub-type, urgent, with a staff-safety note.

Written for the kinds that slipped past the swear-word rules (issue 10): knowing where someone
lives, warnings to "be careful", violence promised against an operative or an officer, veiled
threats to a building, vows to make someone suffer or pay, and calls to brigade or mass-report.
"""

from __future__ import annotations

import re

from moderation.policy.result import Flag
from moderation.policy.rules import Context, first_unreported

_PERSON = r"(?:you|u|ya|yer|him|her|them|he|she|they|that \w+|the \w+|your \w+|his|their)"
_HARM = (
    r"kill|stab|smash|batter|hurt|punch|deck|burn|slap|beat|shoot|knife|strangle|glass|torch|"
    r"come and find|hunt|track|sort|do|get|break|end"
)
THREATS = re.compile(
    # Promised violence: "I'll stab him", "we're gonna get you".
    r"\b(?:i|ill|i'll|i will|im|i'm|i am|we|we'll|we will|we're|gonna|going to)\b(?:\s+[a-z']+){0,3}?\s+"
    rf"(?:{_HARM})\s+(?:you|u|ya|your|yer|them|him|her|that \w+|the \w+)\b"
    # Knowing where someone lives, parks, drinks or sends their children. "Have" and "got" need
    # a where/which or a whose-is-it ("I've got your address"): "I have damp in my house" and
    # "we have lived in this house" are tenants' own homes, not threats.
    r"|\b(?:i|we)(?:'ve| have)?\s+(?:know|knows|found out|found)\s+(?:where|which|what|who)?\s*"
    r"[^.!?]{0,40}?\b(?:live|lives|living|street|house|home address|address|drives|parks|drinks|"
    r"kids'? school|children'?s school|school)\b"
    r"|\b(?:i|we)(?:'ve| have)?\s+(?:got|have)\s+(?:where|which|what|who|your|ur|yer|his|her|their)\b"
    r"[^.!?]{0,40}?\b(?:live|lives|living|street|house|home address|address|drives|parks|drinks|"
    r"kids'? school|children'?s school|school)\b"
    r"|\bi know (?:your|ur|his|her) (?:kids|children|address|house|car|school)\b"
    r"|\bwatch (?:your|ur|yer|his|her|their) back\b"
    r"|\b(?:better|wants? to|want to|should|had better|needs? to|ought to)\s+"
    r"(?:be (?:very |really )?careful|watch (?:it|himself|herself|themselves|yourself|out)|"
    r"keep (?:looking|an eye) over|look(?:ing)? over (?:his|her|your|their) shoulder|hope i never)"
    r"|\bkeep looking over (?:his|her|your|their) shoulder\b"
    r"|\b(?:you(?:'ve| have)|you've) been warned\b|\bmark my words\b"
    r"|\b(?:would|will|it'?d) be a (?:real )?shame if (?:something|anything)\b"
    r"|\b(?:you|u)(?:'ll| will|ll)\s+(?:regret|be sorry)\b|\b(?:she|he|they)(?:'ll| will) be sorry\b"
    r"|\bmake\s+(?:you|him|her|them|that \w+|the \w+|your \w+|[a-z]+)\s+(?:suffer|pay|regret)\b"
    r"|\b(?:get|getting|gets|got) what'?s coming\b"
    r"|\b(?:someone|somebody|people like \w+|you|he|she|they)(?:'s| is| are|'re)?\s*(?:going to|gonna|will|'ll)?\s*get(?:s|ting)? hurt\b"
    r"|\bpeople like (?:him|her|you|them) get hurt\b"
    r"|\b(?:put|throw|chuck)\s+(?:him|her|you|them|a brick|bricks?)\s+(?:through|thru)\b"
    r"|\bbrick through\b|\bbreak (?:his|her|your|their) (?:legs|neck|face|jaw|arms?)\b"
    r"|\bleave (?:in|on) (?:an ambulance|a stretcher|a body bag)\b|\bin (?:an ambulance|a body bag)\b"
    r"|\b(?:torch|burn|bomb|firebomb|petrol bomb|blow up|smash up)\s+(?:down\s+)?(?:the|that|this|your|their|his|her)?\s*"
    r"(?:\w+\s+)?(?:place|office|offices|building|house|van|car|home|depot)\b"
    r"|\bpay (?:her|him|them|you) a (?:little )?visit\b"
    r"|\bwith (?:a|my) (?:baseball bat|bat|knife|machete|hammer|crowbar|gun|shotgun)\b"
    r"|\b(?:i've|ive|i have) got mates who\b|\bsort (?:people like \w+|him|her|them) out\b"
    r"|\b(?:hope|wish)\s+(?:you|u|ya|he|she|they|someone|somebody)\s+(?:die|dies|get cancer|burn|rot|drop dead|"
    r"get hit|makes? \w+ pay)\b"
    r"|\b(?:die|burn) in a (?:fire|hole|ditch)\b"
    r"|\b(?:you|u)(?:'re| are| r|re) (?:dead|finished)\b"
    r"|\b(?:her|his) brakes (?:went|failed|go)\b"
    # Issue 10, round 5 (recall): veiled threats in other frames - a hoped-for meeting, a pity if
    # something happened, "see what happens to", sleeping with one eye open, a lesson, a dog set on
    # someone, a match put to a building, a beating promised, damage to a car or van.
    r"|\bhope (?:we|i|they|you) never (?:meet|bump into|cross paths|run into)\b"
    r"|\b(?:would|will|it'?d|be) (?:a )?(?:real )?(?:shame|pity) if (?:something|anything)\b"
    r"|\band see what happens to (?:you|u|your|ur|his|her|their|them|him)\b"
    r"|\bwatch (?:yourselves|your step)\b|\bsleep with one eye open\b"
    r"|\bwhen i (?:catch|get hold of|get my hands on)\s+(?:up with\s+)?(?:you|u|him|her|them|that \w+|the \w+)\b"
    r"|\bfind (?:out )?where (?:you|u|ya|he|she|they|him|her)\s+(?:live|lives)\b"
    r"|\bteach (?:you|u|him|her|them|that \w+|the \w+|your \w+) a lesson\b"
    r"|\bset(?:ting)? (?:the|my) dogs? on\b"
    r"|\b(?:put|puts|putting) a match to\b"
    r"|\b(?:get|gets|getting|give (?:you|him|her|them)) a (?:smack|slap|kicking|hiding|good hiding|beating|thump|"
    r"clip round the ear)\b"
    r"|\b(?:getting|get|gets) (?:a|the) (?:cricket bat|baseball bat|bat|brick|hammer|knife)\b"
    r"|\b(?:car|van|vans|tyres?|windows?) (?:is|are|will be)? ?(?:getting|get) (?:keyed|smashed|slashed|done in|torched)\b"
    r"|\baccidents happen to people who\b"
    r"|\b(?:he|she|they|you)(?:'ll| will) know about it\b"
    r"|\b(?:few|couple|load|lot|bunch) of us (?:waiting|waiting for|looking for)\s+(?:you|him|her|them)\b"
    r"|\bpicking (?:his|her|their|your) teeth up\b|\bdragged (?:over|across|out)\b[^.!?]{0,20}\b(?:counter|desk|car)\b"
    # Brigading: calls to mass-report or flood the page.
    r"|\bmass[- ]?report\w*|\b(?:everyone|everybody|all|lets all|let's all)\s+(?:go and\s+)?report\b"
    r"|\breport (?:this|the|their) page\b[^.!?]{0,30}\b(?:shut|down|taken|removed)\b"
    r"|\b(?:flood|spam|bombard|raid)\s+(?:their|the|this|every|all)\s+(?:\w+\s+)?(?:inbox|page|comments|posts?)\b"
    r"|\bpile (?:on|onto|into)\s+(?:their|the|this|every|all|his|her)\b(?:\s+\w+)?\s+(?:page|post|posts|comments|reviews)\b"
    r"|\breport every (?:post|comment|reply|review|thing)\b|\bbrigade\b"
    r"|\bget (?:this|the|their) page (?:shut|taken|closed) down\b"
    r"|#raid\w*"
)
NOTE = (
    "staff safety: a threat - tell the Lead, check on the person named, and follow the staff-safety "
    "procedure (GP014 2.5: report it to the platform, and to the police if there is a risk of harm)"
)
_WHY = (
    "Threatens or intimidates someone, which GP014 2.3 (first bullet) rules out as abusive and 2.5 "
    "lets us remove and report; treat it as a staff-safety matter."
)


# Banter about a game: "he beat me at chess again, I'll get him next time", "gonna destroy him at fifa".
_GAME = re.compile(
    r"\b(?:cards|chess|scrabble|darts|snooker|fifa|monopoly|bingo|quiz|dominoes|draughts|ludo|uno|board games?|"
    r"rematch|(?:beat|thrashed|battered|hammered|whooped) (?:me|us) at)\b"
)
_SOFT = re.compile(r"\b(?:get|beat|do|sort|end|batter|destroy|hunt|track)\b")


def find_threats(ctx: Context) -> list[Flag]:
    m = first_unreported(ctx, THREATS)
    if m is None or (_SOFT.search(m.group()) and _GAME.search(ctx.text)):
        return []
    return [
        ctx.flag(
            "harassment",
            m.start(),
            m.end(),
            score=0.95,
            source="harassment.threat",
            explanation=_WHY,
            urgent=True,
            subtype="threat",
        )
    ]
