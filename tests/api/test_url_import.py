"""URL import: fetched by the worker from a loopback site the tests allow through
ALLOWED_PRIVATE_HOSTS; every other private address is refused, redirects included, and
so is an address two URL parsers would read differently."""

import socket
from types import SimpleNamespace

import pytest

from ..conftest import free_port, wait_for

ARTICLE = b"""<!doctype html><html><head><title>How Qubits Work</title></head><body>
<nav><a href="/">Home</a> | <a href="/about">About</a></nav>
<article><h1>How Qubits Work</h1>
<p>A qubit is the basic unit of quantum information. Unlike a classical bit it can be in a
superposition of zero and one until it is measured.</p>
<p>Entanglement links qubits so that the state of one depends on the state of another,
which is what gives quantum algorithms their power over classical ones.</p>
<p>Error correction remains the largest engineering challenge for practical machines.</p>
</article><footer>Copyright Example Corp</footer></body></html>"""


@pytest.fixture
def importer(client, auth, worker, web_pages):
    headers = auth.headers()
    project = client.post("/api/v1/projects", headers=headers, json={"name": "Web"}).get_json()
    base = f"/api/v1/sources/projects/{project['id']}/sources/url"

    def submit(url):
        return client.post(base, headers=headers, json={"url": url})

    def finished(source_id):
        def done():
            body = client.get(f"/api/v1/sources/sources/{source_id}", headers=headers).get_json()
            return body if body["status"] in ("parsed", "failed") else None

        return wait_for(done, timeout=30)

    submit.finished = finished
    return submit


def serve(web_pages, path, body, status=200, content_type="text/html; charset=utf-8", **headers):
    web_pages.pages[path] = (status, {"Content-Type": content_type, **headers}, body)
    return web_pages.url + path


def test_article_is_imported_with_its_title(importer, web_pages):
    response = importer(serve(web_pages, "/article", ARTICLE))
    assert response.status_code == 201
    assert response.get_json()["file_type"] == "url"
    body = importer.finished(response.get_json()["id"])
    assert body["status"] == "parsed", body["error_message"]
    assert body["filename"] == "How Qubits Work"
    assert "superposition of zero and one" in body["parsed_text"]
    assert "Copyright Example Corp" not in body["parsed_text"]
    assert body["source_url"].endswith("/article")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/admin",
        "http://localhost:9/",
        "http://169.254.169.254/latest/meta-data",
        "http://10.0.0.1/",
        "http://[::1]:9/",
        "ftp://example.com/file",
        "not a url",
    ],
)
def test_private_and_non_http_urls_are_refused_at_once(importer, url):
    response = importer(url)
    assert response.status_code == 400
    assert response.get_json()["detail"]["code"] in ("INVALID_URL", "VALIDATION_ERROR")


def test_redirect_to_a_private_address_is_refused(importer, web_pages):
    url = serve(web_pages, "/jump", b"", status=302, Location="http://127.0.0.1:9/secret")
    body = importer.finished(importer(url).get_json()["id"])
    assert body["status"] == "failed"
    assert "private or local network" in body["error_message"]


def test_redirect_within_allowed_host_is_followed(importer, web_pages):
    serve(web_pages, "/moved-article", ARTICLE)
    url = serve(web_pages, "/old", b"", status=301, Location="/moved-article")
    assert importer.finished(importer(url).get_json()["id"])["status"] == "parsed"


@pytest.mark.parametrize(
    "path, body, status, content_type, message",
    [
        ("/missing", b"nope", 404, "text/html", "HTTP 404"),
        ("/picture", b"\x89PNG....", 200, "image/png", "not a web page"),
        ("/huge", b"<p>" + b"x" * (6 * 1024 * 1024) + b"</p>", 200, "text/html", "larger than"),
        (
            "/empty",
            b"<html><head><title>x</title></head><body> </body></html>",
            200,
            "text/html",
            "No readable",
        ),
    ],
)
def test_unusable_pages_fail_with_a_reason(
    importer, web_pages, path, body, status, content_type, message
):
    url = serve(web_pages, path, body, status=status, content_type=content_type)
    result = importer.finished(importer(url).get_json()["id"])
    assert result["status"] == "failed"
    assert message in result["error_message"]


@pytest.fixture
def listener():
    """A loopback port that accepts connections and never answers; `reached()` tells
    whether anything connected to it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.setblocking(False)

    def reached():
        try:
            connection, _ = sock.accept()
        except BlockingIOError:
            return False
        connection.close()
        return True

    yield SimpleNamespace(port=sock.getsockname()[1], reached=reached)
    sock.close()


@pytest.mark.parametrize(
    "template, reason",
    [
        ("http://127.0.0.1:{other}\\@{allowed}/", "backslash"),
        ("http://{allowed}@127.0.0.1:{other}/", "user name or password"),
        ("http://2130706433:{other}/", "four decimal numbers"),
        ("http://0177.0.0.1:{other}/", "four decimal numbers"),
        ("http://[2002:7f00:1::]:{other}/", "private or local network"),
        ("http://[::127.0.0.1]:{other}/", "private or local network"),
        ("http://[64:ff9b::7f00:1]:{other}/", "private or local network"),
    ],
)
def test_disguised_private_addresses_are_refused_at_once(
    importer, web_pages, listener, template, reason
):
    response = importer(template.format(other=listener.port, allowed=web_pages.host_port))
    assert response.status_code == 400
    assert response.get_json()["detail"]["code"] == "INVALID_URL"
    assert reason in response.get_json()["detail"]["message"]
    assert not listener.reached()


def test_a_refusal_does_not_tell_whether_a_port_is_open(importer, web_pages, listener):
    answers = [
        importer(f"http://127.0.0.1:{port}\\@{web_pages.host_port}/")
        for port in (listener.port, free_port())
    ]
    assert [answer.status_code for answer in answers] == [400, 400]
    assert answers[0].get_json() == answers[1].get_json()
    assert not listener.reached()


def test_a_redirect_that_parsers_read_differently_is_refused(importer, web_pages, listener):
    location = f"http://127.0.0.1:{listener.port}\\@{web_pages.host_port}/"
    url = serve(web_pages, "/disguised-jump", b"", status=302, Location=location)
    body = importer.finished(importer(url).get_json()["id"])
    assert body["status"] == "failed"
    assert "backslash" in body["error_message"]
    assert not listener.reached()
