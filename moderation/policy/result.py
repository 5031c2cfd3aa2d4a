"""The engine's output: plain frozen dataclasses an officer can read (docs/architecture.md §1)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Action = Literal["none", "review", "respond_offline", "hide", "hide_and_block"]

HARM_CATEGORIES: tuple[str, ...] = (
    "profanity",
    "harassment",
    "hate",
    "defamation",
    "misinformation",
    "personal_data",
    "staff_criticism",
    "inappropriate_link",
    "inappropriate_image",
    "copyright",
)
ROUTES: tuple[str, ...] = ("repair", "complaint", "personal_issue")
ACTIONS: tuple[Action, ...] = ("none", "respond_offline", "review", "hide", "hide_and_block")
# Severity order used to combine flags: the strongest recommendation wins.
ACTION_RANK: dict[str, int] = {a: i for i, a in enumerate(ACTIONS)}

LOW, NORMAL, HIGH, URGENT = 0, 1, 2, 3


@dataclass(frozen=True, slots=True)
class Flag:
    """One reason to look at an item: the GP014 clause, the evidence and how sure we are."""

    category: str
    clause: str  # "2.3" for harm, "2.4" for routes; the explanation names the bullet
    evidence: str  # the span exactly as the author wrote it
    start: int  # offsets into the original text
    end: int
    score: float  # 0..1
    source: str  # rule id, or "model:<name>@<version>"
    explanation: str  # one sentence an officer can quote back
    action: Action = "review"
    urgent: bool = False
    subtype: str = ""  # e.g. "threat" for a harassment flag that threatens someone
    note: str = ""  # what an officer must do beyond the action: the staff-safety or Awaab's Law note

    def as_dict(self) -> dict[str, object]:
        return {
            "category": self.category,
            "subtype": self.subtype,
            "note": self.note,
            "clause": self.clause,
            "score": round(self.score, 3),
            "evidence": self.evidence,
            "start": self.start,
            "end": self.end,
            "source": self.source,
            "explanation": self.explanation,
        }


@dataclass(frozen=True, slots=True)
class Result:
    """Everything the engine advises for one item. Policy output is advice, never an action."""

    flags: tuple[Flag, ...] = ()
    route: str | None = None
    action: Action = "none"
    priority: int = LOW
    model_score: float | None = None
    notes: tuple[str, ...] = field(default=())
    semantic_scores: Mapping[str, float] = field(default_factory=dict)  # each semantic head's P

    @property
    def categories(self) -> tuple[str, ...]:
        """Harm categories (clause 2.3) found, in first-seen order, without duplicates."""
        seen: dict[str, None] = {}
        for f in self.flags:
            if f.clause == "2.3":
                seen.setdefault(f.category, None)
        return tuple(seen)

    @property
    def clause(self) -> str:
        if any(f.clause == "2.3" for f in self.flags):
            return "2.3"
        return "2.4" if self.route else ""
