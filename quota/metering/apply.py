"""Apply counter snapshots in one transaction, with a fixed number of SQL statements whatever the users.

Order: serialise with the other cycles (advisory lock), load the last samples, compute deltas, lock the
affected balances in primary-key order, write the ledger (`bulk_create`, idempotency keys), add to the
balances and the daily usage (one statement each), store the new samples, record device activity, then
let statuses, notices and the quota guard follow the new balances. Router converges and WhatsApp
messages run after commit.

PostgreSQL gets the constant-statement path (unnest arrays); other databases (the SQLite demo) get plain
ORM statements per row, which are correct but grow with the users.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import AuditEntry, Device, User
from accounts.selectors import site_members_q
from quota.metering.delta import Reading, counter_delta, usage_key
from quota.metering.lock import cycles_serialise
from quota.metering.rates import guard_rates_follow
from quota.metering.report import CycleReport
from quota.models import CounterSample, DailyUsage, QuotaBalance, QuotaEntry
from quota.notifications import statuses_follow

logger = logging.getLogger(__name__)


def _reading(sample: CounterSample) -> Reading:
    return Reading(
        sample.queue_id,
        sample.bytes_up,
        sample.bytes_down,
        sample.uptime_s,
        sample.boot_marker,
        sample.sampled_at,
    )


def _load_samples(snapshots) -> dict[tuple[int, str], CounterSample]:
    condition = Q(pk__in=[])
    for snapshot in snapshots:
        condition |= Q(router_id=snapshot.router_id, queue_name__in=[q.name for q in snapshot.queues])
    return {(s.router_id, s.queue_name): s for s in CounterSample.objects.filter(condition)}


SAMPLE_FIELDS = (
    "router_id",
    "queue_name",
    "queue_id",
    "bytes_up",
    "bytes_down",
    "uptime_s",
    "boot_marker",
    "sampled_at",
)
SAMPLE_TYPES = ("bigint", "text", "text", "bigint", "bigint", "bigint", "timestamptz", "timestamptz")


def _store_samples(samples: list[CounterSample]) -> None:
    """Upsert the new baselines in one statement (as bulk_create(update_conflicts=True), but without
    building thousands of parameter placeholders)."""
    if not samples:
        return
    if connection.vendor != "postgresql":
        CounterSample.objects.bulk_create(
            samples, update_conflicts=True, unique_fields=["router", "queue_name"],
            update_fields=[name for name in SAMPLE_FIELDS[2:]],
        )  # fmt: skip
        return
    columns = ", ".join(SAMPLE_FIELDS)
    arrays = ", ".join(f"%s::{kind}[]" for kind in SAMPLE_TYPES)
    updates = ", ".join(f"{name} = EXCLUDED.{name}" for name in SAMPLE_FIELDS[2:])
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO quota_countersample ({columns}) SELECT * FROM unnest({arrays}) "
            f"ON CONFLICT (router_id, queue_name) DO UPDATE SET {updates}",
            [[getattr(sample, name) for sample in samples] for name in SAMPLE_FIELDS],
        )


def _add_usage(rows: list[tuple[int, int]], now) -> None:
    """used_bytes += amount per user, and the same bytes into DailyUsage, in two statements."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        for user_id, amount in rows:
            QuotaBalance.objects.filter(user_id=user_id).update(
                used_bytes=F("used_bytes") + amount, updated_at=now
            )
        return
    user_ids = [user_id for user_id, _ in rows]
    amounts = [amount for _, amount in rows]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE quota_quotabalance AS b SET used_bytes = b.used_bytes + d.amount, updated_at = %s "
            "FROM unnest(%s::bigint[], %s::bigint[]) AS d(user_id, amount) WHERE b.user_id = d.user_id",
            [now, user_ids, amounts],
        )


def _add_daily(rows: list[tuple[int, int]], day) -> None:
    if not rows:
        return
    if connection.vendor != "postgresql":
        for user_id, amount in rows:
            daily, _ = DailyUsage.objects.get_or_create(user_id=user_id, date=day)
            DailyUsage.objects.filter(pk=daily.pk).update(bytes=F("bytes") + amount)
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO quota_dailyusage (user_id, date, bytes) "
            "SELECT d.user_id, %s, d.amount FROM unnest(%s::bigint[], %s::bigint[]) AS d(user_id, amount) "
            "ON CONFLICT (user_id, date) DO UPDATE SET bytes = quota_dailyusage.bytes + EXCLUDED.bytes",
            [day, [user_id for user_id, _ in rows], [amount for _, amount in rows]],
        )


def _touch_devices(snapshots, now) -> None:
    """Authorized devices the routers saw carrying traffic get `last_seen` moved forward (for pruning)."""
    active: dict[str, object] = {}
    for snapshot in snapshots:
        for host in snapshot.hosts:
            seen = snapshot.read_at - timedelta(seconds=host.idle_s)
            if host.mac not in active or seen > active[host.mac]:
                active[host.mac] = seen
    if not active:
        return
    if connection.vendor != "postgresql":
        for mac, seen in active.items():
            Device.objects.filter(mac=mac, is_authorized=True, last_seen__lt=seen).update(last_seen=seen)
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE accounts_device AS dev SET last_seen = a.seen "
            "FROM unnest(%s::text[], %s::timestamptz[]) AS a(mac, seen) "
            "WHERE dev.mac = a.mac AND dev.is_authorized AND dev.last_seen < a.seen",
            [list(active), list(active.values())],
        )


