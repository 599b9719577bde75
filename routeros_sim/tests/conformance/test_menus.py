"""Conformance: the menus lpsaring uses, as lpsaring uses them, and their error cases.

Every entry written carries a comment starting with the test's ``prefix`` (PREFIX...) and uses addresses
from the documentation ranges (192.0.2.0/24, 198.51.100.0/24) and locally administered MACs, disabled, so
running this against a production router changes nothing that forwards traffic. Interfaces are only
read on a router; changing them is checked on the simulator.
"""

from __future__ import annotations

import ipaddress
import re

import pytest
from librouteros.query import Key

from routeros_sim.tests.conformance import sources
from routeros_sim.tests.conformance.conftest import PREFIX

_MAC = re.compile(r"^[0-9A-F]{2}(:[0-9A-F]{2}){5}$")
_DURATION = re.compile(r"^(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?$")
_UNITS = {"": 1, "k": 10**3, "M": 10**6, "G": 10**9}


def seconds(duration: str) -> int:
    """``1d2h3m4s`` (RouterOS print format) in seconds."""
    assert duration and _DURATION.match(duration), f"not a RouterOS duration: {duration!r}"
    factors = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}
    return sum(int(n) * factors[u] for n, u in re.findall(r"(\d+)(w|d|h|m|s)(?!s)", duration))


def rate_pair(value: str) -> tuple[int, int]:
    """``10000000/512000`` or ``10M/512k`` as bits per second (what lpsaring's state comparison does)."""
    parts = [re.match(r"^(\d+)([kMG]?)$", part) for part in str(value).split("/")]
    assert len(parts) == 2 and all(parts), f"not a rate pair: {value!r}"
    up, down = (int(m.group(1)) * _UNITS[m.group(2)] for m in parts)
    return up, down


def is_bool(value: str) -> bool:
    return value in ("true", "false")


def add(wire, menu, *words) -> str:
    reply = wire.command(f"{menu}/add", *words)
    assert reply.kinds == ["!done"], reply.sentences
    return reply.done["ret"]


def rows(wire, menu, *words):
    reply = wire.command(f"{menu}/print", *words)
    assert reply.kinds[-1] == "!done" and "!trap" not in reply.kinds, reply.sentences
    return reply.rows


def trap(wire, command, *words) -> list[str]:
    reply = wire.command(command, *words)
    assert reply.kinds[-1] == "!done" and "!trap" in reply.kinds, f"expected a trap: {reply.sentences}"
    return reply.traps[0]


# ---- /interface ---------------------------------------------------------------------------------


@pytest.mark.source(sources.MANUAL_TAGS)
def test_interfaces_print_with_their_names_types_and_flags(wire):
    # Source: MANUAL_TAGS (the /interface rows in the listen example: .id, name, type, mtu, flags).
    found = rows(wire, "/interface", "=.proplist=.id,name,type,mtu,mac-address,running,disabled,dynamic")
    assert found
    for row in found:
        assert row[".id"].startswith("*") and row["name"] and row["type"]
        assert all(is_bool(row[flag]) for flag in ("running", "disabled", "dynamic")), row
    ether = [row for row in found if row["type"] == "ether"]
    assert ether and all(_MAC.match(row["mac-address"]) for row in ether)


@pytest.mark.source(sources.MANUAL_QUERIES)
def test_an_interface_is_found_by_name_in_a_query(wire, interface):
    # Source: MANUAL_QUERIES (?name=x pushes 'true' if property name equals x).
    (row,) = rows(wire, "/interface", "=.proplist=name,type", f"?name={interface}")
    assert row["name"] == interface


@pytest.mark.source(sources.MANUAL_TAGS)
def test_an_interface_is_disabled_and_commented_by_name(target, wire):
    # Source: MANUAL_TAGS ("/interface/set =disabled=yes =.id=ether1"). Changes an interface: simulator only.
    target.require_sim("changing an interface would disturb a real router")
    reply = wire.command("/interface/set", "=.id=ether2", "=disabled=yes", f"=comment={PREFIX}-uplink")
    assert reply.kinds == ["!done"]
    (row,) = rows(wire, "/interface", "=.proplist=disabled,running,comment", "?name=ether2")
    assert row == {"disabled": "true", "running": "false", "comment": f"{PREFIX}-uplink"}
    wire.command("/interface/set", "=.id=ether2", "=disabled=no", "=comment=")
    (row,) = rows(wire, "/interface", "=.proplist=disabled,running,comment", "?name=ether2")
    assert row == {"disabled": "false", "running": "true"}
    assert rows(wire, "/interface", "=.proplist=name", "?type=bridge")


