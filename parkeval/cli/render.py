"""Rich renderings of results for the terminal (Simplified Chinese)."""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from parkeval.app.parks import ParkDetail, ParkSummary
from parkeval.cli.common import esc
from parkeval.domain.results import CertificationResult
from parkeval.domain.wording import (
    CLASS_NAMES,
    FLAG_NAMES,
    STATUS_NAMES,
    VERDICT_NAMES,
    actual_text,
    format_date,
    format_money,
    format_timestamp,
    format_value,
    required_text,
)
from parkeval.policy.model import (
    AREA_KINDS,
    AREA_METRICS,
    LEVEL_NAMES,
    METRIC_NAMES,
    REVENUE_METRICS,
    Criterion,
    Metric,
    Policy,
    classes_phrase,
)
from parkeval.policy.vocabulary import PERIOD_ENDS

STATUS_STYLES = {
    "pass": "green",
    "fail": "bold red",
    "warn": "yellow",
    "waived": "cyan",
    "unknown": "magenta",
}
VERDICT_STYLES = {
    "eligible": "bold green",
    "conditional": "bold yellow",
    "not_eligible": "bold red",
    "incomplete": "bold magenta",
}


def certification_table(result: CertificationResult, policy: Policy) -> Group:
    """One park's certification: each criterion with article, requirement, actual value, status and gap."""
    table = Table(show_lines=False, header_style="bold", expand=False)
    for name in ("条款", "条件", "要求", "实际", "状态", "差距 / 说明"):
        table.add_column(name, overflow="fold", no_wrap=name in ("状态", "条款"))
    for c in result.criteria:
        flag = "（原则）" if c.strictness == "in_principle" else ""
        status = Text(STATUS_NAMES[c.status], style=STATUS_STYLES[c.status])
        table.add_row(
            esc(c.article),
            esc(c.title + flag),
            esc(required_text(c)),
            esc((c.kind == "qualitative" and c.evidence) or actual_text(c)),
            status,
            esc(c.gap or c.note or ""),
        )
    verdict = Text(VERDICT_NAMES[result.verdict], style=VERDICT_STYLES[result.verdict])
    head = Text.assemble(f"{result.park_name}（{result.park}）  ", verdict)
    sub = Text(
        f"{policy.title}（{policy.document_no}）  评估年度：{result.year}  "
        f"统计日：{format_date(result.as_of)}  园区布局：{'多园区' if result.layout == 'multi' else '单园区'}",
        style="dim",
    )
    parts: list[Any] = [head, sub, table]
    for w in result.warnings:
        parts.append(Text("⚠ " + w, style="yellow"))
    return Group(Text("认定条件核查", style="bold underline"), *parts, Text(""))


def render_certifications(
    console: Console, results: list[CertificationResult], policy: Policy
) -> None:
    """Print one park's table, or a line per park with a count of verdicts for several."""
    if len(results) == 1:
        console.print(certification_table(results[0], policy))
        return
    table = Table(title=f"{policy.title} — 认定条件核查", header_style="bold")
    for name in ("园区", "名称", "结论", "未达标", "无法判断", "提示"):
        table.add_column(name)
    for r in results:
        count = {
            s: sum(1 for c in r.criteria if c.status == s) for s in ("fail", "unknown", "warn")
        }
        table.add_row(
            esc(r.park),
            esc(r.park_name),
            Text(VERDICT_NAMES[r.verdict], style=VERDICT_STYLES[r.verdict]),
            str(count["fail"]),
            str(count["unknown"]),
            str(count["warn"]),
        )
    console.print(table)
    summary = {v: sum(1 for r in results if r.verdict == v) for v in VERDICT_NAMES}
    console.print("  ".join(f"{VERDICT_NAMES[v]}：{n}" for v, n in summary.items() if n))


def reads(c: Criterion) -> list[str]:
    """What a criterion reads, in words: the kind of area, the institutions, the revenue years."""
    if c.metric in AREA_METRICS:
        return [f"按{AREA_KINDS[c.kind_of_area]}"]
    if c.metric is Metric.hr_institutions:
        return [f"计入：{classes_phrase(c.counted_classes)}"]
    if c.metric in REVENUE_METRICS:
        period = c.revenue_period
        span = f"，连续 {period.years} 年{'平均' if period.combine == 'average' else '合计'}"
        return [f"年度：{PERIOD_ENDS[period.end]}" + (span if period.years > 1 else "")]
    return []


PROCEDURE_NAMES = {"evaluation_days": "申报评估期限", "publicity_days": "公示期"}


