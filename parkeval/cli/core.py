"""Core commands: demo, template, import, policies, policy show, certify, parks, show."""

from pathlib import Path
from typing import Annotated

import typer

from parkeval.cli.app import app
from parkeval.cli.common import (
    ForceOpt,
    IncludeOutsideOpt,
    IncludeRetiredOpt,
    JsonOpt,
    XlsxOpt,
    check_xlsx,
    console,
    echo_json,
    err,
    esc,
    parse_date_option,
    select_all,
    settings_of,
    write_xlsx,
)
from parkeval.errors import ParkevalError, redact

policy_app = typer.Typer(help="查看政策文件。Inspect policies.", no_args_is_help=True)
app.add_typer(policy_app, name="policy")


@app.command()
def demo(
    ctx: typer.Context,
    report: Annotated[
        Path,
        typer.Option("--report", help="示例评估报告 PDF 的路径。Where to write the sample report."),
    ] = Path("parkeval-demo-report.pdf"),
    force: Annotated[
        bool, typer.Option("--force", help="覆盖已有的示例报告 PDF。Overwrite the sample report.")
    ] = False,
) -> None:
    """载入示例园区、显示认定结果并生成一份示例报告。Load the sample parks, certify them, write a sample report.

    已有同名的示例报告时不覆盖（加 --force 覆盖）。An existing report is kept unless --force.
    """
    from parkeval.app.demo import DEMO_AS_OF, DEMO_YEAR, run_demo
    from parkeval.cli.render import render_certifications
    from parkeval.cli.reports import warn_if_slow_subsetting
    from parkeval.outputs import check_output
    from parkeval.report import make_report

    if report.exists() and not force:
        raise ParkevalError(
            f"示例报告文件已存在：{report}；未作任何改动（示例数据也未载入）",
            hint="加 --force 覆盖该文件，或先删除（移走）它再运行 parkeval demo。",
        )
    check_output(report, suffixes=[".pdf"], force=force)
    settings = settings_of(ctx)
    warn_if_slow_subsetting()
    result = run_demo(settings)
    outcome = make_report(
        settings,
        park=result.report_park,
        policy_id=result.report_policy,
        year=DEMO_YEAR,
        as_of=DEMO_AS_OF,
        out=report,
        force=force,
    )
    out = console()
    out.print(f"已将 {len(result.imported)} 个示例园区导入 [bold]{esc(redact(settings.db_url))}[/]")
    for r in result.results:
        render_certifications(out, [r], settings.registry.get(r.policy))
    if result.correction:
        out.print("\n示例更正（撤销不删除，parkeval status gx-pass --include-voided 可查看）：")
        for line in result.correction:
            out.print(f"  · {esc(line)}")
    if result.rewards is not None:
        from parkeval.cli.rewards import render_rewards

        out.print("\n示例奖补测算（柳州 lz-2022，北部园区）：")
        render_rewards(result.rewards)
    out.print(
        f"\n示例评估报告（PDF，{outcome.pages} 页）：[bold]{esc(outcome.path.resolve())}[/]"
        f"  核验：parkeval verify {esc(outcome.path)}"
    )
    out.print(
        "\n下一步：[bold]parkeval parks[/] 查看园区；"
        "[bold]parkeval certify gx-pass --policy gx-2021 --json[/] 输出 JSON；"
        "[bold]parkeval goals --city 包头市[/] 对照文件提出的发展目标；"
        "[bold]parkeval template dossier.xlsx[/] 生成档案模板；"
        "[bold]parkeval budget --scheme lz-2022 --year 2024[/] 查看奖补预算。"
    )


@app.command()
def template(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="要写入的 Excel 文件（.xlsx）。Workbook to write.")],
    force: Annotated[bool, typer.Option("--force", help="覆盖已有文件。Overwrite.")] = False,
) -> None:
    """生成空白园区档案 Excel 模板。Write a blank dossier workbook to fill in."""
    from parkeval.app.dossiers import write_template

    if file.suffix.lower() != ".xlsx":
        raise ParkevalError(f"模板文件应以 .xlsx 结尾：{file}")
    write_template(file, overwrite=force)
    console().print(
        f"已生成模板 [bold]{file}[/]：先看「说明」工作表，填好后用 parkeval import {file} 导入。"
    )


@app.command("import")
def import_(
    ctx: typer.Context,
    files: Annotated[
        list[Path], typer.Argument(help="园区档案：.xlsx、.yaml/.yml 或 .json。Dossier files.")
    ],
    json_out: JsonOpt = False,
) -> None:
    """导入园区档案（全部成功才写入）。Import dossiers, all or nothing."""
    from parkeval.app.dossiers import import_files

    settings = settings_of(ctx)
    if len(files) > 3 and not json_out:
        from rich.progress import Progress

        with Progress(transient=True) as progress:
            task = progress.add_task("校验档案", total=len(files))
            summaries = import_files(settings, files, progress=lambda _p: progress.advance(task))
    else:
        summaries = import_files(settings, files)
    if json_out:
        echo_json(summaries)
        return
    out = console()
    for s in summaries:
        verb = "已更新" if s.replaced else "已导入"
        out.print(
            f"{verb} [bold]{s.park}[/] {s.name}：场地 {s.sites} 个，入驻机构 {s.tenants} 家，"
            f"营业收入 {s.revenue_rows} 条，定性材料 {s.attestations} 项（{s.source}）"
        )
        for warning in s.warnings:
            err().print(f"[yellow]注意[/]：{esc(warning)}")


