"""The hotspot user menus and the after-write hook, driven by the real librouteros client."""

import librouteros
import pytest
from librouteros.exceptions import TrapError

from routeros_sim import RouterSimulator

USER, PASSWORD = "api", "s3cret"


@pytest.fixture
def sim():
    with RouterSimulator(USER, PASSWORD) as simulator:
        yield simulator


@pytest.fixture
def api(sim):
    client = librouteros.connect("127.0.0.1", USER, PASSWORD, port=sim.port, timeout=3)
    yield client
    client.close()


def test_hotspot_users_need_an_existing_profile_and_a_unique_name(api):
    profiles, users = api.path("/ip/hotspot/user/profile"), api.path("/ip/hotspot/user")
    assert [row["name"] for row in profiles] == ["default"]
    profiles.add(name="profile-aktif", **{"rate-limit": "10M/10M"})
    users.add(name="081200000001", password="123456", profile="profile-aktif", comment="Order:1")
    with pytest.raises(TrapError, match="already have user with this name"):
        users.add(name="081200000001", profile="profile-aktif")
    with pytest.raises(TrapError, match="input does not match any value of profile"):
        users.add(name="081200000002", profile="nope")
    row = next(iter(users))
    assert (row["name"], row["profile"], row["comment"], row["server"]) == (
        "081200000001",
        "profile-aktif",
        "Order:1",
        "all",
    )
    users.remove(row[".id"])
    assert list(users) == []


def test_write_hook_sees_the_state_after_each_write_and_only_writes(sim, api):
    seen = []
    hook = lambda entry: seen.append((entry.command, len(sim.menu("/ip/hotspot/ip-binding").rows())))  # noqa: E731
    sim.on_write(hook)
    bindings = api.path("/ip/hotspot/ip-binding")
    first = bindings.add(**{"mac-address": "02:00:00:00:00:01", "type": "bypassed"})
    list(bindings)
    bindings.update(**{".id": first, "comment": "x"})
    bindings.remove(first)
    with pytest.raises(TrapError):
        bindings.remove("*99")
    sim.remove_write_hook(hook)
    bindings.add(**{"mac-address": "02:00:00:00:00:02"})
    assert seen == [
        ("/ip/hotspot/ip-binding/add", 1),
        ("/ip/hotspot/ip-binding/set", 1),
        ("/ip/hotspot/ip-binding/remove", 0),
        ("/ip/hotspot/ip-binding/remove", 0),
    ]
