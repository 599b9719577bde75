"""The hotspot user menus (reference B, `/ip/hotspot/user`): local users and their profiles.

A user's `profile` must name an existing profile (`input does not match any value of profile`); a
duplicate user name traps as on a router. The router starts with the `default` profile, as RouterOS does.
Whether a profile in use may be removed is unverified on a router: the simulator allows it.
"""

from __future__ import annotations

from routeros_sim import values as v
from routeros_sim.menus import Entry, Field, Menu, MenuSpec, Trap, flag, text

DUPLICATE_USER = "failure: already have user with this name for this server"
PROFILES = "/ip/hotspot/user/profile"


def _counter(name: str) -> Field:
    return Field(name, "0", lambda value: str(int(value)), read_only=True)


def _user_check(menu: Menu, entry: Entry, values: dict[str, str]) -> None:
    profile = values.get("profile", "default")
    if not menu.siblings[PROFILES].holding(("name",), (profile,)):
        raise Trap("input does not match any value of profile", 1)


def specs() -> list[MenuSpec]:
    comment, disabled = text("comment"), flag("disabled")
    return [
        MenuSpec(
            PROFILES,
            [
                text("name", required=True),
                text("rate-limit"),
                text("shared-users", "1"),
                text("address-list"),
                text("session-timeout", parse=v.duration),
                text("idle-timeout", "none"),
                text("keepalive-timeout", "2m", parse=v.duration),
                comment,
            ],
            unique={("name",): "failure: profile with the same name already exists"},
            name_field="name",
        ),
        MenuSpec(
            "/ip/hotspot/user",
            [
                text("server", "all"),
                text("name", required=True),
                text("password"),
                text("profile", "default"),
                text("mac-address", parse=v.mac),
                text("address", parse=v.ipv4),
                text("limit-uptime", parse=v.duration),
                text("limit-bytes-in", parse=lambda value: str(int(value))),
                text("limit-bytes-out", parse=lambda value: str(int(value))),
                text("limit-bytes-total", parse=lambda value: str(int(value))),
                comment,
                disabled,
                Field("uptime", "0s", read_only=True),
                *[_counter(name) for name in ("bytes-in", "bytes-out", "packets-in", "packets-out")],
            ],
            unique={("server", "name"): DUPLICATE_USER},
            name_field="name",
            check=_user_check,
        ),
    ]


def plant_default_profile(menu: Menu) -> None:
    menu.add({"name": "default"}, trusted=True)
