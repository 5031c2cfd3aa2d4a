"""Issue 10, round 9: kinds read on the retired fresh3 slice (docs/evaluation.md, "Which slice is fresh").

The slice's failures were read only to name the KIND of miss; every sentence here is written for these
tests in other voices and other words, each kind with the near misses it must leave alone. Rules only
(no word model, no semantic layer), so each test pins one rule.
"""

import pytest

from tests.moderation.policy.rules_only import categories, flag_of, rules

# --- staff criticism by job or team: a team named by its service, trades lumped together, and
# judgements of conduct (shoddy work, idling on the clock, treating tenants as a nuisance, a residents'
# body that does not represent them, their work dismissed as spin) -------------------------------------


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("the gas engineers you send botch every job and then moan about the parking", "botch"),
        (
            "Your grounds team leave every job half done, then bill us for the lot",
            "leave every job half done",
        ),
        ("estates services lot are the idlest bunch on the payroll", "estates services"),
        ("boiler engineers round here cut corners like it's a sport", "cut corners"),
        ("the housing staff sit about on their phones while the queue goes out the door", "on their phones"),
        ("Lettings staff look at you like you're a nuisance for daring to ask a question", "nuisance"),
        ("that customer services advisor spoke to me like I was dirt", "dirt"),
        ("residents panel are just yes men for the board, always have been", "yes men"),
        ("The tenants' forum doesn't speak for any of us on this estate", "speak for"),
        ("the comms team's update on the rent was pure spin again", "pure spin"),
        ("Kathryn's piece in the newsletter is a whitewash, nothing about the damp", "whitewash"),
    ],
)
def test_staff_by_role_team_or_name_with_a_judgement_of_conduct(text, quoted):
    flag = flag_of(text, "staff_criticism")
    assert flag is not None, text
    assert quoted.lower() in flag.evidence.lower(), (text, flag.evidence)


@pytest.mark.parametrize(
    "text",
    [
        "I bodged the shelf myself before the joiner came, he sorted it lovely",
        "the gas engineers were brilliant, in and out in an hour",
        "estate services cut the grass on Tuesday, looks smart",
        "the residents panel meet on Thursday, all welcome, tea and biscuits",
        "the tenants' forum speaks for all of us and they've done well this year",
        "my granddaughter's puppet show is at the community centre on Saturday",
        "The comms team's newsletter had a lovely piece on the allotments",
        "I felt like a nuisance ringing so often but the lettings staff were patient with me",
        "the caretaker sat with my mum on the stairs until the ambulance came",
    ],
)
def test_staff_near_misses_are_left_alone(text):
    assert "staff_criticism" not in categories(text), text


# --- defamation of residents placed by address and firms by trade name; falsifying, dealing from a
# place, a business run from home, a contract given for a favour --------------------------------------


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        (
            "the lad at number 9 deals out of his garage every night and nobody does owt",
            "deals out of his garage",
        ),
        ("the new family in flat 2 are running a brothel, mark my words", "running a brothel"),
        ("that couple across the landing fake their gas readings every quarter", "fake their"),
        ("greenway roofing fiddle their invoices and havebury pay for work never done", "fiddle"),
        ("my next door neighbour is a known thief, lock your sheds", "thief"),
        ("Your area manager wangled his brother the contract in return for a week in Spain", "in return for"),
    ],
)
def test_accusations_against_people_placed_or_firms_named_are_defamation(text, quoted):
    flag = flag_of(text, "defamation")
    assert flag is not None, text
    assert quoted.lower() in flag.evidence.lower(), (text, flag.evidence)


@pytest.mark.parametrize(
    "text",
    [
        "the lady at number 6 has lovely roses this year",
        "our neighbour has been burgled twice, poor soul",
        "acme plumbing did a lovely job on our boiler",
        "the couple across the landing run a baking stall at the fete",
        "I'll forge ahead with the garden club whatever the weather",
    ],
)
def test_defamation_near_misses_are_left_alone(text):
    assert "defamation" not in categories(text), text


