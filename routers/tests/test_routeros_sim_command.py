"""``manage.py routeros_sim``: serves the simulator and plants the demo residents' devices."""

import io
import re
import threading
import time

import librouteros
import pytest
from django.core.management import CommandError, call_command

from routers.demo import demo_ip, demo_mac
from routers.management.commands.routeros_sim import Command


def test_demo_hosts_are_planted_before_the_address_is_printed():
    command, out = Command(), io.StringIO()
    command.stop = threading.Event()
    argv = ["--port", "0", "--user", "api", "--password", "pw", "--demo-hosts", "3"]
    thread = threading.Thread(target=call_command, args=(command, *argv), kwargs={"stdout": out})
    thread.start()
    try:
        for _ in range(100):
            found = re.search(r"listening on 127\.0\.0\.1:(\d+), 3 demo hosts planted", out.getvalue())
            if found:
                break
            time.sleep(0.02)
        assert found, out.getvalue()
        api = librouteros.connect("127.0.0.1", "api", "pw", port=int(found.group(1)), timeout=3)
        hosts = [(row["mac-address"], row["address"]) for row in api.path("ip", "hotspot", "host")]
        leases = [row["status"] for row in api.path("ip", "dhcp-server", "lease")]
        api.close()
    finally:
        command.stop.set()
        thread.join(5)
    assert not thread.is_alive()
    assert hosts == [(demo_mac(i), demo_ip(i)) for i in (1, 2, 3)]
    assert leases == ["bound"] * 3


def test_too_many_demo_hosts_is_refused_before_serving():
    with pytest.raises(CommandError, match="between 0 and 150"):
        call_command("routeros_sim", "--port", "0", "--demo-hosts", "151")


def test_demo_traffic_is_counted_on_the_queues_of_the_demo_devices():
    from routeros_sim import RouterSimulator
    from routers.demo import plant_demo_hosts, start_demo_traffic

    with RouterSimulator("api", "pw") as sim:
        plant_demo_hosts(sim, 3)
        start_demo_traffic(sim, 3, mbps=1)
        sim.menu("/queue/simple").add({"name": "lps-u1", "target": f"{demo_ip(2)}/32"})
        sim.advance(8)
        [queue] = sim.menu("/queue/simple").rows()
    down = int(queue["bytes"].split("/")[1])
    assert down == pytest.approx(2 * 1_000_000 * 8 / 8, rel=0.05)  # device 2: 2 Mbit/s for 8 s


def test_version_chooses_the_routeros_behaviour_in_place_of_djangos_version():
    from routers.management.commands.routeros_sim import _argv

    parser = Command().create_parser("manage.py", "routeros_sim")
    options = vars(parser.parse_args(["--port", "0", "--version", "7.17"]))
    assert options["version"] == "7.17"
    assert _argv(options)[-2:] == ["--version", "7.17"]
    assert vars(parser.parse_args(["--port", "0"]))["version"] == "7.18.2"
    with pytest.raises(CommandError, match="not a RouterOS version"):
        call_command("routeros_sim", "--port", "0", "--version", "seven")
