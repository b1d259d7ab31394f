"""Development goals against what is recorded, pure: for each goal of a document the target and
its year, the actual (the latest figure on or before the day asked), the gap, the compound yearly
growth needed to reach the goal by its year (每年需增长 x%), and a status — 已达成, 未达成,
期限已过未达成 or 无记录.

How the actual is read (the contract, also in the README):

* 机构数量 (``institutions``): HR service institutions holding a 许可证 or a 备案 present on the
  day (the classes the policies count by default); 入驻企业 (``firms``): every tenant present.
* 年营业收入 (``revenue``): the tenants' 营业收入 for the latest year up to the day's year — and
  never past the goal's year: a goal for 2025 is judged on 2025's revenue.
* 面积 (``area``): the sites' 建筑面积 summed; ``core_area``: the core site's.
* A city goal sums every recorded park of the city. Where the document counts the whole
  industry (``coverage: industry``) that sum is a lower bound: reaching the goal on it is
  reaching it; falling short says 仅含已记录园区.
* Missing data is never a pass: a quantity the database does not hold, or no figure at all,
  is 无记录. A figure that is a lower bound (some tenants did not report revenue, a site has no
  area) meets the goal only if the bound does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal, localcontext
from typing import Any

from parkeval.domain.facts import ParkFacts
from parkeval.domain.lifecycle.records import DueItem
from parkeval.domain.wording import display_money, format_area, format_money
from parkeval.policy.goals import Goal, GoalSet
from parkeval.policy.vocabulary import DEFAULT_CLASSES, compare

GOAL_STATUS_NAMES = {
    "met": "已达成",
    "open": "未达成",
    "missed": "期限已过未达成",
    "no_record": "无记录",
}
DRAFT_NOTE = "征求意见稿，非正式文件"
GOAL_DUE_PREFIX = "发展目标："  # how a goal's due item begins (reports show goals apart)
GOAL_DUE_SOURCE = "发展目标"  # the 政策 column of a goal's due item in a workbook
OP_GOAL_WORDS = {">=": "达到", ">": "超过"}


@dataclass
class GoalResult:
    """One goal against the recorded figures (``goals --json`` lists these)."""

    goals_id: str  # the goal file (document) id
    document: str  # the document in words (a draft says so)
    draft: bool
    id: str
    scope: str  # park | city
    scope_name: str  # 园区 / 全市（已记录园区 3 个）
    parks: list[str]  # the park codes the figure sums
    article: str
    wording: str
    interpretation: str | None
    name: str  # what it measures, in words
    metric: str
    year: int
    op: str | None
    target: Decimal | None
    target_text: str  # 达到400家 / 超过100亿元 / —
    stretch_target: Decimal | None
    stretch_text: str | None  # 力争达到100亿元
    coverage: str  # parks | industry
    actual: Decimal | None
    actual_year: int | None
    actual_text: str
    complete: bool  # False: the actual is a lower bound (or missing)
    note: str | None  # why 无记录, what the figure leaves out
    status: str
    status_name: str
    gap: Decimal | None  # how much more is needed (count: how many more)
    gap_text: str
    growth: Decimal | None  # compound yearly growth needed, as a ratio (0.125 = 12.5%)
    growth_text: str
    series: list[tuple[int, Decimal]] = field(default_factory=list)  # actuals by year
    path: list[tuple[int, Decimal]] = field(default_factory=list)  # the required path

    def to_dict(self) -> dict[str, Any]:
        """The ``goals --json`` entry (series and path as [year, value] pairs)."""
        out = dict(self.__dict__)
        out["series"] = [[y, v] for y, v in self.series]
        out["path"] = [[y, v] for y, v in self.path]
        return out


def quantity_text(metric: str, value: Decimal | None, unit: str | None = None) -> str:
    """A goal's quantity in words: 400家, 80亿元, 1800㎡, 5000人."""
    if value is None:
        return "—"
    if metric == "revenue":
        return format_money(value)
    if metric in ("area", "core_area"):
        return format_area(value)
    if metric == "unrecorded" and unit == "人" and value >= 10_000:
        return f"{(value / 10_000).normalize():f}万人"
    return f"{value.normalize():f}{unit or '家'}"


def _actual_text(metric: str, value: Decimal | None, target: Decimal | None) -> str:
    if value is None:
        return "—"
    if metric == "revenue":
        return display_money(value, target)
    return quantity_text(metric, value)


def _sum_counts(parks: Sequence[ParkFacts], metric: str) -> Decimal | None:
    total = 0
    for p in parks:
        if p.tally is None:
            return None
        for site in p.tally.sites.values():
            total += site.present if metric == "firms" else site.institutions(DEFAULT_CLASSES)[0]
    return Decimal(total)


