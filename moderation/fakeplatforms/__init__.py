"""A local imitation of the social platforms' APIs, for the demo and the tests (docs/channels.md)."""

from moderation.fakeplatforms.app import DEFAULT_APP_ID, DEFAULT_APP_SECRET, FakePlatforms
from moderation.fakeplatforms.seed import DEMO_IG_USER_ID, DEMO_PAGE_ID, DEMO_USER_ID

__all__ = [
    "DEFAULT_APP_ID",
    "DEFAULT_APP_SECRET",
    "DEMO_IG_USER_ID",
    "DEMO_PAGE_ID",
    "DEMO_USER_ID",
    "FakePlatforms",
]
