from django import template
from django.utils.translation import gettext as _

from core.charts import bar_chart_svg
from core.units import format_bytes, format_rupiah
from lpsaring.dashboard import dashboard_data

register = template.Library()


@register.simple_tag
def lps_dashboard():
    data = dashboard_data()
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
