"""Hostile comments, names and links: wrapped, truncated, shown by real domain; images fetched
only through the allowlist (docs/security.md, "Untrusted content")."""

import pytest
from django.template import Context, Template
from django.urls import reverse
from werkzeug import Response

from moderation.media import MediaRefused, media_fetch
from moderation.templatetags.untrusted import clip, link_domain, safe_link
from tests.factories import ItemFactory, officer


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
