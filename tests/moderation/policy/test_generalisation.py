"""Issue 10: threats, hate without slurs, rumours, evidence, routing, and the semantic layer."""

import dataclasses
import json
from importlib import resources
from pathlib import Path

import pytest

from moderation.policy import check
from moderation.policy.engine import check_many
from moderation.policy.lexical import ARTEFACT as LEXICAL
from moderation.policy.result import HIGH
from moderation.policy.semantic import default_semantic
from policy_lab.evaluation import evaluate_own, load_jsonl

DATA = Path(__file__).resolve().parents[2] / "data"


def test_threat_is_an_urgent_harassment_subtype_with_a_staff_safety_note():
    result = check("I hope someone makes Hayley pay for this, I know what bus she gets home")
    threats = [f for f in result.flags if f.subtype == "threat"]
    assert threats
    assert threats[0].category == "harassment"
    assert result.priority == 3
    assert any(n.startswith("staff safety") for n in result.notes)


@pytest.mark.parametrize(
    "text",
    [
        "Tell your caretaker he wants to be careful walking to his car",
        "Everyone mass report this page until they take it down",
        "Would be a shame if something happened to the office windows",
        "I'll put him through the window if he comes back",
    ],
)
def test_threats_without_swear_words(text):
    assert any(f.subtype == "threat" for f in check(text).flags), text


def test_hate_without_slurs_is_hidden_and_quotes_the_hostile_words_not_the_group():
    result = check("Those foreigners breed like rabbits and sponge off the rest of us")
    hate = [f for f in result.flags if f.category == "hate"]
    assert hate
    assert result.action == "hide"
    assert "foreigners" not in hate[0].evidence.lower()


def test_defamation_of_a_named_person_is_high_priority():
    result = check("Gary Marsh from the residents association has been pocketing the fun day money")
    assert [f.subtype for f in result.flags if f.category == "defamation"] == ["named_person"]
    assert result.priority == 2


def test_overlapping_flags_of_one_category_merge():
    result = check("you useless idiot, I know where you live")
    spans = [(f.start, f.end) for f in result.flags if f.category == "harassment"]
    for i, a in enumerate(spans):
        for b in spans[i + 1 :]:
            assert a[1] <= b[0] or b[1] <= a[0], spans


def test_insult_evidence_is_the_insult():
    result = check("Thick as mince, get a proper job")
    assert [f.evidence for f in result.flags if f.category == "harassment"] == ["Thick as mince"]


def test_compliment_about_a_past_repair_is_not_a_repair():
    assert check("Bloody brilliant service, fixed the leak. Thanks Darren").route is None


def test_damp_affecting_a_childs_health_is_a_high_priority_repair():
    result = check("Mould all over my son's bedroom and his asthma keeps getting worse")
    assert result.route == "repair"
    assert result.priority == 2
    assert any("Awaab" in n for n in result.notes)


def test_sarcastic_complaint_is_a_complaint():
    text = "Oh brilliant, another rent rise and the broken windows are still broken. Great work"
    assert check(text).route == "complaint"


def test_semantic_layer_loads_offline_and_names_its_source():
    model = default_semantic()
    enc = model.encode_many(
        ["Havebury is selling off every home in Sudbury next spring, heard it from staff"]
    )[0]
    probs = model.probabilities(enc)
    assert set(probs) >= {"hate", "misinformation", "threat", "repair", "complaint"}
    assert probs["misinformation"] > probs["repair"]


def test_lexical_view_ships_small_and_is_blended_into_the_heads():
    path = resources.files("moderation.policy").joinpath("data").joinpath(LEXICAL)
    assert len(path.read_bytes()) < 2_000_000
    model = default_semantic()
    assert model.lexical is not None
    assert 0 < model.lexical_weight < 1
    text = "Someone should torch that office with the whole lot of them inside"
    enc = model.encode_many([text])[0]
    encoder_only = dataclasses.replace(enc, text="")  # no text: the encoder's heads alone
    lexical = model.lexical.probabilities(text)["threat"]
    alone = model.probabilities(encoder_only)["threat"]
    blended = model.probabilities(enc)["threat"]
    w = model.lexical_weights.get("threat", model.lexical_weight)
    assert blended == pytest.approx((1 - w) * alone + w * lexical)


