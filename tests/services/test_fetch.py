"""fetch_page and check_url (webapp/services/fetch): a URL is parsed once by the parser that
fetches and its host resolved once; every address is vetted and the connection goes to a
vetted one, with the URL's host name in the Host header and in TLS; every redirect hop is
checked; proxies and .netrc from the environment are ignored; connection failures all read
the same. Servers are real loopback sockets. A test resolver stands in for DNS, and an
audit hook stands in for the internet: it records every connect and refuses, as
unreachable, those that would leave the machine."""
from __future__ import annotations

import datetime
import errno
import http.server
import re
import ipaddress
import socket
import ssl
import sys
import threading

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from webapp.services.fetch import FetchError, check_url, fetch_page

from ..conftest import PageHandler, free_port

PUBLIC = "93.184.215.14"  # global; the `outgoing` guard keeps the tests from reaching it
PAGE = b"<html><head><title>Vetted</title></head><body><p>Served.</p></body></html>"
PRIVATE = "private or local network"
NOT_FETCHED = "The page could not be fetched."
BACKSLASH = "backslash"
USERINFO = "user name or password"
NOTATION = "four decimal numbers"
SCHEME = "Only http:// and https://"
CONTROL = "spaces or control characters"


def fetch(url, allowed_hosts=(), resolve=None, timeout=5):
    options = {"resolve": resolve} if resolve else {}
    return fetch_page(url, allowed_hosts=list(allowed_hosts), timeout=timeout,
                      max_bytes=1024 * 1024, **options)


class Resolver:
    """Stands in for DNS: one list of addresses per call, the last list repeating."""

    def __init__(self, *answers: list[str]):
        self.answers = answers
        self.calls = []

    def __call__(self, host: str, port: int) -> list[str]:
        self.calls.append((host, port))
        return self.answers[min(len(self.calls), len(self.answers)) - 1]


class RecordingHandler(PageHandler):
    def do_GET(self):  # noqa: N802 (http.server's naming)
        self.server.requests.append({"path": self.path, "host": self.headers["Host"],
                                     "authorization": self.headers["Authorization"]})
        super().do_GET()


class RecordingServer(http.server.ThreadingHTTPServer):
    """Serves `pages` ({path: (status, headers, body)}) on loopback and records every
    connection, request and TLS server name it is sent."""

    daemon_threads = True

    def __init__(self, host: str, tls: ssl.SSLContext | None):
        handler = type("Handler", (RecordingHandler,), {"pages": {}})
        super().__init__((host, 0), handler)
        self.pages, self.connections, self.requests, self.server_names = handler.pages, [], [], []
        self.port = self.server_address[1]
        if tls:
            tls.sni_callback = lambda _socket, name, _context: self.server_names.append(name)
            self.socket = tls.wrap_socket(self.socket, server_side=True)

    def get_request(self):
        request, address = super().get_request()
        self.connections.append(address)
        return request, address

    def page(self, path: str, status: int = 200, body: bytes = PAGE, **headers) -> str:
        self.pages[path] = (status, {"Content-Type": "text/html; charset=utf-8", **headers}, body)
        return path


@pytest.fixture
def serve():
    servers = []

    def start(host: str = "127.0.0.1", tls: ssl.SSLContext | None = None) -> RecordingServer:
        server = RecordingServer(host, tls)
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


class _Guard:
    record = None  # set by the `outgoing` fixture for the length of one test


def _audit(event, args):
    if event == "socket.connect" and _Guard.record is not None and isinstance(args[1], tuple):
        _Guard.record(args[1][:2])


sys.addaudithook(_audit)  # hooks cannot be removed; it does nothing outside `outgoing`


@pytest.fixture
def outgoing():
    """The (address, port) of every connect during the test; one outside loopback fails as
    unreachable, as it would on a machine without a route to it."""
    attempts = []

    def record(address):
        attempts.append(address)
        try:
            loopback = ipaddress.ip_address(address[0]).is_loopback
        except ValueError:
            return
        if not loopback:
            raise OSError(errno.ENETUNREACH, "Network is unreachable (test guard)")

    _Guard.record = record
    yield attempts
    _Guard.record = None


