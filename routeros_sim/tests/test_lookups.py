"""Duplicate checks, ``.id`` and name lookups and expiry of the simulator stay right on big menus and
after every kind of change (remove, set, move, expiry, reboot, planted entries): the menus look entries
up through an index rather than by scanning, so each of these paths must keep it current."""

import pytest

from routeros_sim.menus import Trap
from routeros_sim.protocol import parse_request
from routeros_sim.router import Router

LISTS = "/ip/firewall/address-list"
MANY = 300


@pytest.fixture
def router():
    return Router()


def run(router, command, *words):
    return router.execute(parse_request([command, *words]))


def add_address(router, address, list_name="klient_aktif", *extra):
    return run(router, f"{LISTS}/add", f"=list={list_name}", f"=address={address}", *extra).ret


def trap(router, command, *words):
    with pytest.raises(Trap) as caught:
        run(router, command, *words)
    return caught.value.message


def addresses(router):
    return [row["address"] for row in run(router, f"{LISTS}/print").rows]


@pytest.fixture
def full_list(router):
    """MANY address-list entries 10.0.x.y, returning their ids in order."""
    return [add_address(router, f"10.0.{n >> 8}.{n & 255}") for n in range(MANY)]


def test_duplicate_add_traps_anywhere_in_a_big_list_and_other_lists_are_separate(router, full_list):
    for n in (0, MANY // 2, MANY - 1):
        address = f"10.0.{n >> 8}.{n & 255}"
        assert trap(router, f"{LISTS}/add", "=list=klient_aktif", f"=address={address}") == (
            "failure: already have such entry"
        )
        assert add_address(router, address, "klient_blocked")
    assert trap(router, f"{LISTS}/add", "=list=klient_aktif", "=address=10.0.0.5/32").startswith("failure")
    assert len(addresses(router)) == MANY + 3


def test_a_removed_address_can_be_added_again_once(router, full_list):
    run(router, f"{LISTS}/remove", f"=.id={full_list[7]},{full_list[8]}")
    new_id = add_address(router, "10.0.0.7")
    assert new_id == f"*{MANY + 1:X}"
    assert trap(router, f"{LISTS}/add", "=list=klient_aktif", "=address=10.0.0.7").startswith("failure")
    assert add_address(router, "10.0.0.8")
    assert trap(router, f"{LISTS}/remove", f"=.id={full_list[7]}") == "no such item"


def test_bulk_remove_frees_every_address_and_keeps_the_rest_in_order(router, full_list):
    run(router, f"{LISTS}/remove", "=.id=" + ",".join(full_list[:100]))
    assert addresses(router)[0] == "10.0.0.100"
    assert len(addresses(router)) == MANY - 100
    assert add_address(router, "10.0.0.0")
    assert trap(router, f"{LISTS}/add", "=list=klient_aktif", "=address=10.0.0.100").startswith("failure")


def test_set_moves_an_entry_to_its_new_key_and_frees_the_old_one(router, full_list):
    first, second = full_list[:2]
    assert trap(router, f"{LISTS}/set", f"=.id={first}", "=address=10.0.0.1").startswith("failure")
    run(router, f"{LISTS}/set", f"=.id={first}", "=address=10.9.9.9")
    assert trap(router, f"{LISTS}/add", "=list=klient_aktif", "=address=10.9.9.9").startswith("failure")
    assert add_address(router, "10.0.0.0")
    run(router, f"{LISTS}/set", f"=.id={second}", "=list=klient_blocked")
    assert add_address(router, "10.0.0.1")
    # two entries set to the same list and address in one command collide with each other
    message = trap(router, f"{LISTS}/set", f"=.id={full_list[2]},{full_list[3]}", "=address=10.8.8.8")
    assert message.startswith("failure")
    assert add_address(router, "10.8.8.8")
    # a set that leaves the key alone never collides
    run(router, f"{LISTS}/set", f"=.id={first}", "=comment=kept")


def test_expired_and_rebooted_timed_entries_free_their_address(router, full_list):
    add_address(router, "10.7.0.1", "klient_aktif", "=timeout=10s")
    timed = add_address(router, "10.7.0.2", "klient_aktif", "=timeout=10s")
    run(router, f"{LISTS}/set", f"=.id={timed}", "=timeout=1m")
    router.advance(11)
    assert add_address(router, "10.7.0.1")
    assert trap(router, f"{LISTS}/add", "=list=klient_aktif", "=address=10.7.0.2").startswith("failure")
    router.advance(60)
    assert "10.7.0.2" not in addresses(router)
    assert add_address(router, "10.7.0.2", "klient_aktif", "=timeout=1h")
    router.reboot()
    assert add_address(router, "10.7.0.2")
    assert trap(router, f"{LISTS}/add", "=list=klient_aktif", "=address=10.0.0.9").startswith("failure")


def test_renumbering_reboot_keeps_duplicate_checks_and_lookups_on_the_new_ids(router, full_list):
    router.reboot(renumber=True)
    assert trap(router, f"{LISTS}/add", "=list=klient_aktif", "=address=10.0.0.3").startswith("failure")
    rows = run(router, f"{LISTS}/print").rows
    assert rows[0][".id"] == f"*{MANY + 1:X}"
    run(router, f"{LISTS}/remove", f"=.id={rows[3]['.id']}")
    assert add_address(router, "10.0.0.3")
    assert trap(router, f"{LISTS}/set", f"=.id={full_list[0]}", "=comment=x") == "no such item"
    assert run(router, f"{LISTS}/print", f"=from={rows[0]['.id'].lower()}").rows[0]["address"] == "10.0.0.0"


def test_planted_duplicates_block_api_adds_until_all_are_gone(router, full_list):
    handle = router.menu(LISTS)
    planted = handle.add({"list": "klient_aktif", "address": "10.0.0.4"})
    assert trap(router, f"{LISTS}/add", "=list=klient_aktif", "=address=10.0.0.4").startswith("failure")
    # the planted twin and the original still collide when either is set to their shared key
    assert trap(router, f"{LISTS}/set", f"=.id={planted}", "=list=klient_aktif").startswith("failure")
    run(router, f"{LISTS}/set", f"=.id={planted}", "=comment=twin")
    handle.remove(full_list[4])
    assert trap(router, f"{LISTS}/add", "=list=klient_aktif", "=address=10.0.0.4").startswith("failure")
    handle.set(planted, {"address": "10.6.6.6"})
    assert add_address(router, "10.0.0.4")
    assert trap(router, f"{LISTS}/add", "=list=klient_aktif", "=address=10.6.6.6").startswith("failure")


def test_queue_names_ids_parents_and_auto_names_follow_renames_moves_and_removes(router):
    for n in range(MANY):
        run(router, "/queue/simple/add", f"=name=q{n}", f"=target=10.1.{n >> 8}.{n & 255}")
    assert trap(router, "/queue/simple/add", "=name=q150").startswith("failure")
    run(router, "/queue/simple/set", "=.id=q150", "=name=renamed")
    assert run(router, "/queue/simple/add", "=name=q150").ret
    assert trap(router, "/queue/simple/add", "=name=renamed").startswith("failure")
    run(router, "/queue/simple/move", "=.id=renamed", "=destination=q0")
    assert run(router, "/queue/simple/print").rows[0]["name"] == "renamed"
    run(router, "/queue/simple/set", "=.id=renamed", "=max-limit=1M/1M")
    assert run(router, "/queue/simple/print", "?name=renamed").rows[0]["max-limit"] == "1000000/1000000"
    assert run(router, "/queue/simple/add", "=name=child", "=parent=renamed").ret
    run(router, "/queue/simple/remove", "=.id=q7")
    message = trap(router, "/queue/simple/add", "=name=orphan", "=parent=q7")
    assert message == "input does not match any value of parent"
    auto = [run(router, "/queue/simple/add").ret for _ in range(2)]
    names = [row["name"] for row in run(router, "/queue/simple/print", f"=from={','.join(auto)}").rows]
    assert names == ["queue1", "queue2"]
    run(router, "/queue/simple/remove", "=.id=queue1")
    added = run(router, "/queue/simple/add").ret
    assert run(router, "/queue/simple/print", f"=from={added}").rows[0]["name"] == "queue1"


def test_ids_are_found_in_any_case_but_not_with_leading_zeros(router, full_list):
    assert run(router, f"{LISTS}/print", "=from=*a").rows[0]["address"] == "10.0.0.9"
    assert trap(router, f"{LISTS}/print", "=from=*0A") == "no such item"
    assert trap(router, f"{LISTS}/remove", "=.id=*FFFF") == "no such item"