# What the status engine, the notices and the guard read.
BALANCE_FIELDS = (
    "user_id", "purchased_bytes", "used_bytes", "expires_at", "is_unlimited", "rate_tier", "guard_rate_bps",
    "debt_block",
    "user__phone", "user__role", "user__approval_status", "user__is_active", "user__is_blocked",
)  # fmt: skip


def snapshots_apply(
    snapshots, *, now=None, full: bool = True, scope_user_ids=None, site_id: int | None = None
) -> CycleReport:
    """Turn `snapshots` into usage. `full`: let every user's status, notices and guard follow (normal
    cycle; with `site_id`, every member of that site: the cycle of one of its routers); otherwise only the
    users in `scope_user_ids` and those with usage (fast cycle)."""
    now = now or timezone.now()
    report = CycleReport(routers_read=len(snapshots))
    with transaction.atomic():
        cycles_serialise()
        samples = _load_samples(snapshots)
        known_users = set(
            User.objects.filter(pk__in={q.user_id for s in snapshots for q in s.queues}).values_list(
                "pk", flat=True
            )
        )
        pending = []  # (user_id, bytes, key, reference)
        new_samples = []
        for snapshot in snapshots:
            for queue in snapshot.queues:
                if queue.user_id not in known_users:
                    continue
                report.queues += 1
                stored = samples.get((snapshot.router_id, queue.name))
                if stored is not None and stored.sampled_at >= snapshot.read_at:
                    report.stale += 1  # an older read arriving late, or the same read replayed
                    continue
                current = Reading(
                    queue.queue_id,
                    queue.bytes_up,
                    queue.bytes_down,
                    snapshot.uptime_s,
                    snapshot.boot_marker,
                    snapshot.read_at,
                )
                delta = counter_delta(
                    last=_reading(stored) if stored else None,
                    current=current,
                    link_rate_bps=settings.LINK_RATE_BPS,
                    tolerance_s=settings.BOOT_MARKER_TOLERANCE_S,
                )
                report.resets += bool(delta.reset and delta.reset != "first")
                if delta.rejected:
                    report.rejected.append(
                        {
                            "router_id": snapshot.router_id,
                            "queue": queue.name,
                            "user_id": queue.user_id,
                            "up": delta.bytes_up,
                            "down": delta.bytes_down,
                            "reset": delta.reset,
                        }
                    )
                elif delta.total > 0:
                    key = usage_key(router_id=snapshot.router_id, queue_name=queue.name, reading=current)
                    pending.append(
                        (queue.user_id, delta.total, key, f"router:{snapshot.router_id}:{queue.name}")
                    )
                new_samples.append(
                    CounterSample(
                        router_id=snapshot.router_id, queue_name=queue.name, queue_id=queue.queue_id,
                        bytes_up=queue.bytes_up, bytes_down=queue.bytes_down, uptime_s=snapshot.uptime_s,
                        boot_marker=snapshot.boot_marker, sampled_at=snapshot.read_at,
                    )
                )  # fmt: skip
        used_ids = sorted({user_id for user_id, *_ in pending})
        if used_ids:
            QuotaBalance.objects.bulk_create(
                [QuotaBalance(user_id=uid) for uid in used_ids], ignore_conflicts=True
            )
            locked = (
                QuotaBalance.objects.select_for_update()
                .filter(user_id__in=used_ids)
                .order_by("user_id")
                .values_list("user_id", "is_unlimited")
            )
            unlimited = {user_id for user_id, is_unlimited in locked if is_unlimited}
            existing = set(
                QuotaEntry.objects.filter(idempotency_key__in=[p[2] for p in pending]).values_list(
                    "idempotency_key", flat=True
                )
            )
            entries, debits, daily = [], {}, {}
            for user_id, amount, key, reference in pending:
                if key in existing:
                    continue
                daily[user_id] = daily.get(user_id, 0) + amount
                if user_id in unlimited:
                    # Unlimited access is not metered against quota: the bytes go to DailyUsage only.
                    report.unlimited_bytes += amount
                    continue
                entries.append(
                    QuotaEntry(user_id=user_id, kind=QuotaEntry.Kind.USAGE, amount_bytes=-amount,
                               idempotency_key=key, reference=reference, created_at=now)
                )  # fmt: skip
                debits[user_id] = debits.get(user_id, 0) + amount
                report.usage_bytes += amount
            QuotaEntry.objects.bulk_create(entries)
            report.entries = len(entries)
            _add_usage(sorted(debits.items()), now)
            _add_daily(sorted(daily.items()), timezone.localdate(now))
        _store_samples(new_samples)
        _touch_devices(snapshots, now)
        if report.rejected:
            _report_rejected(report.rejected)
        balances = QuotaBalance.objects.select_related("user").only(*BALANCE_FIELDS)
        if not full:
            balances = balances.filter(user_id__in=set(scope_user_ids or ()) | set(used_ids))
        elif site_id is not None:
            balances = balances.filter(
                site_members_q(site_id, prefix="user__") | Q(user_id__in=set(used_ids))
            )
        balances = list(balances.order_by("user_id"))
        statuses = statuses_follow(balances=balances, now=now, report=report)
        guard_rates_follow(balances=balances, statuses=statuses, report=report)
    return report


def _report_rejected(rejected: list[dict]) -> None:
    for item in rejected:
        logger.warning("usage: impossible counter delta rejected: %s", item)
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                action="usage.reject",
                target_user_id=item["user_id"],
                object_type="quota.countersample",
                object_id=f"{item['router_id']}:{item['queue']}",
                after={k: item[k] for k in ("up", "down", "reset")},
                reason="delta above LINK_RATE_BPS x elapsed",
            )
            for item in rejected
        ]
    )