# ---- /ip/address --------------------------------------------------------------------------------


@pytest.mark.source(sources.CAPTURES)
def test_ip_address_add_print_set_remove(wire, interface, prefix):
    # Source: CAPTURES ("Adding element": /ip/address/add =address= =interface= -> !done =ret=*3) and the
    # listen capture's fields (address, network, interface, actual-interface, invalid, dynamic, disabled).
    new = add(
        wire,
        "/ip/address",
        "=address=198.51.100.7/24",
        f"=interface={interface}",
        "=disabled=yes",
        f"=comment={prefix}",
    )
    proplist = "=.proplist=.id,address,network,interface,disabled,dynamic,invalid,comment"
    (row,) = rows(wire, "/ip/address", proplist, f"?.id={new}")
    assert row["address"] == "198.51.100.7/24" and row["network"] == "198.51.100.0"
    assert row["interface"] == interface and row["comment"] == prefix
    assert (row["disabled"], row["dynamic"]) == ("true", "false") and is_bool(row["invalid"])
    wire.command("/ip/address/set", f"=.id={new}", "=address=192.0.2.9/32")
    (row,) = rows(wire, "/ip/address", "=.proplist=address,network", f"?.id={new}")
    assert row == {"address": "192.0.2.9/32", "network": "192.0.2.9"}
    assert wire.command("/ip/address/remove", f"=.id={new}").kinds == ["!done"]
    assert rows(wire, "/ip/address", "=.proplist=.id", f"?comment={prefix}") == []


@pytest.mark.source(sources.LIBROUTEROS_INTEGRATION)
def test_librouteros_round_trip_on_ip_address(api, interface, prefix):
    # Source: LIBROUTEROS_INTEGRATION, the client's own integration test against a router.
    addresses = api.path("ip", "address")
    new = addresses.add(address="192.0.2.10/32", interface=interface, disabled=True, comment=prefix)
    found = list(
        addresses.select(Key(".id"), Key("address")).where(
            Key(".id") == new, Key("address") == "192.0.2.10/32"
        )
    )
    assert found == [{".id": new, "address": "192.0.2.10/32"}]
    addresses.remove(new)


# ---- /ip/firewall/address-list ------------------------------------------------------------------


@pytest.mark.source(sources.MANUAL_PROPLIST, sources.MANUAL_QUERIES)
def test_address_list_add_set_remove_with_proplist_and_query(wire, prefix):
    # Source: MANUAL_PROPLIST, MANUAL_QUERIES; lpsaring's reconciler reads
    # .id,list,address,comment,disabled,dynamic.
    first = add(
        wire, "/ip/firewall/address-list", f"=list={PREFIX}", "=address=192.0.2.20", f"=comment={prefix}a"
    )
    add(wire, "/ip/firewall/address-list", f"=list={PREFIX}", "=address=192.0.2.21", f"=comment={prefix}b")
    proplist = "=.proplist=.id,list,address,comment,disabled,dynamic"
    found = rows(wire, "/ip/firewall/address-list", proplist, f"?comment={prefix}a")
    assert found == [
        {
            ".id": first,
            "list": PREFIX,
            "address": "192.0.2.20",
            "comment": f"{prefix}a",
            "disabled": "false",
            "dynamic": "false",
        }
    ]
    wire.command("/ip/firewall/address-list/set", f"=.id={first}", "=disabled=yes", f"=comment={prefix}c")
    found = rows(wire, "/ip/firewall/address-list", "=.proplist=.id,disabled", f"?comment={prefix}c")
    assert found == [{".id": first, "disabled": "true"}]
    both = rows(
        wire,
        "/ip/firewall/address-list",
        "=.proplist=address",
        f"?comment={prefix}b",
        f"?comment={prefix}c",
        "?#|",
    )
    assert sorted(row["address"] for row in both) == ["192.0.2.20", "192.0.2.21"]
    assert wire.command("/ip/firewall/address-list/remove", f"=.id={first}").kinds == ["!done"]
    assert [
        row["address"]
        for row in rows(
            wire, "/ip/firewall/address-list", "=.proplist=address", f"?list={PREFIX}", f"?>comment={prefix}"
        )
    ] == ["192.0.2.21"]


