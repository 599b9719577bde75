"""Menu tables, commands, clock, traffic and reboot of the RouterOS simulator, in process."""

import pytest

from routeros_sim.menus import Trap
from routeros_sim.protocol import parse_request
from routeros_sim.router import Router


@pytest.fixture
def router():
    return Router()


def run(router, command, *words):
    return router.execute(parse_request([command, *words]))


def rows(router, command, *words):
    return run(router, command, *words).rows


def trap(router, command, *words):
    with pytest.raises(Trap) as caught:
        run(router, command, *words)
    return caught.value.message


# ---- ids and generic commands -----------------------------------------------------------------


def test_add_returns_upper_hex_ids_that_are_never_reused(router):
    made = [run(router, "/ip/arp/add", f"=address=10.0.0.{n}").ret for n in range(1, 12)]
    assert made[:3] == ["*1", "*2", "*3"]
    assert made[9:] == ["*A", "*B"]
    run(router, "/ip/arp/remove", "=.id=*B")
    assert run(router, "/ip/arp/add", "=address=10.0.0.99").ret == "*C"


def test_add_answers_with_ret_only(router):
    result = run(router, "/ip/hotspot/ip-binding/add", "=mac-address=aa:bb:cc:00:00:01")
    assert result.rows == [] and result.ret == "*1"


def test_ids_are_allocated_per_menu(router):
    run(router, "/ip/arp/add", "=address=10.0.0.1")
    assert run(router, "/ip/hotspot/ip-binding/add", "=address=10.0.0.1").ret == "*1"


def test_ip_binding_defaults_and_normalised_mac(router):
    run(router, "/ip/hotspot/ip-binding/add", "=mac-address=aa-bb-cc-00-00-01", "=type=bypassed")
    (row,) = rows(router, "/ip/hotspot/ip-binding/print")
    assert row["mac-address"] == "AA:BB:CC:00:00:01"
    assert row["server"] == "all"
    assert row["type"] == "bypassed"
    assert row["disabled"] == "false"
    assert "comment" not in row and "to-address" not in row


def test_unknown_and_read_only_parameters_trap(router):
    assert trap(router, "/ip/hotspot/ip-binding/add", "=colour=red") == "unknown parameter colour"
    run(router, "/queue/simple/add", "=name=q", "=target=10.0.0.1")
    assert trap(router, "/queue/simple/set", "=.id=q", "=bytes=1/1") == "unknown parameter bytes"


def test_bad_enum_and_boolean_values_trap_with_input_does_not_match(router):
    message = trap(router, "/ip/hotspot/ip-binding/add", "=type=vip")
    assert message == "input does not match any value of type"
    assert trap(router, "/ip/arp/add", "=address=10.0.0.1", "=disabled=maybe") == (
        "input does not match any value of disabled"
    )
    assert trap(router, "/ip/arp/add", "=address=10.0.0.300") == "invalid value for argument address"
    assert rows(router, "/ip/arp/print") == []


def test_booleans_accept_yes_no_and_print_true_false(router):
    run(router, "/ip/arp/add", "=address=10.0.0.1", "=disabled=yes")
    run(router, "/ip/arp/add", "=address=10.0.0.2", "=disabled=false")
    assert [r["disabled"] for r in rows(router, "/ip/arp/print")] == ["true", "false"]


def test_set_and_remove_take_comma_lists_and_are_all_or_nothing(router):
    for n in (1, 2, 3):
        run(router, "/ip/hotspot/ip-binding/add", f"=address=10.0.0.{n}")
    run(router, "/ip/hotspot/ip-binding/set", "=.id=*1,*3", "=comment=lps:1")
    assert [r.get("comment") for r in rows(router, "/ip/hotspot/ip-binding/print")] == [
        "lps:1",
        None,
        "lps:1",
    ]
    assert trap(router, "/ip/hotspot/ip-binding/set", "=.id=*2,*9", "=comment=x") == "no such item"
    assert trap(router, "/ip/hotspot/ip-binding/remove", "=.id=*1,*9") == "no such item"
    assert len(rows(router, "/ip/hotspot/ip-binding/print")) == 3
    run(router, "/ip/hotspot/ip-binding/remove", "=.id=*1,*2")
    assert [r[".id"] for r in rows(router, "/ip/hotspot/ip-binding/print")] == ["*3"]


