"""Which device holds a client IP, asked of the router: hotspot host, then ARP, then DHCP lease.

A MAC sent by the browser is only a hint; these tables are what the router itself saw on the wire.
`/ip/hotspot/active` is deliberately not used: bypassed devices never appear there.
"""

from librouteros.query import Key

from routers.client import RouterUnavailable, connect

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


def device_lookup(ip: str, claimed_mac: str | None = None) -> str | None:
    """Ask each enabled router which MAC holds `ip`; None when every reachable router says "unknown".

    If no table maps the IP, a claimed MAC is accepted only when the router maps that MAC to the same
    IP. Raises RouterUnavailable when no router could be asked at all.
    """
    from routers.selectors import routers_enabled

    reached = False
    last_error = None
    for router in routers_enabled():
        try:
            with connect(router) as api:
                reached = True
                mac = mac_for_ip(api, ip)
                if mac is None and claimed_mac and ip_for_mac(api, claimed_mac) == ip:
                    mac = claimed_mac.upper()
                if mac is not None:
                    return mac
        except RouterUnavailable as exc:
            last_error = exc
    if not reached:
        raise last_error or RouterUnavailable("no router is enabled")
    return None
