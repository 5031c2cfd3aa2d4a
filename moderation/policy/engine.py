"""check(): one item's text, links and media in; flags, route, action and priority out.

Pure and fast: the config's patterns are compiled once, each item is normalised once, and
the model (when present) scores each item once. Policy output is advice (docs/architecture.md §1).
"""

from __future__ import annotations

import dataclasses
import functools
import re
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

from moderation.policy.config import PolicyConfig
from moderation.policy.evidence import quotable
from moderation.policy.normalise import normalise
from moderation.policy.result import ACTION_RANK, HIGH, LOW, NORMAL, URGENT, Action, Flag, Result
from moderation.policy.rules import Context
from moderation.policy.rules.abuse import find_harassment, find_profanity
from moderation.policy.rules.claims import find_defamation, find_misinformation
from moderation.policy.rules.hate import find_hate, kind_mention
from moderation.policy.rules.links import SCAM_SOURCES, find_links, find_spam, own_contact_in_spam
from moderation.policy.rules.media import find_copyright, find_image
from moderation.policy.rules.personal_data import find_personal_data
from moderation.policy.rules.routes import (
    about_elsewhere,
    affects_health,
    announcement,
    find_repair,
    find_route,
    neutral_question,
    praise_for_done_repair,
    praises,
    promotes,
    service_failed,
    settled_story,
    sincere_praise,
)
from moderation.policy.rules.staff import find_staff_criticism
from moderation.policy.rules.threats import note_for as threat_note_for
from moderation.policy.semantic_flags import (
    THREAT_NOTE,
    below_floor_allowed,
    is_compliment,
    quote,
    semantic_harm,
    semantic_route,
)

if TYPE_CHECKING:
    from moderation.policy.model import OffensiveModel
    from moderation.policy.semantic import Encoded, SemanticModel

POLICY_VERSION = "GP014/2022-04"
SEMANTIC = "semantic:"  # source prefix of the semantic layer's flags
ABUSE = frozenset({"profanity", "harassment", "hate"})
_DIRECTED = re.compile(r"@\w+|\b(?:you|u|ya|your|ur|yer|youre|you're)\b", re.IGNORECASE)
_HIDING = frozenset({"hide", "hide_and_block"})
# Asking for a complaint in so many words: the Complaint Handling Code says it is one, whoever it names.
_FORMAL_COMPLAINT = re.compile(
    r"\b(?:make|making|raise|raising|log|logging|file|lodge|put in|submit|open)\s+(?:a\s+|an\s+)?(?:formal\s+|official\s+)?"
    r"complaint\b|\b(?:want|wish|going) to complain\b|\bcomplaints? (?:procedure|process|form)\b"
    # The author's own complaint already made ("ignored my complaint for a month", "I've complained twice").
    r"|\b(?:my|our) (?:formal |official )?complaints?\b|\b(?:i|we)(?:'ve| have| had)? complained\b"
)
AWAAB_NOTE = "Awaab's Law: a damp, mould, leak or heating hazard affecting someone's health"
# A subtype's note travels on its flag, so the stored flag says what to do (not only the result).
_NOTES = {"threat": THREAT_NOTE, "health_hazard": AWAAB_NOTE}


def _note(flag: Flag) -> str:
    """A threat's note fits its kind: a call to brigade the page names nobody to check on."""
    return threat_note_for(flag.evidence) if flag.subtype == "threat" else _NOTES[flag.subtype]


@functools.cache
def _shipped_model() -> OffensiveModel | None:
    try:
        from moderation.policy.model import default_model

        return default_model()
    except (ImportError, FileNotFoundError) as exc:
        warnings.warn(
            f"The offensive-language model is not available ({exc}); the policy engine runs on rules only. "
            "Train it with `python manage.py train_classifier`.",
            RuntimeWarning,
            stacklevel=2,
        )
        return None


