"""Flask row → our values. Pure: no queries, no Django models.

Units (the Flask schema): purchased quota is integer MB, used quota NUMERIC(15,2) MB, package quota
NUMERIC(8,2) GB, with 1 MB = 1024 × 1024 bytes and 1 GB = 1024 MB.

The rounding rule, the only one: **bytes = MB × 1048576, rounded half up to a whole byte**
(`mb_to_bytes`). Integer MB convert exactly; a used value such as 0.01 MB is 10485.76 bytes and becomes
10486, so no amount moves by more than half a byte. Remaining bytes are purchased bytes minus used bytes,
each converted on its own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from core.mac import normalize_mac
from core.phone import normalize_phone

MIB = 1024 * 1024
GIB = 1024 * MIB

ROLES = {"USER": "USER", "KOMANDAN": "KOMANDAN", "ADMIN": "ADMIN", "SUPER_ADMIN": "SUPER_ADMIN"}
APPROVAL = {"PENDING_APPROVAL": "PENDING", "APPROVED": "APPROVED", "REJECTED": "REJECTED"}
TRANSACTION_STATUS = {
    "SUCCESS": "PAID",
    "PENDING": "PENDING",
    "UNKNOWN": "PENDING",
    "FAILED": "FAILED",
    "EXPIRED": "EXPIRED",
    "CANCELLED": "CANCELLED",
}
STAFF = ("ADMIN", "SUPER_ADMIN")
IMPORTED_BLOCK_REASON = "blocked in the previous system"


class Rejected(Exception):
    """A row we cannot take: `reason` is a short code, `detail` says what was wrong."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def mb_to_bytes(value) -> int:
    """MB (int, Decimal or numeric text) → bytes, rounded half up (see the module docstring)."""
    try:
        amount = Decimal(str(value if value is not None else 0))
    except InvalidOperation:
        raise Rejected("invalid_quota", f"{value!r} is not a number") from None
    return int((amount * MIB).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def gb_to_bytes(value) -> int:
    return mb_to_bytes(Decimal(str(value if value is not None else 0)) * 1024)


@dataclass(frozen=True)
class Person:
    phone: str
    full_name: str
    role: str
    approval_status: str
    is_active: bool
    block_name: str | None
    room_name: str | None
    tamping_name: str | None
    is_blocked: bool
    blocked_reason: str
    purchased_bytes: int
    used_bytes: int
    is_unlimited: bool
    settled_bytes: int = 0  # auto debt Flask settled without adding quota (see `settled_auto_debt`)

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF


def _text(value) -> str:
    return str(value or "").strip()


def person(row: dict) -> Person:
    """A Flask `users` row → Person, or Rejected (invalid phone, incomplete or contradictory location,
    negative quota, unknown role)."""
    try:
        phone = normalize_phone(_text(row["phone_number"]))
    except ValidationError:
        raise Rejected("invalid_phone", _text(row["phone_number"])) from None
    role = ROLES.get(_text(row["role"]))
    if role is None:
        raise Rejected("unknown_role", _text(row["role"]))
    blok, kamar, tamping = _text(row["blok"]), _text(row["kamar"]), _text(row["tamping_type"])
    block_name = room_name = tamping_name = None
    if role not in STAFF:
        if row["is_tamping"]:
            if blok or kamar:
                raise Rejected("tamping_with_room", f"tamping {tamping!r} with blok {blok!r} kamar {kamar!r}")
            if not tamping:
                raise Rejected("tamping_without_type", "is_tamping without tamping_type")
            tamping_name = tamping
        else:
            if not (blok and kamar):
                raise Rejected("room_without_block", f"blok {blok!r} kamar {kamar!r}")
            block_name, room_name = blok, kamar
    purchased = row["total_quota_purchased_mb"] or 0
    used = row["total_quota_used_mb"] or 0
    if Decimal(str(purchased)) < 0 or Decimal(str(used)) < 0:
        raise Rejected("negative_quota", f"purchased {purchased} MB, used {used} MB")
    blocked = bool(row["is_blocked"])
    purchased_bytes, used_bytes = mb_to_bytes(purchased), mb_to_bytes(used)
    unlimited = bool(row["is_unlimited_user"])
    return Person(
        phone=phone,
        full_name=_text(row["full_name"])[:120] or phone,
        role=role,
        approval_status=APPROVAL.get(_text(row["approval_status"]), "PENDING"),
        is_active=bool(row["is_active"]),
        block_name=block_name,
        room_name=room_name,
        tamping_name=tamping_name,
        is_blocked=blocked,
        blocked_reason=(_text(row["blocked_reason"]) or IMPORTED_BLOCK_REASON)[:255] if blocked else "",
        purchased_bytes=purchased_bytes,
        used_bytes=used_bytes,
        is_unlimited=unlimited,
        settled_bytes=settled_auto_debt(
            offset_bytes=mb_to_bytes(row.get("auto_debt_offset_mb") or 0),
            purchased_bytes=purchased_bytes,
            used_bytes=used_bytes,
            counts_debt=role == "USER" and not unlimited,
        ),
    )


def settled_auto_debt(*, offset_bytes: int, purchased_bytes: int, used_bytes: int, counts_debt: bool) -> int:
    """Flask settles auto debt without adding quota: it raises `auto_debt_offset_mb`, and auto debt is
    max(0, used − purchased − offset) while the router still gets purchased − used. Here a settlement is a
    `settle` ledger entry that raises the balance to what was paid. The part of the offset that still
    covers usage beyond purchased becomes that entry, so the debt and the habis status come out as in
    Flask; an offset that later purchases overtook counts nothing. Komandan and unlimited residents have
    no auto debt in Flask."""
    if not counts_debt:
        return 0
    return min(max(offset_bytes, 0), max(used_bytes - purchased_bytes, 0))


def mac(value) -> str:
    try:
        return normalize_mac(_text(value))
    except ValidationError:
        raise Rejected("invalid_mac", _text(value)) from None


def json_details(value) -> dict:
    """Flask keeps JSON in TEXT columns; anything unreadable is kept as text."""
    if isinstance(value, dict):
        return value
    if not value:
        return {}
    try:
        parsed = json.loads(value)
    except (TypeError, ValueError):
        return {"raw": str(value)}
    return parsed if isinstance(parsed, dict) else {"value": parsed}


def request_amounts(details: dict) -> tuple[int, int]:
    """(bytes, days) of a Komandan request's JSON: Flask writes requested_mb / requested_duration_days
    (older rows mb_to_add / days_to_add, as the model's column comment says)."""
    mb = details.get("requested_mb", details.get("mb_to_add", 0)) or 0
    days = details.get("requested_duration_days", details.get("days_to_add", 0)) or 0
    try:
        amount, days = mb_to_bytes(mb), int(days)
    except (TypeError, ValueError):
        raise Rejected("invalid_request_details", json.dumps(details)[:120]) from None
    if amount < 0 or days < 0:
        raise Rejected("invalid_request_details", json.dumps(details)[:120])
    return amount, days