def render_policy(console: Console, policy: Policy) -> None:
    """Print a policy: its criteria with their wording, procedure, cycles, consequences and
    local settings — in words (no enum values, no raw ratios; the rubric as a table)."""
    from parkeval.domain.wording import (
        EFFECT_NAMES,
        SCOPE_NAMES,
        STRICTNESS_NAMES,
        UNIT_NAMES,
        format_date,
    )
    from parkeval.policy.model import OP_WORDS, Rubric

    until = (
        f"至 {format_date(policy.effective_until)}" if policy.effective_until else "未规定截止日期"
    )
    lines = [
        f"[bold]{policy.title}[/]（{policy.document_no}）",
        f"发布：{policy.issuer}　级别：{policy.level_name}　适用：{policy.jurisdiction.display}",
        f"施行：{format_date(policy.effective_from)}起，{until}",
        f"文件：{policy.source}",
    ]
    if policy.builds_on:
        lines.append(
            f"建立在{LEVEL_NAMES[policy.builds_on.level][0]}称号之上（{policy.builds_on.article}）："
            f"{policy.builds_on.wording}"
        )
    console.print(
        Panel("\n".join(lines), title=policy.display_title, title_align="left", expand=False)
    )
    table = Table(header_style="bold", show_lines=True)
    for name in ("编号（档案与 --criterion 用）", "条款", "原文", "指标", "范围", "要求", "性质"):
        table.add_column(name, overflow="fold")
    for c in policy.criteria:
        layout = {"single": "（单园区）", "multi": "（多园区）"}.get(c.layout, "")
        metric = METRIC_NAMES[c.metric] if c.metric else "定性：需证明材料"
        metric += "".join(f"\n[dim]{line}[/]" for line in reads(c))
        requirement = (
            f"{OP_WORDS[c.op]} {format_value(c.metric, c.threshold)}"
            if c.metric and c.op and c.threshold is not None
            else "提供证明材料"
        )
        if c.local:
            requirement += "\n[yellow]本地设置[/]"
        scope = SCOPE_NAMES[c.scope] if c.metric else ""
        wording = c.wording + (f"\n[dim]解释：{c.interpretation}[/]" if c.interpretation else "")
        if not c.number_in_wording:
            wording += "\n[dim]原文无数字：阈值依上述解释或本地设置[/]"
        table.add_row(
            c.id,
            c.article + layout,
            wording,
            metric,
            scope,
            requirement,
            STRICTNESS_NAMES[c.strictness],
        )
    console.print(table)
    if policy.materials:
        console.print(
            f"[bold]申报材料[/]（{policy.materials.article}）："
            + "；".join(f"{i + 1}. {m.name}" for i, m in enumerate(policy.materials.items))
        )
    for key, period in policy.procedure.items():
        mark = "[yellow]（本地设置）[/]" if period.local else f"（{period.article}）"
        name = PROCEDURE_NAMES.get(key, "程序期限")
        unit = UNIT_NAMES.get(period.unit, period.unit)
        console.print(f"[bold]{name}[/]：{period.value} {unit}{mark}")
    cycle_names = {c.id: c.name for c in policy.cycles}
    for cycle in policy.cycles:
        console.print(
            f"[bold]考核周期[/] {cycle.name}（{cycle.article}）："
            + ("每年" if cycle.every_years == 1 else f"每 {cycle.every_years} 年")
            + ("，自认定之日起算" if cycle.anchor == "recognition" else "")
            + ("" if cycle.consequences else "，不产生考核后果")
        )
    for q in policy.consequences:
        times = f"连续 {q.consecutive} 次" if q.consecutive > 1 else ""
        effect = (
            FLAG_NAMES.get(q.flag or "", EFFECT_NAMES[q.effect])
            if q.flag
            else EFFECT_NAMES[q.effect]
        )
        console.print(
            f"[bold]考核后果[/] {q.article}：{cycle_names.get(q.cycle, '考核')}{times}{q.rating}，"
            f"{effect}" + (f"，{q.lockout_years} 年内不予重新认定" if q.lockout_years else "")
        )
    for key, setting in policy.local_settings.items():
        if key == "rubric":
            rubric = Rubric.model_validate(setting.value)
            titles = {c.id: c.title for c in policy.criteria}
            targets = {
                "revenue": "营业收入目标",
                "hr_institutions": "机构数目标",
                "occupancy": "入驻面积占比目标",
            }
            rub = Table(
                title="[yellow]本地设置[/] 考核评分办法", header_style="bold", show_lines=True
            )
            for name in ("评估维度", "权重", "评分项"):
                rub.add_column(name, overflow="fold")
            for d in rubric.dimensions:
                items = [titles.get(i, i) for i in d.criteria] + [targets[t] for t in d.targets]
                rub.add_row(d.name, f"{d.weight.normalize():f} 分", "；".join(items))
            console.print(rub)
            console.print(
                f"  等次分数线：优秀 ≥ {rubric.excellent.normalize():f} 分，"
                f"合格 ≥ {rubric.passing.normalize():f} 分。{setting.note}"
            )
            continue
        console.print(f"[yellow]本地设置[/] {_setting_words(key, setting.value)}：{setting.note}")
    for note in policy.notes:
        console.print(f"[dim]注：{note}[/]")


