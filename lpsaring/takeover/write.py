"""Writing the Flask rows here, in batches, each table phase in its own transaction with its
ImportedRecord rows, so a run cut off between phases resumes where it stopped and a rerun writes nothing
twice."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.audit_labels import IMPORT_OPENING_REASON
from accounts.models import Block, Device, Room, TampingType, User
from core.whatsapp import send_after_commit
from core.whatsapp.texts import staff_password_reset
from lpsaring.models import ImportedRecord
from lpsaring.takeover import mapping
from lpsaring.takeover.report import ImportReport
from quota.models import QuotaBalance, QuotaEntry

BATCH = 1000


@dataclass
class Context:
    site: object
    report: ImportReport
    ids: dict[str, dict[str, int]] = field(default_factory=dict)  # flask table → flask id → our pk

    def known(self, table: str) -> dict[str, int]:
        if table not in self.ids:
            self.ids[table] = dict(
                ImportedRecord.objects.filter(source_table=table).values_list("source_id", "target_id")
            )
        return self.ids[table]

    def record(self, table: str, target: str, pairs: list[tuple[str, int]]) -> None:
        ImportedRecord.objects.bulk_create(
            [ImportedRecord(source_table=table, source_id=s, target=target, target_id=t) for s, t in pairs],
            batch_size=BATCH,
        )
        self.known(table).update(pairs)
        self.report.imported[table] += len(pairs)


def _new_rows(ctx: Context, table: str, rows: list[dict]) -> list[dict]:
    known = ctx.known(table)
    ctx.report.source[table] += len(rows)
    fresh = [row for row in rows if str(row["id"]) not in known]
    ctx.report.already[table] += len(rows) - len(fresh)
    return fresh


def _locations(site, people: list[mapping.Person]):
    """Blocks, rooms and tamping types of `site` named by the people, created when missing."""
    blocks = {b.name: b for b in Block.objects.filter(site=site)}
    for name in sorted({p.block_name for p in people if p.block_name} - set(blocks)):
        blocks[name] = Block.objects.create(site=site, name=name)
    rooms = {(r.block.name, r.name): r for r in Room.objects.filter(block__site=site).select_related("block")}
    wanted = {(p.block_name, p.room_name) for p in people if p.room_name} - set(rooms)
    for block_name, room_name in sorted(wanted):
        rooms[(block_name, room_name)] = Room.objects.create(block=blocks[block_name], name=room_name)
    tamping = {t.name: t for t in TampingType.objects.filter(site=site)}
    for name in sorted({p.tamping_name for p in people if p.tamping_name} - set(tamping)):
        tamping[name] = TampingType.objects.create(site=site, name=name)
    return blocks, rooms, tamping


def _reset_link(user: User) -> str:
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.PUBLIC_BASE_URL + path


@transaction.atomic
def users_write(ctx: Context, rows: list[dict]) -> None:
    """Residents with their location, block state and one opening balance; staff with an unusable
    password and a reset link by WhatsApp after commit."""
    accepted: list[tuple[dict, mapping.Person]] = []
    taken = set(User.objects.values_list("phone", flat=True))
    for row in _new_rows(ctx, "users", rows):
        try:
            person = mapping.person(row)
        except mapping.Rejected as exc:
            ctx.report.reject("users", row["id"], exc.reason, exc.detail)
            continue
        if person.phone in taken:
            ctx.report.reject("users", row["id"], "phone_exists", person.phone)
            continue
        taken.add(person.phone)
        accepted.append((row, person))
    blocks, rooms, tamping = _locations(ctx.site, [p for _, p in accepted])
    users = []
    for row, p in accepted:
        user = User(
            phone=p.phone,
            full_name=p.full_name,
            role=p.role,
            approval_status=p.approval_status,
            approved_at=row.get("approved_at"),
            is_active=p.is_active,
            block=blocks[p.block_name] if p.block_name else None,
            room=rooms[(p.block_name, p.room_name)] if p.room_name else None,
            tamping_type=tamping[p.tamping_name] if p.tamping_name else None,
            is_blocked=p.is_blocked,
            blocked_reason=p.blocked_reason,
            blocked_at=row.get("blocked_at") if p.is_blocked else None,
            date_joined=row["created_at"],
        )
        user.set_unusable_password()
        users.append(user)
    User.objects.bulk_create(users, batch_size=BATCH)
    balances, entries = [], []
    for (row, p), user in zip(accepted, users, strict=True):
        if p.is_staff:
            send_after_commit(
                phone=user.phone, text=staff_password_reset(name=user.full_name, url=_reset_link(user))
            )
            ctx.report.staff_links += 1
            continue
        key = f"import:{row['id']}"
        balances.append(
            QuotaBalance(
                user=user,
                purchased_bytes=p.purchased_bytes + p.settled_bytes,
                used_bytes=p.used_bytes,
                expires_at=row["quota_expiry_date"],
                is_unlimited=p.is_unlimited,
            )
        )
        # Purchased and used stay apart (two entries under one key), so "habis" and "fup", which read
        # purchased bytes, decide here exactly as they did in Flask.
        entries.append(
            QuotaEntry(
                user=user,
                kind="adjust",
                amount_bytes=p.purchased_bytes,
                idempotency_key=key,
                reason=IMPORT_OPENING_REASON,
            )
        )
        if p.used_bytes:
            entries.append(
                QuotaEntry(
                    user=user,
                    kind="usage",
                    amount_bytes=-p.used_bytes,
                    idempotency_key=f"{key}:used",
                    reason=IMPORT_OPENING_REASON,
                )
            )
        if p.settled_bytes:
            entries.append(
                QuotaEntry(
                    user=user,
                    kind="settle",
                    amount_bytes=p.settled_bytes,
                    idempotency_key=f"{key}:settled",
                    reason=IMPORT_OPENING_REASON,
                )
            )
    QuotaBalance.objects.bulk_create(balances, batch_size=BATCH)
    QuotaEntry.objects.bulk_create(entries, batch_size=BATCH)
    ctx.record(
        "users",
        "accounts.user",
        [(str(row["id"]), user.pk) for (row, _), user in zip(accepted, users, strict=True)],
    )


def _ip(value) -> str | None:
    try:
        return str(ipaddress.ip_address(str(value).strip())) if value else None
    except ValueError:
        return None


@transaction.atomic
def devices_write(ctx: Context, rows: list[dict]) -> None:
    """Devices of imported users, MAC upper-case; an authorized MAC already held (here, or by an earlier
    device in first-seen order) is refused."""
    users = ctx.known("users")
    held = set(Device.objects.filter(is_authorized=True).values_list("mac", flat=True))
    pairs = set(Device.objects.values_list("user_id", "mac"))
    accepted = []
    for row in _new_rows(ctx, "user_devices", rows):
        user_id = users.get(str(row["user_id"]))
        if user_id is None:
            ctx.report.reject("user_devices", row["id"], "owner_not_imported", str(row["user_id"]))
            continue
        try:
            mac = mapping.mac(row["mac_address"])
        except mapping.Rejected as exc:
            ctx.report.reject("user_devices", row["id"], exc.reason, exc.detail)
            continue
        if (user_id, mac) in pairs:
            ctx.report.reject("user_devices", row["id"], "duplicate_device", mac)
            continue
        if row["is_authorized"] and mac in held:
            ctx.report.reject("user_devices", row["id"], "duplicate_authorized_mac", mac)
            continue
        pairs.add((user_id, mac))
        if row["is_authorized"]:
            held.add(mac)
        accepted.append(
            (
                row,
                Device(
                    user_id=user_id,
                    mac=mac,
                    last_ip=_ip(row["ip_address"]),
                    label=str(row["label"] or "")[:60],
                    is_authorized=bool(row["is_authorized"]),
                    first_seen=row["first_seen_at"],
                    last_seen=row["last_seen_at"],
                ),
            )
        )
    Device.objects.bulk_create([d for _, d in accepted], batch_size=BATCH)
    ctx.record("user_devices", "accounts.device", [(str(r["id"]), d.pk) for r, d in accepted])
