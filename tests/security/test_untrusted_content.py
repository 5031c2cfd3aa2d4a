"""Hostile comments, names and links: wrapped, truncated, shown by real domain; images fetched
only through the allowlist (docs/security.md, "Untrusted content")."""

import socket
import time

import pytest
import requests
from django.template import Context, Template
from django.urls import reverse
from werkzeug import Response

from moderation.media import MediaRefused, _PinnedAdapter, media_fetch
from moderation.templatetags.untrusted import clip, link_domain, safe_link
from tests.factories import ItemFactory, officer
from tests.helpers import run_python


@pytest.fixture(scope="session")
def httpserver_listen_address():
    return ("127.0.0.1", 0)


def test_links_show_their_real_domain_and_open_without_referrer():
    html = safe_link("https://evil.example/login?next=https://havebury.com")
    assert ">evil.example</a>" in html
    assert 'rel="noopener noreferrer nofollow"' in html
    assert 'target="_blank"' in html


def test_look_alike_domains_show_as_punycode():
    assert link_domain("https://h\u0430vebury.com/") == "xn--hvebury-2fg.com"  # a Cyrillic a


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,<script>x</script>", "//", "not a url"]
)
def test_non_http_links_are_plain_escaped_text(url):
    html = safe_link(url)
    assert "<a " not in html
    assert "<script>" not in html


def test_clip_truncates_long_unbroken_strings():
    assert len(clip("x" * 300, 60)) == 60
    assert clip(None) == ""


def test_templates_can_load_the_filters():
    html = Template("{% load untrusted %}{{ url|safe_link }} {{ name|clip:10 }}").render(
        Context({"url": "https://example.org/a", "name": "A" * 40})
    )
    assert "example.org" in html
    assert "AAAAAAAAA…" in html


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://evil.example/x.jpg", "not a platform media host"),
        ("https://127.0.0.1/x.jpg", "not a platform media host"),
        ("file:///etc/passwd", "Only http"),
        ("http://169.254.169.254/latest/meta-data/", "not a platform media host"),
    ],
)
def test_media_outside_the_allowlist_is_never_fetched(url, reason):
    with pytest.raises(MediaRefused, match=reason):
        media_fetch(url, allowed_hosts=["fbcdn.net"], max_bytes=1000, timeout=(1, 1))


def test_an_allowlisted_name_that_resolves_to_a_private_address_is_refused():
    # "localhost" stands for a CDN name an attacker pointed at an internal address.
    with pytest.raises(MediaRefused, match="private or local address"):
        media_fetch("http://localhost/x.jpg", allowed_hosts=["localhost"], max_bytes=1000, timeout=(1, 1))


def _serve(httpserver, body, content_type):
    httpserver.expect_request("/img").respond_with_response(Response(body, content_type=content_type))
    return httpserver.url_for("/img")


def test_fetch_returns_an_image_within_the_size_limit(httpserver):
    url = _serve(httpserver, b"\x89PNG" + b"0" * 100, "image/png")
    media = media_fetch(url, allowed_hosts=["127.0.0.1"], max_bytes=1000, timeout=(2, 2), allow_private=True)
    assert media.content_type == "image/png"
    assert media.content.startswith(b"\x89PNG")


def test_fetch_refuses_oversized_and_non_image_answers(httpserver):
    url = _serve(httpserver, b"0" * 5000, "image/jpeg")
    with pytest.raises(MediaRefused, match="larger than 1000"):
        media_fetch(url, allowed_hosts=["127.0.0.1"], max_bytes=1000, timeout=(2, 2), allow_private=True)
    httpserver.clear()
    url = _serve(httpserver, b"<svg onload=alert(1)>", "image/svg+xml")
    with pytest.raises(MediaRefused, match="Not an image"):
        media_fetch(url, allowed_hosts=["127.0.0.1"], max_bytes=1000, timeout=(2, 2), allow_private=True)


