import uuid

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import User
from core.phone import normalize_phone
from core.units import format_bytes, to_bytes, typed_amount_parse
from quota.models import QuotaEntry
from quota.services import grant_bounds_check, quota_grant


def _user_by_phone(raw: str) -> User:
    try:
        phone = normalize_phone(raw)
    except ValidationError as exc:
        raise CommandError(f"invalid phone number {raw!r}") from exc
    user = User.objects.filter(phone=phone).first()
    if user is None:
        raise CommandError(f"no user with phone {phone}")
    return user


class Command(BaseCommand):
    help = "Grant quota to a user through the ledger (a staff grant, audited as the system or --actor)."

    def add_arguments(self, parser):
        parser.add_argument("--phone", required=True)
        amount = parser.add_mutually_exclusive_group(required=True)
        amount.add_argument("--gb")
        amount.add_argument("--mb")
        amount.add_argument("--bytes")
        parser.add_argument("--days", type=int, required=True)
        parser.add_argument("--actor", help="phone of the staff member to record as the actor")
        parser.add_argument("--reason", default="grant from the command line")
        parser.add_argument("--key", help="idempotency key (default: a new one, so every run grants)")

    def handle(self, *args, **options):
        user = _user_by_phone(options["phone"])
        actor = _user_by_phone(options["actor"]) if options["actor"] else None
        unit, amount = next(
            (u, options[k]) for u, k in (("GB", "gb"), ("MB", "mb"), ("B", "bytes")) if options[k]
        )
        started_at = timezone.now()
        try:
            amount_bytes = to_bytes(typed_amount_parse(amount), unit)
            grant_bounds_check(amount_bytes=amount_bytes)
            entry = quota_grant(
                user=user,
                amount_bytes=amount_bytes,
                days=options["days"],
                kind=QuotaEntry.Kind.GRANT,
                actor=actor,
                reason=options["reason"],
                idempotency_key=options["key"] or f"cli:{uuid.uuid4()}",
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        # A reused --key returns the entry it first created and grants nothing: say so, and refuse outright
        # when that entry was for someone else or another amount (the operator meant a different grant).
        replayed = entry.created_at < started_at
        if replayed and (entry.user_id != user.pk or entry.amount_bytes != amount_bytes):
            raise CommandError(
                f"key {options['key']!r} was already used for {format_bytes(entry.amount_bytes)} to "
                f"{entry.user.phone}; nothing granted"
            )
        user.balance.refresh_from_db()
        expires = timezone.localtime(user.balance.expires_at)
        done = "already granted (same --key), nothing added:" if replayed else "granted"
        self.stdout.write(
            f"{done} {format_bytes(entry.amount_bytes)} ({entry.amount_bytes} bytes) to {user.phone}; "
            f"remaining {format_bytes(user.balance.remaining_bytes)}, expires {expires:%Y-%m-%d %H:%M %Z}"
        )
