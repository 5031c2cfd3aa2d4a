"""A semantic flag with no lexicon word to lean on quotes the sentence that carries the harm."""

from moderation.policy import check
from moderation.policy.semantic import default_semantic
from moderation.policy.semantic_flags import _harmful_sentence

THREAT = (
    "Tell that gas fitter of yours we've clocked his van. Next time he leaves our stair in a state "
    "he won't be driving it home."
)


def test_threat_found_by_the_model_alone_quotes_a_threatening_sentence_not_its_opener():
    flag = next(f for f in check(THREAT).flags if f.subtype == "threat")
    # One of the two sentences, or (the second has fifteen words) its twelve that weigh most: never the
    # opener "Tell" alone.
    assert flag.evidence == "Tell that gas fitter of yours we've clocked his van" or (
        flag.evidence in "Next time he leaves our stair in a state he won't be driving it home"
        and "won't be driving" in flag.evidence
    )
    assert THREAT[flag.start : flag.end] == flag.evidence


def test_the_quoted_sentence_is_the_one_the_head_scores_highest_and_long_ones_are_cut():
    model = default_semantic()
    text = (
        "Lovely weather for the fun day on Saturday and the kids all had a brilliant time with the "
        "bouncy castle and the face painting. We know where your repairs manager lives and we will be round."
    )
    enc = model.encode_many([text])[0]
    start, end = _harmful_sentence(text, model, "threat", enc)
    assert text[start:end] == "We know where your repairs manager lives and we will be round"
    long = "We know where you live " + "and " * 20 + "we will be round. Thanks for the fun day."
    start, end = _harmful_sentence(long, model, "threat", model.encode_many([long])[0])
    assert len(long[start:end].split()) == 12
    assert _harmful_sentence("One sentence only", model, "threat", model.encode_many(["x"])[0]) is None
