"""Fetching a comment's image server-side, only from platform CDNs (no SSRF).

The queue never loads a comment's image by itself: an officer clicks "Show image", and this
fetches it through an allowlist of platform media hosts (MEDIA_FETCH_ALLOWED_HOSTS), after
checking that every address the host resolves to is public, with connect/read timeouts, no
redirects and a size cap, and only if the answer is an image.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests


class MediaRefused(Exception):
    """The URL is not one we fetch; the message says why."""


@dataclass(frozen=True, slots=True)
class Media:
    content: bytes
    content_type: str


def _host_allowed(host: str, allowed: list[str]) -> bool:
    return any(host == suffix or host.endswith("." + suffix) for suffix in allowed)


def _public_addresses_only(host: str, port: int) -> None:
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise MediaRefused(f"{host} does not resolve.") from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise MediaRefused(f"{host} resolves to a private or local address ({address}).")


def media_fetch(
    url: str,
    *,
    allowed_hosts: list[str],
    max_bytes: int,
    timeout: tuple[float, float],
    allow_private: bool = False,
) -> Media:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("https", "http") or not host:
        raise MediaRefused("Only http(s) media links are fetched.")
    if not _host_allowed(host, allowed_hosts):
        raise MediaRefused(f"{host} is not a platform media host (MEDIA_FETCH_ALLOWED_HOSTS).")
    if not allow_private:  # tests serve media from 127.0.0.1 and say so
        _public_addresses_only(host, parts.port or (443 if parts.scheme == "https" else 80))
    try:
        with requests.get(url, timeout=timeout, stream=True, allow_redirects=False) as response:
            if response.status_code != 200:
                raise MediaRefused(f"The media host answered {response.status_code}.")
            content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if not content_type.startswith("image/") or content_type == "image/svg+xml":
                raise MediaRefused(f"Not an image ({content_type or 'no type'}).")
            body = b""
            for chunk in response.iter_content(64 * 1024):
                body += chunk
                if len(body) > max_bytes:
                    raise MediaRefused(f"The image is larger than {max_bytes} bytes.")
    except requests.RequestException as exc:
        raise MediaRefused(f"The media host did not answer in time ({type(exc).__name__}).") from exc
    return Media(content=body, content_type=content_type)