@functools.cache
def _shipped_semantic() -> SemanticModel | None:
    try:
        from moderation.policy.semantic import default_semantic

        return default_semantic()
    except (ImportError, FileNotFoundError) as exc:
        warnings.warn(
            f"The semantic layer is not available ({exc}); the policy engine runs without it. "
            "Install the pinned requirements (onnxruntime).",
            RuntimeWarning,
            stacklevel=2,
        )
        return None


def model_source(model: OffensiveModel) -> str:
    return f"model:{model.name}@{model.version}"


def _model_flag(ctx: Context, model: OffensiveModel, score: float, text: str) -> Flag:
    terms = model.top_terms(text, k=3)
    start = end = 0
    lowered = text.lower()
    for term, _weight in terms:
        idx = lowered.find(term.lower())
        if idx >= 0:
            start, end = idx, idx + len(term)
            break
    directed = bool(_DIRECTED.search(text))
    category = "harassment" if directed else "profanity"
    words = ", ".join(f'"{t}"' for t, _ in terms) or "its wording"
    return Flag(
        category=category,
        clause="2.3",
        evidence=text[start:end],
        start=start,
        end=end,
        score=score,
        source=model_source(model),
        explanation=f"Reads as offensive{' towards someone' if directed else ''} to the language model "
        f"(score {score:.2f}, mostly {words}); GP014 2.3 (first bullet) rules out offensive content, "
        "so check the context.",
    )


def _semantic_route(
    ctx: Context, semantic: SemanticModel, probs: dict[str, float], rule: Flag | None, enc: Encoded
) -> Flag | None:
    """The rules' route, corrected by the semantic heads where the rules have no opinion."""
    # The compliment head is the least precise (model card): it vetoes a repair only beside a word of
    # praise, so "a big damp patch and it's spreading" stays a repair.
    compliment = is_compliment(semantic, probs) and praises(ctx.text)
    if rule is not None and rule.category == "repair" and rule.subtype != "health_hazard":
        if compliment:
            return None  # praise for a repair already done
        if semantic_route(semantic, probs) == "complaint":
            rule = None  # a complaint wins over a repair (Complaint Handling Code)
    if (
        rule is not None
        and rule.category == "personal_issue"
        and not rule.urgent
        and semantic_route(semantic, probs) == "repair"
        and probs.get("personal_issue", 0.0) < semantic.thresholds.get("personal_issue", 1.0)
        # "a first floor flat with no lift" is a need to move, not a defect
        and (find_repair(ctx) is not None or affects_health(ctx.text))
    ):
        rule = (
            None  # a repair that mentions who lives there ("my disabled son's room"), not their circumstances
        )
    if rule is not None:
        return rule
    head = semantic_route(semantic, probs)
    if head is None and probs.get("complaint", 0.0) >= _COMPLAINT_GATED and service_failed(ctx.text):
        head = "complaint"  # half sure, and the words say a service failed: a complaint by kind
    if (
        announcement(ctx.text)
        or (praise_for_done_repair(ctx.text) and (head != "complaint" or compliment))
        or (head == "complaint" and sincere_praise(ctx.text))  # "Best landlord by a mile" (round 11)
    ):
        return (
            None  # praise that the complaint head reads as sarcasm ("Fantastic, came, looked and left") stays
        )
    if head is None or (head == "repair" and compliment):
        return None
    if head in ("repair", "complaint") and (settled_story(ctx.text) or about_elsewhere(ctx.text)):
        return None  # a fault put right long ago, or a grievance about the news or another landlord

    hazard = head == "repair" and affects_health(ctx.text) and not praise_for_done_repair(ctx.text)
    # The route quotes the words that ask for it, as a harm flag does ("Pissed off waiting three weeks
    # for a callback" once came with empty evidence).
    start, end = quote(ctx, semantic, enc, head)
    return Flag(
        category=head,
        clause="2.4",
        evidence=ctx.original[start:end],
        start=start,
        end=end,
        score=probs[head],
        source=f"semantic:{head}@{semantic.version}",
        explanation=_ROUTE_WHY[head] + (_AWAAB_WHY if hazard else ""),
        subtype="health_hazard" if hazard else "",
    )


