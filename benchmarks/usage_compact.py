"""Folding a day of per-minute usage detail: 2,000 residents with traffic for 10 hours (1.2 million ledger
rows, what one busy day writes) folded into one entry per resident. Prints the time, the rows and the
ledger's size before and after; checks that every resident's usage sum is the same to the byte. Run with
DATABASE_URL set (a throw-away test database is used).

    .venv/bin/python benchmarks/usage_compact.py [residents] [minutes]
"""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks._bench import django_setup, residents_create, simulated_router

django_setup()


def main(residents: int, minutes: int) -> None:
    from datetime import timedelta

    from django.db import connection
    from django.db.models import Sum
    from django.utils import timezone

    from quota.metering.compact import usage_compact
    from quota.models import QuotaEntry

    with simulated_router():
        connection.force_debug_cursor = False
        users = residents_create(residents)
        day_start = timezone.now() - timedelta(days=60)
        start = time.perf_counter()
        batch = []
        for minute in range(minutes):
            at = day_start + timedelta(minutes=minute)
            for user in users:
                batch.append(
                    QuotaEntry(
                        user_id=user.pk,
                        kind="usage",
                        amount_bytes=-(1000 + minute),
                        idempotency_key=f"u:{user.pk}:{minute}",
                        created_at=at,
                    )
                )
            if len(batch) >= 50_000:
                QuotaEntry.objects.bulk_create(batch)
                batch = []
        QuotaEntry.objects.bulk_create(batch)
        rows = QuotaEntry.objects.count()
        print(f"{rows} usage entries written for the benchmark in {time.perf_counter() - start:.1f} s")
        sums = dict(QuotaEntry.objects.values_list("user_id").annotate(s=Sum("amount_bytes")))
        size = "SELECT pg_size_pretty(pg_total_relation_size('quota_quotaentry'))"
        with connection.cursor() as cursor:
            cursor.execute(size)
            before = cursor.fetchone()[0]
        start = time.perf_counter()
        report = usage_compact()
        took = time.perf_counter() - start
        with connection.cursor() as cursor:
            cursor.execute(size)
            after = cursor.fetchone()[0]
        same = dict(QuotaEntry.objects.values_list("user_id").annotate(s=Sum("amount_bytes"))) == sums
        print(f"folded: {report.summary()} in {took:.1f} s ({report.folded / took:,.0f} rows/s)")
        print(f"ledger table {before} before (space is reused by new rows after autovacuum; {after} now)")
        print(f"every resident's usage sum the same: {same}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000, int(sys.argv[2]) if len(sys.argv) > 2 else 600)