def test_enable_disable_unset(router):
    run(router, "/ip/hotspot/ip-binding/add", "=address=10.0.0.1", "=comment=c", "=type=blocked")
    run(router, "/ip/hotspot/ip-binding/disable", "=.id=*1")
    assert rows(router, "/ip/hotspot/ip-binding/print")[0]["disabled"] == "true"
    run(router, "/ip/hotspot/ip-binding/enable", "=numbers=*1")
    run(router, "/ip/hotspot/ip-binding/unset", "=.id=*1", "=value-name=comment,type")
    row = rows(router, "/ip/hotspot/ip-binding/print")[0]
    assert row["disabled"] == "false" and row["type"] == "regular" and "comment" not in row


def test_empty_value_clears_an_optional_field(router):
    run(router, "/ip/hotspot/ip-binding/add", "=address=10.0.0.1", "=comment=c")
    run(router, "/ip/hotspot/ip-binding/set", "=.id=*1", "=comment=")
    assert "comment" not in rows(router, "/ip/hotspot/ip-binding/print")[0]


def traps(router, command):
    with pytest.raises(Trap) as caught:
        run(router, command)
    return caught.value.traps


def test_unknown_menu_and_unknown_command_name_the_first_unknown_part(router):
    prefix = ("no such command prefix", None)
    assert traps(router, "/ip/nonsense/print") == [("no such command or directory (nonsense)", 0), prefix]
    assert traps(router, "/system/routerboard/getall")[0][0] == "no such command or directory (routerboard)"
    assert (
        traps(router, "/ip/hotspot/ip-binding/frobnicate")[0][0]
        == "no such command or directory (frobnicate)"
    )
    assert traps(router, "/ip/hotspot/active/add") == [("no such command or directory (add)", 0), prefix]
    assert traps(router, "/system/resource/set")[0][0] == "no such command or directory (set)"
    assert traps(router, "/interface/add")[0][0] == "no such command or directory (add)"


# ---- print --------------------------------------------------------------------------------------


def test_print_proplist_query_and_count_only(router):
    for n, kind in ((1, "bypassed"), (2, "blocked"), (3, "bypassed")):
        run(router, "/ip/hotspot/ip-binding/add", f"=address=10.0.0.{n}", f"=type={kind}")
    got = rows(router, "/ip/hotspot/ip-binding/print", "=.proplist=.id,address,nope", "?=type=bypassed")
    assert got == [{".id": "*1", "address": "10.0.0.1"}, {".id": "*3", "address": "10.0.0.3"}]
    result = run(router, "/ip/hotspot/ip-binding/print", "=count-only=", "?=type=bypassed")
    assert result.rows == [] and result.ret == "2"
    assert run(router, "/ip/hotspot/ip-binding/getall", "=count-only=").ret == "3"


def test_print_ignores_detail_stats_and_paging_but_not_unknown_options(router):
    run(router, "/ip/arp/add", "=address=10.0.0.1")
    assert len(rows(router, "/ip/arp/print", "=detail=", "=stats=", "=without-paging=")) == 1
    assert trap(router, "/ip/arp/print", "=follow=") == "unknown parameter follow"


def test_print_from_selects_ids(router):
    for n in (1, 2, 3):
        run(router, "/ip/arp/add", f"=address=10.0.0.{n}")
    assert [r[".id"] for r in rows(router, "/ip/arp/print", "=from=*3,*1")] == ["*1", "*3"]


# ---- address-list -------------------------------------------------------------------------------


def test_address_list_duplicate_list_and_address_traps(router):
    run(router, "/ip/firewall/address-list/add", "=list=klient_aktif", "=address=10.0.0.5")
    assert trap(router, "/ip/firewall/address-list/add", "=list=klient_aktif", "=address=10.0.0.5/32") == (
        "failure: already have such entry"
    )
    run(router, "/ip/firewall/address-list/add", "=list=klient_fup", "=address=10.0.0.5")
    assert trap(router, "/ip/firewall/address-list/set", "=.id=*2", "=list=klient_aktif") == (
        "failure: already have such entry"
    )
    assert (
        trap(router, "/ip/firewall/address-list/add", "=list=x") == "missing value(s) of argument(s) address"
    )


def test_address_list_normalises_addresses(router):
    for address in ("10.0.0.5/32", "10.1.2.3/24", "10.9.0.0-10.9.0.255", "Example.COM"):
        run(router, "/ip/firewall/address-list/add", "=list=l", f"=address={address}")
    got = [r["address"] for r in rows(router, "/ip/firewall/address-list/print")]
    assert got == ["10.0.0.5", "10.1.2.0/24", "10.9.0.0/24", "example.com"]


