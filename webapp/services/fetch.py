"""Fetching user-supplied URLs without reaching private networks (SSRF-aware).

Every hop of a redirect chain is checked: the host must resolve only to public addresses,
unless it is listed in ALLOWED_PRIVATE_HOSTS as `host` or `host:port`.
"""
from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests

MAX_REDIRECTS = 5
ACCEPTED_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
USER_AGENT = "Copydesk/1.0 (+self-hosted content studio; source import)"


class FetchError(Exception):
    """The page could not be fetched; the message is shown to the user."""


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


def check_url(url: str, allowed_hosts: list[str]) -> None:
    """Raise FetchError unless `url` is http(s) and its host resolves to allowed addresses."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise FetchError("That is not a valid web address.") from exc
    if parts.scheme not in ("http", "https") or not host:
        raise FetchError("Only http:// and https:// URLs can be imported.")
    host = host.lower()
    if host in allowed_hosts or f"{host}:{port}" in allowed_hosts:
        return
    for address in _resolve(host, port):
        if not address.is_global:
            raise FetchError("That address is on a private or local network and cannot be "
                             "imported.")


def _resolve(host: str, port: int) -> list:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"The host {host} could not be found.") from exc
    return [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]


def fetch_page(url: str, *, allowed_hosts: list[str], timeout: float,
               max_bytes: int) -> FetchedPage:
    """GET `url` following at most 5 redirects (each re-checked), within `timeout` seconds
    overall and `max_bytes` of body; only HTML and plain text are accepted."""
    deadline = time.monotonic() + timeout
    for _ in range(MAX_REDIRECTS + 1):
        check_url(url, allowed_hosts)
        response = _get(url, deadline)
        with response:
            if response.is_redirect:
                location = response.headers.get("Location", "")
                if not location:
                    raise FetchError("The page redirected without a location.")
                url = urljoin(url, location)
                continue
            return _read_page(url, response, deadline, max_bytes)
    raise FetchError(f"The page redirected more than {MAX_REDIRECTS} times.")


def _get(url: str, deadline: float) -> requests.Response:
    remaining = max(deadline - time.monotonic(), 0.1)
    try:
        return requests.get(url, stream=True, allow_redirects=False, timeout=remaining,
                            headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*;q=0.5"})
    except requests.Timeout as exc:
        raise FetchError("The page took too long to answer.") from exc
    except requests.RequestException as exc:
        raise FetchError(f"The page could not be fetched ({type(exc).__name__}).") from exc


def _read_page(url: str, response: requests.Response, deadline: float,
               max_bytes: int) -> FetchedPage:
    if response.status_code != 200:
        raise FetchError(f"The page answered HTTP {response.status_code}.")
    header = response.headers.get("Content-Type", "")
    content_type = header.split(";")[0].strip().lower()
    charset = None
    if "charset=" in header.lower():
        charset = header.lower().split("charset=")[-1].split(";")[0].strip(' "\'') or None
    if content_type and content_type not in ACCEPTED_TYPES:
        raise FetchError(f"The URL is not a web page ({content_type}).")
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(f"The page is larger than {max_bytes // (1024 * 1024)} MB.")
    body = bytearray()
    try:
        for chunk in response.iter_content(64 * 1024):
            body.extend(chunk)
            if len(body) > max_bytes:
                raise FetchError(f"The page is larger than {max_bytes // (1024 * 1024)} MB.")
            if time.monotonic() > deadline:
                raise FetchError("The page took too long to download.")
    except requests.RequestException as exc:
        raise FetchError(f"The page could not be downloaded ({type(exc).__name__}).") from exc
    return FetchedPage(url, content_type or "text/html", bytes(body), charset)
