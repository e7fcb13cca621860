"""Small server-rendered SVG bar charts for the dashboard: no JavaScript, readable on a phone."""

# bar_chart() turns its rows into (short label, float) pairs under the same name.
# mypy: allow-redefinition

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.html import format_html, format_html_join

if TYPE_CHECKING:
    from django.utils.safestring import SafeString
    from django_stubs_ext import StrOrPromise

ROW = 30
LABEL_WIDTH = 130
BAR_WIDTH = 150
LABEL_CHARS = 8


def short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def bar_chart(
    rows: Iterable[tuple[object, Decimal | float | None]], title: StrOrPromise, unit: StrOrPromise = ""
) -> SafeString:
    """Horizontal bars for [(label, value)]; the numbers are printed beside the bars."""
    rows = [(short(str(label)), float(value or 0)) for label, value in rows]
    peak = max((value for _label, value in rows), default=0) or 1
    height = ROW * max(len(rows), 1) + 8
    width = LABEL_WIDTH + BAR_WIDTH + 70
    bars = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="end" class="chart-label">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" class="chart-bar"></rect>'
        '<text x="{}" y="{}" class="chart-value">{}{}</text>',
        (
            (
                LABEL_WIDTH - 8,
                index * ROW + 19,
                label,
                LABEL_WIDTH,
                index * ROW + 6,
                round(BAR_WIDTH * value / peak, 1),
                ROW - 10,
                LABEL_WIDTH + round(BAR_WIDTH * value / peak, 1) + 6,
                index * ROW + 19,
                f"{value:g}",
                unit,
            )
            for index, (label, value) in enumerate(rows)
        ),
    )
    return format_html(
        '<svg class="chart" role="img" aria-label="{}" viewBox="0 0 {} {}" width="100%"'
        ' preserveAspectRatio="xMinYMin meet"><title>{}</title>{}</svg>',
        title,
        width,
        height,
        title,
        bars,
    )