def test_address_list_timeout_counts_down_makes_dynamic_and_expires(router):
    run(router, "/ip/firewall/address-list/add", "=list=l", "=address=10.0.0.1", "=timeout=1d")
    run(router, "/ip/firewall/address-list/add", "=list=l", "=address=10.0.0.2")
    timed, permanent = rows(router, "/ip/firewall/address-list/print")
    assert timed["timeout"] == "1d" and timed["dynamic"] == "true"
    assert "timeout" not in permanent and permanent["dynamic"] == "false"
    assert timed["creation-time"]
    router.advance(2)
    assert rows(router, "/ip/firewall/address-list/print")[0]["timeout"] == "23h59m58s"
    router.advance(86400)
    assert [r["address"] for r in rows(router, "/ip/firewall/address-list/print")] == ["10.0.0.2"]


# ---- /queue/simple ------------------------------------------------------------------------------


def test_queue_normalises_target_and_rates(router):
    run(
        router,
        "/queue/simple/add",
        "=name=u1",
        "=target=10.0.0.5,10.0.1.0/24",
        "=max-limit=10M/512k",
        "=limit-at=64000",
    )
    row = rows(router, "/queue/simple/print")[0]
    assert row["target"] == "10.0.0.5/32,10.0.1.0/24"
    assert row["max-limit"] == "10000000/512000"
    assert row["limit-at"] == "64000/64000"
    assert row["priority"] == "8/8"
    assert row["queue"] == "default-small/default-small"
    assert row["parent"] == "none"
    assert row["bytes"] == "0/0" and row["rate"] == "0/0" and row["total-bytes"] == "0"
    assert (
        trap(router, "/queue/simple/set", "=.id=u1", "=max-limit=fast")
        == "invalid value for argument max-limit"
    )
    assert (
        trap(router, "/queue/simple/set", "=.id=u1", "=queue=turbo")
        == "input does not match any value of queue"
    )


def test_queue_names_are_unique_ids_and_auto_assigned(router):
    run(router, "/queue/simple/add", "=name=u1", "=target=10.0.0.1")
    assert (
        trap(router, "/queue/simple/add", "=name=u1", "=target=10.0.0.2")
        == "failure: already have such entry"
    )
    assert run(router, "/queue/simple/add", "=target=10.0.0.3").ret == "*2"
    run(router, "/queue/simple/set", "=.id=u1", "=comment=by-name")
    got = rows(router, "/queue/simple/print", "=.proplist=name,comment")
    assert got == [{"name": "u1", "comment": "by-name"}, {"name": "queue1"}]
    run(router, "/queue/simple/remove", "=.id=queue1")
    assert len(rows(router, "/queue/simple/print")) == 1


def test_duplicate_queue_name_trap_is_configurable():
    router = Router(queue_name_trap="failure: already have queue with such name")
    run(router, "/queue/simple/add", "=name=u1")
    assert trap(router, "/queue/simple/add", "=name=u1") == "failure: already have queue with such name"


def test_duplicate_binding_mac_trap_is_off_by_default_and_configurable(router):
    for _ in range(2):
        run(router, "/ip/hotspot/ip-binding/add", "=mac-address=AA:BB:CC:00:00:01")
    strict = Router(binding_mac_trap="failure: already have such entry")
    run(strict, "/ip/hotspot/ip-binding/add", "=mac-address=AA:BB:CC:00:00:01")
    assert trap(strict, "/ip/hotspot/ip-binding/add", "=mac-address=aa:bb:cc:00:00:01") == (
        "failure: already have such entry"
    )


def test_queue_parent_must_name_another_queue(router):
    run(router, "/queue/simple/add", "=name=all", "=target=10.0.0.0/24")
    run(router, "/queue/simple/add", "=name=u1", "=target=10.0.0.1", "=parent=all")
    assert (
        trap(router, "/queue/simple/add", "=name=u2", "=parent=ghost")
        == "input does not match any value of parent"
    )


def test_queue_place_before_and_move(router):
    run(router, "/queue/simple/add", "=name=a")
    run(router, "/queue/simple/add", "=name=b")
    run(router, "/queue/simple/add", "=name=c", "=place-before=a")
    assert [r["name"] for r in rows(router, "/queue/simple/print")] == ["c", "a", "b"]
    run(router, "/queue/simple/move", "=numbers=c", "=destination=b")
    assert [r["name"] for r in rows(router, "/queue/simple/print")] == ["a", "c", "b"]


def test_reset_counters_and_reset_counters_all(router):
    for name in ("a", "b"):
        router.menu("/queue/simple").add({"name": name, "bytes": "5/7", "packets": "1/1"})
    run(router, "/queue/simple/reset-counters", "=.id=a")
    assert [r["bytes"] for r in rows(router, "/queue/simple/print")] == ["0/0", "5/7"]
    assert rows(router, "/queue/simple/print")[1]["total-bytes"] == "12"
    run(router, "/queue/simple/reset-counters-all")
    assert [r["bytes"] for r in rows(router, "/queue/simple/print")] == ["0/0", "0/0"]