@pytest.mark.django_db
def test_item_media_view_fetches_on_request_and_sandboxes_it(client, httpserver, settings):
    settings.MEDIA_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.MEDIA_FETCH_ALLOW_PRIVATE = True
    item = ItemFactory(media_urls=[_serve(httpserver, b"GIF89a", "image/gif")])
    client.force_login(officer())
    response = client.get(reverse("moderation:item-media", args=[item.pk, 0]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/gif"
    assert "sandbox" in response["Content-Security-Policy"]
    assert client.get(reverse("moderation:item-media", args=[item.pk, 1])).status_code == 404
    settings.MEDIA_FETCH_ALLOW_PRIVATE = False
    assert client.get(reverse("moderation:item-media", args=[item.pk, 0])).status_code == 502


PLATFORM_PHOTO = "https://scontent-lhr8-1.xx.fbcdn.net/v/t39/stairwell.jpg?oh=abc&oe=def"


@pytest.mark.django_db
def test_the_item_page_never_links_or_loads_the_platforms_copy(client):
    """Images only behind a click, and only through the fetch view (issue 13 §4)."""
    item = ItemFactory(media_urls=[PLATFORM_PHOTO, "https://scontent.cdninstagram.com/v/other.jpg"])
    client.force_login(officer())
    page = client.get(reverse("moderation:item", args=[item.pk])).content.decode()
    assert "fbcdn.net" not in page
    assert "cdninstagram.com" not in page
    assert "<img" not in page  # nothing is loaded until the officer asks
    for index in (0, 1):
        assert f'href="{reverse("moderation:item-media", args=[item.pk, index])}"' in page
        assert f'hx-get="{reverse("moderation:item-media-show", args=[item.pk, index])}"' in page
    shown = client.get(reverse("moderation:item-media-show", args=[item.pk, 0])).content.decode()
    assert f'<img src="{reverse("moderation:item-media", args=[item.pk, 0])}"' in shown
    assert "fbcdn.net" not in shown
    assert client.get(reverse("moderation:item-media-show", args=[item.pk, 2])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "http://127.0.0.1:6379/",
        "http://[::1]/x.png",
        "http://10.0.0.5/internal.png",
        "file:///etc/passwd",
    ],
)
def test_the_fetch_view_never_reaches_an_internal_address(client, settings, url):
    settings.MEDIA_FETCH_ALLOW_PRIVATE = False
    item = ItemFactory(media_urls=[url])
    client.force_login(officer())
    response = client.get(reverse("moderation:item-media", args=[item.pk, 0]))
    assert response.status_code == 502
    assert response["Content-Type"].startswith("text/plain")


@pytest.mark.django_db
def test_an_allowlisted_host_that_resolves_to_a_private_address_is_not_fetched(client, settings, httpserver):
    """Even a host on the allowlist is refused when it resolves to a private address (DNS games)."""
    settings.MEDIA_FETCH_ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    settings.MEDIA_FETCH_ALLOW_PRIVATE = False
    url = _serve(httpserver, b"\x89PNG" + b"0" * 10, "image/png").replace("127.0.0.1", "localhost")
    item = ItemFactory(media_urls=[url])
    client.force_login(officer())
    response = client.get(reverse("moderation:item-media", args=[item.pk, 0]))
    assert response.status_code == 502
    assert b"private or local address" in response.content
    assert httpserver.log == []  # no request left the app


def test_a_redirect_is_not_followed(httpserver):
    httpserver.expect_request("/img").respond_with_response(
        Response(status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"})
    )
    with pytest.raises(MediaRefused, match="answered 302"):
        media_fetch(
            httpserver.url_for("/img"),
            allowed_hosts=["127.0.0.1"],
            max_bytes=1000,
            timeout=(2, 2),
            allow_private=True,
        )


def test_a_host_that_never_answers_is_given_up_on_in_time():
    with socket.socket() as silent:  # accepts the connection (backlog) and never says a word
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/img.png"
        started = time.monotonic()
        with pytest.raises(MediaRefused, match="did not answer in time"):
            media_fetch(
                url, allowed_hosts=["127.0.0.1"], max_bytes=1000, timeout=(0.5, 0.5), allow_private=True
            )
        assert time.monotonic() - started < 5


def test_private_addresses_cannot_be_allowed_in_a_hardened_deployment(tmp_path):
    code = (
        "import os, django; os.environ['DJANGO_SETTINGS_MODULE']='havebury_social.settings.base'; django.setup()\n"
        "from django.conf import settings; print(settings.HARDENED, settings.MEDIA_FETCH_ALLOW_PRIVATE)"
    )
    demo = run_python(code, tmp_path, MEDIA_FETCH_ALLOW_PRIVATE="1")
    hardened = run_python(code, tmp_path, MEDIA_FETCH_ALLOW_PRIVATE="1", DJANGO_SECRET_KEY="x" * 50)
    assert demo.stdout.split() == ["False", "True"], demo.stderr
    assert hardened.stdout.split() == ["True", "False"], hardened.stderr


def test_the_fetch_connects_to_the_address_it_checked(httpserver, monkeypatch):
    """DNS rebinding: the name is resolved once, for the check, and the connection goes to that
    address; a second lookup (which could answer an internal address) never happens."""
    url = _serve(httpserver, b"\x89PNG" + b"0" * 10, "image/png").replace("127.0.0.1", "rebind.invalid")
    lookups = []
    real = socket.getaddrinfo

    def resolve(host, port, *args, **kwargs):
        if host != "rebind.invalid":
            return real(host, port, *args, **kwargs)
        lookups.append(host)
        if len(lookups) > 1:
            raise socket.gaierror("a second lookup: it could have answered anything")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    media = media_fetch(
        url, allowed_hosts=["rebind.invalid"], max_bytes=1000, timeout=(1, 1), allow_private=True
    )
    assert media.content.startswith(b"\x89PNG")
    assert lookups == ["rebind.invalid"]
    assert httpserver.log[0][0].headers["Host"].startswith("rebind.invalid:")  # the name, not the address


def test_the_pinned_connection_ignores_what_the_name_resolves_to_later(httpserver):
    """The adapter itself: the URL's host is a name that does not resolve at all, yet the
    request reaches the pinned address."""
    url = _serve(httpserver, b"\x89PNG", "image/png").replace("127.0.0.1", "nowhere.invalid")
    session = requests.Session()
    session.mount("http://", _PinnedAdapter("nowhere.invalid", "127.0.0.1"))
    with session:
        assert session.get(url, timeout=2).content == b"\x89PNG"
