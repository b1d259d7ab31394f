"""Vector charts for reports, drawn with pygal (SVG), never by hand.

Why pygal and not another library: it is maintained (3.x releases, Python 3.12+ support),
pure Python with no binary dependency, imports in milliseconds (a report's cold start is
benchmarked against WeasyPrint alone), and writes SVG whose text stays text — so the
report's embedded Chinese font draws it and the PDF stays PDF/A. matplotlib would add a
second font machinery, ~40 MB and a slow import; plotly and Vega need a browser or Node to
make static SVG.

Each function takes plain numbers and returns the chart as SVG text for inline use in
the HTML (WeasyPrint draws inline ``<svg>`` as vectors). What a reader needs at a glance:

- the unit in the title (亿元, %, 家), the value printed on each bar;
- a threshold as a labelled horizontal line (a major guide of the y axis, dashed, in the
  threshold colour, its label saying 认定要求 … on the axis) — not a second bar;
- a y axis from 0 to a round number at or above every bar and every threshold, so no bar
  runs past the axis.

Labels come from dossiers (site names), so they go through pygal's XML writer, which
escapes text; the report's URL fetcher blocks any reference that would slip through anyway.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

FONT_FAMILY = "'Noto Sans SC', sans-serif"
ACTUAL_COLOUR = "#2b6cb0"
REQUIRED_COLOUR = "#c05621"
TARGET_COLOUR = "#a0aec0"
MISSING_COLOUR = "#cbd5e0"


def _style(*colours: str) -> Any:
    from pygal.style import Style

    return Style(
        background="transparent",
        plot_background="transparent",
        foreground="#1a202c",
        foreground_strong="#1a202c",
        foreground_subtle="#4a5568",
        opacity="1",
        opacity_hover="1",
        colors=colours or (ACTUAL_COLOUR,),
        guide_stroke_color="#e2e8f0",
        guide_stroke_dasharray="2,3",
        major_guide_stroke_color=REQUIRED_COLOUR,
        major_guide_stroke_dasharray="7,3",
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
        value_font_size=11,
        value_label_font_size=10,
    )


def nice_top(value: float) -> float:
    """The smallest round number (1, 2, 2.5, 5 × 10ⁿ) at or above ``value`` — the axis' end."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if step * power >= value - 1e-12:
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


def axis_labels(
    top: float, thresholds: Sequence[tuple[str, float]], fmt: Callable[[float], str]
) -> tuple[list[Any], list[float]]:
    """Five even ticks from 0 to ``top`` plus one labelled tick per threshold (ticks too near a
    threshold's label are left out so the labels do not overlap); and the major values."""
    ticks = [top * i / 5 for i in range(6)]
    majors = [value for _label, value in thresholds]
    labels: list[Any] = [
        {"label": fmt(t), "value": t} for t in ticks if all(abs(t - m) > top * 0.06 for m in majors)
    ]
    labels += [{"label": label, "value": value} for label, value in thresholds]
    return sorted(labels, key=lambda item: item["value"]), majors


def _wide(text: str) -> int:
    return sum(1 for ch in text if ord(ch) > 0x2E80)


def _render(chart: Any) -> str:
    return str(chart.render(is_unicode=True, disable_xml_declaration=True))


def bar_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    thresholds: Sequence[tuple[str, float]] = (),
    fmt: Callable[[float], str],
    colours: Sequence[str] = (ACTUAL_COLOUR,),
    width: int = 680,
    height: int = 270,
) -> str:
    """Bars (one or more series) with thresholds as labelled dashed lines; the y axis runs from
    0 to a round number above every value and threshold."""
    import pygal

    values = [v for _name, vs in series for v in vs if v is not None]
    top = nice_top(max([*values, *(t for _l, t in thresholds), 0.0]) * 1.08)
    y_labels, majors = axis_labels(top, thresholds, fmt)
    chart = pygal.Bar(
        width=width,
        height=height,
        style=_style(*colours),
        title=title,
        js=[],
        disable_xml_declaration=True,
        print_values=True,
        print_values_position="top",
        legend_at_bottom=True,
        legend_at_bottom_columns=max(1, len(series)),
        show_legend=len(series) > 1,
        x_label_rotation=0,
        truncate_label=-1,
        truncate_legend=-1,
        value_formatter=fmt,
        show_y_guides=True,
        margin=8,
        # pygal sizes the axis for narrow glyphs; a Chinese label needs about twice the room
        margin_left=8 + 7 * max((_wide(str(item["label"])) for item in y_labels), default=0),
        range=(0, top),
        include_x_axis=True,
        spacing=14,
    )
    chart.x_labels = list(labels)
    chart.y_labels = y_labels
    # majors are the thresholds only; with none, a value off the axis (pygal would otherwise
    # pick "round" ticks as majors and draw them like a threshold)
    chart.y_labels_major = majors or [-1.0]
    for name, vs in series:
        chart.add(name, list(vs))
    return _render(chart)


