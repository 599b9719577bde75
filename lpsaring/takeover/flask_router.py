"""The router entries the Flask deployment keeps for the residents imported here, planted on a RouterOS
simulator (tests and benchmarks of `router_sync --adopt-lpsaring`; reference: existing-deployment §2.6, §4).

Per authorized device of an imported resident: an ip-binding `authorized|user=08…|uid=<flask id>|…`
(`blocked|…` for a hard block), bypassed for ok/fup/unlimited, blocked when blocked, regular otherwise; its
IP in the status list (`lpsaring|status=…|user=…|uid=…`); a static lease `lpsaring|static-dhcp|…`; and one
hotspot user per resident (named after the local phone) in the profile of its status, plus the Flask
profiles. Flask's status is taken from ours (the import keeps it), so both agree on who is bypassed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from accounts.models import Device, User
from lpsaring.models import ImportedRecord
from quota.router_state import status_list
from quota.selectors import access_status_of
from quota.status import AccessStatus
from routers.adoption import FLASK_PROFILES

FLASK_TYPES = {AccessStatus.OK: "bypassed", AccessStatus.FUP: "bypassed", AccessStatus.BLOCKED: "blocked"}
FLASK_PROFILE_OF = {
    AccessStatus.OK: "profile-aktif",
    AccessStatus.FUP: "profile-fup",
    AccessStatus.HABIS: "profile-habis",
    AccessStatus.EXPIRED: "profile-expired",
    AccessStatus.INACTIVE: "profile-habis",
    AccessStatus.BLOCKED: "profile-blokir",
}
STAMP = "2026-06-15|12:00:00"


@dataclass
class Planted:
    """What was planted: MACs by Flask binding type, and statuses by user id."""

    macs: dict[str, set[str]] = field(
        default_factory=lambda: {"bypassed": set(), "blocked": set(), "regular": set()}
    )
    statuses: dict[int, AccessStatus] = field(default_factory=dict)
    entries: int = 0


def local_phone(phone: str) -> str:
    digits = phone.lstrip("+")
    return "0" + digits[2:] if digits.startswith("62") else digits


def flask_router_plant(sim) -> Planted:
    """Plant the Flask deployment's entries for every imported resident on `sim` (a RouterSimulator)."""
    planted = Planted()
    flask_ids = dict(
        ImportedRecord.objects.filter(source_table="users").values_list("target_id", "source_id")
    )
    users = User.objects.filter(pk__in=flask_ids).select_related("balance").order_by("pk")
    devices: dict[int, list[Device]] = {}
    for device in Device.objects.filter(is_authorized=True, user_id__in=flask_ids).order_by("pk"):
        devices.setdefault(device.user_id, []).append(device)
    bindings, lists, leases = (
        sim.menu(p) for p in ("/ip/hotspot/ip-binding", "/ip/firewall/address-list", "/ip/dhcp-server/lease")
    )
    hotspot_users, profiles = sim.menu("/ip/hotspot/user"), sim.menu("/ip/hotspot/user/profile")
    for name in FLASK_PROFILES:
        profiles.add({"name": name, "rate-limit": "10M/10M"})
    for user in users:
        status = access_status_of(user, getattr(user, "balance", None))
        planted.statuses[user.pk] = status
        owner = f"user={local_phone(user.phone)}|uid={flask_ids[user.pk]}"
        binding_type = FLASK_TYPES.get(status, "regular")
        prefix = "blocked" if binding_type == "blocked" else "authorized"
        hotspot_users.add(
            {
                "name": local_phone(user.phone),
                "password": "123456",
                "profile": FLASK_PROFILE_OF[status],
                "comment": "",
            }
        )
        planted.entries += 1
        for device in devices.get(user.pk, []):
            bindings.add(
                {
                    "mac-address": device.mac,
                    "type": binding_type,
                    "comment": f"{prefix}|{owner}|role=USER|{STAMP}",
                }
            )
            planted.macs[binding_type].add(device.mac.upper())
            planted.entries += 1
            if device.last_ip:
                lists.add(
                    {
                        "list": status_list(status),
                        "address": device.last_ip,
                        "comment": f"lpsaring|status={status}|{owner}",
                    }
                )
                leases.add(
                    {
                        "address": device.last_ip,
                        "mac-address": device.mac,
                        "server": "Klien",
                        "comment": f"lpsaring|static-dhcp|{owner}",
                    }
                )
                planted.entries += 2
    return planted
