"""Converge a router to a DesiredState with the fewest API calls.

One run: read each managed menu once (`print` with `.proplist`; a targeted run adds a query on the comment
so only that user's entries come back), compare in memory, then apply removes, sets and adds. A converged
router costs reads and no writes. Only entries whose comment starts with `lps:` are ever changed or
removed; foreign entries are read (an address-list entry that already covers a list and address makes our
add unnecessary) and left alone. Every write is one atomic RouterOS command, so a run cut off half way
leaves a state the next run's diff simply finishes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from routers.client import RouterError
from routers.state import (
    DesiredState,
    bare_ip,
    format_rate_pair,
    normalize_targets,
    parse_rate_pair,
)

BINDINGS = "/ip/hotspot/ip-binding"
ADDRESS_LIST = "/ip/firewall/address-list"
QUEUES = "/queue/simple"
LEASES = "/ip/dhcp-server/lease"
HOSTS = "/ip/hotspot/host"
ARP = "/ip/arp"

PROPLISTS = {
    BINDINGS: ".id,mac-address,type,comment,disabled",
    ADDRESS_LIST: ".id,list,address,comment,disabled,dynamic",
    QUEUES: ".id,name,target,max-limit,comment,disabled",
    LEASES: ".id,mac-address,address,server,comment,disabled,dynamic,status",
}
MANAGED_MENUS = (BINDINGS, ADDRESS_LIST, QUEUES, LEASES)
ALREADY_HAVE = "already have such entry"
NO_SUCH_ITEM = "no such item"
REMOVE_CHUNK = 200


def _comparable(name: str, value):
    if name == "mac-address":
        return str(value or "").upper()
    if name == "address":
        return bare_ip(value)
    if name == "target":
        return normalize_targets(value)
    if name == "max-limit":
        try:
            return parse_rate_pair(value)
        except ValueError:
            return str(value)
    if name == "disabled":
        return value is True or str(value).lower() in ("true", "yes")
    return str(value if value is not None else "")


@dataclass
class Op:
    kind: str  # "add", "set" or "remove"
    menu: str
    fields: dict = field(default_factory=dict)
    ids: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)

    @property
    def entries(self) -> int:
        return len(self.ids) if self.kind == "remove" else 1

    def describe(self) -> str:
        if self.kind == "remove":
            return f"remove {self.menu} {' '.join(self.ids)} ({', '.join(self.tags)})"
        attrs = " ".join(f"{k}={v}" for k, v in self.fields.items() if k != ".id")
        target = self.fields.get(".id", "")
        return f"{self.kind} {self.menu} {target} {attrs}".replace("  ", " ")


@dataclass
class Snapshot:
    """What one read of the router returned: managed-menu rows and, on a full read, MAC → IP."""

    rows: dict[str, list[dict]]
    addresses: dict[str, str] = field(default_factory=dict)


@dataclass
class Report:
    adds: int = 0
    sets: int = 0
    removes: int = 0
    commands: int = 0
    errors: list[str] = field(default_factory=list)
    failed_ops: int = 0

    @property
    def writes(self) -> int:
        """Entries added, changed or removed (a bulk remove of N entries counts N)."""
        return self.adds + self.sets + self.removes


def _scope_query(user_ids) -> list[str]:
    """Query words selecting comments `lps:u=<id>:…` (string range) or exactly `lps:u=<id>`, per user."""
    words: list[str] = []
    for user_id in sorted(user_ids):
        words += [
            f"?>comment=lps:u={user_id}:",
            f"?<comment=lps:u={user_id};",
            "?#&",
            f"?=comment=lps:u={user_id}",
            "?#|",
        ]
    words += ["?#|"] * (len(user_ids) - 1)
    return words


def _print(api, menu: str, proplist: str, query: list[str] | None = None) -> list[dict]:
    return api.run(f"{menu}/print", f"=.proplist={proplist}", *(query or []))


def _learn_addresses(hosts, leases, arp) -> dict[str, str]:
    """MAC → IP, trusting the hotspot host table first, then DHCP leases (bound first), then ARP."""
    found: dict[str, str] = {}
    ordered_leases = sorted(leases, key=lambda row: row.get("status") != "bound")
    for source in (hosts, ordered_leases, arp):
        for row in source:
            mac = str(row.get("mac-address") or "").upper()
            address = bare_ip(row.get("address"))
            if mac and address and mac not in found:
                found[mac] = address
    return found


def snapshot_read(api, *, user_ids=None) -> Snapshot:
    """Read the managed menus once; a full read (no user_ids) also learns device addresses by MAC."""
    if user_ids is not None:
        query = _scope_query(user_ids)
        return Snapshot(rows={menu: _print(api, menu, PROPLISTS[menu], query) for menu in MANAGED_MENUS})
    rows = {menu: _print(api, menu, PROPLISTS[menu]) for menu in MANAGED_MENUS}
    hosts = _print(api, HOSTS, "mac-address,address")
    arp = _print(api, ARP, "mac-address,address")
    return Snapshot(rows=rows, addresses=_learn_addresses(hosts, rows[LEASES], arp))


def _desired_by_menu(desired: DesiredState) -> dict[str, dict[str, dict]]:
    return {
        BINDINGS: {b.tag: {"mac-address": b.mac.upper(), "type": b.type} for b in desired.bindings},
        ADDRESS_LIST: {e.tag: {"list": e.list, "address": e.address} for e in desired.list_entries},
        QUEUES: {
            q.tag: {
                "name": q.name,
                "target": ",".join(f"{ip}/32" for ip in sorted(q.targets)),
                "max-limit": format_rate_pair(q.max_limit),
            }
            for q in desired.queues
        },
        LEASES: {
            lease.tag: {
                "mac-address": lease.mac.upper(),
                "address": lease.address,
                **({"server": lease.server} if lease.server else {}),
            }
            for lease in desired.leases
        },
    }


def _changes(row: dict, fields: dict, wanted: dict) -> dict:
    """Fields of `row` that differ from `fields` (whose comparable forms are `wanted`)."""
    changed = {k: fields[k] for k, v in wanted.items() if _comparable(k, row.get(k)) != v}
    if _comparable("disabled", row.get("disabled")):
        changed["disabled"] = "no"
    return changed


def _list_key(row) -> tuple[str, str]:
    return str(row.get("list") or ""), bare_ip(row.get("address"))


def _diff_menu(menu: str, rows: list[dict], wanted: dict[str, dict], desired: DesiredState) -> list[Op]:
    managed: dict[str, list[dict]] = defaultdict(list)
    others: list[dict] = []
    for row in rows:
        comment = str(row.get("comment") or "")
        (managed[comment] if desired.in_scope(comment) else others).append(row)
    sets, adds, removed_ids, removed_tags = [], [], [], []
    kept_keys = set()
    for tag, fields in wanted.items():
        candidates = managed.pop(tag, [])
        if not candidates:
            adds.append(Op("add", menu, {**fields, "comment": tag}, tags=[tag]))
            continue
        comparable = {k: _comparable(k, v) for k, v in fields.items()}
        best = candidates[0]
        if len(candidates) > 1:
            best = min(candidates, key=lambda row: len(_changes(row, fields, comparable)))
        changed = _changes(best, fields, comparable)
        if changed:
            sets.append(Op("set", menu, {".id": str(best[".id"]), **changed}, tags=[tag]))
        kept_keys.add(_list_key({**best, **fields}))
        for extra in candidates:
            if extra is not best:
                removed_ids.append(str(extra[".id"]))
                removed_tags.append(tag)
    for tag, stale in managed.items():
        removed_ids += [str(row[".id"]) for row in stale]
        removed_tags += [tag] * len(stale)
    if menu == ADDRESS_LIST:
        # An entry someone else owns already puts this address in this list: adding ours would only trap.
        covered = kept_keys | {_list_key(row) for row in others}
        adds = [op for op in adds if _list_key(op.fields) not in covered]
    ops = []
    for start in range(0, len(removed_ids), REMOVE_CHUNK):
        chunk = slice(start, start + REMOVE_CHUNK)
        ops.append(Op("remove", menu, ids=removed_ids[chunk], tags=removed_tags[chunk]))
    return ops + sets + adds


def plan_make(snapshot: Snapshot, desired: DesiredState) -> list[Op]:
    """Removes first (they free names and addresses), then sets, then adds; per menu, bindings first."""
    wanted = _desired_by_menu(desired)
    plan = []
    for menu in MANAGED_MENUS:
        plan += _diff_menu(menu, snapshot.rows.get(menu, []), wanted[menu], desired)
    return plan


def plan_size(plan: list[Op]) -> int:
    return sum(op.entries for op in plan)


def _is_trap(exc: RouterError, text: str = "") -> bool:
    """A trap on this command (the connection is fine), containing `text`; not RouterUnavailable."""
    return type(exc) is RouterError and text in exc.message


def _remove(api, op: Op, report: Report) -> None:
    report.commands += 1
    try:
        api.run(f"{op.menu}/remove", f"=.id={','.join(op.ids)}")
        report.removes += len(op.ids)
        return
    except RouterError as exc:
        if not _is_trap(exc, NO_SUCH_ITEM):
            raise
    for entry_id in op.ids:  # someone removed one of them meanwhile: go one by one
        report.commands += 1
        try:
            api.run(f"{op.menu}/remove", f"=.id={entry_id}")
            report.removes += 1
        except RouterError as exc:
            if not _is_trap(exc, NO_SUCH_ITEM):
                raise


def _apply_one(api, op: Op, report: Report) -> None:
    if op.kind == "remove":
        _remove(api, op, report)
        return
    report.commands += 1
    words = [f"={k}={v}" for k, v in op.fields.items()]
    try:
        api.run(f"{op.menu}/{op.kind}", *words)
    except RouterError as exc:
        if not _is_trap(exc):
            raise
        if ALREADY_HAVE in exc.message and op.menu == ADDRESS_LIST:
            if op.kind == "set":  # another entry already covers it: ours is redundant
                report.commands += 1
                api.run(f"{op.menu}/remove", f"=.id={op.fields['.id']}")
                report.removes += 1
            return
        raise
    if op.kind == "add":
        report.adds += 1
    else:
        report.sets += 1


def plan_apply(api, plan: list[Op], report: Report | None = None) -> Report:
    """Apply every op; a trap on one entry is recorded and the rest go on. RouterUnavailable propagates
    (the report passed in keeps what was done so far)."""
    report = report if report is not None else Report()
    for op in plan:
        try:
            _apply_one(api, op, report)
        except RouterError as exc:
            if not _is_trap(exc):
                raise
            report.failed_ops += op.entries
            report.errors.append(f"{op.describe()}: {exc.message}")
    return report
