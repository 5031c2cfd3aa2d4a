"""Issue 10, round 11: threats, insults, profanity and hate by kind, read on the retired fresh4 slice
and on tests/data/abuse_probe6.jsonl (docs/evaluation.md, "Round 11: abuse by kind from fresh4").

Every sentence here is written for these tests, in words that are in neither the slice nor the probe;
each kind comes with near misses it must leave alone. Rules only (no word model, no semantic layer), so
each test pins one rule.
"""

import pytest

from tests.moderation.policy.rules_only import categories, flag_of, rules

# --- threats: a weapon kept ready or promised; a prison term the author would serve again; advice to
# change one's habits; a routine watched by day or time; a building foretold as ash -------------------


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("any bailiff who climbs my gate gets the cricket bat, simple as", "gets the cricket bat"),
        ("there's a machete under my bed for whichever of your lot comes knocking first", "machete"),
        ("I've been inside twice, a third stretch for that rent officer wouldn't worry me", "been inside"),
        ("Your estate warden might want to find another pub on a Friday night", "find another pub"),
        ("tell that surveyor he'd best take a different road home from now on", "a different road"),
        ("we watch your housing bloke every lunchtime at the sandwich van", "every lunchtime"),
        ("Carry on like this and your depot on the ring road is going to be a pile of cinders", "cinders"),
        ("someone ought to pay your head office a little visit with a jerry can of diesel", "diesel"),
        ("a bit of paraffin through the manager's letterbox would wake them up", "paraffin through"),
    ],
)
def test_threats_by_kind(text, quoted):
    flag = flag_of(text, "harassment")
    assert flag is not None, text
    assert flag.subtype == "threat", (text, flag)
    assert flag.urgent, (text, flag)
    assert quoted.lower() in flag.evidence.lower(), (text, flag.evidence)
    result = rules(text)
    assert result.priority == 3, text
    assert "staff safety" in " ".join(result.notes), text


@pytest.mark.parametrize(
    "text",
    [
        "our team is gonna smash the charity bake-off on Saturday, watch out year 6",
        "I'll be waiting outside your office at ten for my appointment, please be on time",
        "you might want to find another route to the tip, the bridge is shut for works",
        "I served two years on the tenants' panel and I'm not afraid to say the rent is too high",
        "I keep a hammer in the kitchen drawer for picture hooks",
        "we'll pay the food bank a visit with a boot full of tins on Saturday",
        "the fitter came round with a box of matches to relight the pilot light",
        "we see the postman every morning at half seven, regular as clockwork",
        "the old cinema in town is going to be flats by next summer",
    ],
)
def test_threat_near_misses_stay_clean(text):
    assert "harassment" not in categories(text), (text, rules(text).flags)


# --- insults: looks likened to an animal or a thing; an "excuse for a human" with any adjective; the
# worst of a person's kind; nobody can stand them; found wanting against a thing; a partner's leaving
# thrown at someone; a scrounger, a sad sack, a meddler; disgust before a person noun ----------------


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("Lol Terry looks like a gargoyle that fell off the church roof", "looks like a gargoyle"),
        ("her in the yellow hat looks like she got dressed in a bush", "got dressed in a bush"),
        ("You shameless excuse for a neighbour, Brenda", "excuse for a neighbour"),
        ("Glen, you are the most tedious man on the whole estate", "the most tedious man"),
        ("honestly Rita, you're a walking migraine", "walking migraine"),
        ("not one person at the bowls club can stomach you, Frank", "can stomach you"),
        ("a garden gnome could outwit you, Lee", "could outwit you"),
        ("Phil your brain is the size of a garden pea", "brain is the size of"),
        ("bitter to the core you are, Denise", "bitter to the core"),
        ("no wonder your fella cleared off to Spain, Mandy", "cleared off"),
        ("Stuart's nothing but a scrounger, never bought a round in his life", "scrounger"),
        ("you repulsive little man, leave the kids' football alone", "repulsive little man"),
    ],
)
def test_insults_by_kind(text, quoted):
    flag = flag_of(text, "harassment")
    assert flag is not None, text
    assert quoted.lower() in flag.evidence.lower(), (text, flag.evidence)


