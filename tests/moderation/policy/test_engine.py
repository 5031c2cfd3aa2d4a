"""Pure unit tests of check(): one behaviour per test, rules only unless the test is about the model."""

import dataclasses

import pytest

from moderation.policy import POLICY_VERSION, PolicyConfig, check
from moderation.policy.result import URGENT


def run(text, **kw):
    return check(text, use_model=False, **kw)


def cats(text, **kw):
    return set(run(text, **kw).categories)


def test_policy_version():
    assert POLICY_VERSION == "GP014/2022-04"


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("This fucking weather", "profanity"),
        ("What a load of bollocks", "profanity"),
        ("Sh1t service", "profanity"),
        ("You're a complete idiot", "harassment"),
        ("I will smash your face in", "harassment"),
        ("Shut up you moron", "harassment"),
        ("Immigrants are parasites and should be deported", "hate"),
        ("Go back to your own country", "hate"),
        ("Women should stay in the kitchen", "hate"),
        ("Shut up you silly bitch", "hate"),
        ("The chief exec is stealing our rent money", "defamation"),
        ("Havebury have announced a rent freeze, you don't have to pay the increase", "misinformation"),
        ("Pay your rent into this new account from now on", "misinformation"),
        ("Call me on 07845 123456", "personal_data"),
        ("email me at someone.person@gmail.com", "personal_data"),
        ("I live at 14 Meadow Close, Sudbury CO10 2TX", "personal_data"),
        ("My NI number is AB 12 34 56 C", "personal_data"),
        ("sort code 30-90-89 account 41234567", "personal_data"),
        ("DOB 03/11/1962 please update", "personal_data"),
        ("Mrs Patel at number 22 has dementia", "personal_data"),
        ("Lauren Eden is useless and should be sacked", "staff_criticism"),
        ("The board directors are arrogant and out of touch", "staff_criticism"),
        ("Not my photo but here is the estate in the 70s", "copyright"),
    ],
)
def test_each_category(text, category):
    assert category in cats(text)


@pytest.mark.parametrize(
    "text",
    [
        "Just moved from Scunthorpe to Stowmarket",
        "We used to live in Penistone",
        "My nan is from Clitheroe",
        "Anyone from Essex, Sussex or Middlesex?",
        "Could someone assess my fence?",
        "Any cocktail evenings planned?",
        "Is there a craft class this term?",
        "The Dickens reading group meets on Tuesdays",
        "Cockfield village hall coffee morning",
        "Bloody brilliant service from the repairs team, thank you",
        "This heatwave is killing me",
        "I could murder a cup of tea",
        "Thank you Lauren for sorting that so quickly",
        "Refugees are welcome here",
        "Immigrants are not criminals",
        "email customerservices@havebury.com for help",
    ],
)
def test_hard_negatives_are_clean(text):
    assert cats(text) == set()


@pytest.mark.parametrize(
    "text",
    [
        "Someone called me a 'useless cow' on your last post, please remove it",
        'My neighbour keeps calling my daughter a "retard", how do I report it?',
        "My neighbour keeps calling me a scrounger",
        'He shouted "go back to your own country" at my mum',
    ],
)
def test_quoting_an_insult_to_report_it_is_not_abuse(text):
    assert not cats(text) & {"profanity", "harassment", "hate"}


def test_the_damp_is_killing_me_is_a_repair_not_a_threat():
    result = run("The damp in our flat is killing me")
    assert result.categories == ()
    assert result.route == "repair"


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("Our boiler packed up and there's no hot water", "repair"),
        ("Black mould is back in the bedroom", "repair"),
        ("I want to make a formal complaint about my repair", "complaint"),
        ("Been waiting 6 weeks for the boiler, still waiting, disgraceful", "complaint"),
        ("I'm behind on my rent since I lost my job", "personal_issue"),
        ("My partner hits me when he drinks, please help", "personal_issue"),
        ("Lovely event, thank you", None),
    ],
)
def test_routes(text, route):
    assert run(text).route == route


def test_safeguarding_is_urgent():
    result = run("My partner hits me when he's been drinking and I need to get out")
    assert result.route == "personal_issue"
    assert result.priority == URGENT