# How sure the complaint head must be when the rules see a service that failed (routes.service_failed).
_COMPLAINT_GATED = 0.3
_AWAAB_WHY = (
    " It affects a child's or a vulnerable person's health: Awaab's Law sets timescales to investigate and make"
    " it safe, so treat it as high priority."
)
_ROUTE_WHY = {
    "repair": "Reads as a repair report to the semantic model; GP014 2.4 asks us to take repairs to direct contact.",
    "complaint": "Reads as dissatisfaction with our service to the semantic model; GP014 2.4 and the Housing "
    "Ombudsman's Complaint Handling Code mean we recognise it as a complaint and take it to direct contact.",
    "personal_issue": "Reads as in-depth personal circumstances to the semantic model; GP014 2.4 asks us to move "
    "personal issues to direct contact.",
}


def _with_action(flag: Flag, config: PolicyConfig, auto_hide: float, model_src: str) -> Flag:
    action = config.action_for(flag.category)
    comes_down = flag.category == "hate" or flag.subtype == "threat"
    if (
        action in _HIDING
        and not comes_down
        and (flag.score < auto_hide or flag.source == model_src or flag.source.startswith(SEMANTIC))
    ):
        action = "review"  # a weak or model-only signal is for a person to judge
    # Hate and threats are advised down whoever found them (issue 10, item 3: hate gets action hide);
    # an automatic hide still needs a rule's score (services/escalation.py), never a model alone.
    return dataclasses.replace(flag, action=cast(Action, action))


def _merge(flags: list[Flag], original: str) -> list[Flag]:
    """Overlapping flags of one category become one, over both spans: the one with a subtype (a threat,
    a named person, a health hazard) with its own explanation and score, else the stronger one."""
    out: list[Flag] = []
    for f in sorted(flags, key=lambda f: (f.category, f.start, -f.score)):
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.category == f.category
            and f.start < prev.end
            and prev.clause == f.clause
        ):
            keep, other = sorted((prev, f), key=lambda g: (bool(g.subtype), g.score), reverse=True)
            start, end = min(prev.start, f.start), max(prev.end, f.end)
            out[-1] = dataclasses.replace(
                keep,
                start=start,
                end=end,
                evidence=original[start:end],
                urgent=keep.urgent or other.urgent,
                action=max(keep.action, other.action, key=ACTION_RANK.__getitem__),
            )
        else:
            out.append(f)
    order = {id(f): i for i, f in enumerate(flags)}
    return sorted(out, key=lambda f: order.get(id(f), len(flags)))


def encode_semantic(semantic: SemanticModel, texts: Sequence[str], config: PolicyConfig) -> list[Encoded]:
    """Encode texts with misspelt key words corrected ("theives" -> "thieves"), as the rules read them;
    each token's span still points into the author's text, so the encoder's evidence quotes it."""
    speller = config.speller if config.spelling_semantic else None
    fixed = [speller.for_encoder(t) if speller is not None else None for t in texts]
    encoded = semantic.encode_many([f[0] if f is not None else t for f, t in zip(fixed, texts, strict=True)])
    out: list[Encoded] = []
    for enc, f in zip(encoded, fixed, strict=True):
        if f is not None:
            back = f[1]
            spans = [(back[a], back[b - 1] + 1) if a < b else (back[a], back[a]) for a, b in enc.tokens.spans]
            enc = dataclasses.replace(enc, tokens=dataclasses.replace(enc.tokens, spans=spans))
        out.append(enc)
    return out


