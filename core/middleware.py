"""Client IP from the direct peer, or from X-Forwarded-For only when that peer is a trusted proxy."""

import ipaddress
import logging
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent, TooManyFilesSent
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from django.views.defaults import bad_request


@lru_cache(maxsize=8)
def _networks(cidrs: tuple[str, ...]):
    return tuple(ipaddress.ip_network(cidr, strict=False) for cidr in cidrs)


def _is_trusted(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip(remote_addr: str, forwarded_for: str, trusted_cidrs) -> str:
    """The right-most address not in the trusted proxies, walking X-Forwarded-For from the right.

    The header is read only when the direct peer is trusted; the left-most hop is never used just
    because it is there, since the client writes it.
    """
    networks = _networks(tuple(trusted_cidrs))
    if not forwarded_for or not _is_trusted(remote_addr, networks):
        return remote_addr
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return remote_addr
        if not _is_trusted(hop, networks):
            return hop
    return hops[0] if hops else remote_addr


class ClientIpMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META["REMOTE_ADDR"] = client_ip(
            request.META.get("REMOTE_ADDR", ""),
            request.META.get("HTTP_X_FORWARDED_FOR", ""),
            settings.TRUSTED_PROXY_CIDRS,
        )
        return self.get_response(request)


class QueryStringNulMiddleware:
    """A NUL character in the query string is refused with a 400: PostgreSQL cannot hold one in text, so
    a filter or search carrying it would otherwise end as a server error wherever it reaches a query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()):
            # Answered here, not raised: a probe is not worth an error log line.
            return bad_request(request, SuspiciousOperation("NUL character in the query string"))
        return self.get_response(request)


class OversizedRequestMiddleware:
    """More fields than Django parses (DATA_UPLOAD_MAX_NUMBER_FIELDS, …) get the plain 400 page in every
    mode. Django raises while the query string or the form is first read; with DEBUG on, its debug page
    reads them again and fails too (a 500), so they are parsed here, first, and replaced by empty ones
    when refused."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            request.GET  # noqa: B018 (parsing is the point)
            if request.method == "POST":
                request.POST  # noqa: B018
        except (TooManyFieldsSent, TooManyFilesSent, RequestDataTooBig) as exc:
            logging.getLogger(f"django.security.{exc.__class__.__name__}").warning(
                "%s: %s %s", exc, request.method, request.path
            )
            request.GET, request.POST = QueryDict(), QueryDict()
            request._files = MultiValueDict()
            return bad_request(request, exc)
        return self.get_response(request)
