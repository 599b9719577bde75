"""The monthly report of sales and debt per site (CSV and PDF): what staff hand to the institution.

Per site, the calendar month in the site's time zone: purchases and debt settlements paid (from the
invoices, so the numbers match what residents hold), quota granted on credit and forgiven in the month, and
what is open at the time of the report (open items at their open price; auto debt in bytes)."""

import csv
import io
import zoneinfo
from datetime import datetime

from django.db.models import Count, F, Q, Sum
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.scope import RESIDENT_SITE_LOOKUPS, site_q
from core.units import format_bytes, format_rupiah
from quota.debt import debt_summaries
from quota.models import DebtItem, Invoice, QuotaBalance
from sites.models import Site


def _members() -> tuple[str, ...]:
    return tuple("user__" + lookup for lookup in RESIDENT_SITE_LOOKUPS)


def month_bounds(site: Site, year: int, month: int) -> tuple[datetime, datetime]:
    zone = zoneinfo.ZoneInfo(site.time_zone)
    start = datetime(year, month, 1, tzinfo=zone)
    end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=zone)
    return start, end


def _open_items_rp(site: Site) -> int:
    """Open items at their open price (quota.debt.debt_summaries: the price in proportion to the bytes not
    yet paid back)."""
    items = DebtItem.objects.filter(closed_at__isnull=True).filter(site_q(_members(), [site.pk]))
    owners = set(items.values_list("user_id", flat=True))
    return sum(summary.items_rp for summary in debt_summaries(owners).values())


def monthly_report(*, year: int, month: int, sites) -> list[dict]:
    rows = []
    for site in sites:
        start, end = month_bounds(site, year, month)
        paid = Invoice.objects.filter(site=site, paid_at__gte=start, paid_at__lt=end).aggregate(
            purchases=Count("id", filter=Q(kind=Invoice.Kind.PURCHASE)),
            purchases_rp=Sum("amount_rp", filter=Q(kind=Invoice.Kind.PURCHASE), default=0),
            purchases_bytes=Sum("quota_bytes", filter=Q(kind=Invoice.Kind.PURCHASE), default=0),
            settlements=Count("id", filter=Q(kind=Invoice.Kind.SETTLEMENT)),
            settlements_rp=Sum("amount_rp", filter=Q(kind=Invoice.Kind.SETTLEMENT), default=0),
        )
        members = DebtItem.objects.filter(site_q(_members(), [site.pk]))
        granted = members.filter(created_at__gte=start, created_at__lt=end).aggregate(
            count=Count("id"), rp=Sum("price_rp", default=0)
        )
        forgiven = members.filter(
            closed_how=DebtItem.Closed.FORGIVEN, closed_at__gte=start, closed_at__lt=end
        ).aggregate(count=Count("id"), rp=Sum("price_rp", default=0))
        auto = QuotaBalance.objects.filter(
            site_q(_members(), [site.pk]),
            purchased_bytes__lt=F("used_bytes"),
        ).aggregate(residents=Count("pk"), bytes=Sum(F("used_bytes") - F("purchased_bytes"), default=0))
        rows.append(
            {
                "site": site,
                **paid,
                "granted": granted["count"],
                "granted_rp": granted["rp"],
                "forgiven": forgiven["count"],
                "forgiven_rp": forgiven["rp"],
                "open_items_rp": _open_items_rp(site),
                "auto_residents": auto["residents"],
                "auto_bytes": auto["bytes"],
            }
        )
    return rows


COLUMNS = [
    ("purchases", "Purchases"),
    ("purchases_rp", "Purchases (Rp)"),
    ("purchases_bytes", "Quota sold (bytes)"),
    ("settlements", "Debt settlements"),
    ("settlements_rp", "Debt settlements (Rp)"),
    ("granted", "Debt items granted"),
    ("granted_rp", "Debt granted (Rp)"),
    ("forgiven", "Debt items forgiven"),
    ("forgiven_rp", "Debt forgiven (Rp)"),
    ("open_items_rp", "Open debt items now (Rp)"),
    ("auto_residents", "Residents with auto debt now"),
    ("auto_bytes", "Auto debt now (bytes)"),
]


def report_csv(rows, *, year: int, month: int) -> str:
    """Integers, machine-readable (spreadsheet users format them); one row per site."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["month", "site", "code", *[key for key, _label in COLUMNS]])
    for row in rows:
        writer.writerow(
            [f"{year}-{month:02d}", row["site"].name, row["site"].code, *[row[k] for k, _l in COLUMNS]]
        )
    return out.getvalue()


def report_pdf(rows, *, year: int, month: int) -> bytes:
    # Imported here: WeasyPrint loads Pango when imported, which only the PDF paths need.
    import weasyprint

    lines = [
        {
            "site": row["site"],
            "sales": format_rupiah(row["purchases_rp"]),
            "purchases": row["purchases"],
            "sold": format_bytes(row["purchases_bytes"]),
            "settled": format_rupiah(row["settlements_rp"]),
            "settlements": row["settlements"],
            "granted": format_rupiah(row["granted_rp"]),
            "forgiven": format_rupiah(row["forgiven_rp"]),
            "open": format_rupiah(row["open_items_rp"]),
            "auto": format_bytes(row["auto_bytes"]),
            "auto_residents": row["auto_residents"],
        }
        for row in rows
    ]
    html = render_to_string(
        "billing/report_pdf.html",
        {
            "lines": lines,
            "period": f"{month:02d}-{year}",
            "made": timezone.localtime().strftime("%d-%m-%Y %H:%M"),
        },
    )
    return weasyprint.HTML(string=html).write_pdf()