def check_many(
    items: Sequence[tuple[str, Sequence[str], bool]],
    *,
    config: PolicyConfig | None = None,
    model: OffensiveModel | None = None,
    use_model: bool = True,
    use_semantic: bool = True,
) -> list[Result]:
    """check() for many (text, links, has_media) items; the semantic layer encodes them in batches."""
    semantic = _shipped_semantic() if use_semantic else None
    encoded: list[Encoded | None] = [None] * len(items)
    if semantic is not None:
        encoded = list(encode_semantic(semantic, [t for t, _, _ in items], config or PolicyConfig.default()))
    return [
        check(t, links=links, has_media=media, config=config, model=model, use_model=use_model,
              use_semantic=use_semantic, _encoded=enc)
        for (t, links, media), enc in zip(items, encoded, strict=True)
    ]  # fmt: skip


def check(
    text: str,
    *,
    links: Sequence[str] = (),
    has_media: bool = False,
    config: PolicyConfig | None = None,
    model: OffensiveModel | None = None,
    use_model: bool = True,
    use_semantic: bool = True,
    _encoded: Encoded | None = None,
) -> Result:
    """Check one item against GP014 2.3-2.5. ``model=None`` uses the shipped model if present."""
    config = config or PolicyConfig.default()
    if model is None and use_model:
        model = _shipped_model()
    if not use_model:
        model = None
    semantic = _shipped_semantic() if use_semantic and text.strip() else None
    score = model.score(text) if model is not None and text else None
    norm = normalise(text)
    if config.speller is not None:
        norm = config.speller.correct(norm)
    ctx = Context(norm=norm, config=config, links=tuple(links), has_media=has_media, model_score=score)
    src = model_source(model) if model is not None else ""
    threshold: float | None = None
    if model is not None:
        threshold = config.threshold("model_flag") or model.threshold()

    harm: list[Flag] = []
    harm += find_profanity(ctx)
    harm += find_harassment(ctx)
    hate_threshold = config.threshold("model_hate_group") or threshold
    harm += find_hate(ctx, model_name=src, model_threshold=hate_threshold)
    harm += find_defamation(ctx)
    harm += find_misinformation(ctx)
    harm += find_personal_data(ctx)
    harm += find_staff_criticism(ctx)
    harm += find_links(ctx) or find_spam(ctx)
    harm += find_copyright(ctx)
    if (
        model is not None
        and score is not None
        and threshold is not None
        and score >= threshold
        and not ctx.suppressed
        and not any(f.category in ABUSE for f in harm)
        # A group named kindly ("Asylum hotels are a policy failure by ministers"): the words that push the
        # word model up are the group's, and its hate flag stood aside for the same reason.
        and not (config.compiled["hate_groups"].search(ctx.text) and kind_mention(ctx))
    ):
        harm.append(_model_flag(ctx, model, score, text))
    probs: dict[str, float] = {}
    enc: Encoded | None = None
    if semantic is not None:
        enc = _encoded if _encoded is not None else encode_semantic(semantic, [text], config)[0]
        probs = semantic.probabilities(enc)
        if model is not None and probs.get("offensive", 1.0) < semantic.thresholds.get("offensive", 0.0):
            # Cascade: the word-level model's flags stand only when the sentence encoder agrees.
            harm = [f for f in harm if f.source != src]
        harm += semantic_harm(ctx, semantic, enc, probs, harm)
    harm = own_contact_in_spam(ctx, harm)
    harm += find_image(ctx, harm)

    flag_min = config.threshold("flag_min")
    auto_hide = config.threshold("auto_hide")
    # flag_min is a floor for the rules' and the word model's scores. A gated semantic head's flag has
    # cleared its own threshold (chosen out of fold for F1) and its gate's cue, so the floor would only
    # undo that choice (a rumour head at 0.42 would silently need 0.5).
    flags = _merge(
        [
            _with_action(f, config, auto_hide, src)
            for f in harm
            if f.score >= flag_min or below_floor_allowed(f)
        ],
        text,
    )
    route_flag = find_route(ctx)
    if semantic is not None and enc is not None:
        route_flag = _semantic_route(ctx, semantic, probs, route_flag, enc)
        if (
            route_flag is not None
            and route_flag.source.startswith(SEMANTIC)
            and any(f.subtype == "threat" or f.category in ("hate", "harassment") for f in flags)
        ):
            # A threat, hate or an insult: the encoder's route guess is the grievance's topic, not a request.
            route_flag = None
    if (
        route_flag is not None
        and route_flag.category == "complaint"
        and route_flag.source.startswith(SEMANTIC)
        and not flags
        and neutral_question(ctx.text)
    ):
        route_flag = None  # asking how or when, with nothing else wrong, is not dissatisfaction
    if (
        route_flag is not None
        and route_flag.category in ("complaint", "personal_issue")
        and not route_flag.urgent
        and any(f.category == "hate" for f in flags)
    ):
        # Hate about a group that names benefits, illness or dirt ("here for the benefits", "filthy") is
        # talk about the group, not the author's own circumstances or a complaint about our service.
        route_flag = None
    if (
        route_flag is not None
        and route_flag.category in ("complaint", "personal_issue")
        and not route_flag.urgent
        and any(f.category == "staff_criticism" for f in flags)
        and not _FORMAL_COMPLAINT.search(ctx.text)
    ):
        # Criticism of a person in a job ("your schedulers are clueless, nobody turned up") is handled
        # under GP014 2.3's third bullet; its grievance is the criticism, not a separate complaint route.
        route_flag = None
    if (
        route_flag is not None
        and route_flag.category == "repair"
        and not route_flag.subtype
        and affects_health(ctx.text)
        and not praise_for_done_repair(ctx.text)
    ):  # a repair the hazard rule missed ("rain pouring in ... my disabled daughter's room")
        route_flag = dataclasses.replace(
            route_flag, subtype="health_hazard", explanation=route_flag.explanation + _AWAAB_WHY
        )
    if (
        route_flag is not None
        and not route_flag.urgent
        and any(
            f.category == "inappropriate_link" and (f.source in SCAM_SOURCES or promotes(ctx.text))
            for f in flags
        )
    ):
        route_flag = (
            None  # a scam's "arrears", "compensation" or "flat to rent" is bait, not the author's matter
        )
    if route_flag is not None:
        flags.append(_with_action(route_flag, config, auto_hide, src))
    flags = [quotable(f, text) for f in flags]
    flags = [dataclasses.replace(f, note=_note(f)) if f.subtype in _NOTES else f for f in flags]
    if (
        route_flag is not None
        and (
            route_flag.category in ("repair", "personal_issue")
            or (route_flag.category == "complaint" and route_flag.source.startswith(SEMANTIC))
        )
        and any(f.category == "misinformation" for f in flags)
    ):
        route_flag = None  # a rumour about the organisation ("benefits stopped for all tenants") is not the author's own matter
    route = route_flag.category if route_flag is not None else None

    action: Action = "none"
    for f in flags:
        if ACTION_RANK[f.action] > ACTION_RANK[action]:
            action = f.action
    notes: list[str] = []
    notes += dict.fromkeys(f.note for f in flags if f.subtype == "threat")
    if route_flag is not None and route_flag.subtype == "health_hazard":
        notes.append(AWAAB_NOTE)
    if route == "complaint" and action in _HIDING:
        # Housing Ombudsman Complaint Handling Code: a complaint is never hidden automatically.
        action = "review"
        notes.append("complaint: never hidden automatically")

    if any(f.urgent for f in flags):
        priority = URGENT
    elif (
        action in _HIDING
        or route == "complaint"
        or any(f.category in ("hate", "personal_data") for f in flags)
        or any(f.subtype in ("named_person", "health_hazard") for f in flags)
    ):
        priority = HIGH
    elif action != "none":
        priority = NORMAL
    else:
        priority = LOW
    return Result(
        flags=tuple(flags),
        route=route,
        action=action,
        priority=priority,
        model_score=score,
        notes=tuple(notes),
        semantic_scores=probs,
    )
