"""The Lead settings pages: one entry per editable table (model, fields, permission, help)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import models

from moderation.models import (
    AllowlistedDomain,
    CannedReply,
    CategoryAction,
    Channel,
    OfficeHours,
    PolicyTerm,
    PolicyThreshold,
    ProtectedPerson,
)
from moderation.models.pipeline import AutoActionRule


class ProtectedPersonForm(forms.ModelForm[ProtectedPerson]):
    aliases = forms.CharField(
        required=False, help_text="Other names, separated by commas, e.g. Lauren, L. Eden"
    )

    class Meta:
        model = ProtectedPerson
        fields = ("name", "role", "aliases", "active")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["aliases"] = ", ".join(self.instance.aliases or [])

    def clean_aliases(self) -> list[str]:
        return [a.strip() for a in str(self.cleaned_data.get("aliases") or "").split(",") if a.strip()]


class TimeInput(forms.TimeInput):
    input_type = "time"


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    model: type[models.Model]
    fields: tuple[str, ...]
    perm: str
    help: str
    form: type[forms.ModelForm[Any]] | None = None
    widgets: dict[str, Any] | None = None
    columns: tuple[str, ...] = ()  # what the table shows, when more than the form's fields
    fixed_rows: bool = False  # rows are made elsewhere (e.g. channels): change only, never add or delete

    @property
    def shown(self) -> tuple[str, ...]:
        return self.columns or self.fields

    def form_class(self) -> type[forms.ModelForm[Any]]:
        if self.form is not None:
            return self.form
        return forms.modelform_factory(self.model, fields=self.fields, widgets=self.widgets or {})


POLICY = "moderation.manage_policy"
SECTIONS = {
    s.key: s
    for s in (
        Section(
            "word-lists",
            "Word lists",
            PolicyTerm,
            ("list_name", "term", "exclude", "note"),
            POLICY,
            "Words and phrases added to (or, ticked “exclude”, removed from) the lists the policy "
            "check ships with. Whole words; end a term with * to allow any ending.",
        ),
        Section(
            "protected-people",
            "Protected people",
            ProtectedPerson,
            ("name", "role", "aliases", "active"),
            POLICY,
            "Staff, board directors, panel members and partners: GP014 2.3 does not allow "
            "criticising them by name on our pages, so naming them flags the comment.",
            form=ProtectedPersonForm,
        ),
        Section(
            "domains",
            "Trusted links",
            AllowlistedDomain,
            ("domain", "note"),
            POLICY,
            "Links to these sites (and their subdomains) are never flagged as inappropriate links.",
        ),
        Section(
            "thresholds",
            "Thresholds",
            PolicyThreshold,
            ("key", "value"),
            POLICY,
            "How sure the checks must be (0 to 1) before they flag (flag_min), suggest hiding "
            "(auto_hide) or trust the model alone (model_flag, model_hate_group).",
        ),
        Section(
            "category-actions",
            "Suggested actions",
            CategoryAction,
            ("category", "action"),
            POLICY,
            "The action the queue suggests for each category, e.g. “Hide and block” for hate speech.",
        ),
        Section(
            "automatic-actions",
            "Automatic actions",
            AutoActionRule,
            ("category", "enabled", "min_score"),
            POLICY,
            "Hide an item at once when a flag of this category is at least this sure. The hide "
            "can be undone, is audited, and the item stays in the queue for an officer. "
            "Repairs, complaints and personal issues are never automatic.",
        ),
        Section(
            "canned-replies",
            "Canned replies",
            CannedReply,
            ("title", "route", "body", "active"),
            "moderation.change_cannedreply",
            "Ready replies, including the GP014 2.4 signposting templates. Placeholders: {name} "
            "(the author), {officer} (your first name), {channel}. Set the route to suggest it "
            "for repairs, complaints or personal issues.",
        ),
        Section(
            "poll-intervals",
            "Poll intervals",
            Channel,
            ("poll_interval", "busy_poll_interval", "night_poll_interval"),
            "moderation.manage_channels",
            "How often each channel is read, in seconds (at least 30): the normal interval in office "
            "hours, the busy one while a thread has 5 or more new comments in 15 minutes (at any "
            "hour), and the night one outside office hours. Polls slow down on their own when the "
            "platform's allowance runs low and back off after failures. Changes apply at the next "
            "poll, without a restart.",
            columns=("platform", "handle", "poll_interval", "busy_poll_interval", "night_poll_interval"),
            fixed_rows=True,
        ),
        Section(
            "office-hours",
            "Office hours",
            OfficeHours,
            ("weekday", "opens", "closes"),
            "moderation.change_officehours",
            "When officers respond. Due-by times count only these hours; arrivals outside them "
            "are marked “Out of hours”. Leave both times empty for a closed day.",
            widgets={"opens": TimeInput(format="%H:%M"), "closes": TimeInput(format="%H:%M")},
        ),
    )
}


def row_cells(section: Section, row: models.Model) -> list[str]:
    cells = []
    for name in section.shown:
        display = getattr(row, f"get_{name}_display", None)
        value = display() if callable(display) else getattr(row, name)
        if isinstance(value, bool):
            value = "Yes" if value else "No"
        elif isinstance(value, list):
            value = ", ".join(map(str, value))
        cells.append("" if value is None else str(value))
    return cells
