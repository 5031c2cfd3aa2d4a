"""Connecting X, YouTube and LinkedIn through the fake consent screens, over loopback HTTP."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from fakeplatforms.linkedin import DEMO_LI_ORG_ID
from fakeplatforms.x import DEMO_X_USER_ID
from fakeplatforms.youtube import DEMO_YT_CHANNEL_ID
from moderation.channels.base import ChannelAuthError, ChannelNotConfigured
from moderation.channels.linkedin.connect import SCOPES as LI_SCOPES
from moderation.channels.linkedin.connect import LinkedInConnector
from moderation.channels.x.connect import SCOPES as X_SCOPES
from moderation.channels.x.connect import XConnector
from moderation.channels.youtube.connect import SCOPES as YT_SCOPES
from moderation.channels.youtube.connect import YouTubeConnector

REDIRECT = "http://127.0.0.1:8000/channels/oauth/callback/"


def build(fake, platform):
    base = fake.graph_url(platform)
    options = {
        "base_url": base,
        "client_id": "demo-client",
        "client_secret": "demo-secret",
        "timeout": (2.0, 5.0),
    }
    if platform == "x":
        return XConnector(
            **options,
            authorize_url=f"{base}/i/oauth2/authorize",
            token_url=f"{base}/2/oauth2/token",
            revoke_url=f"{base}/2/oauth2/revoke",
            scopes=X_SCOPES,
        )
    if platform == "youtube":
        return YouTubeConnector(
            **options,
            authorize_url=f"{base}/o/oauth2/v2/auth",
            token_url=f"{base}/token",
            revoke_url=f"{base}/revoke",
            scopes=YT_SCOPES,
        )
    return LinkedInConnector(
        **options,
        authorize_url=f"{base}/oauth/v2/authorization",
        token_url=f"{base}/oauth/v2/accessToken",
        revoke_url=f"{base}/oauth/v2/revoke",
        scopes=LI_SCOPES,
    )


def consent(url):
    answer = requests.post(url, data={"decision": "allow"}, allow_redirects=False, timeout=5)
    return parse_qs(urlsplit(answer.headers["Location"]).query)


@pytest.mark.parametrize(
    ("platform", "account_id", "name"),
    [
        ("x", DEMO_X_USER_ID, "@Havebury"),
        ("youtube", DEMO_YT_CHANNEL_ID, "Havebury Housing Partnership"),
        ("linkedin", DEMO_LI_ORG_ID, "Havebury Housing Partnership"),
    ],
)
def test_connect_refresh_and_revoke(fake_platforms, platform, account_id, name):
    connector = build(fake_platforms, platform)
    request = connector.authorization_url(redirect_uri=REDIRECT, state="s1")
    assert bool(request.code_verifier) == (platform == "x")  # X requires PKCE
    query = consent(request.url)
    assert query["state"] == ["s1"]
    account = connector.connect(
        code=query["code"][0], redirect_uri=REDIRECT, code_verifier=request.code_verifier
    )
    assert (account.account_id, account.name) == (account_id, name)
    assert account.token_expires_in
    assert account.credentials["access_token"]
    renewed, expires = (
        connector.refresh(credentials=account.credentials) if platform != "linkedin" else (None, None)
    )
    if renewed is not None:
        assert renewed["access_token"] != account.credentials["access_token"]
        assert expires
    connector.revoke(credentials=account.credentials)
    info = fake_platforms.app.handlers[platform].state["tokens"][account.credentials["access_token"]]
    assert info["revoked"] is True


def test_a_code_is_used_once_and_pkce_is_checked(fake_platforms):
    connector = build(fake_platforms, "x")
    request = connector.authorization_url(redirect_uri=REDIRECT, state="s")
    code = consent(request.url)["code"][0]
    with pytest.raises(ChannelAuthError, match="code_verifier"):
        connector.connect(code=code, redirect_uri=REDIRECT, code_verifier="wrong" * 10)
    request = connector.authorization_url(redirect_uri=REDIRECT, state="s")
    code = consent(request.url)["code"][0]
    connector.connect(code=code, redirect_uri=REDIRECT, code_verifier=request.code_verifier)
    with pytest.raises(ChannelAuthError, match="already used"):
        connector.connect(code=code, redirect_uri=REDIRECT, code_verifier=request.code_verifier)
    with pytest.raises(ChannelAuthError):
        connector.connect(code="", redirect_uri=REDIRECT)


def test_missing_app_credentials_say_which_settings_to_set(fake_platforms):
    with pytest.raises(ChannelNotConfigured, match="GOOGLE_CLIENT_ID"):
        YouTubeConnector(base_url="http://127.0.0.1:9", authorize_url="a", token_url="t")
