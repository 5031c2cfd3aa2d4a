"""Threats and intimidation: their own harassment sub-type, urgent, with a staff-safety note.

Written for the kinds that slipped past the swear-word rules (issue 10): knowing where someone
lives, warnings to "be careful", violence promised against an operative or an officer, veiled
threats to a building, vows to make someone suffer or pay, and calls to brigade or mass-report.
"""

from __future__ import annotations

import re

from moderation.policy.result import Flag
from moderation.policy.rules import Context

_PERSON = r"(?:you|u|ya|yer|him|her|them|he|she|they|that \w+|the \w+|your \w+|his|their)"
_HARM = (
    r"kill|stab|smash|batter|hurt|punch|deck|burn|slap|beat|shoot|knife|strangle|glass|torch|"
    r"come and find|hunt|track|sort|do|get|break|end"
)
# Things one "smashes", "gets" or "does" without harming anyone: "gonna smash the fundraising target".
_THINGS = (
    r"(?:target|targets|fundraising|fundraiser|record|records|total|goal|quiz|game|match|exam|test|interview|diet|"
    r"job|jobs|deadline|form|forms|paperwork|shopping|washing|garden|lawn|gutters?|hedge|bins?|dishes|ironing|"
    # Round 11: contests one means to win ("gonna smash the bake off", "we'll batter the tug of war").
    r"bake|bake[- ]?off|contest|competition|race|raffle|tournament|league|final|challenge|tug|karaoke|show|cup|"
    r"sponsored|fun run|sports day|egg and spoon|quiz night|pub quiz|talent show)"
)
THREATS = re.compile(
    # Promised violence: "I'll stab him", "we're gonna get you".
    r"\b(?:i|ill|i'll|i will|im|i'm|i am|we|we'll|we will|we're|gonna|going to)\b(?:\s+[a-z']+){0,3}?\s+"
    rf"(?:{_HARM})\s+(?:you|u|ya|your|yer|them|him|her|(?:that|the) (?!(?:\w+ ){{0,2}}{_THINGS}\b)\w+)\b"
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
    r"(?!(?:my|our|me|us)\b)(?:\w+\s+)?(?:place|office|offices|building|house|van|car|home|depot)\b"
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
    # Round 9 (kinds read on the retired fresh3 slice): someone else's property remarked on as easy to
    # damage, then an innuendo that it is only a remark ("your van looks ever so flammable... just saying").
    r"|\b(?:your|ur|yer|his|her|their|[a-z]+'s|the\s+office'?s?)\s+(?:[\w']+\s+){0,5}?(?:look|looks|are|is|seem|"
    r"seems)\s+(?:very\s+|ever\s+so\s+|really\s+|awfully\s+|quite\s+|pretty\s+|so\s+)?(?:breakable|flammable|"
    r"fragile|smashable|easy\s+to\s+(?:break|smash|burn|set\s+alight|get\s+into|scratch|key))\b"
    r"(?=[^?]{0,40}\b(?:just\s+(?:an?\s+)?(?:observation|saying|sayin|thought|remark|comment)|no\s+reason|"
    r"accidents\s+happen|anything\s+could\s+happen|(?:shame|pity)\b|thinking\s+out\s+loud)\b)"
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
# A call to mass-report, flood or swamp the page names nobody to check on: the risk is to the page and the
# team's inbox (round 11, evidence2).
BRIGADE_NOTE = (
    "brigading: a call to mass-report or flood the page - tell the Lead, watch the page for a pile-on, log "
    "it, and consider reporting it to the platform (GP014 2.5)"
)
_BRIGADING = re.compile(
    r"\b(?:mass[- ]?report|report|flood|spam|bombard|raid|pile (?:on|onto|into)|brigad|jam|clog|tie up|swamp|"
    r"overload|non-?stop|constantly|switchboard|inbox)\w*|#raid"
)
# Harm to a person in the same words ("report him then batter him") keeps the staff-safety note.
_TO_A_PERSON = re.compile(r"\b(?:kill|stab|batter|hurt|punch|burn|smash|beat|torch|find|visit)\w*\b")


def note_for(evidence: str) -> str:
    """The staff-safety note, or the brigading one when the threat is a call to swamp the page."""
    said = evidence.lower()
    if _BRIGADING.search(said) and not _TO_A_PERSON.search(said):
        return BRIGADE_NOTE
    return NOTE


_WHY = (
    "Threatens or intimidates someone, which GP014 2.3 (first bullet) rules out as abusive and 2.5 "
    "lets us remove and report; treat it as a staff-safety matter."
)


# Issue 10, round 9: threats by kind rather than by phrase. Each alternative is a shape a threat takes
# whatever its words: someone's private life watched or known (their route home, their children's
# school, their car), details passed round so others can find them, an injury promised as an outcome,
# damage to a building or vehicle dressed up as a pity or a warning, a vow that someone will pay or
# suffer, harm wished on or urged against someone, turning up at someone's home or workplace, "you're
# lucky I wasn't in", and a switchboard or page swamped on purpose.
_WHO = r"(?:you|u|ya|him|her|them|em|that \w+|the \w+(?: \w+)?)"
_THEIRS = r"(?:your|ur|yer|his|her|their|th(?:at|e|is) \w+'?s?|\w+'s)"
_ROLE = (
    r"(?:officer|engineer|manager|surveyor|caretaker|plumber|contractor|inspector|operative|gardener|cleaner|boss|"
    r"director|warden|electrician|fitter|exec|collector)"
)
_WEAPON = (
    r"(?:shotgun|gun|rifle|air rifle|knife|blade|machete|hammer|claw hammer|crowbar|bat|baseball bat|cricket bat|"
    r"golf club|axe|hatchet|pitchfork|iron bar|wrench|spanner|cosh)"
)
_SUBJ = (
    r"(?:i'?ll|ill|i will|i'?d|id|i would|we'?ll|we will|i'?m gonna|im gonna|i'?m going to|gonna|going to)"
)
KINDS = re.compile(
    # Knowing or watching someone's life: "I know which way he walks home", "we know your cars".
    r"\b(?:i|we)(?:'ve| have)?(?: all| both)?\s+(?:know|knows|know exactly|found out)\s+(?:what|where|which|when|who|how)?\b"
    r"(?:(?!\b(?:my|our|i|we|me)\b)[^.!?]){0,50}?\b(?:walks? home|gets? home|goes home|drives home|finishes|clocks? off|"
    r"leaves work|school gates?|school|kids|children|wife|husband|partner|missus|family|faces?|cars?|vans?|reg|"
    r"number plate|routine|movements|looks? like|empty|alone|on (?:his|her|their) own|unattended)\b"
    r"|\b(?:i|we)(?:'ve| have)?\s+(?:see|seen|watch|watched|clocked|follow(?:ed)?)\s+(?:him|her|them|you|u|"
    r"(?:your|his|her|that|the) \w+)\b(?:(?!\b(?:my|our)\b)[^.!?]){0,40}?\b(?:school gates?|school|walks? home|"
    r"gets? home|goes home|kids|children|wife|husband|partner|family)\b"
    r"|\b(?:belongs to|is where|is home to)\s+(?:your|ur|yer|the|that)\s+(?:\w+\s+)?(?:officer|engineer|manager|"
    r"surveyor|caretaker|plumber|contractor|inspector|operative|gardener|cleaner|boss|director|warden|electrician|"
    r"fitter)\b"
    rf"|\b(?:your|ur|the|that)\s+(?:\w+\s+)?{_ROLE}'s\s+(?:kids|children|son|daughter|wife|husband|missus|partner)\s+"
    r"(?:go|goes|live|lives|drive|drives|work|works|finish|finishes)\b"
    rf"|\b(?:your|ur|the|that)\s+(?:\w+\s+)?{_ROLE}\s+(?:drives|parks|walks home|gets home|goes home|drinks|lives)\b"
    r"(?=[^.!?]*(?:[.!?]\s*)?[^.!?]*\b(?:just saying|funny that|nice (?:street|road|house|car|cul-de-sac)|lovely|"
    r"every (?:morning|evening|night|monday|tuesday|wednesday|thursday|friday|saturday|sunday)))"
    rf"|\b(?:your|ur|the|that)\s+(?:\w+\s+)?(?:{_ROLE}|lass|lad|woman|man|bloke|girl|lady|fella)\s+"
    r"(?:has|'s got|has got|lives in)\s+(?:a\s+)?(?:(?:lovely|nice|big)\s+(?:little\s+)?)?(?:house|semi|flat|bungalow|"
    r"place|home|detached|terrace)\s+(?:on|in|at|off)\b"
    # Details passed round so others can find someone.
    r"|\b(?:dm|pm|message|send|give|get|tell)\s+(?:me|us)\s+(?:the\s+)?(?:home\s+)?(?:address|postcode|reg|number plate)\s+"
    r"(?:of|for)\s+(?:the|that|your|this)\b"
    r"|\bfind(?:ing)? out where\b(?:(?!\b(?:my|our|i|we)\b)[^.!?]){0,30}?\b(?:lives|live|drinks|parks|sleeps)\b"
    r"|\b(?:share|sharing|post|posting|put up|stick up|spread|pass round|send round|here'?s|heres|leak|publish|"
    r"dig up)\b[^.!?]{0,30}?\b(?:his|her|their|\w+'s)\b[^.!?]{0,25}?\b(?:home address|address|reg plate|"
    r"number plate|reg|phone number|mobile number)\b"
    # An injury promised as an outcome.
    r"|\b(?:getting|get|gets|be|being)\s+(?:thrown|pushed|kicked|chucked|booted|launched|slung|lobbed|shoved)\s+"
    r"(?:down|off|over|out of|through)\s+(?:the|a|his|her|their|your)\s+(?:stairs|balcony|window|landing|bridge)\b"
    r"|\bgo(?:ing|es)? (?:over|off) the (?:balcony|bridge|railings)\b"
    r"|\b(?:with|minus) (?:fewer|no|less|a few less|missing) teeth\b|\b(?:through|thru) a straw\b"
    rf"|\b(?:rip|tear|knock|kick|cave|smash|punch|take)\w*\s+{_THEIRS}\s+(?:\w+\s+)?(?:head|face|teeth|lights)\s+"
    r"(?:off|in|out)\b"
    rf"|\b{_SUBJ}\s+(?:\w+\s+){{0,2}}?(?:put|send|land)\s+{_WHO}\s+in (?:hospital|a&e|intensive care|a wheelchair|"
    r"traction|the ground|a box|an early grave)\b"
    r"|\b(?:leave|leaving|leaves|go(?:ing)? home|walk(?:ing)? away|come out|coming out)\s+(?:of (?:here|there)\s+)?"
    r"(?:in (?:pieces|a box|a body bag|an ambulance|a wheelchair)|with (?:fewer|no|a few less|less) teeth|on a stretcher)\b"
    r"|\b(?:won'?t|wont|will not|never)\s+(?:be\s+)?(?:walking|talking|standing|smiling|walk|talk)\s+"
    r"(?:straight|properly|right)\b"
    r"|\b(?:after|once|when) (?:i'?m|i am|we'?re|we are|i'?ve|we'?ve) (?:done|finished|through) with "
    r"(?:you|u|him|her|them|that \w+)\b"
    r"|\b(?:have|got|get|bring|fetch)\s+(?:the|my|a)\s+(?:baseball bat|cricket bat|bat|knife|machete|crowbar|"
    r"golf club|shotgun|gun|blade)\s+(?:ready|waiting|out|handy)\b"
    # Damage dressed up as a pity, a surprise or a warning.
    r"|\b(?:shame|pity|terrible|awful|tragic|tragedy|accident|unfortunate)\b[^.!?]{0,15}?\bif\b[^.!?]{0,50}?"
    r"\b(?:went up|go(?:es)? up|caught fire|catch(?:es)? fire|burn(?:t|ed|s)?(?: down)?|gave way|give way|"
    r"collapsed|got (?:smashed|damaged|broken into|hurt|lost)|went missing|happened to|"
    r"(?:had|has|have|got) (?:a |an )?(?:little |small |nasty )?(?:fire|accident|flood)|(?:went|go|goes|got|get|gets) "
    r"(?:put )?(?:in|through))\b"
    r"|\b(?:would|i'?d|id) hate for (?:anything|something) to (?:happen|spoil|go wrong)\b"
    r"|\bdon'?t be surprised if\b[^.!?]{0,15}?\b(?:your|ur|his|her|their|the \w+'?s)\s+(?:\w+\s+)?(?:van|car|office|"
    r"house|home|windows?|tyres?|kids?|family|door|shed|depot|building)\b[^.!?]{0,30}?\b(?:goes up|go up|flames|fire|"
    r"smashed|put in|slashed|keyed|accident|happens|gets done|burn\w*)\b"
    r"|\b(?:your|ur|yer|his|her|their|the \w+'?s)\s+(?:\w+\s+)?(?:office|depot|van|car|house|home|building|windows?|"
    r"tyres?|shed)\s+(?:\w+\s+){0,3}?(?:will|'ll|is gonna|are gonna|is going to|are going to|might|may)\s+"
    r"(?:need new (?:windows|tyres|doors?|glass)|go up|get (?:done|torched|smashed|keyed|burnt|burned))\b"
    r"|\b(?:find|finds|get|gets|have|with)\s+(?:his|her|their|your|ur)\s+(?:tyres?|windows?|windscreen|car|van)\s+"
    r"(?:\w+\s+)?(?:flat|slashed|let down|smashed|keyed|put in|through)\b"
    r"|\b(?:going to|gonna|will|'ll|might|may)\s+have\s+(?:some |very |really )?(?:bad|terrible|awful|nasty) luck\b"
    r"|\b(?:i'?d|id|i would)\s+keep an eye on (?:your|ur|yer)\s+(?:\w+\s+)?(?:windows?|car|van|house|kids|office|"
    r"tyres|family|children)\b"
    r"|\b(?:nasty|horrible|rude|little) (?:surprise|shock|visit)\b[^.!?]{0,20}?\b(?:one (?:of these )?nights?|"
    r"tonight|after dark|in the dark)\b"
    r"|\b(?:gonna|going to|i'?ll|we'?ll|will)\s+(?:\w+\s+)?(?:egg|key|scratch|torch|smash|slash|brick|trash)\w*\s+"
    r"(?:the|that|his|her|their|your|ur)\s+(?:[\w']+\s+){0,2}?(?:car|van|windows?|house|tyres|office)\b"
    r"|\b(?:better|wants? to|wanna|should|had better|needs? to|ought to)\s+mind\s+(?:yourself|yourselves|himself|herself|"
    r"themselves|(?:your|his|her|their) back)\b|\bremember(?:s)? (?:faces|your face|(?:his|her) face)\b"
    # A vow that someone will pay or suffer.
    r"|\b(?:pay|suffer)\b[^.!?]{0,40}?\b(?:one way or (?:another|the other)|i'?ll make sure|i will make sure|"
    r"i'?ll see to it|dearly)\b"
    r"|\bmak(?:e|ing)\s+(?:sure|certain)\s+(?:s?he|they|you|u|that \w+|the \w+)\s+(?:pays|suffers|regrets|gets what)\b"
    r"|\b(?:s?he|you|u|ya|that \w+)(?:'ll| will|ll| is gonna| is going to|'s gonna|'re gonna| are gonna)\s+"
    r"pay for (?:this|that|what)\b"
    rf"|\b{_SUBJ}\s+(?:\w+\s+){{0,2}}?mak(?:e|ing)\s+(?!(?:my|our)\b){_THEIRS}\s+(?:[\w']+\s+){{0,2}}?(?:life|lives|job|days)\s+"
    r"(?:a\s+)?(?:living\s+)?(?:hell|misery|nightmare)\b"
    r"|\bmak(?:e|ing)\s+(?:\w+\s+){1,3}?regret the day\b"
    r"|\b(?:you|u|ya|he|she|they|people|anyone|anybody|whoever)\b[^.!?]{0,40}?\b(?:end up|ends up|live to|will|'ll|"
    r"gonna|going to)\s+regret(?:ting)?\b"
    # Harm wished on or urged against someone.
    r"|\b(?:hope|hoping|wish|pray|praying)\b[^.!?]{0,40}?\b(?:gives?|giving)\s+(?:\w+\s+){1,5}?(?:a\s+)?"
    r"(?:proper |good |right |real )?(?:kicking|hiding|beating|slap|smack|clout|thumping|battering|pasting|going over|"
    r"doing over)\b"
    r"|\b(?:hope|hoping|wish|pray|praying)\b[^.!?]{0,40}?\b(?:gets?|getting)\s+(?:battered|jumped|run over|knocked down|"
    r"stabbed|glassed|done in|beaten up|attacked|a kicking|a beating)\b"
    r"|\b(?:someone|somebody|people|one of us|the lads|we|i)\s+(?:should|needs? to|ought to|wants? to|is gonna|will|'ll)\s+"
    r"(?:show|teach|remind)\s+(?:\w+\s+){1,4}?(?:what happens|a lesson|how it feels|their place)\b"
    r"|\b(?:hope|hoping|wish|pray|praying|someone should|somebody should|someone needs to|somebody needs to)\b"
    r"[^.!?]{0,50}?\bmakes?\s+(?:[\w']+\s+){1,5}?(?:pay|suffer)\b(?!\s+(?:for (?:the|my|our|a|any|all)|back|compensation|up|more|(?:\w+ )?attention|heed|proper|rent|bills?|their|its|his|her))"
    r"|\b(?:hope|hoping|wish|pray|praying)\b[^.!?]{0,40}?\bgets?\s+(?:what (?:s?he|they) deserves?|"
    r"(?:his|her|their) (?:comeuppance|just deserts))\b"
    r"|\b(?:in|down) a dark (?:alley|alleyway|lane|car park)\b|\bon a dark night\b"
    # Turning up at someone's home or workplace.
    r"|\b(?:i'?ll|ill|i will|we'?ll|we will|i'?m|im|we'?re|gonna|going to)\s+(?:be\s+)?(?:waiting|sat|stood|parked|"
    r"sitting|standing|hanging about|hanging around|lurking)\s+(?:\w+\s+){0,2}?(?:outside|by|near|round|at)\s+"
    r"(?:your|ur|his|her|their|the \w+'s)\s+(?:\w+\s+)?(?:office|depot|house|home|door|doorstep|car|van|work|gate|"
    r"place|flat)s?\b"
    r"|\b(?:i'?ll|ill|i will|we'?ll|we will|i'?m|im|we'?re|let'?s|lets|everyone|everybody|we should|we all|gonna|"
    r"going to)\b[^.!?]{0,25}?\b(?:go|get|head|turn|pop|come|drive|march)\w*\s+(?:(?:up|down|round|over)\s+)*"
    r"(?:to|at)\s+(?:the \w+'s|his|her|their|that \w+'s|\w+'s)\s+(?:\w+\s+)?(?:house|home|door|doorstep|address|"
    r"street|road|drive|place|flat)\b"
    r"|\b(?:see|wait and see|guess|who knows|never know)\s+what\s+(?:turns up|shows up|lands|arrives|comes|happens)\b"
    r"[^.!?]{0,25}?\b(?:your|ur|his|her|their)\b"
    r"|\b(?:let (?:him|her|them|em)\s+(?:just\s+)?(?:try|come|say)|(?:you|u|ya|he|she|they)\s+(?:try|do|say|pull)\s+"
    r"(?:that|it|this)\s+again)\b[^.!?]{0,40}?\band (?:see|watch) what\b"
    # "He's lucky I wasn't in"; "next time he won't be."
    r"|\b(?!(?:i|we)\b)\w+(?:'s|'re| is| are| was| were)\s+(?:very |dead |bloody |damn )?lucky\s+(?:that\s+)?"
    r"(?:i|we|my \w+)\s+(?:was|were|wasn'?t|weren'?t|didn'?t|did not|was not)\b"
    r"|\bnext time\s+(?:s?he|they|you|u|ya)\s+(?:won'?t|wont|will not)\s+be\s*(?=[.!?]|$)"
    # Swamping a switchboard or inbox on purpose.
    r"|\b(?:everyone|everybody|all of you|let'?s all|we all|we should all|get everyone|every one of you|all of us)\b"
    r"[^.!?]{0,20}?\b(?:ring|call|phone|email|message|text|tag)\w*\b[^.!?]{0,40}?\b(?:non-?stop|non stop|"
    r"constantly|every (?:five|ten|5|10|few) minutes|so (?:nobody|no one|they can'?t))"
    r"|\b(?:jam|clog|tie up|swamp|bombard|crash|overload)\w*\s+(?:up\s+)?(?:their|the|his|her|your|ur)\s+(?:\w+\s+)?"
    r"(?:switchboard|phones?|phone lines|lines|inbox|emails?)\b"
    # Round 11 (kinds read on the retired fresh4 slice and abuse_probe6): a weapon kept ready for whoever
    # comes, or promised as what the next one "gets"; a prison term the author would serve again; advice
    # to change one's habits ("might want to shop elsewhere", "travel in pairs", "grow eyes in the back of
    # his head"); a routine watched on a day or time; a building foretold as ash or rubble.
    rf"|\b(?:gets?|getting|get given|will get|'ll get)\s+(?:the|my|a)\s+(?:\w+\s+)?{_WEAPON}\b"
    rf"|\b{_WEAPON}s?\s+(?:\w+\s+)?(?:pointed|aimed|levelled|swung|taken)\s+(?:at|to)\s+(?:him|her|them|you|u|"
    r"(?:the|that|your|ur|any|whoever)\b)"
    rf"|(?:\b(?:i|we)\s+(?:keep|have|'ve got|got|keeps?)|\bthere'?s|\bthere is)\s+(?:a|an|the|my)\s+(?:\w+\s+)?{_WEAPON}\b"
    r"[^.!?]{0,50}?\bfor\s+(?:anyone|anybody|whoever|whichever|the next|any of|the first|them|you|u|him|her)\b"
    r"|\b(?:i'?ve|ive|i have|i)\s+(?:(?:done|did)\s+(?:time|a stretch|bird|porridge|a sentence)|served\s+(?:\w+\s+)?"
    r"(?:years?|months?|time|a sentence|a stretch)(?!\s+(?:as|on|in|with|at|for (?:the|a|my|our|this))\b)|"
    r"been (?:inside|to prison|in prison|in jail|locked up))"
    r"\b[^.!?]{0,30}?(?:[.!?,]\s*)?[^.!?]{0,60}?\b(?:(?:do|doing|go|going) (?:it|back|inside) again|wouldn'?t "
    r"(?:bother|worry|scare)|doesn'?t (?:bother|scare)|(?:not|never) (?:scared|afraid) (?:of|to) (?:go|going|do|doing) "
    r"(?:it|back|inside)|nothing to lose|remember that|happy to go back|for (?:flattening|doing|battering|hurting|sorting))\b"
    # (The advice is to a third person - "she", "your plumbers", "that officer" - not to the reader.)
    rf"|\b(?:s?he|they|(?:your|ur|that|the|those)\s+(?:[\w'-]+\s+){{0,2}}?(?:{_ROLE}s?|lad|lass|woman|man|bloke|fella|"
    r"girl|boy|lot|staff|officers|workers|plumbers|engineers|lady|ladies|guy|guys))\b(?:'d|\s+had|\s+would)?[^.!?]{0,40}?"
    r"\b(?:better|might want to|may want to|wants? to|ought to|should|would do well to|best|needs? to)\s+(?:start\s+)?"
    r"(?:[a-z']+\s+){1,3}?(?:somewhere else|elsewhere|a different \w+|another (?:way|route|\w+)|in pairs|with company|"
    r"in (?:a )?group|while (?:s?he|they|you) (?:still )?can)\b"
    r"|\b(?:grow|get|have|develop)\s+eyes\s+in\s+the\s+back\s+of\s+(?:his|her|their|your|ur)\s+head\b"
    r"|\b(?:i|we)\s+(?:clock|see|spot|watch|notice|pass)\s+(?:(?:your|ur|that|this|him|her)\b(?:\s+[\w']+){0,3}?|"
    r"the\s+(?:housing|lettings|rent|rents|repairs|estate|neighbourhood|tenancy|asb|income|voids)\b(?:\s+[\w']+){0,2}?)\s+"
    r"(?:every|each)\s+(?:morning|evening|night|day|week|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"shift|lunchtime|dinner ?time)\b"
    # A visit paid with what starts a fire or breaks a window ("pay the office a visit with a can of petrol").
    r"|\b(?:visit|pay\s+(?:[\w']+\s+){1,3}?a\s+(?:little\s+)?visit|go\s+round|come\s+round|pop\s+round|turn\s+up)\b"
    r"[^.!?]{0,40}?\bwith\s+(?:a|an|some|my|the)\s+(?:(?:can|jerry\s?can|bottle|tin|gallon|box)\s+of\s+)?(?:petrol|"
    r"diesel|paraffin|lighter fluid|matches|lighter|brick|bricks)\b"
    r"|\b(?:petrol|paraffin|lighter fluid)\s+(?:through|in|into|on|over)\s+(?:the|their|your|his|her)\s+(?:[\w']+\s+)?"
    r"(?:letterbox|letter box|door|doorstep|office|car|van)\b"
    r"|\b(?:office|offices|depot|building|house|home|van|car|place|hq|headquarters)\b[^.!?]{0,30}?\b(?:will|'ll|is going to|"
    r"gonna)\s+be\s+(?:nothing but\s+|a pile of\s+|just\s+)?(?:ash|ashes|rubble|cinders|scorch marks|a crater|"
    r"smouldering|a shell|a burnt[- ]out shell)\b"
)
# Someone reporting a threat made to them ("he shouted that he'd burn my house down", "she threatened to
# smash my windows") is a victim asking for help, not the one threatening.
_TOLD_OF = re.compile(
    r"\b(?:said|says|saying|shouted|screamed|yelled|told (?:me|us|my \w+|him|her)|threatened|threatening|texted|"
    r"messaged|wrote)\b"
)
_I_SAID = re.compile(r"\b(?:i|we) (?:said|told|texted|messaged|wrote)\b")
# A hazard someone warns about ("someone's going to get hurt on that broken step") is a repair, not a threat.
_HAZARD = re.compile(
    r"\b(?:broken|loose|missing|unsafe|dangerous|lethal|hazard|slippery|icy|ice|trip\w*|fall|fell|falling|"
    r"slipped|fix|fixed|repair\w*|mend\w*|rotten|wobbly|uneven|railings? (?:is|are)|handrail|potholes?|cables?|"
    r"wires?|wiring|exposed|damp|mould|leak\w*|secured?|made safe|scaffold\w*|accident waiting|lights?|lighting|"
    r"bulbs?|street ?lamps?)\b"
)
_HAZARD_PRONE = re.compile(
    r"hurt|balcony|walk|accident|gave way|give way|happen|railings|dark|shame|pity|terrible|awful"
)
# "I'll get you that photo tomorrow", "we'll sort you a new date": a favour, not a threat.
_FAVOUR = re.compile(
    r"\s+(?:a|an|the|that|this|some|one|it|those|these|sorted|booked|in|on|back|through|moved|rehoused|seen|"
    r"out of|up to|out with|out for|\d)\b"
)


