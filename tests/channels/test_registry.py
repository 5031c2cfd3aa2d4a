"""The channel registry and its start-up check (moderation.E010): a bad entry is named, not a crash later."""

import pytest
from django.core.checks import run_checks

from moderation.channels import registry
from moderation.channels.base import ChannelNotConfigured, HasBudgetDay, HasDailyQuota
from moderation.models import Platform

KNOWN = frozenset(Platform.values)
FB = "moderation.channels.meta.facebook.FacebookPageAdapter"


def test_the_shipped_registry_is_valid(settings):
    assert registry.validate(settings.MODERATION_CHANNELS, known_platforms=KNOWN) == []
    assert not [e for e in run_checks() if e.id == "moderation.E010"]


@pytest.mark.parametrize(
    ("entry", "platform", "expected"),
    [
        ({"ADAPTER": "moderation.channels.meta.nowhere.Adapter"}, "facebook", "does not import"),
        ({"ADAPTER": FB}, "instagram", "says its platform is 'facebook'"),
        ({"ADAPTER": FB}, "myspace", "not a platform the data model knows"),
        ({}, "facebook", "needs an ADAPTER"),
        ({"ADAPTER": FB, "OPTIONS": ["x"]}, "facebook", "OPTIONS must be a dict"),
        ({"ADAPTER": FB, "WEBHOOK": "moderation.channels.meta.login.FacebookConnector"}, "facebook", "lacks"),
        ({"ADAPTER": "moderation.channels.fake.FakeChannel"}, "facebook", "says its platform is 'fake'"),
    ],
)
def test_bad_entries_are_reported_by_the_system_check(settings, entry, platform, expected):
    settings.MODERATION_CHANNELS = {platform: entry}
    problems = registry.validate(settings.MODERATION_CHANNELS, known_platforms=KNOWN)
    assert any(expected in p for p in problems), problems
    errors = [e for e in run_checks() if e.id == "moderation.E010"]
    assert errors
    assert any(expected in e.msg for e in errors)


def _problems_with_instagram_adapter(settings, **declarations):
    """What validate says of an Instagram adapter with these class attributes changed."""
    from moderation.channels.meta.instagram import InstagramAdapter

    settings.MODERATION_CHANNELS = {"instagram": {"ADAPTER": f"{__name__}.BROKEN"}}
    globals()["BROKEN"] = type("Broken", (InstagramAdapter,), declarations)
    return registry.validate(settings.MODERATION_CHANNELS, known_platforms=KNOWN)


def test_an_adapter_that_narrows_capabilities_it_lacks_is_reported(settings):
    # Instagram cannot block at all.
    problems = _problems_with_instagram_adapter(
        settings, capabilities_by_kind={"mention": frozenset({"block"})}
    )
    assert any("capabilities_by_kind['mention'] must narrow" in p for p in problems), problems


@pytest.mark.parametrize("notes", ["unsupported", "action_notes"])
def test_an_adapter_that_does_not_declare_its_action_notes_is_reported(settings, notes):
    """The capability matrix and refusal notes read them with no default (channels/base.ChannelAdapter)."""
    problems = _problems_with_instagram_adapter(settings, **{notes: None})
    assert any(f"Broken.{notes} must be a mapping" in p for p in problems), problems
    assert _problems_with_instagram_adapter(settings, **{notes: {"hide": "held for review"}}) == []


def test_a_platform_with_no_entry_has_no_adapter_and_says_so(settings):
    settings.MODERATION_CHANNELS = {}
    with pytest.raises(ChannelNotConfigured, match="no adapter for x yet"):
        registry.adapter_class("x", settings.MODERATION_CHANNELS)
    assert registry.capabilities("x", settings.MODERATION_CHANNELS) == frozenset()
    assert "no adapter for x yet" in registry.connect_problem("x", settings.MODERATION_CHANNELS)


def test_a_budgeted_adapter_is_one_the_usage_ledger_counts_from_the_start(settings):
    """services/usage.py counts only adapters that implement the whole HasDailyQuota: one with a
    budget day but, say, no `units_recorded` until told what was spent would go uncounted."""
    config = settings.MODERATION_CHANNELS
    budgeted = []
    for platform in registry.configured_platforms(config):
        adapter = registry.adapter_for(
            platform, config=config, credentials={"access_token": "t"}, account_id="1"
        )
        assert isinstance(adapter, HasBudgetDay) == isinstance(adapter, HasDailyQuota), platform
        budgeted += [platform] if isinstance(adapter, HasDailyQuota) else []
    assert budgeted == ["x", "youtube"]
