"""The RouterOS simulator over TCP, driven by the real librouteros client."""

import contextlib
import functools
import io
import re
import socket
import ssl
import threading
import time

import librouteros
import pytest
from librouteros.exceptions import ConnectionClosed, FatalError, MultiTrapError, TrapError
from librouteros.query import Key, Or

from routeros_sim import RouterSimulator, token_response
from routeros_sim.protocol import SentenceReader, encode_sentence

USER, PASSWORD = "api", "s3cret"


@pytest.fixture
def sim():
    with RouterSimulator(USER, PASSWORD) as simulator:
        yield simulator


def connect(sim, password=PASSWORD, **kwargs):
    kwargs.setdefault("timeout", 3)
    return librouteros.connect("127.0.0.1", USER, password, port=sim.port, **kwargs)


@pytest.fixture
def api(sim):
    client = connect(sim)
    yield client
    client.close()


class RawClient:
    """Speaks sentences directly, to see exactly what the simulator puts on the wire."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=3)
        self.reader = SentenceReader(self.sock)

    def send(self, *words):
        self.sock.sendall(encode_sentence(list(words)))

    def send_bytes(self, data):
        self.sock.sendall(data)

    def read(self):
        return self.reader.read_sentence()

    def until_done(self):
        sentences = [self.read()]
        while sentences[-1][0] not in ("!done", "!fatal"):
            sentences.append(self.read())
        return sentences

    def login(self):
        self.send("/login", f"=name={USER}", f"=password={PASSWORD}")
        assert self.until_done() == [["!done"]]

    def closed(self):
        try:
            return self.sock.recv(1) == b""
        except OSError:
            return True

    def close(self):
        self.sock.close()


@pytest.fixture
def raw(sim):
    client = RawClient(sim.port)
    yield client
    client.close()


# ---- CRUD through librouteros ---------------------------------------------------------------------


def test_add_set_remove_print_round_trip(api):
    bindings = api.path("ip", "hotspot", "ip-binding")
    first = bindings.add(**{"mac-address": "aa:bb:cc:00:00:01", "type": "bypassed", "comment": "lps:u1"})
    second = bindings.add(**{"mac-address": "aa:bb:cc:00:00:02", "type": "blocked"})
    assert (first, second) == ("*1", "*2")
    bindings.update(**{".id": first, "disabled": True})
    rows = {row[".id"]: row for row in bindings}
    assert rows[first]["disabled"] is True and rows[second]["disabled"] is False
    assert rows[first]["mac-address"] == "AA:BB:CC:00:00:01" and rows[first]["comment"] == "lps:u1"
    bindings.remove(first, second)
    assert list(bindings) == []


def test_select_with_proplist_and_where(api):
    bindings = api.path("/ip/hotspot/ip-binding")
    for n, kind in enumerate(("bypassed", "blocked", "regular", "bypassed"), start=1):
        bindings.add(**{"mac-address": f"AA:BB:CC:00:00:0{n % 3}", "type": kind})
    mac, typ, ident = Key("mac-address"), Key("type"), Key(".id")
    got = list(
        bindings.select(ident, typ).where(
            mac == "AA:BB:CC:00:00:01", typ != "blocked", Or(typ == "bypassed", typ == "regular")
        )
    )
    assert got == [{".id": "*1", "type": "bypassed"}, {".id": "*4", "type": "bypassed"}]
    assert [r[".id"] for r in bindings.select(ident).where(typ.In("blocked", "regular"))] == ["*2", "*3"]


def test_count_only_both_ways(api):
    queues = api.path("queue", "simple")
    for n in range(3):
        queues.add(name=f"u{n}", target=f"10.0.0.{n + 1}")
    assert list(queues("print", **{"count-only": ""})) == [{"ret": 3}]
    assert list(api("/queue/simple/print", **{"count-only": ""})) == [{"ret": 3}]


def test_queue_values_as_librouteros_sees_them(api):
    queues = api.path("/queue/simple")
    queues.add(name="u1", target="10.0.0.5", **{"max-limit": "10M/512k"})
    (row,) = queues.select(Key("target"), Key("max-limit"), Key("total-bytes"), Key("disabled"))
    assert row == {
        "target": "10.0.0.5/32",
        "max-limit": "10000000/512000",
        "total-bytes": 0,
        "disabled": False,
    }
    queues.update(**{".id": "u1", "max-limit": 1_000_000})
    assert next(iter(queues.select(Key("max-limit"))))["max-limit"] == "1000000/1000000"


def test_duplicate_address_list_entry_is_a_trap_error(api):
    lists = api.path("ip/firewall/address-list")
    lists.add(list="klient_aktif", address="10.0.0.5")
    with pytest.raises(TrapError) as caught:
        lists.add(list="klient_aktif", address="10.0.0.5")
    assert caught.value.message == "failure: already have such entry"
    assert len(list(lists)) == 1  # the connection is still in step


def test_no_such_item_unknown_menu_unknown_command(api):
    with pytest.raises(TrapError, match="no such item"):
        api.path("/ip/hotspot/ip-binding").update(**{".id": "*99", "comment": "x"})
    with pytest.raises(TrapError, match="no such item"):
        api.path("/ip/hotspot/ip-binding").remove("*99")
    with pytest.raises(MultiTrapError) as unknown:
        list(api("/ip/nowhere/print"))
    assert str(unknown.value) == "no such command or directory (nowhere), no such command prefix"
    assert unknown.value.traps[0].category == 0 and unknown.value.traps[1].category is None
    with pytest.raises(
        MultiTrapError, match=r"^no such command or directory \(explode\), no such command prefix$"
    ):
        list(api("/ip/arp/explode"))
    with pytest.raises(TrapError) as caught:
        api.path("/ip/hotspot/ip-binding").add(type="vip")
    assert caught.value.message == "input does not match any value of type" and caught.value.category == 1
    assert list(api("/system/identity/print")) == [{"name": "MikroTik"}]


def test_system_resource_and_identity(sim, api):
    sim.advance(3723)
    (resource,) = api.path("system", "resource")
    assert resource["uptime"] == "1h2m3s" and resource["version"] == "7.18.2 (stable)"
    assert isinstance(resource["total-memory"], int)
    tuple(api("/system/identity/set", name="lps-core"))
    assert list(api.path("system", "identity")) == [{"name": "lps-core"}]


# ---- login ------------------------------------------------------------------------------------------


def test_wrong_password_plain(sim):
    with pytest.raises(TrapError) as caught:
        connect(sim, password="wrong")
    assert caught.value.message == "invalid user name or password (6)" and caught.value.category is None
    with pytest.raises(TrapError):
        librouteros.connect("127.0.0.1", "nobody", PASSWORD, port=sim.port, timeout=3)


def test_token_login_vector():
    assert token_response("abc123", "passTest") == "0021277bff9ac7caf06aa608e46616d47f"


def test_token_login_works_and_wrong_password_cannot_log_in():
    with RouterSimulator(USER, PASSWORD, login_method="token") as sim:
        api = connect(sim, login_method=librouteros.login.token)
        assert list(api("/system/identity/print")) == [{"name": "MikroTik"}]
        api.close()
        with pytest.raises(TrapError, match=r"^cannot log in$"):
            connect(sim, password="wrong", login_method=librouteros.login.token)
        with pytest.raises(TrapError, match="cannot log in"):
            connect(sim)  # a plain login against a token-only router


def test_plain_router_refuses_token_login(sim):
    with pytest.raises(TrapError, match=r"invalid user name or password \(6\)"):
        connect(sim, login_method=librouteros.login.token)


def test_tls_with_the_generated_certificate():
    with RouterSimulator(USER, PASSWORD, tls=True) as sim:
        ctx = ssl.create_default_context()
        ctx.load_verify_locations(sim.cafile)
        wrapper = functools.partial(ctx.wrap_socket, server_hostname="localhost")
        api = connect(sim, ssl_wrapper=wrapper)
        assert api.path("queue", "simple").add(name="tls") == "*1"
        api.close()
        with pytest.raises(ssl.SSLError):
            connect(
                sim,
                ssl_wrapper=functools.partial(ssl.create_default_context().wrap_socket, server_hostname="x"),
            )


def test_command_before_login_is_fatal(raw):
    raw.send("/ip/arp/print")
    assert raw.read() == ["!fatal", "not logged in"]
    assert raw.closed()


def test_quit_is_fatal_session_terminated(raw):
    raw.login()
    raw.send("/quit")
    assert raw.read() == ["!fatal", "session terminated on request"]
    assert raw.closed()


def test_librouteros_sees_quit_as_fatal_error(api):
    with pytest.raises(FatalError, match="session terminated on request"):
        list(api("/quit"))


def test_log_redacts_the_password_and_writes_counts_changes(sim, api):
    api.path("ip", "arp").add(address="10.0.0.1")
    list(api.path("ip", "arp"))
    api.path("ip", "arp").update(**{".id": "*1", "comment": "x"})
    login = sim.log[0]
    assert login.command == "/login" and login.attributes == {"name": USER, "password": "***"}
    assert PASSWORD not in " ".join(str(entry) for entry in sim.log)
    assert [entry.command for entry in sim.writes()] == ["/ip/arp/add", "/ip/arp/set"]
    sim.clear_log()
    assert sim.log == []


# ---- wire details -----------------------------------------------------------------------------------


def test_add_reply_is_done_with_ret_and_nothing_else(raw):
    raw.login()
    raw.send("/ip/arp/add", "=address=10.0.0.1")
    assert raw.until_done() == [["!done", "=ret=*1"]]


def test_trap_is_followed_by_done(raw):
    raw.login()
    raw.send("/ip/arp/remove", "=.id=*7")
    assert raw.until_done() == [["!trap", "=message=no such item"], ["!done"]]


def test_tag_is_echoed_only_when_sent(raw):
    raw.login()
    raw.send("/system/identity/print", ".tag=42")
    assert raw.until_done() == [["!re", ".tag=42", "=name=MikroTik"], ["!done", ".tag=42"]]
    raw.send("/system/identity/print")
    assert raw.until_done() == [["!re", "=name=MikroTik"], ["!done"]]


def test_empty_print_answers_empty_then_done_from_7_18_and_done_alone_before():
    with RouterSimulator(USER, PASSWORD, version="7.18") as sim:
        client = RawClient(sim.port)
        client.login()
        client.send("/ip/arp/print")
        assert client.until_done() == [["!empty"], ["!done"]]
        client.send("/ip/arp/print", "=count-only=")
        assert client.until_done() == [["!done", "=ret=0"]]
        client.close()
        api = connect(sim)
        assert list(api.path("ip", "arp")) == []
        api.close()
    with RouterSimulator(USER, PASSWORD, version="7.17") as sim:
        client = RawClient(sim.port)
        client.login()
        client.send("/ip/arp/print")
        assert client.until_done() == [["!done"]]
        client.close()
        api = connect(sim)
        assert list(api.path("ip", "arp")) == []
        assert next(iter(api.path("system", "resource")))["version"] == "7.17 (stable)"
        api.close()


def test_the_default_is_the_latest_behaviour():
    with RouterSimulator(USER, PASSWORD) as sim:
        client = RawClient(sim.port)
        client.login()
        client.send("/ip/arp/print", ".tag=e")
        assert client.until_done() == [["!empty", ".tag=e"], ["!done", ".tag=e"]]
        client.close()


@pytest.mark.parametrize("version", ["7", "7.x", "6.42", "8.0", ""])
def test_unknown_versions_are_refused(version):
    with pytest.raises(ValueError):
        RouterSimulator(USER, PASSWORD, version=version)


def test_malformed_sentence_is_fatal_and_others_keep_being_served(sim, api):
    bad = RawClient(sim.port)
    bad.login()
    bad.send_bytes(b"\x05/quit\xf8\x00")
    reply = bad.read()
    assert reply[0] == "!fatal" and "control byte" in reply[1]
    assert bad.closed()
    bad.close()
    half = RawClient(sim.port)
    half.send_bytes(b"\x0a/ip/a")  # EOF in the middle of a word
    half.close()
    assert api.path("ip", "arp").add(address="10.0.0.1") == "*1"
    other = connect(sim)
    assert len(list(other.path("ip", "arp"))) == 1
    other.close()


def test_empty_sentences_are_ignored(raw):
    raw.send_bytes(b"\x00\x00")
    raw.login()


def test_concurrent_clients_get_distinct_ids(sim):
    made, errors = [], []

    def worker(n):
        try:
            api = connect(sim)
            for i in range(10):
                made.append(api.path("ip", "firewall", "address-list").add(list="l", address=f"10.{n}.0.{i}"))
            api.close()
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(made, key=lambda i: int(i[1:], 16)) == [f"*{n:X}" for n in range(1, 51)]


# ---- injections -------------------------------------------------------------------------------------


def test_injected_trap_answers_once_without_executing(sim, api):
    sim.inject("/ip/firewall/address-list/add", trap="failure: router busy", category=4)
    lists = api.path("ip", "firewall", "address-list")
    with pytest.raises(TrapError) as caught:
        lists.add(list="l", address="10.0.0.1")
    assert (caught.value.message, caught.value.category) == ("failure: router busy", 4)
    assert list(lists) == []
    lists.add(list="l", address="10.0.0.1")
    assert len(list(lists)) == 1


def test_injected_delay_trips_the_client_timeout(sim):
    api = connect(sim, timeout=0.3)
    sim.inject("/queue/simple/print", delay=0.8)
    with pytest.raises(TimeoutError):
        list(api.path("queue", "simple"))
    api.close()


def test_injected_drop_closes_without_answering_or_executing(sim, api):
    sim.inject("/ip/arp", drop=True)
    with pytest.raises((ConnectionClosed, OSError)):
        api.path("ip", "arp").add(address="10.0.0.1")
    assert sim.menu("/ip/arp").rows() == []
    again = connect(sim)
    assert again.path("ip", "arp").add(address="10.0.0.1") == "*1"
    again.close()


def test_injected_drop_after_executes_but_never_answers(sim, api):
    sim.inject("/ip/arp/add", drop="after")
    with pytest.raises((ConnectionClosed, OSError)):
        api.path("ip", "arp").add(address="10.0.0.1")
    assert [row["address"] for row in sim.menu("/ip/arp").rows()] == ["10.0.0.1"]


# ---- traffic and reboot over the API ----------------------------------------------------------------


def queue_bytes(api, name):
    (row,) = api.path("queue", "simple").select(Key("bytes")).where(Key("name") == name)
    up, down = row["bytes"].split("/")
    return int(up), int(down)


def test_flow_is_capped_by_the_queue_max_limit(sim, api):
    api.path("queue", "simple").add(name="u1", target="10.5.0.9", **{"max-limit": "10M/10M"})
    sim.start_flow("10.5.0.9", 100_000_000, seconds=10)
    sim.advance(10)
    assert queue_bytes(api, "u1") == (0, 12_500_000)


def test_lowering_max_limit_mid_flow_through_the_api(sim, api):
    queues = api.path("queue", "simple")
    queues.add(name="u1", target="10.5.0.9", **{"max-limit": "10M/10M"})
    sim.start_flow("10.5.0.9", 100_000_000)
    sim.advance(2)
    queues.update(**{".id": "u1", "max-limit": "64k/64k"})
    sim.advance(2)
    assert queue_bytes(api, "u1") == (0, 2_500_000 + 16_000)
    (row,) = queues.select(Key("rate"))
    assert row["rate"] == "0/64000"


def test_reboot_zeroes_counters_drops_dynamic_entries_and_connections(sim, api):
    api.path("queue", "simple").add(name="u1", target="10.5.0.9")
    api.path("ip", "firewall", "address-list").add(list="klient_fup", address="10.5.0.9", timeout="1d")
    sim.menu("/ip/hotspot/host").add(
        {"address": "10.5.0.9", "mac-address": "AA:BB:CC:00:00:09", "bypassed": True}
    )
    sim.menu("/ip/dhcp-server/lease").add(
        {"address": "10.5.0.9", "mac-address": "AA:BB:CC:00:00:09"}, dynamic=True
    )
    sim.add_traffic("AA:BB:CC:00:00:09", 10_000, 1)
    sim.advance(60)
    assert queue_bytes(api, "u1") == (0, 10_000)
    assert sim.menu("/ip/hotspot/host").rows()[0]["bytes-out"] == "10000"
    sim.reboot()
    with pytest.raises((ConnectionClosed, OSError)):
        list(api.path("queue", "simple"))
    fresh = connect(sim)
    assert queue_bytes(fresh, "u1") == (0, 0)
    assert list(fresh.path("ip", "firewall", "address-list")) == []
    assert list(fresh.path("ip", "hotspot", "host")) == []
    assert list(fresh.path("ip", "dhcp-server", "lease")) == []
    assert next(iter(fresh.path("system", "resource")))["uptime"] == "0s"
    fresh.close()


def test_system_reboot_command_reboots(sim, api):
    sim.menu("/ip/hotspot/host").add({"address": "10.5.0.9"})
    tuple(api("/system/reboot"))
    assert sim.menu("/ip/hotspot/host").rows() == []


@contextlib.contextmanager
def serving_cli(argv, **kwargs):
    """Run ``cli.main`` in a thread; yields (port, printed text) once it has printed its address."""
    from routeros_sim.cli import main

    out, stop = io.StringIO(), threading.Event()
    thread = threading.Thread(target=main, args=(argv,), kwargs={"stop": stop, "out": out, **kwargs})
    thread.start()
    try:
        for _ in range(100):
            found = re.search(r"listening on 127\.0\.0\.1:(\d+)", out.getvalue())
            if found:
                break
            time.sleep(0.02)
        yield int(found.group(1)), out.getvalue()
    finally:
        stop.set()
        thread.join(5)
    assert not thread.is_alive()


def test_cli_serves_until_stopped_and_prints_the_address():
    argv = ["--port", "0", "--user", USER, "--password", PASSWORD, "--identity", "demo"]
    with serving_cli(argv) as (port, _):
        api = librouteros.connect("127.0.0.1", USER, PASSWORD, port=port, timeout=3)
        assert list(api.path("system", "identity")) == [{"name": "demo"}]
        api.close()


def test_cli_on_start_plants_entries_before_the_address_is_printed():
    def plant(sim):
        sim.menu("/ip/hotspot/host").add({"mac-address": "AC:DE:48:00:00:01", "address": "10.5.0.1"})
        return "1 host planted"

    with serving_cli(["--port", "0", "--user", USER, "--password", PASSWORD], on_start=plant) as (port, out):
        assert re.search(r"listening on 127\.0\.0\.1:\d+, 1 host planted\n", out)
        api = librouteros.connect("127.0.0.1", USER, PASSWORD, port=port, timeout=3)
        assert [row["address"] for row in api.path("ip", "hotspot", "host")] == ["10.5.0.1"]
        api.close()