# Banter about a game: "he beat me at chess again, I'll get him next time", "gonna destroy him at fifa".
_GAME = re.compile(
    r"\b(?:cards|chess|scrabble|darts|snooker|fifa|monopoly|bingo|quiz|dominoes|draughts|ludo|uno|board games?|"
    r"rematch|(?:beat|thrashed|battered|hammered|whooped) (?:me|us) at)\b"
)
_SOFT = re.compile(r"\b(?:get|beat|do|sort|end|batter|destroy|hunt|track)\b")


# Round 11: waiting at an office or door for an errand ("I'll be waiting outside your office at nine for my
# appointment") is a tenant keeping a date, not someone lying in wait.
_ERRAND = re.compile(
    r"\b(?:appointments?|meeting|viewing|interview|opens|opening time|keys|parcel|delivery|to (?:collect|drop|hand|sign|"
    r"pick)|(?:don'?t|do not) be late|on time)\b"
)
_ADVICE = re.compile(r"(?:better|might|may|wants?|ought|should|would|had best|needs?)\b")
_TO_SELF = re.compile(r"\b(?:you|u|ya|we|i|yous)\s+(?:might\s+|may\s+|would\s+)?$")
_WAITING = re.compile(r"\b(?:waiting|sat|stood|parked|sitting|standing)\b")