@pytest.mark.source(sources.PRACTICE)
def test_address_list_timeout_makes_a_dynamic_entry_that_shows_its_remaining_time(wire, prefix):
    # Source: PRACTICE (routeros.md B: a timed entry is dynamic and print shows the time left).
    timed = add(
        wire,
        "/ip/firewall/address-list",
        f"=list={PREFIX}",
        "=address=192.0.2.30",
        "=timeout=1d",
        f"=comment={prefix}",
    )
    (row,) = rows(wire, "/ip/firewall/address-list", "=.proplist=timeout,dynamic", f"?.id={timed}")
    assert row["dynamic"] == "true"
    assert 0 < seconds(row["timeout"]) <= 86400
    permanent = add(
        wire, "/ip/firewall/address-list", f"=list={PREFIX}", "=address=192.0.2.31", f"=comment={prefix}"
    )
    (row,) = rows(wire, "/ip/firewall/address-list", "=.proplist=dynamic", f"?.id={permanent}")
    assert row == {"dynamic": "false"}


@pytest.mark.source(sources.PRACTICE)
def test_a_duplicate_address_list_entry_is_refused(wire, prefix):
    # Source: PRACTICE ("failure: already have such entry"; lpsaring treats it as already done).
    add(wire, "/ip/firewall/address-list", f"=list={PREFIX}", "=address=192.0.2.40", f"=comment={prefix}")
    words = trap(
        wire, "/ip/firewall/address-list/add", f"=list={PREFIX}", "=address=192.0.2.40", f"=comment={prefix}"
    )
    assert words[-1] == "=message=failure: already have such entry"
    assert len(rows(wire, "/ip/firewall/address-list", "=.proplist=.id", f"?comment={prefix}")) == 1


@pytest.mark.source(sources.MANUAL_QUERIES)
def test_lpsaring_scope_query_selects_one_users_comments(wire, prefix):
    # Source: MANUAL_QUERIES (?< ?> on strings, ?#& ?#|): routers/reconcile.py _scope_query selects
    # comments "<tag>u=1" and "<tag>u=1:..." but not "<tag>u=12".
    for n, suffix in enumerate(("u=1", "u=1:d=2", "u=12", "u=2")):
        add(
            wire,
            "/ip/firewall/address-list",
            f"=list={PREFIX}",
            f"=address=192.0.2.{50 + n}",
            f"=comment={prefix}{suffix}",
        )
    scope = [f"?>comment={prefix}u=1:", f"?<comment={prefix}u=1;", "?#&", f"?=comment={prefix}u=1", "?#|"]
    found = rows(wire, "/ip/firewall/address-list", "=.proplist=comment", *scope)
    assert sorted(row["comment"] for row in found) == [f"{prefix}u=1", f"{prefix}u=1:d=2"]


@pytest.mark.source(sources.PRACTICE)
def test_count_only_answers_done_with_the_count(wire, prefix):
    # Source: PRACTICE (print =count-only= -> !done =ret=N).
    for n in range(3):
        add(
            wire,
            "/ip/firewall/address-list",
            f"=list={PREFIX}",
            f"=address=192.0.2.{60 + n}",
            f"=comment={prefix}",
        )
    reply = wire.command("/ip/firewall/address-list/print", "=count-only=", f"?comment={prefix}")
    assert reply.kinds == ["!done"] and reply.done == {"ret": "3"}


@pytest.mark.source(sources.CAPTURES)
def test_a_proplist_field_an_entry_lacks_gives_a_bare_re(wire, prefix):
    # Source: CAPTURES ("Multiple empty responses": print =.proplist=comment -> "!re" with no words).
    add(wire, "/ip/firewall/address-list", f"=list={PREFIX}", "=address=192.0.2.70", f"=comment={prefix}")
    tag = wire.next_tag()
    reply = wire.command(
        "/ip/firewall/address-list/print", "=.proplist=lps-conformance-none", f"?comment={prefix}", tag=tag
    )
    assert reply.sentences == [["!re", f".tag={tag}"], ["!done", f".tag={tag}"]]


# ---- /ip/hotspot/ip-binding ---------------------------------------------------------------------


