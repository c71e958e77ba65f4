"""Fetching user-supplied URLs without reaching private networks (SSRF-aware).

`target` parses a URL once, with the parser the connection is made from, and resolves its
host once, vetting every address; `client` connects to a vetted address itself (Host
header and TLS name kept) and re-vets every redirect hop. Private addresses are reachable
only for hosts listed in ALLOWED_PRIVATE_HOSTS as `host` or `host:port`.
"""

from .client import ACCEPTED_TYPES, MAX_REDIRECTS, FetchedPage, fetch_page
from .target import FetchError, Target, check_url, is_public_address, system_resolve

__all__ = [
    "ACCEPTED_TYPES",
    "MAX_REDIRECTS",
    "FetchError",
    "FetchedPage",
    "Target",
    "check_url",
    "fetch_page",
    "is_public_address",
    "system_resolve",
]
