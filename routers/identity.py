"""Which device holds a client IP, asked of the router: hotspot host, then ARP, then DHCP lease.

A MAC sent by the browser is only a hint; these tables are what the router itself saw on the wire.
`/ip/hotspot/active` is deliberately not used: bypassed devices never appear there.
"""

from django.conf import settings
from librouteros.query import Key

from routers.client import RouterError, RouterUnavailable, connect
from routers.selectors import routers_enabled

# (menu, the column holding the client address); DHCP leases also carry the address in use.
IDENTITY_TABLES = (
    (("ip", "hotspot", "host"), "address"),
    (("ip", "arp"), "address"),
    (("ip", "dhcp-server", "lease"), "active-address"),
    (("ip", "dhcp-server", "lease"), "address"),
)


def _rows(api, menu, column, value):
    columns = dict.fromkeys(("mac-address", "address", column))
    query = api.path(*menu).select(*(Key(name) for name in columns)).where(Key(column) == value)
    return [row for row in query if row.get("mac-address")]


def mac_for_ip(api, ip: str) -> str | None:
    """The MAC the router associates with `ip`, upper-case, or None when no table knows it."""
    for menu, column in IDENTITY_TABLES:
        for row in _rows(api, menu, column, ip):
            return str(row["mac-address"]).upper()
    return None


def ip_for_mac(api, mac: str) -> str | None:
    """The address the hotspot host table gives `mac` (the fallback when the IP lookup found nothing)."""
    for row in _rows(api, ("ip", "hotspot", "host"), "mac-address", mac.upper()):
        return str(row.get("address") or "").split("/")[0] or None
    return None


def device_lookup(ip: str, claimed_mac: str | None = None, *, routers=None) -> str | None:
    """Ask each router (`routers`, default every enabled one) which MAC holds `ip`; None only when every one
    answered "unknown".

    If no table maps the IP, a claimed MAC is accepted only when the router maps that MAC to the same
    IP. Runs inside a resident's request, so each router gets one attempt within the quick timeout.
    Raises RouterUnavailable when the MAC was not found and some router did not answer the lookup in
    full (a connection broken off or a trap mid-lookup is no answer, not "unknown").
    """
    routers = routers_enabled() if routers is None else routers
    if not routers:
        raise RouterUnavailable("no router is enabled")
    last_error = None
    for router in routers:
        try:
            with connect(router, timeout=settings.MIKROTIK_QUICK_TIMEOUT_S, attempts=1) as api:
                mac = mac_for_ip(api, ip)
                if mac is None and claimed_mac and ip_for_mac(api, claimed_mac) == ip:
                    mac = claimed_mac.upper()
        except RouterError as exc:  # RouterUnavailable included
            last_error = exc
            continue
        if mac is not None:
            return mac
    if last_error is not None:
        raise RouterUnavailable(last_error.message) from last_error
    return None
