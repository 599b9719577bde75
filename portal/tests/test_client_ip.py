"""core/middleware.py: X-Forwarded-For counts only from a trusted proxy, right-most untrusted hop."""

import pytest

from core.middleware import client_ip

TRUSTED = ["127.0.0.1/32", "10.0.0.0/8"]


@pytest.mark.parametrize(
    "case, peer, forwarded, expected",
    [
        ("no header", "172.16.2.115", "", "172.16.2.115"),
        ("untrusted peer cannot pick its address", "203.0.113.9", "172.16.2.115", "203.0.113.9"),
        ("trusted proxy: the client it saw", "127.0.0.1", "172.16.2.115", "172.16.2.115"),
        ("a spoofed left-most hop is ignored", "127.0.0.1", "1.2.3.4, 172.16.2.115", "172.16.2.115"),
        ("trusted hops are skipped from the right", "127.0.0.1", "172.16.2.115, 10.1.1.1", "172.16.2.115"),
        ("all hops trusted: the left-most", "127.0.0.1", "10.2.2.2, 10.1.1.1", "10.2.2.2"),
        ("garbage hop: keep the peer", "127.0.0.1", "1.2.3.4, not-an-ip", "127.0.0.1"),
        ("IPv6 client through the proxy", "127.0.0.1", "2001:db8::5", "2001:db8::5"),
    ],
)
def test_client_ip(case, peer, forwarded, expected):
    assert client_ip(peer, forwarded, TRUSTED) == expected, case


def test_the_middleware_rewrites_remote_addr_only_behind_a_trusted_proxy(rf, settings):
    from core.middleware import ClientIpMiddleware

    settings.TRUSTED_PROXY_CIDRS = ["127.0.0.1/32"]
    seen = []
    middleware = ClientIpMiddleware(lambda request: seen.append(request.META["REMOTE_ADDR"]))
    middleware(rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 172.16.2.101"))
    middleware(rf.get("/", REMOTE_ADDR="172.16.2.101", HTTP_X_FORWARDED_FOR="127.0.0.1"))
    assert seen == ["172.16.2.101", "172.16.2.101"]