def _not_a_threat(ctx: Context, m: re.Match[str]) -> bool:
    text = ctx.text
    if _WAITING.search(m.group()) and _ERRAND.search(text, m.end(), m.end() + 60):
        return True
    if _ADVICE.match(m.group()) and _TO_SELF.search(text, max(0, m.start() - 12), m.start()):
        return True  # "you might want to use another route, the bridge is shut": advice to the reader
    said = text[max(0, m.start() - 80) : m.start()]
    said = said[said.rfind(".") + 1 :] if "." in said else said
    if _TOLD_OF.search(said) and not _I_SAID.search(said):
        return True
    if _HAZARD_PRONE.search(m.group()) and _HAZARD.search(text, max(0, m.start() - 60), m.end() + 60):
        return True
    return bool(_SOFT.search(m.group()) and (_GAME.search(text) or _FAVOUR.match(text, m.end())))


# Recourse through official channels is a complaint, not intimidation (GP014 2.4): "you'll be reported to
# the council", "see you in court", "I'm going to the ombudsman". The semantic threat head confuses them.
RECOURSE = re.compile(
    r"\b(?:ombudsman|solicitors?|lawyers?|court|legal action|tribunal|police|council|councillors?|mp|local paper|"
    r"press|the papers|petition|trading standards|environmental health|reported to|report (?:it|this|you) to)\b"
    r"|\bcomplain(?:t|ts|ing|ed)?\b(?! (?:officer|team|manager|department|handler|lead)s?\b)"
)
# A threat someone received and is reporting: "my neighbour shouted that he'd burn my house down".
_RECEIVED = re.compile(
    r"\b(?:said|says|shouted|screamed|yelled|told (?:me|us|my \w+)|threatened|texted|messaged|wrote)\b(?: that)?"
    r"[^.!?]{0,40}?\b(?:kill|burn|smash|stab|hurt|batter|knew where|knows where|know where|find (?:me|us)|get (?:me|us))\b"
)


