"""Taking over a router that the Flask lpsaring deployment managed: the RouterOS-only part.

Flask's entries are recognised by their comments (reference: existing-deployment §4): ip-bindings
`authorized|user=…|uid=…` (also `managed|`, `blocked|`, `limit-exceeded|`, `pending-auth|`), address-list
entries `lpsaring|status=…` and `lpsaring:unauthorized …`, static leases `lpsaring|static-dhcp|…`, and
the hotspot users it created (named after a resident's phone, or commented `lpsaring…`) with the
profiles only they use.

The takeover keeps every resident's access at every moment: a Flask entry that already is what our desired
state asks for a device (same MAC for a binding or lease, same address for a list entry) is re-labelled in
place, one `set` of its comment to our `lps:` tag; a normal converge then adds what is missing and fixes
what differs; only then are the Flask entries that are left removed. Anything neither ours nor Flask's is
left alone and listed. The domain side (quota.adoption) supplies the desired state and the phone numbers.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from routers.reconcile import (
    ADDRESS_LIST,
    BINDINGS,
    LEASES,
    QUEUES,
    REMOVE_CHUNK,
    Op,
    Snapshot,
)
from routers.state import DesiredState, bare_ip, is_managed

HOTSPOT_USERS = "/ip/hotspot/user"
HOTSPOT_PROFILES = "/ip/hotspot/user/profile"
FLASK_PROFILES = (
    "profile-aktif",
    "profile-fup",
    "profile-habis",
    "profile-unlimited",
    "profile-expired",
    "profile-blokir",
    "komandan",
)
_BINDING = re.compile(r"^(authorized|managed|blocked|limit-exceeded|pending-auth)\|(.*\|)?(user|uid)=")
_OWNER = re.compile(r"(?:^|\|)(user|uid)=([^|]*)")


def is_flask(menu: str, comment) -> bool:
    """Whether an entry of `menu` with this comment was written by the Flask deployment."""
    text = str(comment or "")
    if menu == BINDINGS:
        return bool(_BINDING.match(text))
    if menu == ADDRESS_LIST:
        return text.startswith(("lpsaring|status=", "lpsaring:unauthorized"))
    if menu == LEASES:
        return text.startswith("lpsaring|static-dhcp|")
    return False


def flask_owner(comment) -> str:
    """`user=…` and `uid=…` of a Flask comment, for the operator's listing."""
    return " ".join(f"{key}={value}" for key, value in _OWNER.findall(str(comment or "")))


def _is_dynamic(row: dict) -> bool:
    return row.get("dynamic") in (True, "true", "yes")


def _mac(row: dict) -> str:
    return str(row.get("mac-address") or "").upper()


def describe(menu: str, row: dict) -> str:
    keys = ("mac-address", "type", "list", "address", "name", "profile", "target")
    fields = " ".join(f"{k}={row[k]}" for k in keys if row.get(k) not in (None, ""))
    return f"{menu} {row.get('.id', '')} {fields} comment={str(row.get('comment') or '')!r}"


def _relabel(menu: str, row: dict, tag: str) -> Op:
    return Op("set", menu, {".id": str(row[".id"]), "comment": tag}, tags=[tag])


def relabels_plan(snapshot: Snapshot, desired: DesiredState) -> list[Op]:
    """One comment `set` per desired entry that is missing and has a Flask entry standing for it."""
    rows = snapshot.rows
    present = {
        str(row.get("comment") or "") for menu in (BINDINGS, ADDRESS_LIST, LEASES) for row in rows[menu]
    }
    ops: list[Op] = []
    specs = (
        (BINDINGS, desired.bindings, lambda row: _mac(row), lambda b: b.mac.upper(), "type", "type"),
        (
            ADDRESS_LIST,
            desired.list_entries,
            lambda row: bare_ip(row.get("address")),
            lambda e: e.address,
            "list",
            "list",
        ),
        (
            LEASES,
            desired.leases,
            lambda row: _mac(row),
            lambda lease: lease.mac.upper(),
            "address",
            "address",
        ),
    )
    for menu, wanted, row_key, entry_key, row_field, entry_field in specs:
        candidates: dict[str, list[dict]] = defaultdict(list)
        for row in rows[menu]:
            if is_flask(menu, row.get("comment")) and not _is_dynamic(row):
                candidates[row_key(row)].append(row)
        for entry in wanted:
            found = candidates.get(entry_key(entry))
            if entry.tag in present or not found:
                continue
            # Prefer the entry that already is what we want (a bypassed binding for a bypassed device).
            same = [
                row for row in found if bare_ip(row.get(row_field)) == bare_ip(getattr(entry, entry_field))
            ]
            chosen = (same or found)[0]
            found.remove(chosen)
            ops.append(_relabel(menu, chosen, entry.tag))
    return ops


