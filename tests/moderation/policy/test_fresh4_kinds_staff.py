"""Issue 10, round 11: staff criticism and defamation, kinds read on the retired fresh4 slice.

The slice's staff and defamation failures were read only to name the KIND of miss (docs/evaluation.md,
"Round 11: staff criticism and defamation by kind from fresh4"); every sentence here is written for these
tests in other words than the slice and than tests/data/staff_defamation_probe6.jsonl, each kind with near
misses it must leave alone. Rules only (no word model, no semantic layer), so each test pins a rule; the
last tests pin the semantic head's praise gate.
"""

import pytest

from moderation.policy.config import PolicyConfig
from moderation.policy.normalise import normalise
from moderation.policy.rules import Context
from moderation.policy.rules.staff import praises
from tests.moderation.policy.rules_only import categories, flag_of

# --- staff criticism: how the job is done, judged without a fault word --------------------------------


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        # absence
        (
            "the estates officer hasn't been seen on Birch Lane since spring, never leaves his desk",
            "never leaves his desk",
        ),
        ("your regional director has never once set foot in our tower", "never once set foot in"),
        ("the neighbourhood wardens never come near the bottom end of the estate", "never come near"),
        ("the patch officer hasn't shown her face at a residents' meeting since May", "shown her face"),
        # slowness as a habit
        ("the allocations team takes an age over every single transfer", "takes an age"),
        ("your damp team drag their heels on anything that costs money", "drag their heels"),
        # going through the motions
        ("the caretaker does the absolute minimum and goes home at two", "does the absolute minimum"),
        ("the complaints officers go through the motions and send the same letter", "go through the motions"),
        ("the surveyor ticked a box and left without touching the wall", "ticked a box and"),
        # time put into anything but the work
        ("the grounds staff spend longer chatting by the van than mowing the verges", "than mowing the"),
        # promises not kept
        (
            "your tenancy officer promised us the moon at sign-up and delivered nothing",
            "promised us the moon",
        ),
        ("the housing manager never follows through on a single thing she says", "never follows through"),
        # pay out of proportion
        ("the directors are on telephone-number salaries while the lifts break weekly", "salaries"),
        ("the chief executive is raking it in and the flats are falling apart", "raking it in"),
        # manner
        ("the rent officer is far too sharp with people who fall behind", "too sharp with"),
        ("the lettings adviser talks over everyone at the viewing", "talks over everyone"),
        ("the scheme manager speaks to the pensioners like children", "like children"),
        ("Gemma in the rent team is brusque with anyone on benefits", "brusque with anyone"),
        # ignoring people
        (
            "Kathryn Rowland never responds to anyone who asks about the service charge",
            "never responds to anyone",
        ),
        (
            "the customer care team ignores every complaint that comes in after five",
            "ignores every complaint",
        ),
        # their work dismissed as empty, and told to do the job for once
        ("Lauren Eden's blog is nothing but puff", "nothing but puff"),
        ("Hayley Lambert should answer the damp questions for once", "for once"),
    ],
)
def test_conduct_judged(text, quoted):
    flag = flag_of(text, "staff_criticism")
    assert flag is not None, text
    assert quoted.lower() in flag.evidence.lower()


@pytest.mark.parametrize(
    "text",
    [
        "Ask the repairs planners when they'll come. They never follow through.",
        "The board had another away day at a hotel. Pure waffle.",
        "Hayley Lambert said she'd ring me on Monday. Never did. All mouth.",
    ],
)
def test_judgement_in_the_next_sentence(text):
    assert "staff_criticism" in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        # a process or a line, not a person
        "It takes forever to get through to the call centre on a Monday",
        # a promise kept, praise, the author's own doing
        "The housing officer promised everything would be sorted by Friday and it was",
        "The gardeners spent longer on our bit than anyone expected and it looks lovely",
        "I did the bare minimum of decorating before I moved out",
        "The director set foot on the estate for the first time and listened to us",
        "The caretaker ticked every box on the fire safety checklist",
        "Kathryn Rowland's newsletter came out today, all about the summer fun day",
        # a criticism reported to answer it
        "Someone on the estate page said the caretaker does the bare minimum, but he was out at 6am gritting for us",
        # a warning to stay away is a threat (rules/threats.py), not a complaint that someone is never seen
        "that rent officer had better not show his face round here again",
        # the next sentence says something else
        "The repairs planners rang to book me in. They were very polite.",
        "The lettings team were lovely. The kitchen is tiny though. Shame.",
        # "the lot" is everyone, not a job
        "get rid of the fly tippers, vermin the lot of them",
    ],
)
def test_near_misses_stay_clean(text):
    assert "staff_criticism" not in categories(text)