@pytest.mark.parametrize(
    "text",
    [
        "the new library looks like a spaceship, I love it",
        "my little lad looks like a potato in his snowsuit, bless him",
        "nobody can stand the smell by the bottle bank, can it be cleared?",
        "everyone laughs at the panto villain, he's ace",
        "The most tedious thing about moving is the paperwork",
        "I'm a walking disaster today, dropped my keys down the drain",
        "my brain is mush after the night shift",
        "his bottle job at the recycling plant pays alright",
    ],
)
def test_insult_near_misses_stay_clean(text):
    assert "harassment" not in categories(text), (text, rules(text).flags)


def test_looks_mocked_is_harassment_even_of_staff():
    # Mocking how someone looks is abuse of the person, whoever they are; a judgement of a staff
    # member's work stays the staff rule's.
    assert "harassment" in categories("the officer in your latest post looks like a walrus in a suit")


def test_a_group_insulted_a_sentence_after_it_is_named_is_hate_not_harassment():
    text = "Refugees, honestly. They are a plague of parasites on this town"
    assert "hate" in categories(text)
    assert "harassment" not in categories(text)


# --- profanity: dialect spellings and inflections of listed words -----------------------------------


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("fookin hell, the bus is late again", "fookin"),
        ("stop arsing around with the recycling bins", "arsing"),
    ],
)
def test_inflected_and_dialect_profanity(text, quoted):
    flag = flag_of(text, "profanity")
    assert flag is not None, text
    assert flag.evidence.lower() == quoted


@pytest.mark.parametrize(
    "text", ["I took the books back to the library", "my foot is much better now", "a look at the new flats"]
)
def test_profanity_near_misses_stay_clean(text):
    assert "profanity" not in categories(text)


# --- hate without slurs: a group's arrival blamed for crime; its conduct put down to its nature or
# culture, or excused in advance; a group named by an adjective and a people noun; strings pulled, unfit
# for work by its make-up, a drain, wanting sending home -----------------------------------------------


@pytest.mark.parametrize(
    ("text", "quoted", "not_quoted"),
    [
        ("Soon as the Albanian lads moved in round here the burglaries started", "burglaries", "albanian"),
        (
            "Somalis on our landing leave rubbish everywhere. It's in their culture, they'll never change",
            "in their culture",
            "somalis",
        ),
        ("I'm not racist, just saying the Pakistani families get the best houses", "not racist", "pakistani"),
        ("deaf people are a drain on the housing list", "a drain", "deaf"),
        ("The Jewish families pull the strings at the council, always have", "pull the strings", "jewish"),
        ("women have no business being on the repairs board", "no business", "women"),
        ("those yanks at the base want sending back over the pond", "want sending back", "yanks"),
    ],
)
def test_hate_by_kind_quotes_the_claim_not_the_group(text, quoted, not_quoted):
    flag = flag_of(text, "hate")
    assert flag is not None, text
    assert quoted.lower() in flag.evidence.lower(), (text, flag.evidence)
    assert not_quoted not in flag.evidence.lower(), (text, flag.evidence)
    assert rules(text).action == "hide", text  # issue 10: hate is hidden


@pytest.mark.parametrize(
    "text",
    [
        "Since the Albanian family moved in next door the garden has never looked better",
        "the deaf club meets at the hall on Tuesdays, it's a cultural thing for them and a lovely night",
        "I'm not racist and neither is anyone I know on this estate",
        "The Jewish bakery on Hill Street does the best bagels",
        "women on the repairs board have made a real difference",
        "My grandad still talks about the yanks at the base handing out chocolate",
    ],
)
def test_hate_near_misses_stay_clean(text):
    assert "hate" not in categories(text), (text, rules(text).flags)


@pytest.mark.parametrize(
    "text",
    [
        "Not everybody who rents from Havebury is a scrounger, give over",
        "not all lads in trackies are yobs, my nephew wears them to work",
    ],
)
def test_a_label_denied_of_a_whole_class_is_no_insult(text):
    assert "harassment" not in categories(text), (text, rules(text).flags)


def test_the_label_said_of_one_person_still_is():
    assert "harassment" in categories("Not everyone on the close is bad but Gaz is a scrounger")
