"""check_url (webapp/services/fetch/target.py): what is refused before any lookup, and how
every resolved address is judged, IPv6 that embeds IPv4 by the address it carries."""

from __future__ import annotations

import ipaddress
import re

import pytest

from webapp.services.fetch import FetchError, check_url

from .test_fetch import PRIVATE, PUBLIC, Resolver

BACKSLASH = "backslash"
USERINFO = "user name or password"
NOTATION = "four decimal numbers"
SCHEME = "Only http:// and https://"
CONTROL = "spaces or control characters"
INVALID = "not a valid web address"


REFUSED = [
    # Backslashes: urlsplit reads the host after the "@", urllib3 the one before it.
    ("http://127.0.0.1:80\\@example.com/", BACKSLASH),
    ("http://127.0.0.1\\@example.com/", BACKSLASH),
    ("http://example.com\\@127.0.0.1/", BACKSLASH),
    ("http://127.0.0.1\\.example.com/", BACKSLASH),
    ("https://example.com\\\\127.0.0.1/", BACKSLASH),
    ("http://example.com/docs\\page", BACKSLASH),
    # Userinfo, empty or not, and an "@" hidden by percent-encoding.
    ("http://user@example.com/", USERINFO),
    ("http://user:secret@example.com/", USERINFO),
    ("http://@example.com/", USERINFO),
    ("http://example.com:80@127.0.0.1/", USERINFO),
    ("http://127.0.0.1%40example.com/", INVALID),
    # IPv4 in any notation but the dotted quad, public ones too.
    ("http://2130706433/", NOTATION),
    ("http://0177.0.0.1/", NOTATION),
    ("http://0x7f.0.0.1/", NOTATION),
    ("http://0x7f000001/", NOTATION),
    ("http://0x7f.1/", NOTATION),
    ("http://127.1/", NOTATION),
    ("http://127.0.1/", NOTATION),
    ("http://127.0.0.01/", NOTATION),
    ("http://127.000.000.001/", NOTATION),
    ("http://017700000001/", NOTATION),
    ("http://0/", NOTATION),
    ("http://1.2.3.4./", NOTATION),
    ("http://1572395790/", NOTATION),  # 93.184.215.14
    ("http://%31%32%37.1/", NOTATION),
    # IPv6 that embeds a private IPv4 address.
    ("http://[::ffff:127.0.0.1]/", PRIVATE),  # IPv4-mapped
    ("http://[::ffff:7f00:1]/", PRIVATE),
    ("http://[::ffff:169.254.169.254]/", PRIVATE),
    ("http://[::127.0.0.1]/", PRIVATE),  # IPv4-compatible
    ("http://[::10.0.0.1]/", PRIVATE),
    ("http://[2002:7f00:1::1]/", PRIVATE),  # 6to4
    ("http://[2002:a9fe:a9fe::]/", PRIVATE),
    ("http://[64:ff9b::127.0.0.1]/", PRIVATE),  # NAT64
    ("http://[64:ff9b::a00:1]/", PRIVATE),
    ("http://[64:ff9b:1::7f00:1]/", PRIVATE),  # local-use NAT64
    ("http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/", PRIVATE),  # Teredo, client 127.0.0.1
    # Other addresses that are not public.
    ("http://0.0.0.0/", PRIVATE),
    ("http://[::]/", PRIVATE),
    ("http://[::1]/", PRIVATE),
    ("http://100.64.0.1/", PRIVATE),  # CGNAT
    ("http://169.254.169.254/", PRIVATE),
    ("http://224.0.0.1/", PRIVATE),
    ("http://240.0.0.1/", PRIVATE),
    ("http://255.255.255.255/", PRIVATE),
    ("http://[fe80::1]/", PRIVATE),
    ("http://[fc00::1]/", PRIVATE),
    ("http://[fec0::1]/", PRIVATE),
    ("http://[ff02::1]/", PRIVATE),
    ("http://[fe80::1%25eth0]/", INVALID),
    # Other schemes.
    ("file:///etc/passwd", SCHEME),
    ("gopher://127.0.0.1:6379/_INFO", SCHEME),
    ("dict://127.0.0.1:11211/stats", SCHEME),
    ("ftp://example.com/file", SCHEME),
    ("javascript:alert(1)", SCHEME),
    ("//example.com/", SCHEME),
    ("example.com/page", SCHEME),
    # Control characters and whitespace, wherever they are.
    ("http://example.com/\x00", CONTROL),
    ("http://127.0.0.1\x00.example.com/", CONTROL),
    ("http://127.0.0.1\t.example.com/", CONTROL),
    ("http://example.com/\r\nHost: 127.0.0.1", CONTROL),
    ("http://exa mple.com/", CONTROL),
    (" http://example.com/", CONTROL),
    ("http://example.com/\u200b", CONTROL),
    ("http://example.com/\x7f", CONTROL),
    ("http://example.com:0/", INVALID),
    ("http://１２７.０.０.１/", INVALID),
]


@pytest.mark.parametrize("url, reason", REFUSED)
def test_refused_with_a_reason_before_any_lookup(url, reason):
    resolver = Resolver([PUBLIC])
    with pytest.raises(FetchError, match=re.escape(reason)):
        check_url(url, [], resolver)
    assert resolver.calls == []


EMBEDDING_PRIVATE = [
    "::ffff:127.0.0.1",
    "::7f00:1",
    "2002:7f00:1::",
    "64:ff9b::7f00:1",
    "64:ff9b:1::7f00:1",
    "2001:0:4136:e378:8000:63bf:80ff:fffe",
    "::ffff:10.1.2.3",
    "64:ff9b::c0a8:101",
    "::",
    "0.0.0.0",
    "127.0.0.1",
    "10.0.0.1",
    "100.100.0.1",
    "169.254.169.254",
    "fe80::1%eth0",
    "ff05::1",
]


@pytest.mark.parametrize("address", EMBEDDING_PRIVATE)
def test_a_name_with_any_non_public_address_is_refused(address):
    with pytest.raises(FetchError, match=PRIVATE):
        check_url("http://innocent.test/", [], Resolver([PUBLIC, address]))


@pytest.mark.parametrize(
    "address",
    [
        PUBLIC,
        "::ffff:93.184.215.14",
        "64:ff9b::5db8:d70e",
        "2002:5db8:d70e::1",
        "2606:2800:21f:cb07:6820:80da:af6b:8b2c",
    ],
)
def test_public_addresses_pass_in_every_form(address):
    target = check_url("https://Example.COM/a?b=1#c", [], Resolver([address]))
    assert (target.host, target.port, target.request_uri) == ("example.com", 443, "/a?b=1")
    assert target.addresses == (str(ipaddress.ip_address(address)),)