# ---- other menus --------------------------------------------------------------------------------


def test_dhcp_make_static_turns_a_dynamic_lease_static(router):
    lease = router.menu("/ip/dhcp-server/lease").add(
        {"address": "10.0.0.7", "mac-address": "aa:bb:cc:00:00:07", "host-name": "hp"}, dynamic=True
    )
    (row,) = rows(router, "/ip/dhcp-server/lease/print")
    assert row["dynamic"] == "true" and row["status"] == "bound" and row["last-seen"] == "0s"
    run(router, "/ip/dhcp-server/lease/make-static", f"=.id={lease}")
    router.reboot()
    (row,) = rows(router, "/ip/dhcp-server/lease/print")
    assert row["dynamic"] == "false" and row["mac-address"] == "AA:BB:CC:00:00:07"
    run(router, "/ip/dhcp-server/lease/add", "=address=10.0.0.8", "=mac-address=AA:BB:CC:00:00:08")
    assert rows(router, "/ip/dhcp-server/lease/print")[1]["status"] == "waiting"


def test_planted_hosts_keep_their_times_moving(router):
    router.menu("/ip/hotspot/host").add(
        {"address": "10.0.0.9", "mac-address": "AA:BB:CC:00:00:09", "uptime": "1m"}
    )
    router.advance(65)
    (row,) = rows(router, "/ip/hotspot/host/print")
    assert row["uptime"] == "2m5s" and row["idle-time"] == "1m5s" and row["dynamic"] == "true"
    assert row["authorized"] == "false" and row["bytes-out"] == "0"


def test_walled_garden_menus(router):
    run(router, "/ip/hotspot/walled-garden/add", "=dst-host=*.midtrans.com", "=comment=lps")
    run(router, "/ip/hotspot/walled-garden/ip/add", "=dst-address=203.0.113.10", "=action=accept")
    assert rows(router, "/ip/hotspot/walled-garden/print")[0]["action"] == "allow"
    assert rows(router, "/ip/hotspot/walled-garden/ip/print")[0]["dst-address"] == "203.0.113.10"
    assert trap(router, "/ip/hotspot/walled-garden/add", "=action=accept") == (
        "input does not match any value of action"
    )


def test_system_resource_and_identity(router):
    router.advance(93784)
    (resource,) = rows(router, "/system/resource/print")
    assert resource["uptime"] == "1d2h3m4s"
    assert resource["version"] == "7.18.2 (stable)" and resource["board-name"] == "CHR"
    assert {"cpu-load", "free-memory", "total-memory"} <= set(resource)
    assert ".id" not in resource
    run(router, "/system/identity/set", "=name=lps-core")
    assert rows(router, "/system/identity/print") == [{"name": "lps-core"}]


# ---- traffic, clock, reboot ----------------------------------------------------------------------


def queue_bytes(router, name):
    up, down = router.menu("/queue/simple").get(name)["bytes"].split("/")
    return int(up), int(down)


def test_flow_is_capped_by_max_limit(router):
    run(router, "/queue/simple/add", "=name=u1", "=target=10.0.0.5", "=max-limit=10M/10M")
    router.start_flow("10.0.0.5", 100_000_000, seconds=10)
    router.advance(12)
    assert queue_bytes(router, "u1") == (0, 12_500_000)
    row = router.menu("/queue/simple").get("u1")
    assert row["rate"] == "0/0"  # the flow ended two seconds ago
    assert int(row["dropped"].split("/")[1]) > 0
    assert row["packets"] == "0/8333"


def test_lowering_max_limit_mid_flow_lowers_the_rate(router):
    run(router, "/queue/simple/add", "=name=u1", "=target=10.0.0.5", "=max-limit=10M/10M")
    router.start_flow("10.0.0.5", 100_000_000)
    router.advance(5)
    assert router.menu("/queue/simple").get("u1")["rate"] == "0/10000000"
    run(router, "/queue/simple/set", "=.id=u1", "=max-limit=1M/1M")
    router.advance(5)
    assert queue_bytes(router, "u1") == (0, 6_250_000 + 625_000)
    assert router.menu("/queue/simple").get("u1")["rate"] == "0/1000000"