# --- veiled threats: someone else's property remarked on as easy to damage, then an innuendo -------


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("that housing officer's new car looks awfully easy to scratch. just saying", "easy to scratch"),
        ("your depot's front door looks pretty flammable, no reason, thinking out loud", "flammable"),
        ("Havebury's glass frontage is ever so breakable. Accidents happen", "breakable"),
    ],
)
def test_property_remarked_on_as_easy_to_damage_with_innuendo_is_a_threat(text, quoted):
    flag = flag_of(text, "harassment")
    assert flag is not None, text
    assert flag.subtype == "threat", text
    assert quoted.lower() in flag.evidence.lower(), (text, flag.evidence)


@pytest.mark.parametrize(
    "text",
    [
        "your parcel looks fragile, I'll carry it in for you",
        "the bus shelter glass looks easy to smash, can havebury ask the council for tougher panels",
        "her vase looks fragile so we wrapped it twice for the move",
    ],
)
def test_fragile_things_without_innuendo_are_not_threats(text):
    assert not any(f.subtype == "threat" for f in rules(text).flags), text


# --- routes: a neighbour's nuisance the author keeps living with is a personal issue; a defect fixed
# and holding ("hasn't come back", "still bone dry") is no repair ------------------------------------


def route_of(text):
    return next((f.category for f in rules(text).flags if f.clause == "2.4"), None)


@pytest.mark.parametrize(
    "text",
    [
        "the people downstairs have parties till 4am every weekend and swear at me when I knock",
        "next door's dog has bitten my lad once already and they think it's funny",
        "someone keeps leaving rubbish bags in my garden at night, I reckon it's the flat above",
        "the lad upstairs revs his motorbike under my window every night, been going on since summer",
    ],
)
def test_a_neighbours_ongoing_nuisance_is_a_personal_issue(text):
    assert route_of(text) == "personal_issue", text


@pytest.mark.parametrize(
    "text",
    [
        "The little boy next door shouted at me on the bus and then gave me a sweet, kids eh",
        "our neighbour had a party for her 80th, lovely music all afternoon",
        "someone keeps putting leaflets through the door about the fun run again",
    ],
)
def test_neighbourly_news_is_not_a_personal_issue(text):
    assert route_of(text) != "personal_issue", text


@pytest.mark.parametrize(
    "text",
    [
        "we had a damp patch last winter, they treated it and it hasn't come back",
        "kitchen leak was repaired in March and the ceiling is still bone dry",
        "Mould in the box room was treated two years ago and it never came back, fair play",
    ],
)
def test_a_fix_that_has_held_is_not_a_repair(text):
    assert route_of(text) is None, text


@pytest.mark.parametrize(
    "text",
    [
        "the damp came back again after they treated it, still black on the walls",
        "mould was treated in May and it hasn't gone, still there",
        "the leak was fixed but it's still dripping",
    ],
)
def test_a_fix_that_failed_is_still_a_repair(text):
    assert route_of(text) == "repair", text


# --- personal data: a vehicle's keeper looked up, with a name and a house number --------------------


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        (
            "whoever parks in my space, blue fiesta, it's registered to k jones 5 westfield avenue",
            "5 westfield avenue",
        ),
        ("the red van is registered to d brown 12 northgate road", "12 northgate road"),
    ],
)
def test_a_vehicle_keepers_address_is_personal_data(text, quoted):
    flag = flag_of(text, "personal_data")
    assert flag is not None, text
    assert quoted in flag.evidence.lower(), (text, flag.evidence)


def test_a_delivery_address_for_the_estate_is_not_personal_data():
    assert (
        flag_of("the new bins are being delivered to 40 park road first, then the rest", "personal_data")
        is None
    )


