"""Receipts: an invoice as an HTML page (signed link, no login, readable in the captive browser) and as a
PDF (WeasyPrint). Staff download any invoice from the admin with the same renderer."""

import zoneinfo

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET

from billing.links import receipt_from_token, receipt_url
from core.units import format_bytes, format_rupiah, local_time_text
from quota.models import Invoice


def receipt_context(invoice: Invoice) -> dict:
    with timezone.override(zoneinfo.ZoneInfo(invoice.site.time_zone)):
        paid_local = local_time_text(invoice.paid_at)  # in the site's zone, wherever the server is
    return {
        "invoice": invoice,
        "institution": invoice.site.name,
        "amount": format_rupiah(invoice.amount_rp),
        "quota": format_bytes(invoice.quota_bytes) if invoice.quota_bytes else "",
        "paid_local": paid_local,
    }


def receipt_pdf(invoice: Invoice) -> bytes:
    # Imported here: WeasyPrint loads Pango when imported, which only the PDF paths need.
    import weasyprint

    html = render_to_string("billing/receipt_pdf.html", receipt_context(invoice))
    return weasyprint.HTML(string=html).write_pdf()


def _invoice_from(token: str) -> Invoice:
    number = receipt_from_token(token)
    invoice = Invoice.objects.select_related("site").filter(number=number).first() if number else None
    if invoice is None:
        raise Http404
    return invoice


@require_GET
def receipt(request, token: str):
    invoice = _invoice_from(token)
    context = receipt_context(invoice) | {"pdf_url": receipt_url(invoice.number, pdf=True)}
    return render(request, "billing/receipt.html", context)


def pdf_response(invoice: Invoice) -> HttpResponse:
    response = HttpResponse(receipt_pdf(invoice), content_type="application/pdf")
    filename = invoice.number.replace("/", "-")
    response["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
    return response


@require_GET
def receipt_download(request, token: str):
    return pdf_response(_invoice_from(token))