def certificate_for(directory, name: str) -> ssl.SSLContext:
    """A server context with a self-signed certificate for DNS name `name`; the certificate
    is written to directory/`name`.pem for clients to trust."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = directory / f"{name}.pem", directory / f"{name}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_path, key_path)
    return context


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
    ("http://127.0.0.1%40example.com/", "not a valid web address"),
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
    ("http://[fe80::1%25eth0]/", "not a valid web address"),
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
]


@pytest.mark.parametrize("url, reason", REFUSED)
def test_refused_with_a_reason_before_any_lookup(url, reason):
    resolver = Resolver([PUBLIC])
    with pytest.raises(FetchError, match=re.escape(reason)):
        check_url(url, [], resolver)
    assert resolver.calls == []


EMBEDDING_PRIVATE = ["::ffff:127.0.0.1", "::7f00:1", "2002:7f00:1::", "64:ff9b::7f00:1",
                     "64:ff9b:1::7f00:1", "2001:0:4136:e378:8000:63bf:80ff:fffe",
                     "::ffff:10.1.2.3", "64:ff9b::c0a8:101", "::", "0.0.0.0", "127.0.0.1",
                     "10.0.0.1", "100.100.0.1", "169.254.169.254", "fe80::1%eth0", "ff05::1"]


@pytest.mark.parametrize("address", EMBEDDING_PRIVATE)
def test_a_name_with_any_non_public_address_is_refused(address):
    with pytest.raises(FetchError, match=PRIVATE):
        check_url("http://innocent.test/", [], Resolver([PUBLIC, address]))


@pytest.mark.parametrize("address", [PUBLIC, "::ffff:93.184.215.14", "64:ff9b::5db8:d70e",
                                     "2002:5db8:d70e::1", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"])
def test_public_addresses_pass_in_every_form(address):
    target = check_url("https://Example.COM/a?b=1#c", [], Resolver([address]))
    assert (target.host, target.port, target.request_uri) == ("example.com", 443, "/a?b=1")
    assert target.addresses == (str(ipaddress.ip_address(address)),)


def test_nothing_is_reached_when_one_answer_is_loopback(serve, outgoing):
    server = serve()
    url = f"http://mixed.test:{server.port}{server.page('/page')}"
    with pytest.raises(FetchError, match=PRIVATE):
        fetch(url, resolve=Resolver([PUBLIC, "127.0.0.1"]))
    assert outgoing == [] and server.connections == []


def test_a_rebinding_answer_is_never_asked_for(serve, outgoing):
    """DNS answers public first and loopback after: the one lookup is vetted and the
    connection goes to the public address it gave, never to loopback."""
    server = serve()
    url = f"http://rebind.test:{server.port}{server.page('/page')}"
    resolver = Resolver([PUBLIC], ["127.0.0.1"])
    with pytest.raises(FetchError) as failed:
        fetch(url, resolve=resolver)
    assert str(failed.value) == NOT_FETCHED  # the public address is unreachable here
    assert resolver.calls == [("rebind.test", server.port)]
    assert outgoing == [(PUBLIC, server.port)]
    assert server.connections == []


def test_the_vetted_address_is_connected_with_the_host_name_kept(serve, outgoing):
    server = serve()
    url = f"http://Pages.Test:{server.port}{server.page('/page')}"
    resolver = Resolver(["127.0.0.1"], ["127.0.0.2"])
    page = fetch(url, allowed_hosts=["pages.test"], resolve=resolver)
    assert page.body == PAGE and page.url == url
    assert len(resolver.calls) == 1 and outgoing == [("127.0.0.1", server.port)]
    assert server.requests == [{"path": "/page", "host": f"pages.test:{server.port}",
                                "authorization": None}]


def test_the_next_vetted_address_is_tried_when_one_is_unreachable(serve, outgoing):
    server = serve()
    url = f"http://pages.test:{server.port}{server.page('/page')}"
    resolver = Resolver([PUBLIC, "127.0.0.1"])
    assert fetch(url, allowed_hosts=["pages.test"], resolve=resolver).body == PAGE
    assert outgoing == [(PUBLIC, server.port), ("127.0.0.1", server.port)]


def test_tls_sends_and_checks_the_host_name(serve, tmp_path, monkeypatch):
    server = serve(tls=certificate_for(tmp_path, "pages.test"))
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "pages.test.pem"))  # trust it only
    url = f"https://pages.test:{server.port}{server.page('/page')}"
    page = fetch(url, allowed_hosts=["pages.test"], resolve=Resolver(["127.0.0.1"]))
    assert page.body == PAGE
    assert server.server_names == ["pages.test"]
    assert server.requests[0]["host"] == f"pages.test:{server.port}"


def test_tls_refuses_a_certificate_for_another_name(serve, tmp_path, monkeypatch):
    server = serve(tls=certificate_for(tmp_path, "pages.test"))
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "pages.test.pem"))
    url = f"https://other.test:{server.port}{server.page('/page')}"
    with pytest.raises(FetchError, match=f"^{NOT_FETCHED}$"):
        fetch(url, allowed_hosts=["other.test"], resolve=Resolver(["127.0.0.1"]))
    assert server.server_names == ["other.test"] and server.requests == []


@pytest.mark.parametrize("location", [
    "http://127.0.0.1:{other}/",
    "http://127.0.0.1:{other}\\@127.0.0.1:{port}/",
    "http://127.0.0.1:{other}\\\\@127.0.0.1:{port}/",
    "http://127.0.0.1:{port}@127.0.0.1:{other}/",
    "http://[::ffff:127.0.0.1]:{other}/",
    "http://2130706433:{other}/",
    "http://localhost:{other}/",
    "//127.0.0.1:{other}/",
])
def test_every_redirect_hop_is_checked(serve, location):
    allowed, other = serve(), serve()
    other.page("/secret")
    path = allowed.page("/jump", status=302,
                        Location=location.format(port=allowed.port, other=other.port))
    with pytest.raises(FetchError):
        fetch(f"http://127.0.0.1:{allowed.port}{path}",
              allowed_hosts=[f"127.0.0.1:{allowed.port}"], resolve=Resolver(["127.0.0.1"]))
    assert len(allowed.requests) == 1 and other.connections == []


def test_proxy_settings_in_the_environment_are_ignored(serve, monkeypatch):
    proxy, site = serve(), serve()
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.setenv(name, f"http://127.0.0.1:{proxy.port}")
        monkeypatch.setenv(name.lower(), f"http://127.0.0.1:{proxy.port}")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    url = f"http://127.0.0.1:{site.port}{site.page('/page')}"
    assert fetch(url, allowed_hosts=[f"127.0.0.1:{site.port}"]).body == PAGE
    assert proxy.connections == [] and len(site.requests) == 1


def test_netrc_credentials_are_not_sent(serve, monkeypatch, tmp_path):
    site = serve()
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login alice password s3cret\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    url = f"http://127.0.0.1:{site.port}{site.page('/page')}"
    assert fetch(url, allowed_hosts=[f"127.0.0.1:{site.port}"]).body == PAGE
    assert site.requests[0]["authorization"] is None


def test_connection_failures_all_read_the_same(serve, outgoing):
    """Closed, silent, unreachable or not speaking TLS: nothing tells one from another."""
    plain = serve()
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # the handshake completes, nothing ever answers
    closed, silent_port = free_port(), silent.getsockname()[1]
    urls = [f"http://127.0.0.1:{closed}/", f"http://127.0.0.1:{silent_port}/",
            f"http://public.test:{closed}/", f"https://127.0.0.1:{plain.port}/"]
    allowed = [f"127.0.0.1:{port}" for port in (closed, silent_port, plain.port)]
    messages = set()
    for url in urls:
        with pytest.raises(FetchError) as failed:
            fetch(url, allowed_hosts=allowed, resolve=Resolver([PUBLIC]), timeout=1)
        messages.add(str(failed.value))
    silent.close()
    assert messages == {NOT_FETCHED}