def test_threat_is_urgent_and_hidden():
    result = run("I know where you live")
    assert result.priority == URGENT
    assert result.action == "hide"


@pytest.mark.parametrize(
    "text",
    [
        "Our boiler has been off since Tuesday and I have a baby in the house. Please help",
        "I have damp in my house and nobody comes",
        "We have lived in this house for 20 years",
        "I've got mould in the kids' school uniforms",
    ],
)
def test_a_tenant_s_own_home_is_not_a_threat(text):
    """Tried as a new user would: the demo queue's boiler plea was an urgent 95% threat."""
    assert "harassment" not in cats(text)


@pytest.mark.parametrize("text", ["I've got your home address", "We have where he lives now"])
def test_having_someone_s_address_is_still_a_threat(text):
    assert run(text).priority == URGENT


def test_complaint_is_never_hidden_automatically():
    result = run("Your repairs team are useless idiots, I want to make a complaint")
    assert "harassment" in result.categories
    assert result.route == "complaint"
    assert result.action == "review"


def test_evidence_offsets_point_into_the_original_text():
    text = "Honestly F.U.C.K this, ring 07845 123456"
    for flag in run(text).flags:
        assert text[flag.start : flag.end] == flag.evidence
    evidence = {f.category: f.evidence for f in run(text).flags}
    assert evidence["profanity"] == "F.U.C.K"
    assert evidence["personal_data"] == "07845 123456"


def test_flag_fields_explain_themselves():
    (flag,) = run("What a load of bollocks").flags
    assert flag.clause == "2.3"
    assert 0 <= flag.score <= 1
    assert flag.source == "profanity.lexicon"
    assert "2.3" in flag.explanation
    assert "first bullet" in flag.explanation


def test_links():
    assert "inappropriate_link" in cats("click", links=["https://bit.ly/abc"])
    assert "inappropriate_link" in cats("pay here http://havebury-login.com/verify")
    assert "inappropriate_link" in cats("look", links=["http://185.22.14.9/invoice.exe"])
    assert cats("see https://www.havebury.com/repairs") == set()
    assert cats("see", links=["https://www.gov.uk/housing-benefit"]) == set()
    assert cats("see", links=["https://www.essexlive.news/story"]) == set()


def test_image_only_flagged_with_a_harmful_comment():
    assert "inappropriate_image" in cats("Fucking state of this", has_media=True)
    assert cats("Here's my photo from the fun day!", has_media=True) == set()


def test_actions_and_priorities():
    assert run("Lovely event").action == "none"
    assert run("Lovely event").priority == 0
    assert run("Our boiler is broken").action == "respond_offline"
    assert run("This fucking weather").action == "review"
    assert (
        run("Don't house pakis on our street").action == "hide"
    )  # a slur: sure enough to hide (issue 10: hate -> hide)
    # Group + predicate with no slur: still advised down (issue 10, item 3: hate gets action hide); an
    # automatic hide needs a rule's score over the Lead's minimum (services/escalation.py).
    assert run("Asylum seekers are vermin").action == "hide"


def test_config_changes_behaviour_without_code():
    config = PolicyConfig.default().with_terms("profanity", add=("blimey",))
    assert "profanity" in cats("blimey what a day", config=config)
    assert cats("blimey what a day") == set()
    people = (
        *config.protected_people,
        dataclasses.replace(config.protected_people[0], name="Sam Board", aliases=()),
    )
    config = dataclasses.replace(config, protected_people=people)
    assert "staff_criticism" in cats("Sam Board is clueless", config=config)
    config = dataclasses.replace(config, category_actions={**config.category_actions, "profanity": "hide"})
    assert run("This fucking weather", config=config).action == "hide"


def test_model_is_combined_with_rules():
    """Guarded by a clear failure, not a skip: the engine needs the shipped model."""
    from moderation.policy.model import default_model

    model = default_model()
    result = check("You are a disgusting pathetic excuse for a human", model=model)
    assert result.model_score is not None
    assert any(f.category in ("harassment", "profanity") for f in result.flags)
