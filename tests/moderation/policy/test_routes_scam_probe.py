"""Issue 10, round 9: routes and scams on comments nobody here had written rules for.

tests/data/routes_scam_probe.jsonl holds 219 comments written for this probe (none copied from the
tuning set, a fresh slice or the issue text) and committed before any rule change: 45 complaints
(sarcastic ones, waiting, being ignored, asking how to complain), 40 personal issues, 12 damp, mould,
leak or heating hazards to a vulnerable person's health, 42 scams with and without a link, and 80
comments that need no route and no link flag (opinions, compliments, thanks, rumours asked about,
news of other landlords, stories of a fault put right, Havebury's own grant posts, scam warnings).
Main before the round: complaints 34/45, scams 24/42 (inappropriate link), false routes 6/122.

tests/data/routes_scam_probe2.jsonl (147 comments in other voices: second-language writers, dialect,
pensioners, romance and advance-fee scammers) was written after the round's first landing and before
its second change, to see how the first generalised: complaints 17/30, personal issues 19/25, scams
18/30, false routes 11/82. tests/data/routes_scam_probe3.jsonl (138 comments: formal letters, text
speak, Scots, parcel and pet scams) was written after the second change and before the third: complaints
19/30, personal issues 18/20, scams 17/25, false routes 8/80. All three are now tuning data; the floors
below hold on all of them.
"""

import json
from pathlib import Path

import pytest

from moderation.policy import check
from moderation.policy.engine import check_many
from moderation.policy.rules.routes import announcement, neutral_question

DATA = Path(__file__).resolve().parents[2] / "data"
ROWS = [
    json.loads(line)
    for name in ("routes_scam_probe.jsonl", "routes_scam_probe2.jsonl", "routes_scam_probe3.jsonl")
    for line in (DATA / name).open()
]


@pytest.fixture(scope="module")
def results():
    out = check_many([(r["text"], r["links"], False) for r in ROWS])
    return {r["id"]: res for r, res in zip(ROWS, out, strict=True)}


def _share(results, family, ok):
    rows = [r for r in ROWS if r["family"] == family]
    missed = [r["text"] for r in rows if not ok(r, results[r["id"]])]
    return 1 - len(missed) / len(rows), missed


@pytest.mark.parametrize("family", ["complaint", "personal_issue", "repair_vulnerable"])
def test_routes_found(results, family):
    share, missed = _share(results, family, lambda r, res: res.route == r["route"])
    assert share >= 0.9, missed


def test_health_hazards_are_high_priority_repairs(results):
    share, missed = _share(
        results, "repair_vulnerable", lambda r, res: any(f.subtype == "health_hazard" for f in res.flags)
    )
    assert share >= 0.9, missed


def test_scams_flagged(results):
    share, missed = _share(results, "scam", lambda r, res: "inappropriate_link" in res.categories)
    assert share >= 0.9, missed


def test_no_false_routes(results):
    rows = [r for r in ROWS if r["route"] is None]
    wrong = [(r["text"], results[r["id"]].route) for r in rows if results[r["id"]].route is not None]
    assert len(wrong) / len(rows) <= 0.02, wrong


def test_scam_hard_negatives_have_no_link_flag(results):
    share, wrong = _share(
        results, "scam_hard_negative", lambda r, res: "inappropriate_link" not in res.categories
    )
    assert share == 1.0, wrong


@pytest.mark.parametrize(
    "text",
    [
        # Round 9d, written after the fourth probe: romance, transfer-only sales, adult leaks, tenancy buyouts.
        "Gorgeous profile dear, I am a widowed engineer offshore, can we chat privately",
        "Selling two tickets to the panto, £15 each, bank transfer only",
        "Leaked nudes of local mums, see them before they get deleted",
        "We buy council tenancies! Tenancy buyout, cash paid, message us",
    ],
)
def test_more_scam_kinds(text):
    result = check(text)
    assert "inappropriate_link" in result.categories, text
    assert result.route is None, text


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("Your parcel could not be delivered, update your card details to rebook", "link.phishing_details"),
        (
            "Lucky draw! You have been chosen to receive a hamper, claim here before midnight",
            "link.fake_prize",
        ),
        ("I can get you band A on the list, small fee, no questions", "link.pay_to_jump"),
        (
            "Flat to let, £450 pcm, I'm overseas for work so the keys come by post once the deposit clears",
            "link.rental_deposit",
        ),
        ("Full refund owed to all tenants, details at havebury-claims.info", "link.impersonation"),
        ("Puppy free to a good home, just pay £60 for the courier", "link.advance_fee"),
        ("Your parcel is waiting, see evri-parcel-support.com to book", "link.impersonation"),
        ("Visit bonusrewardhub.site today for your gift", "link.bad_words"),
        ("For £200 we can get your repair moved to the front of the queue", "link.pay_to_jump"),
        ("Verify your page now at meta-business-help.com", "link.impersonation"),
    ],
)
def test_scams_known_by_their_shape(text, source):
    assert source in {f.source for f in check(text).flags}, text


