import pytest

from fakeplatforms.linkedin import DEMO_LI_ORG_ID
from fakeplatforms.x import DEMO_X_USER_ID
from fakeplatforms.youtube import DEMO_YT_CHANNEL_ID
from moderation.channels.linkedin import LinkedInAdapter
from moderation.channels.x import XAdapter
from moderation.channels.youtube import YouTubeAdapter


def network_token(fake_platforms, platform, lifetime=None):
    return fake_platforms.admin("POST", f"{platform}/token", {"lifetime": lifetime})["access_token"]


@pytest.fixture
def x_adapter(fake_platforms):
    return XAdapter(
        base_url=fake_platforms.graph_url("x"),
        token=network_token(fake_platforms, "x"),
        account_id=DEMO_X_USER_ID,
        username="Havebury",
        timeout=(2.0, 5.0),
    )


@pytest.fixture
def yt_adapter(fake_platforms):
    return YouTubeAdapter(
        base_url=fake_platforms.graph_url("youtube"),
        token=network_token(fake_platforms, "youtube"),
        account_id=DEMO_YT_CHANNEL_ID,
        timeout=(2.0, 5.0),
    )


@pytest.fixture
def li_adapter(fake_platforms):
    return LinkedInAdapter(
        base_url=fake_platforms.graph_url("linkedin"),
        token=network_token(fake_platforms, "linkedin"),
        account_id=DEMO_LI_ORG_ID,
        page_size=10,  # LinkedIn's own default, so small listings already page
        timeout=(2.0, 5.0),
    )