def relabelled(snapshot: Snapshot, relabels: list[Op]) -> Snapshot:
    """The snapshot as it reads once `relabels` are applied (for a dry run's plan)."""
    comments = {(op.menu, op.fields[".id"]): op.fields["comment"] for op in relabels}
    rows = {
        menu: [
            {**row, "comment": comments[(menu, str(row[".id"]))]}
            if (menu, str(row[".id"])) in comments
            else row
            for row in menu_rows
        ]
        for menu, menu_rows in snapshot.rows.items()
    }
    return Snapshot(rows=rows, addresses=snapshot.addresses)


def extras_read(api) -> dict[str, list[dict]]:
    """The hotspot users and their profiles (Flask created them; we do not manage these menus)."""
    return {
        HOTSPOT_USERS: api.run(f"{HOTSPOT_USERS}/print", "=.proplist=.id,name,profile,comment"),
        HOTSPOT_PROFILES: api.run(f"{HOTSPOT_PROFILES}/print", "=.proplist=.id,name"),
    }


@dataclass
class Sorted:
    """A router's unmanaged entries: Flask's (to remove) and everyone else's (left alone)."""

    flask: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    unknown: list[str] = field(default_factory=list)


def entries_sort(rows: dict[str, list[dict]], extras: dict[str, list[dict]], *, phones: set[str]) -> Sorted:
    """Sort the entries that are not ours. A hotspot user is Flask's when it is named after a resident's
    phone (`phones`) or commented `lpsaring…`; a Flask profile is Flask's when no other user keeps it."""
    result = Sorted()
    for menu in (BINDINGS, ADDRESS_LIST, LEASES, QUEUES):
        for row in rows.get(menu, []):
            comment = row.get("comment")
            if is_managed(comment) or (_is_dynamic(row) and not is_flask(menu, comment)):
                continue
            if is_flask(menu, comment):
                result.flask[menu].append(row)
            else:
                result.unknown.append(describe(menu, row))
    kept_profiles = set()
    for row in extras.get(HOTSPOT_USERS, []):
        if str(row.get("name")) in phones or str(row.get("comment") or "").startswith("lpsaring"):
            result.flask[HOTSPOT_USERS].append(row)
        else:
            kept_profiles.add(str(row.get("profile") or "default"))
            result.unknown.append(describe(HOTSPOT_USERS, row))
    for row in extras.get(HOTSPOT_PROFILES, []):
        name = str(row.get("name"))
        if name in FLASK_PROFILES and name not in kept_profiles:
            result.flask[HOTSPOT_PROFILES].append(row)
        elif name != "default":
            result.unknown.append(describe(HOTSPOT_PROFILES, row))
    return result


def removals_plan(flask: dict[str, list[dict]]) -> list[Op]:
    """Remove Flask's leftovers: bindings, list entries, leases, then hotspot users, then their profiles."""
    ops = []
    for menu in (BINDINGS, ADDRESS_LIST, LEASES, HOTSPOT_USERS, HOTSPOT_PROFILES):
        ids = [str(row[".id"]) for row in flask.get(menu, [])]
        labels = [str(row.get("comment") or row.get("name") or "") for row in flask.get(menu, [])]
        for start in range(0, len(ids), REMOVE_CHUNK):
            chunk = slice(start, start + REMOVE_CHUNK)
            ops.append(Op("remove", menu, ids=ids[chunk], tags=labels[chunk]))
    return ops


def bypass_lost(flask: dict[str, list[dict]], desired: DesiredState) -> list[str]:
    """Flask bypass bindings about to be removed for a MAC our desired state does not bypass: these
    devices lose their bypass (their resident or device was not imported, or is not entitled here)."""
    bypassed = {b.mac.upper() for b in desired.bindings if b.type == "bypassed"}
    return [
        f"{_mac(row)} ({flask_owner(row.get('comment'))})"
        for row in flask.get(BINDINGS, [])
        if row.get("type") == "bypassed" and _mac(row) not in bypassed
    ]