# --- defamation: wrongdoing told as a story -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # deceiving the landlord for a home or money, and subletting
        "the bloke at number 6 pretends his partner moved out so he can keep the family house",
        "the couple in flat 3 told the housing office they were sleeping on a sofa to get the priority banding",
        "Our neighbour sublets the spare flat to tourists every summer",
        # billing for what was not delivered
        "the decorators invoice for two coats and put one on",
        "the handyman charges residents for materials the association has already paid for",
        # shared money kept or spent on oneself
        "the treasurer keeps the coffee morning takings for herself",
        "the committee secretary uses the christmas fund for her own shopping",
        # paid under a threat, details sold, family put first, into homes, materials taken
        "the gas fitter told my nan the boiler would be condemned unless she paid him cash",
        "the estate manager sold my address to a double glazing firm",
        "the allocations officer fast-tracked his own cousin past everyone on the list",
        "the caretaker lets himself into empty flats to sleep there",
        "the heating contractor takes the new boilers and fits the old ones",
    ],
)
def test_wrongdoing_told_as_a_story(text):
    assert "defamation" in categories(text), text


@pytest.mark.parametrize(
    "text",
    [
        "The man at number 14 keeps claiming his mum lives with him for the extra room. Fraud.",
        "Harlow Roofing billed Havebury for a full re-roof and patched three tiles. Pure theft.",
    ],
)
def test_verdict_after_the_story(text):
    assert "defamation" in categories(text), text


@pytest.mark.parametrize(
    "text",
    [
        "How do I tell Havebury my partner has moved in so the rent is right?",
        "I told the council I was sofa surfing to get help and they found me a flat",
        "Can I sublet my spare room if I'm away working?",
        "Read about the bribery case at a council in Kent, nothing to do with us",
        "There's a fraud inquiry at another housing association, worth a read",
        "A woman at the bus stop called the caretaker a thief. I put her right, he's the most honest man I know.",
        "The council's new parking permits cost £40 a year. Theft.",
        "The officer passed my number to the surveyor so he could book the visit",
    ],
)
def test_defamation_near_misses(text):
    assert "defamation" not in categories(text), text


# --- the semantic head's gate: praise of staff is not criticism ---------------------------------------


def _ctx(text):
    config = PolicyConfig.default()
    norm = normalise(text)
    if config.speller is not None:
        norm = config.speller.correct(norm)
    return Context(norm=norm, config=config)


@pytest.mark.parametrize(
    "text",
    [
        "The fitters who did our bathroom were courteous and tidy, 10/10",
        "Two lads from the gas team, prompt and cheerful, couldn't fault them",
    ],
)
def test_praise_passes_the_gate(text):
    assert praises(_ctx(text))


@pytest.mark.parametrize(
    "text",
    [
        "The fitters were polite but left the bathroom in a state",
        "Oh the call centre is so professional, on hold for an hour",
        "The officer was friendly enough, shame she's useless",
    ],
)
def test_praise_with_a_judgement_does_not(text):
    assert not praises(_ctx(text))


# --- round 11b: the same kinds in other words, read on probe 7 (written after round 11) ----------------


@pytest.mark.parametrize(
    "text",
    [
        "the tenancy team are never around when you need them",
        "the voids officer can never be reached on a Friday",
        "the estate manager only shows up when the councillor is visiting",
        "the surveyors always blame the tenants for condensation",
        "the senior managers awarded themselves bonuses in a year of cuts",
        "the allocations staff care more about their spreadsheets than the people on the list",
        "your social media officer sends the same canned reply to everyone",
        "the comms team deleted my comments for asking about the damp",
        "the lettings officer promised to ring back and never did",
        "the powers that be in the head office have no idea",
        "pen-pushers at HQ decide our repairs without ever talking to residents",
        "them at the repairs desk passed me around for weeks",
        "Kathryn Rowlands needs to stop tweeting slogans and answer the residents",
        "Hayley Lambert banned me for complaining about the lifts",
        "yet another triumph of incompetence from the voids team, well done everyone",
    ],
)
def test_conduct_in_other_words(text):
    assert "staff_criticism" in categories(text), text


@pytest.mark.parametrize(
    "text",
    [
        "Can you pass me on to the lettings team?",
        "The gas engineer was in and out in 20 minutes and left it spotless",
        "the surveyor blamed the weather for the delay to the roof",
        "Someone said the caretaker is rude but I find him really helpful",
    ],
)
def test_conduct_near_misses_in_other_words(text):
    assert "staff_criticism" not in categories(text), text


@pytest.mark.parametrize(
    "text",
    [
        "the lad next door rents his flat out to contractors and sleeps at his mum's",
        "the bloke in number 3 insists he's single to keep the discount",
        "the chairman of the residents association pushed his own son top of the transfer list",
        "the caretaker sold on the mattresses from the empty bedsits",
        "the painter invoiced for three days and was home by lunchtime on the first",
        "the neighbourhood officer said she'd lose her tenancy unless she gave him her savings",
        "the estate officer sold tenants' mobile numbers to a debt company",
        "Gordon who runs the allotment society keeps the plot fees for himself",
    ],
)
def test_wrongdoing_in_other_words(text):
    assert "defamation" in categories(text), text


@pytest.mark.parametrize(
    "text",
    [
        "My son rents his room out to a lodger, do I need to tell you?",
        "the caretaker sold on his old van to a mate from the allotments",
        "Anyone who runs a business from home, do you need permission?",
    ],
)
def test_wrongdoing_near_misses_in_other_words(text):
    assert "defamation" not in categories(text), text
