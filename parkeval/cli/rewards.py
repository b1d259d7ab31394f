"""Rewards and budget commands: ``rewards`` (what a firm or park can claim, and what is set
aside, with the article and why), ``budget`` (a scheme's cost in a year against its caps), and
``facts`` (import the facts a bureau records, the blank workbook, approve an amount, record a
payment, withdraw a fact). Each parses options, calls :mod:`parkeval.app.rewards` and renders.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from parkeval.cli.app import app
from parkeval.cli.common import (
    ForceOpt,
    JsonOpt,
    check_xlsx,
    check_year,
    console,
    echo_json,
    err,
    parse_date_option,
    parse_option,
    print_warnings,
    settings_of,
    write_xlsx,
)
from parkeval.errors import ParkevalError

SchemeOpt = Annotated[
    str,
    typer.Option(
        "--scheme",
        help="奖补方案编号：lz-2022、bt-2022-measures、jh-draft、pzh-2021（或 --scheme-file 加入的）。",
    ),
]
RewardYearOpt = Annotated[int, typer.Option("--year", help="测算年度，如 2024。Year.")]
XlsxFileOpt = Annotated[
    Path | None, typer.Option("--xlsx", help="同时写出 Excel 工作簿。Also write a workbook.")
]
PdfFileOpt = Annotated[
    Path | None,
    typer.Option("--pdf", help="同时写出 PDF（奖补测算表/预算报告）。Also write a PDF."),
]


def _check_pdf(path: Path | None, force: bool) -> None:
    if path is not None:
        from parkeval.outputs import check_output

        check_output(path, suffixes=[".pdf"], force=force)


def _write_pdf(path: Path, data: bytes, force: bool) -> None:
    from parkeval.outputs import write_output

    write_output(path, data, suffixes=[".pdf"], force=force)
    err().print(f"已写出 PDF {path}")


facts_app = typer.Typer(
    help="奖补事实：导入、列出、模板、核定金额、拨付记录、撤销。Facts a bureau records for rewards.",
    no_args_is_help=True,
)
app.add_typer(facts_app, name="facts")


@app.command("rewards")
def rewards_cmd(
    ctx: typer.Context,
    subject: Annotated[
        str | None, typer.Argument(metavar="FIRM", help="企业（或个人）名称。Beneficiary name.")
    ] = None,
    park: Annotated[
        str | None, typer.Option("--park", help="园区编码：测算园区及其企业。A park and its firms.")
    ] = None,
    scheme: SchemeOpt = ...,  # type: ignore[assignment]
    year: RewardYearOpt = ...,  # type: ignore[assignment]
    json_out: JsonOpt = False,
    xlsx: XlsxFileOpt = None,
    pdf: PdfFileOpt = None,
    force: ForceOpt = False,
) -> None:
    """奖补测算：企业或园区在某方案下某年度可申报的奖励（金额或上限、条款原文、适用理由），以及不予计入的项目和原因。

    Each award a firm or park can claim, and each one set aside with the reason.
    """
    from parkeval.app.rewards import rewards

    if (subject is None) == (park is None):
        raise ParkevalError("请指定一个企业名称（FIRM）或 --park 园区编码（二者选一）")
    check_year(year)
    check_xlsx(xlsx, force)
    _check_pdf(pdf, force)
    settings = settings_of(ctx)
    report = rewards(settings, scheme, year, subject=subject, park=park)
    if xlsx is not None:
        from parkeval.report.rewards_workbook import rewards_workbook

        write_xlsx(xlsx, rewards_workbook(report), force)
    if pdf is not None:
        from parkeval.report.rewards_pdf import rewards_pdf

        _write_pdf(
            pdf, rewards_pdf(report, settings.schemes.get(scheme), today=settings.today), force
        )
    if json_out:
        echo_json(report)
        return
    render_rewards(report)


def render_rewards(report: Any) -> None:
    """Print a rewards report: per beneficiary the claims table, the set-asides, loans shown."""
    from rich.table import Table

    from parkeval.domain.rewards.results import BASIS_NAMES, REASONS
    from parkeval.domain.rewards.words import money

    out = console()
    out.print(f"[bold]{report.scheme_title}[/]　{report.year}年度奖补测算")
    print_warnings(out, report.warnings)
    for s in report.subjects:
        kind = {"firm": "企业", "park": "园区", "person": "个人"}[s.subject_kind]
        out.print(f"\n[bold]{s.subject}[/]（{kind}）　计入合计 {money(s.total)}")
        if s.claims:
            table = Table(show_lines=True)
            for name in ("条款", "奖励项目", "计入金额", "计算方式", "适用理由"):
                table.add_column(name, overflow="fold")
            for c in s.claims:
                amount = money(c.amount)
                if c.basis == "range" and c.minimum is not None:
                    amount = f"{money(c.minimum)}—{money(c.amount)}"
                why = c.why + "".join(f"\n注：{n}" for n in c.notes)
                title = c.title + (f"（{c.item}）" if c.item else "")
                table.add_row(c.article, title, amount, BASIS_NAMES.get(c.basis, c.basis), why)
            out.print(table)
        else:
            out.print("  本年度没有可申报的奖励。")
        if s.set_aside:
            aside = Table(
                title=f"{s.subject} 不予计入的项目", title_justify="left", title_style="yellow"
            )
            for name in ("条款", "奖励项目", "原因", "说明"):
                aside.add_column(name, overflow="fold")
            for a in s.set_aside:
                aside.add_row(a.article, a.title, REASONS[a.reason], a.detail)
            out.print(aside)
        for x in s.shown:
            word = "贷款" if x["kind"] == "loan" else "财政体制结算"
            out.print(f"  [dim]另记{word} {money(x['amount'] or 0)}（不计入奖补）[/]")


@app.command("budget")
def budget_cmd(
    ctx: typer.Context,
    scheme: SchemeOpt = ...,  # type: ignore[assignment]
    year: RewardYearOpt = ...,  # type: ignore[assignment]
    park: Annotated[
        str | None, typer.Option("--park", help="只测算一个园区。One park only.")
    ] = None,
    json_out: JsonOpt = False,
    xlsx: XlsxFileOpt = None,
    pdf: PdfFileOpt = None,
    force: ForceOpt = False,
) -> None:
    """奖补预算：方案在某年度全部应付奖励（含多年分期本年应付部分）与每项上限（每年资金上限、园区补贴上限）的对照，超额承诺标明缺口。

    The cost of every claim against every cap; over-commitment flagged with its size.
    """
    from parkeval.app.rewards import budget

    check_year(year)
    check_xlsx(xlsx, force)
    _check_pdf(pdf, force)
    settings = settings_of(ctx)
    result = budget(settings, scheme, year, park=park)
    if xlsx is not None:
        from parkeval.report.rewards_workbook import budget_workbook

        write_xlsx(xlsx, budget_workbook(result), force)
    if pdf is not None:
        from parkeval.report.rewards_pdf import budget_pdf

        _write_pdf(
            pdf, budget_pdf(result, settings.schemes.get(scheme), today=settings.today), force
        )
    if json_out:
        echo_json(result)
        return
    from rich.table import Table

    from parkeval.domain.rewards.words import money

    out = console()
    out.print(
        f"[bold]{result.scheme_title}[/]　{result.year}年度奖补预算（{result.beneficiaries} 个受益主体）"
    )
    print_warnings(out, result.warnings)
    table = Table()
    for name in ("条款", "奖励项目", "项数", "本年应付"):
        table.add_column(name)
    for r in result.rules:
        table.add_row(r.article, r.title, str(r.claims), money(r.due))
    out.print(table)
    out.print(
        f"本年应付合计 {money(result.total_due)}；本年已记录拨付 {money(result.paid_in_year)}"
    )
    for f in result.funds:
        cap = money(f.cap) if f.cap is not None else "本年未安排"
        state = f"[red]超额 {money(f.shortfall)}[/]" if f.shortfall > 0 else "[green]未超出[/]"
        out.print(f"{f.name}（{f.article}）：上限 {cap}，应付 {money(f.committed)}，{state}")
    for kind, total in result.shown.items():
        word = "贷款" if kind == "loan" else "财政体制结算"
        out.print(f"[dim]另记{word} {money(total)}（不计入奖补）[/]")


@facts_app.command("import")
def facts_import(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(help="事实文件（.xlsx、.yaml、.json），可多个。")],
    json_out: JsonOpt = False,
) -> None:
    """导入奖补事实（营业收入、荣誉榜单、评级、引才、活动、展位、贡献、落户、核定、拨付……）：全部有效才写入。

    Import facts files, all or nothing; every problem is listed with file, sheet, row, column.
    """
    from parkeval.app.rewards import import_facts

    result = import_facts(settings_of(ctx), files)
    if json_out:
        echo_json(result)
        return
    for source, n in result.files:
        console().print(f"已导入 {source}：{n} 条")
    console().print(f"共导入 {result.total} 条奖补事实。")


@facts_app.command("list")
def facts_list(
    ctx: typer.Context,
    subject: Annotated[
        str | None, typer.Argument(metavar="[NAME]", help="受益主体名称（企业、园区或个人）。")
    ] = None,
    scheme: Annotated[
        str | None, typer.Option("--scheme", help="只列出该奖补方案所在城市的事实。")
    ] = None,
    city: Annotated[
        str | None, typer.Option("--city", help="只列出该城市的事实，如 柳州市。")
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """列出仍然有效的奖补事实及其记录编号（查找重复导入或录错的记录，再用 facts withdraw 撤销）。

    List the facts in force with their ids.
    """
    from parkeval.app.rewards import list_facts

    rows = list_facts(settings_of(ctx), subject=subject, scheme=scheme, city=city)
    if json_out:
        echo_json(rows)
        return
    render_facts(rows, subject)


def render_facts(rows: list[dict[str, Any]], subject: str | None = None) -> None:
    """Print the facts in force: id, beneficiary, kind, year, what, amount, when recorded."""
    from rich.table import Table

    from parkeval.domain.rewards.facts import FACT_KINDS
    from parkeval.domain.rewards.words import money
    from parkeval.domain.wording import format_date

    out = console()
    if not rows:
        out.print("没有仍然有效的奖补事实记录。")
        return
    whose = f"{subject} " if subject else ""
    table = Table(title=f"{whose}仍然有效的奖补事实（{len(rows)} 条）")
    names = ["编号", "受益主体", "类型", "年度", "内容", "金额", "记录日期"]
    if subject:
        names.remove("受益主体")
    for name in names:
        table.add_column(name, overflow="fold")
    for r in rows:
        cells = [
            f"#{r['id']}", r["subject"], FACT_KINDS.get(r["kind"], r["kind"]),
            str(r["year"] or "—"), r["what"] or "—",
            money(r["amount_yuan"]) if r["amount_yuan"] is not None else "—",
            format_date(r["recorded_at"]),
        ]  # fmt: skip
        if subject:
            del cells[1]
        table.add_row(*cells)
    out.print(table)
    out.print("撤销一条：parkeval facts withdraw 编号 --reason 理由（原记录保留）。")


@facts_app.command("template")
def facts_template(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="要写出的空白工作簿（.xlsx）。")],
    force: ForceOpt = False,
) -> None:
    """写出空白的奖补事实工作簿（每类事实一个工作表）。Write a blank facts workbook."""
    from parkeval.app.rewards import write_template

    write_template(path, force=force)
    console().print(f"已写出模板 {path}")


def _amount_command(ctx: typer.Context, kind: str, **kw: Any) -> None:
    from parkeval.app.rewards import record_amount
    from parkeval.values import parse_money

    amount = parse_option(kw.pop("amount"), "--amount", parse_money)
    on = parse_date_option(kw.pop("on"), "--on")
    json_out = kw.pop("json_out")
    check_year(kw["year"])
    result = record_amount(settings_of(ctx), kind, amount=amount, on=on, **kw)
    if json_out:
        echo_json(result)
        return
    from parkeval.cli.common import rule_titled

    console().print(
        f"已记录：{rule_titled(settings_of(ctx), result.detail, kw['rule'])}（记录编号 #{result.id}）"
    )


SubjectArg = Annotated[
    str, typer.Argument(metavar="NAME", help="受益主体名称（企业、园区或个人）。")
]
RuleOpt = Annotated[str, typer.Option("--rule", help="奖励项目编号（rewards --json 中的 rule）。")]
CityOpt = Annotated[str, typer.Option("--city", help="所在城市，如 柳州市。City.")]
KindOpt = Annotated[
    str, typer.Option("--subject-kind", help="主体类型：firm 企业、park 园区、person 个人。")
]


@facts_app.command("approve")
def facts_approve(
    ctx: typer.Context,
    subject: SubjectArg,
    rule: RuleOpt = ...,  # type: ignore[assignment]
    year: RewardYearOpt = ...,  # type: ignore[assignment]
    amount: Annotated[str, typer.Option("--amount", help="核定金额，如 15万、150000。")] = ...,  # type: ignore[assignment]
    city: CityOpt = ...,  # type: ignore[assignment]
    subject_kind: KindOpt = "firm",
    on: Annotated[str | None, typer.Option("--on", help="核定日期 YYYY-MM-DD。")] = None,
    json_out: JsonOpt = False,
) -> None:
    """记录主管部门核定的奖励金额（最高限额、区间内的核定数）。Record an approved amount."""
    if subject_kind not in ("firm", "park", "person"):
        raise ParkevalError("--subject-kind 应为 firm、park 或 person")
    _amount_command(ctx, "approval", subject=subject, rule=rule, year=year, amount=amount,
                    city=city, subject_kind=subject_kind, on=on, json_out=json_out)  # fmt: skip


@facts_app.command("pay")
def facts_pay(
    ctx: typer.Context,
    subject: SubjectArg,
    rule: RuleOpt = ...,  # type: ignore[assignment]
    year: RewardYearOpt = ...,  # type: ignore[assignment]
    amount: Annotated[str, typer.Option("--amount", help="拨付金额，如 4万、40000。")] = ...,  # type: ignore[assignment]
    city: CityOpt = ...,  # type: ignore[assignment]
    subject_kind: KindOpt = "firm",
    on: Annotated[str | None, typer.Option("--on", help="拨付日期 YYYY-MM-DD。")] = None,
    json_out: JsonOpt = False,
) -> None:
    """记录一笔已拨付的奖励（升档补差按已拨付金额计算）。Record a payment made."""
    if subject_kind not in ("firm", "park", "person"):
        raise ParkevalError("--subject-kind 应为 firm、park 或 person")
    _amount_command(ctx, "payment", subject=subject, rule=rule, year=year, amount=amount,
                    city=city, subject_kind=subject_kind, on=on, json_out=json_out)  # fmt: skip


@facts_app.command("withdraw")
def facts_withdraw(
    ctx: typer.Context,
    fact_id: Annotated[int, typer.Argument(metavar="ID", help="奖补事实的记录编号。")],
    reason: Annotated[str, typer.Option("--reason", help="撤销的理由。")] = ...,  # type: ignore[assignment]
    json_out: JsonOpt = False,
) -> None:
    """撤销一条奖补事实（保留原记录，新增一条撤销记录；更正 = 撤销 + 重新记录）。Withdraw a fact."""
    from parkeval.app.rewards import withdraw_fact

    result = withdraw_fact(settings_of(ctx), fact_id, reason=reason)
    if json_out:
        echo_json(result)
        return
    console().print(f"已{result.detail}（撤销记录编号 #{result.id}）。")
    err().print("原记录保留在数据库中，审计日志记录了这次撤销。")
