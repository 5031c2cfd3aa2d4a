"""Issue 10, round 7: GP014 2.4 routes for personal circumstances in words the lists did not know.

The whole engine (rules and semantic layer), as a comms officer meets it. The sentences were written
for these tests before the engine was run on them; none comes from the tuning set or a fresh slice.
"""

import pytest

from moderation.policy import check
from moderation.policy.result import HIGH


def route(text):
    return check(text).route


PERSONAL_ISSUES = [
    "Since my husband passed in March I can't manage the garden on my own, is there any help?",
    "I lost my job in the autumn and I'm falling behind, who do I speak to?",
    "We're on universal credit and it just doesn't cover the rent any more, I don't know what to do",
    "My son's autistic and the drilling next door sends him into meltdown every afternoon",
    "I'm fleeing an abusive ex and need to move somewhere he can't find me",
    "My brother was sectioned last week and I'm trying to keep his tenancy going",
    "Halfway through chemo and the stairs up to my flat are too much, can I be moved to a ground floor?",
    "Got made redundant in January and the bills keep piling up",
    "My wife has early onset Alzheimer's and I'm her full-time carer, we need a downstairs bathroom",
    "Since the divorce I've been sofa surfing at my sister's, are there any one-bed flats?",
    "I've been off work with depression since the summer and the letters about arrears make it worse",
    "My visa is being renewed and the Home Office says I can't work until it comes through, how do I pay the rent?",
    "Bailiffs came to the door today over council tax and I've got nothing left till payday",
    "I had a stroke in May and can't get in and out of the bath any more",
    "My daughter has severe anxiety and hasn't left the flat in weeks, I don't know where to turn",
    "I care for my dad who has Parkinson's and we're both worn out, is there any support?",
    "Money's really tight since my hours got cut at the warehouse, can I pay weekly instead?",
    "I was granted refugee status last month and have to leave the hostel in 28 days",
    "Ever since my dad passed I've been struggling to keep on top of the bills",
    "Mum's been in hospital for a fortnight and I can't get to the office to sort her tenancy",
]


@pytest.mark.parametrize("text", PERSONAL_ISSUES)
def test_personal_circumstances_in_new_words(text):
    assert route(text) == "personal_issue", text


NOT_PERSONAL_ISSUES = [
    # Somebody else's news, an event, a thing that passed.
    ("RIP Mr Dawson who passed away on Sunday, he did so much for the residents' association", None),
    ("The inspection passed with flying colours, well done everyone", None),
    ("Good luck to everyone doing the cancer research fun run on Sunday", None),
    ("Mental health awareness week: here's where to find support near you", None),
    # A repair that mentions who lives there, and Awaab's Law hazards (a repair, high priority).
    ("Black mould all over my son's bedroom and his asthma is getting worse", "repair"),
    (
        "Mould creeping up the wall in the baby's room and she's had a chest infection twice this winter",
        "repair",
    ),
    ("The radiators have been stone cold for a week and my 84 year old mum is staying with me", "repair"),
    ("The heating packed up on Friday and my dad has COPD, he's freezing", "repair"),
    # Praise for a repair already done.
    ("Shout out to Pete who replaced our boiler on Tuesday, warm as toast now", None),
    ("The roofers did a cracking job on the leak last month, not a drop since", None),
    ("Fantastic job on the new kitchen, my wife who's disabled can finally reach the cupboards", None),
    # Sarcasm about the service.
    ("Love how my call was 'important to you' for 55 minutes. Great service as always.", "complaint"),
    (
        "Cheers Havebury, third engineer, third different excuse, heating still stone cold. Marvellous.",
        "complaint",
    ),
    ("Well done on the rent rise, shame the roof still leaks.", "complaint"),
]


@pytest.mark.parametrize(("text", "expected"), NOT_PERSONAL_ISSUES)
def test_what_is_not_a_personal_issue(text, expected):
    assert route(text) == expected, text


@pytest.mark.parametrize(
    "text",
    [
        "Mould creeping up the wall in the baby's room and she's had a chest infection twice this winter",
        # An age written out ("my 84 year old mum") makes someone vulnerable, like "I'm 84".
        "The radiators have been stone cold for a week and my 84 year old mum is staying with me",
    ],
)
def test_a_hazard_beside_a_child_or_an_elderly_person_is_a_high_priority_repair(text):
    result = check(text)
    assert result.route == "repair"
    assert result.priority == HIGH
    assert any("Awaab" in n for n in result.notes)


def test_a_hazard_beside_a_young_adult_is_an_ordinary_repair():
    result = check(
        "The radiators have been stone cold for a week and my 34 year old brother is staying with me"
    )
    assert result.route == "repair"
    assert not any("Awaab" in n for n in result.notes)


@pytest.mark.parametrize(
    "text",
    [
        # Talk about the organisation, a policy or a group, and idioms, in the new words.
        "Havebury has laid off half the repairs team, that's why our jobs take months",
        "The bedroom tax is coming back next year for all of us, they've confirmed it",
        "They'll send the bailiffs round to anyone a week late with rent, my neighbour said",
        "Our estate has always welcomed families fleeing war",
        "The engineer nearly gave me a heart attack knocking at 7am",
        "Havebury is massively in debt and that's why our rent keeps going up",
        "We're running a debt advice drop-in at the community hub on Thursday",
        "Our hospital is only ten minutes away on the bus, handy for the new estate",
        "StepChange were good with my debts a few years back, worth a phone call if you're worried",
        "Short of cash before payday? Quick loans, bad credit fine, message me",
    ],
)
def test_the_new_words_about_others_or_as_idioms_are_not_personal_issues(text):
    assert route(text) != "personal_issue", text


@pytest.mark.parametrize(
    "text",
    [
        "Kev at number 9 has cancer, that's why he's never about",
        "the woman at 14 Harvest Way is on benefits and her boyfriend works cash in hand",
    ],
)
def test_gossip_about_someone_elses_circumstances_is_personal_data_not_their_personal_issue(text):
    result = check(text)
    assert "personal_data" in result.categories, text
    assert result.route != "personal_issue", text


def test_thoughts_of_suicide_in_other_words_are_urgent():
    result = check("Honestly thinking about ending it all, the arrears letters won't stop")
    assert result.route == "personal_issue"
    assert any(f.urgent for f in result.flags if f.category == "personal_issue")