def _sum_area(parks: Sequence[ParkFacts], core: bool) -> tuple[Decimal | None, str | None]:
    sites = [s for p in parks for s in ([p.core] if core and p.core else [] if core else p.sites)]
    known = [s.building_area for s in sites if s.building_area is not None]
    if not known:
        return None, ("未记录核心区" if core and not sites else "档案未填写建筑面积")
    missing = [s.name for s in sites if s.building_area is None]
    return sum(known, Decimal(0)), (f"{'、'.join(missing)}未填写建筑面积" if missing else None)


def revenue_series(parks: Sequence[ParkFacts], last: int) -> list[tuple[int, Decimal, int]]:
    """(year, revenue summed over the parks, tenants that did not report) for every year up to
    ``last`` in which at least one tenant reported."""
    years = sorted({y for p in parks if p.tally for y in p.tally.years if y <= last})
    out = []
    for y in years:
        tallies = [p.tally.years[y] for p in parks if p.tally and y in p.tally.years]
        reported = sum(t.reported for t in tallies)
        if reported:
            total = sum((t.total for t in tallies), Decimal(0))
            out.append((y, total, sum(t.present - t.reported for t in tallies)))
    return out


def _actual(
    goal: Goal, parks: Sequence[ParkFacts], as_of: dt.date
) -> tuple[Decimal | None, int | None, str | None, list[tuple[int, Decimal]]]:
    """The actual, its year, what it leaves out (or why there is none), the series by year."""
    if not goal.measurable:
        return None, None, "本库不记录该项数据", []
    if not parks:
        return None, None, "该范围内没有已记录的园区", []
    if goal.metric == "revenue":
        series = revenue_series(parks, min(as_of.year, goal.year))
        if not series:
            return None, None, "尚无营业收入数据", []
        year, total, unreported = series[-1]
        note = f"{unreported} 家入驻机构未填报 {year} 年营业收入" if unreported else None
        return total, year, note, [(y, v) for y, v, _u in series]
    if goal.metric in ("area", "core_area"):
        value, note = _sum_area(parks, goal.metric == "core_area")
        return value, as_of.year, note, ([(as_of.year, value)] if value is not None else [])
    value = _sum_counts(parks, goal.metric)
    if value is None:
        return None, None, "尚无该日的入驻数据", []
    return value, as_of.year, None, [(as_of.year, value)]


def required_growth(actual: Decimal, target: Decimal, years: int) -> Decimal | None:
    """The compound yearly growth that takes ``actual`` to ``target`` in ``years`` years, as a
    ratio rounded up to 0.1% (so growing by it reaches the goal); None when it cannot be said
    (no year left, or nothing to grow from)."""
    if years < 1 or actual <= 0:
        return None
    with localcontext() as ctx:
        ctx.prec = 30
        factor = (target / actual) ** (Decimal(1) / Decimal(years))
        return (factor - 1).quantize(Decimal("0.001"), rounding=ROUND_CEILING)


def _percent(ratio: Decimal) -> str:
    return f"{(ratio * 100).normalize():f}%"


def _gap(goal: Goal, actual: Decimal) -> tuple[Decimal, str]:
    assert goal.target is not None
    gap = goal.target - actual
    if goal.metric in ("institutions", "firms"):
        need = gap + (1 if goal.op == ">" else 0)
        return need, f"还需 {need.normalize():f} 家"
    if goal.op == ">" and gap == 0:
        return gap, "恰为目标值，须超过目标"
    words = quantity_text(goal.metric, gap)
    return gap, f"还差 {words}" + ("，且须超过目标" if goal.op == ">" else "")


def _path(actual: Decimal, year: int, goal: Goal, growth: Decimal) -> list[tuple[int, Decimal]]:
    assert goal.target is not None
    points = []
    value = actual
    for y in range(year + 1, goal.year):
        value = value * (1 + growth)
        points.append((y, value.quantize(Decimal("0.01"))))
    return [(year, actual), *points, (goal.year, goal.target)]


def _scope_name(goal: Goal, goals: GoalSet, parks: Sequence[ParkFacts]) -> str:
    if goal.scope == "park":
        return "园区"
    city = goals.jurisdiction.city or goals.jurisdiction.province
    return f"{city}全市（已记录园区 {len(parks)} 个）"