def test_upload_counts_into_the_first_half_and_unlimited_queue_takes_everything(router):
    run(router, "/queue/simple/add", "=name=u1", "=target=10.0.0.5")
    router.start_flow("10.0.0.5", 8_000_000, seconds=3, direction="up")
    router.advance(3)
    assert queue_bytes(router, "u1") == (3_000_000, 0)


def test_only_the_first_enabled_matching_queue_counts(router):
    run(router, "/queue/simple/add", "=name=off", "=target=10.0.0.5", "=disabled=yes")
    run(router, "/queue/simple/add", "=name=first", "=target=10.0.0.0/24")
    run(router, "/queue/simple/add", "=name=second", "=target=10.0.0.5")
    router.add_traffic("10.0.0.5", 1000, 2)
    assert [queue_bytes(router, n) for n in ("off", "first", "second")] == [(0, 0), (0, 2000), (0, 0)]


def test_add_traffic_does_not_move_the_clock_and_counts_on_hosts(router):
    router.menu("/ip/hotspot/host").add({"address": "10.0.0.5", "mac-address": "AA:BB:CC:00:00:05"})
    assert router.add_traffic("AA:BB:CC:00:00:05", 1500, 4) == 6000  # no queue: not capped
    assert router.add_traffic("10.0.0.5", 100, 1, direction="up") == 100
    assert router.now() == 0
    host = router.menu("/ip/hotspot/host").rows()[0]
    assert (host["bytes-out"], host["bytes-in"], host["packets-out"]) == ("6000", "100", "4")


def test_flows_share_a_queue_cap_and_stop_flow_stops_counting(router):
    run(router, "/queue/simple/add", "=name=u1", "=target=10.0.0.5,10.0.0.6", "=max-limit=8M/8M")
    a = router.start_flow("10.0.0.5", 8_000_000)
    router.start_flow("10.0.0.6", 8_000_000, seconds=1)
    router.advance(2)
    assert queue_bytes(router, "u1") == (0, 2_000_000)
    router.stop_flow(a)
    router.advance(1)
    assert queue_bytes(router, "u1") == (0, 2_000_000)


def test_reboot_zeroes_counters_drops_dynamic_entries_and_restarts_uptime(router):
    run(router, "/queue/simple/add", "=name=u1", "=target=10.0.0.5")
    run(router, "/ip/firewall/address-list/add", "=list=l", "=address=10.0.0.1", "=timeout=1h")
    run(router, "/ip/firewall/address-list/add", "=list=l", "=address=10.0.0.2")
    router.menu("/ip/hotspot/host").add({"address": "10.0.0.5"})
    router.menu("/ip/hotspot/active").add({"address": "10.0.0.5", "user": "u"})
    router.menu("/ip/arp").add({"address": "10.0.0.5"}, dynamic=True)
    router.menu("/ip/arp").add({"address": "10.0.0.6"})
    router.add_traffic("10.0.0.5", 1000, 1)
    router.advance(100)
    router.reboot()
    assert queue_bytes(router, "u1") == (0, 0)
    assert [r["address"] for r in rows(router, "/ip/firewall/address-list/print")] == ["10.0.0.2"]
    assert rows(router, "/ip/hotspot/host/print") == rows(router, "/ip/hotspot/active/print") == []
    assert [r["address"] for r in rows(router, "/ip/arp/print")] == ["10.0.0.6"]
    assert rows(router, "/system/resource/print")[0]["uptime"] == "0s"
    assert router.menu("/queue/simple").get("u1")[".id"] == "*1"
    router.reboot(renumber=True)
    assert router.menu("/queue/simple").get("u1")[".id"] == "*2"


def test_hooks_plant_read_only_fields_and_duplicates(router):
    menu = router.menu("/ip/firewall/address-list")
    menu.add({"list": "l", "address": "10.0.0.1"})
    menu.add({"list": "l", "address": "10.0.0.1", "disabled": True})
    assert [r["disabled"] for r in menu.rows()] == ["false", "true"]
    menu.set("*1", {"comment": "x"})
    menu.remove("*2")
    assert [r["comment"] for r in menu.rows()] == ["x"]
    router.menu("system/resource").set(None, {"cpu-load": 55})
    assert router.menu("/system/resource").get()["cpu-load"] == "55"
    with pytest.raises(KeyError):
        router.menu("/ip/nothing")


def test_realtime_moves_the_clock_until_switched_off(router):
    import time

    router.set_realtime(True, tick=0.02)
    deadline = time.monotonic() + 3
    while router.now() < 0.1 and time.monotonic() < deadline:
        time.sleep(0.01)
    router.set_realtime(False)
    stopped_at = router.now()
    assert stopped_at >= 0.1
    time.sleep(0.05)
    assert router.now() == stopped_at