# --- insults: a nickname for a poster, a partner's leaving thrown at someone, looks mocked; hate: a
# group by colour, faith or origin and a people noun, called criminals by trade ----------------------


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("another rant from the estate clown", "clown"),
        ("yet another long post from the resident moron", "moron"),
        ("no wonder his missus walked out on him", "no wonder his missus walked out"),
        ("look at the state of her selfie, honestly", "look at the state of her selfie"),
    ],
)
def test_insults_by_nickname_or_taunt_are_harassment(text, quoted):
    flag = flag_of(text, "harassment")
    assert flag is not None, text
    assert quoted in flag.evidence.lower(), (text, flag.evidence)


@pytest.mark.parametrize(
    "text",
    [
        "look at the state of the bins after the storm",
        "no wonder her husband left the party early, it was freezing",
        "we met a clown from the local circus at the fete",
    ],
)
def test_taunt_near_misses_are_left_alone(text):
    assert flag_of(text, "harassment") is None, text


@pytest.mark.parametrize(
    "text",
    [
        "the asian lads by the shops are all dealers",
        "those somali boys on the green are all muggers, watch your bags",
    ],
)
def test_a_group_by_origin_called_criminals_by_trade_is_hate(text):
    assert flag_of(text, "hate") is not None, text


@pytest.mark.parametrize(
    "text",
    [
        "the polish car dealers on the parade are great, sold me a lovely focus",
        "the lads by the shops are all dealers",
        "the black lads from the youth club won the football tournament",
        "the muslim families on our road are not criminals, stop it",
    ],
)
def test_group_near_misses_are_not_hate(text):
    assert flag_of(text, "hate") is None, text


def test_an_accusation_whose_object_the_speller_splits_is_still_defamation():
    flag = flag_of("brightway cleaning forge their timesheets, havebury pay for nothing", "defamation")
    assert flag is not None
    assert "forge their time" in flag.evidence.lower()


# --- rumours: an extreme rise in what tenants pay stated as coming; others' accusation reported -----


@pytest.mark.parametrize(
    "text",
    [
        "Service charges are going up 25% from June. It's been confirmed.",
        "rents will double next year when the new boss starts",
        "heard rent is going to rise 40 percent, everyone's saying it",
    ],
)
def test_an_extreme_rise_stated_as_coming_is_misinformation(text):
    assert flag_of(text, "misinformation") is not None, text


@pytest.mark.parametrize(
    "text",
    [
        "rent is going up 3 percent in April, letter came today",
        "my rent went up 25% when I moved from the council, but it's fair for the size",
        "rents are doubling in London, shocking news on the telly",
        "a neighbour said service charges are going up 40%. I checked with the office, it's false, just the usual rise",
    ],
)
def test_ordinary_past_elsewhere_or_denied_rises_are_not_misinformation(text):
    assert flag_of(text, "misinformation") is None, text


def test_others_accusation_reported_to_answer_it_is_not_defamation():
    text = (
        "saw people on here calling the lad at the chippy a liar, I know him and he gave the change back "
        "himself, so check your facts before posting x"
    )
    assert flag_of(text, "defamation") is None
    assert flag_of("I'm calling it now, the caretaker is a thief", "defamation") is not None


# --- a disability given as the reason a defect matters is a repair; an aid or adaptation is a defect --


@pytest.mark.parametrize(
    "text",
    [
        "I'm disabled and my stairlift packed up this morning, can't get to the bathroom",
        "my son is in a wheelchair and the ramp to our door is broken again",
        "the lift got stuck between floors again with my wheelchair in it",
        "my mum's stair lift conked out with her on it, she's 91 and disabled",
    ],
)
def test_a_defect_that_strands_a_disabled_tenant_is_a_repair(text):
    assert route_of(text) == "repair", text


@pytest.mark.parametrize(
    "text",
    [
        "I'm disabled and struggling with the rent since my PIP was cut",
        "I'm disabled and need a bigger place, the transfer list is taking forever",
    ],
)
def test_a_disability_with_nothing_broken_is_still_a_personal_issue(text):
    assert route_of(text) == "personal_issue", text