def _first_threat(ctx: Context) -> re.Match[str] | None:
    received = _RECEIVED.search(ctx.text)
    if received is not None and not _I_SAID.search(ctx.text, max(0, received.start() - 10), received.end()):
        ctx.suppressed.append(received.group())  # the model and the semantic heads skip it too
        return None
    marker = None
    for pattern in (THREATS, KINDS):
        for m in pattern.finditer(ctx.text):
            if ctx.reported(m.start(), m.end()):
                ctx.suppressed.append(m.group())
                continue
            if _not_a_threat(ctx, m):
                continue
            if not _MARKER.fullmatch(m.group()):
                return m
            marker = marker or m
    return marker


# Round 11 (evidence2): "mark my words" and "you've been warned" only say a warning is given; when the comment
# also says what the warning is ("you'll regret the day you crossed me"), that is the threat to quote.
_MARKER = re.compile(r"mark my words|(?:you(?:'ve| have)|you've) been warned")


# "You'll regret" says little on its own: the quote runs on to what is regretted, within its clause
# ("you'll regret the day you crossed me").
_REGRET_END = re.compile(r"(?:regret|regrets|regretting|be sorry)$")
_REGRETTED = re.compile(r"(?:\s+(?!(?:and|but|so|because|cos|or)\b)[\w'-]+){1,8}")


def _evidence_end(ctx: Context, m: re.Match[str]) -> int:
    if not _REGRET_END.search(m.group()):
        return m.end()
    more = _REGRETTED.match(ctx.text, m.end())
    return more.end() if more else m.end()


def find_threats(ctx: Context) -> list[Flag]:
    m = _first_threat(ctx)
    if m is None:
        return []
    return [
        ctx.flag(
            "harassment",
            m.start(),
            _evidence_end(ctx, m),
            score=0.95,
            source="harassment.threat",
            explanation=_WHY,
            urgent=True,
            subtype="threat",
        )
    ]
