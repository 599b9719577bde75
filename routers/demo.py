"""Demo hosts for the simulator: the devices `seed_demo` creates, as the router would see them.

Device i (1..N) has MAC `AC:DE:48:00:00:%02X` and IP `172.16.2.(100+i)`: it appears in the hotspot host
table and holds a dynamic (bound) DHCP lease, so the captive portal can identify it and the reconciler
learns its address.
"""

MAX_DEMO_HOSTS = 150  # the last octet stays below 255


def demo_mac(i: int) -> str:
    return f"AC:DE:48:00:00:{i:02X}"


def demo_ip(i: int) -> str:
    return f"172.16.2.{100 + i}"


def plant_demo_hosts(sim, count: int) -> None:
    """Plant `count` hotspot hosts and dynamic leases in a running `RouterSimulator` (test hooks)."""
    if not 0 <= count <= MAX_DEMO_HOSTS:
        raise ValueError(f"--demo-hosts must be between 0 and {MAX_DEMO_HOSTS}")
    hosts, leases = sim.menu("/ip/hotspot/host"), sim.menu("/ip/dhcp-server/lease")
    for i in range(1, count + 1):
        hosts.add({"mac-address": demo_mac(i), "address": demo_ip(i), "to-address": demo_ip(i)})
        leases.add(
            {"mac-address": demo_mac(i), "address": demo_ip(i), "status": "bound", "host-name": f"hp-{i}"},
            dynamic=True,
        )


def start_demo_traffic(sim, count: int, mbps: float) -> None:
    """Every demo device downloads steadily (between `mbps` and twice that, by device), so a demo shows
    usage, charts and, for residents close to zero, the quota guard at work. Counted only once the
    device's queue exists, like real traffic."""
    for i in range(1, count + 1):
        sim.start_flow(demo_ip(i), int(mbps * 1_000_000 * (1 + (i % 3) / 2)))
