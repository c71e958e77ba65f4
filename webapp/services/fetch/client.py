"""GET a page: every hop is a vetted Target, the connection goes to a vetted address, and
the Host header and TLS name (SNI, certificate check) stay the URL's host name.

urllib3 is used directly, so nothing from the environment (HTTP(S)_PROXY, NO_PROXY,
.netrc) takes part. Connection failures have one message whatever the cause, so an
answer never tells whether a port is open.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urljoin

from urllib3 import HTTPConnectionPool, HTTPResponse, HTTPSConnectionPool, Timeout
from urllib3.exceptions import ConnectTimeoutError, HTTPError

from .target import FetchError, Resolver, Target, check_url, system_resolve

log = logging.getLogger(__name__)

MAX_REDIRECTS = 5
ACCEPTED_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
USER_AGENT = "Copydesk/1.0 (+self-hosted content studio; source import)"
CHUNK_BYTES = 64 * 1024
NOT_FETCHED = "The page could not be fetched."


@dataclass
class FetchedPage:
    url: str
    content_type: str
    body: bytes
    charset: str | None  # as declared by the server; None leaves detection to the parser

    def html(self) -> str | bytes:
        if self.charset:
            try:
                return self.body.decode(self.charset, errors="replace")
            except LookupError:
                pass
        return self.body


def fetch_page(
    url: str,
    *,
    allowed_hosts: list[str],
    timeout: float,
    max_bytes: int,
    resolve: Resolver = system_resolve,
) -> FetchedPage:
    """GET `url` following at most 5 redirects (each hop checked like the first), within
    `timeout` seconds overall and `max_bytes` of body; only HTML and plain text are
    accepted."""
    deadline = time.monotonic() + timeout
    for _ in range(MAX_REDIRECTS + 1):
        target = check_url(url, allowed_hosts, resolve)
        with _get(target, deadline) as response:
            location = response.get_redirect_location()
            if location is False:
                return _read_page(target.url, response, deadline, max_bytes)
            if not location:
                raise FetchError("The page redirected without a location.")
            url = urljoin(target.url, location)
    raise FetchError(f"The page redirected more than {MAX_REDIRECTS} times.")


@contextmanager
def _get(target: Target, deadline: float) -> Iterator[HTTPResponse]:
    """The response of the first vetted address that accepts a connection."""
    failure: Exception | None = None
    for address in target.addresses:
        with _pool(target, address, deadline) as pool:
            try:
                response = pool.urlopen(
                    "GET",
                    target.request_uri,
                    headers=_headers(target),
                    redirect=False,
                    retries=False,
                    preload_content=False,
                    assert_same_host=False,
                )
            except ConnectTimeoutError as exc:  # refused, unreachable or too slow: next one
                failure = exc
                continue
            except (HTTPError, OSError) as exc:
                _log_failure(target, exc)
                raise FetchError(NOT_FETCHED) from exc
            try:
                yield response
            finally:
                response.release_conn()
            return
    _log_failure(target, failure)
    raise FetchError(NOT_FETCHED) from failure


def _pool(target: Target, address: str, deadline: float) -> HTTPConnectionPool:
    remaining = max(deadline - time.monotonic(), 0.1)
    options = {
        "port": target.port,
        "timeout": Timeout(connect=remaining, read=remaining),
        "maxsize": 1,
        "retries": False,
    }
    if target.scheme == "https":
        return HTTPSConnectionPool(
            address,
            cert_reqs="CERT_REQUIRED",
            server_hostname=target.host,
            assert_hostname=target.host,
            **options,
        )
    return HTTPConnectionPool(address, **options)


def _headers(target: Target) -> dict[str, str]:
    return {
        "Host": target.host_header,
        "User-Agent": USER_AGENT,
        "Accept": "text/html,*/*;q=0.5",
        "Accept-Encoding": "gzip, deflate",
    }


def _log_failure(target: Target, exc: Exception | None) -> None:
    # The user sees one message; the operator sees why.
    log.info("URL import of %s (%s) failed: %r", target.url, ", ".join(target.addresses), exc)


def _read_page(url: str, response: HTTPResponse, deadline: float, max_bytes: int) -> FetchedPage:
    if response.status != 200:
        raise FetchError(f"The page answered HTTP {response.status}.")
    header = response.headers.get("Content-Type", "")
    content_type = header.split(";")[0].strip().lower()
    charset = None
    if "charset=" in header.lower():
        charset = header.lower().split("charset=")[-1].split(";")[0].strip(" \"'") or None
    if content_type and content_type not in ACCEPTED_TYPES:
        raise FetchError(f"The URL is not a web page ({content_type}).")
    too_large = f"The page is larger than {max_bytes // (1024 * 1024)} MB."
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(too_large)
    body = bytearray()
    try:
        for chunk in response.stream(CHUNK_BYTES, decode_content=True):
            body.extend(chunk)
            if len(body) > max_bytes:
                raise FetchError(too_large)
            if time.monotonic() > deadline:
                raise FetchError("The page took too long to download.")
    except (HTTPError, OSError) as exc:
        raise FetchError("The page could not be downloaded.") from exc
    return FetchedPage(url, content_type or "text/html", bytes(body), charset)
