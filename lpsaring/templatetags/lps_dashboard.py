from django import template
from django.utils.translation import gettext as _

from core.charts import bar_chart_svg
from core.units import format_bytes, format_rupiah
from lpsaring.dashboard import dashboard_data, dashboard_sites

register = template.Library()


@register.simple_tag(takes_context=True)
def lps_dashboard(context):
    request = context["request"]
    sites, site, site_ids = dashboard_sites(request.user, request.GET.get("site"))
    data = dashboard_data(site_ids=site_ids)
    data["sites"], data["site"] = sites, site
    labels = lambda points: [(day.strftime("%d/%m"), value) for day, value in points]  # noqa: E731
    data["usage_chart"] = bar_chart_svg(
        labels(data["usage_per_day"]), title=_("Usage per day"), format_value=format_bytes
    )
    data["revenue_chart"] = bar_chart_svg(
        labels(data["revenue_per_day"]),
        title=_("Revenue per day"),
        format_value=format_rupiah,
        color="#067647",
    )
    data["revenue_text"] = {key: format_rupiah(value) for key, value in data["revenue"].items()}
    return data