def evaluate_goal(
    goals: GoalSet, goal: Goal, parks: Sequence[ParkFacts], *, as_of: dt.date
) -> GoalResult:
    """One goal against the recorded figures of ``parks`` (the park itself, or every recorded
    park of the city), each tallied on ``as_of`` with its revenue years."""
    actual, year, note, series = _actual(goal, parks, as_of)
    complete = actual is not None and note is None
    gap: Decimal | None = None
    gap_text, growth_text = "", ""
    growth: Decimal | None = None
    path: list[tuple[int, Decimal]] = []
    passed = as_of > dt.date(goal.year, 12, 31)
    if actual is None or goal.target is None or goal.op is None or year is None:
        status = "no_record"
        if goal.measurable and passed and actual is None:
            note = f"期限（{goal.year}年）已过；{note}"
    elif compare(actual, goal.op, goal.target):
        status = "met"
    elif passed and year < goal.year:
        # the goal's own year is not reported yet: an older year cannot say it was missed
        status = "no_record"
        note = f"期限（{goal.year}年）已过，尚无{goal.year}年数据（最近为{year}年：{_actual_text(goal.metric, actual, goal.target)}）"
    else:
        gap, gap_text = _gap(goal, actual)
        if goal.coverage == "industry":
            note = "；".join(x for x in (note, "仅含已记录园区，全市实际可能更高") if x)
        status = "missed" if passed else "open"
        if status == "open":
            growth = required_growth(actual, goal.target, goal.year - year)
            if growth is not None:
                lead = "每年需增长超过" if goal.op == ">" else "每年需增长"
                growth_text = f"{lead} {_percent(growth)}"
                path = _path(actual, year, goal, growth)
            elif actual <= 0:
                growth_text = "现为零，无法按增长率计算"
            else:
                growth_text = f"须在{goal.year}年内补足"
    if not complete and status == "met" and note:
        note = f"{note}（已填报部分已达到目标）"
    return GoalResult(
        goals_id=goals.id,
        document=goals.display_title,
        draft=goals.draft,
        id=goal.id,
        scope=goal.scope,
        scope_name=_scope_name(goal, goals, parks),
        parks=[p.code for p in parks],
        article=goal.article,
        wording=goal.wording,
        interpretation=goal.interpretation,
        name=goal.name,
        metric=goal.metric,
        year=goal.year,
        op=goal.op,
        target=goal.target,
        target_text=(
            f"{OP_GOAL_WORDS[goal.op]}{quantity_text(goal.metric, goal.target, goal.unit)}"
            if goal.op and goal.target is not None
            else "—"
        ),
        stretch_target=goal.stretch.target if goal.stretch else None,
        stretch_text=goal.stretch.wording if goal.stretch else None,
        coverage=goal.coverage,
        actual=actual,
        actual_year=year,
        actual_text=_actual_text(goal.metric, actual, goal.target),
        complete=complete,
        note=note,
        status=status,
        status_name=GOAL_STATUS_NAMES[status],
        gap=gap,
        gap_text=gap_text,
        growth=growth,
        growth_text=growth_text,
        series=series,
        path=path,
    )


def evaluate_goals(
    goals: GoalSet,
    *,
    park: ParkFacts | None,
    city_parks: Sequence[ParkFacts],
    as_of: dt.date,
) -> list[GoalResult]:
    """Every goal of a document: park goals against ``park`` (none without one), city goals
    against the sum of ``city_parks``."""
    out = []
    for goal in goals.goals:
        if goal.scope == "park":
            if park is not None:
                out.append(evaluate_goal(goals, goal, [park], as_of=as_of))
        else:
            out.append(evaluate_goal(goals, goal, city_parks, as_of=as_of))
    return out


def goal_due_text(r: GoalResult) -> str:
    """A due item's words for a goal not met by its year."""
    where = "全市" if r.scope == "city" else "园区"
    if r.status != "no_record":
        now = f"现 {r.actual_text}，{r.status_name}"
    elif r.actual is not None and r.actual_year is not None and r.actual_year != r.year:
        # the latest figures are of an earlier year: say so, and that the goal's year has none
        now = f"现 {r.actual_text}（{r.actual_year}年）；{r.year}年尚无数据"
    else:
        now = f"{r.year}年尚无数据"
    return f"{GOAL_DUE_PREFIX}{r.year}年{where}{r.name}{r.target_text}（{now}；{r.document}）"


def goal_due_items(results: Sequence[GoalResult], *, as_of: dt.date, within: int) -> list[DueItem]:
    """The goals whose year ends by ``as_of + within`` days without being met: one item each,
    due on 31 December of the goal's year (overdue once that day has passed). Goals the
    database cannot measure are not listed (they are 无记录 in ``goals``)."""
    horizon = as_of + dt.timedelta(days=within)
    items = []
    for r in results:
        end = dt.date(r.year, 12, 31)
        if r.metric == "unrecorded" or r.status == "met" or end > horizon:
            continue
        items.append(DueItem(goal_due_text(r), r.goals_id, end, end < as_of, r.article))
    return items
