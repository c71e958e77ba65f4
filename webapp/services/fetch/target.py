"""One parse and one resolution of a user-supplied URL: the Target a fetch connects to.

The URL is parsed only by urllib3's parse_url (what the connection is made from), so no
second parser can read another host out of it; the host is resolved only here, and the
connection goes to one of the addresses vetted here, so a second DNS answer never counts.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from urllib3.exceptions import LocationParseError
from urllib3.util import parse_url

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
# (host, port) -> IP address strings, in the order to try them; tests pass their own.
Resolver = Callable[[str, int], list[str]]

DEFAULT_PORTS = {"http": 80, "https": 443}
PRIVATE = "That address is on a private or local network and cannot be imported."
INVALID = "That is not a valid web address."

_OCTET = r"(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_DOTTED_QUAD = re.compile(rf"{_OCTET}(\.{_OCTET}){{3}}")
# A last label like these makes the host an IPv4 address to resolvers (inet_aton).
_NUMERIC_LABEL = re.compile(r"[0-9]+|0x[0-9a-f]*")
_HOST_NAME = re.compile(r"[a-z0-9_-]+(\.[a-z0-9_-]+)*\.?")
# The authority as parse_url reads it (it stops at a backslash, which is refused first).
_AUTHORITY = re.compile(r"[a-z][a-z0-9+.-]*://([^/?#]*)", re.IGNORECASE)
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
# Local-use NAT64 (RFC 8215) and Teredo: not globally reachable, whatever they embed.
_NEVER_PUBLIC = (ipaddress.IPv6Network("64:ff9b:1::/48"), ipaddress.IPv6Network("2001::/32"))


class FetchError(Exception):
    """The page could not be fetched; the message is shown to the user."""


@dataclass(frozen=True)
class Target:
    """A URL as it will be fetched: its parts, and the vetted addresses to connect to."""

    url: str
    scheme: str
    host: str  # lowercase; an IPv6 literal without brackets
    port: int
    request_uri: str
    addresses: tuple[str, ...]

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == DEFAULT_PORTS[self.scheme] else f"{host}:{self.port}"


def system_resolve(host: str, port: int) -> list[str]:
    """The addresses the operating system's resolver gives for `host`."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [info[4][0] for info in infos]


def check_url(url: str, allowed_hosts: list[str], resolve: Resolver = system_resolve) -> Target:
    """Parse `url` and resolve its host once; raise FetchError unless it is http(s), written
    plainly, and every address is public (or the host is in `allowed_hosts`)."""
    scheme, host, port, request_uri = _parse(url)
    addresses = _addresses(host, port, resolve)
    if not _is_allowed(host, port, allowed_hosts) and not all(map(is_public_address, addresses)):
        raise FetchError(PRIVATE)
    return Target(url, scheme, host, port, request_uri, tuple(map(str, addresses)))


def _parse(url: str) -> tuple[str, str, int, str]:
    if any(unicodedata.category(char) in ("Cc", "Cf", "Zs", "Zl", "Zp") for char in url):
        raise FetchError("Web addresses with spaces or control characters cannot be imported.")
    if "\\" in url:
        raise FetchError("Web addresses with a backslash cannot be imported.")
    try:
        parts = parse_url(url)
    except LocationParseError as exc:
        raise FetchError(INVALID) from exc
    if parts.scheme not in DEFAULT_PORTS:
        raise FetchError("Only http:// and https:// URLs can be imported.")
    authority = _AUTHORITY.match(url)
    if parts.auth is not None or (authority and "@" in authority.group(1)):
        raise FetchError(
            "Web addresses with a user name or password (user@host) cannot be imported."
        )
    if not parts.host or parts.port == 0:
        raise FetchError(INVALID)
    return (
        parts.scheme,
        _check_host(parts.host),
        parts.port or DEFAULT_PORTS[parts.scheme],
        parts.request_uri,
    )


def _check_host(host: str) -> str:
    if host.startswith("["):
        literal = host[1:-1]
        try:
            ipaddress.IPv6Address(literal)
        except ValueError as exc:
            raise FetchError(INVALID) from exc
        if "%" in literal:  # a zone id names a local interface
            raise FetchError(INVALID)
        return literal
    if _NUMERIC_LABEL.fullmatch(host.rstrip(".").rsplit(".", 1)[-1]):
        if not _DOTTED_QUAD.fullmatch(host):
            raise FetchError(
                "IP addresses must be written as four decimal numbers "
                "(like 93.184.215.14); other notations cannot be imported."
            )
    elif not _HOST_NAME.fullmatch(host) or len(host) > 253:
        raise FetchError(INVALID)
    return host


def _addresses(host: str, port: int, resolve: Resolver) -> list[Address]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass  # a name, resolved below
    try:
        found = [ipaddress.ip_address(address.split("%")[0]) for address in resolve(host, port)]
    except (OSError, UnicodeError, ValueError) as exc:
        raise FetchError(f"The host {host} could not be found.") from exc
    if not found:
        raise FetchError(f"The host {host} could not be found.")
    return list(dict.fromkeys(found))


def _is_allowed(host: str, port: int, allowed_hosts: list[str]) -> bool:
    allowed = {entry.strip().lower() for entry in allowed_hosts}
    names = {host, f"[{host}]"} if ":" in host else {host}
    return any(name in allowed or f"{name}:{port}" in allowed for name in names)


def is_public_address(address: Address) -> bool:
    """Whether `address` is globally reachable; IPv6 that embeds an IPv4 address (mapped,
    compatible, 6to4, NAT64) is judged by the IPv4 address it carries."""
    if address.version == 4:
        return address.is_global and not (address.is_multicast or address.is_reserved)
    if any(address in network for network in _NEVER_PUBLIC):
        return False
    embedded = _embedded_ipv4(address)
    if embedded is not None:
        return is_public_address(embedded)
    return address.is_global and not (
        address.is_multicast or address.is_reserved or address.is_site_local
    )


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    for embedded in (address.ipv4_mapped, address.sixtofour):
        if embedded is not None:
            return embedded
    if int(address) >> 32 == 0 or address in _NAT64:  # IPv4-compatible (::a.b.c.d), NAT64
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None
