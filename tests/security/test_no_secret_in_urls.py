"""No app secret, login code or token ever travels in a URL to a platform (issues 7 and 13).

Proxies, access logs and `requests` exceptions repeat URLs; form bodies and headers they do
not. The fake server records the method and URL of every platform call it receives, and this
test connects, polls (all five) and revokes through all five fakes, then looks for every secret the fakes
issued in those URLs.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from fakeplatforms import DEFAULT_APP_ID, DEFAULT_APP_SECRET
from moderation.channels.linkedin import LinkedInAdapter
from moderation.channels.x import XAdapter
from moderation.channels.youtube import YouTubeAdapter
from moderation.models import Channel
from moderation.services.ingest import channel_poll
from tests.channels.networks import sweep
from tests.channels.test_connect_networks import REDIRECT, build
from tests.channels.test_connect_networks import consent as network_consent
from tests.factories import ChannelFactory, lead
from tests.moderation.test_oauth import consent as meta_consent

pytestmark = pytest.mark.django_db

ADAPTERS = {"x": XAdapter, "youtube": YouTubeAdapter, "linkedin": LinkedInAdapter}
# Query parameters that would carry a secret; none may appear in any platform URL.
SECRET_PARAMS = {"client_secret", "fb_exchange_token", "access_token", "code", "refresh_token", "token"}


def _secrets(fake):
    world = fake.world.data
    found = {DEFAULT_APP_SECRET, "demo-secret", *world["tokens"], *world["codes"]}
    for platform in ("x", "youtube", "linkedin"):
        state = fake.app.handlers[platform].state
        found |= set(state["tokens"]) | set(state["codes"])
        found |= {info["refresh"] for info in state["tokens"].values() if info.get("refresh")}
    return {s for s in found if s}


def test_connecting_polling_and_revoking_put_no_secret_in_any_url(client, fake_platforms, meta_settings):
    fake_platforms.app.seed("demo")
    fb = ChannelFactory(platform="facebook", display_name="Havebury Housing Partnership")
    ig = ChannelFactory(platform="instagram", display_name="haveburyhousing")
    client.force_login(lead())
    assert meta_consent(client, fb).status_code == 302
    assert meta_consent(client, ig).status_code == 302
    for channel in Channel.objects.filter(pk__in=[fb.pk, ig.pk]):
        assert channel.is_connected
        assert channel_poll(channel_id=channel.pk).total("new") > 0
    for platform in ("x", "youtube", "linkedin"):
        connector = build(fake_platforms, platform)
        request = connector.authorization_url(redirect_uri=REDIRECT, state="s")
        code = network_consent(request.url)["code"][0]
        account = connector.connect(code=code, redirect_uri=REDIRECT, code_verifier=request.code_verifier)
        adapter = ADAPTERS[platform](
            base_url=fake_platforms.graph_url(platform),
            token=account.credentials["access_token"],
            account_id=account.account_id,
        )
        items, _, _, _ = sweep(adapter)  # a poll: the token goes in the Authorization header
        assert items, platform
        if platform != "linkedin":
            connector.refresh(credentials=account.credentials)
        connector.revoke(credentials=account.credentials)

    seen = fake_platforms.admin("GET", "requests")["data"]
    secrets = _secrets(fake_platforms)
    assert len(secrets) > 10  # tokens, codes and secrets were issued and are being looked for
    # Both Meta exchanges (code -> token, short -> long-lived) ran, as POSTs, for each connect.
    assert sum(line.startswith("POST /facebook/v26.0/oauth/access_token") for line in seen) == 4
    for path in ("/x/2/users/", "/youtube/youtube/v3/commentThreads", "/linkedin/rest/"):  # their polls too
        assert any(path in line for line in seen), path
    assert [line for line in seen if any(secret in line for secret in secrets)] == []
    named = [line for line in seen if SECRET_PARAMS & set(parse_qs(urlsplit(line.split(" ", 1)[1]).query))]
    assert named == []


def test_the_fake_still_answers_the_documented_get_exchange(fake_platforms):
    """Meta documents the exchange as a GET; the fake keeps answering it for older clients."""
    code = fake_platforms.world.issue_code(user_id="100000000000100", redirect_uri=REDIRECT)
    url = fake_platforms.graph_url("facebook") + "/v26.0/oauth/access_token"
    query = {"client_id": DEFAULT_APP_ID, "client_secret": DEFAULT_APP_SECRET, "redirect_uri": REDIRECT}
    answer = requests.get(url, params={**query, "code": code}, timeout=5)
    assert answer.status_code == 200
    assert answer.json()["access_token"].startswith("EAAU")
    posted = requests.post(url, data={**query, "code": code}, timeout=5)  # a code is used once
    assert posted.json()["error"]["error_subcode"] == 36009