SETTING_NAMES = {
    "rectification_days": ("整改期限", "{} 日"),
    "targets_due": ("年度目标报备截止", "每年 {}"),
    "self_evaluation_due": ("年度自评报送截止", "次年 {}"),
    "rating_body": ("默认评定单位", "{}"),
}


def _setting_words(key: str, value: object) -> str:
    name, fmt = SETTING_NAMES.get(key, ("本地设置", "{}"))
    text = str(value)
    if key.endswith("_due") and len(text) == 5 and text[2] == "-":
        text = f"{int(text[:2])}月{int(text[3:])}日"
    return f"{name} {fmt.format(text)}"


def render_parks(console: Console, parks: list[ParkSummary]) -> None:
    """Print the parks stored."""
    if not parks:
        console.print(
            "数据库中还没有园区。用 [bold]parkeval import FILE[/] 导入档案，或运行 [bold]parkeval demo[/]。"
        )
        return
    table = Table(header_style="bold")
    for name in (
        "园区编码",
        "名称",
        "省份",
        "城市",
        "场地",
        "入驻机构",
        "营业收入年度",
        "导入时间（UTC）",
    ):
        table.add_column(name, no_wrap=name.startswith("导入时间"))
    for p in parks:
        years = p.revenue_years
        span = f"{years[0]}–{years[-1]}" if len(years) > 1 else (str(years[0]) if years else "—")
        table.add_row(
            esc(p.code),
            esc(p.name),
            esc(p.province or ""),
            esc(p.city or ""),
            str(p.sites),
            str(p.tenants),
            span,
            format_timestamp(p.imported_at),
        )
    console.print(table)


def render_park(console: Console, park: ParkDetail) -> None:
    """Print everything stored about one park."""
    head = [
        f"[bold]{esc(park.name)}[/]（{esc(park.code)}）",
        f"{esc(park.province or '')} {esc(park.city or '')}　运营机构：{esc(park.operator or '—')}"
        f"　专职人员：{park.full_time_staff if park.full_time_staff is not None else '—'}",
        f"布局：{'多园区' if park.layout == 'multi' else '单园区'}　来源：{esc(park.source_file)}　导入：{format_timestamp(park.imported_at)}（UTC）",
    ]
    console.print(Panel("\n".join(head), expand=False))
    sites = Table(title="园区场地", header_style="bold")
    kinds = [
        (key, name)
        for key, name in (
            ("building_area_m2", "建筑面积（㎡）"),
            ("usable_area_m2", "使用面积（㎡）"),
            ("property_area_m2", "产权面积（㎡）"),
            ("rented_area_m2", "租赁面积（㎡）"),
        )
        if key == "building_area_m2" or any(getattr(s, key) is not None for s in park.sites)
    ]
    for name in ("编码", "名称", "类型", *(n for _, n in kinds)):
        sites.add_column(name)
    for s in park.sites:
        areas = [getattr(s, key) for key, _ in kinds]
        sites.add_row(
            esc(s.code),
            esc(s.name),
            "核心园区" if s.role == "core" else "分园区",
            *("—" if a is None else str(a) for a in areas),
        )
    console.print(sites)
    revenue = Table(title="园区营业收入（入驻机构合计）", header_style="bold")
    revenue.add_column("年度")
    revenue.add_column("营业收入", justify="right")
    for year, amount in park.revenue_by_year.items():
        revenue.add_row(year, format_money(amount))
    console.print(revenue)
    tenants = Table(title=f"入驻机构（{len(park.tenants)} 家）", header_style="bold")
    for name in (
        "统一社会信用代码",
        "名称",
        "场地",
        "机构类别",
        "入驻面积（㎡）",
        "迁入",
        "迁出",
    ):
        # a date is never folded mid-number (2021-03-0/1): its column does not wrap
        tenants.add_column(name, overflow="fold", no_wrap=name in ("迁入", "迁出"))
    for t in park.tenants:
        tenants.add_row(
            esc(t.credit_code),
            esc(t.name),
            esc(t.site),
            CLASS_NAMES[t.hr_class],
            "—" if t.leased_area_m2 is None else str(t.leased_area_m2),
            format_date(t.move_in),
            format_date(t.move_out) if t.move_out else "",
        )
    console.print(tenants)
    if park.attestations:
        att = Table(title="定性条件证明材料", header_style="bold")
        for name in ("条件编号", "是否满足", "证明材料", "说明"):
            att.add_column(name, overflow="fold")
        for key, a in park.attestations.items():
            att.add_row(esc(key), "是" if a.met else "否", esc(a.evidence or ""), esc(a.note or ""))
        console.print(att)
