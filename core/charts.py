"""Server-rendered SVG bar charts for the admin dashboard (no JavaScript, no CDN). Pure functions."""

from collections.abc import Callable, Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _


def bar_chart_svg(
    points: Sequence[tuple[str, int]],
    *,
    title: str,
    format_value: Callable[[int], str] = str,
    width: int = 640,
    height: int = 180,
    color: str = "#0b6bcb",
) -> SafeString:
    """One bar per (label, value); each bar carries a <title> with its label and formatted value.

    Labels are shown for the first, the middle and the last bar so 30 days stay readable."""
    top, bottom, left, right = 22, 22, 4, 4
    plot_h = height - top - bottom
    n = max(len(points), 1)
    slot = (width - left - right) / n
    peak = max((value for __, value in points), default=0)
    heading = _("%(title)s (max %(peak)s)") % {"title": title, "peak": format_value(peak)}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-label="{escape(title)}" class="lps-chart">',
        f'<text x="{left}" y="14" font-size="12" fill="#1c2430">{escape(heading)}</text>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="#b8c2cc"/>',
    ]
    label_at = {0, n // 2, n - 1}
    for i, (label, value) in enumerate(points):
        bar_h = 0 if peak <= 0 else round(plot_h * value / peak, 1)
        x = round(left + i * slot + slot * 0.1, 1)
        y = round(top + plot_h - bar_h, 1)
        tip = escape(f"{label}: {format_value(value)}")
        parts.append(
            f'<rect x="{x}" y="{y}" width="{round(slot * 0.8, 1)}" height="{bar_h}" fill="{color}">'
            f"<title>{tip}</title></rect>"
        )
        if i in label_at:
            # The first and last labels are anchored inside the chart, so a narrow chart never clips them.
            anchor = "start" if i == 0 else "end" if i == n - 1 and n > 1 else "middle"
            at = {"start": x, "end": x + slot * 0.8, "middle": x + slot * 0.4}[anchor]
            parts.append(
                f'<text x="{round(at, 1)}" y="{height - 6}" font-size="10" text-anchor="{anchor}" '
                f'fill="#56616d">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every interpolated text above is escaped