@app.command()
def policies(ctx: typer.Context, json_out: JsonOpt = False) -> None:
    """列出可用的政策。List the policies known to this run."""
    from parkeval.resources import policies_dir

    registry = settings_of(ctx).registry
    builtin = str(policies_dir())
    rows = [
        {
            "id": p.id,
            "title": p.title,
            "document_no": p.document_no,
            "level": p.level,
            "level_name": p.level_name,
            "jurisdiction": p.jurisdiction.display,
            "province": p.jurisdiction.province,
            "city": p.jurisdiction.city,
            "effective_from": p.effective_from,
            "effective_until": p.effective_until,
            "criteria": len(p.criteria),
            "source": p.source,
            "builtin": p.source.startswith(builtin),
        }
        for p in registry.all()
    ]
    if json_out:
        echo_json(rows)
        return
    from rich.table import Table

    from parkeval.domain.wording import format_date

    table = Table(header_style="bold")
    for name in ("编号", "名称", "文号", "级别", "施行期间", "条件数", "文件"):
        table.add_column(name, overflow="fold")
    for r in rows:
        period = f"{format_date(r['effective_from'])} 至 {format_date(r['effective_until'])}"
        table.add_row(
            r["id"],
            r["title"],
            r["document_no"],
            r["level_name"],
            period,
            str(r["criteria"]),
            "内置" if r["builtin"] else r["source"],
        )
    console().print(table)


@policy_app.command("show")
def policy_show(
    ctx: typer.Context,
    policy_id: Annotated[
        str, typer.Argument(metavar="ID", help="政策编号，如 gx-2021。Policy id.")
    ],
    json_out: JsonOpt = False,
) -> None:
    """显示政策的全部条件、条款原文与本地设置。Show every criterion of a policy."""
    policy = settings_of(ctx).registry.get(policy_id)
    if json_out:
        echo_json(policy.model_dump(mode="python"))
        return
    from parkeval.cli.render import render_policy

    render_policy(console(), policy)


@app.command()
def certify(
    ctx: typer.Context,
    park: Annotated[str | None, typer.Argument(help="园区编码。Park code.")] = None,
    policy: Annotated[
        str, typer.Option("--policy", "-p", help="政策编号，如 gx-2021。Policy id.")
    ] = ...,  # type: ignore[assignment]
    all_parks: Annotated[
        bool, typer.Option("--all", help="核查数据库中的全部园区。Every park.")
    ] = False,
    year: Annotated[
        int | None,
        typer.Option(
            help="评估年度：年营业收入读该年（条款另有规定的按其年度）；默认为统计日前最近的完整年度。Assessment year."
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="统计入驻机构与面积的日期 YYYY-MM-DD"
            "（默认：给出 --year 时为该年 12 月 31 日，否则为今天）。",
        ),
    ] = None,
    include_outside: IncludeOutsideOpt = False,
    include_retired: IncludeRetiredOpt = False,
    json_out: JsonOpt = False,
    xlsx: XlsxOpt = None,
    force: ForceOpt = False,
) -> None:
    """核查园区是否符合认定条件。Check parks against a policy's certification criteria.

    --all 只核查该政策适用范围内、未停用的园区，并说明未列入的园区数。一个园区也可按其他地区的
    政策自查，结果会注明不在适用范围内。

    退出码 / exit code: 0 符合 eligible；1 不符合、有条件符合或资料不全；2 输入或用法错误。
    """
    from parkeval.app.certify import certify as run

    if (park is None) == (not all_parks):
        raise ParkevalError(
            "请给出一个园区编码，或使用 --all（二者选一）",
            hint="例如：parkeval certify nn-hr --policy gx-2021",
        )
    check_xlsx(xlsx, force)
    settings = settings_of(ctx)
    date = parse_date_option(as_of, "--as-of")
    if year is not None and not 1990 <= year <= 2100:
        raise ParkevalError(f"--year {year} 超出范围（1990–2100）")
    settings.registry.get(policy)  # an unknown policy is named before anything else is said
    codes = (
        select_all(
            settings, policy, include_outside=include_outside, include_retired=include_retired
        )
        if all_parks
        else [park]
    )
    results = (
        run(settings, policy_id=policy, park_codes=codes, year=year, as_of=date) if codes else []
    )
    if xlsx is not None:
        from parkeval.report.workbook import certification_workbook

        write_xlsx(xlsx, certification_workbook(results, settings.registry.get(policy)), force)
    if json_out:
        echo_json(results if all_parks else results[0])
    else:
        from parkeval.cli.render import render_certifications

        if not results:
            console().print("没有要核查的园区。" if all_parks else "数据库中还没有园区。")
        else:
            render_certifications(console(), results, settings.registry.get(policy))
    if any(r.verdict != "eligible" for r in results):
        raise typer.Exit(1)


@app.command()
def parks(
    ctx: typer.Context, include_retired: IncludeRetiredOpt = False, json_out: JsonOpt = False
) -> None:
    """列出已导入的园区（已停用的除外）。List the parks stored."""
    from parkeval.app.parks import list_parks

    rows = list_parks(settings_of(ctx), include_retired=include_retired)
    if json_out:
        echo_json(rows)
        return
    from parkeval.cli.render import render_parks

    render_parks(console(), rows)


@app.command()
def show(
    ctx: typer.Context,
    park: Annotated[str, typer.Argument(help="园区编码。Park code.")],
    json_out: JsonOpt = False,
) -> None:
    """显示园区的场地、入驻机构、营业收入与证明材料。Describe one park."""
    from parkeval.app.parks import show_park

    detail = show_park(settings_of(ctx), park)
    if json_out:
        echo_json(detail)
        return
    from parkeval.cli.render import render_park

    render_park(console(), detail)
