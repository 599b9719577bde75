"""Invoices: PDF time per invoice, and issuing a month of invoices for 2,000 residents (one each) with a
CSV of them; the monthly report of sales and debt (CSV and PDF) with half of them owing a debt item, and one
run of the debt cycle over those debtors. Prints the figures; run with DATABASE_URL set (a throw-away test
database is used).

    .venv/bin/python benchmarks/invoices.py [residents]
"""

import csv
import io
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks._bench import django_setup, residents_create, simulated_router

django_setup()


def main(count: int) -> None:
    from billing.receipts import receipt_pdf
    from quota.invoices import invoice_issue
    from quota.models import Invoice

    with simulated_router():
        users = residents_create(count)
        start = time.perf_counter()
        for user in users:
            invoice_issue(
                user=user,
                kind=Invoice.Kind.PURCHASE,
                reference=f"bench-{user.pk}",
                description="Paket 5 GB",
                quota_bytes=5 * 1024**3,
                amount_rp=25000,
                method="gopay",
            )
        issued = time.perf_counter() - start
        print(f"issued {count} invoices (numbered, one transaction each): {issued:.2f} s")
        invoices = list(Invoice.objects.select_related("site").order_by("sequence"))
        sample = invoices[:20]
        receipt_pdf(sample[0])  # WeasyPrint's first call loads fonts
        start = time.perf_counter()
        for invoice in sample:
            receipt_pdf(invoice)
        print(f"PDF per invoice: {(time.perf_counter() - start) / len(sample) * 1000:.0f} ms")
        start = time.perf_counter()
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["number", "paid_at", "resident", "location", "description", "amount_rp", "method"])
        for row in Invoice.objects.order_by("sequence").values_list(
            "number", "paid_at", "resident_name", "location", "description", "amount_rp", "method"
        ):
            writer.writerow(row)
        print(
            f"monthly CSV of {count} invoices: {(time.perf_counter() - start) * 1000:.0f} ms,",
            f"{len(out.getvalue())} bytes",
        )
        debt_and_report(users)


def debt_and_report(users) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from billing.reports import monthly_report, report_csv, report_pdf
    from quota.debt import debt_grant
    from quota.debt_cycle import debt_cycle
    from sites.models import Site

    owing = users[::2]
    start = time.perf_counter()
    for user in owing:
        debt_grant(user=user, amount_bytes=2 * 1024**3, price_rp=20000, actor=None, note="Paket 2 GB")
    print(f"{len(owing)} grants on credit: {time.perf_counter() - start:.2f} s")
    for run in ("first", "next"):  # the next minute is the common one: nothing new is due
        connection.queries_log.clear()  # the log keeps 9,000: room for the count
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            report = debt_cycle()
        print(
            f"debt cycle over {report.residents} debtors ({run} run):",
            f"{(time.perf_counter() - start) * 1000:.0f} ms, {len(queries)} queries",
        )
    today = timezone.localdate()
    sites = list(Site.objects.all())
    start = time.perf_counter()
    rows = monthly_report(year=today.year, month=today.month, sites=sites)
    text = report_csv(rows, year=today.year, month=today.month)
    print(
        f"monthly report CSV ({len(sites)} site(s)):",
        f"{(time.perf_counter() - start) * 1000:.0f} ms, {len(text)} bytes",
    )
    start = time.perf_counter()
    pdf = report_pdf(rows, year=today.year, month=today.month)
    print(f"monthly report PDF: {(time.perf_counter() - start) * 1000:.0f} ms, {len(pdf)} bytes")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
