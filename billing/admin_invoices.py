"""Invoices in the admin: the list (scoped to the staff member's sites), any invoice as a PDF, and the
monthly report of sales and debt per site (CSV and PDF)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy

from accounts.scope import SiteListFilter, SiteScopedAdminMixin, visible_sites
from billing.receipts import pdf_response
from billing.reports import monthly_report, report_csv, report_pdf
from core.units import format_bytes, format_rupiah
from quota.models import Invoice


class ReportForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2020, max_value=2100)
    month = forms.IntegerField(label=gettext_lazy("Month"), min_value=1, max_value=12)


@admin.register(Invoice)
class InvoiceAdmin(SiteScopedAdminMixin, admin.ModelAdmin):
    site_lookups = ("site",)
    list_display = ["number", "resident_name", "kind", "amount", "method", "paid_at", "pdf"]
    list_filter = [SiteListFilter, "kind", "paid_at"]
    search_fields = ["number", "reference", "resident_name", "resident_phone"]
    date_hierarchy = "paid_at"
    change_list_template = "admin/quota/invoice/change_list.html"

    @admin.display(description=gettext_lazy("amount (Rp)"), ordering="amount_rp")
    def amount(self, invoice):
        return format_rupiah(invoice.amount_rp)

    @admin.display(description=gettext_lazy("quota"))
    def quota(self, invoice):
        return format_bytes(invoice.quota_bytes)

    @admin.display(description=gettext_lazy("PDF"))
    def pdf(self, invoice):
        url = reverse("admin:quota_invoice_pdf", args=[invoice.pk])
        return format_html('<a href="{}">PDF</a>', url)

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Invoice._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/pdf/", wrap(self.pdf_view), name="quota_invoice_pdf"),
            path("report/", wrap(self.report_view), name="quota_invoice_report"),
            *super().get_urls(),
        ]

    def pdf_view(self, request, pk):
        invoice = get_object_or_404(self.get_queryset(request).select_related("site"), pk=pk)
        if not self.has_view_permission(request, invoice):
            raise PermissionDenied
        return pdf_response(invoice)

    def report_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        form = ReportForm(request.GET or {"year": today.year, "month": today.month})
        sites = list(visible_sites(request))
        if not form.is_valid():
            if request.GET.get("format"):
                raise Http404
            rows, year, month = [], today.year, today.month
        else:
            year, month = form.cleaned_data["year"], form.cleaned_data["month"]
            rows = monthly_report(year=year, month=month, sites=sites)
        name = f"laporan-{year}-{month:02d}"
        if request.GET.get("format") == "csv":
            response = HttpResponse(report_csv(rows, year=year, month=month), content_type="text/csv")
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
            return response
        if request.GET.get("format") == "pdf":
            response = HttpResponse(report_pdf(rows, year=year, month=month), content_type="application/pdf")
            response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
            return response
        context = {
            **self.admin_site.each_context(request),
            "title": gettext_lazy("Monthly report of sales and debt"),
            "opts": self.model._meta,
            "form": form,
            "rows": rows,
            "year": year,
            "month": month,
        }
        return TemplateResponse(request, "admin/quota/invoice/report.html", context)


def invoice_link(tx) -> str:
    """The transaction page's link to its invoice's PDF ("-" before it is paid)."""
    invoice = Invoice.objects.filter(reference=tx.order_id).only("pk", "number").first()
    if invoice is None:
        return "-"
    return format_html(
        '<a href="{}">{} (PDF)</a>', reverse("admin:quota_invoice_pdf", args=[invoice.pk]), invoice.number
    )