@pytest.mark.source(sources.PRACTICE)
def test_ip_binding_add_set_remove_and_mac_case(wire, prefix):
    # Source: PRACTICE (routeros.md B, ip-binding fields); lpsaring reads
    # .id,mac-address,type,comment,disabled.
    new = add(
        wire,
        "/ip/hotspot/ip-binding",
        "=mac-address=02:c0:ff:ee:00:01",
        "=type=bypassed",
        "=disabled=yes",
        f"=comment={prefix}",
    )
    (row,) = rows(
        wire,
        "/ip/hotspot/ip-binding",
        "=.proplist=.id,mac-address,type,comment,disabled",
        f"?comment={prefix}",
    )
    assert row == {
        ".id": new,
        "mac-address": "02:C0:FF:EE:00:01",
        "type": "bypassed",
        "comment": prefix,
        "disabled": "true",
    }
    wire.command("/ip/hotspot/ip-binding/set", f"=.id={new}", "=type=blocked")
    assert rows(
        wire,
        "/ip/hotspot/ip-binding",
        "=.proplist=type",
        "?mac-address=02:C0:FF:EE:00:01",
        f"?comment={prefix}",
    ) == [{"type": "blocked"}]
    wire.command("/ip/hotspot/ip-binding/remove", f"=.id={new}")
    assert rows(wire, "/ip/hotspot/ip-binding", "=.proplist=.id", f"?comment={prefix}") == []


@pytest.mark.source(sources.MANUAL_TRAP)
def test_an_invalid_value_is_refused_with_category_1(wire, prefix):
    # Source: MANUAL_TRAP (category 1 = argument value failure; "input does not match any value of ...").
    words = trap(
        wire,
        "/ip/hotspot/ip-binding/add",
        "=mac-address=02:C0:FF:EE:00:02",
        "=type=lps-vip",
        f"=comment={prefix}",
    )
    assert words == ["=category=1", "=message=input does not match any value of type"]
    assert rows(wire, "/ip/hotspot/ip-binding", "=.proplist=.id", f"?comment={prefix}") == []


# ---- /queue/simple ------------------------------------------------------------------------------


@pytest.mark.source(sources.PRACTICE, sources.MANUAL_TAGS)
def test_simple_queue_fields_counters_and_name_as_id(target, wire, prefix):
    # Source: PRACTICE (routeros.md B, Queues manual fields; a queue's name works as its .id, as
    # MANUAL_TAGS shows for ether1); lpsaring reads .id,name,target,max-limit,comment,disabled and bytes.
    name = f"{prefix}q"
    new = add(
        wire,
        "/queue/simple",
        f"=name={name}",
        "=target=192.0.2.80",
        "=max-limit=10M/512k",
        "=disabled=yes",
        f"=comment={prefix}",
    )
    (row,) = rows(
        wire,
        "/queue/simple",
        "=.proplist=.id,name,target,max-limit,bytes,total-bytes,disabled",
        f"?name={name}",
    )
    assert row[".id"] == new and row["target"] == "192.0.2.80/32" and row["disabled"] == "true"
    assert rate_pair(row["max-limit"]) == (10_000_000, 512_000)
    up, down = (int(part) for part in row["bytes"].split("/"))
    assert int(row["total-bytes"]) == up + down
    wire.command("/queue/simple/set", f"=.id={name}", "=max-limit=1M/1M")
    (row,) = rows(wire, "/queue/simple", "=.proplist=max-limit", f"?.id={new}")
    assert rate_pair(row["max-limit"]) == (1_000_000, 1_000_000)
    if target.sim is not None:  # only the simulator can make traffic on demand
        target.sim.menu("/queue/simple").set(new, {"disabled": False})
        target.sim.add_traffic("192.0.2.80", 1000, 2)
        assert rows(wire, "/queue/simple", "=.proplist=bytes", f"?.id={new}") == [{"bytes": "0/2000"}]
    assert wire.command("/queue/simple/reset-counters", f"=.id={new}").kinds == ["!done"]
    assert rows(wire, "/queue/simple", "=.proplist=bytes,total-bytes", f"?.id={new}") == [
        {"bytes": "0/0", "total-bytes": "0"}
    ]
    wire.command("/queue/simple/remove", f"=.id={name}")
    assert rows(wire, "/queue/simple", "=.proplist=.id", f"?comment={prefix}") == []


@pytest.mark.source(sources.PRACTICE)
def test_a_duplicate_queue_name_is_refused(wire, prefix):
    # Source: PRACTICE (the text is unverified, so only the refusal is checked).
    add(
        wire,
        "/queue/simple",
        f"=name={prefix}dup",
        "=target=192.0.2.81",
        "=disabled=yes",
        f"=comment={prefix}",
    )
    trap(
        wire,
        "/queue/simple/add",
        f"=name={prefix}dup",
        "=target=192.0.2.82",
        "=disabled=yes",
        f"=comment={prefix}",
    )
    assert len(rows(wire, "/queue/simple", "=.proplist=.id", f"?comment={prefix}")) == 1


