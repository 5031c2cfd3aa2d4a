"""The channel registry and its start-up check (moderation.E010): a bad entry is named, not a crash later."""

import pytest
from django.core.checks import run_checks

from moderation.channels import registry
from moderation.channels.base import ChannelNotConfigured
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


def test_an_adapter_that_narrows_capabilities_it_lacks_is_reported(settings):
    from moderation.channels.meta.instagram import InstagramAdapter

    class Broken(InstagramAdapter):
        capabilities_by_kind = {"mention": frozenset({"block"})}  # Instagram cannot block at all

    settings.MODERATION_CHANNELS = {"instagram": {"ADAPTER": f"{__name__}.BROKEN"}}
    globals()["BROKEN"] = Broken
    problems = registry.validate(settings.MODERATION_CHANNELS, known_platforms=KNOWN)
    assert any("capabilities_by_kind['mention'] must narrow" in p for p in problems), problems


def test_a_platform_with_no_entry_has_no_adapter_and_says_so(settings):
    settings.MODERATION_CHANNELS = {}
    with pytest.raises(ChannelNotConfigured, match="no adapter for x yet"):
        registry.adapter_class("x", settings.MODERATION_CHANNELS)
    assert registry.capabilities("x", settings.MODERATION_CHANNELS) == frozenset()
    assert "no adapter for x yet" in registry.connect_problem("x", settings.MODERATION_CHANNELS)
