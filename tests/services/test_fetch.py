"""fetch_page (webapp/services/fetch): a URL's host is resolved once, every address is
vetted (the refusals themselves are in test_fetch_target.py) and the connection goes to a
vetted one, with the URL's host name in the Host header and in TLS; every redirect hop is
checked; proxies and .netrc from the environment are ignored; connection failures all read
the same. Servers are real loopback sockets. A test resolver stands in for DNS, and an
audit hook stands in for the internet: it records every connect and refuses, as
unreachable, those that would leave the machine."""

from __future__ import annotations

import datetime
import errno
import http.server
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

from webapp.services.fetch import FetchError, fetch_page

from ..conftest import PageHandler, free_port

PUBLIC = "93.184.215.14"  # global; the `outgoing` guard keeps the tests from reaching it
PAGE = b"<html><head><title>Vetted</title></head><body><p>Served.</p></body></html>"
PRIVATE = "private or local network"
NOT_FETCHED = "The page could not be fetched."


def fetch(url, allowed_hosts=(), resolve=None, timeout=5):
    options = {"resolve": resolve} if resolve else {}
    return fetch_page(
        url, allowed_hosts=list(allowed_hosts), timeout=timeout, max_bytes=1024 * 1024, **options
    )


class Resolver:
    """Stands in for DNS: one list of addresses per call, the last list repeating."""

    def __init__(self, *answers: list[str]):
        self.answers = answers
        self.calls = []

    def __call__(self, host: str, port: int) -> list[str]:
        self.calls.append((host, port))
        return self.answers[min(len(self.calls), len(self.answers)) - 1]


class RecordingHandler(PageHandler):
    def do_GET(self):
        self.server.requests.append(
            {
                "path": self.path,
                "host": self.headers["Host"],
                "authorization": self.headers["Authorization"],
            }
        )
        super().do_GET()


class RecordingServer(http.server.ThreadingHTTPServer):
    """Serves `pages` ({path: (status, headers, body)}) on loopback and records every
    connection, request and TLS server name it is sent."""

    daemon_threads = True

    def __init__(self, host: str, tls: ssl.SSLContext | None):
        handler = type("Handler", (RecordingHandler,), {"pages": {}})
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
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
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / f"{name}.pem", directory / f"{name}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_path, key_path)
    return context


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
    assert server.requests == [
        {"path": "/page", "host": f"pages.test:{server.port}", "authorization": None}
    ]


def ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
        return True
    except OSError:
        return False


@pytest.mark.skipif(not ipv6_loopback(), reason="this machine has no IPv6 loopback")
def test_an_ipv6_literal_is_allowed_and_sent_in_brackets(serve):
    server = serve("::1")
    url = f"http://[::1]:{server.port}{server.page('/page')}"
    assert fetch(url, allowed_hosts=[f"[::1]:{server.port}"]).body == PAGE
    assert server.requests[0]["host"] == f"[::1]:{server.port}"


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


@pytest.mark.parametrize(
    "location",
    [
        "http://127.0.0.1:{other}/",
        "http://127.0.0.1:{other}\\@127.0.0.1:{port}/",
        "http://127.0.0.1:{other}\\\\@127.0.0.1:{port}/",
        "http://127.0.0.1:{port}@127.0.0.1:{other}/",
        "http://[::ffff:127.0.0.1]:{other}/",
        "http://2130706433:{other}/",
        "http://localhost:{other}/",
        "//127.0.0.1:{other}/",
    ],
)
def test_every_redirect_hop_is_checked(serve, location):
    allowed, other = serve(), serve()
    other.page("/secret")
    path = allowed.page(
        "/jump", status=302, Location=location.format(port=allowed.port, other=other.port)
    )
    with pytest.raises(FetchError):
        fetch(
            f"http://127.0.0.1:{allowed.port}{path}",
            allowed_hosts=[f"127.0.0.1:{allowed.port}"],
            resolve=Resolver(["127.0.0.1"]),
        )
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
    urls = [
        f"http://127.0.0.1:{closed}/",
        f"http://127.0.0.1:{silent_port}/",
        f"http://public.test:{closed}/",
        f"https://127.0.0.1:{plain.port}/",
    ]
    allowed = [f"127.0.0.1:{port}" for port in (closed, silent_port, plain.port)]
    messages = set()
    for url in urls:
        with pytest.raises(FetchError) as failed:
            fetch(url, allowed_hosts=allowed, resolve=Resolver([PUBLIC]), timeout=1)
        messages.add(str(failed.value))
    silent.close()
    assert messages == {NOT_FETCHED}