# ---- error cases ---------------------------------------------------------------------------------


@pytest.mark.parametrize("verb", ["set", "remove"])
@pytest.mark.source(sources.PRACTICE)
def test_a_missing_id_is_no_such_item(wire, verb):
    # Source: PRACTICE ("no such item"; lpsaring retries a bulk remove one by one on it).
    words = ["=comment=lps-conformance-x"] if verb == "set" else []
    assert "no such item" in trap(wire, f"/ip/firewall/address-list/{verb}", "=.id=*FFFFFF", *words)[-1]


@pytest.mark.source(sources.PRACTICE)
def test_a_bulk_remove_naming_a_missing_id_traps(wire, prefix):
    # Source: PRACTICE; whatever the router did with the other ids, the reply is a trap.
    new = add(
        wire, "/ip/firewall/address-list", f"=list={PREFIX}", "=address=192.0.2.90", f"=comment={prefix}"
    )
    assert "no such item" in trap(wire, "/ip/firewall/address-list/remove", f"=.id={new},*FFFFFF")[-1]


@pytest.mark.source(sources.PRACTICE)
def test_an_unknown_parameter_is_refused(wire, prefix):
    # Source: PRACTICE ("unknown parameter").
    words = trap(
        wire,
        "/ip/firewall/address-list/add",
        f"=list={PREFIX}",
        "=address=192.0.2.91",
        "=lps-bogus=1",
        f"=comment={prefix}",
    )
    assert words[-1].startswith("=message=unknown parameter")


# ---- read-only tables lpsaring reads -------------------------------------------------------------


@pytest.mark.source(sources.HOTSPOT)
def test_hotspot_hosts_carry_what_the_identity_lookup_and_counters_read(target, wire):
    # Source: HOTSPOT (the host table); routers/identity.py and routers/counters.py read these columns.
    if target.sim is not None:
        target.sim.menu("/ip/hotspot/host").add(
            {"mac-address": "02:C0:FF:EE:00:10", "address": "192.0.2.100", "bypassed": True}
        )
    found = rows(
        wire,
        "/ip/hotspot/host",
        "=.proplist=mac-address,address,idle-time,bypassed,authorized,bytes-in,bytes-out",
    )
    if not found:
        pytest.skip("the router has no hotspot hosts to read")
    for row in found:
        assert _MAC.match(row["mac-address"]) and ipaddress.IPv4Address(row["address"])
        seconds(row["idle-time"])
        assert is_bool(row["bypassed"]) and is_bool(row["authorized"])
        assert row["bytes-in"].isdigit() and row["bytes-out"].isdigit()
    (first, *_) = found
    looked_up = rows(
        wire, "/ip/hotspot/host", "=.proplist=mac-address,address", f"?address={first['address']}"
    )
    assert {"mac-address": first["mac-address"], "address": first["address"]} in looked_up


@pytest.mark.source(sources.PRACTICE)
def test_leases_and_arp_carry_what_the_reconciler_reads(target, wire):
    # Source: PRACTICE (routeros.md B); routers/reconcile.py and routers/identity.py read these columns.
    if target.sim is not None:
        lease = {"mac-address": "02:C0:FF:EE:00:11", "address": "192.0.2.101", "status": "bound"}
        target.sim.menu("/ip/dhcp-server/lease").add(lease, dynamic=True)
        target.sim.menu("/ip/arp").add(
            {"mac-address": "02:C0:FF:EE:00:11", "address": "192.0.2.101"}, dynamic=True
        )
    for row in rows(
        wire, "/ip/dhcp-server/lease", "=.proplist=.id,mac-address,address,status,dynamic,disabled"
    ):
        assert row[".id"].startswith("*") and is_bool(row["dynamic"]) and is_bool(row["disabled"])
    for row in rows(wire, "/ip/arp", "=.proplist=.id,mac-address,address,dynamic"):
        assert ipaddress.IPv4Address(row["address"]) and is_bool(row["dynamic"])


@pytest.mark.source(sources.PRACTICE)
def test_system_resource_and_identity(wire):
    # Source: PRACTICE; lpsaring reads version and uptime (reboot detection) and the identity name.
    (resource,) = rows(wire, "/system/resource", "=.proplist=version,uptime")
    assert re.match(r"^\d+\.\d+(\.\d+)?", resource["version"])
    seconds(resource["uptime"])
    (identity,) = rows(wire, "/system/identity")
    assert identity["name"]
