"""The report's 发展目标 section: the development goals that apply to the park, in words, and a
chart per measurable goal of the actual against the path to the goal — all from the goals
embedded in the payload (``payload["goals"]``), never the database, so ``verify`` renders the
same page again. No goals embedded: no section."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from markupsafe import Markup

from parkeval.domain.goals import DRAFT_NOTE


@dataclass
class GoalRow:
    """One goal of the section."""

    document: str
    draft: bool
    scope: str  # 本园区 / 包头市全市（已记录园区 2 个）
    name: str
    year: int
    article: str
    wording: str
    target: str
    actual: str
    status: str  # a CSS class only
    status_name: str
    gap: str
    growth: str
    notes: list[str]  # stretch target, interpretation, what the figure leaves out


@dataclass
class GoalsView:
    """The 发展目标 section: its rows and charts."""

    rows: list[GoalRow]
    charts: list[Markup]
    drafts: bool  # whether a draft document's goals are among them


_STATUS_CLASS = {"met": "pass", "open": "fail", "missed": "fail", "no_record": "unknown"}


def _row(g: dict[str, Any]) -> GoalRow:
    notes = []
    if g.get("stretch_text"):
        notes.append(f"力争目标（单列，不作为目标）：{g['stretch_text']}")
    if g.get("interpretation"):
        notes.append(f"理解：{g['interpretation']}")
    if g.get("note"):
        notes.append(f"说明：{g['note']}")
    if g.get("draft"):
        notes.append(f"{DRAFT_NOTE}，目标仅供参考")
    actual = g["actual_text"] + (f"（{g['actual_year']}年）" if g.get("actual_year") else "")
    return GoalRow(
        document=g["document"],
        draft=bool(g.get("draft")),
        scope="本园区" if g["scope"] == "park" else g["scope_name"],
        name=g["name"],
        year=int(g["year"]),
        article=g["article"],
        wording=g["wording"],
        target=g["target_text"],
        actual=actual if g["status"] != "no_record" or g.get("actual") is not None else "无记录",
        status=_STATUS_CLASS[g["status"]],
        status_name=g["status_name"],
        gap=g.get("gap_text") or "",
        growth=g.get("growth_text") or "",
        notes=notes,
    )


def _chart(g: dict[str, Any]) -> Markup:
    """Actual by year against the path to the goal (compound growth) and the goal itself."""
    from parkeval.report import charts

    series = {int(y): float(v) for y, v in g["series"]}
    path = {int(y): float(v) for y, v in g["path"]}
    first = min([*series, *path])
    last = max([*series, *path, int(g["year"])])
    years = list(range(max(first, last - 7), last + 1))
    target = float(Decimal(g["target"]))
    if g["metric"] == "revenue":
        big = max([*series.values(), target]) >= 1e8
        unit, size, fmt = ("亿元", 1e8, charts.yi) if big else ("万元", 1e4, charts.wan)
    elif g["metric"] in ("area", "core_area"):
        unit, size, fmt = "㎡", 1.0, charts.wan
    else:
        unit, size, fmt = "家", 1.0, charts.count
    scope = "园区" if g["scope"] == "park" else "全市已记录园区合计"
    lines: list[tuple[str, list[float | None]]] = [
        ("实际", [series[y] / size if y in series else None for y in years])
    ]
    if path:
        lines.append(
            (
                f"达成路径（{g['growth_text']}）",
                [path[y] / size if y in path else None for y in years],
            )
        )
    return Markup(
        charts.bar_chart(
            f"{g['name']}：实际与{g['year']}年目标（{scope}，{unit}）",
            [f"{y}年" for y in years],
            lines,
            thresholds=[(f"{g['year']}年目标 {g['target_text']}", target / size)],
            fmt=fmt,
            colours=(charts.ACTUAL_COLOUR, charts.TARGET_COLOUR),
        )
    )


def goals_view(payload: dict[str, Any]) -> GoalsView | None:
    """The section from the embedded goals; None when none apply to the park."""
    goals = payload.get("goals") or []
    if not goals:
        return None
    return GoalsView(
        rows=[_row(g) for g in goals],
        charts=[_chart(g) for g in goals if g.get("series") and g.get("target") is not None],
        drafts=any(g.get("draft") for g in goals),
    )
