"""Vector charts for reports, drawn with pygal (SVG), never by hand.

Each function takes plain numbers and returns the chart as SVG text for inline use in
the HTML (WeasyPrint draws inline ``<svg>`` as vectors). Labels come from dossiers (site
names), so they go through pygal's XML writer, which escapes text; the report's URL
fetcher blocks any reference that would slip through anyway.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

FONT_FAMILY = "'Noto Sans SC', sans-serif"
ACTUAL_COLOUR = "#2b6cb0"
REQUIRED_COLOUR = "#c05621"
TARGET_COLOUR = "#718096"


def _style(*colours: str) -> Any:
    from pygal.style import Style

    return Style(
        background="transparent",
        plot_background="transparent",
        foreground="#1a202c",
        foreground_strong="#1a202c",
        foreground_subtle="#a0aec0",
        opacity="1",
        opacity_hover="1",
        colors=colours or (ACTUAL_COLOUR, REQUIRED_COLOUR),
        font_family=FONT_FAMILY,
        title_font_family=FONT_FAMILY,
        label_font_family=FONT_FAMILY,
        major_label_font_family=FONT_FAMILY,
        value_font_family=FONT_FAMILY,
        legend_font_family=FONT_FAMILY,
        value_label_font_family=FONT_FAMILY,
        title_font_size=15,
        label_font_size=11,
        major_label_font_size=11,
        legend_font_size=11,
        value_font_size=10,
        value_label_font_size=10,
    )


def _number(value: Any) -> float | None:
    # pygal plots floats; the exact figures are printed in the tables beside the chart.
    if value is None:
        return None
    if isinstance(value, Fraction):
        return value.numerator / value.denominator
    return float(value)


def _render(chart: Any) -> str:
    return str(chart.render(is_unicode=True, disable_xml_declaration=True))


def _bar(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[Any]]],
    *,
    y_title: str,
    formatter: Any,
    colours: Sequence[str],
    width: int = 680,
    height: int = 260,
) -> str:
    import pygal

    chart = pygal.Bar(
        width=width,
        height=height,
        style=_style(*colours),
        title=title,
        y_title=y_title,
        js=[],
        disable_xml_declaration=True,
        print_values=True,
        legend_at_bottom=True,
        legend_at_bottom_columns=len(series),
        x_label_rotation=0,
        truncate_label=-1,
        truncate_legend=-1,
        value_formatter=formatter,
        show_y_guides=True,
        margin=8,
        include_x_axis=True,
        min_scale=4,
        max_scale=6,
    )
    chart.x_labels = list(labels)
    for name, values in series:
        chart.add(name, [_number(v) for v in values])
    return _render(chart)


def _yi(value: float) -> str:
    return f"{value / 1e8:.2f}亿"


def revenue_chart(
    revenue_by_year: Sequence[tuple[int, Decimal | None]], threshold: Decimal | None
) -> str:
    """Park revenue per year (元, shown in 亿元) against the revenue threshold."""
    labels = [f"{year}年" for year, _ in revenue_by_year]
    series: list[tuple[str, Sequence[Any]]] = [("园区营业收入", [v for _, v in revenue_by_year])]
    if threshold is not None:
        series.append(("认定要求", [threshold] * len(revenue_by_year)))
    return _bar(
        "园区年营业收入与认定要求（亿元）",
        labels,
        series,
        y_title=None,
        formatter=_yi,
        colours=(ACTUAL_COLOUR, REQUIRED_COLOUR),
    )


def occupancy_chart(sites: Sequence[tuple[str, Fraction | None, Decimal | None]]) -> str:
    """Occupancy (入驻面积占比) per site against the threshold that applies to that site."""
    return _bar(
        "各园区入驻面积占比与认定要求",
        [s[0] for s in sites],
        [("入驻面积占比", [s[1] for s in sites]), ("认定要求", [s[2] for s in sites])],
        y_title=None,
        formatter=lambda v: f"{v * 100:.1f}%",
        colours=(ACTUAL_COLOUR, REQUIRED_COLOUR),
    )


def institutions_chart(sites: Sequence[tuple[str, int | None, Decimal | None]]) -> str:
    """HR service institutions per site against the threshold that applies to that site."""
    return _bar(
        "各园区人力资源服务机构数量与认定要求",
        [s[0] for s in sites],
        [("人力资源服务机构", [s[1] for s in sites]), ("认定要求", [s[2] for s in sites])],
        y_title=None,
        formatter=lambda v: f"{v:.0f}家",
        colours=(ACTUAL_COLOUR, REQUIRED_COLOUR),
    )


def targets_chart(rows: Sequence[tuple[str, float | None, float | None]]) -> str:
    """Actual as a percentage of each annual development target (年度发展目标完成率)."""
    labels = [r[0] for r in rows]
    attainment = [None if not r[1] or r[2] is None else r[2] / r[1] for r in rows]
    return _bar(
        "年度发展目标完成情况",
        labels,
        [("完成率", attainment), ("目标", [1.0 if r[1] else None for r in rows])],
        y_title=None,
        formatter=lambda v: f"{v * 100:.0f}%",
        colours=(ACTUAL_COLOUR, TARGET_COLOUR),
    )


def ranking_chart(rows: Sequence[tuple[str, int, int]]) -> str:
    """Criteria met per park, for the summary across parks (rows: park code, met, total)."""
    import pygal

    chart = pygal.HorizontalStackedBar(
        width=680,
        height=max(180, 60 + 34 * len(rows)),
        style=_style(ACTUAL_COLOUR, "#cbd5e0"),
        title="各园区认定条件达标情况",
        js=[],
        disable_xml_declaration=True,
        print_values=True,
        legend_at_bottom=True,
        truncate_label=-1,
        truncate_legend=-1,
        value_formatter=lambda v: f"{v:.0f}项",
        margin=8,
    )
    # Horizontal bars run bottom-up; reverse so the first-ranked park is on top.
    ordered = list(reversed(rows))
    chart.x_labels = [r[0] for r in ordered]
    chart.add("达标条件", [r[1] for r in ordered])
    chart.add("未达标/待定", [r[2] - r[1] for r in ordered])
    return _render(chart)