def test_check_many_matches_check():
    texts = ["Our boiler is broken", "Immigrants are vermin", "Lovely day at the fun day"]
    batch = check_many([(t, (), False) for t in texts])
    assert [r.categories for r in batch] == [check(t).categories for t in texts]
    assert [r.route for r in batch] == [check(t).route for t in texts]


def _report(rows):
    results = check_many([(r["text"], r.get("links", ()), r.get("has_media", False)) for r in rows])
    by_id = {r["id"]: res for r, res in zip(rows, results, strict=True)}
    return evaluate_own(rows, lambda r: by_id[r["id"]])


def test_tuning_set_is_large_varied_and_split_by_template():
    rows = load_jsonl(str(DATA / "havebury_tuning.jsonl"))
    assert len(rows) >= 1000
    groups = {}
    for r in rows:
        groups.setdefault(r["group"], set()).add(r["split"])
    assert all(len(s) == 1 for s in groups.values()), "a template crosses the split"
    for family in (
        "threat",
        "hate_no_slur",
        "rumour",
        "staff_role",
        "defamation",
        "spam_adult",
        "profanity_infl",
    ):
        assert sum(r["family"] == family for r in rows) >= 40, family


def test_fresh_slice_floor():
    """A regression floor on the frozen fresh slice (measured figures are in docs/evaluation.md)."""
    rows = [json.loads(line) for line in (DATA / "havebury_fresh.jsonl").open(encoding="utf-8")]
    report = _report(rows)
    assert report.harm_recall >= 0.90
    assert report.clean_false_flag_rate <= 0.10
    assert report.route_recall >= 0.85


def test_second_fresh_slice_floor():
    """A regression floor on the second slice (fresh for rounds 2-4; its failures were read in round 5)."""
    report = _report(load_jsonl(str(DATA / "havebury_fresh2.jsonl")))
    assert report.harm_recall >= 0.80
    assert report.clean_false_flag_rate <= 0.10
    assert report.route_recall >= 0.85


def test_rumour_stated_as_fact_without_a_hearsay_cue_quotes_the_claim():
    result = check("Havebury have secretly scrapped the out-of-hours repairs service for bungalows")
    rumour = [f for f in result.flags if f.category == "misinformation"]
    assert len(rumour) == 1
    assert "scrapped" in rumour[0].evidence
    assert "Havebury" not in rumour[0].evidence
    assert not check("Is it true Havebury are scrapping the out-of-hours service?").flags


def test_hate_about_a_group_the_lexicon_lacks_needs_a_surer_head_and_quotes_the_hostile_words():
    result = check("The Lithuanians on our road are a different species, dirty and loud")
    hate = [f for f in result.flags if f.category == "hate"]
    assert hate
    assert "Lithuanians" not in hate[0].evidence


def test_staff_criticism_by_a_plural_job_title():
    assert "staff_criticism" in check("Your repairs planners are an absolute disgrace").categories
    assert not check("The caretakers do a great job on our block").flags


def test_a_repair_that_mentions_who_lives_there_is_a_repair_not_a_personal_issue():
    text = "Rain is pouring in round the window frame in my disabled daughter's bedroom, she can't use the stairs"
    assert check(text).route == "repair"
    assert check("I'm disabled and behind on my rent since my PIP was stopped").route == "personal_issue"


def test_a_repair_found_by_the_semantic_layer_that_affects_health_is_high_priority():
    text = "Rain is pouring in round the window frame in my disabled daughter's bedroom, she can't use the stairs"
    result = check(text)
    repair = [f for f in result.flags if f.category == "repair"]
    assert [f.subtype for f in repair] == ["health_hazard"]
    assert result.priority == HIGH
    assert repair[0].note.startswith("Awaab's Law")
    assert check("Rain is pouring in round the window frame in the bedroom").priority < HIGH


def test_criticism_of_staff_reported_in_their_defence_is_not_flagged():
    assert not check("People said the lettings officer was useless, but she was so kind to my mum").flags
    assert "staff_criticism" in check("The lettings officer was useless and rude to my mum").categories
