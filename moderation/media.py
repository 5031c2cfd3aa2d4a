"""Fetching a comment's image server-side, only from platform CDNs (no SSRF).

The queue never loads a comment's image by itself: an officer clicks "Show image", and this
fetches it through an allowlist of platform media hosts (MEDIA_FETCH_ALLOWED_HOSTS), after
checking that every address the host resolves to is public, with connect/read timeouts, no
redirects and a size cap, and only if the answer is an image. The connection goes to the
address that was checked (the name is not resolved a second time), so a DNS answer that changes
between the check and the request cannot point the fetch at an internal address.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter


class MediaRefused(Exception):
    """The URL is not one we fetch; the message says why."""


@dataclass(frozen=True, slots=True)
class Media:
    content: bytes
    content_type: str


def _host_allowed(host: str, allowed: list[str]) -> bool:
    return any(host == suffix or host.endswith("." + suffix) for suffix in allowed)


def _checked_address(host: str, port: int, *, allow_private: bool) -> str:
    """The address to connect to, after checking every address the host resolves to."""
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise MediaRefused(f"{host} does not resolve.") from exc
    addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
    if not addresses:
        raise MediaRefused(f"{host} does not resolve.")
    for address in addresses:
        if not allow_private and not address.is_global:  # tests and the demo serve 127.0.0.1
            raise MediaRefused(f"{host} resolves to a private or local address ({address}).")
    return str(addresses[0])


class _PinnedAdapter(HTTPAdapter):
    """Connects to one checked address while the URL, Host header and TLS name stay the host's."""

    def __init__(self, host: str, address: str) -> None:
        super().__init__(max_retries=0)
        self.host, self.address = host, address

    def build_connection_pool_key_attributes(  # type: ignore[override]
        self, request: requests.PreparedRequest, verify: bool | str, cert: Any = None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        built = super().build_connection_pool_key_attributes(request, verify, cert)
        host_params: dict[str, Any] = dict(built[0])
        pool_kwargs: dict[str, Any] = dict(built[1])
        host_params["host"] = self.address
        if host_params["scheme"] == "https":
            pool_kwargs["server_hostname"] = self.host  # SNI and the certificate check use the name
            pool_kwargs["assert_hostname"] = self.host
        return host_params, pool_kwargs


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
    address = _checked_address(
        host, parts.port or (443 if parts.scheme == "https" else 80), allow_private=allow_private
    )
    session = requests.Session()
    session.trust_env = False  # no proxy from the environment: the checked address is the peer
    session.mount(f"{parts.scheme}://", _PinnedAdapter(host, address))
    try:
        # urllib3 would name the pinned address in Host; the CDN needs its own name there.
        name = f"[{host}]" if ":" in host else host  # an IPv6 literal keeps its brackets
        host_header = name if parts.port is None else f"{name}:{parts.port}"
        with session.get(
            url, headers={"Host": host_header}, timeout=timeout, stream=True, allow_redirects=False
        ) as response:
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
    finally:
        session.close()
    return Media(content=body, content_type=content_type)