@pytest.mark.parametrize(
    "text",
    [
        "Warning: texts asking you to confirm your bank details are not from us, we will never ask",
        "Someone offered my mum a move up the waiting list for cash, it's a scam, report them",
        "We're on holiday abroad next month, any tips for cheap flights?",
        "Our kids' fancy dress competition winners are on the noticeboard, well done all",
        "Free puppies to a loving home, we're giving away the last three, ring if interested",
        "Finally got the keys to our bungalow after two years on the list, so happy",
        "Panto tickets on sale at the community centre, £5 each, pay on the door",
        "My ex leaked nudes of me online and I feel sick, please help",
        "Havebury's tenancy support fund can pay up to £150 towards a cooker, apply at havebury.com/support",
    ],
)
def test_not_scams(text):
    assert "inappropriate_link" not in check(text).categories, text


@pytest.mark.parametrize(
    ("text", "route"),
    [
        # A promise not kept, and asking again and again.
        ("They said an engineer would come Monday. That was a month ago.", "complaint"),
        ("Rung six times now about the gutter and every time I call I'm put on hold", "complaint"),
        # Sarcasm.
        ("Oh good, another survey, while we still wait for the fence from last spring", "complaint"),
        # Somebody else's matter, and a fault put right.
        ("Ministers have made a shambles of social housing for decades", None),
        ("The chippy's fryer has broken so no fish tonight", None),
        ("Our shower packed up last summer, they had it working again the same afternoon", None),
        ("The bedroom was damp for ages but it was treated in May and is now fine", None),
        # Counting the asks or the days, nobody saying anything, a cheer before a plain negative.
        ("this is the 4th time I've asked about the broken bin store", "complaint"),
        ("Day 12 of no cooker. Living on takeaways.", "complaint"),
        ("They fitted the meter in June and nobody tells us anything about the bills since", "complaint"),
        ("Oh splendid, the gutters weren't cleared again this autumn", "complaint"),
        # Not ours, put right, or nothing to complain about.
        ("Petrol prices round here are shocking", None),
        ("Honestly can't complain, the flat's warm and the neighbours are quiet", None),
        (
            "The guttering was a nightmare in the storms but the roofers had it all replaced by the weekend",
            None,
        ),
        # Round 9c: the same story each visit, nobody reading, closed without a word, a decision challenged.
        ("Each time anyone comes out about the damp it's 'not my department' again", "complaint"),
        ("They shut my repair request without even asking me if it was done", "complaint"),
        ("I'd like to appeal the decision on my parking permit please", "complaint"),
        ("Standard of the grounds maintenance has really slipped this year", "complaint"),
        ("Not a complaint, just wondering when the new bins arrive", None),
        ("Struggled with the move at first but we love it now", None),
        # Round 9d: plain words of a failed service, with the semantic head half sure.
        ("Rang the housing team every morning this week and nothing back from anyone", "complaint"),
        ("Why should we have to wait in all day for a visit that never happens", "complaint"),
        ("Got three different answers from three different people about my service charge", "complaint"),
        ("No complaints at all, the caretaker keeps the place lovely", None),
        # The author withdraws the grievance.
        (
            "I was going to complain about the bins but it turns out it was my mistake, I put them out on the wrong day",
            None,
        ),
        (
            "My nerves have gone downhill since the break-in and I can't sleep, can I talk to someone",
            "personal_issue",
        ),
    ],
)
def test_complaint_kinds(text, route):
    assert check(text).route == route, text


@pytest.mark.parametrize(
    ("text", "route"),
    [
        (
            "My daughter was born at 30 weeks and is in the neonatal unit, we've fallen behind on everything",
            "personal_issue",
        ),
        (
            "I slipped on ice and broke my wrist so I can't work for six weeks, worried about the rent",
            "personal_issue",
        ),
        ("Dad passed in the spring. Thank you to the caretaker who always had time for him.", None),
        ("The money advice lady helped me claim pension credit, I'd never have known", None),
        # A scam's bait is not the author's need.
        ("Clear your arrears today with our same-day loans, no credit check, inbox", None),
    ],
)
def test_personal_kinds(text, route):
    assert check(text).route == route, text


def test_saying_it_is_no_grievance_is_a_neutral_question():
    # The engine drops the semantic layer's complaint guess for a neutral question.
    assert neutral_question(
        "could someone from lettings give me a ring, no rush, just a question about parking"
    )
    assert not neutral_question("no rush, but the fence has been down for weeks")


def test_a_heads_up_to_neighbours_is_an_announcement():
    assert announcement("heads up everyone, the water is off in birch court from 9 till 12 tomorrow")


def test_image_based_abuse_is_urgent_not_spam():
    result = check("My ex leaked nudes of me online and I feel sick, please help")
    assert result.route == "personal_issue"
    assert any(f.urgent for f in result.flags)
    assert "inappropriate_link" not in result.categories


@pytest.mark.parametrize(
    ("text", "route"),
    [
        # Found by a newcomer's trial of `classify`: "open again" read as the grievance after a cheer.
        ("Lovely to see the community garden open again, the kids had a great time at the fun day!", None),
        ("Great news, the lift is working again. Thanks to the engineer who came out on Sunday", None),
        ("Oh lovely, rent up again and the lift is broken again", "complaint"),
        ("Brilliant, the mould is back again in the baby's room", "repair"),
        ("Great to see the library open again. Shame the heating in my flat still doesn't work", "complaint"),
    ],
)
def test_something_working_again_is_not_the_grievance_after_a_cheer(text, route):
    assert check(text).route == route
