"""Invoice numbers: gapless per site and year, taken in the same transaction as the payment they record."""

import zoneinfo

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from quota.models import Invoice, InvoiceCounter
from sites.models import Site


def invoice_number_format(*, code: str, year: int, sequence: int) -> str:
    return f"INV/{code}/{year}/{sequence:06d}"


def _site_of(user: User) -> Site:
    return Site.objects.get(pk=user.site_id) if user.site_id else Site.objects.default()


@transaction.atomic
def invoice_issue(
    *,
    user: User,
    kind: str,
    reference: str,
    description: str,
    amount_rp: int,
    method: str,
    quota_bytes: int = 0,
    paid_at=None,
) -> Invoice:
    """The invoice for one payment (`reference`: its order id or settlement key). Issuing the same
    reference again returns the first invoice. The site's counter row for the year is locked until the
    caller's transaction ends, so two payments never share a number and a rolled-back payment leaves no
    gap."""
    existing = Invoice.objects.filter(reference=reference).first()
    if existing is not None:
        return existing
    paid_at = paid_at or timezone.now()
    site = _site_of(user)
    year = timezone.localtime(paid_at, zoneinfo.ZoneInfo(site.time_zone)).year
    InvoiceCounter.objects.bulk_create([InvoiceCounter(site=site, year=year)], ignore_conflicts=True)
    counter = InvoiceCounter.objects.select_for_update().get(site=site, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return Invoice.objects.create(
        number=invoice_number_format(code=site.code, year=year, sequence=counter.last_number),
        site=site,
        year=year,
        sequence=counter.last_number,
        user=user,
        kind=kind,
        reference=reference,
        description=description[:255],
        quota_bytes=quota_bytes,
        amount_rp=amount_rp,
        method=method[:40],
        resident_name=user.full_name[:150],
        resident_phone=user.phone,
        location=user.location_label[:80],
        paid_at=paid_at,
    )
