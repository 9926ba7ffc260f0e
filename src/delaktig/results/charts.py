"""Accessible SVG charts for the compilation. Always shown next to an equivalent table.

Every text is escaped here; colours are never the only carrier of meaning (each bar has
its value written beside it and the series are named in the legend and in <desc>).
"""

from __future__ import annotations

from itertools import count

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

SERIES_FILL = ["#1f5f8b", "#c2571a"]
_ids = count(1)


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{round(value * 100)} %"


def comparison_chart(
    title: str,
    groups: list[tuple[str, list[float | None]]],
    series: list[str],
    *,
    width: int = 640,
) -> SafeString:
    """Horizontal grouped bars of shares (0..1): e.g. population vs participants per group."""
    uid = next(_ids)
    bar_h, gap, label_w, top, legend_h = 16, 12, 200, 8, 24
    per_group = bar_h * len(series) + gap
    height = top + legend_h + max(len(groups), 1) * per_group + top
    plot_w = width - label_w - 60
    biggest = max((v or 0 for _label, values in groups for v in values), default=0) or 1
    desc = "; ".join(
        f"{label}: " + ", ".join(f"{s} {_pct(v)}" for s, v in zip(series, values, strict=True))
        for label, values in groups
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="cmp-title-{uid} cmp-desc-{uid}">',
        f'<title id="cmp-title-{uid}">{escape(title)}</title>',
        f'<desc id="cmp-desc-{uid}">{escape(desc)}</desc>',
    ]
    x = label_w
    for i, name in enumerate(series):
        parts.append(
            f'<rect x="{x}" y="{top}" width="14" height="14" fill="{SERIES_FILL[i % 2]}"></rect>'
            f'<text x="{x + 20}" y="{top + 12}" font-size="13">{escape(name)}</text>'
        )
        x += 30 + 8 * len(name)
    y = top + legend_h
    for label, values in groups:
        short = label if len(label) <= 28 else label[:27] + "…"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + bar_h}" text-anchor="end" font-size="13">'
            f"{escape(short)}</text>"
        )
        for i, v in enumerate(values):
            w = int(plot_w * (v or 0) / biggest)
            parts.append(
                f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_h - 2}" '
                f'fill="{SERIES_FILL[i % 2]}"></rect>'
                f'<text x="{label_w + w + 4}" y="{y + bar_h - 4}" font-size="12">'
                f"{escape(_pct(v))}</text>"
            )
            y += bar_h
        y += gap
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped above