def threshold_lines(
    per_bar: Sequence[tuple[str, float | None]], fmt: Callable[[float], str]
) -> list[tuple[str, float]]:
    """One labelled line per distinct threshold: ``per_bar`` is (whose, threshold) for each bar,
    e.g. (核心园区, 20), (分园区, 10) → 核心园区要求 20家, 分园区要求 10家; one value for all →
    认定要求 20家."""
    distinct: dict[float, list[str]] = {}
    for whose, value in per_bar:
        if value is not None:
            distinct.setdefault(value, [])
            if whose not in distinct[value]:
                distinct[value].append(whose)
    if len(distinct) == 1:
        value = next(iter(distinct))
        return [(f"认定要求 {fmt(value)}", value)]
    return [(f"{'、'.join(w)}要求 {fmt(v)}", v) for v, w in sorted(distinct.items())]


def yi(value: float) -> str:
    """亿元 to two decimals, without trailing zeros: 5.45, 5."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def percent(value: float) -> str:
    """A percentage already multiplied by 100: 54.9%."""
    return f"{value:.1f}".rstrip("0").rstrip(".") + "%"


def count(value: float) -> str:
    """A count of institutions: 32家."""
    return f"{value:.0f}家"


def wan(value: float) -> str:
    """万元 as a whole number: 8800."""
    return f"{value:.0f}"


def revenue_chart(
    revenue_by_year: Sequence[tuple[int, float | None]], threshold: float | None
) -> str:
    """Park revenue per year against the revenue threshold (a labelled line), in 亿元 — or in
    万元 when every figure is below 1亿, so the axis never reads 0.24, 0.48 …"""
    from decimal import Decimal

    from parkeval.domain.wording import display_money

    bars = [v for _y, v in revenue_by_year if v is not None]
    unit, size, fmt = ("亿元", 1e8, yi) if max(bars, default=0) >= 1e8 else ("万元", 1e4, wan)
    values = [None if v is None else v / size for _y, v in revenue_by_year]
    lines = (
        []
        if threshold is None
        else [(f"认定要求 {display_money(Decimal(repr(threshold)))}", threshold / size)]
    )
    return bar_chart(
        f"园区年营业收入（{unit}）",
        [f"{year}年" for year, _ in revenue_by_year],
        [("园区营业收入", values)],
        thresholds=lines,
        fmt=fmt,
    )


def occupancy_chart(sites: Sequence[tuple[str, str, float | None, float | None]]) -> str:
    """Occupancy (入驻面积占比, %) per site; ``sites`` are (name, whose threshold, ratio, threshold).
    A bar's value is written against the threshold nearest to it (59.99%, never 60% under a
    60% line), by the same rule as the report's tables."""
    from parkeval.domain.wording import display_percent

    limits = [s[3] for s in sites if s[3] is not None]

    def label(value: float) -> str:
        ratio = value / 100
        near = min(limits, key=lambda t: abs(t - ratio)) if limits else None
        return display_percent(ratio, near)

    return bar_chart(
        "各园区入驻面积占比（%）",
        [s[0] for s in sites],
        [("入驻面积占比", [None if s[2] is None else s[2] * 100 for s in sites])],
        thresholds=threshold_lines(
            [(s[1], None if s[3] is None else s[3] * 100) for s in sites], percent
        ),
        fmt=label,
    )


def institutions_chart(sites: Sequence[tuple[str, str, float | None, float | None]]) -> str:
    """HR service institutions (家) per site; ``sites`` are (name, whose threshold, count, threshold)."""
    return bar_chart(
        "各园区人力资源服务机构数量（家）",
        [s[0] for s in sites],
        [("人力资源服务机构", [s[2] for s in sites])],
        thresholds=threshold_lines([(s[1], s[3]) for s in sites], count),
        fmt=count,
    )


def target_chart(
    title: str, target: float | None, actual: float | None, fmt: Callable[[float], str]
) -> str:
    """One metric's annual development target (年度发展目标) against the actual, side by side."""
    return bar_chart(
        title,
        ["目标", "实际"],
        [("数值", [target, actual])],
        fmt=fmt,
        colours=(ACTUAL_COLOUR,),
        width=330,
        height=230,
    )


def ranking_chart(rows: Sequence[tuple[str, int, int]]) -> str:
    """Criteria met per park, for the summary across parks (rows: park name, met, total)."""
    import pygal

    chart = pygal.HorizontalStackedBar(
        width=680,
        height=max(180, 70 + 30 * len(rows)),
        style=_style(ACTUAL_COLOUR, MISSING_COLOUR),
        title="各园区认定条件达标情况（项）",
        js=[],
        disable_xml_declaration=True,
        print_values=True,
        legend_at_bottom=True,
        truncate_label=-1,
        truncate_legend=-1,
        value_formatter=lambda v: f"{v:.0f}项" if v else "",  # a zero-length bar: no label
        print_zeroes=False,
        margin=8,
        # room for the parks' names (pygal sizes the axis for narrow glyphs)
        margin_left=8 + 6 * max((_wide(r[0]) for r in rows), default=0),
        range=(0, max([r[2] for r in rows] + [1])),
    )
    # Horizontal bars run bottom-up; reverse so the first-ranked park is on top.
    ordered = list(reversed(rows))
    chart.x_labels = [r[0] for r in ordered]
    chart.add("达标条件", [r[1] or None for r in ordered])  # a park meeting none: no "0项"
    chart.add("未达标或无法判断", [(r[2] - r[1]) or None for r in ordered])  # no "0项" label
    return _render(chart)
