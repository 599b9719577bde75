"""Reading the simulated router the way a person checking it would."""

BINDINGS = "/ip/hotspot/ip-binding"
LISTS = "/ip/firewall/address-list"
QUEUES = "/queue/simple"
LEASES = "/ip/dhcp-server/lease"


def managed(sim, menu):
    return [row for row in sim.menu(menu).rows() if row.get("comment", "").startswith("lps:")]


def bindings(sim):
    return {row["mac-address"]: row["type"] for row in managed(sim, BINDINGS)}


def lists(sim):
    return {row["address"]: row["list"] for row in managed(sim, LISTS)}


def queues(sim):
    return {row["name"]: (row["target"], row["max-limit"]) for row in managed(sim, QUEUES)}


def leases(sim):
    return {row["mac-address"]: row["address"] for row in managed(sim, LEASES)}
