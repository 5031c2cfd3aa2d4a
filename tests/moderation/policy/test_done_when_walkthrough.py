"""Issue 10's "Done when", tried as a new user would: what a comms officer reads back from a flag.

Each comment here is in words of its own (not the example file in docs/examples/ nor any data set);
the tests hold the explanation, evidence, action, priority and merging, not which rule found it.
"""

import pytest

from moderation.policy import check
from moderation.policy.engine import _merge
from moderation.policy.evidence import _whole_claim, _whole_words
from moderation.policy.result import URGENT, Flag
from moderation.policy.rules.threats import NOTE as THREAT_NOTE

FUNCTION_WORDS = {"should", "own", "ought", "the", "a", "to", "and", "of", "they", "are", "is"}


def _only(text, category):
    (flag,) = [f for f in check(text).flags if f.category == category]
    assert text[flag.start : flag.end] == flag.evidence
    return flag


@pytest.mark.parametrize(
    "text",
    [
        # the model alone, no slur and no word from the hate lists
        "Pensioners ought to be shipped off to care homes so younger families get a look in.",
        # a rule's group and predicate, under the auto-hide score
        "Wheelchair users just slow everything down for the rest of us, they shouldn't get ground floor flats.",
    ],
)
def test_hate_without_a_slur_is_advised_down_whoever_found_it(text):
    result = check(text)
    assert _only(text, "hate").action == "hide"
    assert result.action == "hide"
    assert result.priority >= 2


def test_hate_from_the_model_quotes_what_is_said_of_the_group_not_the_group_or_one_word():
    text = "Pensioners ought to be shipped off to care homes so younger families get a look in."
    flag = _only(text, "hate")
    assert "shipped off" in flag.evidence
    assert not flag.evidence.lower().startswith("pensioners")
    assert len(flag.evidence.split()) >= 3


def test_a_lexicon_phrase_the_model_leans_on_is_quoted_whole():
    text = "Put local lads first, our own people first, then the rest."
    flag = _only(text, "hate")
    assert flag.evidence == "our own people first"
    assert flag.evidence.lower() not in FUNCTION_WORDS


def test_a_threat_found_by_the_model_alone_is_urgent_advised_down_and_quotes_the_threat():
    text = "Your gas man won't be coming back in one piece if he turns up here again."
    result = check(text)
    flag = next(f for f in result.flags if f.subtype == "threat")
    assert flag.category == "harassment"
    assert result.priority == URGENT
    assert flag.action == "hide"
    assert flag.note == THREAT_NOTE
    assert "one piece" in flag.evidence
    assert text[flag.start : flag.end] == flag.evidence


def test_evidence_drops_a_joining_word_and_carries_a_dangling_word_on_to_its_object():
    text = "Carry on fobbing me off and see what happens to your depot."
    flag = next(f for f in check(text).flags if f.subtype == "threat")
    assert not flag.evidence.startswith("and ")
    assert flag.evidence.endswith("depot")
    assert text[flag.start : flag.end] == flag.evidence


def _flag(evidence, text, **kw):
    start = text.index(evidence)
    fields = {
        "category": "harassment",
        "clause": "2.3",
        "evidence": evidence,
        "start": start,
        "end": start + len(evidence),
        "score": 0.8,
        "source": "test",
        "explanation": "x",
    }
    return Flag(**(fields | kw))


def test_whole_words_stops_at_the_clause_and_after_two_words_of_object():
    text = "They all gang up like a pack, and it never stops."
    moved = _whole_words(_flag("gang up like", text), text)
    assert moved.evidence == "gang up like a pack"  # the comma ends the clause
    text = "Bring it on to your nice shiny office windows tonight"
    assert _whole_words(_flag("Bring it on to your", text), text).evidence == "Bring it on to your nice shiny"
    text = "That lot are a nuisance"
    same = _flag("nuisance", text)
    assert _whole_words(same, text) is same


def test_overlapping_flags_of_one_category_merge_into_the_threat_with_its_own_explanation():
    text = "Watch yourself, you nasty little man"
    insult = _flag(
        "you nasty little man", text, score=0.9, source="harassment.directed_insult", explanation="insult"
    )
    threat = _flag(
        "Watch yourself, you nasty", text, score=0.6, source="semantic:threat@x", explanation="threat",
        subtype="threat", urgent=True, action="hide",
    )  # fmt: skip
    (merged,) = _merge([insult, threat], text)
    assert merged.subtype == "threat"
    assert merged.explanation == "threat"
    assert merged.source == "semantic:threat@x"
    assert merged.urgent
    assert merged.evidence == text
    assert merged.action == "hide"


def test_a_route_from_the_model_quotes_the_words_that_ask_for_it():
    text = "Been on hold forty minutes again today, honestly what is the point of you lot."
    result = check(text)
    assert result.route == "complaint"
    flag = next(f for f in result.flags if f.category == "complaint")
    assert flag.source.startswith("semantic:")
    assert len(flag.evidence.split()) >= 2
    assert text[flag.start : flag.end] == flag.evidence


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        (
            "Brilliant stuff Havebury, six weeks without a working shower.",
            "Brilliant stuff Havebury, six weeks without a working shower",
        ),
        ("The bins sat there for three weeks. Gold star.", "The bins sat there for three weeks. Gold star"),
    ],
)
def test_a_sarcastic_complaint_quotes_the_grievance_with_its_cheer(text, evidence):
    result = check(text)
    assert result.route == "complaint"
    flag = next(f for f in result.flags if f.category == "complaint")
    assert flag.source == "route.complaint.sarcasm"
    assert flag.evidence == evidence
    assert text[flag.start : flag.end] == flag.evidence


def test_mocking_someone_as_stupid_is_explained_as_mockery_not_as_telling_them_to_go():
    flag = _only("That new caseworker is as thick as two short planks.", "harassment")
    assert "mocks them as stupid" in flag.explanation


@pytest.mark.parametrize(
    ("text", "claim"),
    [
        (
            "Havebury are cutting the caretaker service on every estate from January.",
            "cutting the caretaker service on every estate from January",
        ),
        (
            "The water in the new flats is poisoning people, two kids in hospital already.",
            "water in the new flats is poisoning people",
        ),
    ],
)
def test_a_rumour_quotes_its_claim_with_what_it_is_about_not_one_word_or_who_said_it(text, claim):
    flag = _only(text, "misinformation")
    assert flag.source.startswith("semantic:")
    assert flag.evidence == claim


def test_a_rumour_quoted_in_three_words_or_fewer_runs_on_to_the_end_of_its_clause():
    text = "Havebury quietly passed every tenant's phone number to a loan firm, it's all over the estate."
    short = _flag("Havebury quietly", text, category="misinformation")
    assert (
        _whole_claim(short, text).evidence
        == "Havebury quietly passed every tenant's phone number to a loan firm"
    )
    three = _flag("Havebury quietly passed", text, category="misinformation")
    assert _whole_claim(three, text).evidence.endswith("to a loan firm")
    longer = _flag("Havebury quietly passed every tenant's", text, category="misinformation")
    assert _whole_claim(longer, text) is longer  # four words or more are left as the rule quoted them
    at_end = _flag("all over the estate", text, category="misinformation")
    assert _whole_claim(at_end, text) is at_end
    other = _flag("Havebury quietly", text, category="harassment")
    assert _whole_claim(other, text) is other
